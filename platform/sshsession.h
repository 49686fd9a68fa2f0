// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"
#include "sshoptions.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace Hivelab {

class SshCommand;
class SshWorker;
struct SshCommandState;
class SshWake;

/// One SSH connection (libssh2 on a worker thread of its own). Async: every call returns at once
/// and reports through signals on the thread that owns this object (normally the GUI thread).
/// Commands passed to exec() before the session is up are queued and start once it is.
class SshSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Authenticating, Ready, Failed, Closed };
    Q_ENUM(State)

    explicit SshSession(QObject *parent = nullptr);
    ~SshSession() override;
    Q_DISABLE_COPY_MOVE(SshSession)

    /// Async. Connects, checks the host key against known_hosts and authenticates.
    /// Emits connected() or failed(). Call once per object.
    void connectToHost(const SshConnectOptions &options, const SshAuth &auth);

    /// Async. Starts `command` through the login shell; the job object is a child of this
    /// session and reports finished() exactly once (also when the session fails).
    SshCommand *exec(const QString &command, const SshExecOptions &options = {});

    /// Async. Runs `command` as root: directly when logged in as root, `sudo -n` when sudo needs
    /// no password, else `sudo -S` fed with sudoPassword over stdin (never on a command line).
    /// Stdin of the command itself still works after the password line.
    SshCommand *execAsRoot(const QString &command, const QString &sudoPassword,
                           const SshExecOptions &options = {});
    /// The remote command execAsRoot() runs: its stdin must start with one line holding the sudo
    /// password (possibly empty; always consumed), then the command's own stdin. For callers
    /// that exec through something else (SshPool).
    static QString asRootCommand(const QString &command);
    /// For command-line tools before they return from main(): waits up to `msecs` until every
    /// SSH worker thread has ended (QThread::wait(), with libcrypto's per-thread state already
    /// freed), abandoned ones included (they were cancelled and close their connections). A
    /// process that exits while one still runs tears libcrypto and Qt down under it (OpenSSL's
    /// exit handler, static destructors), which can corrupt the heap. Call it on the thread that
    /// owns the sessions, never on a GUI thread.
    static bool waitForWorkers(int msecs);

    /// Async, any stage: aborts connecting/auth and every command (finished with Cancelled).
    void cancel();
    /// Async: ends commands (Cancelled) and closes the connection; emits closed().
    void close();

    State state() const { return m_state; }
    SshErrorInfo lastError() const { return m_error; }
    QString host() const { return m_options.host; }
    quint16 port() const { return m_options.port; }
    QString user() const { return m_user; }
    /// Server identification line, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2".
    QString serverBanner() const { return m_banner; }
    /// "SHA256:…" of the server's host key (once the handshake is done).
    QString hostKeyFingerprint() const { return m_fingerprint; }

    /// Quotes text for a POSIX shell: 'it'\''s'.
    static QString shellQuote(const QString &text);

Q_SIGNALS:
    void stateChanged(Hivelab::SshSession::State state);
    void connected();
    void failed(const Hivelab::SshErrorInfo &error);
    void closed();

private:
    friend class SshWorker;
    void setState(State state);
    void onWorkerConnected(const QString &banner, const QString &fingerprint);
    void onWorkerFailed(const SshErrorInfo &error);
    void onWorkerClosed();

    SshConnectOptions m_options;
    QString m_user;
    State m_state = State::Idle;
    SshErrorInfo m_error;
    QString m_banner;
    QString m_fingerprint;
    std::shared_ptr<SshWake> m_wake;
    std::unique_ptr<SshWorker> m_worker;
    std::vector<std::shared_ptr<SshCommandState>> m_pending; // exec() before connectToHost()
};

} // namespace Hivelab
