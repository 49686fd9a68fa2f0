// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "discoveredhost.h"
#include "labtypes.h"

namespace Hivelab {

/// Merges discovery results into a lab plan: matches known boards by MAC, then hostname, then IP;
/// never silently duplicates a board. New boards are added in address order and placed with
/// place(), so the same scan gives the same lab from the wizard and the CLI. Pure; any thread.
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
        QString matchedBy;  // "mac", "hostname", "ip"
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
    /// Fills what `board` does not record yet (MAC, hostname, arch, OS, catalog model, SSH
    /// port) from what was learnt about it, e.g. after a login; returns the fields changed.
    /// A board still carrying its generated name ("board-3") is named after its hostname when
    /// `lab` has no other board of that name.
    /// Puts a board into a free rack slot, spread over the racks (the emptiest first, plan
    /// order on ties) with that rack's first PSU and first free switch port: boards in
    /// different racks are what lets managers survive the loss of any one of them. Leaves the
    /// board unplaced when every slot is taken.
    static void place(const Lab &lab, Board *board);
    static QStringList fillIn(const Lab &lab, Board *board, const DiscoveredHost &host);
};

} // namespace Hivelab
