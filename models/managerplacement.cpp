// SPDX-License-Identifier: GPL-3.0-or-later
#include "managerplacement.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace Hivelab {

namespace {

using Candidate = ManagerPlacement::Candidate;

struct Search
{
    std::vector<Candidate> candidates;
    int size = 3;
    int maxLoss = 1;
    std::vector<int> load; // per domain: chosen boards it takes down
    std::vector<int> chosen;
    std::vector<int> best;
    std::tuple<int, int, int> bestScore{-1, 0, 0};
    std::pair<int, int> ideal; // no placement can beat this (kept, -storage)
    bool done = false;
    // Candidate tests; bounds the worst case on huge labs (tens of milliseconds) at the price
    // of a possibly less preferred placement, or none, when it runs out.
    int budget = 200000;
};

void searchFrom(Search &s, int start)
{
    if (s.done || s.budget < 0)
        return;
    if (int(s.chosen.size()) == s.size) {
        int kept = 0, storage = 0, order = 0;
        for (int c : s.chosen) {
            kept += s.candidates[c].manager ? 1 : 0;
            storage += s.candidates[c].storage ? 1 : 0;
            order += c;
        }
        // Keep as many current managers as possible, then as few storage boards.
        const std::tuple<int, int, int> score{kept, -storage, -order};
        if (s.best.empty() || score > s.bestScore) {
            s.best = s.chosen;
            s.bestScore = score;
            // Candidates come in preference order, so the first ideal set is the one to keep.
            s.done = std::make_pair(kept, -storage) == s.ideal;
        }
        return;
    }
    const int need = s.size - int(s.chosen.size());
    for (int i = start; i + need <= int(s.candidates.size()) && !s.done && s.budget >= 0; ++i) {
        const Candidate &c = s.candidates[i];
        --s.budget;
        const bool fits =
            std::all_of(c.in.begin(), c.in.end(), [&](int d) { return s.load[d] < s.maxLoss; });
        if (!fits)
            continue;
        for (int d : c.in)
            ++s.load[d];
        s.chosen.push_back(i);
        searchFrom(s, i + 1);
        s.chosen.pop_back();
        for (int d : c.in)
            --s.load[d];
    }
}

/// How many current managers can stay at best; sets the bar for stopping the search early.
int mostManagersKept(const Search &s)
{
    Search managers = s;
    managers.candidates.clear();
    for (const Candidate &c : s.candidates) {
        if (c.manager)
            managers.candidates.push_back(c);
    }
    for (int kept = std::min<int>(s.size, managers.candidates.size()); kept > 0; --kept) {
        managers.size = kept;
        managers.best.clear();
        managers.budget = s.budget / 10;
        searchFrom(managers, 0);
        if (!managers.best.empty())
            return kept;
    }
    return 0;
}

QString kindWord(FaultDomainKind kind, int n)
{
    switch (kind) {
    case FaultDomainKind::Rack:
        return n == 1 ? ManagerPlacement::tr("rack") : ManagerPlacement::tr("racks");
    case FaultDomainKind::PowerSupply:
        return n == 1 ? ManagerPlacement::tr("power supply")
                      : ManagerPlacement::tr("power supplies");
    case FaultDomainKind::Circuit:
        return n == 1 ? ManagerPlacement::tr("circuit") : ManagerPlacement::tr("circuits");
    case FaultDomainKind::Switch:
        break;
    }
    return n == 1 ? ManagerPlacement::tr("switch") : ManagerPlacement::tr("switches");
}

} // namespace

ManagerPlacement::ManagerPlacement(const LabIndex &index, const QList<DomainImpact> &domains)
    : m_index(index)
    , m_domains(domains)
{
    const Lab &lab = index.lab();
    // Which domains take each board down, from the impacts' own lists: linear in the report.
    std::vector<std::vector<int>> boardDomains(size_t(lab.boards.size()));
    for (int d = 0; d < domains.size(); ++d) {
        for (const QString &id : domains.at(d).lostBoards) {
            const int i = index.boardIndex(id);
            if (i >= 0 && (boardDomains[size_t(i)].empty() || boardDomains[size_t(i)].back() != d))
                boardDomains[size_t(i)].push_back(d);
        }
    }
    for (int i = 0; i < lab.boards.size(); ++i) {
        const Board &b = lab.boards.at(i);
        if (b.isWindows() || !index.rack(b.rackId) || !index.powerSupply(b.psuId) ||
            !index.networkSwitch(b.switchId))
            continue;
        Candidate c;
        c.board = i;
        c.manager = b.role == Role::Manager;
        c.storage = b.hasStorage();
        c.in = std::move(boardDomains[size_t(i)]);
        m_eligible.push_back(std::move(c));
    }
    std::stable_sort(m_eligible.begin(), m_eligible.end(),
                     [](const Candidate &a, const Candidate &b) {
                         if (a.manager != b.manager)
                             return a.manager;
                         return !a.storage && b.storage;
                     });
}

QStringList ManagerPlacement::find(int size, bool *gaveUp) const
{
    Search s;
    s.size = size;
    s.maxLoss = toleratedFailuresFor(size);
    s.load.assign(size_t(m_domains.size()), 0);
    // Boards failing with exactly the same domains are interchangeable: keeping the `size`
    // most preferred of each kind bounds the search without losing any placement.
    std::map<std::vector<int>, int> perSignature;
    for (const Candidate &c : m_eligible) {
        if (perSignature[c.in]++ < size)
            s.candidates.push_back(c);
    }
    int plain = 0;
    for (const Candidate &c : s.candidates)
        plain += c.storage ? 0 : 1;
    s.ideal = {mostManagersKept(s), -std::max(0, size - plain)};
    searchFrom(s, 0);
    *gaveUp = *gaveUp || (s.best.empty() && s.budget < 0);
    QStringList ids;
    for (int c : s.best)
        ids.append(m_index.lab().boards.at(s.candidates[c].board).id);
    return ids;
}

/// Why no odd manager set can survive, when two domains of one kind cover every candidate
/// (any odd set then puts a majority into one of them); empty otherwise.
QString ManagerPlacement::pigeonhole() const
{
    for (FaultDomainKind kind : {FaultDomainKind::Rack, FaultDomainKind::PowerSupply,
                                 FaultDomainKind::Circuit, FaultDomainKind::Switch}) {
        QStringList covering;
        bool allCovered = true;
        for (const Candidate &c : m_eligible) {
            bool covered = false;
            for (int d : c.in) {
                const DomainImpact &impact = m_domains.at(d);
                if (impact.kind != kind)
                    continue;
                covered = true;
                if (!covering.contains(impact.name))
                    covering.append(impact.name);
            }
            allCovered = allCovered && covered;
            if (!allCovered || covering.size() >= 3) // the answer for this kind is known
                break;
        }
        if (allCovered && covering.size() < 3) {
            return tr("All boards that could be managers depend on %1 %2 (%3); surviving "
                      "the loss of any one needs managers spread over at least 3.")
                .arg(QString::number(covering.size()), kindWord(kind, covering.size()),
                     covering.join(QStringLiteral(", ")));
        }
    }
    return {};
}

QString ManagerPlacement::whyNone() const
{
    if (m_eligible.size() < 3) {
        return tr("Only %1 board(s) can be managers (Linux, with a known rack, power supply "
                  "and switch); 3 are needed.")
            .arg(m_eligible.size());
    }
    const QString pigeonholed = pigeonhole();
    if (!pigeonholed.isEmpty())
        return pigeonholed;
    int worst = -1;
    int worstLost = 0;
    std::vector<int> lost(size_t(m_domains.size()), 0);
    for (const Candidate &c : m_eligible) {
        for (int d : c.in)
            ++lost[size_t(d)];
    }
    for (int d = 0; d < int(lost.size()); ++d) {
        if (lost[size_t(d)] > worstLost) {
            worst = d;
            worstLost = lost[size_t(d)];
        }
    }
    if (worst >= 0 && int(m_eligible.size()) - worstLost < quorumFor(3)) {
        return tr("Losing %1 takes down %2 of the %3 boards that could be managers, so no "
                  "set of managers survives it.")
            .arg(m_domains.at(worst).name)
            .arg(worstLost)
            .arg(m_eligible.size());
    }
    return tr("The boards that could be managers share too many racks, power supplies, "
              "circuits or switches for 3 managers to survive every single failure.");
}

} // namespace Hivelab
