// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QHash>

namespace Hivelab {

/// Lookups by ID and "who refers to X" lists over one lab, built once in linear time, so that
/// rules touching every object stay linear on labs of tens of thousands of objects (Lab's own
/// lookups walk the lists). Holds a reference: the lab must outlive the index and stay
/// unchanged while it is used. Lookups answer like Lab's: the first object with an ID wins.
/// Pure; any thread.
class LabIndex
{
public:
    explicit LabIndex(const Lab &lab);
    Q_DISABLE_COPY_MOVE(LabIndex)

    const Lab &lab() const { return m_lab; }

    const Rack *rack(const QString &id) const { return find(m_lab.racks, m_racks, id); }
    const PowerSupply *powerSupply(const QString &id) const
    {
        return find(m_lab.powerSupplies, m_psus, id);
    }
    const NetworkSwitch *networkSwitch(const QString &id) const
    {
        return find(m_lab.switches, m_switches, id);
    }
    const Board *board(const QString &id) const { return find(m_lab.boards, m_boards, id); }
    /// Index in lab.switches / lab.boards, -1 when unknown.
    int switchIndex(const QString &id) const { return m_switches.value(id, -1); }
    int boardIndex(const QString &id) const { return m_boards.value(id, -1); }

    // Indices, in lab order, of the objects whose field names the given ID.
    const QList<int> &boardsInRack(const QString &rackId) const
    {
        return group(m_boardsByRack, rackId);
    }
    const QList<int> &boardsOnSupply(const QString &psuId) const
    {
        return group(m_boardsByPsu, psuId);
    }
    const QList<int> &boardsOnSwitch(const QString &switchId) const
    {
        return group(m_boardsBySwitch, switchId);
    }
    const QList<int> &suppliesInRack(const QString &rackId) const
    {
        return group(m_psusByRack, rackId);
    }
    const QList<int> &suppliesOnCircuit(const QString &circuit) const
    {
        return group(m_psusByCircuit, circuit);
    }
    const QList<int> &switchesInRack(const QString &rackId) const
    {
        return group(m_switchesByRack, rackId);
    }
    const QList<int> &switchesOnSupply(const QString &psuId) const
    {
        return group(m_switchesByPsu, psuId);
    }
    /// Switches whose uplinkSwitchId is the given switch.
    const QList<int> &downlinks(const QString &switchId) const
    {
        return group(m_downlinks, switchId);
    }
    /// Whether switch i's uplink path (uplinkSwitchId, then theirs) runs into a loop.
    bool uplinkRunsIntoLoop(int switchIndex) const { return m_uplinkLoops.at(switchIndex); }
    /// The supplies' non-empty circuit names, in order of first use.
    const QStringList &circuits() const { return m_circuits; }

private:
    using Ids = QHash<QString, int>;
    using Groups = QHash<QString, QList<int>>;

    template <typename T>
    static const T *find(const QList<T> &list, const Ids &ids, const QString &id)
    {
        const int i = ids.value(id, -1);
        return i < 0 ? nullptr : &list.at(i);
    }
    static const QList<int> &group(const Groups &groups, const QString &id);
    void findUplinkLoops();

    const Lab &m_lab;
    Ids m_racks;
    Ids m_psus;
    Ids m_switches;
    Ids m_boards;
    Groups m_boardsByRack;
    Groups m_boardsByPsu;
    Groups m_boardsBySwitch;
    Groups m_psusByRack;
    Groups m_psusByCircuit;
    Groups m_switchesByRack;
    Groups m_switchesByPsu;
    Groups m_downlinks;
    QStringList m_circuits;
    QList<bool> m_uplinkLoops;
};

/// Name of a board, rack, PSU or switch by ID (its ID when it has no name or is unknown), looked
/// up in a Lab (linear) or a LabIndex (constant time). Pure; any thread.
template <typename Objects> QString objectDisplayName(const Objects &objects, const QString &id)
{
    auto name = [&id](const auto *o) { return o->name.isEmpty() ? id : o->name; };
    if (const Board *b = objects.board(id))
        return name(b);
    if (const Rack *r = objects.rack(id))
        return name(r);
    if (const PowerSupply *p = objects.powerSupply(id))
        return name(p);
    if (const NetworkSwitch *s = objects.networkSwitch(id))
        return name(s);
    return id;
}

} // namespace Hivelab
