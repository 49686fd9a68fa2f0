// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardplacement.h"

#include "faultcascade.h"
#include "labindex.h"

#include <QSet>

namespace Hivelab {

int freeSwitchPort(const LabIndex &index, const QString &switchId, const QString &ignoreBoardId)
{
    const NetworkSwitch *sw = index.networkSwitch(switchId);
    if (!sw)
        return -1;
    QSet<int> taken;
    bool ignored = false;
    for (int i : index.boardsOnSwitch(switchId)) {
        const Board &b = index.lab().boards.at(i);
        if (b.id == ignoreBoardId)
            ignored = true;
        else
            taken.insert(b.switchPort);
    }
    if (switchPortsUsed(index, *sw) - (ignored ? 1 : 0) >= sw->ports)
        return -1;
    for (int port = 1; port <= sw->ports; ++port) {
        if (!taken.contains(port))
            return port;
    }
    return -1;
}

PortCheck checkSwitchPort(const Lab &lab, const QString &boardId, const QString &switchId, int port)
{
    PortCheck check;
    const NetworkSwitch *sw = lab.networkSwitch(switchId);
    if (!sw) {
        check.result = PortCheck::Result::NoSuchSwitch;
        return check;
    }
    check.ports = sw->ports;
    if (port == -1)
        return check;
    if (port < 1 || port > sw->ports) {
        check.result = PortCheck::Result::OutOfRange;
        return check;
    }
    for (const Board &b : lab.boards) {
        if (b.id != boardId && b.switchId == switchId && b.switchPort == port) {
            check.result = PortCheck::Result::Taken;
            check.takenByBoardId = b.id;
            break;
        }
    }
    return check;
}

namespace {

// Which of a board's cables go with it when it leaves `fromRack`: gear of that rack, or, for a
// board from outside any rack, the ones never plugged in.
struct Recable
{
    QString boardId;
    bool psu = false;
    bool network = false;
};

Recable recableNeeds(const Lab &lab, const Board &b, const QString &fromRack)
{
    auto goesAlong = [&fromRack](const QString &ref, const QString &gearRack) {
        return fromRack.isEmpty() ? ref.isEmpty() : (!ref.isEmpty() && gearRack == fromRack);
    };
    const PowerSupply *psu = lab.powerSupply(b.psuId);
    const NetworkSwitch *sw = lab.networkSwitch(b.switchId);
    return {b.id, goesAlong(b.psuId, psu ? psu->rackId : QString()),
            goesAlong(b.switchId, sw ? sw->rackId : QString())};
}

void cableIntoRack(Lab *lab, const BoardCatalog &catalog, const Recable &need,
                   PlacementResult *result)
{
    QString psuId;
    QString switchId;
    int port = -1;
    {
        const LabIndex index(*lab);
        const Board &b = *index.board(need.boardId);
        const QString &rackId = b.rackId;
        if (need.psu && !rackId.isEmpty()) {
            const double watts = boardPeakWatts(b, catalog);
            const QList<int> &supplies = index.suppliesInRack(rackId);
            for (int i : supplies) {
                const PowerBudget budget = powerBudget(index, catalog, lab->powerSupplies.at(i));
                if (budget.ratingWatts <= 0 || budget.peakWatts + watts <= budget.ratingWatts) {
                    psuId = budget.psuId;
                    break;
                }
            }
            if (psuId.isEmpty() && !supplies.isEmpty()) {
                const PowerBudget budget =
                    powerBudget(index, catalog, lab->powerSupplies.at(supplies.first()));
                PlacementIssue issue;
                issue.kind = PlacementIssue::Kind::NoPsuHeadroom;
                issue.boardId = b.id;
                issue.objectId = budget.psuId;
                issue.peakWatts = budget.peakWatts + watts;
                issue.ratingWatts = budget.ratingWatts;
                result->issues.append(issue);
            }
        }
        if (need.network && !rackId.isEmpty()) {
            const QList<int> &switches = index.switchesInRack(rackId);
            for (int i : switches) {
                port = freeSwitchPort(index, lab->switches.at(i).id);
                if (port > 0) {
                    switchId = lab->switches.at(i).id;
                    break;
                }
            }
            if (switchId.isEmpty() && !switches.isEmpty()) {
                switchId = lab->switches.at(switches.first()).id;
                PlacementIssue issue;
                issue.kind = PlacementIssue::Kind::NoFreePort;
                issue.boardId = b.id;
                issue.objectId = switchId;
                result->issues.append(issue);
            }
        }
    }
    Board *b = lab->board(need.boardId);
    if (need.psu)
        b->psuId = psuId;
    if (need.network) {
        b->switchId = switchId;
        b->switchPort = port;
    }
}

} // namespace

PlacementResult placeBoard(Lab *lab, const BoardCatalog &catalog, const QString &boardId,
                           const QString &rackId, int slot)
{
    PlacementResult result;
    Board *mover = lab->board(boardId);
    if (rackId.isEmpty())
        slot = -1;
    if (!mover || (mover->rackId == rackId && mover->slot == slot))
        return result;

    // Every board that changes rack first lets go of its old rack's cables, so that in a swap
    // the port and the watts one board frees are there for the other.
    QList<Recable> needs;
    auto moveTo = [&](Board *b, const QString &toRack, int toSlot) {
        if (b->rackId != toRack) {
            const Recable need = recableNeeds(*lab, *b, b->rackId);
            if (need.psu)
                b->psuId.clear();
            if (need.network) {
                b->switchId.clear();
                b->switchPort = -1;
            }
            needs.append(need);
        }
        result.boardIds.append(b->id);
        b->rackId = toRack;
        b->slot = toSlot;
    };
    const QString fromRack = mover->rackId;
    const int fromSlot = mover->slot;
    const Board *occupant = rackId.isEmpty() ? nullptr : lab->boardAt(rackId, slot);
    const QString occupantId = occupant && occupant->id != boardId ? occupant->id : QString();
    moveTo(mover, rackId, slot);
    if (!occupantId.isEmpty())
        moveTo(lab->board(occupantId), fromRack, fromSlot);
    for (const Recable &need : std::as_const(needs))
        cableIntoRack(lab, catalog, need, &result);
    return result;
}

namespace {
QList<PlacementIssue> quorumBreakers(const Lab &lab)
{
    const LabIndex index(lab);
    FaultCascade cascade(index);
    QList<PlacementIssue> out;
    for (const DomainImpact &d : cascade.allImpacts()) {
        if (!d.breaksQuorum)
            continue;
        PlacementIssue issue;
        issue.kind = PlacementIssue::Kind::BreaksQuorum;
        issue.objectId = d.id;
        issue.domainKind = d.kind;
        out.append(issue);
    }
    return out;
}
} // namespace

QList<PlacementIssue> newQuorumBreaks(const Lab &before, const Lab &after, const QString &boardId)
{
    const QList<PlacementIssue> already = quorumBreakers(before);
    QList<PlacementIssue> issues;
    for (PlacementIssue issue : quorumBreakers(after)) {
        if (already.contains(issue))
            continue;
        issue.boardId = boardId;
        issues.append(issue);
    }
    return issues;
}

QList<PlacementIssue> previewPlacement(const Lab &lab, const BoardCatalog &catalog,
                                       const QString &boardId, const QString &rackId, int slot)
{
    Lab after = lab;
    const PlacementResult placed = placeBoard(&after, catalog, boardId, rackId, slot);
    if (placed.boardIds.isEmpty())
        return placed.issues;
    return placed.issues + newQuorumBreaks(lab, after, boardId);
}

} // namespace Hivelab
