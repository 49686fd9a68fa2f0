// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace Hivelab {

/// One line of `docker node ls --format '{{json .}}'` on a manager. Plain value type, any thread.
struct SwarmNode
{
    QString id;
    QString hostname;
    QString status;        // "Ready", "Down", "Unknown", "Disconnected"
    QString availability;  // "Active", "Pause", "Drain"
    QString managerStatus; // "Leader", "Reachable", "Unreachable", "" for workers
    QString engineVersion;
    bool self = false; // the node the command ran on

    bool isManager() const { return !managerStatus.isEmpty(); }
    bool isLeader() const { return managerStatus == QLatin1String("Leader"); }
    bool isReady() const { return status == QLatin1String("Ready"); }

    /// Parses every JSON line; lines that are not node objects are skipped.
    static QList<SwarmNode> parseList(const QByteArray &output);
    /// Board ID for each node ID: a node matches the board whose hostname (else name) equals its
    /// hostname, case-insensitively; `hostnames` (board ID -> engine name from `docker info`)
    /// wins over the plan when given. Unmatched nodes are left out.
    static QHash<QString, QString> matchBoards(const Lab &lab, const QList<SwarmNode> &nodes,
                                               const QHash<QString, QString> &hostnames = {});
};

} // namespace Hivelab
