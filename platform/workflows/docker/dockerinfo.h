// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// What `docker info --format '{{json .}}'` says about one engine and its swarm membership.
/// Plain value type, any thread.
struct DockerInfo
{
    bool valid = false;          // the text was docker info JSON
    bool engineAnswered = false; // the server part is filled (the engine runs)
    QString clientVersion;
    QString serverVersion;
    QString name;         // the engine's hostname: what `docker node ls` shows as HOSTNAME
    QString architecture; // engine's "x86_64", "aarch64", …
    QString operatingSystem;

    // Swarm part.
    QString localNodeState;        // "inactive", "pending", "active", "error", "locked"
    bool controlAvailable = false; // a manager
    QString nodeId;
    QString nodeAddr;
    QString clusterId;          // only managers know it
    QStringList remoteManagers; // "10.77.0.11:2377", …
    int managers = 0;           // managers in the swarm (only managers know it)
    int nodes = 0;              // nodes in the swarm (only managers know it)
    QString swarmError;

    bool inSwarm() const { return localNodeState == QLatin1String("active"); }
    /// Docker's architecture spelled like the lab plan ("amd64", "arm64", "armhf").
    QString planArchitecture() const;
    /// The plan's word for an engine's architecture name ("aarch64" -> "arm64").
    static QString planArchitecture(const QString &engineArchitecture);

    /// Parses the first JSON object in `json` (docker prints one line). Returns an invalid
    /// result when it is not docker info output.
    static DockerInfo fromJson(const QByteArray &json);
};

} // namespace Hivelab
