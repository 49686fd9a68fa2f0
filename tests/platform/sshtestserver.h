// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sshoptions.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Hivelab {

/// A real OpenSSH sshd or Dropbear on 127.0.0.1 and a free port, with its own host key in a
/// temporary directory; killed on destruction. Needs root. Test-only, synchronous.
class SshTestServer
{
public:
    enum class Kind { OpenSsh, Dropbear };

    explicit SshTestServer(Kind kind);
    ~SshTestServer();
    Q_DISABLE_COPY_MOVE(SshTestServer)

    /// Empty when servers can run here, else why not (for QSKIP).
    static QString whyUnavailable();

    /// hostKeyType: "ed25519", "ecdsa" or "rsa", or several separated by spaces (one host key
    /// each). Extra lines go first into sshd_config ("%PORT%" is replaced by the chosen port,
    /// "%DIR%" by dir()).
    bool start(QString *error, const QString &hostKeyType = QStringLiteral("ed25519"),
               const QString &extraConfig = QString());
    void stop();
    /// Same port, freshly generated host keys (simulates a reinstalled board); of other types
    /// when `hostKeyType` is given.
    bool restartWithNewHostKey(QString *error, const QString &hostKeyType = QString());
    /// Stops (SIGSTOP) or resumes the server and every process it forked: connections stay
    /// open but nothing answers, like a board that hangs.
    void setFrozen(bool frozen);

    Kind kind() const { return m_kind; }
    quint16 port() const { return m_port; }
    /// Connection options for this server: 127.0.0.1, its port, `knownHostsPath`, a new host key
    /// trusted on first contact.
    SshConnectOptions loopbackOptions(const QString &knownHostsPath) const;
    QString dir() const { return m_dir.path(); }
    /// "SHA256:…" of the current host key (of that type; default: the first), as
    /// `ssh-keygen -lf` prints it.
    QString hostKeyFingerprint(const QString &type = QString()) const;
    /// "[127.0.0.1]:PORT TYPE BASE64" for the current host key of that type (default: the
    /// first), as a known_hosts line.
    QByteArray knownHostsLine(const QString &type = QString()) const;
    /// OpenSSH only: authorized_keys for `user` without touching their home.
    bool setAuthorizedKeys(const QString &user, const QByteArray &keys);

    /// Picks a port nobody listens on right now (for servers and refused-connection tests).
    static quint16 freePort();
    /// Runs a program to completion (bounded), returns its stdout; exit code in *rc.
    static QByteArray run(const QString &program, const QStringList &args, int *rc = nullptr,
                          const QByteArray &stdinData = QByteArray());
    /// ssh-keygen: a key pair at `path` and `path`.pub ("ed25519", "ecdsa" or "rsa", 2048 bits),
    /// with few KDF rounds when a passphrase is given, so tests stay fast.
    static bool generateKey(const QString &path, const QString &type = QStringLiteral("ed25519"),
                            const QString &passphrase = QString());

private:
    bool makeHostKeys(QString *error);
    QString hostKeyPath(const QString &type) const;
    bool launch(QString *error);

    Kind m_kind;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QStringList m_keyTypes;
    QString m_extraConfig;
    int m_generation = 0;
    bool m_frozen = false;
    std::unique_ptr<QProcess> m_process;
};

/// A throwaway local account (useradd) with a password and a home in a temporary directory;
/// deleted (userdel) on destruction. Needs root. Test-only, synchronous.
class SshTestUser
{
public:
    SshTestUser();
    ~SshTestUser();
    Q_DISABLE_COPY_MOVE(SshTestUser)

    bool create(QString *error);
    QString name() const { return m_name; }
    QString password() const { return m_password; }
    QString home() const { return m_home.path(); }
    /// Logs in as this user with the password, without an agent.
    SshAuth passwordAuth() const;
    /// Writes ~/.ssh/authorized_keys with the permissions sshd and Dropbear insist on.
    bool setAuthorizedKeys(const QByteArray &keys);
    /// Adds a sudoers drop-in for this user (removed on destruction).
    bool allowSudo(bool withoutPassword);

private:
    QString m_name;
    QString m_password;
    QTemporaryDir m_home;
    QString m_sudoers;
    bool m_created = false;
};

/// The fixture most SSH tests log in to: a throwaway user, OpenSSH and Dropbear. Test-only.
struct SshTestServers
{
    std::unique_ptr<SshTestUser> user;
    std::unique_ptr<SshTestServer> openssh;
    std::unique_ptr<SshTestServer> dropbear;

    /// Creates the user and starts both servers (OpenSSH with `opensshConfig` as extra
    /// sshd_config lines); false with *error on the first failure.
    bool start(QString *error, const QString &opensshConfig = QString());
    void stop();
    /// "openssh" or "dropbear", as data-driven tests name them.
    SshTestServer *byName(const QString &name) const;
};

} // namespace Hivelab

/// In a test function: skips the test when SSH servers cannot run here (not root, no sshd).
#define HIVELAB_SKIP_WITHOUT_SSH_SERVERS()                                                         \
    do {                                                                                           \
        const QString whyNot_ = Hivelab::SshTestServer::whyUnavailable();                          \
        if (!whyNot_.isEmpty())                                                                    \
            QSKIP(qPrintable(whyNot_));                                                            \
    } while (false)
