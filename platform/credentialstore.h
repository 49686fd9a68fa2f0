// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

namespace Hivelab {

/// Stores SSH passwords and key passphrases in the OS keychain (QtKeychain: Secret Service on
/// Linux, Keychain on macOS, Credential Manager on Windows). Async: every call returns at once and
/// answers with exactly one signal. Lives on the thread that owns it (normally the GUI thread) and
/// needs that thread's event loop. Use one per application: the memory fallback is per instance.
///
/// Keys (build them with secretKey()): service "Hivelab", account
/// "lab:<labId>/board:<boardId>/user:<user>/<password|passphrase>", each id percent-encoded so a
/// '/' or ':' inside an id cannot make two keys collide.
///
/// When no keychain can be used (no D-Bus session, no Secret Service, keyring locked) the store
/// switches to a memory-only session store for the rest of its life: secrets are kept in memory
/// only, overwritten with zeros when replaced, removed or on destruction, and backendChanged()
/// carries a message for the user. Secrets are never written to disk in plain text (QtKeychain's
/// insecure fallback stays off), never logged, and never belong on a command line: hand them to
/// a child process through a pipe or stdin, never through argv, where `ps` shows them.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Unknown, Keychain, Memory };
    Q_ENUM(Backend)
    enum class SecretKind { Password, KeyPassphrase };
    Q_ENUM(SecretKind)
    enum class Error { None, KeychainUnavailable, Locked, NotFound, AccessDenied, Other };
    Q_ENUM(Error)

    explicit CredentialStore(QObject *parent = nullptr);
    /// Tests pass their own service name so they never touch the application's entries.
    explicit CredentialStore(const QString &service, QObject *parent = nullptr);
    ~CredentialStore() override;
    Q_DISABLE_COPY_MOVE(CredentialStore)

    /// Any thread (pure).
    static QString secretKey(const QString &labId, const QString &boardId, const QString &user,
                             SecretKind kind = SecretKind::Password);
    /// Maps a QtKeychain result to an error class. Any thread (pure).
    static Error classify(int keychainError, const QString &message);

    QString service() const { return m_service; }
    /// Unknown until the first answer from the keychain (probe(), or any other call).
    Backend backend() const { return m_backend; }
    bool isPersistent() const { return m_backend == Backend::Keychain; }
    /// Why the memory store is in use, for the user; empty otherwise.
    QString backendMessage() const { return m_backendMessage; }

    /// Asks the keychain whether it answers at all; ends in one backendChanged(). A locked keyring
    /// only shows on the first write (reads of a locked Secret Service look like "not found").
    void probe();
    /// Ends in stored(key, persistent) or failed().
    void store(const QString &key, const QString &secret);
    /// Ends in secretRead() or failed() (NotFound when there is no such secret).
    void read(const QString &key);
    /// Ends in removed() (also when there was nothing to remove) or failed().
    void remove(const QString &key);

Q_SIGNALS:
    void backendChanged(Hivelab::CredentialStore::Backend backend, const QString &message);
    void stored(const QString &key, bool persistent);
    void secretRead(const QString &key, const QString &secret);
    void removed(const QString &key);
    void failed(const QString &key, Hivelab::CredentialStore::Error error, const QString &message);

private Q_SLOTS:
    // QKeychain::Job::finished, connected by name, SIGNAL()/SLOT(): a member-pointer connect
    // makes the binary refer to QKeychain::Job's meta-object, which would load QtKeychain before
    // the window's first frame (app/lazyload/lazyload.cpp).
    void onKeychainJobFinished();

private:
    enum class Op { Probe, Store, Read, Remove };
    void startJob(Op op, const QString &key, const QString &secret);
    void onJobFinished(Op op, const QString &key, QKeychain::Job *job, const QString &secret);
    // Both return whether the backend changed (and backendChanged() was emitted).
    bool useKeychain();
    bool useMemory(Error why, const QString &detail);
    void storeInMemory(const QString &key, const QString &secret);
    void readFromMemory(const QString &key);
    void removeFromMemory(const QString &key);
    void eraseFromMemory(const QString &key);
    void wipeMemory();

    QString m_service;
    Backend m_backend = Backend::Unknown;
    QString m_backendMessage;
    // Each value is a private, unshared allocation so wiping it really clears the only copy.
    QHash<QString, QByteArray> m_memory;
    QHash<QObject *, std::function<void()>> m_running; // what each keychain job does when done
};

} // namespace Hivelab
