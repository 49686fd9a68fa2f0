// SPDX-License-Identifier: GPL-3.0-or-later
#include "gearactions.h"

#include "labcommands.h"
#include "labdocument.h"
#include "labedits.h"
#include "labindex.h"

#include <QMenu>
#include <QMessageBox>
#include <QUndoStack>

namespace Hivelab {

GearActions::GearActions(LabDocument *document, QUndoStack *undoStack, QWidget *dialogParent,
                         QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_undoStack(undoStack)
    , m_dialogParent(dialogParent)
{
    m_confirm = [this](const QString &question, std::function<void()> yes) {
        auto *box = new QMessageBox(QMessageBox::Question, tr("Remove"), question,
                                    QMessageBox::Yes | QMessageBox::Cancel, m_dialogParent);
        box->setObjectName(QStringLiteral("confirmRemove"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setDefaultButton(QMessageBox::Cancel);
        // QMessageBox finishes with the button pressed, not QDialog::Accepted.
        connect(box, &QMessageBox::finished, this, [yes = std::move(yes)](int button) {
            if (button == QMessageBox::Yes)
                yes();
        });
        box->open();
    };
}

void GearActions::addRack()
{
    const Rack rack = newRack(m_document->lab());
    m_undoStack->push(EditInfraCommand::addRack(m_document, rack));
    Q_EMIT objectAdded(ObjectKind::Rack, rack.id);
}

void GearActions::addPowerSupply(const QString &rackId)
{
    const PowerSupply psu = newPowerSupply(m_document->lab(), rackId);
    m_undoStack->push(EditInfraCommand::addPowerSupply(m_document, psu));
    Q_EMIT objectAdded(ObjectKind::PowerSupply, psu.id);
}

void GearActions::addSwitch(const QString &rackId)
{
    const NetworkSwitch sw = newSwitch(m_document->lab(), rackId);
    m_undoStack->push(EditInfraCommand::addSwitch(m_document, sw));
    Q_EMIT objectAdded(ObjectKind::Switch, sw.id);
}

void GearActions::remove(ObjectKind kind, const QString &id)
{
    const Lab &lab = m_document->lab();
    const LabIndex index(lab);
    const QString name = objectDisplayName(index, id);
    QString question;
    switch (kind) {
    case ObjectKind::Rack:
        if (const auto n = index.boardsInRack(id).size())
            question = tr("Remove %1? Its %n board(s) become unplaced.", nullptr, int(n)).arg(name);
        break;
    case ObjectKind::PowerSupply:
        if (const auto n = index.boardsOnSupply(id).size() + index.switchesOnSupply(id).size())
            question = tr("Remove %1? %n board(s) and switch(es) it feeds lose their supply.",
                          nullptr, int(n))
                           .arg(name);
        break;
    case ObjectKind::Switch:
        if (const auto n = index.boardsOnSwitch(id).size())
            question = tr("Remove %1? %n board(s) cabled to it lose their switch.", nullptr, int(n))
                           .arg(name);
        break;
    case ObjectKind::Board:
        return;
    }
    auto doRemove = [this, kind, id]() {
        if (QUndoCommand *cmd = EditInfraCommand::remove(m_document, kind, id))
            m_undoStack->push(cmd);
    };
    if (question.isEmpty())
        doRemove();
    else
        m_confirm(question + QLatin1Char(' ') + tr("Undo brings everything back."), doRemove);
}

void GearActions::addActions(QMenu *menu, ObjectKind kind, const QString &id)
{
    const Lab &lab = m_document->lab();
    QString rackId;
    if (kind == ObjectKind::Rack)
        rackId = id;
    else if (const PowerSupply *p = kind == ObjectKind::PowerSupply ? lab.powerSupply(id) : nullptr)
        rackId = p->rackId;
    else if (const NetworkSwitch *s = kind == ObjectKind::Switch ? lab.networkSwitch(id) : nullptr)
        rackId = s->rackId;
    const QString where =
        rackId.isEmpty() ? QString() : tr(" to %1").arg(objectDisplayName(lab, rackId));
    auto add = [this, menu](const QString &name, const QString &text, auto slot) {
        QAction *action = menu->addAction(text);
        action->setObjectName(name);
        connect(action, &QAction::triggered, this, slot);
    };
    add(QStringLiteral("addRack"), tr("Add &Rack"), [this]() { addRack(); });
    add(QStringLiteral("addPowerSupply"), tr("Add &Power Supply%1").arg(where),
        [this, rackId]() { addPowerSupply(rackId); });
    add(QStringLiteral("addSwitch"), tr("Add S&witch%1").arg(where),
        [this, rackId]() { addSwitch(rackId); });
    if (kind == ObjectKind::Board || id.isEmpty())
        return;
    menu->addSeparator();
    add(QStringLiteral("removeGear"), tr("Re&move %1").arg(objectDisplayName(lab, id)),
        [this, kind, id]() { remove(kind, id); });
}

} // namespace Hivelab
