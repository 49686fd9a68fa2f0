// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"
#include "sshoptions.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

namespace Hivelab {

class SshCommand;
class SshSession;

/// One command queued in an SshPool, or a lease of a pooled session (SshPool::lease()). Async
/// job on the pool's thread; mirrors SshCommand's signals once it runs, finished() fires exactly
/// once (also when cancelled while queued).
class SshPoolTask : public QObject
{
    Q_OBJECT
public:
    ~SshPoolTask() override;
    Q_DISABLE_COPY_MOVE(SshPoolTask)

    QString target() const { return m_target; }
    QString command() const { return m_command; }
    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    int exitStatus() const { return m_exitStatus; }
    SshErrorInfo error() const { return m_error; }
    void cancel();
    /// Sends EOF on the command's stdin once its stdinData is written (for commands started
    /// with SshExecOptions::closeStdin false). No-op once finished.
    void closeStdin();
    /// Queues more bytes for the command's stdin, after its stdinData (e.g. the next request
    /// on a kept-open connection). No-op once finished or after closeStdin().
    void writeStdin(const QByteArray &data);
    /// A lease: the holder is done with the session (finished() follows, status 0). No-op for
    /// commands and once finished.
    void release();

Q_SIGNALS:
    void started();
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    /// A lease got its session: valid until the lease finishes; the pool owns it.
    void sessionReady(Hivelab::SshSession *session);
    void finished(int exitStatus, const QString &exitSignal, const Hivelab::SshErrorInfo &error);

private:
    friend class SshPool;
    SshPoolTask(const QString &target, const QString &command, const SshExecOptions &options,
                QObject *parent);
    void attach(SshCommand *command);
    void attachSession(SshSession *session);
    void finish(int exitStatus, const QString &exitSignal, const SshErrorInfo &error);

    QString m_target;
    QString m_command;
    SshExecOptions m_options;
    QPointer<SshCommand> m_job;
    QByteArray m_stdin; // writeStdin() before the command started
    bool m_closeStdin = false;
    bool m_lease = false;
    bool m_running = false;
    bool m_finished = false;
    int m_exitStatus = -1;
    SshErrorInfo m_error;
};

} // namespace Hivelab
