// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspectorwidget.h"
#include "plural.h"

#include "addressrules.h"
#include "boardcatalog.h"
#include "boardplacement.h"
#include "firstbootplan.h"
#include "labdocument.h"
#include "labindex.h"
#include "wrappedlabel.h"

#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStringListModel>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
// The model ID a model combo holds: the chosen catalog model's, else what was typed (a catalog
// name typed in full counts as that model).
QString modelId(const QComboBox &combo)
{
    const QString text = combo.currentText().trimmed();
    if (text.isEmpty())
        return {};
    const int index = combo.findText(text, Qt::MatchFixedString);
    return index >= 0 ? combo.itemData(index).toString() : text;
}

// "none", then the objects by name, selecting `current`. A dangling reference stays as it is
// (the check reports it) until another is chosen.
template <typename T>
void fillChoices(QComboBox *combo, const QString &none, const QList<T> &objects,
                 const QString &current)
{
    combo->clear();
    combo->addItem(none, QString());
    for (const T &o : objects)
        combo->addItem(o.name, o.id);
    if (combo->findData(current) < 0)
        combo->addItem(InspectorWidget::tr("(unknown: %1)").arg(current), current);
    combo->setCurrentIndex(combo->findData(current));
}
QFont titleFont(QFont font)
{
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.15);
    return font;
}
} // namespace

InspectorWidget::InspectorWidget(LabDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_placeholder =
        new WrappedLabel(tr("Select a board on the canvas or in the inventory, or click a "
                            "rack, power supply or switch, to see and edit its details."),
                         this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setMargin(16);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_placeholder);

    connect(m_document, &LabDocument::reset, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectChanged, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectRemoved, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectAdded, this, &InspectorWidget::onLabChanged);
    setMinimumWidth(260);
}

QWidget *InspectorWidget::boardPage()
{
    if (m_boardPage)
        return m_boardPage;
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setContentsMargins(10, 8, 10, 8);
    m_title = new QLabel(page);
    m_title->setFont(titleFont(m_title->font()));
    form->addRow(m_title);

    m_name = new QLineEdit(page);
    m_hostname = new QLineEdit(page);
    m_hostname->setPlaceholderText(tr("e.g. pine64-1"));
    // A choice from the catalog (its one spelling of each model); a model it does not know
    // can still be typed in as an ID.
    m_model = new QComboBox(page);
    m_model->setObjectName(QStringLiteral("inspectorModel"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(12);
    m_model->addItem(tr("(not known)"), QString());
    for (const BoardModelInfo &m : BoardCatalog::builtin().models())
        m_model->addItem(m.name, m.id);
    m_model->lineEdit()->setPlaceholderText(tr("a catalog model, or a model ID"));
    m_model->setToolTip(tr("Pick the board's model from the catalog, or type the ID of one it "
                           "does not know"));
    m_arch = new QComboBox(page);
    m_arch->addItems({QStringLiteral("arm64"), QStringLiteral("amd64"), QStringLiteral("armhf")});
    m_arch->setEditable(true);
    m_os = new QLineEdit(page);
    m_mac = new QLineEdit(page);
    m_mac->setPlaceholderText(QStringLiteral("02:00:00:00:00:01"));
    m_ip = new QLineEdit(page);
    m_ip->setPlaceholderText(tr("empty: DHCP, not known yet"));
    m_addressing = new QComboBox(page);
    m_addressing->addItem(tr("DHCP"), int(Addressing::Dhcp));
    m_addressing->addItem(tr("Static"), int(Addressing::Static));
    m_sshUser = new QLineEdit(page);
    m_sshPort = new QSpinBox(page);
    m_sshPort->setRange(1, 65535);
    m_role = new QComboBox(page);
    m_role->addItem(tr("Manager"), int(Role::Manager));
    m_role->addItem(tr("Worker"), int(Role::Worker));
    m_role->addItem(tr("Unassigned"), int(Role::Unassigned));
    m_rack = new QComboBox(page);
    m_slot = new QSpinBox(page);
    m_slot->setRange(1, 64);
    m_psu = new QComboBox(page);
    m_switch = new QComboBox(page);
    m_port = new QSpinBox(page);
    m_port->setSpecialValueText(tr("not known"));
    m_notes = new QLineEdit(page);
    m_error = new QLabel(page);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_error->hide();

    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Hostname"), m_hostname);
    form->addRow(tr("Mo&del"), m_model);
    form->addRow(tr("&Arch"), m_arch);
    form->addRow(tr("&OS"), m_os);
    form->addRow(tr("&MAC"), m_mac);
    form->addRow(tr("&IP address"), m_ip);
    form->addRow(tr("Addressing"), m_addressing);
    form->addRow(tr("SSH &user"), m_sshUser);
    form->addRow(tr("SSH &port"), m_sshPort);
    form->addRow(tr("&Role"), m_role);
    form->addRow(tr("Ra&ck"), m_rack);
    form->addRow(tr("&Slot"), m_slot);
    form->addRow(tr("Power s&upply"), m_psu);
    form->addRow(tr("S&witch"), m_switch);
    form->addRow(tr("Switch p&ort"), m_port);
    form->addRow(tr("No&tes"), m_notes);
    form->addRow(m_error);
    scroll->setWidget(page);
    m_stack->addWidget(scroll);

    for (QLineEdit *e : {m_name, m_hostname, m_os, m_mac, m_ip, m_sshUser, m_notes})
        connect(e, &QLineEdit::editingFinished, this, &InspectorWidget::commit);
    connect(m_arch->lineEdit(), &QLineEdit::editingFinished, this, &InspectorWidget::commit);
    connect(m_model->lineEdit(), &QLineEdit::editingFinished, this, &InspectorWidget::commit);
    for (QComboBox *c : {m_model, m_arch, m_addressing, m_role, m_psu})
        connect(c, &QComboBox::activated, this, &InspectorWidget::commit);
    connect(m_switch, &QComboBox::activated, this, &InspectorWidget::onSwitchChosen);
    for (QSpinBox *spin : {m_sshPort, m_port})
        connect(spin, &QSpinBox::editingFinished, this, &InspectorWidget::commit);
    auto requestMove = [this]() {
        if (m_loading || m_boardId.isEmpty())
            return;
        const QString rackId = m_rack->currentData().toString();
        Q_EMIT moveRequested(m_boardId, rackId, rackId.isEmpty() ? -1 : m_slot->value() - 1);
    };
    connect(m_rack, &QComboBox::activated, this, requestMove);
    connect(m_slot, &QSpinBox::editingFinished, this, requestMove);

    m_boardPage = scroll;
    placeInTabOrder(m_boardPage);
    return m_boardPage;
}

QWidget *InspectorWidget::objectPage()
{
    if (m_objectPage)
        return m_objectPage;
    // One small form per kind in a stack (QFormLayout::setRowVisible corrupts memory in Qt 6.4).
    auto *page = new QWidget(this);
    auto *column = new QVBoxLayout(page);
    column->setContentsMargins(10, 8, 10, 8);
    m_infraTitle = new QLabel(page);
    m_infraTitle->setFont(titleFont(m_infraTitle->font()));
    column->addWidget(m_infraTitle);
    const auto newForm = [](QWidget *parent) {
        auto *form = new QFormLayout(parent);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setContentsMargins(0, 0, 0, 0);
        return form;
    };
    QFormLayout *common = newForm(nullptr);
    column->addLayout(common);
    m_infraStack = new QStackedWidget(page);
    auto *rackPage = new QWidget(m_infraStack);
    auto *psuPage = new QWidget(m_infraStack);
    auto *switchPage = new QWidget(m_infraStack);
    QFormLayout *rackForm = newForm(rackPage);
    m_infraForm = newForm(psuPage);
    QFormLayout *switchForm = newForm(switchPage);
    m_infraStack->addWidget(rackPage);
    m_infraStack->addWidget(psuPage);
    m_infraStack->addWidget(switchPage);
    column->addWidget(m_infraStack);
    m_infraName = new QLineEdit(page);
    m_rackSlots = new QSpinBox(page);
    m_rackSlots->setRange(1, 64);
    m_psuWatts = new QDoubleSpinBox(page);
    m_psuWatts->setRange(0, 100000);
    m_psuWatts->setSuffix(QStringLiteral(" W"));
    m_psuAmps = new QDoubleSpinBox(page);
    m_psuAmps->setRange(0, 1000);
    m_psuAmps->setSuffix(QStringLiteral(" A"));
    m_psuVolts = new QDoubleSpinBox(page);
    m_psuVolts->setRange(0, 1000);
    m_psuVolts->setSuffix(QStringLiteral(" V"));
    m_psuCircuit = new QLineEdit(page);
    m_psuCircuit->setPlaceholderText(tr("e.g. wall-A (the socket or fuse it hangs on)"));
    m_circuits = new QCompleter(new QStringListModel(this), this);
    m_circuits->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_psuCircuit->setCompleter(m_circuits);
    m_switchPorts = new QSpinBox(page);
    m_switchPorts->setRange(1, 128);
    m_switchUplink = new QLineEdit(page);
    m_switchUplink->setPlaceholderText(tr("e.g. home router"));
    m_infraError = new QLabel(page);
    m_infraError->setWordWrap(true);
    m_infraError->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_infraError->hide();
    common->addRow(tr("&Name"), m_infraName);
    rackForm->addRow(tr("&Slots"), m_rackSlots);
    m_infraForm->addRow(tr("&Rating"), m_psuWatts);
    m_infraForm->addRow(tr("Current"), m_psuAmps);
    m_infraForm->addRow(tr("Voltage"), m_psuVolts);
    m_infraForm->addRow(tr("&Circuit"), m_psuCircuit);
    switchForm->addRow(tr("&Ports"), m_switchPorts);
    switchForm->addRow(tr("&Uplink"), m_switchUplink);
    column->addWidget(m_infraError);
    column->addStretch(1);
    m_stack->addWidget(page);

    for (QLineEdit *e : {m_infraName, m_psuCircuit, m_switchUplink})
        connect(e, &QLineEdit::editingFinished, this, &InspectorWidget::commitObject);
    for (QAbstractSpinBox *s :
         std::initializer_list<QAbstractSpinBox *>{m_rackSlots, m_psuWatts, m_psuAmps, m_psuVolts,
                                                   m_switchPorts})
        connect(s, &QAbstractSpinBox::editingFinished, this, &InspectorWidget::commitObject);
    m_objectPage = page;
    placeInTabOrder(m_objectPage);
    return m_objectPage;
}

void InspectorWidget::placeInTabOrder(QWidget *page)
{
    // A new widget joins the end of its window's focus chain (after the status bar); Tab
    // should reach a form between the inventory and the check results, as the constructor
    // once built it. The inspector's own widgets before the forms take no focus.
    const auto isStop = [](const QWidget *w) {
        return (w->focusPolicy() & Qt::TabFocus) && !w->focusProxy();
    };
    QWidget *previous = nullptr;
    for (QWidget *w = previousInFocusChain(); w != this; w = w->previousInFocusChain()) {
        if (isStop(w) && w != page && !page->isAncestorOf(w)) {
            previous = w;
            break;
        }
    }
    if (!previous)
        return; // the inspector is alone in its window
    QList<QWidget *> stops;
    for (QWidget *w = page;; w = w->nextInFocusChain()) {
        if ((w == page || page->isAncestorOf(w)) && isStop(w))
            stops.append(w);
        if (w->nextInFocusChain() == page)
            break;
    }
    for (QWidget *w : std::as_const(stops)) {
        setTabOrder(previous, w);
        previous = w;
    }
}

void InspectorWidget::setBoardIds(const QStringList &boardIds)
{
    m_boardIds = boardIds;
    m_boardId = boardIds.size() == 1 ? boardIds.first() : QString();
    // A rack, PSU or switch stays shown until boards are selected or it is cleared.
    if (!boardIds.isEmpty())
        m_infraId.clear();
    if (m_infraId.isEmpty())
        reload();
}

void InspectorWidget::showObject(ObjectKind kind, const QString &id)
{
    m_infraKind = kind;
    m_infraId = kind == ObjectKind::Board ? QString() : id;
    if (m_infraId.isEmpty())
        reload();
    else
        reloadObject();
}

void InspectorWidget::onLabChanged()
{
    if (!m_boardId.isEmpty() && !m_document->lab().board(m_boardId))
        m_boardId.clear();
    if (!m_infraId.isEmpty()) {
        reloadObject();
        return;
    }
    reload();
}

void InspectorWidget::reloadObject()
{
    const Lab &lab = m_document->lab();
    const Rack *rack = m_infraKind == ObjectKind::Rack ? lab.rack(m_infraId) : nullptr;
    const PowerSupply *psu =
        m_infraKind == ObjectKind::PowerSupply ? lab.powerSupply(m_infraId) : nullptr;
    const NetworkSwitch *sw = m_infraKind == ObjectKind::Switch ? lab.networkSwitch(m_infraId)
                                                                : nullptr;
    if (!rack && !psu && !sw) {
        m_infraId.clear();
        reload();
        return;
    }
    objectPage();
    m_loading = true;
    // A PSU planned as amps at volts is edited that way; one rated in watts in watts.
    m_psuInAmps = psu && psu->ratingWatts <= 0 && psu->ratingAmps > 0;
    for (QWidget *w : {static_cast<QWidget *>(m_psuWatts), m_infraForm->labelForField(m_psuWatts)})
        w->setVisible(!m_psuInAmps);
    for (QWidget *w : {static_cast<QWidget *>(m_psuAmps), m_infraForm->labelForField(m_psuAmps),
                       static_cast<QWidget *>(m_psuVolts), m_infraForm->labelForField(m_psuVolts)})
        w->setVisible(m_psuInAmps);
    m_infraStack->setCurrentIndex(rack ? 0 : psu ? 1 : 2);
    if (rack) {
        m_infraTitle->setText(tr("Rack: %1").arg(rack->name));
        m_infraName->setText(rack->name);
        m_rackSlots->setValue(rack->slotCount);
    } else if (psu) {
        m_infraTitle->setText(tr("Power supply: %1").arg(psu->name));
        m_infraName->setText(psu->name);
        m_psuWatts->setValue(psu->ratingWatts);
        m_psuAmps->setValue(psu->ratingAmps);
        m_psuVolts->setValue(psu->volts);
        m_psuCircuit->setText(psu->circuit);
        static_cast<QStringListModel *>(m_circuits->model())
            ->setStringList(LabIndex(lab).circuits());
    } else {
        m_infraTitle->setText(tr("Switch: %1").arg(sw->name));
        m_infraName->setText(sw->name);
        m_switchPorts->setValue(sw->ports);
        m_switchUplink->setText(sw->uplink);
    }
    m_infraName->setStyleSheet(QString());
    m_infraError->hide();
    m_stack->setCurrentWidget(m_objectPage);
    m_loading = false;
}

bool InspectorWidget::commitObject()
{
    if (m_loading || m_infraId.isEmpty())
        return false;
    const Lab &lab = m_document->lab();
    m_infraError->hide();
    const QString name = m_infraName->text().trimmed();
    if (!validate(m_infraName, !name.isEmpty(), tr("Name: it needs a name."), m_infraError))
        return false;
    const auto refuse = [this](const QString &message) {
        m_infraError->setText(message);
        m_infraError->show();
        return false;
    };
    if (const Rack *rack = m_infraKind == ObjectKind::Rack ? lab.rack(m_infraId) : nullptr) {
        int highest = 0;
        for (const Board &b : lab.boards) {
            if (b.rackId == rack->id)
                highest = qMax(highest, b.slot + 1);
        }
        if (m_rackSlots->value() < highest)
            return refuse(tr("Slots: slot %1 holds a board; move it first.").arg(highest));
        Rack after = *rack;
        after.name = name;
        after.slotCount = m_rackSlots->value();
        if (!(after == *rack))
            Q_EMIT rackEditRequested(after);
        return true;
    }
    if (const PowerSupply *psu =
            m_infraKind == ObjectKind::PowerSupply ? lab.powerSupply(m_infraId) : nullptr) {
        PowerSupply after = *psu;
        after.name = name;
        after.circuit = m_psuCircuit->text().trimmed();
        if (!m_psuInAmps) {
            after.ratingWatts = m_psuWatts->value();
        } else {
            after.ratingAmps = m_psuAmps->value();
            after.volts = m_psuVolts->value();
        }
        if (after.effectiveWatts() <= 0)
            return refuse(tr("Rating: a power supply needs a rating above zero."));
        if (!(after == *psu))
            Q_EMIT powerSupplyEditRequested(after);
        return true;
    }
    if (const NetworkSwitch *sw =
            m_infraKind == ObjectKind::Switch ? lab.networkSwitch(m_infraId) : nullptr) {
        int highest = 0;
        for (const Board &b : lab.boards) {
            if (b.switchId == sw->id)
                highest = qMax(highest, b.switchPort);
        }
        if (m_switchPorts->value() < highest)
            return refuse(tr("Ports: port %1 is cabled to a board; recable it first.")
                              .arg(highest));
        NetworkSwitch after = *sw;
        after.name = name;
        after.ports = m_switchPorts->value();
        after.uplink = m_switchUplink->text().trimmed();
        if (!(after == *sw))
            Q_EMIT switchEditRequested(after);
        return true;
    }
    return false;
}

void InspectorWidget::reload()
{
    const Board *b = m_boardId.isEmpty() ? nullptr : m_document->lab().board(m_boardId);
    if (!b) {
        m_placeholder->setText(
            m_boardIds.size() > 1
                ? tr("%1 boards selected.\nDrag them together on the canvas, or use the "
                     "context menu to change their role.")
                      .arg(m_boardIds.size())
                : tr("Select a board on the canvas or in the inventory, or click a rack, power "
                     "supply or switch, to see and edit its details."));
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    boardPage();
    m_loading = true;
    m_title->setText(b->name);
    m_name->setText(b->name);
    m_hostname->setText(b->hostname);
    // A model the catalog does not know stays as its ID, not as "(not known)".
    if (const int index = m_model->findData(b->model); index >= 0)
        m_model->setCurrentIndex(index);
    else
        m_model->setEditText(b->model);
    m_arch->setCurrentText(b->arch);
    m_os->setText(b->os);
    m_mac->setText(b->mac);
    m_ip->setText(b->ip);
    m_addressing->setCurrentIndex(m_addressing->findData(int(b->addressing)));
    m_sshUser->setText(b->sshUser);
    m_sshPort->setValue(b->sshPort);
    m_role->setCurrentIndex(m_role->findData(int(b->role)));
    m_rack->clear();
    m_rack->addItem(tr("(not in a rack)"), QString());
    int slotMax = 1;
    for (const Rack &r : m_document->lab().racks) {
        m_rack->addItem(r.name, r.id);
        if (r.id == b->rackId)
            slotMax = r.slotCount;
    }
    m_rack->setCurrentIndex(qMax(0, m_rack->findData(b->rackId)));
    m_slot->setRange(1, qMax(slotMax, b->slot + 1));
    m_slot->setValue(b->slot + 1);
    m_slot->setEnabled(!b->rackId.isEmpty());
    fillChoices(m_psu, tr("(none: own adapter)"), m_document->lab().powerSupplies, b->psuId);
    fillChoices(m_switch, tr("(none)"), m_document->lab().switches, b->switchId);
    setPortRange(b->switchId);
    m_port->setValue(qMax(0, b->switchPort));
    m_notes->setText(b->notes);
    for (QLineEdit *e : {m_name, m_hostname, m_mac, m_ip})
        e->setStyleSheet(QString());
    m_error->hide();
    m_stack->setCurrentWidget(m_boardPage);
    m_loading = false;
}

void InspectorWidget::setPortRange(const QString &switchId)
{
    const NetworkSwitch *sw = m_document->lab().networkSwitch(switchId);
    m_port->setEnabled(sw != nullptr);
    // Up to 128 so that a wrong number can be typed and explained rather than clamped away.
    m_port->setRange(0, sw ? qMax(sw->ports, 128) : 0);
}

void InspectorWidget::onSwitchChosen()
{
    if (m_loading || m_boardId.isEmpty())
        return;
    const QString switchId = m_switch->currentData().toString();
    const Board *b = m_document->lab().board(m_boardId);
    m_loading = true;
    setPortRange(switchId);
    // Another switch: suggest its lowest free port, as a person plugging the cable in would.
    if (b && b->switchId != switchId)
        m_port->setValue(qMax(0, freeSwitchPort(LabIndex(m_document->lab()), switchId, b->id)));
    m_loading = false;
    commit();
}

bool InspectorWidget::validate(QLineEdit *edit, bool ok, const QString &message, QLabel *error)
{
    if (!error)
        error = m_error;
    edit->setStyleSheet(ok ? QString()
                           : QStringLiteral("QLineEdit { border: 1.5px solid #d64545; "
                                            "border-radius: 3px; padding: 1px; }"));
    if (!ok) {
        error->setText(message);
        error->show();
    }
    return ok;
}

bool InspectorWidget::commit()
{
    if (m_loading || m_boardId.isEmpty())
        return false;
    const Board *current = m_document->lab().board(m_boardId);
    if (!current)
        return false;
    m_error->hide();
    const QString name = m_name->text().trimmed();
    const QString host = m_hostname->text().trimmed();
    const QString macText = m_mac->text().trimmed();
    const QString mac = AddressRules::normalizeMac(macText);
    const QString ip = m_ip->text().trimmed();
    bool ok = true;
    ok &= validate(m_ip, ip.isEmpty() || AddressRules::isValidIpAddress(ip),
                   tr("IP address: expected an IPv4 or IPv6 address such as 10.77.0.11."));
    ok &= validate(m_mac, macText.isEmpty() || !mac.isEmpty(),
                   tr("MAC: expected six hex pairs separated by colons, e.g. 02:BA:5E:00:00:01."));
    ok &= validate(m_hostname, host.isEmpty() || AddressRules::isValidHostname(host),
                   tr("Hostname: letters, digits and hyphens only, no leading or trailing "
                      "hyphen."));
    ok &= validate(m_name, !name.isEmpty(), tr("Name: a board needs a name."));
    const QString switchId = m_switch->currentData().toString();
    const int port = switchId.isEmpty() || m_port->value() == 0 ? -1 : m_port->value();
    const PortCheck portCheck = checkSwitchPort(m_document->lab(), m_boardId, switchId, port);
    if (!switchId.isEmpty() && portCheck.result != PortCheck::Result::Ok &&
        portCheck.result != PortCheck::Result::NoSuchSwitch) {
        const QString swName = m_switch->currentText();
        m_error->setText(
            portCheck.result == PortCheck::Result::Taken
                ? tr("Switch port: port %1 of %2 is taken by %3.")
                      .arg(port)
                      .arg(swName, objectDisplayName(m_document->lab(), portCheck.takenByBoardId))
                : tr("Switch port: %1 has ports 1 to %2; there is no port %3.")
                      .arg(swName)
                      .arg(portCheck.ports)
                      .arg(port));
        m_error->show();
        ok = false;
    }
    if (!ok)
        return false;
    Board b = *current;
    b.psuId = m_psu->currentData().toString();
    b.switchId = switchId;
    b.switchPort = port;
    b.name = name;
    b.hostname = host;
    b.model = modelId(*m_model);
    b.arch = m_arch->currentText().trimmed();
    b.os = m_os->text().trimmed();
    b.mac = mac;
    b.ip = ip;
    b.addressing = Addressing(m_addressing->currentData().toInt());
    b.sshUser = m_sshUser->text().trimmed();
    b.sshPort = m_sshPort->value();
    b.role = Role(m_role->currentData().toInt());
    b.notes = m_notes->text();
    // A planned static address must fit the lab's network plan (inside the subnet, not the
    // gateway's, not another board's): the same rules cards and `network apply` refuse.
    if (b.addressing == Addressing::Static && !b.ip.isEmpty() &&
        !m_document->lab().network.subnet.isEmpty() && b.ip != current->ip) {
        Lab planned = m_document->lab();
        *planned.board(b.id) = b;
        for (const IdentityProblem &p : FirstBootPlan::problems(planned, b)) {
            if (p.concernsAddress()) {
                validate(m_ip, false, tr("IP address: %1").arg(p.message()));
                return false;
            }
        }
    }
    // A board seen on the network keeps answering at its old address until Lab ▸ Apply Planned
    // Addresses moves it (which then clears sshHost again).
    if (b.addressing == Addressing::Static && !current->mac.isEmpty() && !current->ip.isEmpty() &&
        !b.ip.isEmpty() && b.ip != current->ip && current->sshHost.isEmpty())
        b.sshHost = current->ip;
    if (b != *current)
        Q_EMIT editRequested(b);
    return true;
}

} // namespace Hivelab
