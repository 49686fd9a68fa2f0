// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workflowjob.h"

#include <QPointer>

namespace Hivelab {

class SshKeySetup;

/// "Set up key login": makes the laptop's SSH key the way into the lab's boards. The key is the
/// one given (setKeyPath), else the first default identity that exists (~/.ssh/id_ed25519,
/// id_ecdsa, id_rsa, as the SSH layer tries them), else a new ~/.ssh/id_ed25519 made with
/// ssh-keygen. Then per board, in parallel over the job's pool: append the public key to the
/// login user's authorized_keys over the usual (password) login — once, however often it runs —
/// prove a key-only login works (no password, no agent), and only then, if asked, turn password
/// login off (OpenSSH; Dropbear boards report NotSupported). Windows boards: NotSupported.
/// Async job, GUI thread.
class KeyLoginSetup : public WorkflowJob
{
    Q_OBJECT
public:
    explicit KeyLoginSetup(LabDocument *document, QObject *parent = nullptr);

    /// Private key to install (its ".pub" must sit next to it). Empty: chosen as above.
    void setKeyPath(const QString &privateKeyPath) { m_requestedKey = privateKeyPath; }
    void setDisablePassword(bool disable) { m_disablePassword = disable; }

    /// The key used (known once the job started).
    QString keyPath() const { return m_keyPath; }
    /// True when this run created the key.
    bool generatedKey() const { return m_generated; }

    /// The private key a run uses: `requested` if not empty, else the first of `candidates`
    /// that exists, else the first candidate (to be generated). Synchronous, any thread.
    static QString chooseKey(const QString &requested, const QStringList &candidates);

protected:
    void begin() override;
    void cancelWork() override;

private:
    void startBoards();
    void setUpBoard(const QString &id);

    QString m_requestedKey;
    QString m_keyPath;
    bool m_disablePassword = false;
    bool m_generated = false;
    QStringList m_pending;
    QPointer<SshKeySetup> m_keygen;
    QHash<QString, QPointer<SshKeySetup>> m_setups;
};

} // namespace Hivelab
