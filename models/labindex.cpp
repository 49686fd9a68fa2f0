// SPDX-License-Identifier: GPL-3.0-or-later
#include "labindex.h"

#include <vector>

namespace Hivelab {

namespace {
template <typename T> void indexIds(const QList<T> &list, QHash<QString, int> *ids)
{
    ids->reserve(list.size());
    for (int i = 0; i < list.size(); ++i) {
        if (!ids->contains(list.at(i).id)) // the first of duplicates wins, as in Lab
            ids->insert(list.at(i).id, i);
    }
}

void addTo(QHash<QString, QList<int>> *groups, const QString &key, int i)
{
    if (!key.isEmpty())
        (*groups)[key].append(i);
}
} // namespace

LabIndex::LabIndex(const Lab &lab)
    : m_lab(lab)
{
    indexIds(lab.racks, &m_racks);
    indexIds(lab.powerSupplies, &m_psus);
    indexIds(lab.switches, &m_switches);
    indexIds(lab.boards, &m_boards);
    for (int i = 0; i < lab.powerSupplies.size(); ++i) {
        const PowerSupply &p = lab.powerSupplies.at(i);
        addTo(&m_psusByRack, p.rackId, i);
        if (!p.circuit.isEmpty() && !m_psusByCircuit.contains(p.circuit))
            m_circuits.append(p.circuit);
        addTo(&m_psusByCircuit, p.circuit, i);
    }
    for (int i = 0; i < lab.switches.size(); ++i) {
        const NetworkSwitch &s = lab.switches.at(i);
        addTo(&m_switchesByRack, s.rackId, i);
        addTo(&m_switchesByPsu, s.psuId, i);
        addTo(&m_downlinks, s.uplinkSwitchId, i);
    }
    for (int i = 0; i < lab.boards.size(); ++i) {
        const Board &b = lab.boards.at(i);
        addTo(&m_boardsByRack, b.rackId, i);
        addTo(&m_boardsByPsu, b.psuId, i);
        addTo(&m_boardsBySwitch, b.switchId, i);
    }
    findUplinkLoops();
}

void LabIndex::findUplinkLoops()
{
    // Each switch is walked once: a path ends at the router, at an unknown ID, at a switch
    // already settled (which decides the whole path) or back on itself (a loop).
    enum State : char { Unknown, OnPath, Settled };
    const int n = int(m_lab.switches.size());
    std::vector<State> state(size_t(n), Unknown);
    m_uplinkLoops = QList<bool>(n, false);
    std::vector<int> path;
    for (int start = 0; start < n; ++start) {
        path.clear();
        int i = start;
        bool loop = false;
        while (i >= 0 && state[size_t(i)] == Unknown) {
            state[size_t(i)] = OnPath;
            path.push_back(i);
            const QString &up = m_lab.switches.at(i).uplinkSwitchId;
            i = up.isEmpty() ? -1 : switchIndex(up);
        }
        if (i >= 0)
            loop = state[size_t(i)] == OnPath || m_uplinkLoops.at(i);
        for (int j : path) {
            state[size_t(j)] = Settled;
            m_uplinkLoops[j] = loop;
        }
    }
}

const QList<int> &LabIndex::group(const Groups &groups, const QString &id)
{
    static const QList<int> none;
    const auto it = groups.constFind(id);
    return it == groups.constEnd() ? none : *it;
}

} // namespace Hivelab
