// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

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
    /// each). Extra lines go first into sshd_config ("%PORT%" is replaced by the chosen port).
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

} // namespace Hivelab
