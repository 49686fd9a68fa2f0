// SPDX-License-Identifier: GPL-3.0-or-later
#include "faultcascade.h"

#include <algorithm>
#include <utility>

namespace Hivelab {

namespace {
template <typename T> QString nameOr(const T *object, const QString &id)
{
    return object && !object->name.isEmpty() ? object->name : id;
}
} // namespace

FaultCascade::FaultCascade(const LabIndex &index)
    : m_index(index)
    , m_lab(index.lab())
    , m_psuMarks(size_t(index.lab().powerSupplies.size()), 0)
    , m_switchMarks(size_t(index.lab().switches.size()), 0)
    , m_boardMarks(size_t(index.lab().boards.size()), 0)
{
    for (const Board &b : m_lab.boards)
        m_managers += b.role == Role::Manager ? 1 : 0;
}

bool FaultCascade::mark(std::vector<int> &marks, int i) const
{
    if (marks[size_t(i)] == m_round)
        return false;
    marks[size_t(i)] = m_round;
    return true;
}

DomainImpact FaultCascade::impact(FaultDomainKind kind, const QString &id)
{
    DomainImpact impact;
    impact.kind = kind;
    impact.id = id;
    ++m_round;

    // Indices of what goes down; the marks keep each list free of repeats.
    QList<int> psus;
    QList<int> switches;
    QList<int> boards;
    auto down = [this](std::vector<int> &marks, QList<int> &downList, const QList<int> &list) {
        for (int i : list) {
            if (mark(marks, i))
                downList.append(i);
        }
    };
    auto downPsus = [&](const QList<int> &list) { down(m_psuMarks, psus, list); };
    auto downSwitches = [&](const QList<int> &list) { down(m_switchMarks, switches, list); };
    auto downBoards = [&](const QList<int> &list) { down(m_boardMarks, boards, list); };
    switch (kind) {
    case FaultDomainKind::Rack:
        impact.name = nameOr(m_index.rack(id), id);
        if (!m_index.rack(id))
            break;
        downPsus(m_index.suppliesInRack(id));
        downSwitches(m_index.switchesInRack(id));
        downBoards(m_index.boardsInRack(id));
        break;
    case FaultDomainKind::PowerSupply:
        impact.name = nameOr(m_index.powerSupply(id), id);
        if (const PowerSupply *p = m_index.powerSupply(id))
            downPsus({int(p - m_lab.powerSupplies.constData())});
        break;
    case FaultDomainKind::Circuit:
        impact.name = tr("circuit %1").arg(id);
        downPsus(m_index.suppliesOnCircuit(id));
        break;
    case FaultDomainKind::Switch:
        impact.name = nameOr(m_index.networkSwitch(id), id);
        if (m_index.networkSwitch(id))
            downSwitches({m_index.switchIndex(id)});
        break;
    }

    // Power first: a dead supply takes the switches and boards it feeds down too.
    for (int p : std::as_const(psus)) {
        const QString &psuId = m_lab.powerSupplies.at(p).id;
        downSwitches(m_index.switchesOnSupply(psuId));
        downBoards(m_index.boardsOnSupply(psuId));
    }
    // A switch whose uplink path crosses a dead switch is cut off with its boards: everything
    // below a dead switch, found downwards so a long chain is walked once, not once per switch.
    for (int k = 0; k < switches.size(); ++k) {
        const QString &switchId = m_lab.switches.at(switches.at(k)).id;
        downSwitches(m_index.downlinks(switchId));
        downBoards(m_index.boardsOnSwitch(switchId));
    }

    std::sort(psus.begin(), psus.end());
    std::sort(switches.begin(), switches.end());
    std::sort(boards.begin(), boards.end());
    for (int i : std::as_const(boards)) {
        const Board &b = m_lab.boards.at(i);
        impact.lostBoards.append(b.id);
        if (b.role == Role::Manager)
            impact.lostManagers.append(b.id);
        else if (b.role == Role::Worker)
            impact.lostWorkers.append(b.id);
        if (b.hasStorage())
            impact.lostStorage.append(b.id);
    }
    for (int i : std::as_const(psus))
        impact.lostPowerSupplies.append(m_lab.powerSupplies.at(i).id);
    for (int i : std::as_const(switches))
        impact.lostSwitches.append(m_lab.switches.at(i).id);
    impact.survivingManagers = m_managers - int(impact.lostManagers.size());
    impact.breaksQuorum = m_managers > 0 && impact.survivingManagers < quorumFor(m_managers);
    return impact;
}

QList<DomainImpact> FaultCascade::allImpacts()
{
    QList<DomainImpact> out;
    for (const Rack &r : m_lab.racks)
        out.append(impact(FaultDomainKind::Rack, r.id));
    for (const PowerSupply &p : m_lab.powerSupplies)
        out.append(impact(FaultDomainKind::PowerSupply, p.id));
    for (const QString &c : m_index.circuits())
        out.append(impact(FaultDomainKind::Circuit, c));
    for (const NetworkSwitch &s : m_lab.switches)
        out.append(impact(FaultDomainKind::Switch, s.id));
    return out;
}

DomainImpact domainImpact(const Lab &lab, FaultDomainKind kind, const QString &id)
{
    const LabIndex index(lab);
    return FaultCascade(index).impact(kind, id);
}

} // namespace Hivelab
