// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QList>
#include <QWidget>

class QLabel;

namespace Hivelab {

/// Step list shown at the wizard's side: the current step highlighted, every other one with
/// the outcome its page reports (ticked only when it completed; partial, failed and not-run
/// steps have their own icon shape and words, not just another colour).
class WizardSidebar : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WizardSidebar)
public:
    explicit WizardSidebar(const QStringList &steps, QWidget *parent = nullptr);
    void setCurrent(int index);
    int current() const { return m_current; }
    /// What step `index` reports; steps not reached yet stay "to do" whatever they report.
    void setOutcome(int index, const StepOutcome &outcome);
    StepOutcome outcome(int index) const { return m_outcomes.value(index); }
    /// The words shown under step `index` ("✓ done · 4 of 4 boards signed in"); empty for a
    /// step still to come.
    QString stateText(int index) const;

private:
    void refresh();

    QStringList m_steps;
    QList<QLabel *> m_icons;
    QList<QLabel *> m_labels;
    QList<QLabel *> m_states;
    QList<StepOutcome> m_outcomes;
    int m_current = -1;
    int m_reached = 0; // furthest step shown so far
};

} // namespace Hivelab
