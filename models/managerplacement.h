// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labindex.h"

#include <QCoreApplication>

#include <vector>

namespace Hivelab {

/// The check's suggested managers: a search for an odd set of Linux boards with a known rack,
/// supply and switch that no single failure takes a majority of, over the impacts of every
/// fault domain (in report order). Prefers current managers, then boards without storage. The
/// search is bounded by a budget of candidate tests, so huge labs end quickly. Pure; any thread.
class ManagerPlacement
{
    Q_DECLARE_TR_FUNCTIONS(LabCheck)
public:
    ManagerPlacement(const LabIndex &index, const QList<DomainImpact> &domains);
    Q_DISABLE_COPY_MOVE(ManagerPlacement)

    /// Boards that could be managers.
    int eligibleCount() const { return int(m_eligible.size()); }
    /// Why no odd set can survive, when two domains of one kind hold every eligible board (any
    /// odd set then puts a majority into one of them); empty otherwise.
    QString pigeonhole() const;
    /// The most preferred safe set of `size` boards (IDs), empty when none was found; sets
    /// *gaveUp when the budget ran out before the search could tell.
    QStringList find(int size, bool *gaveUp) const;
    /// Why no set exists, for when find() found none without giving up.
    QString whyNone() const;

    struct Candidate
    {
        int board = 0;       // index in lab.boards
        std::vector<int> in; // indices of the domains that take it down
        bool manager = false;
        bool storage = false;
    };

private:
    const LabIndex &m_index;
    const QList<DomainImpact> &m_domains;
    std::vector<Candidate> m_eligible; // in preference order
};

} // namespace Hivelab
