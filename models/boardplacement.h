// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labtypes.h"

namespace Hivelab {

class BoardCatalog;

/// Something a board move leaves for the user to sort out: a code plus its data; each front end
/// words its own message.
struct PlacementIssue
{
    enum class Kind {
        NoPsuHeadroom, // the target rack's supplies cannot feed the board: it stays unassigned
        NoFreePort,    // the target rack's switch has no free port: cabled with port -1
        BreaksQuorum,  // after the move, losing this one domain loses manager quorum
    };
    Kind kind = Kind::NoFreePort;
    QString boardId;  // the board concerned
    QString objectId; // the supply, switch, or failing domain (a circuit by its name)
    FaultDomainKind domainKind = FaultDomainKind::Rack; // BreaksQuorum: what objectId is
    double peakWatts = 0;   // NoPsuHeadroom: the supply's peak with the board on it
    double ratingWatts = 0; // NoPsuHeadroom: the supply's rating
    bool operator==(const PlacementIssue &o) const
    {
        return kind == o.kind && boardId == o.boardId && objectId == o.objectId &&
               domainKind == o.domainKind;
    }
};

struct PlacementResult
{
    QStringList boardIds; // boards changed: the mover first, then a swapped board
    QList<PlacementIssue> issues;
};

/// The lowest port of the switch no board uses, or -1 when the switch is full (boards, downlinks
/// and its uplink take every port) or unknown. `ignoreBoardId`'s own cable does not count.
/// Pure; any thread.
int freeSwitchPort(const LabIndex &index, const QString &switchId,
                   const QString &ignoreBoardId = {});

/// Why a board cannot be cabled to `port` of `switchId`: Ok, or the problem plus, for Taken,
/// the board on that port.
struct PortCheck
{
    enum class Result { Ok, NoSuchSwitch, OutOfRange, Taken };
    Result result = Result::Ok;
    int ports = 0;          // the switch's port count
    QString takenByBoardId; // Taken
};
/// Checks a port choice for a board (port -1, "unknown", is always fine). Pure; any thread.
PortCheck checkSwitchPort(const Lab &lab, const QString &boardId, const QString &switchId,
                          int port);

/// Puts a board into rack/slot (empty rack: unplaces it); a board in the target slot swaps into
/// the mover's old place. Each board that changes rack is re-cabled the way a person would:
/// a supply or switch of its old rack (or none, for a board coming from outside any rack) is
/// exchanged for the target rack's first supply with headroom for the board's peak (none
/// fits: unassigned, NoPsuHeadroom) and the target rack's first switch with a free port
/// (none free: its first switch, port -1, NoFreePort). Gear outside any rack stays. Pure; any
/// thread.
PlacementResult placeBoard(Lab *lab, const BoardCatalog &catalog, const QString &boardId,
                           const QString &rackId, int slot);

/// One BreaksQuorum issue (for `boardId`) per single rack, supply, circuit or switch whose loss
/// breaks manager quorum in `after` but not in `before`. Pure; any thread.
QList<PlacementIssue> newQuorumBreaks(const Lab &before, const Lab &after, const QString &boardId);

/// What placeBoard() would cause, without changing the lab: its issues plus one BreaksQuorum
/// per single rack, supply, circuit or switch whose loss would break manager quorum after the
/// move but does not now. Pure; any thread.
QList<PlacementIssue> previewPlacement(const Lab &lab, const BoardCatalog &catalog,
                                       const QString &boardId, const QString &rackId, int slot);

} // namespace Hivelab
