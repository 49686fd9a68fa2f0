// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentialstore.h"

#include <QUrl>
#include <qt6keychain/keychain.h>

#include <memory>

namespace Hivelab {

namespace {

const QString probeKey = QStringLiteral("hivelab-probe");

// volatile keeps the compiler from dropping stores to memory that is about to be freed.
void wipe(QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    volatile char *p = bytes.data();
    for (qsizetype i = 0; i < bytes.size(); ++i)
        p[i] = 0;
    bytes.clear();
}

QByteArray privateCopy(const QString &secret)
{
    QByteArray utf8 = secret.toUtf8();
    QByteArray copy(utf8.constData(), utf8.size());
    wipe(utf8);
    return copy;
}

// A secret in flight (captured by a queued call or a job's handler), wiped whenever the
// handler is destroyed, whether it ran or not.
struct PendingSecret
{
    explicit PendingSecret(const QString &secret)
        : bytes(privateCopy(secret))
    {}
    ~PendingSecret() { wipe(bytes); }
    Q_DISABLE_COPY_MOVE(PendingSecret)
    QString text() const { return QString::fromUtf8(bytes); }
    QByteArray bytes;
};

QString encodeId(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(QStringLiteral("Hivelab"), parent)
{}

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

CredentialStore::~CredentialStore()
{
    wipeMemory();
}

QString CredentialStore::secretKey(const QString &labId, const QString &boardId,
                                   const QString &user, SecretKind kind)
{
    return QStringLiteral("lab:%1/board:%2/user:%3/%4")
        .arg(encodeId(labId), encodeId(boardId), encodeId(user),
             kind == SecretKind::Password ? QStringLiteral("password")
                                          : QStringLiteral("passphrase"));
}

CredentialStore::Error CredentialStore::classify(int keychainError, const QString &message)
{
    switch (keychainError) {
    case QKeychain::NoError:
        return Error::None;
    case QKeychain::EntryNotFound:
        return Error::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error::KeychainUnavailable;
    case QKeychain::AccessDeniedByUser:
        return Error::AccessDenied;
    case QKeychain::AccessDenied:
        // libsecret reports a locked collection as AccessDenied ("…in a locked collection").
        return message.contains(QLatin1String("locked"), Qt::CaseInsensitive) ? Error::Locked
                                                                              : Error::AccessDenied;
    default:
        break;
    }
    // QtKeychain 0.13 has no isAvailable() and reports D-Bus trouble as OtherError with GDBus's
    // text: no session bus ("Cannot autolaunch D-Bus…", "Could not connect…"), or a bus without
    // a Secret Service or without a login collection ("Object does not exist at path …").
    static const char *const unavailable[] = {
        "D-Bus",
        "DBus",
        "autolaunch",
        "Could not connect",
        "Object does not exist",
        "ServiceUnknown",
        "not provided by any .service",
        "No such interface",
        "org.freedesktop.secrets",
        "Failed to connect",
    };
    for (const char *marker : unavailable) {
        if (message.contains(QLatin1String(marker), Qt::CaseInsensitive))
            return Error::KeychainUnavailable;
    }
    if (message.contains(QLatin1String("locked"), Qt::CaseInsensitive))
        return Error::Locked;
    return Error::Other;
}

void CredentialStore::probe()
{
    if (m_backend == Backend::Memory) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT backendChanged(m_backend, m_backendMessage); },
            Qt::QueuedConnection);
        return;
    }
    startJob(Op::Probe, probeKey, QString());
}

void CredentialStore::store(const QString &key, const QString &secret)
{
    if (m_backend == Backend::Memory) {
        auto pending = std::make_shared<PendingSecret>(secret);
        QMetaObject::invokeMethod(
            this, [this, key, pending] { storeInMemory(key, pending->text()); },
            Qt::QueuedConnection);
        return;
    }
    startJob(Op::Store, key, secret);
}

void CredentialStore::read(const QString &key)
{
    if (m_backend == Backend::Memory) {
        QMetaObject::invokeMethod(
            this, [this, key] { readFromMemory(key); }, Qt::QueuedConnection);
        return;
    }
    startJob(Op::Read, key, QString());
}

void CredentialStore::remove(const QString &key)
{
    if (m_backend == Backend::Memory) {
        QMetaObject::invokeMethod(
            this, [this, key] { removeFromMemory(key); }, Qt::QueuedConnection);
        return;
    }
    startJob(Op::Remove, key, QString());
}

void CredentialStore::startJob(Op op, const QString &key, const QString &secret)
{
    // No parent: a libsecret call in flight points at its job, so a job must be able to outlive a
    // store destroyed early. autoDelete frees it once it has finished (it always finishes).
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Probe:
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Store: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // The insecure fallback would write the secret in plain text to a settings file.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(key);
    // Kept only while the job runs: a write that finds no keychain goes to the memory store.
    std::shared_ptr<PendingSecret> pending;
    if (op == Op::Store)
        pending = std::make_shared<PendingSecret>(secret);
    m_running.insert(job, [this, op, key, pending, job] {
        onJobFinished(op, key, job, pending ? pending->text() : QString());
    });
    connect(job, SIGNAL(finished(QKeychain::Job *)), this, SLOT(onKeychainJobFinished()));
    job->start();
}

void CredentialStore::onKeychainJobFinished()
{
    if (const std::function<void()> done = m_running.take(sender()))
        done();
}

void CredentialStore::onJobFinished(Op op, const QString &key, QKeychain::Job *job,
                                    const QString &secret)
{
    const QString detail = job->errorString();
    const Error error = classify(job->error(), detail);
    const bool keychainDown = error == Error::KeychainUnavailable || error == Error::Locked;

    switch (op) {
    case Op::Probe: {
        const bool changed =
            error == Error::None || error == Error::NotFound
                ? useKeychain()
                : useMemory(error == Error::Locked ? error : Error::KeychainUnavailable, detail);
        if (!changed)
            Q_EMIT backendChanged(m_backend, m_backendMessage);
        return;
    }
    case Op::Store:
        if (error == Error::None) {
            useKeychain();
            Q_EMIT stored(key, true);
        } else if (keychainDown) {
            useMemory(error, detail);
            storeInMemory(key, secret);
        } else {
            Q_EMIT failed(key, error, detail);
        }
        return;
    case Op::Read:
        if (error == Error::None) {
            useKeychain();
            Q_EMIT secretRead(key, static_cast<QKeychain::ReadPasswordJob *>(job)->textData());
        } else if (keychainDown) {
            useMemory(error, detail);
            readFromMemory(key);
        } else if (error == Error::NotFound) {
            // A locked Secret Service answers reads with "not found"; a write made during this
            // session may still be in the memory store.
            readFromMemory(key);
        } else {
            Q_EMIT failed(key, error, detail);
        }
        return;
    case Op::Remove:
        if (error == Error::None || error == Error::NotFound) {
            useKeychain();
            removeFromMemory(key);
        } else if (keychainDown) {
            useMemory(error, detail);
            removeFromMemory(key);
        } else {
            Q_EMIT failed(key, error, detail);
        }
        return;
    }
}

bool CredentialStore::useKeychain()
{
    if (m_backend != Backend::Unknown)
        return false;
    m_backend = Backend::Keychain;
    m_backendMessage.clear();
    Q_EMIT backendChanged(m_backend, m_backendMessage);
    return true;
}

bool CredentialStore::useMemory(Error why, const QString &detail)
{
    if (m_backend == Backend::Memory)
        return false;
    m_backend = Backend::Memory;
    const QString reason =
        why == Error::Locked ? tr("the keyring is locked: %1").arg(detail) : detail;
    m_backendMessage = tr("No keychain available (%1). Passwords will be asked for each session "
                          "and kept only in memory.")
                           .arg(reason);
    Q_EMIT backendChanged(m_backend, m_backendMessage);
    return true;
}

void CredentialStore::storeInMemory(const QString &key, const QString &secret)
{
    eraseFromMemory(key);
    m_memory.insert(key, privateCopy(secret));
    Q_EMIT stored(key, false);
}

void CredentialStore::readFromMemory(const QString &key)
{
    const auto it = m_memory.constFind(key);
    if (it == m_memory.constEnd()) {
        Q_EMIT failed(key, Error::NotFound, tr("No secret stored for %1.").arg(key));
        return;
    }
    Q_EMIT secretRead(key, QString::fromUtf8(it.value()));
}

void CredentialStore::removeFromMemory(const QString &key)
{
    eraseFromMemory(key);
    Q_EMIT removed(key);
}

void CredentialStore::eraseFromMemory(const QString &key)
{
    auto it = m_memory.find(key);
    if (it != m_memory.end()) {
        wipe(it.value());
        m_memory.erase(it);
    }
}

void CredentialStore::wipeMemory()
{
    for (auto it = m_memory.begin(); it != m_memory.end(); ++it)
        wipe(it.value());
    m_memory.clear();
}

} // namespace Hivelab
