// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "swarmstatus.h"

namespace Hivelab {

/// Day-2 changes of the swarm's members through a manager that answers (the boards themselves
/// need not): Promote and Demote the named boards, or Remove dead ones. Async job, GUI thread.
///
/// Manager safety: a demotion (also the one before removing a manager) that would leave fewer
/// than a majority of the managers reachable, or no manager at all, is refused unless
/// setForce(true). Promoting a node that is not Ready is refused unless forced (it would add an
/// unreachable manager). Raft membership changes run one at a time, the manager the job talks
/// through last.
///
/// Remove: for a board that is gone (dead, or reflashed and joined again under a new node):
/// demotes it if it is a manager, then removes every node of the board from the swarm's list
/// (`DELETE /nodes/{id}?force=true`). A board whose node is still Ready is refused unless
/// forced (it should leave: hivelab swarm leave). The board stays in the plan, unplaced from
/// the swarm: role Unassigned and no node ID, so `swarm form` does not join it again.
///
/// Promote and demote record the new role in the plan.
class SwarmMembership : public SwarmStatus
{
    Q_OBJECT
public:
    enum class Operation { Promote, Demote, Remove };
    Q_ENUM(Operation)

    explicit SwarmMembership(LabDocument *document, QObject *parent = nullptr);

    void setOperation(Operation operation) { m_operation = operation; }
    Operation operation() const { return m_operation; }
    void setForce(bool force) { m_force = force; }
    /// Seconds a demoted manager may take to leave the Raft group before removal (default 30).
    void setSettleSeconds(int seconds) { m_settleSeconds = seconds; }

protected:
    void report() override;

private:
    void next();
    void promote(const QString &boardId, const SwarmNode &node);
    void demote(const QString &boardId, const SwarmNode &node);
    void removeBoard(const QString &boardId);
    /// Why demoting `managerNodes` would lose quorum ("" when it would not).
    QString quorumRisk(const QList<SwarmNode> &managerNodes) const;

    Operation m_operation = Operation::Demote;
    bool m_force = false;
    int m_settleSeconds = 30;
    QStringList m_queue; // boards still to change, in order
    QHash<QString, SwarmNode> m_live;
};

} // namespace Hivelab
