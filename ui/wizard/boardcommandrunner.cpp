// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcommandrunner.h"

#include "sshcommand.h"
#include "sshsession.h"

namespace Hivelab {

BoardCommandRunner::BoardCommandRunner(QObject *parent)
    : QObject(parent)
{}

BoardCommandRunner::~BoardCommandRunner()
{
    for (const QPointer<SshSession> &s : std::as_const(m_active)) {
        if (s) {
            s->disconnect(this);
            s->cancel();
        }
    }
}

void BoardCommandRunner::start(const QList<Target> &targets, const QString &command,
                               int maxParallel, int commandTimeoutMs)
{
    if (m_running)
        return;
    m_queue = targets;
    m_command = command;
    m_maxParallel = qMax(1, maxParallel);
    m_timeoutMs = commandTimeoutMs;
    m_cancelled = false;
    m_running = true;
    if (m_queue.isEmpty()) {
        m_running = false;
        Q_EMIT finished(false);
        return;
    }
    startNext();
}

void BoardCommandRunner::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    const QList<Target> waiting = m_queue;
    m_queue.clear();
    for (const Target &t : waiting) {
        Result r;
        r.error.code = SshError::Cancelled;
        r.error.message = tr("Cancelled before it started.");
        Q_EMIT boardFinished(t.boardId, r);
    }
    // Sessions answer cancel() with failed(Cancelled), which finishes their boards.
    const auto active = m_active;
    for (const QPointer<SshSession> &s : active) {
        if (s)
            s->cancel();
    }
    if (m_active.isEmpty()) {
        m_running = false;
        Q_EMIT finished(true);
    }
}

void BoardCommandRunner::startNext()
{
    while (!m_cancelled && !m_queue.isEmpty() && m_active.size() < m_maxParallel) {
        const Target target = m_queue.takeFirst();
        auto *session = new SshSession(this);
        m_active.insert(target.boardId, session);
        const QString boardId = target.boardId;
        Q_EMIT boardStarted(boardId);

        connect(session, &SshSession::failed, this,
                [this, session, boardId](const SshErrorInfo &error) {
                    if (!m_active.contains(boardId))
                        return;
                    Result r;
                    r.error = error;
                    r.banner = session->serverBanner();
                    r.fingerprint = error.fingerprint.isEmpty() ? session->hostKeyFingerprint()
                                                                : error.fingerprint;
                    finishBoard(boardId, r);
                });
        connect(session, &SshSession::connected, this, [this, session, boardId]() {
            if (m_command.isEmpty()) {
                Result r;
                r.ok = true;
                r.banner = session->serverBanner();
                r.fingerprint = session->hostKeyFingerprint();
                finishBoard(boardId, r);
                return;
            }
            SshExecOptions opts;
            opts.timeoutMs = m_timeoutMs;
            opts.closeStdin = true;
            SshCommand *cmd = session->exec(m_command, opts);
            auto out = std::make_shared<QByteArray>();
            auto err = std::make_shared<QByteArray>();
            connect(cmd, &SshCommand::stdoutData, this,
                    [out](const QByteArray &chunk) { out->append(chunk.left(65536)); });
            connect(cmd, &SshCommand::stderrData, this,
                    [err](const QByteArray &chunk) { err->append(chunk.left(65536)); });
            connect(cmd, &SshCommand::finished, this,
                    [this, session, boardId, out, err](int status, const QString &,
                                                       const SshErrorInfo &error) {
                        if (!m_active.contains(boardId))
                            return;
                        Result r;
                        r.exitStatus = status;
                        r.error = error;
                        r.ok = !error.isError() && status == 0;
                        r.output = QString::fromUtf8(*out).trimmed();
                        r.errorOutput = QString::fromUtf8(*err).trimmed();
                        r.banner = session->serverBanner();
                        r.fingerprint = session->hostKeyFingerprint();
                        finishBoard(boardId, r);
                    });
        });
        session->connectToHost(target.options, target.auth);
    }
}

void BoardCommandRunner::finishBoard(const QString &boardId, const Result &result)
{
    QPointer<SshSession> session = m_active.take(boardId);
    if (session) {
        session->disconnect(this);
        session->close();
        session->deleteLater();
    }
    Q_EMIT boardFinished(boardId, result);
    if (!m_cancelled)
        startNext();
    if (m_active.isEmpty() && (m_queue.isEmpty() || m_cancelled) && m_running) {
        m_running = false;
        Q_EMIT finished(m_cancelled);
    }
}

} // namespace Hivelab
