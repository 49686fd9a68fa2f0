// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QPointer>
#include <QWizardPage>

class QCheckBox;
class QLabel;
class QPushButton;
class QFrame;

namespace Hivelab {

class BoardStatusTable;
class IdentifyWorkflow;
class KeyLoginSetup;
class WorkflowJob;
class SetupWizard;
struct BoardResult;

/// Step 4: user and password per board, keychain, host-key confirmation, connection test.
class ConnectPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectPage)
public:
    explicit ConnectPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;
    void cleanupPage() override;

    /// "ED25519 key fingerprint is SHA256:…", as OpenSSH's ssh prints it.
    static QString openSshFingerprintLine(const QString &keyType, const QString &fingerprint);

    void testConnections();
    /// Installs the user's SSH key on the boards and verifies key-only login (KeyLoginSetup),
    /// with per-board status in the table; Cancel stops it.
    void installKey();
    void cancel();
    void acceptHostKey();
    void rejectHostKey();

private:
    /// Fills what the lab does not know yet from a sign-in's identification (undoable).
    void applyFacts(const QString &id, const IdentifyWorkflow &job);
    /// The Connect step's sign-in job on `ids`; `acceptFingerprint` trusts that new host key.
    IdentifyWorkflow *startJob(const QStringList &ids, const QString &acceptFingerprint);
    /// Logins, passwords, board filter and "running" statuses of a Connect step job.
    void prepareJob(WorkflowJob *job, const QStringList &ids, const QString &acceptFingerprint,
                    const QString &runningText);
    struct PendingKey
    {
        QString boardId;
        QString keyType;
        QString fingerprint;
    };

    void syncCredentials();
    void onBoardFinished(const QString &boardId, const IdentifyWorkflow &job, bool afterAccept,
                         const QString &acceptedFingerprint);
    bool isRunning() const;
    void showNextHostKey();
    void updateButtons();
    void updateBackendLabel();
    QString keyFor(const QString &boardId) const;
    /// Puts the users SetupWizard::resolveLoginUsers() found into the cells nobody typed in.
    void fillResolvedUsers();

    SetupWizard *m_wizard;
    BoardStatusTable *m_table;
    QCheckBox *m_remember;
    QLabel *m_backend;
    QPushButton *m_test;
    QPushButton *m_installKey;
    QPushButton *m_cancel;
    QFrame *m_keyPanel;
    QLabel *m_keyText;
    QPushButton *m_accept;
    QPushButton *m_reject;
    QLabel *m_warning;
    QPointer<IdentifyWorkflow> m_job;
    QPointer<IdentifyWorkflow> m_acceptJob;
    QPointer<KeyLoginSetup> m_keyJob;
    QList<PendingKey> m_pendingKeys;
    bool m_probed = false;
};

} // namespace Hivelab
