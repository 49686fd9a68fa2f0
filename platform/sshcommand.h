// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"

#include <QByteArray>
#include <QObject>

#include <memory>

namespace Hivelab {

struct SshCommandState;

/// A remote command running on an SshSession. Async job object living on the session's thread;
/// output arrives in chunks as it comes (never accumulated here), finished() fires exactly once.
class SshCommand : public QObject
{
    Q_OBJECT
public:
    ~SshCommand() override;
    Q_DISABLE_COPY_MOVE(SshCommand)

    QString command() const;

    /// Queue bytes for the command's stdin (sent as the SSH window allows).
    void writeStdin(const QByteArray &data);
    /// Send EOF once everything queued is written.
    void closeStdin();
    /// Bytes given to writeStdin() and not yet sent.
    qint64 pendingStdinBytes() const;
    /// Ends the job at once with SshError::Cancelled. The server side gets the channel closed
    /// (a pty command receives SIGHUP; libssh2 >= 1.11 also sends SIGTERM).
    void cancel();

    bool isFinished() const { return m_finished; }
    int exitStatus() const { return m_exitStatus; }
    QString exitSignal() const { return m_exitSignal; }
    SshErrorInfo error() const { return m_error; }

Q_SIGNALS:
    void started();
    void stdoutData(const QByteArray &chunk);
    void stderrData(const QByteArray &chunk);
    void stdinWritten(qint64 bytes);
    /// exitStatus is -1 when the command did not run to completion (see error).
    void finished(int exitStatus, const QString &exitSignal, const Hivelab::SshErrorInfo &error);

private:
    friend class SshSession;
    friend class SshWorker;
    explicit SshCommand(std::shared_ptr<SshCommandState> state, QObject *parent);
    void deliverData(const QByteArray &chunk, bool isStderr);
    void deliverFinished(int exitStatus, const QString &exitSignal, const SshErrorInfo &error);

    std::shared_ptr<SshCommandState> m_state;
    bool m_finished = false;
    int m_exitStatus = -1;
    QString m_exitSignal;
    SshErrorInfo m_error;
};

} // namespace Hivelab
