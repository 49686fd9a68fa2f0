// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QStringList>
#include <QWizardPage>

class QLabel;
class QTableWidget;

namespace Hivelab {

class SetupWizard;
struct Lab;

/// Step 6: which boards are managers, with the fault-domain check's suggestion and a live
/// quorum / single-failure summary.
class ManagersPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManagersPage)
public:
    explicit ManagersPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QStringList checkedManagers() const;
    void setManagerChecked(const QString &boardId, bool checked);
    /// The lab with the roles as ticked on this page.
    Lab candidateLab() const;

private:
    void updateSummary();

    SetupWizard *m_wizard;
    QLabel *m_suggestion;
    QTableWidget *m_table;
    QLabel *m_summary;
    QStringList m_boardIds;
};

} // namespace Hivelab
