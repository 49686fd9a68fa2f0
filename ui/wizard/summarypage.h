// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QPointer>
#include <QWizardPage>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace Hivelab {

class BoardStatusTable;
class RemoteAccess;
class RemoteAccessStore;
class SetupWizard;
struct Lab;

/// Step 8: what was done and what failed per board, and how to use the swarm from the laptop.
class SummaryPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SummaryPage)
public:
    explicit SummaryPage(SetupWizard *wizard);

    StepOutcome outcome() const override;
    ~SummaryPage() override;

    void initializePage() override;

    /// `docker context` commands (and the DOCKER_HOST alternative) for the lab's first manager:
    /// over TLS on 2376 with the client certificate in `tlsCertFolder` when given (remote
    /// access set up), and over ssh://.
    static QString dockerContextCommands(const Lab &lab, const QString &tlsCertFolder = {});

    /// "Set up remote access (TLS)": runs RemoteAccess on the boards, per-board progress in
    /// the table below it. Returns at once.
    void startRemoteAccess();
    void cancelRemoteAccess();
    bool isRemoteAccessRunning() const;

private:
    void updateSaveState();
    void save();
    void updateCommands();

    SetupWizard *m_wizard;
    QTextBrowser *m_report;
    QPlainTextEdit *m_commands;
    QLabel *m_saveNote;
    QPushButton *m_save;
    QPushButton *m_remote;
    QPushButton *m_remoteCancel;
    BoardStatusTable *m_remoteTable;
    std::unique_ptr<RemoteAccessStore> m_remoteStore;
    QPointer<RemoteAccess> m_remoteJob;
    bool m_tlsReady = false;
};

} // namespace Hivelab
