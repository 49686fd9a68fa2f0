// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"
#include "stackplacement.h"

#include <QHash>
#include <QObject>

namespace Hivelab {

/// The open lab: single source of truth for views, item models and workflows.
/// Lives in the GUI thread (or the CLI's main thread); every mutation emits a signal naming the
/// object by ID. Views never hold pointers into it across calls.
class LabDocument : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LabDocument)
public:
    explicit LabDocument(QObject *parent = nullptr);

    const Lab &lab() const { return m_lab; }
    /// Replaces everything (open, new); emits reset().
    void setLab(const Lab &lab);

    QString filePath() const { return m_filePath; }
    void setFilePath(const QString &path);
    bool isModified() const { return m_modified; }
    void setModified(bool modified);

    void setName(const QString &name);
    void setSwarmSettings(const SwarmSettings &settings);

    void addRack(const Rack &rack, int index = -1);
    void updateRack(const Rack &rack);
    /// Removes the rack; boards in it become unplaced, its supplies and switches stand outside
    /// any rack (still feeding what they fed). Returns false for an unknown ID.
    bool removeRack(const QString &id);

    void addPowerSupply(const PowerSupply &psu, int index = -1);
    void updatePowerSupply(const PowerSupply &psu);
    bool removePowerSupply(const QString &id);

    void addSwitch(const NetworkSwitch &sw, int index = -1);
    void updateSwitch(const NetworkSwitch &sw);
    bool removeSwitch(const QString &id);

    void addBoard(const Board &board, int index = -1);
    void updateBoard(const Board &board);
    bool removeBoard(const QString &id);
    /// Puts a board into rack/slot and re-cables it with placeBoard()'s rule (boardplacement.h,
    /// built-in catalog). A board already there swaps into the mover's old place.
    /// Returns the ID of the swapped board (empty if none).
    QString moveBoard(const QString &boardId, const QString &rackId, int slot);
    void setRole(const QString &boardId, Role role);

    NodeState nodeState(const QString &boardId) const
    {
        return m_states.value(boardId, NodeState::Unknown);
    }
    /// Runtime state from the live swarm; not part of the saved document.
    void setNodeState(const QString &boardId, NodeState state);
    /// The swarm's scheduling availability of a board's node: "active", "drain", "pause", or
    /// empty when unknown / not in a swarm. Runtime only, like the node state; a change emits
    /// nodeStateChanged() so views repaint.
    QString nodeAvailability(const QString &boardId) const { return m_availability.value(boardId); }
    void setNodeAvailability(const QString &boardId, const QString &availability);
    /// The board whose node leads the swarm's managers (Raft leader), empty when unknown.
    /// Runtime only; a change emits nodeStateChanged() for the old and the new leader.
    QString swarmLeader() const { return m_leader; }
    void setSwarmLeader(const QString &boardId);
    /// The swarm's tasks as the live status last saw them, each with its board when the node
    /// is one of the lab's. Runtime only; a change emits serviceTasksChanged().
    QList<StackPlacement::ServiceTask> serviceTasks() const { return m_tasks; }
    /// The tasks on one board (serviceTasks() order).
    QList<StackPlacement::ServiceTask> serviceTasksOn(const QString &boardId) const;
    void setServiceTasks(const QList<StackPlacement::ServiceTask> &tasks);

Q_SIGNALS:
    void reset();
    void objectAdded(Hivelab::ObjectKind kind, const QString &id);
    void objectChanged(Hivelab::ObjectKind kind, const QString &id);
    void objectRemoved(Hivelab::ObjectKind kind, const QString &id);
    void nodeStateChanged(const QString &boardId, Hivelab::NodeState state);
    /// Any change of the saved content (for live re-checks).
    void changed();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);
    void serviceTasksChanged();

private:
    void touch();
    void emitChanged(Hivelab::ObjectKind kind, const QStringList &ids);

    Lab m_lab;
    QString m_filePath;
    bool m_modified = false;
    QHash<QString, NodeState> m_states;
    QHash<QString, QString> m_availability;
    QString m_leader;
    QList<StackPlacement::ServiceTask> m_tasks;
};

} // namespace Hivelab
