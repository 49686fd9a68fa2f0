// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshpooltask.h"

#include "sshcommand.h"

#include <utility>

namespace Hivelab {

SshPoolTask::SshPoolTask(const QString &target, const QString &command,
                         const SshExecOptions &options, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_command(command)
    , m_options(options)
{}

SshPoolTask::~SshPoolTask()
{
    if (m_job)
        m_job->cancel();
}

void SshPoolTask::cancel()
{
    if (m_finished)
        return;
    if (m_job) {
        m_job->cancel(); // finish() follows through the job's finished()
        return;
    }
    finish(-1, QString(),
           SshErrorInfo{SshError::Cancelled, tr("Cancelled."), {}, {}, {}, {}, {}, 0});
}

void SshPoolTask::closeStdin()
{
    if (m_finished)
        return;
    m_closeStdin = true;
    if (m_job)
        m_job->closeStdin();
}

void SshPoolTask::writeStdin(const QByteArray &data)
{
    if (m_finished || m_closeStdin)
        return;
    if (m_job)
        m_job->writeStdin(data);
    else
        m_stdin += data;
}

void SshPoolTask::release()
{
    if (m_lease && !m_finished)
        finish(0, QString(), SshErrorInfo());
}

void SshPoolTask::attachSession(SshSession *session)
{
    m_lease = true;
    m_running = true;
    Q_EMIT started();
    Q_EMIT sessionReady(session);
}

void SshPoolTask::attach(SshCommand *command)
{
    m_job = command;
    m_running = true;
    if (!m_stdin.isEmpty())
        command->writeStdin(std::exchange(m_stdin, QByteArray()));
    if (m_closeStdin)
        command->closeStdin();
    connect(command, &SshCommand::started, this, &SshPoolTask::started);
    connect(command, &SshCommand::stdoutData, this, &SshPoolTask::stdoutData);
    connect(command, &SshCommand::stderrData, this, &SshPoolTask::stderrData);
    connect(command, &SshCommand::finished, this, &SshPoolTask::finish);
}

void SshPoolTask::finish(int exitStatus, const QString &exitSignal, const SshErrorInfo &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_running = false;
    m_exitStatus = exitStatus;
    m_error = error;
    if (m_job)
        m_job->deleteLater();
    Q_EMIT finished(exitStatus, exitSignal, error);
}

} // namespace Hivelab
