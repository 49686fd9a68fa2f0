// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stackplacement.h"
#include "swarmstatus.h"

#include <QJsonObject>

#include <functional>

namespace Hivelab {

/// `hivelab stack ls|ps|rm`: the swarm's stacks, a stack's tasks with the board each runs on,
/// or removing a stack, through a planned manager that answers (engine API `GET /services`,
/// `GET /tasks` filtered by the stack's `com.docker.stack.namespace` label; `docker stack rm`).
/// The job's one board is the manager used. Async job, GUI thread.
class StackStatus : public SwarmStatus
{
    Q_OBJECT
public:
    enum class Operation { List, Tasks, Remove };
    Q_ENUM(Operation)

    explicit StackStatus(LabDocument *document, QObject *parent = nullptr);

    /// Before start(). Tasks: `stack` may be empty (every service's tasks); Remove needs it.
    void setOperation(Operation operation, const QString &stack = QString());

    struct StackInfo
    {
        QString name;
        int services = 0;
        int runningTasks = 0;
        int desiredTasks = 0; // replicated services' replicas; global services count running
    };
    /// List: the stacks, by name.
    QList<StackInfo> stacks() const { return m_stacks; }
    /// Tasks: the tasks (StackPlacement::parseTasks order), each with its board when the node
    /// is one of the lab's.
    QList<StackPlacement::ServiceTask> tasks() const { return m_tasks; }
    /// Tasks: the hostname the swarm knows each node ID by.
    QString nodeHostname(const QString &nodeId) const { return m_hostnames.value(nodeId); }

protected:
    void begin() override;
    void report() override;

private:
    void list();
    void listTasks();
    /// Services matching `serviceFilter`, then tasks matching `taskFilter`, from the manager's
    /// engine; a failed call ends the job. `servicesUsable` may end it too (returns false).
    void servicesThenTasks(const QJsonObject &serviceFilter, const QJsonObject &taskFilter,
                           std::function<bool(const QByteArray &services)> servicesUsable,
                           std::function<void(const QByteArray &services, const QByteArray &tasks)>
                               then);
    void remove();
    void done(bool ok, const QString &message);

    Operation m_operation = Operation::List;
    QString m_stack;
    QList<StackInfo> m_stacks;
    QList<StackPlacement::ServiceTask> m_tasks;
    QHash<QString, QString> m_hostnames;
};

} // namespace Hivelab
