// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labindex.h"

#include <QCoreApplication>

#include <vector>

namespace Hivelab {

/// What single failures take down, over one LabIndex. One impact costs time in proportion to
/// what it loses (a rack's boards, a switch's subtree), so every domain of a lab together costs
/// the size of the report, not lab size times domains. Pure; any thread; keeps scratch marks,
/// so one instance per thread.
class FaultCascade
{
    Q_DECLARE_TR_FUNCTIONS(LabCheck)
public:
    explicit FaultCascade(const LabIndex &index);
    Q_DISABLE_COPY_MOVE(FaultCascade)

    /// As domainImpact(): an unknown ID loses nothing.
    DomainImpact impact(FaultDomainKind kind, const QString &id);
    /// Every rack, supply, circuit (in order of first use) and switch, in that order.
    QList<DomainImpact> allImpacts();

private:
    /// Marks object i as down in the current round; true the first time.
    bool mark(std::vector<int> &marks, int i) const;

    const LabIndex &m_index;
    const Lab &m_lab;
    int m_managers = 0;
    int m_round = 0;
    std::vector<int> m_psuMarks;
    std::vector<int> m_switchMarks;
    std::vector<int> m_boardMarks;
};

} // namespace Hivelab
