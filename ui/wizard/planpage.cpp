// SPDX-License-Identifier: GPL-3.0-or-later
#include "planpage.h"

#include "labdocument.h"
#include "plural.h"
#include "setupwizard.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
constexpr int MinRacks = 1;
constexpr int MaxRacks = 20;
constexpr int MaxSlots = 64;
} // namespace

PlanPage::PlanPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Plan your racks"));
    setSubTitle(tr("Describe the racks, their power supplies and switches. Every rack gets its own "
                   "PSU and switch, so losing one never takes down more than that rack."));

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    m_newPlan = new QRadioButton(tr("&Design a new lab"), this);
    m_newPlan->setObjectName(QStringLiteral("planNew"));
    m_demo = new QRadioButton(tr("Start from the &demo lab (4 racks, 10 boards)"), this);
    m_demo->setObjectName(QStringLiteral("planDemo"));
    m_current = new QRadioButton(tr("Keep the &current lab"), this);
    m_current->setObjectName(QStringLiteral("planCurrent"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_newPlan);
    group->addButton(m_demo);
    group->addButton(m_current);
    m_newPlan->setChecked(true);
    layout->addWidget(m_newPlan);

    m_form = new QWidget(this);
    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(24, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_name = new QLineEdit(tr("My swarm"), m_form);
    m_name->setObjectName(QStringLiteral("labName"));
    m_name->setMinimumWidth(240);
    form->addRow(tr("Lab &name:"), m_name);

    // The ranges are wider than what is valid so a wrong value gets a message, not a silent clamp.
    m_racks = new QSpinBox(m_form);
    m_racks->setObjectName(QStringLiteral("racks"));
    m_racks->setRange(0, 99);
    m_racks->setValue(3);
    form->addRow(tr("&Racks:"), m_racks);

    m_slots = new QSpinBox(m_form);
    m_slots->setObjectName(QStringLiteral("slots"));
    m_slots->setRange(0, 999);
    m_slots->setValue(4);
    form->addRow(tr("&Slots per rack:"), m_slots);

    auto *psuRow = new QHBoxLayout;
    m_psuUnit = new QComboBox(m_form);
    m_psuUnit->setObjectName(QStringLiteral("psuUnit"));
    m_psuUnit->addItem(tr("Watts"));
    m_psuUnit->addItem(tr("Amps at volts"));
    m_psuWatts = new QDoubleSpinBox(m_form);
    m_psuWatts->setObjectName(QStringLiteral("psuWatts"));
    m_psuWatts->setRange(0, 5000);
    m_psuWatts->setDecimals(0);
    m_psuWatts->setSuffix(tr(" W"));
    m_psuWatts->setValue(60);
    m_ampsBox = new QWidget(m_form);
    auto *ampsRow = new QHBoxLayout(m_ampsBox);
    ampsRow->setContentsMargins(0, 0, 0, 0);
    m_psuAmps = new QDoubleSpinBox(m_ampsBox);
    m_psuAmps->setObjectName(QStringLiteral("psuAmps"));
    m_psuAmps->setRange(0, 500);
    m_psuAmps->setDecimals(1);
    m_psuAmps->setSuffix(tr(" A"));
    m_psuAmps->setValue(12);
    m_psuVolts = new QDoubleSpinBox(m_ampsBox);
    m_psuVolts->setObjectName(QStringLiteral("psuVolts"));
    m_psuVolts->setRange(0, 400);
    m_psuVolts->setDecimals(1);
    m_psuVolts->setSuffix(tr(" V"));
    m_psuVolts->setValue(5);
    ampsRow->addWidget(m_psuAmps);
    ampsRow->addWidget(new QLabel(tr("at"), m_ampsBox));
    ampsRow->addWidget(m_psuVolts);
    psuRow->addWidget(m_psuUnit);
    psuRow->addWidget(m_psuWatts);
    psuRow->addWidget(m_ampsBox);
    psuRow->addStretch(1);
    m_ampsBox->hide();
    form->addRow(tr("PSU rating per rack:"), psuRow);

    m_ports = new QSpinBox(m_form);
    m_ports->setObjectName(QStringLiteral("switchPorts"));
    m_ports->setRange(0, 1024);
    m_ports->setValue(8);
    form->addRow(tr("S&witch ports per rack:"), m_ports);
    layout->addWidget(m_form);

    layout->addWidget(m_demo);
    layout->addWidget(m_current);

    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("planPreview"));
    m_preview->setWordWrap(true);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->setMargin(10);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_preview);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("planMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    layout->addStretch(1);

    const auto changed = [this]() {
        updatePreview();
        Q_EMIT completeChanged();
    };
    connect(m_newPlan, &QRadioButton::toggled, this, changed);
    connect(m_demo, &QRadioButton::toggled, this, changed);
    connect(m_current, &QRadioButton::toggled, this, changed);
    connect(m_name, &QLineEdit::textChanged, this, changed);
    connect(m_racks, &QSpinBox::valueChanged, this, changed);
    connect(m_slots, &QSpinBox::valueChanged, this, changed);
    connect(m_ports, &QSpinBox::valueChanged, this, changed);
    connect(m_psuWatts, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_psuAmps, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_psuVolts, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_psuUnit, &QComboBox::currentIndexChanged, this, [this, changed](int index) {
        m_psuWatts->setVisible(index == 0);
        m_ampsBox->setVisible(index == 1);
        changed();
    });
}

void PlanPage::initializePage()
{
    const Lab &lab = m_wizard->document()->lab();
    const bool hasLab = !lab.racks.isEmpty() || !lab.boards.isEmpty();
    m_current->setEnabled(hasLab);
    if (hasLab && m_applied.isEmpty()) {
        m_current->setText(
            tr("Keep the &current lab (%1)").arg(lab.name.isEmpty() ? tr("unnamed") : lab.name));
        m_current->setChecked(true);
    }
    updatePreview();
}

QString PlanPage::problem() const
{
    if (!m_newPlan->isChecked())
        return {};
    if (m_name->text().trimmed().isEmpty())
        return tr("Give the lab a name.");
    if (m_racks->value() < MinRacks || m_racks->value() > MaxRacks)
        return tr("The number of racks must be between %1 and %2 (it is %3).")
            .arg(MinRacks)
            .arg(MaxRacks)
            .arg(m_racks->value());
    if (m_slots->value() < 1 || m_slots->value() > MaxSlots)
        return tr("Each rack needs between 1 and %1 slots (it is %2).")
            .arg(MaxSlots)
            .arg(m_slots->value());
    const double watts = m_psuUnit->currentIndex() == 0 ? m_psuWatts->value()
                                                        : m_psuAmps->value() * m_psuVolts->value();
    if (m_psuUnit->currentIndex() == 1 && (m_psuAmps->value() <= 0 || m_psuVolts->value() <= 0))
        return tr("Enter both the current (A) and the voltage (V) of the power supply.");
    if (watts <= 0)
        return tr("Enter the power supply's rating: the check needs it to spot overloaded PSUs.");
    if (m_ports->value() < m_slots->value())
        return tr("A switch with %1 ports cannot connect %2 boards; use at least %2 ports (%3 "
                  "with the uplink).")
            .arg(m_ports->value())
            .arg(m_slots->value())
            .arg(m_slots->value() + 1);
    return {};
}

bool PlanPage::isComplete() const
{
    return problem().isEmpty();
}

void PlanPage::updatePreview()
{
    m_form->setEnabled(m_newPlan->isChecked());
    const QString why = problem();
    if (!why.isEmpty()) {
        m_message->setText(QStringLiteral("<img src=\":/hivelab/wizard/failed.svg\" width=14 "
                                          "height=14>&nbsp;") +
                           why.toHtmlEscaped());
    } else if (m_newPlan->isChecked() && m_ports->value() == m_slots->value()) {
        m_message->setText(QStringLiteral("<img src=\":/hivelab/wizard/warning.svg\" width=14 "
                                          "height=14>&nbsp;") +
                           tr("Every port is taken by a board: there is none left for the "
                              "uplink to your network.")
                               .toHtmlEscaped());
    } else {
        m_message->clear();
    }

    QString text;
    if (m_demo->isChecked()) {
        text = tr("The demo lab: 4 mini-racks with their own PSU and switch, 7 Pine64 boards "
                  "(3 managers, 4 storage workers) and 3 Intel Up boards. Replace its addresses "
                  "with your own on the next page.");
    } else if (m_current->isChecked()) {
        const Lab &lab = m_wizard->document()->lab();
        text = tr("Keep %1 as it is. Racks: %2, power supplies: %3, switches: %4, boards: %5.")
                   .arg(lab.name.isEmpty() ? tr("the current lab") : lab.name)
                   .arg(lab.racks.size())
                   .arg(lab.powerSupplies.size())
                   .arg(lab.switches.size())
                   .arg(lab.boards.size());
    } else if (why.isEmpty()) {
        const double watts = m_psuUnit->currentIndex() == 0
                                 ? m_psuWatts->value()
                                 : m_psuAmps->value() * m_psuVolts->value();
        // A Pine A64 peaks at 10 W, a Raspberry Pi 4 at about 15 W.
        const int perPsu = int(watts / 10.0);
        text = tr("%1 × %2 slots = room for %3 boards.\n"
                  "Each rack: one %4 W power supply (enough for about %5 small boards at peak "
                  "load) and one %6-port switch.")
                   .arg(m_racks->value() == 1 ? tr("1 rack") : tr("%1 racks").arg(m_racks->value()))
                   .arg(m_slots->value())
                   .arg(m_racks->value() * m_slots->value())
                   .arg(watts, 0, 'f', 0)
                   .arg(perPsu)
                   .arg(m_ports->value());
        if (m_racks->value() < 3)
            text += QLatin1Char('\n') +
                    tr("With fewer than 3 racks, losing one rack can take the majority of "
                       "managers with it: the swarm cannot survive every rack failure.");
    }
    m_preview->setText(text);
    m_preview->setVisible(!text.isEmpty());
}

QString PlanPage::signature() const
{
    if (m_demo->isChecked())
        return QStringLiteral("demo");
    if (m_current->isChecked())
        return QStringLiteral("current");
    return QStringLiteral("new|%1|%2|%3|%4|%5|%6|%7|%8")
        .arg(m_name->text())
        .arg(m_racks->value())
        .arg(m_slots->value())
        .arg(m_psuUnit->currentIndex())
        .arg(m_psuWatts->value())
        .arg(m_psuAmps->value())
        .arg(m_psuVolts->value())
        .arg(m_ports->value());
}

Lab PlanPage::plannedLab(const Lab &base) const
{
    Lab lab;
    lab.name = m_name->text().trimmed();
    lab.swarm = base.swarm;
    const bool amps = m_psuUnit->currentIndex() == 1;
    for (int r = 1; r <= m_racks->value(); ++r) {
        Rack rack;
        rack.id = QStringLiteral("rack-%1").arg(r);
        rack.name = tr("Rack %1").arg(r);
        rack.slotCount = m_slots->value();
        lab.racks << rack;

        PowerSupply psu;
        psu.id = QStringLiteral("psu-%1").arg(r);
        psu.rackId = rack.id;
        if (amps) {
            psu.ratingAmps = m_psuAmps->value();
            psu.volts = m_psuVolts->value();
            psu.name = tr("PSU %1 (%2 V %3 A)")
                           .arg(r)
                           .arg(psu.volts, 0, 'g', 3)
                           .arg(psu.ratingAmps, 0, 'g', 3);
        } else {
            psu.ratingWatts = m_psuWatts->value();
            psu.name = tr("PSU %1 (%2 W)").arg(r).arg(psu.ratingWatts, 0, 'f', 0);
        }
        lab.powerSupplies << psu;

        NetworkSwitch sw;
        sw.id = QStringLiteral("switch-%1").arg(r);
        sw.name = tr("Switch %1 (%2 ports)").arg(r).arg(m_ports->value());
        sw.rackId = rack.id;
        sw.psuId = psu.id;
        sw.ports = m_ports->value();
        lab.switches << sw;
    }
    for (Board b : base.boards) {
        const Rack *rack = lab.rack(b.rackId);
        if (!rack || b.slot >= rack->slotCount) {
            b.rackId.clear();
            b.slot = -1;
        }
        if (!lab.powerSupply(b.psuId))
            b.psuId.clear();
        const NetworkSwitch *sw = lab.networkSwitch(b.switchId);
        if (!sw || b.switchPort > sw->ports) {
            b.switchId.clear();
            b.switchPort = -1;
        }
        lab.boards << b;
    }
    return lab;
}

bool PlanPage::validatePage()
{
    if (!isComplete())
        return false;
    const QString sig = signature();
    // Going Back and Next again must not throw away boards added on later pages.
    if (sig == m_applied)
        return true;
    LabDocument *doc = m_wizard->document();
    if (m_demo->isChecked()) {
        if (!m_wizard->requestDemo())
            return false; // the user kept their unsaved lab
    } else if (m_newPlan->isChecked()) {
        doc->setLab(plannedLab(doc->lab()));
        doc->setModified(true);
    }
    m_applied = sig;
    return true;
}

StepOutcome PlanPage::outcome() const
{
    const Lab &lab = m_wizard->document()->lab();
    if (lab.racks.isEmpty())
        return {};
    return {StepOutcome::State::Done, plural(int(lab.racks.size()), tr("%1 rack"), tr("%1 racks"))};
}

} // namespace Hivelab
