// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockerinfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab {

QString DockerInfo::planArchitecture() const
{
    return planArchitecture(architecture);
}

QString DockerInfo::planArchitecture(const QString &engineArchitecture)
{
    const QString a = engineArchitecture.toLower();
    if (a == QLatin1String("x86_64") || a == QLatin1String("amd64"))
        return QStringLiteral("amd64");
    if (a == QLatin1String("aarch64") || a == QLatin1String("arm64"))
        return QStringLiteral("arm64");
    if (a.startsWith(QLatin1String("armv7")) || a == QLatin1String("armhf") ||
        a.startsWith(QLatin1String("armv6")))
        return QStringLiteral("armhf");
    return a;
}

DockerInfo DockerInfo::fromJson(const QByteArray &json)
{
    DockerInfo info;
    // docker may print warnings around the JSON line; take the first line that is an object.
    const QList<QByteArray> lines = json.split('\n');
    QJsonObject o;
    for (const QByteArray &line : lines) {
        const QByteArray t = line.trimmed();
        if (!t.startsWith('{'))
            continue;
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(t, &error);
        if (error.error == QJsonParseError::NoError && doc.isObject()) {
            o = doc.object();
            break;
        }
    }
    if (!o.contains(QLatin1String("Swarm")) && !o.contains(QLatin1String("ServerVersion")))
        return info;
    info.valid = true;
    info.serverVersion = o.value(QLatin1String("ServerVersion")).toString();
    info.engineAnswered = !info.serverVersion.isEmpty();
    info.clientVersion =
        o.value(QLatin1String("ClientInfo")).toObject().value(QLatin1String("Version")).toString();
    info.name = o.value(QLatin1String("Name")).toString();
    info.architecture = o.value(QLatin1String("Architecture")).toString();
    info.operatingSystem = o.value(QLatin1String("OperatingSystem")).toString();

    const QJsonObject swarm = o.value(QLatin1String("Swarm")).toObject();
    info.localNodeState = swarm.value(QLatin1String("LocalNodeState")).toString();
    info.controlAvailable = swarm.value(QLatin1String("ControlAvailable")).toBool();
    info.nodeId = swarm.value(QLatin1String("NodeID")).toString();
    info.nodeAddr = swarm.value(QLatin1String("NodeAddr")).toString();
    info.swarmError = swarm.value(QLatin1String("Error")).toString();
    info.clusterId =
        swarm.value(QLatin1String("Cluster")).toObject().value(QLatin1String("ID")).toString();
    info.managers = swarm.value(QLatin1String("Managers")).toInt();
    info.nodes = swarm.value(QLatin1String("Nodes")).toInt();
    const QJsonArray remotes = swarm.value(QLatin1String("RemoteManagers")).toArray();
    for (const QJsonValue &r : remotes)
        info.remoteManagers << r.toObject().value(QLatin1String("Addr")).toString();
    return info;
}

} // namespace Hivelab
