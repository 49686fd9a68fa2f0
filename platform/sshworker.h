// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to the SSH layer: the thread that owns one libssh2 session. Not public API.

#include "ssherror.h"
#include "sshoptions.h"

#include <QByteArray>
#include <QMutex>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

struct _LIBSSH2_SESSION;
struct _LIBSSH2_CHANNEL;

namespace Hivelab {

class SshCommand;
class SshSession;

/// Wakes the worker's poll() from any thread (an eventfd).
class SshWake
{
public:
    SshWake();
    ~SshWake();
    Q_DISABLE_COPY_MOVE(SshWake)
    void signal();
    void drain();
    int fd() const { return m_fd; }

private:
    int m_fd = -1;
};

/// State shared by an SshCommand (owner thread) and the worker; guarded by mutex except atomics.
struct SshCommandState
{
    QByteArray command;
    SshExecOptions options;
    std::shared_ptr<SshWake> wake;

    QMutex mutex;
    SshCommand *receiver = nullptr; // null once the job object is gone
    QByteArray stdinBuffer;
    bool stdinEof = false;
    bool cancelRequested = false;

    // Bytes posted to the owner thread but not yet delivered: the worker stops reading the
    // channel above a limit, so the SSH window throttles the server and memory stays bounded.
    std::atomic<qint64> inFlight{0};
    std::atomic<bool> throttled{false};
};

/// One libssh2 session in non-blocking mode, driven by poll() on its own thread.
class SshWorker : public QThread
{
public:
    SshWorker(SshSession *owner, const SshConnectOptions &options, const SshAuth &auth,
              std::shared_ptr<SshWake> wake);
    ~SshWorker() override;
    Q_DISABLE_COPY_MOVE(SshWorker)

    std::shared_ptr<SshWake> wake() const { return m_wake; }
    /// Waits up to `msecs` until every worker's thread has ended (abandoned ones included); see
    /// SshSession::waitForWorkers().
    static bool waitForAll(int msecs);
    void enqueue(const std::shared_ptr<SshCommandState> &command);
    /// Graceful: running commands end as Cancelled, then the session is closed.
    void requestStop();
    /// Abort whatever stage we are in (connect, handshake, auth) with SshError::Cancelled.
    void requestCancel();
    /// Owner thread, from ~SshSession: stops posting to the owner, ends the session (closed
    /// with a disconnect message when `connected`, else cancelled) and lets the thread finish on
    /// its own (it may sit in getaddrinfo() or a blocking agent call); the worker object deletes
    /// itself on its thread's finished(). Never waits.
    void abandon(bool connected);

    static constexpr qint64 kMaxInFlight = 4 * 1024 * 1024;

protected:
    void run() override;

private:
    struct Channel;
    enum class Step { Idle, Progress, Blocked, Pinned };
    // The libssh2 call a channel must repeat before any other (Channel::stuckOp).
    enum class ChannelOp { None, Write, Eof, ReadOut, ReadErr };

    bool connectSocket();
    /// The app's known_hosts first, then the read-only ones.
    QStringList knownHostsFiles() const;
    bool handshake();
    bool verifyHostKey();
    bool authenticate();
    bool authAgent(QStringList *notes, bool *rsaRejected);
    bool authKeyFile(const QString &file, QStringList *notes, bool *rsaRejected, bool *fileError);
    bool authPassword(QStringList *notes);
    bool authKeyboardInteractive(QStringList *notes);
    void serveCommands();
    // One call per poll round and channel; each phase of a channel's life has its own step.
    Step stepChannel(Channel &c);
    bool abortIfCancelledOrLate(Channel &c);
    Step openChannel(Channel &c);
    Step sendEnvironment(Channel &c);
    Step requestPty(Channel &c);
    Step startCommand(Channel &c);
    Step stepRunning(Channel &c);
    // Running: a Step when the round for this channel ends here, nullopt to go on.
    std::optional<Step> writeStdin(Channel &c, bool *progress);
    std::optional<Step> sendStdinEof(Channel &c, bool *progress);
    Step readStreams(Channel &c, bool *progress);
    Step closeChannel(Channel &c);
    Step waitChannelClosed(Channel &c);
    Step reapZombie(Channel &c);
    // Dropbear (see serveCommands()): until when new channels wait because the remote process
    // of `c` is about to exit (0: they need not wait for it).
    qint64 holdOpensUntil(Channel &c, qint64 now);
    // Whether a channel other than `c` waits for the server to start its command.
    bool otherChannelStarting(const Channel &c) const;
    // What a libssh2 call that did not complete means for the channel: wait for the socket
    // (Blocked, or Pinned when a half-sent packet must be retried first), a dead session
    // (Idle; serveCommands() reports it) or a refused request (the channel fails).
    Step blocked(Channel &c, ChannelOp op);
    Step sessionDead(const Channel &c, int rc);
    Step failChannel(Channel &c, SshError code, const QString &message);
    Step requestFailed(Channel &c, int rc, const char *refused);
    // Moves the next chunk of queued stdin to pendingWrite; c.state->mutex is held.
    static void takeStdinChunk(Channel &c);
    void finishChannel(Channel &c, const SshErrorInfo &error);
    // What a channel was doing, for error messages ("starting \"uptime\"").
    QString phaseDescription(const Channel &c) const;
    void failAll(const SshErrorInfo &error);
    void teardown();

    // Waits for the socket (libssh2's blocked direction) or a wake-up, until deadline.
    // Returns false with m_error set on timeout or cancel.
    bool waitSocket(qint64 deadlineMs, const QString &timeoutMessage);
    bool stopOrCancel() const { return m_cancel.load() || m_stop.load(); }
    void setError(SshError code, const QString &message);
    // A fatal libssh2 result while `during` happened: Timeout when the server stopped
    // answering (LIBSSH2_ERROR_TIMEOUT), else Disconnected.
    void setFatalError(int rc, const QString &during);
    int replyTimeoutSeconds() const;
    QString lastLibError() const;
    bool rsaSha1Only() const;

    // Queues `call` on the owner's thread while there is an owner (see abandon()).
    template<typename F>
    void postToOwner(F call);
    void postState(int state);
    void postConnected();
    void postFailed();
    void postClosed();

    friend struct KbdIntContext;

    QMutex m_ownerMutex;
    SshSession *m_owner; // null once abandoned; guarded by m_ownerMutex
    SshConnectOptions m_options;
    SshAuth m_auth;
    std::shared_ptr<SshWake> m_wake;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_cancel{false};

    QMutex m_queueMutex;
    std::vector<std::shared_ptr<SshCommandState>> m_queue;
    // Set by failAll(): a command enqueued afterwards (the owner has not seen the failure yet)
    // fails at once instead of waiting in a queue nobody serves.
    bool m_queueClosed = false;
    SshErrorInfo m_queueError;

    int m_socket = -1;
    _LIBSSH2_SESSION *m_session = nullptr;
    SshErrorInfo m_error;
    QString m_banner;
    bool m_dropbear = false; // the server's banner names Dropbear
    QString m_fingerprint;
    QStringList m_offered;
    QStringList m_tried;
    std::vector<std::unique_ptr<Channel>> m_channels;
    Channel *m_pinned = nullptr;
    int m_fatalRc = 0;
    QString m_fatalDuring; // phaseDescription() of the channel that hit m_fatalRc
};

} // namespace Hivelab
