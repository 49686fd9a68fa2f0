// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackstatus.h"

#include "stackdeploy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QUrl>

namespace Hivelab {

namespace {

const char StackLabel[] = "com.docker.stack.namespace";

// `GET PATH?filters=…` with the engine's JSON filter syntax.
HttpRequest filtered(const QByteArray &path, const QJsonObject &filters)
{
    HttpRequest r;
    r.path = path + "?filters=" +
             QUrl::toPercentEncoding(
                 QString::fromUtf8(QJsonDocument(filters).toJson(QJsonDocument::Compact)));
    return r;
}

QJsonObject labelFilter(const QString &stack)
{
    const QString label = QLatin1String(StackLabel) + (stack.isEmpty() ? QString() : "=" + stack);
    return QJsonObject{{QStringLiteral("label"), QJsonArray{label}}};
}

} // namespace

StackStatus::StackStatus(LabDocument *document, QObject *parent)
    : SwarmStatus(document, parent)
{}

void StackStatus::setOperation(Operation operation, const QString &stack)
{
    m_operation = operation;
    m_stack = stack;
}

void StackStatus::begin()
{
    if ((m_operation == Operation::Remove || !m_stack.isEmpty()) &&
        !StackDeploy::isValidStackName(m_stack)) {
        failJob(m_stack.isEmpty() ? tr("Name the stack.")
                                  : tr("\"%1\" is not a stack name.").arg(m_stack));
        return;
    }
    SwarmStatus::begin();
}

void StackStatus::report()
{
    setBoards({managerBoardId()});
    for (const SwarmNode &n : nodes())
        m_hostnames.insert(n.id, n.hostname);
    switch (m_operation) {
    case Operation::List:
        list();
        break;
    case Operation::Tasks:
        listTasks();
        break;
    case Operation::Remove:
        remove();
        break;
    }
}

void StackStatus::done(bool ok, const QString &message)
{
    finishBoard(managerBoardId(), ok, message);
    finishJob();
}

void StackStatus::servicesThenTasks(
    const QJsonObject &serviceFilter, const QJsonObject &taskFilter,
    std::function<bool(const QByteArray &services)> servicesUsable,
    std::function<void(const QByteArray &services, const QByteArray &tasks)> then)
{
    callEngine(
        managerBoardId(), filtered("/services", serviceFilter),
        [this, taskFilter, servicesUsable, then](const Remote &services) {
            if (services.cancelled)
                return;
            if (!services.engineOk()) {
                done(false, tr("No service list: %1").arg(describe(services)));
                return;
            }
            if (!servicesUsable(services.out))
                return;
            callEngine(managerBoardId(), filtered("/tasks", taskFilter),
                       [this, then, serviceList = services.out](const Remote &tasks) {
                           if (tasks.cancelled)
                               return;
                           if (!tasks.engineOk()) {
                               done(false, tr("No task list: %1").arg(describe(tasks)));
                               return;
                           }
                           then(serviceList, tasks.out);
                       });
        });
}

void StackStatus::list()
{
    QJsonObject running = labelFilter(QString());
    running.insert(QStringLiteral("desired-state"), QJsonArray{QStringLiteral("running")});
    servicesThenTasks(
        labelFilter(QString()), running, [](const QByteArray &) { return true; },
        [this](const QByteArray &serviceList, const QByteArray &tasks) {
            QMap<QString, StackInfo> byName;
            const QJsonArray array = QJsonDocument::fromJson(serviceList).array();
            for (const QJsonValue &v : array) {
                const QJsonObject spec = v.toObject().value(QLatin1String("Spec")).toObject();
                const QString name = spec.value(QLatin1String("Labels"))
                                         .toObject()
                                         .value(QLatin1String(StackLabel))
                                         .toString();
                StackInfo &info = byName[name];
                info.name = name;
                ++info.services;
                info.desiredTasks += spec.value(QLatin1String("Mode"))
                                         .toObject()
                                         .value(QLatin1String("Replicated"))
                                         .toObject()
                                         .value(QLatin1String("Replicas"))
                                         .toInt();
            }
            for (const StackPlacement::ServiceTask &t :
                 StackPlacement::parseTasks(tasks, serviceList)) {
                if (byName.contains(t.stack) && t.isRunning())
                    ++byName[t.stack].runningTasks;
            }
            m_stacks = byName.values();
            done(true, tr("%n stack(s).", nullptr, int(m_stacks.size())));
        });
}

void StackStatus::listTasks()
{
    const QJsonObject filter = labelFilter(m_stack);
    servicesThenTasks(
        filter, filter,
        [this](const QByteArray &services) {
            if (!m_stack.isEmpty() && QJsonDocument::fromJson(services).array().isEmpty()) {
                done(false, tr("No stack named %1 on this swarm.").arg(m_stack));
                return false;
            }
            return true;
        },
        [this](const QByteArray &serviceList, const QByteArray &tasks) {
            m_tasks = StackPlacement::parseTasks(tasks, serviceList);
            const QHash<QString, QString> boards = nodeBoards();
            int running = 0;
            for (StackPlacement::ServiceTask &t : m_tasks) {
                t.boardId = boards.value(t.nodeId);
                running += t.isRunning();
            }
            done(true, tr("%1 task(s), %2 running.").arg(m_tasks.size()).arg(running));
        });
}

void StackStatus::remove()
{
    // The name is checked (StackDeploy::isValidStackName): safe on the command line.
    runOn(managerBoardId(), QStringLiteral("docker stack rm %1").arg(m_stack),
          [this](const Remote &r) {
              if (r.cancelled)
                  return;
              if (endBoardIfFailed(managerBoardId(), r, tr("docker stack rm failed: %1")))
                  return;
              const QString out = QString::fromUtf8(r.out + r.err).trimmed();
              if (out.contains(QLatin1String("Nothing found in stack"), Qt::CaseInsensitive)) {
                  done(false, tr("No stack named %1 on this swarm.").arg(m_stack));
                  return;
              }
              done(true, tr("Stack %1 removed.").arg(m_stack));
          });
}

} // namespace Hivelab
