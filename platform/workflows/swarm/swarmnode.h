// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpmessage.h"
#include "labtypes.h"
#include "nodelabels.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
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
    QString address;              // the address the manager sees the node at
    QString architecture;         // the plan's word ("arm64") for Description.Platform.Architecture
    QString platformArchitecture; // as the engine says it ("aarch64"): node.platform.arch
    QMap<QString, QString> labels; // Spec.Labels: node labels
    qint64 version = -1;           // Version.Index: what an update must name
    QJsonObject spec;              // Spec as the engine gave it (updates send it back changed)

    bool isManager() const { return !managerStatus.isEmpty(); }
    bool isLeader() const { return managerStatus == QLatin1String("Leader"); }
    /// A manager in the Raft group that the leader reaches (the leader itself included).
    bool isReachableManager() const
    {
        return isLeader() || managerStatus == QLatin1String("Reachable");
    }
    bool isReady() const { return status == QLatin1String("Ready"); }

    /// The managers of a node list and how many of them the leader reaches (itself included).
    /// A promotion changes the Raft group, so it is safe only while the managers in place have
    /// quorum: a majority of them reachable.
    struct Managers
    {
        int total = 0;
        int reachable = 0;
        bool haveQuorum() const { return reachable * 2 > total; }
    };
    static Managers managersOf(const QList<SwarmNode> &nodes);

    /// Parses the JSON array `GET /nodes` answers; entries that are not nodes are skipped.
    static QList<SwarmNode> parseList(const QByteArray &json);
    /// The engine API request replacing this node's spec (`POST /nodes/{id}/update`) with
    /// `spec`, naming the version it was read at: the engine refuses it if the node changed since.
    HttpRequest updateRequest(const QJsonObject &newSpec) const;
    /// `spec` with its labels replaced by `labels`.
    static QJsonObject withLabels(QJsonObject spec, const QMap<QString, QString> &labels);
    /// updateRequest() with the labels replaced.
    HttpRequest labelsRequest(const QMap<QString, QString> &newLabels) const;
    /// updateRequest() with the role set ("manager" or "worker").
    HttpRequest roleRequest(bool manager) const;
    /// `DELETE /nodes/{id}?force=true`: removes the node from the swarm's list (the node must
    /// not be a manager).
    HttpRequest removeRequest() const;

    /// Board ID for each node ID: a node matches the board that recorded its node ID, else the
    /// board whose hostname (else name) equals its hostname, case-insensitively (`hostnames`,
    /// board ID -> engine name from `docker info`, wins over the plan when given), else the
    /// board whose IP is the node's address. Unmatched nodes are left out. A board can match
    /// several nodes (a reflashed board that joined again, next to its old Down node).
    static QHash<QString, QString> matchBoards(const Lab &lab, const QList<SwarmNode> &nodes,
                                               const QHash<QString, QString> &hostnames = {});
    /// The live node of each board among `nodes` matched by `nodeBoards` (matchBoards()): a
    /// Ready entry wins over others of the same board, and any entry over a Down one.
    static QHash<QString, SwarmNode> liveByBoard(const QList<SwarmNode> &nodes,
                                                 const QHash<QString, QString> &nodeBoards);
    /// How this node's labels differ from what the plan gives `boardId` (NodeLabels::planned;
    /// when the plan names no architecture, `fallbackArch`, else the node's own).
    NodeLabels::Diff labelDiff(const Lab &lab, const QString &boardId,
                               const QString &fallbackArch = QString()) const;
};

} // namespace Hivelab
