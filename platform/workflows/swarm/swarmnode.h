// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace Hivelab {

/// One node of the engine API's `GET /nodes` on a manager, in `docker node ls` words. Plain value
/// type, any thread.
struct SwarmNode
{
    QString id;
    QString hostname;
    QString status;        // "Ready", "Down", "Unknown", "Disconnected"
    QString availability;  // "Active", "Pause", "Drain"
    QString managerStatus; // "Leader", "Reachable", "Unreachable", "" for workers
    QString engineVersion;
    QString address; // the address the manager sees the node at

    bool isManager() const { return !managerStatus.isEmpty(); }
    bool isLeader() const { return managerStatus == QLatin1String("Leader"); }
    bool isReady() const { return status == QLatin1String("Ready"); }

    /// Parses the JSON array `GET /nodes` answers; entries that are not nodes are skipped.
    static QList<SwarmNode> parseList(const QByteArray &json);
    /// Board ID for each node ID: a node matches the board whose hostname (else name) equals its
    /// hostname, case-insensitively; `hostnames` (board ID -> engine name from `docker info`)
    /// wins over the plan when given. Unmatched nodes are left out.
    static QHash<QString, QString> matchBoards(const Lab &lab, const QList<SwarmNode> &nodes,
                                               const QHash<QString, QString> &hostnames = {});
};

} // namespace Hivelab
