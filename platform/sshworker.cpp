// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshworker.h"

#include <QDeadlineTimer>
#include <QMutex>

#include "knownhosts.h"
#include "sshcommand.h"
#include "sshsession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <libssh2.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Hivelab {

Q_LOGGING_CATEGORY(lcSsh, "hivelab.ssh", QtWarningMsg)

namespace {

QString msg(const char *text)
{
    return QCoreApplication::translate("Ssh", text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 deadlineAfter(int ms)
{
    return ms > 0 ? nowMs() + ms : 0;
}

bool isFatal(int rc)
{
    switch (rc) {
    case LIBSSH2_ERROR_SOCKET_NONE:
    case LIBSSH2_ERROR_SOCKET_SEND:
    case LIBSSH2_ERROR_SOCKET_RECV:
    case LIBSSH2_ERROR_SOCKET_DISCONNECT:
    case LIBSSH2_ERROR_SOCKET_TIMEOUT:
    case LIBSSH2_ERROR_TIMEOUT:
    case LIBSSH2_ERROR_DECRYPT:
    case LIBSSH2_ERROR_INVALID_MAC:
    case LIBSSH2_ERROR_KEX_FAILURE:
    case LIBSSH2_ERROR_BAD_USE:
    case LIBSSH2_ERROR_ALLOC:
    case LIBSSH2_ERROR_PROTO:
    case LIBSSH2_ERROR_BAD_SOCKET:
        return true;
    default:
        return false;
    }
}

// What libssh2 returns when the server sent no answer in time (its read timeout, or the
// timeout of a blocking call).
bool isTimeout(int rc)
{
    return rc == LIBSSH2_ERROR_TIMEOUT || rc == LIBSSH2_ERROR_SOCKET_TIMEOUT;
}

quint32 readU32(const QByteArray &data, int *pos, bool *ok)
{
    if (*pos + 4 > data.size()) {
        *ok = false;
        return 0;
    }
    const auto *d = reinterpret_cast<const uchar *>(data.constData() + *pos);
    *pos += 4;
    return (quint32(d[0]) << 24) | (quint32(d[1]) << 16) | (quint32(d[2]) << 8) | d[3];
}

QByteArray readString(const QByteArray &data, int *pos, bool *ok)
{
    const quint32 len = readU32(data, pos, ok);
    if (!*ok || len > quint32(data.size() - *pos)) {
        *ok = false;
        return QByteArray();
    }
    const QByteArray out = data.mid(*pos, int(len));
    *pos += int(len);
    return out;
}

} // namespace

/// Key algorithm of a private key file without decrypting it ("ssh-rsa", "ssh-ed25519", …):
/// OpenSSH's format keeps the public key in clear, PEM names the type in its header.
QString identityKeyType(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QString();
    const QByteArray text = file.read(64 * 1024);
    if (text.contains("BEGIN RSA PRIVATE KEY"))
        return QStringLiteral("ssh-rsa");
    if (text.contains("BEGIN EC PRIVATE KEY"))
        return QStringLiteral("ecdsa-sha2");
    if (text.contains("BEGIN DSA PRIVATE KEY"))
        return QStringLiteral("ssh-dss");
    const QByteArray begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    const int start = text.indexOf(begin);
    const int end = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
    if (start < 0 || end < start)
        return QString();
    const QByteArray blob = QByteArray::fromBase64(
        text.mid(start + begin.size(), end - start - begin.size()).simplified().replace(' ', ""));
    const QByteArray magic("openssh-key-v1\0", 15);
    if (!blob.startsWith(magic))
        return QString();
    int pos = magic.size();
    bool ok = true;
    readString(blob, &pos, &ok); // cipher
    readString(blob, &pos, &ok); // kdf
    readString(blob, &pos, &ok); // kdf options
    readU32(blob, &pos, &ok);    // number of keys
    const QByteArray pub = readString(blob, &pos, &ok);
    return ok ? KnownHosts::keyType(pub) : QString();
}

// ---- SshWake ---------------------------------------------------------------------------------

SshWake::SshWake()
    : m_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{}

SshWake::~SshWake()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void SshWake::signal()
{
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_fd, &one, sizeof one);
}

void SshWake::drain()
{
    quint64 value = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_fd, &value, sizeof value);
}

// ---- channel bookkeeping ---------------------------------------------------------------------

struct SshWorker::Channel
{
    enum class Phase { Queued, Opening, Env, Pty, Exec, Running, Closing, WaitClosed, Zombie };
    using Op = ChannelOp;

    std::shared_ptr<SshCommandState> state;
    LIBSSH2_CHANNEL *channel = nullptr;
    Phase phase = Phase::Queued;
    Op stuckOp = Op::None;
    int envIndex = 0;
    bool eofSent = false;
    bool outEof = false;
    bool errEof = false;
    bool finished = false; // finished() posted
    QByteArray pendingWrite;
    qint64 deadline = 0;
    qint64 zombieSince = 0; // when an unfinished channel was abandoned (cancel/timeout)
    qint64 exitSince = 0;   // when its remote process was first seen about to exit
};

// ---- SshWorker -------------------------------------------------------------------------------

namespace {

// Every SshWorker object, for SshSession::waitForWorkers(): created and deleted on the owner's
// thread (abandoned ones on their thread's finished()), never on a worker thread.
struct LiveWorkers
{
    QMutex mutex;
    std::vector<SshWorker *> workers;
};

LiveWorkers &liveWorkers()
{
    static LiveWorkers live;
    return live;
}

} // namespace

SshWorker::SshWorker(SshSession *owner, const SshConnectOptions &options, const SshAuth &auth,
                     std::shared_ptr<SshWake> wake)
    : m_owner(owner)
    , m_options(options)
    , m_auth(auth)
    , m_wake(std::move(wake))
{
    QMutexLocker lock(&liveWorkers().mutex);
    liveWorkers().workers.push_back(this);
}

SshWorker::~SshWorker()
{
    requestCancel();
    wait();
    // Not before its thread ended: waitForAll() holds this lock while it waits for the thread,
    // so the object stays whole until then.
    QMutexLocker lock(&liveWorkers().mutex);
    std::vector<SshWorker *> &all = liveWorkers().workers;
    all.erase(std::remove(all.begin(), all.end(), this), all.end());
}

void SshWorker::enqueue(const std::shared_ptr<SshCommandState> &command)
{
    SshErrorInfo failed;
    {
        QMutexLocker lock(&m_queueMutex);
        if (m_queueClosed)
            failed = m_queueError;
        else
            m_queue.push_back(command);
    }
    if (failed.isError()) {
        QMutexLocker lock(&command->mutex);
        if (SshCommand *cmd = command->receiver) {
            QMetaObject::invokeMethod(
                cmd, [cmd, failed]() { cmd->deliverFinished(-1, QString(), failed); },
                Qt::QueuedConnection);
        }
        return;
    }
    m_wake->signal();
}

void SshWorker::requestStop()
{
    m_stop = true;
    m_wake->signal();
}

void SshWorker::requestCancel()
{
    m_cancel = true;
    m_wake->signal();
}

void SshWorker::setError(SshError code, const QString &message)
{
    m_error.code = code;
    m_error.message = message;
}

QString SshWorker::lastLibError() const
{
    char *msg = nullptr;
    int len = 0;
    if (!m_session)
        return QString();
    libssh2_session_last_error(m_session, &msg, &len, 0);
    return QString::fromUtf8(msg, len);
}

void SshWorker::setFatalError(int rc, const QString &during)
{
    const QString where = QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    if (isTimeout(rc)) {
        setError(SshError::Timeout,
                 msg("%1 stopped answering: no reply within %2 s while %3. The board may be "
                     "overloaded, hung or off the network.")
                     .arg(where)
                     .arg(replyTimeoutSeconds())
                     .arg(during));
        return;
    }
    setError(SshError::Disconnected,
             msg("Connection to %1 lost while %2: %3").arg(where, during, lastLibError()));
}

int SshWorker::replyTimeoutSeconds() const
{
#if LIBSSH2_VERSION_NUM >= 0x010b00
    if (m_session)
        return int(libssh2_session_get_read_timeout(m_session));
#endif
    return 60; // LIBSSH2_READ_TIMEOUT of libssh2 1.10
}

bool SshWorker::rsaSha1Only() const
{
    // rsa-sha2-256/512 user-key signatures arrived in libssh2 1.11.0.
    return libssh2_version(0x010b00) == nullptr;
}

template<typename F>
void SshWorker::postToOwner(F call)
{
    // Posting under the lock: once abandon() has cleared the owner, nothing new is queued,
    // and the owner's destructor drops what is already queued for it.
    QMutexLocker lock(&m_ownerMutex);
    if (SshSession *owner = m_owner)
        QMetaObject::invokeMethod(owner, [owner, call]() { call(owner); }, Qt::QueuedConnection);
}

void SshWorker::abandon(bool connected)
{
    {
        QMutexLocker lock(&m_ownerMutex);
        m_owner = nullptr;
    }
    // A session that is up says goodbye (SSH_MSG_DISCONNECT, then the socket closes): the
    // server ends its side at once and logs a normal disconnect, not a lost connection. Ending
    // its commands costs no more than cancelling them.
    if (connected)
        requestStop();
    else
        requestCancel();
    connect(this, &QThread::finished, this, &QObject::deleteLater);
    // Already done before the connection existed: deleteLater() twice is harmless.
    if (isFinished())
        deleteLater();
}

void SshWorker::postState(int state)
{
    postToOwner([state](SshSession *owner) { owner->setState(SshSession::State(state)); });
}

void SshWorker::postConnected()
{
    postToOwner([banner = m_banner, fingerprint = m_fingerprint](SshSession *owner) {
        owner->onWorkerConnected(banner, fingerprint);
    });
}

void SshWorker::postFailed()
{
    postToOwner([error = m_error](SshSession *owner) { owner->onWorkerFailed(error); });
}

void SshWorker::postClosed()
{
    postToOwner([](SshSession *owner) { owner->onWorkerClosed(); });
}

bool SshWorker::waitForAll(int msecs)
{
    // QThread::wait(), not only the end of run(): after run() the thread still emits finished()
    // (posting to the owner's thread) and deletes its event dispatcher, and a process that
    // exits meanwhile destroys what that code uses. Abandoned workers are waited for as well;
    // they delete themselves on the owner's thread, so none can go while the lock is held.
    const QDeadlineTimer deadline(msecs);
    QMutexLocker lock(&liveWorkers().mutex);
    for (SshWorker *worker : std::as_const(liveWorkers().workers)) {
        if (!worker->wait(deadline))
            return false;
    }
    return true;
}

void SshWorker::run()
{
    // libcrypto keeps state per thread (the DRBGs libssh2's key exchange and padding draw from,
    // the error queue) and frees it from a destructor of the thread's exit, after run() and
    // after QThread::wait() returns. A process that exits then runs OPENSSL_cleanup() (atexit)
    // under that destructor: use after free, seen as a crash after a command's last line. Freed
    // here instead, on every way out of run(); nothing in this thread uses libcrypto after.
    struct CryptoThreadStop
    {
        CryptoThreadStop() = default;
        Q_DISABLE_COPY_MOVE(CryptoThreadStop)
        ~CryptoThreadStop() { OPENSSL_thread_stop(); }
    } cryptoThreadStop;
    postState(int(SshSession::State::Connecting));
    bool ok = connectSocket() && handshake() && verifyHostKey();
    if (ok) {
        postState(int(SshSession::State::Authenticating));
        ok = authenticate();
    }
    if (!ok) {
        if (m_cancel.load() && m_error.code != SshError::HostKeyMismatch)
            setError(SshError::Cancelled, msg("Cancelled."));
        // Session state first, so whoever sees a command fail also sees the session failed.
        postFailed();
        failAll(m_error);
        teardown();
        return;
    }
    postConnected();
    serveCommands();
    if (m_error.isError()) {
        postFailed();
        failAll(m_error);
    }
    teardown();
    if (!m_error.isError())
        postClosed();
}

bool SshWorker::waitSocket(qint64 deadlineMs, const QString &timeoutMessage)
{
    if (stopOrCancel())
        return false;
    const int dir = m_session ? libssh2_session_block_directions(m_session) : 0;
    pollfd fds[2] = {};
    fds[0].fd = m_socket;
    fds[0].events = short(((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? POLLOUT : 0) |
                          ((dir & LIBSSH2_SESSION_BLOCK_INBOUND) || !dir ? POLLIN : 0));
    fds[1].fd = m_wake->fd();
    fds[1].events = POLLIN;
    int timeout = -1;
    if (deadlineMs > 0) {
        timeout = int(qMax<qint64>(0, deadlineMs - nowMs()));
        if (timeout == 0) {
            setError(SshError::Timeout, timeoutMessage);
            return false;
        }
    }
    const int n = ::poll(fds, 2, timeout);
    if (fds[1].revents)
        m_wake->drain();
    if (stopOrCancel())
        return false;
    if (n == 0 && deadlineMs > 0 && nowMs() >= deadlineMs) {
        setError(SshError::Timeout, timeoutMessage);
        return false;
    }
    return true;
}

bool SshWorker::connectSocket()
{
    addrinfo hints = {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *result = nullptr;
    const QByteArray host = m_options.host.toUtf8();
    const QByteArray port = QByteArray::number(m_options.port);
    const int gai = ::getaddrinfo(host.constData(), port.constData(), &hints, &result);
    if (gai != 0) {
        setError(gai == EAI_NONAME || gai == EAI_NODATA ? SshError::HostNotFound
                                                        : SshError::HostUnreachable,
                 msg("Cannot resolve host %1: %2")
                     .arg(m_options.host, QString::fromLocal8Bit(::gai_strerror(gai))));
        return false;
    }
    const qint64 deadline = deadlineAfter(m_options.connectTimeoutMs);
    const QString where = QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    for (addrinfo *ai = result; ai; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                ai->ai_protocol);
        if (fd < 0)
            continue;
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        int err = rc == 0 ? 0 : errno;
        if (rc != 0 && err == EINPROGRESS) {
            err = ETIMEDOUT;
            while (!stopOrCancel()) {
                pollfd fds[2] = {{fd, POLLOUT, 0}, {m_wake->fd(), POLLIN, 0}};
                const int timeout = deadline ? int(qMax<qint64>(0, deadline - nowMs())) : -1;
                if (timeout == 0)
                    break;
                const int n = ::poll(fds, 2, timeout);
                if (fds[1].revents)
                    m_wake->drain();
                if (n > 0 && fds[0].revents) {
                    socklen_t len = sizeof err;
                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                    break;
                }
            }
        }
        if (err == 0) {
            m_socket = fd;
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
            ::freeaddrinfo(result);
            return true;
        }
        ::close(fd);
        if (stopOrCancel())
            break;
        if (err == ECONNREFUSED) {
            setError(SshError::ConnectionRefused,
                     msg("Connection to %1 refused: nothing listens on that port (is the SSH "
                         "server running?).")
                         .arg(where));
        } else if (err == ETIMEDOUT) {
            setError(SshError::Timeout, msg("Connecting to %1 timed out after %2 ms.")
                                            .arg(where)
                                            .arg(m_options.connectTimeoutMs));
        } else if (err == EHOSTUNREACH || err == ENETUNREACH || err == EHOSTDOWN) {
            setError(SshError::HostUnreachable,
                     msg("Host %1 is unreachable: %2")
                         .arg(where, QString::fromLocal8Bit(::strerror(err))));
        } else {
            setError(SshError::HostUnreachable,
                     msg("Cannot connect to %1: %2")
                         .arg(where, QString::fromLocal8Bit(::strerror(err))));
        }
        if (err == ETIMEDOUT)
            break; // the deadline covers all addresses
    }
    ::freeaddrinfo(result);
    return false;
}

QStringList SshWorker::knownHostsFiles() const
{
    return QStringList{m_options.knownHostsPath} + m_options.readOnlyKnownHostsPaths;
}

bool SshWorker::handshake()
{
    m_session = libssh2_session_init_ex(nullptr, nullptr, nullptr, this);
    if (!m_session) {
        setError(SshError::Internal, msg("libssh2 could not create a session."));
        return false;
    }
    libssh2_session_set_blocking(m_session, 0);

    // Offer the host-key types we already know for this host first, so a server with several
    // keys presents the one on file (what OpenSSH does too).
    const QStringList knownTypes =
        KnownHosts::checkAll(knownHostsFiles(), m_options.host, m_options.port, QByteArray())
            .knownTypes;
    if (!knownTypes.isEmpty()) {
        const char **algs = nullptr;
        const int n = libssh2_session_supported_algs(m_session, LIBSSH2_METHOD_HOSTKEY, &algs);
        QStringList supported;
        for (int i = 0; i < n; ++i)
            supported << QString::fromLatin1(algs[i]);
        if (n > 0)
            libssh2_free(m_session, algs);
        QStringList order;
        for (const QString &t : knownTypes) {
            // An "ssh-rsa" key signs with rsa-sha2-512/256 too (OpenSSH >= 8.8 offers only those).
            const QStringList algs = t == QLatin1String("ssh-rsa")
                                         ? QStringList{QStringLiteral("rsa-sha2-512"),
                                                       QStringLiteral("rsa-sha2-256"), t}
                                         : QStringList{t};
            for (const QString &alg : algs) {
                if (supported.contains(alg) && !order.contains(alg))
                    order << alg;
            }
        }
        for (const QString &t : supported) {
            if (!order.contains(t))
                order << t;
        }
        if (!order.isEmpty())
            libssh2_session_method_pref(m_session, LIBSSH2_METHOD_HOSTKEY,
                                        order.join(QLatin1Char(',')).toLatin1().constData());
    }

    const qint64 deadline = deadlineAfter(m_options.connectTimeoutMs);
    const QString where = QStringLiteral("%1:%2").arg(m_options.host).arg(m_options.port);
    const QString timeoutText =
        msg("%1 accepted the connection but the SSH handshake did not finish within %2 ms (no "
            "SSH server there, or it is overloaded).")
            .arg(where)
            .arg(m_options.connectTimeoutMs);
    int rc;
    while ((rc = libssh2_session_handshake(m_session, m_socket)) == LIBSSH2_ERROR_EAGAIN) {
        if (!waitSocket(deadline, timeoutText))
            return false;
    }
    const char *banner = libssh2_session_banner_get(m_session);
    m_banner = banner ? QString::fromUtf8(banner) : QString();
    m_dropbear = m_banner.contains(QLatin1String("dropbear"), Qt::CaseInsensitive);
    if (rc == 0)
        return true;
    const QString detail = lastLibError();
    if (isTimeout(rc)) {
        setFatalError(rc, msg("exchanging keys"));
    } else if (rc == LIBSSH2_ERROR_BANNER_RECV || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT ||
        rc == LIBSSH2_ERROR_SOCKET_RECV) {
        setError(SshError::ProtocolMismatch,
                 msg("%1 closed the connection or is not an SSH server (%2).").arg(where, detail));
    } else if (rc == LIBSSH2_ERROR_KEX_FAILURE || rc == LIBSSH2_ERROR_METHOD_NOT_SUPPORTED ||
               rc == LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE) {
        setError(SshError::ProtocolMismatch,
                 msg("No common key-exchange, cipher or host-key algorithm with %1 (%2): %3. "
                     "libssh2 %4 lacks some newer algorithms; an RSA-only host key on OpenSSH "
                     "8.8+ needs libssh2 1.11 or an ed25519/ECDSA host key.")
                     .arg(where, m_banner, detail, QString::fromLatin1(libssh2_version(0))));
    } else {
        setError(SshError::ProtocolMismatch,
                 msg("SSH handshake with %1 failed: %2").arg(where, detail));
    }
    return false;
}

bool SshWorker::verifyHostKey()
{
    size_t len = 0;
    int type = 0;
    const char *key = libssh2_session_hostkey(m_session, &len, &type);
    if (!key) {
        setError(SshError::ProtocolMismatch, msg("The server sent no host key."));
        return false;
    }
    const QByteArray blob(key, int(len));
    m_fingerprint = KnownHosts::fingerprintSha256(blob);
    m_error.fingerprint = m_fingerprint;
    m_error.hostKeyType = KnownHosts::keyType(blob);
    const KnownHosts::Check check =
        KnownHosts::checkAll(knownHostsFiles(), m_options.host, m_options.port, blob);
    const QString name = KnownHosts::hostEntryName(m_options.host, m_options.port);
    switch (check.status) {
    case KnownHosts::Status::Known:
        return true;
    case KnownHosts::Status::Changed:
    case KnownHosts::Status::Revoked: {
        m_error.knownHostsFile = check.path;
        m_error.knownHostsLine = check.line;
        // Only keys of other types on file: the server no longer offers the key we know.
        const QString what =
            check.knownTypes.contains(m_error.hostKeyType)
                ? msg("The %1 host key of %2 is now %3, which does not match the key stored in "
                      "%4:%5.")
                      .arg(m_error.hostKeyType, name, m_fingerprint, check.path)
                      .arg(check.line)
                : msg("%2 now presents a %1 host key (%3), but %4:%5 holds a %6 key for it.")
                      .arg(m_error.hostKeyType, name, m_fingerprint, check.path)
                      .arg(check.line)
                      .arg(check.knownTypes.join(QStringLiteral(", ")));
        setError(SshError::HostKeyMismatch,
                 msg("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! %1 Someone could be "
                     "intercepting the connection, or the board was reinstalled. Connection "
                     "refused. If the change is expected, remove line %2 of %3 and connect "
                     "again to trust the new key.")
                     .arg(what, QString::number(check.line), check.path));
        if (check.status == KnownHosts::Status::Revoked)
            m_error.message = msg("The host key %1 of %2 is marked as revoked in %3:%4.")
                                  .arg(m_fingerprint, name, check.path)
                                  .arg(check.line);
        return false;
    }
    case KnownHosts::Status::Unknown:
        break;
    }
    const bool pinnedElsewhere = !m_options.acceptHostKeyFingerprint.isEmpty() &&
                                 m_options.acceptHostKeyFingerprint != m_fingerprint;
    if (!m_options.acceptNewHostKey || pinnedElsewhere) {
        setError(SshError::HostKeyUnknown,
                 msg("The authenticity of host %1 can't be established. %2 key fingerprint is "
                     "%3. Accept this key only if it is the board's.")
                     .arg(name, m_error.hostKeyType, m_fingerprint));
        return false;
    }
    QString error;
    if (!KnownHosts(m_options.knownHostsPath).add(m_options.host, m_options.port, blob, true,
                                                  &error)) {
        setError(SshError::Internal, error);
        return false;
    }
    return true;
}

// libssh2 calls this on the worker thread, inside libssh2_userauth_keyboard_interactive_ex.
struct KbdIntContext
{
    static void respond(const char *, int, const char *, int, int numPrompts,
                        const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
                        LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)
    {
        auto *worker = static_cast<SshWorker *>(*abstract);
        const QByteArray password = worker->m_auth.password.toUtf8();
        for (int i = 0; i < numPrompts; ++i) {
            const QByteArray prompt(reinterpret_cast<const char *>(prompts[i].text),
                                    int(prompts[i].length));
            // Answer password-like prompts only; anything else (OTP, …) gets an empty answer.
            const bool wantsPassword =
                prompt.toLower().contains("password") || (numPrompts == 1 && !prompts[i].echo);
            const QByteArray answer = wantsPassword ? password : QByteArray();
            responses[i].text = static_cast<char *>(std::malloc(size_t(answer.size()) + 1));
            if (responses[i].text) {
                std::memcpy(responses[i].text, answer.constData(), size_t(answer.size()) + 1);
                responses[i].length = unsigned(answer.size());
            } else {
                responses[i].length = 0;
            }
        }
    }
};

bool SshWorker::authenticate()
{
    const qint64 deadline = deadlineAfter(m_options.authTimeoutMs);
    const QByteArray user = m_auth.user.toUtf8();
    const QString timeoutText =
        msg("Authentication did not finish within %1 ms.").arg(m_options.authTimeoutMs);
    char *list = nullptr;
    while (!(list = libssh2_userauth_list(m_session, user.constData(), unsigned(user.size())))) {
        if (libssh2_userauth_authenticated(m_session))
            return true; // "none" was accepted
        if (libssh2_session_last_errno(m_session) != LIBSSH2_ERROR_EAGAIN) {
            setError(SshError::Disconnected,
                     msg("The server closed the connection before authentication: %1")
                         .arg(lastLibError()));
            return false;
        }
        if (!waitSocket(deadline, timeoutText))
            return false;
    }
    m_offered = QString::fromLatin1(list).split(QLatin1Char(','), Qt::SkipEmptyParts);

    QStringList notes;
    bool rsaRejected = false;
    bool fileError = false;
    auto done = [this]() { return libssh2_userauth_authenticated(m_session) != 0; };
    auto over = [this, deadline]() {
        return stopOrCancel() || m_error.code == SshError::Disconnected ||
               m_error.code == SshError::Timeout || (deadline && nowMs() >= deadline);
    };
    if (m_offered.contains(QLatin1String("publickey"))) {
        if (m_auth.useAgent && !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK") && !over() &&
            authAgent(&notes, &rsaRejected))
            return true;
        for (const QString &file : std::as_const(m_auth.identityFiles)) {
            if (over() || done())
                break;
            if (authKeyFile(file, &notes, &rsaRejected, &fileError))
                return true;
        }
    }
    if (!m_auth.password.isEmpty() && m_offered.contains(QLatin1String("password")) && !over() &&
        authPassword(&notes))
        return true;
    if (!m_auth.password.isEmpty() && m_offered.contains(QLatin1String("keyboard-interactive")) &&
        !over() && authKeyboardInteractive(&notes))
        return true;
    if (stopOrCancel())
        return false;
    if (m_error.code == SshError::Timeout || m_error.code == SshError::Disconnected) {
        m_error.offeredMethods = m_offered;
        m_error.triedMethods = m_tried;
        return false;
    }
    if (deadline && nowMs() >= deadline) {
        setError(SshError::Timeout, timeoutText);
        return false;
    }
    m_error.offeredMethods = m_offered;
    m_error.triedMethods = m_tried;
    const QString offered = m_offered.join(QStringLiteral(", "));
    const QString details = notes.isEmpty() ? msg("no credentials to try for these methods")
                                            : notes.join(QStringLiteral("; "));
    if (rsaRejected) {
        setError(SshError::KeyRejectedRsaSha1,
                 msg("%1 rejected the RSA key: OpenSSH 8.8 and later accept RSA signatures only "
                     "with SHA-2 (rsa-sha2-256/512), which libssh2 %2 cannot make. Use an "
                     "ed25519 key (Hivelab can create and install one), or build Hivelab "
                     "against libssh2 1.11 or later. Details: %3")
                     .arg(m_banner, QString::fromLatin1(libssh2_version(0)), details));
    } else if (fileError && m_tried.size() == 1) {
        setError(SshError::KeyFileError, msg("Cannot use the identity file: %1").arg(details));
    } else {
        setError(SshError::AuthFailed,
                 msg("Authentication as %1 failed. The server accepts: %2. Tried: %3.")
                     .arg(m_auth.user, offered, details));
    }
    return false;
}

bool SshWorker::authAgent(QStringList *notes, bool *rsaRejected)
{
    LIBSSH2_AGENT *agent = libssh2_agent_init(m_session);
    if (!agent)
        return false;
    m_tried << QStringLiteral("agent");
    bool ok = false;
    // The agent talks over a local Unix socket; libssh2 1.10 handles it reliably only in
    // blocking mode, so bound it by the auth timeout instead.
    libssh2_session_set_blocking(m_session, 1);
    libssh2_session_set_timeout(m_session, qMax(1000, m_options.authTimeoutMs));
    if (libssh2_agent_connect(agent) != 0 || libssh2_agent_list_identities(agent) != 0) {
        *notes << msg("ssh-agent at $SSH_AUTH_SOCK not usable");
    } else {
        libssh2_agent_publickey *identity = nullptr;
        libssh2_agent_publickey *previous = nullptr;
        int count = 0;
        const QByteArray user = m_auth.user.toUtf8();
        while (!stopOrCancel() && libssh2_agent_get_identity(agent, &identity, previous) == 0) {
            previous = identity;
            ++count;
            const int rc = libssh2_agent_userauth(agent, user.constData(), identity);
            if (rc == 0) {
                ok = true;
                break;
            }
            const QByteArray blob(reinterpret_cast<const char *>(identity->blob),
                                  int(identity->blob_len));
            if (KnownHosts::keyType(blob) == QLatin1String("ssh-rsa") && rsaSha1Only() &&
                m_banner.contains(QLatin1String("OpenSSH")))
                *rsaRejected = true;
            if (isTimeout(rc)) {
                setError(SshError::Timeout,
                         msg("Authentication with ssh-agent did not finish within %1 ms.")
                             .arg(m_options.authTimeoutMs));
                break;
            }
            if (isFatal(rc)) {
                setFatalError(rc, msg("authenticating"));
                break;
            }
        }
        if (!ok)
            *notes << msg("ssh-agent: %1 key(s) rejected").arg(count);
        libssh2_agent_disconnect(agent);
    }
    libssh2_agent_free(agent);
    libssh2_session_set_timeout(m_session, 0);
    libssh2_session_set_blocking(m_session, 0);
    return ok;
}

bool SshWorker::authKeyFile(const QString &file, QStringList *notes, bool *rsaRejected,
                            bool *fileError)
{
    if (!QFile::exists(file))
        return false;
    m_tried << QStringLiteral("publickey");
    const QByteArray user = m_auth.user.toUtf8();
    const QByteArray path = QFile::encodeName(file);
    const QByteArray passphrase = m_auth.passphrase.toUtf8();
    const qint64 deadline = deadlineAfter(m_options.authTimeoutMs);
    int rc;
    while ((rc = libssh2_userauth_publickey_fromfile_ex(
                m_session, user.constData(), unsigned(user.size()), nullptr, path.constData(),
                passphrase.isEmpty() ? nullptr : passphrase.constData())) == LIBSSH2_ERROR_EAGAIN) {
        if (!waitSocket(deadline, msg("Authentication timed out.")))
            return false;
    }
    if (rc == 0)
        return true;
    const QString type = identityKeyType(file);
    if (rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED) {
        *fileError = true;
        *notes
            << (passphrase.isEmpty()
                    ? msg("key %1 could not be loaded (passphrase needed, or unsupported format)")
                          .arg(file)
                    : msg("key %1 could not be loaded (wrong passphrase or unsupported format)")
                          .arg(file));
        return false;
    }
    if (isFatal(rc)) {
        setFatalError(rc, msg("authenticating"));
        return false;
    }
    // OpenSSH >= 8.8 rejects the SHA-1 "ssh-rsa" signature that libssh2 < 1.11 makes.
    static const QRegularExpression version(QStringLiteral("OpenSSH_(\\d+)\\.(\\d+)"));
    const QRegularExpressionMatch m = version.match(m_banner);
    const bool newOpenSsh =
        m.hasMatch() &&
        (m.captured(1).toInt() > 8 || (m.captured(1).toInt() == 8 && m.captured(2).toInt() >= 8));
    if (type == QLatin1String("ssh-rsa") && newOpenSsh && rsaSha1Only())
        *rsaRejected = true;
    *notes << msg("key %1 (%2) rejected").arg(file, type.isEmpty() ? msg("unknown type") : type);
    return false;
}

bool SshWorker::authPassword(QStringList *notes)
{
    m_tried << QStringLiteral("password");
    const QByteArray user = m_auth.user.toUtf8();
    const QByteArray password = m_auth.password.toUtf8();
    const qint64 deadline = deadlineAfter(m_options.authTimeoutMs);
    int rc;
    while ((rc = libssh2_userauth_password_ex(m_session, user.constData(), unsigned(user.size()),
                                              password.constData(), unsigned(password.size()),
                                              nullptr)) == LIBSSH2_ERROR_EAGAIN) {
        if (!waitSocket(deadline, msg("Authentication timed out.")))
            return false;
    }
    if (rc == 0)
        return true;
    if (isFatal(rc)) {
        setFatalError(rc, msg("authenticating"));
        return false;
    }
    *notes << (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED ? msg("password expired")
                                                    : msg("password rejected"));
    return false;
}

bool SshWorker::authKeyboardInteractive(QStringList *notes)
{
    m_tried << QStringLiteral("keyboard-interactive");
    const QByteArray user = m_auth.user.toUtf8();
    const qint64 deadline = deadlineAfter(m_options.authTimeoutMs);
    int rc;
    while ((rc = libssh2_userauth_keyboard_interactive_ex(
                m_session, user.constData(), unsigned(user.size()), &KbdIntContext::respond)) ==
           LIBSSH2_ERROR_EAGAIN) {
        if (!waitSocket(deadline, msg("Authentication timed out.")))
            return false;
    }
    if (rc == 0)
        return true;
    if (isFatal(rc)) {
        setFatalError(rc, msg("authenticating"));
        return false;
    }
    *notes << msg("keyboard-interactive password rejected");
    return false;
}

// ---- command pump ----------------------------------------------------------------------------

QString SshWorker::phaseDescription(const Channel &c) const
{
    const QString command = QString::fromUtf8(c.state->command.left(60));
    switch (c.phase) {
    case Channel::Phase::Queued:
    case Channel::Phase::Opening:
        return msg("opening a channel for \"%1\"").arg(command);
    case Channel::Phase::Env:
        return msg("setting the environment of \"%1\"").arg(command);
    case Channel::Phase::Pty:
        return msg("requesting a terminal for \"%1\"").arg(command);
    case Channel::Phase::Exec:
        return c.state->options.subsystem ? msg("starting the %1 subsystem").arg(command)
                                          : msg("starting \"%1\"").arg(command);
    case Channel::Phase::Running:
        return msg("running \"%1\"").arg(command);
    case Channel::Phase::Closing:
    case Channel::Phase::WaitClosed:
    case Channel::Phase::Zombie:
        return msg("closing the channel of \"%1\"").arg(command);
    }
    return QString();
}

void SshWorker::finishChannel(Channel &c, const SshErrorInfo &error)
{
    if (c.finished)
        return;
    c.finished = true;
    int status = -1;
    QString signal;
    if (!error.isError() && c.channel) {
        status = libssh2_channel_get_exit_status(c.channel);
        char *sig = nullptr;
        size_t sigLen = 0;
        libssh2_channel_get_exit_signal(c.channel, &sig, &sigLen, nullptr, nullptr, nullptr,
                                        nullptr);
        if (sig) {
            signal = QString::fromLatin1(sig, int(sigLen));
            libssh2_free(m_session, sig);
            status = -1;
        }
    }
    QMutexLocker lock(&c.state->mutex);
    if (SshCommand *cmd = c.state->receiver) {
        QMetaObject::invokeMethod(
            cmd, [cmd, status, signal, error]() { cmd->deliverFinished(status, signal, error); },
            Qt::QueuedConnection);
    }
}

void SshWorker::failAll(const SshErrorInfo &error)
{
    std::vector<std::shared_ptr<SshCommandState>> queued;
    {
        QMutexLocker lock(&m_queueMutex);
        queued.swap(m_queue);
        m_queueClosed = true;
        m_queueError = error;
    }
    for (const auto &state : queued) {
        auto c = std::make_unique<Channel>();
        c->state = state;
        m_channels.push_back(std::move(c));
    }
    for (auto &c : m_channels)
        finishChannel(*c, error);
}

SshWorker::Step SshWorker::stepChannel(Channel &c)
{
    // Cancel and deadline apply to every phase before the channel is done.
    if (!c.finished && abortIfCancelledOrLate(c))
        return Step::Progress;

    qCDebug(lcSsh) << "step phase" << int(c.phase) << "stuck" << int(c.stuckOp);
    switch (c.phase) {
    case Channel::Phase::Queued:
        return Step::Idle;
    case Channel::Phase::Opening:
        return openChannel(c);
    case Channel::Phase::Env:
        return sendEnvironment(c);
    case Channel::Phase::Pty:
        return requestPty(c);
    case Channel::Phase::Exec:
        return startCommand(c);
    case Channel::Phase::Running:
        return stepRunning(c);
    case Channel::Phase::Closing:
        return closeChannel(c);
    case Channel::Phase::WaitClosed:
        return waitChannelClosed(c);
    case Channel::Phase::Zombie:
        return reapZombie(c);
    }
    return Step::Idle;
}

SshWorker::Step SshWorker::blocked(Channel &c, ChannelOp op)
{
    if (libssh2_session_block_directions(m_session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
        // libssh2 keeps a half-sent packet and insists on the very same call next.
        c.stuckOp = op;
        return Step::Pinned;
    }
    c.stuckOp = Channel::Op::None;
    return Step::Blocked;
}

SshWorker::Step SshWorker::sessionDead(const Channel &c, int rc)
{
    m_fatalRc = rc;
    m_fatalDuring = phaseDescription(c);
    return Step::Idle;
}

SshWorker::Step SshWorker::failChannel(Channel &c, SshError code, const QString &message)
{
    SshErrorInfo e;
    e.code = code;
    e.message = message;
    finishChannel(c, e);
    c.phase = Channel::Phase::Zombie;
    c.zombieSince = nowMs();
    return Step::Progress;
}

SshWorker::Step SshWorker::requestFailed(Channel &c, int rc, const char *refused)
{
    if (rc == LIBSSH2_ERROR_EAGAIN)
        return blocked(c, Channel::Op::None);
    if (isFatal(rc))
        return sessionDead(c, rc);
    return failChannel(c, SshError::ChannelFailed, msg(refused).arg(lastLibError()));
}

bool SshWorker::abortIfCancelledOrLate(Channel &c)
{
    bool cancel;
    {
        QMutexLocker lock(&c.state->mutex);
        cancel = c.state->cancelRequested || !c.state->receiver;
    }
    const bool late = c.deadline && nowMs() >= c.deadline;
    if (!(cancel || late) || c.stuckOp != Channel::Op::None)
        return false;
#if LIBSSH2_VERSION_NUM >= 0x010b00
    if (c.channel)
        libssh2_channel_signal_ex(c.channel, "TERM", 4);
#endif
    failChannel(
        c, late ? SshError::Timeout : SshError::Cancelled,
        late ? msg("The command did not finish within %1 ms.").arg(c.state->options.timeoutMs)
             : msg("Cancelled."));
    return true;
}

SshWorker::Step SshWorker::openChannel(Channel &c)
{
    c.channel = libssh2_channel_open_session(m_session);
    if (!c.channel)
        return requestFailed(c, libssh2_session_last_errno(m_session),
                             QT_TRANSLATE_NOOP("Ssh", "The server refused a session channel: %1"));
    c.phase = Channel::Phase::Env;
    return Step::Progress;
}

SshWorker::Step SshWorker::sendEnvironment(Channel &c)
{
    const SshExecOptions &opt = c.state->options;
    if (c.envIndex >= opt.environment.size()) {
        c.phase = opt.pty ? Channel::Phase::Pty : Channel::Phase::Exec;
        return Step::Progress;
    }
    const auto &kv = opt.environment.at(c.envIndex);
    const int rc =
        libssh2_channel_setenv_ex(c.channel, kv.first.constData(), unsigned(kv.first.size()),
                                  kv.second.constData(), unsigned(kv.second.size()));
    if (rc == LIBSSH2_ERROR_EAGAIN)
        return blocked(c, Channel::Op::None);
    if (isFatal(rc))
        return sessionDead(c, rc);
    ++c.envIndex; // a refused variable is not fatal (see SshExecOptions::environment)
    return Step::Progress;
}

SshWorker::Step SshWorker::requestPty(Channel &c)
{
    const QByteArray &term = c.state->options.ptyTerm;
    const int rc = libssh2_channel_request_pty_ex(c.channel, term.constData(),
                                                  unsigned(term.size()), nullptr, 0, 80, 24, 0, 0);
    if (rc != 0)
        return requestFailed(c, rc,
                             QT_TRANSLATE_NOOP("Ssh", "The server refused a pseudo-terminal: %1"));
    c.phase = Channel::Phase::Exec;
    return Step::Progress;
}

SshWorker::Step SshWorker::startCommand(Channel &c)
{
    const QByteArray &command = c.state->command;
    const int rc =
        c.state->options.subsystem
            ? libssh2_channel_process_startup(c.channel, "subsystem", 9, command.constData(),
                                              unsigned(command.size()))
            : libssh2_channel_process_startup(c.channel, "exec", 4, command.constData(),
                                              unsigned(command.size()));
    if (rc != 0)
        return requestFailed(c, rc,
                             QT_TRANSLATE_NOOP("Ssh", "The server refused to run the command: %1"));
    c.phase = Channel::Phase::Running;
    QMutexLocker lock(&c.state->mutex);
    if (SshCommand *cmd = c.state->receiver)
        QMetaObject::invokeMethod(
            cmd, [cmd]() { Q_EMIT cmd->started(); }, Qt::QueuedConnection);
    return Step::Progress;
}

SshWorker::Step SshWorker::stepRunning(Channel &c)
{
    bool progress = false;
    if (c.stuckOp == Channel::Op::ReadOut || c.stuckOp == Channel::Op::ReadErr) {
        // A read left a window-adjust packet half sent: finish that read first.
        const Step r = readStreams(c, &progress);
        return r == Step::Blocked && progress ? Step::Progress : r;
    }
    // stdin first: a pending half-written packet must be completed before anything else.
    if (const std::optional<Step> stop = writeStdin(c, &progress))
        return *stop;
    if (const std::optional<Step> stop = sendStdinEof(c, &progress))
        return *stop;
    if (c.state->inFlight.load() >= kMaxInFlight) {
        c.state->throttled = true;
        // Re-check: the owner may have drained everything between load and store.
        if (c.state->inFlight.load() >= kMaxInFlight)
            return progress ? Step::Progress : Step::Idle;
    }
    c.state->throttled = false;
    const Step r = readStreams(c, &progress);
    if (r == Step::Pinned || r == Step::Idle)
        return r;
    if (c.outEof && c.errEof) {
        c.phase = Channel::Phase::Closing;
        progress = true;
    }
    return progress ? Step::Progress : Step::Blocked;
}

void SshWorker::takeStdinChunk(Channel &c)
{
    c.pendingWrite = c.state->stdinBuffer.left(64 * 1024);
    c.state->stdinBuffer.remove(0, c.pendingWrite.size());
}

std::optional<SshWorker::Step> SshWorker::writeStdin(Channel &c, bool *progress)
{
    if (c.pendingWrite.isEmpty() && !c.eofSent) {
        QMutexLocker lock(&c.state->mutex);
        takeStdinChunk(c);
    }
    if (c.stuckOp != Channel::Op::None && c.stuckOp != Channel::Op::Write)
        return std::nullopt;
    while (!c.pendingWrite.isEmpty()) {
        const ssize_t n = libssh2_channel_write(c.channel, c.pendingWrite.constData(),
                                                size_t(c.pendingWrite.size()));
        if (n == LIBSSH2_ERROR_EAGAIN) {
            if (blocked(c, Channel::Op::Write) == Step::Pinned)
                return Step::Pinned;
            break;
        }
        if (n < 0) {
            if (isFatal(int(n)))
                return sessionDead(c, int(n));
            // The command stopped reading stdin (exited): drop the rest quietly.
            c.pendingWrite.clear();
            QMutexLocker lock(&c.state->mutex);
            c.state->stdinBuffer.clear();
            c.state->stdinEof = true;
            break;
        }
        c.pendingWrite.remove(0, int(n));
        *progress = true;
        QMutexLocker lock(&c.state->mutex);
        if (SshCommand *cmd = c.state->receiver) {
            const qint64 written = n;
            QMetaObject::invokeMethod(
                cmd, [cmd, written]() { Q_EMIT cmd->stdinWritten(written); }, Qt::QueuedConnection);
        }
        if (c.pendingWrite.isEmpty())
            takeStdinChunk(c);
    }
    c.stuckOp = Channel::Op::None;
    return std::nullopt;
}

std::optional<SshWorker::Step> SshWorker::sendStdinEof(Channel &c, bool *progress)
{
    if (c.eofSent || !c.pendingWrite.isEmpty())
        return std::nullopt;
    {
        QMutexLocker lock(&c.state->mutex);
        if (!c.state->stdinEof || !c.state->stdinBuffer.isEmpty())
            return std::nullopt;
    }
    // A command that runs until its stdin ends exits on this EOF: on Dropbear, not while
    // another channel waits for its command to start (see serveCommands()).
    if (m_dropbear && !c.state->options.closeStdin && otherChannelStarting(c))
        return std::nullopt;
    const int rc = libssh2_channel_send_eof(c.channel);
    if (rc == LIBSSH2_ERROR_EAGAIN) {
        if (blocked(c, Channel::Op::Eof) == Step::Pinned)
            return Step::Pinned;
        return std::nullopt;
    }
    if (isFatal(rc))
        return sessionDead(c, rc);
    c.eofSent = true;
    *progress = true;
    return std::nullopt;
}

SshWorker::Step SshWorker::closeChannel(Channel &c)
{
    const int rc = libssh2_channel_close(c.channel);
    if (rc == LIBSSH2_ERROR_EAGAIN)
        return blocked(c, Channel::Op::None);
    if (rc != 0 && isFatal(rc))
        return sessionDead(c, rc);
    c.phase = Channel::Phase::WaitClosed;
    return Step::Progress;
}

SshWorker::Step SshWorker::waitChannelClosed(Channel &c)
{
    const int rc = libssh2_channel_wait_closed(c.channel);
    if (rc == LIBSSH2_ERROR_EAGAIN)
        return blocked(c, Channel::Op::None);
    if (rc != 0 && isFatal(rc))
        return sessionDead(c, rc);
    finishChannel(c, SshErrorInfo());
    libssh2_channel_free(c.channel);
    c.channel = nullptr;
    c.phase = Channel::Phase::Zombie;
    return Step::Progress;
}

SshWorker::Step SshWorker::reapZombie(Channel &c)
{
    if (!c.channel)
        return Step::Idle;
    // Our close ends the command's stdin, so it may exit now (see serveCommands()).
    if (m_dropbear && otherChannelStarting(c))
        return Step::Blocked;
    // Cancelled: close our side; the remote close may come much later (or never).
    const int rc = libssh2_channel_close(c.channel);
    if (rc == LIBSSH2_ERROR_EAGAIN)
        return blocked(c, Channel::Op::None);
    libssh2_channel_free(c.channel);
    c.channel = nullptr;
    return Step::Progress;
}

qint64 SshWorker::holdOpensUntil(Channel &c, qint64 now)
{
    constexpr qint64 HoldMs = 2000;
    if (!c.channel)
        return 0; // closed by the server too, or never opened
    if (c.phase == Channel::Phase::Zombie)
        return c.zombieSince ? c.zombieSince + HoldMs : 0;
    if (!m_dropbear)
        return 0;
    bool exiting = c.phase == Channel::Phase::Closing || c.phase == Channel::Phase::WaitClosed;
    if (c.phase == Channel::Phase::Running) {
        exiting = c.outEof || c.errEof;
        if (!exiting && !c.state->options.closeStdin) {
            // Runs on its stdin (held open after start): ends once that is closed and written.
            QMutexLocker lock(&c.state->mutex);
            exiting = c.eofSent || (c.state->stdinEof && c.state->stdinBuffer.isEmpty() &&
                                    c.pendingWrite.isEmpty());
        }
    }
    if (!exiting)
        return 0;
    if (!c.exitSince)
        c.exitSince = now;
    return c.exitSince + HoldMs;
}

bool SshWorker::otherChannelStarting(const Channel &c) const
{
    for (const auto &other : m_channels) {
        switch (other->phase) {
        case Channel::Phase::Opening:
        case Channel::Phase::Env:
        case Channel::Phase::Pty:
        case Channel::Phase::Exec:
            if (other.get() != &c)
                return true;
            break;
        default:
            break;
        }
    }
    return false;
}

SshWorker::Step SshWorker::readStreams(Channel &c, bool *progress)
{
    char buffer[32 * 1024];
    const bool onlyErr = c.stuckOp == Channel::Op::ReadErr;
    for (const int stream : {0, SSH_EXTENDED_DATA_STDERR}) {
        if (onlyErr && stream == 0)
            continue;
        bool &eof = stream ? c.errEof : c.outEof;
        QByteArray chunk;
        Step result = Step::Progress;
        while (!eof && chunk.size() < 512 * 1024) {
            const ssize_t n = libssh2_channel_read_ex(c.channel, stream, buffer, sizeof buffer);
            if (n > 0) {
                chunk.append(buffer, int(n));
                continue;
            }
            if (n == 0) {
                if (libssh2_channel_eof(c.channel))
                    eof = true;
                break;
            }
            if (n == LIBSSH2_ERROR_EAGAIN) {
                if (blocked(c, stream ? Channel::Op::ReadErr : Channel::Op::ReadOut) ==
                    Step::Pinned)
                    result = Step::Pinned;
                break;
            }
            if (isFatal(int(n))) {
                result = sessionDead(c, int(n));
                break;
            }
            eof = true; // a channel-level error ends the stream
            break;
        }
        if (result != Step::Pinned && c.stuckOp != Channel::Op::None)
            c.stuckOp = Channel::Op::None;
        if (!chunk.isEmpty()) {
            *progress = true;
            c.state->inFlight += chunk.size();
            QMutexLocker lock(&c.state->mutex);
            if (SshCommand *cmd = c.state->receiver) {
                const bool isErr = stream != 0;
                QMetaObject::invokeMethod(
                    cmd, [cmd, chunk, isErr]() { cmd->deliverData(chunk, isErr); },
                    Qt::QueuedConnection);
            } else {
                c.state->inFlight -= chunk.size();
            }
        }
        if (result != Step::Progress)
            return result;
    }
    return Step::Blocked;
}

void SshWorker::serveCommands()
{
    while (!m_cancel.load()) {
        {
            QMutexLocker lock(&m_queueMutex);
            for (auto &state : m_queue) {
                auto c = std::make_unique<Channel>();
                c->state = state;
                c->deadline = deadlineAfter(state->options.timeoutMs);
                m_channels.push_back(std::move(c));
            }
            m_queue.clear();
        }
        if (m_stop.load()) {
            SshErrorInfo e;
            e.code = SshError::Cancelled;
            e.message = msg("The session was closed.");
            for (auto &c : m_channels)
                finishChannel(*c, e);
            return;
        }

        // Only one channel may be opening at a time: libssh2 keeps that state per session.
        // Dropbear since 2022.82 (mkj/dropbear#321, fixed upstream in 2024 by its PR #326; the
        // boards' 2022.83 has it): when a child process of the session exits, the server checks
        // every channel for closing, and one whose exec request has not arrived yet counts as
        // done: it is closed on the spot and the server then aborts the whole connection
        // ("Failed assertion … !channel->sent_close"). That exit cannot be timed from here, but
        // the ones we cause or see coming can: a channel does not start opening while another
        // one's process is about to exit (its output ended, the stdin it runs on was closed, or
        // it was abandoned) until the server closed that channel (it has reaped the process
        // then) or 2 s passed; and such a stdin is not closed while another channel is starting
        // (sendStdinEof(), reapZombie()).
        bool opening = false;
        qint64 holdUntil = 0;
        const qint64 now = nowMs();
        for (auto &c : m_channels) {
            opening = opening || c->phase == Channel::Phase::Opening;
            const qint64 until = holdOpensUntil(*c, now);
            if (until > now)
                holdUntil = holdUntil ? qMin(holdUntil, until) : until;
        }
        if (!opening && !holdUntil) {
            for (auto &c : m_channels) {
                if (c->phase == Channel::Phase::Queued) {
                    c->phase = Channel::Phase::Opening;
                    break;
                }
            }
        }

        bool progress = false;
        bool wantSocket = false;
        qint64 nextDeadline = holdUntil; // a held-back channel may open then
        if (m_pinned) {
            const Step s = stepChannel(*m_pinned);
            if (s == Step::Pinned) {
                progress = false;
                wantSocket = true;
            } else {
                m_pinned = nullptr;
                progress = true;
            }
        }
        if (!m_pinned) {
            for (auto &c : m_channels) {
                const Step s = stepChannel(*c);
                if (s == Step::Progress)
                    progress = true;
                if (s == Step::Blocked || s == Step::Pinned)
                    wantSocket = true;
                if (s == Step::Pinned) {
                    m_pinned = c.get();
                    break;
                }
                if (c->deadline && !c->finished)
                    nextDeadline = nextDeadline ? qMin(nextDeadline, c->deadline) : c->deadline;
            }
        }
        const int err = m_fatalRc;
        if (err && err != LIBSSH2_ERROR_BAD_USE) {
            setFatalError(err, m_fatalDuring);
            return; // run() reports the session failure first, then fails the commands
        }
        if (err == LIBSSH2_ERROR_BAD_USE) {
            setError(SshError::Internal, msg("Internal SSH error: %1").arg(lastLibError()));
            return; // run() reports the session failure first, then fails the commands
        }
        // Drop channels that are completely done.
        for (auto it = m_channels.begin(); it != m_channels.end();) {
            if ((*it)->finished && !(*it)->channel && it->get() != m_pinned)
                it = m_channels.erase(it);
            else
                ++it;
        }
        if (progress)
            continue;
        // Data may already sit in libssh2's queue for a channel stepped earlier in this pass.
        bool queued = false;
        for (auto &c : m_channels) {
            if (c->phase == Channel::Phase::Running && !c->state->throttled.load() &&
                (libssh2_poll_channel_read(c->channel, 0) ||
                 libssh2_poll_channel_read(c->channel, SSH_EXTENDED_DATA_STDERR)))
                queued = true;
        }
        if (queued)
            continue;

        const int dir = libssh2_session_block_directions(m_session);
        pollfd fds[2] = {};
        fds[0].fd = wantSocket ? m_socket : -1;
        fds[0].events = short(((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) ? POLLOUT : 0) |
                              ((dir & LIBSSH2_SESSION_BLOCK_INBOUND) || !dir ? POLLIN : 0));
        fds[1].fd = m_wake->fd();
        fds[1].events = POLLIN;
        // The cap is a safety net against a missed libssh2 state change, not the main path.
        int timeout = wantSocket ? 1000 : -1;
        if (nextDeadline) {
            const int untilDeadline = int(qMax<qint64>(0, nextDeadline - nowMs()) + 1);
            timeout = timeout < 0 ? untilDeadline : qMin(timeout, untilDeadline);
        }
        const qint64 before = nowMs();
        ::poll(fds, 2, timeout);
        qCDebug(lcSsh) << "poll" << m_options.host << "socket" << wantSocket << "dir" << dir
                       << "waited" << nowMs() - before << "ms; revents" << fds[0].revents
                       << fds[1].revents << "channels" << m_channels.size();
        if (fds[1].revents)
            m_wake->drain();
    }
    failAll(SshErrorInfo{SshError::Cancelled, msg("Cancelled."), {}, {}, {}, {}, {}, 0});
}

void SshWorker::teardown()
{
    if (m_session) {
        // Closing the socket first makes every pending libssh2 call fail fast instead of
        // waiting for a server that may never answer (e.g. a channel whose command still runs).
        if (m_socket >= 0 && m_error.code == SshError::None && !m_cancel.load())
            libssh2_session_disconnect(m_session, "bye");
        if (m_socket >= 0)
            ::shutdown(m_socket, SHUT_RDWR);
        for (auto &c : m_channels) {
            if (c->channel)
                libssh2_channel_free(c->channel);
            c->channel = nullptr;
        }
        libssh2_session_free(m_session);
        m_session = nullptr;
    }
    m_channels.clear();
    if (m_socket >= 0) {
        ::close(m_socket);
        m_socket = -1;
    }
}

} // namespace Hivelab
