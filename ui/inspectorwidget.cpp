// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspectorwidget.h"
#include "plural.h"

#include "addressrules.h"
#include "labdocument.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace Hivelab {

InspectorWidget::InspectorWidget(LabDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_placeholder = new QLabel(tr("Select a board on the canvas or in the inventory to see and "
                                  "edit its details."),
                               this);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setMargin(16);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_placeholder);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget(scroll);
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setContentsMargins(10, 8, 10, 8);
    m_title = new QLabel(page);
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    m_title->setFont(tf);
    form->addRow(m_title);

    m_name = new QLineEdit(page);
    m_hostname = new QLineEdit(page);
    m_hostname->setPlaceholderText(tr("e.g. pine64-1"));
    m_model = new QLineEdit(page);
    m_model->setPlaceholderText(tr("catalog ID, e.g. pine64-a64-lts"));
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
    form->addRow(tr("No&tes"), m_notes);
    form->addRow(m_error);
    scroll->setWidget(page);
    m_stack->addWidget(scroll);

    for (QLineEdit *e : {m_name, m_hostname, m_model, m_os, m_mac, m_ip, m_sshUser, m_notes})
        connect(e, &QLineEdit::editingFinished, this, &InspectorWidget::commit);
    connect(m_arch->lineEdit(), &QLineEdit::editingFinished, this, &InspectorWidget::commit);
    for (QComboBox *c : {m_arch, m_addressing, m_role})
        connect(c, &QComboBox::activated, this, &InspectorWidget::commit);
    connect(m_sshPort, &QSpinBox::editingFinished, this, &InspectorWidget::commit);
    auto requestMove = [this]() {
        if (m_loading || m_boardId.isEmpty())
            return;
        const QString rackId = m_rack->currentData().toString();
        Q_EMIT moveRequested(m_boardId, rackId, rackId.isEmpty() ? -1 : m_slot->value() - 1);
    };
    connect(m_rack, &QComboBox::activated, this, requestMove);
    connect(m_slot, &QSpinBox::editingFinished, this, requestMove);

    connect(m_document, &LabDocument::reset, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectChanged, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectRemoved, this, &InspectorWidget::onLabChanged);
    connect(m_document, &LabDocument::objectAdded, this, &InspectorWidget::onLabChanged);
    setMinimumWidth(260);
}

void InspectorWidget::setBoardIds(const QStringList &boardIds)
{
    m_boardIds = boardIds;
    m_boardId = boardIds.size() == 1 ? boardIds.first() : QString();
    reload();
}

void InspectorWidget::onLabChanged()
{
    if (!m_boardId.isEmpty() && !m_document->lab().board(m_boardId))
        m_boardId.clear();
    reload();
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
                : tr("Select a board on the canvas or in the inventory to see and edit its "
                     "details."));
        m_stack->setCurrentIndex(0);
        return;
    }
    m_loading = true;
    m_title->setText(b->name);
    m_name->setText(b->name);
    m_hostname->setText(b->hostname);
    m_model->setText(b->model);
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
    m_notes->setText(b->notes);
    for (QLineEdit *e : {m_name, m_hostname, m_mac, m_ip})
        e->setStyleSheet(QString());
    m_error->hide();
    m_stack->setCurrentIndex(1);
    m_loading = false;
}

bool InspectorWidget::validate(QLineEdit *edit, bool ok, const QString &message)
{
    edit->setStyleSheet(ok ? QString()
                           : QStringLiteral("QLineEdit { border: 1.5px solid #d64545; "
                                            "border-radius: 3px; padding: 1px; }"));
    if (!ok) {
        m_error->setText(message);
        m_error->show();
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
    if (!ok)
        return false;
    Board b = *current;
    b.name = name;
    b.hostname = host;
    b.model = m_model->text().trimmed();
    b.arch = m_arch->currentText().trimmed();
    b.os = m_os->text().trimmed();
    b.mac = mac;
    b.ip = ip;
    b.addressing = Addressing(m_addressing->currentData().toInt());
    b.sshUser = m_sshUser->text().trimmed();
    b.sshPort = m_sshPort->value();
    b.role = Role(m_role->currentData().toInt());
    b.notes = m_notes->text();
    if (b != *current)
        Q_EMIT editRequested(b);
    return true;
}

} // namespace Hivelab
