// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmnode.h"

#include "dockerinfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab {

QList<SwarmNode> SwarmNode::parseList(const QByteArray &json)
{
    // The API speaks lower case ("ready", "active", "reachable"); `docker node ls` and the
    // rest of Hivelab capitalise.
    auto word = [](const QJsonValue &v) {
        QString s = v.toString();
        if (!s.isEmpty())
            s[0] = s.at(0).toUpper();
        return s;
    };
    QList<SwarmNode> nodes;
    const QJsonArray list = QJsonDocument::fromJson(json).array();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        const QJsonObject description = o.value(QLatin1String("Description")).toObject();
        const QJsonObject status = o.value(QLatin1String("Status")).toObject();
        SwarmNode n;
        n.id = o.value(QLatin1String("ID")).toString();
        n.hostname = description.value(QLatin1String("Hostname")).toString();
        if (n.id.isEmpty() || n.hostname.isEmpty())
            continue;
        n.status = word(status.value(QLatin1String("State")));
        n.address = status.value(QLatin1String("Addr")).toString();
        n.platformArchitecture = description.value(QLatin1String("Platform"))
                                     .toObject()
                                     .value(QLatin1String("Architecture"))
                                     .toString();
        n.architecture = DockerInfo::planArchitecture(n.platformArchitecture);
        n.spec = o.value(QLatin1String("Spec")).toObject();
        const QJsonObject labels = n.spec.value(QLatin1String("Labels")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            n.labels.insert(it.key(), it.value().toString());
        n.version = o.value(QLatin1String("Version"))
                        .toObject()
                        .value(QLatin1String("Index"))
                        .toInteger(-1);
        n.availability =
            word(o.value(QLatin1String("Spec")).toObject().value(QLatin1String("Availability")));
        n.engineVersion = description.value(QLatin1String("Engine"))
                              .toObject()
                              .value(QLatin1String("EngineVersion"))
                              .toString();
        if (o.contains(QLatin1String("ManagerStatus"))) {
            const QJsonObject m = o.value(QLatin1String("ManagerStatus")).toObject();
            n.managerStatus = m.value(QLatin1String("Leader")).toBool()
                                  ? QStringLiteral("Leader")
                                  : word(m.value(QLatin1String("Reachability")));
            // Docker 20.10 may report a leader's Status.Addr as 0.0.0.0; the Raft address is
            // the one other managers reach it at.
            const QString raft = m.value(QLatin1String("Addr")).toString();
            if ((n.address.isEmpty() || n.address == QLatin1String("0.0.0.0")) && !raft.isEmpty())
                n.address = raft.left(raft.lastIndexOf(QLatin1Char(':')));
        }
        nodes << n;
    }
    return nodes;
}

HttpRequest SwarmNode::updateRequest(const QJsonObject &newSpec) const
{
    // Node IDs are Docker's own base-36 IDs: safe in a path.
    HttpRequest request;
    request.method = "POST";
    request.path = QStringLiteral("/nodes/%1/update?version=%2").arg(id).arg(version).toUtf8();
    request.body = QJsonDocument(newSpec).toJson(QJsonDocument::Compact);
    request.bodyForLog = QString::fromUtf8(request.body);
    return request;
}

QJsonObject SwarmNode::withLabels(QJsonObject spec, const QMap<QString, QString> &labels)
{
    QJsonObject json;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        json.insert(it.key(), it.value());
    spec.insert(QStringLiteral("Labels"), json);
    return spec;
}

HttpRequest SwarmNode::labelsRequest(const QMap<QString, QString> &newLabels) const
{
    return updateRequest(withLabels(spec, newLabels));
}

HttpRequest SwarmNode::roleRequest(bool manager) const
{
    QJsonObject s = spec;
    s.insert(QStringLiteral("Role"),
             manager ? QStringLiteral("manager") : QStringLiteral("worker"));
    return updateRequest(s);
}

SwarmNode::Managers SwarmNode::managersOf(const QList<SwarmNode> &nodes)
{
    Managers m;
    for (const SwarmNode &n : nodes) {
        m.total += n.isManager() ? 1 : 0;
        m.reachable += n.isReachableManager() ? 1 : 0;
    }
    return m;
}

HttpRequest SwarmNode::removeRequest() const
{
    HttpRequest request;
    request.method = "DELETE";
    request.path = QStringLiteral("/nodes/%1?force=true").arg(id).toUtf8();
    return request;
}

QHash<QString, QString> SwarmNode::matchBoards(const Lab &lab, const QList<SwarmNode> &nodes,
                                               const QHash<QString, QString> &hostnames)
{
    QHash<QString, QString> byNodeId, byAddress;
    for (const Board &b : lab.boards) {
        // Lab order wins, as for names: a later board carrying the same ID (a copy) is a stranger.
        if (!b.nodeId.isEmpty() && !byNodeId.contains(b.nodeId))
            byNodeId.insert(b.nodeId, b.id);
        if (!b.ip.isEmpty() && !byAddress.contains(b.ip))
            byAddress.insert(b.ip, b.id);
    }
    QHash<QString, QString> byName; // lower-case hostname -> board ID
    // Plan names first, then the engines' own names, so what the boards report wins.
    for (const Board &b : lab.boards) {
        const QString name = (b.hostname.isEmpty() ? b.name : b.hostname).toLower();
        if (!name.isEmpty() && !byName.contains(name))
            byName.insert(name, b.id);
    }
    for (auto it = hostnames.begin(); it != hostnames.end(); ++it) {
        if (!it.value().isEmpty())
            byName.insert(it.value().toLower(), it.key());
    }
    QHash<QString, QString> result;
    for (const SwarmNode &n : nodes) {
        QString id = byNodeId.value(n.id);
        if (id.isEmpty())
            id = byName.value(n.hostname.toLower());
        if (id.isEmpty())
            id = byAddress.value(n.address);
        if (!id.isEmpty())
            result.insert(n.id, id);
    }
    return result;
}

QHash<QString, SwarmNode> SwarmNode::liveByBoard(const QList<SwarmNode> &nodes,
                                                 const QHash<QString, QString> &nodeBoards)
{
    // A board that left and joined again shows up twice: the Ready entry is the live one, and
    // one that just joined (not Ready yet) is more alive than one the swarm lists as Down.
    const auto rank = [](const SwarmNode &n) {
        return n.isReady() ? 2 : n.status == QLatin1String("Down") ? 0 : 1;
    };
    QHash<QString, SwarmNode> byBoard;
    for (const SwarmNode &n : nodes) {
        const QString id = nodeBoards.value(n.id);
        if (!id.isEmpty() && (!byBoard.contains(id) || rank(n) > rank(byBoard.value(id))))
            byBoard.insert(id, n);
    }
    return byBoard;
}

NodeLabels::Diff SwarmNode::labelDiff(const Lab &lab, const QString &boardId,
                                      const QString &fallbackArch) const
{
    return NodeLabels::diff(
        labels,
        NodeLabels::planned(lab, boardId, fallbackArch.isEmpty() ? architecture : fallbackArch));
}

} // namespace Hivelab
