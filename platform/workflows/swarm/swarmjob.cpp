// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmjob.h"

#include <QTimer>

namespace Hivelab {

SwarmJob::SwarmJob(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{}

void SwarmJob::changeRole(const QString &managerBoardId, const SwarmNode &node, bool manager,
                          const NodesDone &done)
{
    callEngine(
        managerBoardId, node.roleRequest(manager), [node, manager, done](const Remote &r) {
            if (!r.engineOk())
                done(false, (manager ? tr("Promoting %1 failed: %2") : tr("Demoting %1 failed: %2"))
                                .arg(node.hostname, describe(r)));
            else
                done(true, manager ? tr("%1 promoted to manager.").arg(node.hostname)
                                   : tr("%1 demoted to worker.").arg(node.hostname));
        });
}

void SwarmJob::removeNodes(const QString &managerBoardId, const QList<SwarmNode> &nodes,
                           int settleSeconds, const NodesDone &done)
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (!nodes.at(i).isManager())
            continue;
        changeRole(
            managerBoardId, nodes.at(i), false,
            [this, managerBoardId, nodes, i, settleSeconds, done](bool ok, const QString &message) {
                if (!ok) {
                    done(false, message);
                    return;
                }
                log(QString(), message);
                QList<SwarmNode> rest = nodes;
                rest[i].managerStatus.clear(); // demoted: next time round it is deleted
                removeNodes(managerBoardId, rest, settleSeconds, done);
            });
        return;
    }
    deleteNodes(managerBoardId, nodes, settleSeconds, 0, done);
}

void SwarmJob::deleteNodes(const QString &managerBoardId, QList<SwarmNode> nodes, int settleSeconds,
                           int attempt, const NodesDone &done)
{
    if (nodes.isEmpty()) {
        done(true, QString());
        return;
    }
    const SwarmNode n = nodes.first();
    callEngine(managerBoardId, n.removeRequest(),
               [this, managerBoardId, nodes, settleSeconds, attempt, n, done](const Remote &r) {
                   QList<SwarmNode> rest = nodes;
                   if (r.engineOk() || r.response.status == 404) {
                       log(QString(),
                           tr("Node %1 (%2) removed from the swarm.").arg(n.id, n.hostname));
                       rest.removeFirst();
                       deleteNodes(managerBoardId, rest, settleSeconds, 0, done);
                       return;
                   }
                   // A demoted manager stays in the Raft group until the managers have
                   // reconfigured it away; removal is refused until then. Ask again, bounded.
                   const bool settling =
                       r.response.status >= 400 && describe(r).contains(QLatin1String("manager"));
                   if (settling && attempt < 2 * settleSeconds) {
                       QTimer::singleShot(500, this, [=]() {
                           if (!isCancelled())
                               deleteNodes(managerBoardId, rest, settleSeconds, attempt + 1, done);
                       });
                       return;
                   }
                   done(false, tr("Removing node %1 failed: %2").arg(n.id, describe(r)));
               });
}

} // namespace Hivelab
