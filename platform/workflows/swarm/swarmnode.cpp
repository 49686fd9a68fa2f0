// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmnode.h"

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
        }
        nodes << n;
    }
    return nodes;
}

QHash<QString, QString> SwarmNode::matchBoards(const Lab &lab, const QList<SwarmNode> &nodes,
                                               const QHash<QString, QString> &hostnames)
{
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
        const QString id = byName.value(n.hostname.toLower());
        if (!id.isEmpty())
            result.insert(n.id, id);
    }
    return result;
}

} // namespace Hivelab
