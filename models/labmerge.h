// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "discoveredhost.h"
#include "labtypes.h"

#include <QHash>

namespace Hivelab {

/// Merges discovery results into a lab plan: matches known boards by the marker of the card they
/// booted from (cloud-init's instance ID, recorded by card preparation), then MAC, hostname, IP;
/// never silently duplicates a board. New boards are added in address order and placed with
/// place() (members of a running swarm: where their `hivelab.rack` label says, see fillIn()),
/// so the same scan gives the same lab from the wizard and the CLI. Pure; any thread.
class LabMerge
{
    Q_GADGET
public:
    enum class Kind {
        Unchanged, // matched, nothing new
        Updated,   // matched, empty fields filled in (MAC, hostname, OS, …)
        IpChanged, // matched by MAC/hostname at another address
        Added,     // new board: unassigned, in a free rack slot when the lab has one
        Missing,   // in the lab and in the scanned range, not found
        Conflict,  // could not decide (e.g. two boards share the hostname); nothing changed
    };
    Q_ENUM(Kind)

    struct Change
    {
        Kind kind = Kind::Unchanged;
        QString boardId;
        QString ip;         // where it was found (empty for Missing)
        QString previousIp; // IpChanged / Missing: the lab's address
        QString matchedBy;  // "instance-id", "mac", "hostname", "ip"
        QString message;    // one user-facing sentence
    };

    struct Result
    {
        Lab lab;
        QList<Change> changes;
        int count(Kind kind) const;
    };

    /// scannedHosts: the addresses that were probed, so only boards whose address was scanned
    /// (or which have no address) can be reported Missing. `hosts` may come in any order
    /// (answer order): they are merged in address order.
    static Result merge(const Lab &lab, const QList<DiscoveredHost> &hosts,
                        const QStringList &scannedHosts);
    /// Puts a board into a free rack slot, spread over the racks (the emptiest first, plan
    /// order on ties) with that rack's first PSU and first free switch port: boards in
    /// different racks are what lets managers survive the loss of any one of them. Leaves the
    /// board unplaced when every slot is taken.
    static void place(const Lab &lab, Board *board);
    /// Fills what `board` does not record yet (MAC, hostname, arch, OS, catalog model, SSH
    /// port) from what was learnt about it, e.g. after a login; returns the fields changed.
    /// A board still carrying its generated name ("board-3") is named after its hostname when
    /// `lab` has no other board of that name. A member of a running swarm (adopting it) records
    /// its node ID, its role when the plan gives none, its own node labels (not `hivelab.`
    /// ones, nor what the plan gives already) and, when it is in no rack and its
    /// `hivelab.rack` label names a rack of the lab (by ID) with a free slot, goes into that
    /// rack's first free slot, cabled by placeBoard(). The same rules as merge().
    static QStringList fillIn(const Lab &lab, Board *board, const DiscoveredHost &host);
    /// fillIn() for the boards of `lab` that `hosts` (by board ID) has something for, in lab
    /// order, each seeing the boards filled before it (two boards labelled for one rack take
    /// two slots). Returns the lab after; the boards changed are appended to *changedIds.
    static Lab fillIn(const Lab &lab, const QHash<QString, DiscoveredHost> &hosts,
                      QStringList *changedIds);
};

} // namespace Hivelab
