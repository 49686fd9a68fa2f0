// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sshoptions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Hivelab {

class SshPoolTask;
class SshSession;

/// Runs commands on many boards at once with a cap on how many run concurrently; the rest
/// wait in a FIFO queue. One SshSession per (user, host, port) is kept open and reused, so
/// repeated work on a board pays the handshake once. Async; lives on one thread (normally the
/// GUI thread), each session's IO runs on its own worker thread.
class SshPool : public QObject
{
    Q_OBJECT
public:
    explicit SshPool(QObject *parent = nullptr);
    ~SshPool() override;
    Q_DISABLE_COPY_MOVE(SshPool)

    /// Maximum commands running at the same time (>= 1). Default 16.
    void setMaxConcurrent(int limit);
    int maxConcurrent() const { return m_maxConcurrent; }

    /// Async. Queues `command` for the board; the task is a child of the pool.
    SshPoolTask *run(const SshConnectOptions &options, const SshAuth &auth, const QString &command,
                     const SshExecOptions &execOptions = {});
    /// Async. Queues a lease of the board's pooled session for jobs that work on a session
    /// themselves (SshTransfer, SshKeySetup): once a slot is free the task emits
    /// sessionReady() (the session may still be connecting; commands queue on it). The lease
    /// counts as one running command until SshPoolTask::release() or cancel().
    SshPoolTask *lease(const SshConnectOptions &options, const SshAuth &auth);

    int runningCount() const { return m_running; }
    int queuedCount() const { return int(m_queue.size()); }
    /// Connections currently kept (open or opening).
    int connectionCount() const { return int(m_sessions.size()); }
    /// Highest number of commands that ran at once (for tests and tuning).
    int peakRunning() const { return m_peakRunning; }

    /// Closes idle connections; running commands keep theirs.
    void closeIdle();

Q_SIGNALS:
    void idle(); // nothing running, nothing queued

private:
    struct Pending
    {
        QPointer<SshPoolTask> task;
        SshConnectOptions options;
        SshAuth auth;
        SshExecOptions execOptions;
        bool lease = false;
    };
    struct Connection
    {
        SshSession *session = nullptr;
        int busy = 0;
    };
    static QString keyOf(const SshConnectOptions &options, const SshAuth &auth);
    SshPoolTask *enqueue(const SshConnectOptions &options, const SshAuth &auth,
                         const QString &command, const SshExecOptions &execOptions, bool lease);
    void pump();
    void onTaskFinished(const QString &key);

    int m_maxConcurrent = 16;
    int m_running = 0;
    int m_peakRunning = 0;
    QList<Pending> m_queue;
    QHash<QString, Connection> m_sessions;
};

} // namespace Hivelab
