// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyloginsetup.h"

#include "labdocument.h"
#include "sshkeysetup.h"
#include "sshsession.h"

#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

namespace Hivelab {

KeyLoginSetup::KeyLoginSetup(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{}

QString KeyLoginSetup::chooseKey(const QString &requested, const QStringList &candidates)
{
    if (!requested.isEmpty())
        return requested;
    for (const QString &path : candidates) {
        if (QFileInfo(path).isFile())
            return path;
    }
    return candidates.value(0);
}

void KeyLoginSetup::begin()
{
    m_pending = skipWindowsBoards(selectLabBoards(),
                                  tr("Windows boards are not supported yet: add the key to the "
                                     "user's authorized_keys by hand."));
    if (m_pending.isEmpty()) {
        finishJob();
        return;
    }
    m_keyPath = chooseKey(m_requestedKey, BoardConnection::defaultIdentityFiles());
    if (QFileInfo(m_keyPath).isFile()) {
        log(QString(), tr("Key: %1").arg(m_keyPath));
        startBoards();
        return;
    }
    if (!m_requestedKey.isEmpty() || m_keyPath.isEmpty()) {
        failJob(tr("The key %1 does not exist.").arg(m_keyPath));
        return;
    }
    log(QString(), tr("No SSH key yet: creating %1 (ed25519, no passphrase).").arg(m_keyPath));
    m_keygen = new SshKeySetup(this);
    connect(m_keygen, &SshKeySetup::finished, this, [this](const SshErrorInfo &error) {
        m_keygen->deleteLater();
        if (isCancelled())
            return;
        if (error.isError()) {
            failJob(tr("Could not create the key: %1").arg(error.message));
            return;
        }
        m_generated = true;
        startBoards();
    });
    m_keygen->generate(m_keyPath, QStringLiteral("hivelab@%1").arg(QSysInfo::machineHostName()));
}

void KeyLoginSetup::startBoards()
{
    const QStringList boards = m_pending;
    for (const QString &id : boards)
        setUpBoard(id);
}

void KeyLoginSetup::setUpBoard(const QString &id)
{
    using Outcome = BoardResult::Outcome;
    withSession(id, [this, id](SshSession *session, const SshLogin &login) {
        auto *setup = new SshKeySetup(this);
        m_setups.insert(id, setup);
        connect(setup, &SshKeySetup::stepChanged, this,
                [this, id, user = login.auth.user](SshKeySetup::Step step) {
                    switch (step) {
                    case SshKeySetup::Step::Install:
                        log(id, tr("Adding the key to ~%1/.ssh/authorized_keys").arg(user));
                        break;
                    case SshKeySetup::Step::Verify:
                        log(id, tr("Logging in with the key alone"));
                        break;
                    case SshKeySetup::Step::DisablePassword:
                        log(id, tr("Key login works: turning password login off"));
                        break;
                    case SshKeySetup::Step::Generate:
                    case SshKeySetup::Step::Done:
                        break;
                    }
                });
        connect(
            setup, &SshKeySetup::finished, this,
            [this, id, setup, session = QPointer<SshSession>(session)](const SshErrorInfo &error) {
                m_setups.remove(id);
                setup->deleteLater();
                const bool openSsh =
                    session && session->serverBanner().contains(QLatin1String("OpenSSH"));
                releaseSession(id, error);
                if (!error.isError()) {
                    finishBoard(id, Outcome::Ok,
                                m_disablePassword ? tr("Key login works; password login is off.")
                                                  : tr("Key login works."));
                    finishJob();
                    return;
                }
                Outcome outcome = classify(error);
                if (error.code != SshError::Cancelled) {
                    if (setup->step() == SshKeySetup::Step::Verify)
                        outcome = Outcome::KeyRejected;
                    else if (setup->step() == SshKeySetup::Step::DisablePassword)
                        outcome = openSsh ? Outcome::Failed : Outcome::NotSupported;
                }
                finishBoard(id, outcome, error.message);
                finishJob();
            });
        setup->install(session, login.options, m_keyPath, QString(), m_disablePassword,
                       login.auth.password);
    });
}

void KeyLoginSetup::cancelWork()
{
    if (m_keygen)
        m_keygen->cancel();
    const QList<QPointer<SshKeySetup>> setups = m_setups.values();
    for (const QPointer<SshKeySetup> &s : setups) {
        if (s)
            s->cancel();
    }
}

} // namespace Hivelab
