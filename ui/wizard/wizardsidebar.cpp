// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizardsidebar.h"

#include <QGridLayout>
#include <QIcon>
#include <QLabel>
#include <QPalette>
#include <QVBoxLayout>

namespace Hivelab {

WizardSidebar::WizardSidebar(const QStringList &steps, QWidget *parent)
    : QWidget(parent)
    , m_steps(steps)
{
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, pal.color(QPalette::AlternateBase));
    setPalette(pal);
    setMinimumWidth(240);

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(16, 16, 16, 16);
    outer->setSpacing(14);

    auto *header = new QHBoxLayout;
    auto *logo = new QLabel(this);
    logo->setObjectName(QStringLiteral("wizardLogo"));
    logo->setPixmap(QIcon(QStringLiteral(":/icons/hivelab.svg")).pixmap(40, 40));
    header->addWidget(logo);
    auto *title = new QLabel(tr("Hivelab setup"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    title->setFont(f);
    header->addWidget(title, 1);
    outer->addLayout(header);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (int i = 0; i < steps.size(); ++i) {
        auto *icon = new QLabel(this);
        icon->setFixedSize(16, 16);
        auto *label = new QLabel(steps.at(i), this);
        auto *state = new QLabel(this);
        state->setObjectName(QStringLiteral("stepState-%1").arg(i));
        state->setFont(small);
        state->setWordWrap(true);
        grid->addWidget(icon, 2 * i, 0, Qt::AlignTop);
        grid->addWidget(label, 2 * i, 1);
        grid->addWidget(state, 2 * i + 1, 1);
        grid->setRowMinimumHeight(2 * i + 1, 8);
        m_icons << icon;
        m_labels << label;
        m_states << state;
        m_outcomes << StepOutcome();
    }
    outer->addLayout(grid);
    outer->addStretch(1);
    setCurrent(0);
}

void WizardSidebar::setCurrent(int index)
{
    m_current = index;
    m_reached = qMax(m_reached, index);
    refresh();
}

void WizardSidebar::setOutcome(int index, const StepOutcome &outcome)
{
    // Pages report on every change of theirs (a scan's each row): a refresh rebuilds every
    // step's icon from its SVG (about 30M instructions), so only for a new outcome.
    if (index < 0 || index >= m_outcomes.size() || m_outcomes.at(index) == outcome)
        return;
    m_outcomes[index] = outcome;
    refresh();
}

QString WizardSidebar::stateText(int index) const
{
    if (index < 0 || index >= m_outcomes.size())
        return {};
    const StepOutcome &o = m_outcomes.at(index);
    // A step not reached yet is "to do", whatever the lab already holds; the current one
    // gets a verdict once something ran on it.
    if (index > m_reached || (index == m_current && o.state == StepOutcome::State::NotRun))
        return {};
    QString text = StepOutcome::text(o.state);
    if (!o.detail.isEmpty())
        text += QStringLiteral(" · ") + o.detail;
    return text;
}

void WizardSidebar::refresh()
{
    for (int i = 0; i < m_labels.size(); ++i) {
        QFont f = font();
        f.setBold(i == m_current);
        m_labels[i]->setFont(f);
        QPalette pal = palette();
        if (i > m_reached)
            pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
        m_labels[i]->setPalette(pal);
        QPalette statePal = palette();
        statePal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
        m_states[i]->setPalette(statePal);

        const StepOutcome &o = m_outcomes.at(i);
        const QString state = stateText(i);
        m_states[i]->setText(state);
        m_states[i]->setVisible(!state.isEmpty());
        QIcon icon;
        QString where;
        if (i == m_current) {
            icon = QIcon(QStringLiteral(":/hivelab/wizard/step-current.svg"));
            where = tr("current step");
        } else if (state.isEmpty()) {
            icon = QIcon(QStringLiteral(":/hivelab/wizard/pending.svg"));
            where = tr("to do");
        } else {
            icon = StepOutcome::icon(o.state);
        }
        m_icons[i]->setPixmap(icon.pixmap(16, 16));
        QString tip = m_steps.at(i);
        for (const QString &part : {where, state}) {
            if (!part.isEmpty())
                tip += QStringLiteral(" — ") + part;
        }
        m_icons[i]->setToolTip(tip);
        m_labels[i]->setToolTip(tip);
        m_states[i]->setToolTip(tip);
        m_labels[i]->setAccessibleName(tip);
        m_icons[i]->setAccessibleName(tip);
    }
}

} // namespace Hivelab
