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
    : SshHttpCall(pool, options, auth, command, QList<HttpRequest>{request}, std::move(exec),
                  parent)
{}

SshHttpCall::SshHttpCall(SshPool *pool, const SshConnectOptions &options, const SshAuth &auth,
                         const QString &command, const QList<HttpRequest> &requests,
                         SshExecOptions exec, QObject *parent, Connection connection)
    : QObject(parent)
    , m_expected(qMax<qsizetype>(1, requests.size()))
    , m_keepOpen(connection == Connection::KeepOpen)
{
    for (qsizetype i = 0; i < requests.size(); ++i)
        exec.stdinData += requests.at(i).toBytes(m_keepOpen || i + 1 < requests.size());
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

void SshHttpCall::send(const QList<HttpRequest> &requests)
{
    if (!m_keepOpen || m_finished || !m_task)
        return;
    QByteArray bytes;
    for (const HttpRequest &r : requests)
        bytes += r.toBytes(true);
    m_expected += requests.size();
    m_task->writeStdin(bytes);
}

void SshHttpCall::close()
{
    if (m_task && !m_finished)
        m_task->closeStdin();
}

QList<HttpResponse> SshHttpCall::responses() const
{
    QList<HttpResponse> out = m_responses;
    if (out.size() < m_expected)
        out << m_parser.response();
    while (out.size() < m_expected)
        out << HttpResponse();
    return out;
}

void SshHttpCall::onStdout(const QByteArray &chunk)
{
    QByteArray data = chunk;
    while (m_parser.state() == HttpResponseParser::State::Incomplete) {
        if (m_parser.feed(data) != HttpResponseParser::State::Complete)
            break;
        if (!m_keepOpen && m_responses.size() + 1 >= m_expected)
            break;
        // Pipelined: the next answer starts right after this one.
        data = m_parser.takeRemainder();
        const HttpResponse answer = m_parser.response();
        m_parser = HttpResponseParser();
        if (!m_keepOpen) {
            m_responses << answer;
            continue;
        }
        // Kept open: answers are handed on, not collected (a poll may ask hundreds of times).
        Q_EMIT answered(answer);
        if (m_finished)
            return;
    }
    // Every request answered (or garbage): let the command end.
    if (m_parser.state() == HttpResponseParser::State::Malformed ||
        (!m_keepOpen && m_parser.state() != HttpResponseParser::State::Incomplete))
        m_task->closeStdin();
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
