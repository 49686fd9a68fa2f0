// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"
#include "ssherror.h"
#include "sshoptions.h"
#include "sshpooltask.h"

#include <QObject>
#include <QPointer>

namespace Hivelab {

class SshPool;

/// One HTTP/1.1 request over the stdin and stdout of a remote command run in an SshPool. Made
/// for `docker system dial-stdio`, which connects them to the board's Docker engine socket: the
/// request body (e.g. a swarm join token) travels inside the SSH channel and never becomes an
/// argument of any process, and the engine answers in JSON. Async job on the pool's thread;
/// finished() fires exactly once.
class SshHttpCall : public QObject
{
    Q_OBJECT
public:
    /// The remote command that connects stdin/stdout to the local Docker engine's API.
    static QString dockerDialCommand();

    /// Queues the command in the pool at once. `exec.stdinData` (e.g. the password line
    /// SshSession::asRootCommand() reads) is sent before the request. Stdin stays open until
    /// the response is complete: a half-closed connection makes the engine cancel a request.
    SshHttpCall(SshPool *pool, const SshConnectOptions &options, const SshAuth &auth,
                const QString &command, const HttpRequest &request, SshExecOptions exec,
                QObject *parent = nullptr);
    /// Several requests on one connection (HTTP/1.1 pipelining: all sent at once, answered in
    /// order): one remote command and one SSH channel instead of one per request.
    /// With Connection::KeepOpen the command stays up after the answers: send() more requests
    /// over it (answered() reports each answer) until close() or the command's deadline.
    enum class Connection { Close, KeepOpen };
    SshHttpCall(SshPool *pool, const SshConnectOptions &options, const SshAuth &auth,
                const QString &command, const QList<HttpRequest> &requests, SshExecOptions exec,
                QObject *parent = nullptr, Connection connection = Connection::Close);
    ~SshHttpCall() override;
    Q_DISABLE_COPY_MOVE(SshHttpCall)

    /// The pool task carrying the exchange (cancelling it cancels the call).
    SshPoolTask *task() const { return m_task; }
    void cancel();
    /// KeepOpen: pipelines more requests on the connection (no-op once finished or closed).
    void send(const QList<HttpRequest> &requests);
    /// KeepOpen: ends stdin, so the command ends once the engine answered what was sent.
    void close();

    bool isFinished() const { return m_finished; }
    /// Complete when the engine answered (whatever its status); the first request's answer.
    const HttpResponse &response() const
    {
        return m_responses.isEmpty() ? m_parser.response() : m_responses.first();
    }
    /// The answer to each request, in order (incomplete ones for requests not answered).
    QList<HttpResponse> responses() const;
    /// Why there is no complete response ("" when there is one).
    QString responseError() const { return m_parser.errorString(); }
    /// The command's stderr (at most 64 KiB), e.g. "Cannot connect to the Docker daemon".
    QByteArray stderrText() const { return m_stderr; }

Q_SIGNALS:
    /// exitStatus -1: the command did not run to completion (see error).
    void finished(int exitStatus, const Hivelab::SshErrorInfo &error);
    /// KeepOpen: one complete answer, in the order of the requests.
    void answered(const Hivelab::HttpResponse &response);

private:
    void onStdout(const QByteArray &chunk);
    void onFinished(int exitStatus, const SshErrorInfo &error);

    QPointer<SshPoolTask> m_task;
    HttpResponseParser m_parser;     // the answer being read
    QList<HttpResponse> m_responses; // complete answers so far
    qsizetype m_expected = 1;
    QByteArray m_stderr;
    bool m_finished = false;
    bool m_keepOpen = false;
};

} // namespace Hivelab
