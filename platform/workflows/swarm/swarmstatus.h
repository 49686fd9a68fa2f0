// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stackplacement.h"
#include "swarmjob.h"

namespace Hivelab {

/// Live swarm state for the canvas LEDs: asks the planned managers in turn (first that
/// answers) for `docker node ls` and sets LabDocument node states: SwarmReady for Ready nodes,
/// SwarmDown for nodes the swarm lists as down; planned boards the swarm does not list are
/// reported (and left as they were). Bounded: one command per manager with the job's timeout.
/// Async job, GUI thread. boardFinished() is emitted for every board with a role and every
/// board the filter names (ok = in the swarm and Ready with its planned role). Ready boards'
/// node IDs are recorded in the plan (Board::nodeId).
class SwarmStatus : public SwarmJob
{
    Q_OBJECT
public:
    explicit SwarmStatus(LabDocument *document, QObject *parent = nullptr);

    QList<SwarmNode> nodes() const { return m_nodes; }
    /// Board that answered (empty when none did).
    QString managerBoardId() const { return m_manager; }
    /// Board ID for each listed node ID (SwarmNode::matchBoards: node ID, hostname, address).
    QHash<QString, QString> nodeBoards() const { return m_nodeBoards; }
    /// Boards (lab order) whose live node's labels differ from the plan's (NodeLabels): "Apply
    /// placement" would change them. Known once a manager answered.
    QStringList labelsOutOfDate() const { return m_labelsOutOfDate; }
    /// Also ask the answering manager for the tasks meant to run (`GET /tasks` with desired
    /// state running, `GET /services` for their names; each answer is bounded by the HTTP
    /// parser's body limit) and put them into the document (LabDocument::setServiceTasks).
    /// Before start(). A failed task list is logged; the node states still count.
    void setWithTasks(bool withTasks) { m_withTasks = withTasks; }
    bool withTasks() const { return m_withTasks; }
    /// With setWithTasks(): the tasks, each with its board (empty when they could not be read).
    QList<StackPlacement::ServiceTask> tasks() const { return m_tasks; }

protected:
    void begin() override;
    /// Called once a manager answered (nodes(), nodeBoards() and managerBoardId() are set);
    /// finishes every board. Subclasses act on the node list instead.
    virtual void report();
    /// The live node of each board (a Ready entry wins over a stale Down one).
    QHash<QString, SwarmNode> nodeByBoard(bool logStrangers = false);

private:
    void ask(int index);
    void askTasks();

    QStringList m_managers;
    QList<SwarmNode> m_nodes;
    QString m_manager;
    QHash<QString, QString> m_nodeBoards;
    QStringList m_labelsOutOfDate;
    bool m_withTasks = false;
    QList<StackPlacement::ServiceTask> m_tasks;
};

} // namespace Hivelab
