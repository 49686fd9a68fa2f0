// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshhttpcall.h"

#include "sshpool.h"
#include "sshpooltask.h"

namespace Hivelab {

namespace {

constexpr qsizetype MaxStderrBytes = 64 * 1024;

} // namespace

QString SshHttpCall::dockerDialCommand()
{
    return QStringLiteral("docker system dial-stdio");
}

SshHttpCall::SshHttpCall(SshPool *pool, const SshConnectOptions &options, const SshAuth &auth,
                         const QString &command, const HttpRequest &request, SshExecOptions exec,
                         QObject *parent)
    : QObject(parent)
{
    exec.stdinData += request.toBytes();
    exec.closeStdin = false;
    m_task = pool->run(options, auth, command, exec);
    connect(m_task, &SshPoolTask::stdoutData, this, &SshHttpCall::onStdout);
    connect(m_task, &SshPoolTask::stderrData, this, [this](const QByteArray &chunk) {
        m_stderr += chunk.left(MaxStderrBytes - m_stderr.size());
    });
    connect(m_task, &SshPoolTask::finished, this,
            [this](int exitStatus, const QString &, const SshErrorInfo &error) {
                onFinished(exitStatus, error);
            });
}

SshHttpCall::~SshHttpCall()
{
    if (m_task && !m_task->isFinished()) {
        disconnect(m_task, nullptr, this, nullptr);
        m_task->cancel();
    }
}

void SshHttpCall::cancel()
{
    if (m_task && !m_finished)
        m_task->cancel();
}

void SshHttpCall::onStdout(const QByteArray &chunk)
{
    if (m_parser.state() != HttpResponseParser::State::Incomplete)
        return;
    if (m_parser.feed(chunk) != HttpResponseParser::State::Incomplete)
        m_task->closeStdin(); // answered (or garbage): let the command end
}

void SshHttpCall::onFinished(int exitStatus, const SshErrorInfo &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_parser.finish();
    m_task->deleteLater();
    Q_EMIT finished(exitStatus, error);
}

} // namespace Hivelab
