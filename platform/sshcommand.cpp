// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshcommand.h"

#include "sshworker.h"

namespace Hivelab {

SshCommand::SshCommand(std::shared_ptr<SshCommandState> state, QObject *parent)
    : QObject(parent)
    , m_state(std::move(state))
{
    QMutexLocker lock(&m_state->mutex);
    m_state->receiver = this;
}

SshCommand::~SshCommand()
{
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->receiver = nullptr;
        m_state->cancelRequested = true;
    }
    m_state->wake->signal();
}

QString SshCommand::command() const
{
    return QString::fromUtf8(m_state->command);
}

void SshCommand::writeStdin(const QByteArray &data)
{
    {
        QMutexLocker lock(&m_state->mutex);
        if (m_state->stdinEof)
            return;
        m_state->stdinBuffer += data;
    }
    m_state->wake->signal();
}

void SshCommand::closeStdin()
{
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->stdinEof = true;
    }
    m_state->wake->signal();
}

qint64 SshCommand::pendingStdinBytes() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->stdinBuffer.size();
}

void SshCommand::cancel()
{
    if (m_finished)
        return;
    {
        QMutexLocker lock(&m_state->mutex);
        m_state->cancelRequested = true;
    }
    m_state->wake->signal();
}

void SshCommand::deliverData(const QByteArray &chunk, bool isStderr)
{
    const qint64 before = m_state->inFlight.fetch_sub(chunk.size());
    if (m_state->throttled.load() && before - chunk.size() < SshWorker::kMaxInFlight / 2)
        m_state->wake->signal();
    if (m_finished)
        return;
    if (isStderr)
        Q_EMIT stderrData(chunk);
    else
        Q_EMIT stdoutData(chunk);
}

void SshCommand::deliverFinished(int exitStatus, const QString &exitSignal,
                                 const SshErrorInfo &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitStatus = exitStatus;
    m_exitSignal = exitSignal;
    m_error = error;
    Q_EMIT finished(exitStatus, exitSignal, error);
}

} // namespace Hivelab
