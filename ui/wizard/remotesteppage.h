// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardstatus.h"
#include "setupwizard.h"
#include "stepoutcome.h"

#include <QPointer>
#include <QWizardPage>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace Hivelab {

class BoardStatusTable;
class WorkflowJob;
struct Lab;
struct Board;

/// A wizard step that runs one workflow job on every signed-in board and shows
/// per-board progress; cancelling keeps finished boards, starting again resumes the rest.
class RemoteStepPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RemoteStepPage)
public:
    RemoteStepPage(SetupWizard *wizard, SetupWizard::PageId step, const QString &startText);

    void initializePage() override;
    bool isComplete() const override;
    StepOutcome outcome() const override;

    void start();
    void cancel();
    bool isRunning() const;

protected:
    /// Instructions shown above the table (HTML).
    virtual QString instructionsHtml() const = 0;
    /// Boards this step does not run on, with the reason (empty: run it).
    virtual QString skipReason(const Board &board) const;
    /// The provisioning workflow doing this step. A new job per run; the page owns it.
    virtual WorkflowJob *createJob() = 0;
    /// How the sidebar counts this step's finished boards ("%1 of %2 boards …").
    virtual QString doneText() const = 0;

    SetupWizard *m_wizard;
    SetupWizard::PageId m_step;

private:
    void setBoardStatus(const QString &id, const BoardStatus &status);
    void updateButtons();

    QTextBrowser *m_instructions;
    BoardStatusTable *m_table;
    QLabel *m_summary;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QPointer<WorkflowJob> m_job;
};

} // namespace Hivelab
