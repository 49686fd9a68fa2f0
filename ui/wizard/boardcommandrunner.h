// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"
#include "sshoptions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace Hivelab {

class SshSession;

/// Connects to several boards over SSH (a few at a time) and optionally runs one command on
/// each. Asynchronous on the GUI thread: SshSession does the blocking work on its own threads.
class BoardCommandRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardCommandRunner)
public:
    struct Target
    {
        QString boardId;
        SshConnectOptions options;
        SshAuth auth;
    };

    struct Result
    {
        bool ok = false;
        int exitStatus = -1;
        QString output; // stdout, trimmed
        QString errorOutput;
        QString banner;
        QString fingerprint;
        SshErrorInfo error;
    };

    explicit BoardCommandRunner(QObject *parent = nullptr);
    ~BoardCommandRunner() override;

    /// An empty command only connects and authenticates (a connection test).
    void start(const QList<Target> &targets, const QString &command, int maxParallel = 4,
               int commandTimeoutMs = 60000);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void boardStarted(const QString &boardId);
    void boardFinished(const QString &boardId, const Hivelab::BoardCommandRunner::Result &result);
    void finished(bool cancelled);

private:
    void startNext();
    void finishBoard(const QString &boardId, const Result &result);

    QList<Target> m_queue;
    QString m_command;
    int m_maxParallel = 4;
    int m_timeoutMs = 60000;
    bool m_running = false;
    bool m_cancelled = false;
    QHash<QString, QPointer<SshSession>> m_active;
};

} // namespace Hivelab
