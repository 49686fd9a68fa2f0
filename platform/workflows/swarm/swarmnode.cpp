// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmnode.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab {

QList<SwarmNode> SwarmNode::parseList(const QByteArray &output)
{
    QList<SwarmNode> nodes;
    const QList<QByteArray> lines = output.split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray t = line.trimmed();
        if (!t.startsWith('{'))
            continue;
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(t, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            continue;
        const QJsonObject o = doc.object();
        SwarmNode n;
        n.id = o.value(QLatin1String("ID")).toString();
        n.hostname = o.value(QLatin1String("Hostname")).toString();
        if (n.id.isEmpty() || n.hostname.isEmpty())
            continue;
        n.status = o.value(QLatin1String("Status")).toString();
        n.availability = o.value(QLatin1String("Availability")).toString();
        n.managerStatus = o.value(QLatin1String("ManagerStatus")).toString();
        n.engineVersion = o.value(QLatin1String("EngineVersion")).toString();
        // `docker node ls` marks the node it runs on with "Self": true (older engines: "*" in
        // an ID-like column of the table format only).
        const QJsonValue self = o.value(QLatin1String("Self"));
        n.self = self.isBool() ? self.toBool() : self.toString() == QLatin1String("true");
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
