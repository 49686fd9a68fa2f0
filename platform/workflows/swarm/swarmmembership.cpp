// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmmembership.h"

#include "labcheck.h"

namespace Hivelab {

namespace {

bool reachableManager(const SwarmNode &n)
{
    return n.isLeader() || n.managerStatus == QLatin1String("Reachable");
}

} // namespace

SwarmMembership::SwarmMembership(LabDocument *document, QObject *parent)
    : SwarmStatus(document, parent)
{}

QString SwarmMembership::quorumRisk(const QList<SwarmNode> &managerNodes) const
{
    int managers = 0, reachable = 0, demotedReachable = 0;
    for (const SwarmNode &n : nodes()) {
        managers += n.isManager() ? 1 : 0;
        reachable += reachableManager(n) ? 1 : 0;
    }
    for (const SwarmNode &n : managerNodes)
        demotedReachable += reachableManager(n) ? 1 : 0;
    if (keepsQuorumAfterDemotion(managers, reachable, int(managerNodes.size()), demotedReachable))
        return QString();
    const int left = managers - int(managerNodes.size());
    if (left < 1)
        return tr("Refused: the swarm would have no manager left (use --force to do it anyway; "
                  "that ends the swarm).");
    return tr("Refused: the swarm has %1 managers, %2 reachable; afterwards %3 of %4 would be "
              "reachable, fewer than the %5 it needs for a majority, and it would stop accepting "
              "changes. Bring lost managers back first, or use --force.")
        .arg(managers)
        .arg(reachable)
        .arg(reachable - demotedReachable)
        .arg(left)
        .arg(quorumFor(left));
}

void SwarmMembership::report()
{
    m_live = nodeByBoard();
    QStringList last;
    QList<SwarmNode> demoted;
    for (const QString &id : boardIds()) {
        if (!m_live.contains(id)) {
            finishBoard(id, false, tr("Not in the swarm."));
            continue;
        }
        const SwarmNode n = m_live.value(id);
        if (m_operation == Operation::Remove && n.isReady() && !m_force) {
            finishBoard(id, false,
                        tr("%1 is Ready: a live board leaves the swarm itself (hivelab swarm "
                           "leave); use --force to remove it anyway.")
                            .arg(n.hostname));
            continue;
        }
        if (m_operation != Operation::Promote && n.isManager())
            demoted << n;
        // The manager the job talks through changes last: after its own demotion it can no
        // longer change the swarm.
        (id == managerBoardId() ? last : m_queue) << id;
    }
    m_queue += last;
    const QString risk = m_force ? QString() : quorumRisk(demoted);
    if (!risk.isEmpty()) {
        for (const QString &id : std::as_const(m_queue))
            finishBoard(id, false, risk);
        m_queue.clear();
    } else if (m_force && !quorumRisk(demoted).isEmpty()) {
        log(QString(), tr("--force: going ahead although the swarm may lose its quorum."));
    }
    next();
}

void SwarmMembership::next()
{
    if (m_queue.isEmpty() || isCancelled()) {
        finishJob();
        return;
    }
    const QString id = m_queue.takeFirst();
    const SwarmNode node = m_live.value(id);
    switch (m_operation) {
    case Operation::Promote:
        promote(id, node);
        return;
    case Operation::Demote:
        demote(id, node);
        return;
    case Operation::Remove:
        removeBoard(id);
        return;
    }
}

void SwarmMembership::promote(const QString &boardId, const SwarmNode &node)
{
    if (node.isManager()) {
        finishBoard(boardId, true, tr("%1 is a manager already.").arg(node.hostname));
        changeBoard(boardId, [](Board *b) { b->role = Role::Manager; });
        next();
        return;
    }
    if (!node.isReady() && !m_force) {
        finishBoard(boardId, false,
                    tr("%1 is %2: as a manager it could not vote, and the swarm would need more "
                       "managers for a majority. Bring it back first, or use --force.")
                        .arg(node.hostname, node.status));
        next();
        return;
    }
    changeRole(managerBoardId(), node, true, [this, boardId](bool ok, const QString &message) {
        finishBoard(boardId, ok, message);
        if (ok)
            changeBoard(boardId, [](Board *b) { b->role = Role::Manager; });
        next();
    });
}

void SwarmMembership::demote(const QString &boardId, const SwarmNode &node)
{
    auto done = [this, boardId](bool ok, const QString &message) {
        finishBoard(boardId, ok, message);
        if (ok)
            changeBoard(boardId, [](Board *b) { b->role = Role::Worker; });
        next();
    };
    if (!node.isManager())
        done(true, tr("%1 is a worker already.").arg(node.hostname));
    else
        changeRole(managerBoardId(), node, false, done);
}

void SwarmMembership::removeBoard(const QString &boardId)
{
    // Every node of the board: the live one and stale ones (an earlier life of the board).
    QList<SwarmNode> mine;
    for (const SwarmNode &n : nodes()) {
        if (nodeBoards().value(n.id) == boardId)
            mine << n;
    }
    removeNodes(managerBoardId(), mine, m_settleSeconds,
                [this, boardId](bool ok, const QString &message) {
                    if (!ok) {
                        finishBoard(boardId, false, message);
                        next();
                        return;
                    }
                    finishBoard(boardId, true,
                                tr("Removed from the swarm; the board stays in the plan without "
                                   "a role."));
                    changeBoard(boardId, [](Board *b) {
                        b->role = Role::Unassigned;
                        b->nodeId.clear();
                    });
                    document()->setNodeState(boardId, NodeState::Unknown);
                    document()->setNodeAvailability(boardId, QString());
                    next();
                });
}

} // namespace Hivelab
