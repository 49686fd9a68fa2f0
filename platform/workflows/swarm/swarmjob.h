// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "swarmnode.h"
#include "workflowjob.h"

#include <functional>

namespace Hivelab {

/// Base of the swarm jobs (SwarmFormation, SwarmStatus and its subclasses): swarm changes made
/// through a manager's engine API that more than one job needs. Async, GUI thread.
class SwarmJob : public WorkflowJob
{
    Q_OBJECT
protected:
    explicit SwarmJob(LabDocument *document, QObject *parent = nullptr);

    using NodesDone = std::function<void(bool ok, const QString &message)>;
    /// Promotes (`manager` true) or demotes the node through the manager on `managerBoardId`
    /// (engine API: its spec with another Role). `done` gets what happened, in words.
    void changeRole(const QString &managerBoardId, const SwarmNode &node, bool manager,
                    const NodesDone &done);
    /// Removes `nodes` from the swarm through the manager on `managerBoardId`: manager nodes are
    /// demoted first (one at a time), then each node is deleted (`DELETE /nodes/{id}?force=true`),
    /// asking again for up to `settleSeconds` while a demoted manager is still leaving the Raft
    /// group. Quorum is the caller's business. `done` gets the first failure or ok.
    void removeNodes(const QString &managerBoardId, const QList<SwarmNode> &nodes,
                     int settleSeconds, const NodesDone &done);

private:
    void deleteNodes(const QString &managerBoardId, QList<SwarmNode> nodes, int settleSeconds,
                     int attempt, const NodesDone &done);
};

} // namespace Hivelab
