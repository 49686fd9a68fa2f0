// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ssherror.h"
#include "sshoptions.h"

#include <QObject>
#include <QPointer>
#include <QProcess>

#include <functional>
#include <memory>

namespace Hivelab {

class SshCommand;
class SshSession;

/// Sets up key login on a board: generate an ed25519 pair for the lab (ssh-keygen; libssh2
/// cannot make keys), append the public key to the login user's authorized_keys over an
/// existing (usually password) session, prove key-only login works with a fresh session, and
/// only then, if asked, turn password login off in OpenSSH with a drop-in file (a way back:
/// delete that file and reload sshd). Async job on the caller's thread.
class SshKeySetup : public QObject
{
    Q_OBJECT
public:
    enum class Step { Generate, Install, Verify, DisablePassword, Done };
    Q_ENUM(Step)

    explicit SshKeySetup(QObject *parent = nullptr);
    ~SshKeySetup() override;
    Q_DISABLE_COPY_MOVE(SshKeySetup)

    /// Async. Runs ssh-keygen -t ed25519 if `privateKeyPath` does not exist yet. The passphrase
    /// (may be empty) reaches ssh-keygen through an SSH_ASKPASS helper and the child's
    /// environment, never through its command line.
    void generate(const QString &privateKeyPath, const QString &comment,
                  const QString &passphrase = QString());

    /// Async. Installs `<key>.pub` for the session's user (idempotent, ~/.ssh 0700,
    /// authorized_keys 0600), then verifies a key-only login to the same board. With
    /// disablePassword, an OpenSSH board then gets "PasswordAuthentication no" — only after
    /// the verification succeeded; sudoPassword is used when the user is not root.
    void install(SshSession *session, const SshConnectOptions &options,
                 const QString &privateKeyPath, const QString &passphrase = QString(),
                 bool disablePassword = false, const QString &sudoPassword = QString(),
                 const SshHardening &hardening = SshHardening());

    /// Stops after the running step (a command already sent still ends on the board), never
    /// starts the next one, and reports finished() with SshError::Cancelled.
    void cancel();

    Step step() const { return m_step; }
    SshErrorInfo error() const { return m_error; }

    /// "ssh-ed25519 AAAA… comment" of a key pair (reads `<key>.pub`).
    static QByteArray publicKeyLine(const QString &privateKeyPath, QString *error = nullptr);

Q_SIGNALS:
    void stepChanged(Hivelab::SshKeySetup::Step step);
    void finished(const Hivelab::SshErrorInfo &error);

private:
    void setStep(Step step);
    void fail(SshError code, const QString &message);
    void verify();
    /// When `cmd` ends: an SSH error or a non-zero exit fails the setup (`failText` takes the
    /// exit status and stderr), else `next` runs.
    void whenDone(SshCommand *cmd, SshError failCode, const QString &failText,
                  const std::function<void()> &next);
    void disablePassword();

    Step m_step = Step::Generate;
    SshErrorInfo m_error;
    std::unique_ptr<QProcess> m_keygen;
    QPointer<SshSession> m_session;
    std::unique_ptr<SshSession> m_probe;
    SshConnectOptions m_options;
    QString m_keyPath;
    QString m_passphrase;
    QString m_sudoPassword;
    bool m_disablePassword = false;
    SshHardening m_hardening;
    bool m_finished = false;
};

} // namespace Hivelab
