// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshkeysetup.h"

#include "sshcommand.h"
#include "sshsession.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace Hivelab {

SshKeySetup::SshKeySetup(QObject *parent)
    : QObject(parent)
{}

SshKeySetup::~SshKeySetup()
{
    if (m_keygen) {
        m_keygen->kill();
        m_keygen->waitForFinished(2000);
    }
}

void SshKeySetup::setStep(Step step)
{
    m_step = step;
    Q_EMIT stepChanged(step);
    if (step == Step::Done && !m_finished) {
        m_finished = true;
        Q_EMIT finished(SshErrorInfo());
    }
}

void SshKeySetup::fail(SshError code, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error.code = code;
    m_error.message = message;
    // Queued, as failures can be found before the caller connected to finished().
    QMetaObject::invokeMethod(
        this, [this]() { Q_EMIT finished(m_error); }, Qt::QueuedConnection);
}

void SshKeySetup::cancel()
{
    if (m_finished)
        return;
    if (m_keygen)
        m_keygen->kill();
    if (m_probe)
        m_probe->cancel();
    fail(SshError::Cancelled, tr("Cancelled."));
}

QByteArray SshKeySetup::publicKeyLine(const QString &privateKeyPath, QString *error)
{
    QFile pub(privateKeyPath + QStringLiteral(".pub"));
    if (!pub.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(pub.fileName(), pub.errorString());
        return QByteArray();
    }
    return pub.readAll().trimmed();
}

void SshKeySetup::generate(const QString &privateKeyPath, const QString &comment,
                           const QString &passphrase)
{
    setStep(Step::Generate);
    if (QFileInfo::exists(privateKeyPath)) {
        // Never overwrite a key someone may already rely on. Queued: a job reports after the
        // caller had a chance to connect.
        QMetaObject::invokeMethod(
            this, [this]() { setStep(Step::Done); }, Qt::QueuedConnection);
        return;
    }
    QDir().mkpath(QFileInfo(privateKeyPath).absolutePath());
    QFile::setPermissions(QFileInfo(privateKeyPath).absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    m_keygen = std::make_unique<QProcess>();
    QStringList args = {QStringLiteral("-q"),
                        QStringLiteral("-t"),
                        QStringLiteral("ed25519"),
                        QStringLiteral("-C"),
                        comment,
                        QStringLiteral("-f"),
                        privateKeyPath};
    auto askpassDir = std::make_shared<QTemporaryDir>();
    if (passphrase.isEmpty()) {
        args << QStringLiteral("-N") << QString();
    } else {
        // ssh-keygen without a terminal asks SSH_ASKPASS (twice: new + confirm). The helper
        // echoes a variable that only the child's environment holds.
        const QString helper = askpassDir->path() + QStringLiteral("/askpass");
        QFile script(helper);
        if (!askpassDir->isValid() || !script.open(QIODevice::WriteOnly)) {
            fail(SshError::KeyFileError, tr("Cannot create a temporary askpass helper."));
            return;
        }
        script.write("#!/bin/sh\nprintf '%s\\n' \"$HIVELAB_KEYGEN_SECRET\"\n");
        script.close();
        script.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SSH_ASKPASS"), helper);
        env.insert(QStringLiteral("SSH_ASKPASS_REQUIRE"), QStringLiteral("force"));
        env.insert(QStringLiteral("DISPLAY"),
                   env.value(QStringLiteral("DISPLAY"), QStringLiteral(":0")));
        env.insert(QStringLiteral("HIVELAB_KEYGEN_SECRET"), passphrase);
        m_keygen->setProcessEnvironment(env);
    }
    m_keygen->setStandardInputFile(QProcess::nullDevice());
    connect(m_keygen.get(), &QProcess::finished, this,
            [this, askpassDir, privateKeyPath](int code, QProcess::ExitStatus status) {
                if (m_finished)
                    return;
                const QByteArray err = m_keygen->readAllStandardError();
                if (status != QProcess::NormalExit || code != 0 || !QFile::exists(privateKeyPath)) {
                    fail(SshError::KeyFileError, tr("ssh-keygen failed (%1): %2")
                                                     .arg(code)
                                                     .arg(QString::fromLocal8Bit(err).trimmed()));
                    return;
                }
                // ssh-keygen honours the umask for the public half; OpenSSH wants these modes.
                QFile::setPermissions(privateKeyPath,
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner);
                QFile::setPermissions(privateKeyPath + QStringLiteral(".pub"),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                          QFileDevice::ReadGroup | QFileDevice::ReadOther);
                setStep(Step::Done);
            });
    connect(m_keygen.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(SshError::KeyFileError,
                 tr("ssh-keygen not found: install openssh-client (Hivelab needs it to create "
                    "keys)."));
    });
    m_keygen->start(QStringLiteral("ssh-keygen"), args);
}

void SshKeySetup::install(SshSession *session, const SshConnectOptions &options,
                          const QString &privateKeyPath, const QString &passphrase,
                          bool disablePassword, const QString &sudoPassword,
                          const SshHardening &hardening)
{
    m_session = session;
    m_options = options;
    m_keyPath = privateKeyPath;
    m_passphrase = passphrase;
    m_disablePassword = disablePassword;
    m_sudoPassword = sudoPassword;
    m_hardening = hardening;
    setStep(Step::Install);
    QString error;
    const QByteArray line = publicKeyLine(privateKeyPath, &error);
    if (line.isEmpty()) {
        fail(SshError::KeyFileError, error);
        return;
    }
    // The key travels over stdin: no quoting issues, nothing in the remote argv.
    const QString script = QStringLiteral(
        "IFS= read -r key || exit 2; umask 077; cd || exit 3; "
        "mkdir -p .ssh && chmod 700 .ssh && touch .ssh/authorized_keys && "
        "chmod 600 .ssh/authorized_keys || exit 4; "
        "grep -qxF \"$key\" .ssh/authorized_keys && exit 0; "
        "if [ -s .ssh/authorized_keys ] && [ -n \"$(tail -c 1 .ssh/authorized_keys)\" ]; then "
        "echo >> .ssh/authorized_keys; fi; "
        "printf '%s\\n' \"$key\" >> .ssh/authorized_keys");
    SshExecOptions opts;
    opts.stdinData = line + '\n';
    opts.closeStdin = true;
    SshCommand *cmd =
        session->exec(QStringLiteral("sh -c %1").arg(SshSession::shellQuote(script)), opts);
    whenDone(cmd, SshError::TransferFailed,
             tr("Could not install the key in ~/.ssh/authorized_keys (exit %1): %2"),
             [this]() { verify(); });
}

void SshKeySetup::whenDone(SshCommand *cmd, SshError failCode, const QString &failText,
                           const std::function<void()> &next)
{
    auto stderrText = std::make_shared<QByteArray>();
    connect(cmd, &SshCommand::stderrData, this,
            [stderrText](const QByteArray &d) { *stderrText += d.left(4096); });
    connect(cmd, &SshCommand::finished, this,
            [this, stderrText, failCode, failText, next](int status, const QString &,
                                                         const SshErrorInfo &e) {
                if (m_finished)
                    return;
                if (e.isError())
                    fail(e.code, e.message);
                else if (status != 0)
                    fail(failCode,
                         failText.arg(status).arg(QString::fromUtf8(*stderrText).trimmed()));
                else
                    next();
            });
}

void SshKeySetup::verify()
{
    setStep(Step::Verify);
    SshAuth auth;
    auth.user = m_session ? m_session->user() : QString();
    auth.identityFiles = {m_keyPath};
    auth.passphrase = m_passphrase;
    auth.useAgent = false; // prove this very key works, not some agent key
    m_probe = std::make_unique<SshSession>();
    SshCommand *cmd = m_probe->exec(QStringLiteral("true"));
    connect(cmd, &SshCommand::finished, this,
            [this](int status, const QString &, const SshErrorInfo &e) {
                if (m_finished)
                    return;
                if (e.isError() || status != 0) {
                    fail(e.isError() ? e.code : SshError::AuthFailed,
                         tr("The key was installed but logging in with it failed, so password "
                            "login stays on: %1")
                             .arg(e.message));
                    return;
                }
                if (m_disablePassword)
                    disablePassword();
                else
                    setStep(Step::Done);
            });
    m_probe->connectToHost(m_options, auth);
}

void SshKeySetup::disablePassword()
{
    setStep(Step::DisablePassword);
    if (!m_session || !m_session->serverBanner().contains(QLatin1String("OpenSSH"))) {
        fail(SshError::ChannelFailed,
             tr("Turning password login off is only automated for OpenSSH. Key login works; "
                "for Dropbear add -s to DROPBEAR_EXTRA_ARGS in /etc/default/dropbear."));
        return;
    }
    // Written, checked with `sshd -t`, reloaded; a bad config is removed again before reload.
    // `sshd -T` (the effective settings) proves the drop-in is read at all: a config without
    // Debian's "Include sshd_config.d/*.conf" would otherwise keep passwords on silently.
    const QString file = SshSession::shellQuote(m_hardening.dropInFile);
    const QString config = SshSession::shellQuote(m_hardening.sshdConfig);
    const QString script =
        QStringLiteral("mkdir -p \"$(dirname %1)\" && "
                       "printf '# Hivelab: key login verified; delete this file and reload sshd "
                       "to allow passwords again.\\nPasswordAuthentication no\\n"
                       "KbdInteractiveAuthentication no\\n' > %1 && "
                       "if ! sshd -t -f %2; then rm -f %1; exit 6; fi; "
                       "if ! sshd -T -f %2 2>/dev/null | grep -qix 'passwordauthentication no'; "
                       "then rm -f %1; echo \"sshd does not read %1: %2 has no Include of its "
                       "folder\" >&2; exit 7; fi; %3")
            .arg(file, config, m_hardening.reloadCommand);
    SshExecOptions opts;
    opts.closeStdin = true;
    SshCommand *cmd = m_session->execAsRoot(script, m_sudoPassword, opts);
    whenDone(cmd, SshError::ChannelFailed,
             tr("Could not turn password login off (exit %1); nothing was changed: %2"),
             [this]() { setStep(Step::Done); });
}

} // namespace Hivelab
