// SPDX-License-Identifier: GPL-3.0-or-later
#include "labdocument.h"

#include "boardcatalog.h"
#include "boardplacement.h"

namespace Hivelab {

namespace {
template <typename T> struct NonDeduced
{
    using Type = T;
};

// Clears `field` (and whatever `also` resets with it) in every object naming id; returns their IDs.
template <typename T>
QStringList unlink(QList<T> &objects, QString T::*field, const QString &id,
                   void (*also)(typename NonDeduced<T>::Type &) = nullptr)
{
    QStringList changed;
    for (T &o : objects) {
        if (o.*field != id)
            continue;
        (o.*field).clear();
        if (also)
            also(o);
        changed.append(o.id);
    }
    return changed;
}

template<typename T>
int indexOf(const QList<T> &list, const QString &id)
{
    for (int i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return i;
    }
    return -1;
}
} // namespace

LabDocument::LabDocument(QObject *parent)
    : QObject(parent)
{
}

void LabDocument::setLab(const Lab &lab)
{
    m_lab = lab;
    m_states.clear();
    m_availability.clear();
    m_leader.clear();
    m_tasks.clear();
    Q_EMIT reset();
    Q_EMIT changed();
    setModified(false);
}

void LabDocument::setFilePath(const QString &path)
{
    if (m_filePath == path)
        return;
    m_filePath = path;
    Q_EMIT filePathChanged(path);
}

void LabDocument::setModified(bool modified)
{
    if (m_modified == modified)
        return;
    m_modified = modified;
    Q_EMIT modifiedChanged(modified);
}

void LabDocument::touch()
{
    Q_EMIT changed();
    setModified(true);
}

void LabDocument::setName(const QString &name)
{
    if (m_lab.name == name)
        return;
    m_lab.name = name;
    touch();
}

void LabDocument::setSwarmSettings(const SwarmSettings &settings)
{
    if (m_lab.swarm == settings)
        return;
    m_lab.swarm = settings;
    touch();
}

void LabDocument::addRack(const Rack &rack, int index)
{
    if (index < 0 || index > m_lab.racks.size())
        index = m_lab.racks.size();
    m_lab.racks.insert(index, rack);
    Q_EMIT objectAdded(ObjectKind::Rack, rack.id);
    touch();
}

void LabDocument::updateRack(const Rack &rack)
{
    const int i = indexOf(m_lab.racks, rack.id);
    if (i < 0 || m_lab.racks.at(i) == rack)
        return;
    m_lab.racks[i] = rack;
    Q_EMIT objectChanged(ObjectKind::Rack, rack.id);
    touch();
}

bool LabDocument::removeRack(const QString &id)
{
    const int i = indexOf(m_lab.racks, id);
    if (i < 0)
        return false;
    emitChanged(ObjectKind::Board,
                unlink(m_lab.boards, &Board::rackId, id, [](Board &b) { b.slot = -1; }));
    emitChanged(ObjectKind::PowerSupply, unlink(m_lab.powerSupplies, &PowerSupply::rackId, id));
    emitChanged(ObjectKind::Switch, unlink(m_lab.switches, &NetworkSwitch::rackId, id));
    m_lab.racks.removeAt(i);
    Q_EMIT objectRemoved(ObjectKind::Rack, id);
    touch();
    return true;
}

void LabDocument::emitChanged(ObjectKind kind, const QStringList &ids)
{
    for (const QString &id : ids)
        Q_EMIT objectChanged(kind, id);
}

void LabDocument::addPowerSupply(const PowerSupply &psu, int index)
{
    if (index < 0 || index > m_lab.powerSupplies.size())
        index = m_lab.powerSupplies.size();
    m_lab.powerSupplies.insert(index, psu);
    Q_EMIT objectAdded(ObjectKind::PowerSupply, psu.id);
    touch();
}

void LabDocument::updatePowerSupply(const PowerSupply &psu)
{
    const int i = indexOf(m_lab.powerSupplies, psu.id);
    if (i < 0 || m_lab.powerSupplies.at(i) == psu)
        return;
    m_lab.powerSupplies[i] = psu;
    Q_EMIT objectChanged(ObjectKind::PowerSupply, psu.id);
    touch();
}

bool LabDocument::removePowerSupply(const QString &id)
{
    const int i = indexOf(m_lab.powerSupplies, id);
    if (i < 0)
        return false;
    emitChanged(ObjectKind::Board, unlink(m_lab.boards, &Board::psuId, id));
    emitChanged(ObjectKind::Switch, unlink(m_lab.switches, &NetworkSwitch::psuId, id));
    m_lab.powerSupplies.removeAt(i);
    Q_EMIT objectRemoved(ObjectKind::PowerSupply, id);
    touch();
    return true;
}

void LabDocument::addSwitch(const NetworkSwitch &sw, int index)
{
    if (index < 0 || index > m_lab.switches.size())
        index = m_lab.switches.size();
    m_lab.switches.insert(index, sw);
    Q_EMIT objectAdded(ObjectKind::Switch, sw.id);
    touch();
}

void LabDocument::updateSwitch(const NetworkSwitch &sw)
{
    const int i = indexOf(m_lab.switches, sw.id);
    if (i < 0 || m_lab.switches.at(i) == sw)
        return;
    m_lab.switches[i] = sw;
    Q_EMIT objectChanged(ObjectKind::Switch, sw.id);
    touch();
}

bool LabDocument::removeSwitch(const QString &id)
{
    const int i = indexOf(m_lab.switches, id);
    if (i < 0)
        return false;
    emitChanged(ObjectKind::Board,
                unlink(m_lab.boards, &Board::switchId, id, [](Board &b) { b.switchPort = -1; }));
    emitChanged(ObjectKind::Switch, unlink(m_lab.switches, &NetworkSwitch::uplinkSwitchId, id));
    m_lab.switches.removeAt(i);
    Q_EMIT objectRemoved(ObjectKind::Switch, id);
    touch();
    return true;
}

void LabDocument::addBoard(const Board &board, int index)
{
    if (index < 0 || index > m_lab.boards.size())
        index = m_lab.boards.size();
    m_lab.boards.insert(index, board);
    Q_EMIT objectAdded(ObjectKind::Board, board.id);
    touch();
}

void LabDocument::updateBoard(const Board &board)
{
    const int i = indexOf(m_lab.boards, board.id);
    if (i < 0 || m_lab.boards.at(i) == board)
        return;
    m_lab.boards[i] = board;
    Q_EMIT objectChanged(ObjectKind::Board, board.id);
    touch();
}

bool LabDocument::removeBoard(const QString &id)
{
    const int i = indexOf(m_lab.boards, id);
    if (i < 0)
        return false;
    m_lab.boards.removeAt(i);
    m_states.remove(id);
    m_availability.remove(id);
    if (m_leader == id)
        m_leader.clear();
    Q_EMIT objectRemoved(ObjectKind::Board, id);
    touch();
    return true;
}

QString LabDocument::moveBoard(const QString &boardId, const QString &rackId, int slot)
{
    Lab after = m_lab;
    const PlacementResult placed =
        placeBoard(&after, BoardCatalog::builtin(), boardId, rackId, slot);
    if (placed.boardIds.isEmpty())
        return {};
    for (const QString &id : placed.boardIds)
        *m_lab.board(id) = *after.board(id);
    emitChanged(ObjectKind::Board, placed.boardIds);
    touch();
    return placed.boardIds.value(1);
}

void LabDocument::setRole(const QString &boardId, Role role)
{
    Board *b = m_lab.board(boardId);
    if (!b || b->role == role)
        return;
    b->role = role;
    Q_EMIT objectChanged(ObjectKind::Board, boardId);
    touch();
}

void LabDocument::setNodeState(const QString &boardId, NodeState state)
{
    if (nodeState(boardId) == state)
        return;
    m_states.insert(boardId, state);
    Q_EMIT nodeStateChanged(boardId, state);
}

void LabDocument::setSwarmLeader(const QString &boardId)
{
    if (m_leader == boardId)
        return;
    const QString old = m_leader;
    m_leader = boardId;
    if (!old.isEmpty())
        Q_EMIT nodeStateChanged(old, nodeState(old));
    if (!boardId.isEmpty())
        Q_EMIT nodeStateChanged(boardId, nodeState(boardId));
}

void LabDocument::setNodeAvailability(const QString &boardId, const QString &availability)
{
    const QString value = availability.toLower();
    if (nodeAvailability(boardId) == value)
        return;
    if (value.isEmpty())
        m_availability.remove(boardId);
    else
        m_availability.insert(boardId, value);
    Q_EMIT nodeStateChanged(boardId, nodeState(boardId));
}

QList<StackPlacement::ServiceTask> LabDocument::serviceTasksOn(const QString &boardId) const
{
    QList<StackPlacement::ServiceTask> on;
    for (const StackPlacement::ServiceTask &t : m_tasks) {
        if (t.boardId == boardId)
            on << t;
    }
    return on;
}

void LabDocument::setServiceTasks(const QList<StackPlacement::ServiceTask> &tasks)
{
    if (tasks == m_tasks)
        return;
    m_tasks = tasks;
    Q_EMIT serviceTasksChanged();
}

} // namespace Hivelab
