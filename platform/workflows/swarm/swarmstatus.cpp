// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmstatus.h"

#include "labdocument.h"

namespace Hivelab {

SwarmStatus::SwarmStatus(LabDocument *document, QObject *parent)
    : SwarmJob(document, parent)
{}

void SwarmStatus::begin()
{
    QStringList planned;
    for (const Board &b : document()->lab().boards) {
        if (b.role == Role::Manager)
            m_managers << b.id;
        // Boards named explicitly count even without a role (e.g. to promote one).
        if (b.role != Role::Unassigned || boardFilter().contains(b.id))
            planned << b.id;
    }
    setBoards(filterBoards(planned));
    if (m_managers.isEmpty()) {
        failJob(tr("The lab has no manager: choose managers first."));
        return;
    }
    ask(0);
}

void SwarmStatus::ask(int index)
{
    if (index >= m_managers.size()) {
        for (const QString &id : boardIds()) {
            if (document()->nodeState(id) == NodeState::SwarmReady)
                document()->setNodeState(id, NodeState::SwarmDown);
        }
        failJob(tr("No manager answered with the swarm's node list."));
        return;
    }
    const QString id = m_managers.at(index);
    HttpRequest nodes;
    nodes.path = "/nodes";
    callEngine(id, nodes, [this, id, index](const Remote &r) {
              if (!r.engineOk()) {
                  log(id, tr("No node list from this manager: %1").arg(describe(r)));
                  if (r.error.isError())
                      document()->setNodeState(id, NodeState::Offline);
                  ask(index + 1);
                  return;
              }
              m_manager = id;
              m_nodes = SwarmNode::parseList(r.out);
              m_nodeBoards = SwarmNode::matchBoards(document()->lab(), m_nodes);
              const QHash<QString, SwarmNode> live = SwarmNode::liveByBoard(m_nodes, m_nodeBoards);
              for (const Board &b : document()->lab().boards) {
                  if (live.contains(b.id) &&
                      !live.value(b.id).labelDiff(document()->lab(), b.id).isEmpty())
                      m_labelsOutOfDate << b.id;
              }
              if (m_withTasks)
                  askTasks();
              else
                  report();
          });
}

void SwarmStatus::askTasks()
{
    HttpRequest services;
    services.path = "/services";
    callEngine(m_manager, services, [this](const Remote &s) {
        if (s.cancelled)
            return;
        if (!s.engineOk()) {
            log(m_manager, tr("No service list from this manager: %1").arg(describe(s)));
            report();
            return;
        }
        HttpRequest tasks;
        // {"desired-state":["running"]}: what should run now, not the history of old tasks.
        tasks.path = "/tasks?filters=%7B%22desired-state%22%3A%5B%22running%22%5D%7D";
        callEngine(m_manager, tasks, [this, serviceList = s.out](const Remote &t) {
            if (t.cancelled)
                return;
            if (!t.engineOk()) {
                log(m_manager, tr("No task list from this manager: %1").arg(describe(t)));
            } else {
                m_tasks = StackPlacement::parseTasks(t.out, serviceList);
                for (StackPlacement::ServiceTask &task : m_tasks)
                    task.boardId = m_nodeBoards.value(task.nodeId);
                document()->setServiceTasks(m_tasks);
            }
            report();
        });
    });
}

QHash<QString, SwarmNode> SwarmStatus::nodeByBoard(bool logStrangers)
{
    for (const SwarmNode &n : std::as_const(m_nodes)) {
        if (logStrangers && !m_nodeBoards.contains(n.id))
            log(QString(), tr("Node %1 (%2) is not a board of this lab.").arg(n.hostname, n.id));
    }
    return SwarmNode::liveByBoard(m_nodes, m_nodeBoards);
}

void SwarmStatus::report()
{
    const QHash<QString, SwarmNode> byBoard = nodeByBoard(true);
    QString leader;
    for (const Board &b : document()->lab().boards) {
        if (!byBoard.contains(b.id))
            continue;
        const SwarmNode n = byBoard.value(b.id);
        document()->setNodeState(b.id, n.isReady() ? NodeState::SwarmReady : NodeState::SwarmDown);
        document()->setNodeAvailability(b.id, n.availability);
        if (n.isReady())
            changeBoard(b.id, [&n](Board *board) { board->nodeId = n.id; });
        if (n.isLeader())
            leader = b.id;
    }
    document()->setSwarmLeader(leader);
    for (const QString &id : boardIds()) {
        const Board *b = board(id);
        if (!byBoard.contains(id)) {
            finishBoard(id, false, tr("Not in the swarm."));
            continue;
        }
        const SwarmNode n = byBoard.value(id);
        const bool wantManager = b && b->role == Role::Manager;
        const QString role = n.isManager() ? tr("manager (%1)").arg(n.managerStatus) : tr("worker");
        if (!n.isReady())
            finishBoard(id, false, tr("%1, %2: %3").arg(n.hostname, role, n.status));
        else if (wantManager != n.isManager())
            finishBoard(id, false,
                        tr("%1 is Ready as %2 but the plan says %3.")
                            .arg(n.hostname, role, wantManager ? tr("manager") : tr("worker")));
        else
            finishBoard(id, true, tr("%1, %2, Ready").arg(n.hostname, role));
    }
    finishJob();
}

} // namespace Hivelab
