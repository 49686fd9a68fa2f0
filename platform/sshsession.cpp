// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshsession.h"

#include "knownhosts.h"
#include "sshcommand.h"
#include "sshworker.h"

#include <QCoreApplication>

#include <libssh2.h>

#include <mutex>

namespace Hivelab {

SshSession::SshSession(QObject *parent)
    : QObject(parent)
    , m_wake(std::make_shared<SshWake>())
{
    static std::once_flag once;
    std::call_once(once, []() {
        libssh2_init(0);
        qRegisterMetaType<Hivelab::SshErrorInfo>();
    });
}

bool SshSession::waitForWorkers(int msecs)
{
    return SshWorker::waitForAll(msecs);
}

SshSession::~SshSession()
{
    // Never joins the worker: it may sit in getaddrinfo() or agent auth for seconds. It stops
    // posting here and deletes itself once its thread ends.
    if (m_worker)
        m_worker.release()->abandon(m_state == State::Ready);
}

void SshSession::connectToHost(const SshConnectOptions &options, const SshAuth &auth)
{
    if (m_worker)
        return;
    m_options = options;
    if (m_options.knownHostsPath.isEmpty())
        m_options.knownHostsPath = KnownHosts::defaultPath();
    m_user = auth.user;
    m_worker = std::make_unique<SshWorker>(this, m_options, auth, m_wake);
    for (const auto &state : std::as_const(m_pending))
        m_worker->enqueue(state);
    m_pending.clear();
    m_worker->start();
}

SshCommand *SshSession::exec(const QString &command, const SshExecOptions &options)
{
    auto state = std::make_shared<SshCommandState>();
    state->command = command.toUtf8();
    state->options = options;
    state->stdinBuffer = options.stdinData;
    state->stdinEof = options.closeStdin;
    state->wake = m_wake;
    auto *job = new SshCommand(state, this);
    if (m_state == State::Failed || m_state == State::Closed) {
        SshErrorInfo error = m_error;
        if (!error.isError()) {
            error.code = SshError::Disconnected;
            error.message = tr("The session is closed.");
        }
        QMetaObject::invokeMethod(
            job, [job, error]() { job->deliverFinished(-1, QString(), error); },
            Qt::QueuedConnection);
        return job;
    }
    if (m_worker) {
        m_worker->enqueue(state);
    } else {
        m_pending.push_back(state);
    }
    return job;
}

QString SshSession::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString SshSession::asRootCommand(const QString &command)
{
    // The first stdin line is always the password (possibly empty) and is always consumed, so
    // the command's own stdin starts after it whichever branch runs: by `read` (a builtin: the
    // password never appears in an argv or in the command text) when no password is needed,
    // else by `sudo -S` itself, which reads its password one byte at a time up to the newline
    // (-k: even when a cached ticket would let it skip the prompt and leave the line unread).
    // sudo then hands the channel's stdin straight to the command: no pipe in between that
    // would keep the command's end waiting for the channel's EOF.
    const QString quoted = shellQuote(command);
    const QString script =
        QStringLiteral("if [ \"$(id -u)\" = 0 ]; then IFS= read -r hl_pw; unset hl_pw; "
                       "exec sh -c %1; "
                       "elif sudo -n true 2>/dev/null; then IFS= read -r hl_pw; unset hl_pw; "
                       "exec sudo -n sh -c %1; "
                       "else exec sudo -k -S -p '' sh -c %1; fi")
            .arg(quoted);
    return QStringLiteral("sh -c %1").arg(shellQuote(script));
}

SshCommand *SshSession::execAsRoot(const QString &command, const QString &sudoPassword,
                                   const SshExecOptions &options)
{
    SshExecOptions opts = options;
    opts.stdinData = sudoPassword.toUtf8() + '\n' + options.stdinData;
    return exec(asRootCommand(command), opts);
}

void SshSession::cancel()
{
    if (m_worker)
        m_worker->requestCancel();
    else
        onWorkerFailed(SshErrorInfo{SshError::Cancelled, tr("Cancelled."), {}, {}, {}, {}, {}, 0});
}

void SshSession::close()
{
    if (m_worker)
        m_worker->requestStop();
}

void SshSession::setState(State state)
{
    if (m_state == state || m_state == State::Failed || m_state == State::Closed)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SshSession::onWorkerConnected(const QString &banner, const QString &fingerprint)
{
    m_banner = banner;
    m_fingerprint = fingerprint;
    setState(State::Ready);
    Q_EMIT connected();
}

void SshSession::onWorkerFailed(const SshErrorInfo &error)
{
    m_error = error;
    if (!error.fingerprint.isEmpty())
        m_fingerprint = error.fingerprint;
    // Commands created before connectToHost() never reached a worker.
    for (const auto &state : std::as_const(m_pending)) {
        QMutexLocker lock(&state->mutex);
        if (SshCommand *job = state->receiver)
            QMetaObject::invokeMethod(
                job, [job, error]() { job->deliverFinished(-1, QString(), error); },
                Qt::QueuedConnection);
    }
    m_pending.clear();
    setState(State::Failed);
    Q_EMIT failed(error);
}

void SshSession::onWorkerClosed()
{
    setState(State::Closed);
    Q_EMIT closed();
}

} // namespace Hivelab
