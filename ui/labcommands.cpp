// SPDX-License-Identifier: GPL-3.0-or-later
#include "labcommands.h"

#include "boardcatalog.h"
#include "boardplacement.h"
#include "labdocument.h"
#include "labindex.h"

#include <QCoreApplication>

#include <algorithm>

namespace Hivelab {

bool planBoardMoves(const Lab &lab, const QList<BoardMove> &moves, QList<Board> *before,
                    QList<Board> *after)
{
    Lab copy = lab;
    QStringList touched;
    for (const BoardMove &m : moves) {
        const PlacementResult placed =
            placeBoard(&copy, BoardCatalog::builtin(), m.boardId, m.rackId, m.slot);
        for (const QString &id : placed.boardIds) {
            if (!touched.contains(id))
                touched.append(id);
        }
    }
    before->clear();
    after->clear();
    for (const QString &id : touched) {
        const Board *old = lab.board(id);
        const Board *now = copy.board(id);
        if (*old != *now) {
            before->append(*old);
            after->append(*now);
        }
    }
    return !after->isEmpty();
}

EditBoardsCommand::EditBoardsCommand(LabDocument *document, const QList<Board> &before,
                                     const QList<Board> &after, const QString &text,
                                     QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_before(before)
    , m_after(after)
{}

EditBoardsCommand *EditBoardsCommand::moves(LabDocument *document, const QList<BoardMove> &moves)
{
    QList<Board> before;
    QList<Board> after;
    if (!planBoardMoves(document->lab(), moves, &before, &after))
        return nullptr;
    QString text;
    if (moves.size() == 1) {
        const Board *b = document->lab().board(moves.first().boardId);
        const Rack *rack = document->lab().rack(moves.first().rackId);
        text = rack ? QCoreApplication::translate("LabCommands", "Move %1 to %2 slot %3")
                          .arg(b->name, rack->name)
                          .arg(moves.first().slot + 1)
                    : QCoreApplication::translate("LabCommands", "Unplace %1").arg(b->name);
    } else {
        text = QCoreApplication::translate("LabCommands", "Move %1 boards").arg(moves.size());
    }
    return new EditBoardsCommand(document, before, after, text);
}

EditBoardsCommand *EditBoardsCommand::edit(LabDocument *document, const Board &after)
{
    const Board *old = document->lab().board(after.id);
    if (!old || *old == after)
        return nullptr;
    return new EditBoardsCommand(
        document, {*old}, {after},
        QCoreApplication::translate("LabCommands", "Edit %1").arg(after.name));
}

EditBoardsCommand *EditBoardsCommand::setRole(LabDocument *document, const QStringList &boardIds,
                                              Role role)
{
    QList<Board> before;
    QList<Board> after;
    for (const QString &id : boardIds) {
        const Board *b = document->lab().board(id);
        if (!b || b->role == role)
            continue;
        before.append(*b);
        after.append(*b);
        after.last().role = role;
    }
    if (after.isEmpty())
        return nullptr;
    const QString what =
        after.size() == 1
            ? after.first().name
            : QCoreApplication::translate("LabCommands", "%1 boards").arg(after.size());
    const QString text =
        role == Role::Manager
            ? QCoreApplication::translate("LabCommands", "Promote %1 to manager").arg(what)
            : QCoreApplication::translate("LabCommands", "Make %1 %2").arg(what, roleName(role));
    return new EditBoardsCommand(document, before, after, text);
}

QStringList EditBoardsCommand::boardIds() const
{
    QStringList ids;
    for (const Board &b : m_after)
        ids.append(b.id);
    return ids;
}

void EditBoardsCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false;
        return;
    }
    for (const Board &b : std::as_const(m_after))
        m_document->updateBoard(b);
}

void EditBoardsCommand::undo()
{
    for (const Board &b : std::as_const(m_before))
        m_document->updateBoard(b);
}

RemoveBoardsCommand::RemoveBoardsCommand(LabDocument *document, const QStringList &boardIds,
                                         QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
{
    for (const QString &id : boardIds) {
        const int i = document->lab().boardIndex(id);
        if (i >= 0)
            m_removed.append({i, document->lab().boards.at(i)});
    }
    std::sort(m_removed.begin(), m_removed.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    setText(
        m_removed.size() == 1
            ? QCoreApplication::translate("LabCommands", "Remove %1")
                  .arg(m_removed.first().second.name)
            : QCoreApplication::translate("LabCommands", "Remove %1 boards").arg(m_removed.size()));
}

QStringList RemoveBoardsCommand::boardIds() const
{
    QStringList ids;
    for (const auto &entry : m_removed)
        ids.append(entry.second.id);
    return ids;
}

void RemoveBoardsCommand::redo()
{
    for (auto it = m_removed.crbegin(); it != m_removed.crend(); ++it)
        m_document->removeBoard(it->second.id);
}

void RemoveBoardsCommand::undo()
{
    for (const auto &entry : std::as_const(m_removed))
        m_document->addBoard(entry.second, entry.first);
}

AddBoardsCommand::AddBoardsCommand(LabDocument *document, const QList<Board> &boards,
                                   QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_boards(boards)
{
    setText(boards.size() == 1
                ? QCoreApplication::translate("LabCommands", "Add %1").arg(boards.first().name)
                : QCoreApplication::translate("LabCommands", "Add %1 boards").arg(boards.size()));
}

void AddBoardsCommand::redo()
{
    for (const Board &b : std::as_const(m_boards))
        m_document->addBoard(b);
}

void AddBoardsCommand::undo()
{
    for (auto it = m_boards.crbegin(); it != m_boards.crend(); ++it)
        m_document->removeBoard(it->id);
}

QUndoCommand *mergeCommand(LabDocument *document, const LabMerge::Result &merged,
                           const QString &text)
{
    QList<Board> before;
    QList<Board> after;
    QList<Board> added;
    for (const LabMerge::Change &c : merged.changes) {
        const Board *now = merged.lab.board(c.boardId);
        const Board *old = document->lab().board(c.boardId);
        if (!now)
            continue;
        if (c.kind == LabMerge::Kind::Added) {
            added << *now;
        } else if ((c.kind == LabMerge::Kind::Updated || c.kind == LabMerge::Kind::IpChanged) &&
                   old && !(*old == *now)) {
            before << *old;
            after << *now;
        }
    }
    if (added.isEmpty() && after.isEmpty())
        return nullptr;
    auto *command = new QUndoCommand(text);
    if (!after.isEmpty())
        new EditBoardsCommand(document, before, after, text, command);
    if (!added.isEmpty())
        new AddBoardsCommand(document, added, command);
    return command;
}

EditInfraCommand::EditInfraCommand(const QString &text, std::function<void()> redo,
                                   std::function<void()> undo)
    : m_redo(std::move(redo))
    , m_undo(std::move(undo))
{
    setText(text);
}

template <typename T>
EditInfraCommand *EditInfraCommand::make(LabDocument *document, const T *before, const T &after,
                                         void (LabDocument::*update)(const T &))
{
    if (!before)
        return nullptr;
    const T old = *before;
    return new EditInfraCommand(
        QCoreApplication::translate("LabCommands", "Edit %1").arg(old.name),
        [document, after, update]() { (document->*update)(after); },
        [document, old, update]() { (document->*update)(old); });
}

EditInfraCommand *EditInfraCommand::rack(LabDocument *document, const Rack &after)
{
    return make(document, document->lab().rack(after.id), after, &LabDocument::updateRack);
}

EditInfraCommand *EditInfraCommand::powerSupply(LabDocument *document, const PowerSupply &after)
{
    return make(document, document->lab().powerSupply(after.id), after,
                &LabDocument::updatePowerSupply);
}

EditInfraCommand *EditInfraCommand::networkSwitch(LabDocument *document, const NetworkSwitch &after)
{
    return make(document, document->lab().networkSwitch(after.id), after,
                &LabDocument::updateSwitch);
}

template <typename T>
EditInfraCommand *EditInfraCommand::addition(LabDocument *document, const T &object,
                                             void (LabDocument::*add)(const T &, int),
                                             bool (LabDocument::*remove)(const QString &))
{
    return new EditInfraCommand(
        QCoreApplication::translate("LabCommands", "Add %1").arg(object.name),
        [document, object, add]() { (document->*add)(object, -1); },
        [document, id = object.id, remove]() { (document->*remove)(id); });
}

EditInfraCommand *EditInfraCommand::addRack(LabDocument *document, const Rack &rack)
{
    return addition(document, rack, &LabDocument::addRack, &LabDocument::removeRack);
}

EditInfraCommand *EditInfraCommand::addPowerSupply(LabDocument *document, const PowerSupply &psu)
{
    return addition(document, psu, &LabDocument::addPowerSupply, &LabDocument::removePowerSupply);
}

EditInfraCommand *EditInfraCommand::addSwitch(LabDocument *document, const NetworkSwitch &sw)
{
    return addition(document, sw, &LabDocument::addSwitch, &LabDocument::removeSwitch);
}

namespace {
// Puts back what a removal changed: every listed object whose value differs now.
void restoreAll(LabDocument *document, const Lab &before)
{
    for (const PowerSupply &p : before.powerSupplies)
        document->updatePowerSupply(p);
    for (const NetworkSwitch &s : before.switches)
        document->updateSwitch(s);
    for (const Board &b : before.boards)
        document->updateBoard(b);
}
} // namespace

template <typename T>
EditInfraCommand *EditInfraCommand::removal(LabDocument *document, QList<T> Lab::*list,
                                            const QString &id,
                                            bool (LabDocument::*remove)(const QString &),
                                            void (LabDocument::*add)(const T &, int))
{
    const Lab before = document->lab();
    const QList<T> &objects = before.*list;
    for (int i = 0; i < objects.size(); ++i) {
        if (objects.at(i).id != id)
            continue;
        return new EditInfraCommand(
            QCoreApplication::translate("LabCommands", "Remove %1")
                .arg(objectDisplayName(before, id)),
            [document, id, remove]() { (document->*remove)(id); },
            [document, before, list, i, add]() {
                (document->*add)((before.*list).at(i), i);
                restoreAll(document, before);
            });
    }
    return nullptr;
}

EditInfraCommand *EditInfraCommand::remove(LabDocument *document, ObjectKind kind,
                                           const QString &id)
{
    switch (kind) {
    case ObjectKind::Rack:
        return removal(document, &Lab::racks, id, &LabDocument::removeRack, &LabDocument::addRack);
    case ObjectKind::PowerSupply:
        return removal(document, &Lab::powerSupplies, id, &LabDocument::removePowerSupply,
                       &LabDocument::addPowerSupply);
    case ObjectKind::Switch:
        return removal(document, &Lab::switches, id, &LabDocument::removeSwitch,
                       &LabDocument::addSwitch);
    case ObjectKind::Board:
        break;
    }
    return nullptr;
}

} // namespace Hivelab
