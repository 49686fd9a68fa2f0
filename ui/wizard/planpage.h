// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QWizardPage>

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QWidget;

namespace Hivelab {

class SetupWizard;
struct Lab;

/// Step 1: racks, power supplies and switches (or the demo / the current lab).
class PlanPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanPage)
public:
    explicit PlanPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    /// Why the entered plan cannot be used (empty: it can). Shown under the form.
    QString problem() const;
    /// The lab the form describes, built on `base` (its boards are kept, unplaced if their rack
    /// is gone).
    Lab plannedLab(const Lab &base) const;

private:
    void updatePreview();
    QString signature() const;

    SetupWizard *m_wizard;
    QRadioButton *m_newPlan;
    QRadioButton *m_demo;
    QRadioButton *m_current;
    QWidget *m_form;
    QLineEdit *m_name;
    QSpinBox *m_racks;
    QSpinBox *m_slots;
    QComboBox *m_psuUnit;
    QDoubleSpinBox *m_psuWatts;
    QDoubleSpinBox *m_psuAmps;
    QDoubleSpinBox *m_psuVolts;
    QWidget *m_ampsBox;
    QSpinBox *m_ports;
    QLabel *m_preview;
    QLabel *m_message;
    QString m_applied;
};

} // namespace Hivelab
