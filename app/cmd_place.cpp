// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boardplacement.h"
#include "cli.h"
#include "labedits.h"
#include "labindex.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

bool isNone(const QString &word)
{
    return word.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0;
}

// "Rack 4 slot 2, PSU 4, Switch 4 port 2" — where a board sits and what it is cabled to.
QString whereText(const Lab &lab, const Board &b)
{
    const LabIndex index(lab);
    const QString place =
        b.rackId.isEmpty()
            ? tr("unplaced")
            : tr("%1 slot %2").arg(objectDisplayName(index, b.rackId)).arg(b.slot + 1);
    const QString psu = b.psuId.isEmpty() ? tr("no PSU") : objectDisplayName(index, b.psuId);
    const QString sw =
        b.switchId.isEmpty()
            ? tr("no switch")
            : tr("%1 port %2")
                  .arg(objectDisplayName(index, b.switchId),
                       b.switchPort > 0 ? QString::number(b.switchPort) : QStringLiteral("?"));
    return QStringLiteral("%1, %2, %3").arg(place, psu, sw);
}

QString issueText(const Lab &lab, const PlacementIssue &issue)
{
    const LabIndex index(lab);
    const QString board = objectDisplayName(index, issue.boardId);
    const QString object = objectDisplayName(index, issue.objectId);
    switch (issue.kind) {
    case PlacementIssue::Kind::NoPsuHeadroom:
        return tr("%1 is on no power supply: %2 would feed %3 W of its %4 W rating with it. "
                  "Choose one with --psu.")
            .arg(board, object, QString::number(issue.peakWatts, 'f', 1),
                 QString::number(issue.ratingWatts, 'f', 1));
    case PlacementIssue::Kind::NoFreePort:
        return tr("%1 has no switch port: every port of %2 is taken.").arg(board, object);
    case PlacementIssue::Kind::BreaksQuorum:
        break;
    }
    return tr("Losing %1%2 alone now breaks manager quorum.")
        .arg(issue.domainKind == FaultDomainKind::Circuit ? tr("circuit ") : QString(), object);
}

// The first free slot of the rack (0-based), -1 when all are taken.
int firstFreeSlot(const Lab &lab, const Rack &rack)
{
    for (int slot = 0; slot < rack.slotCount; ++slot) {
        if (!lab.boardAt(rack.id, slot))
            return slot;
    }
    return -1;
}

} // namespace

int cmdPlace(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Put a board into a rack slot (a board in that slot swaps places with it). A board "
           "that changes rack is re-cabled like a person would: from its old rack's power supply "
           "and switch to the new rack's (a supply with headroom, the lowest free port); a "
           "supply or switch outside any rack stays. --psu, --switch and --port override that "
           "(\"none\" clears). Saves the file when something changed."));
    parser.addHelpOption();
    const QCommandLineOption rack(QStringLiteral("rack"), tr("Rack (ID or name), or none."),
                                  QStringLiteral("RACK"));
    const QCommandLineOption slot(QStringLiteral("slot"),
                                  tr("Slot, from 1 (default: the first free one)."),
                                  QStringLiteral("N"));
    const QCommandLineOption psu(QStringLiteral("psu"), tr("Power supply (ID or name), or none."),
                                 QStringLiteral("PSU"));
    const QCommandLineOption sw(QStringLiteral("switch"), tr("Switch (ID or name), or none."),
                                QStringLiteral("SWITCH"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  tr("Switch port, from 1 (default: the lowest free one)."),
                                  QStringLiteral("N"));
    parser.addOptions({rack, slot, psu, sw, port});
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    parser.addPositionalArgument(QStringLiteral("BOARD"), tr("Board (ID, name or hostname)."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || !parser.isSet(rack)) {
        printErr(tr("Usage: hivelab place FILE BOARD --rack RACK|none [--slot N] [--psu PSU|none] "
                    "[--switch SWITCH|none] [--port N]"));
        return ExitUsage;
    }
    const QString file = pos.first();
    const std::optional<Lab> loaded = loadLab(file);
    if (!loaded)
        return ExitUsage;
    Lab lab = *loaded;
    const auto boardIds = resolveBoards(lab, {pos.at(1)}, file);
    if (!boardIds)
        return ExitUsage;
    const QString boardId = boardIds->first();

    QString rackId;
    int targetSlot = -1;
    if (!isNone(parser.value(rack))) {
        const Rack *r = findByIdOrName(lab.racks, parser.value(rack));
        if (!r) {
            printErr(tr("No rack \"%1\" in %2.").arg(parser.value(rack), file));
            return ExitUsage;
        }
        rackId = r->id;
        if (parser.isSet(slot)) {
            const std::optional<int> n = intOption(parser, slot, 1, qMax(1, r->slotCount));
            if (!n)
                return ExitUsage;
            targetSlot = *n - 1;
        } else {
            const Board *b = lab.board(boardId);
            targetSlot = b->rackId == r->id ? b->slot : firstFreeSlot(lab, *r);
            if (targetSlot < 0) {
                printErr(tr("%1 has no free slot (%2 slots); give --slot N to swap with the board "
                            "there.")
                             .arg(objectDisplayName(lab, r->id))
                             .arg(r->slotCount));
                return ExitUsage;
            }
        }
    }

    const Lab before = lab;
    PlacementResult placed = placeBoard(&lab, BoardCatalog::builtin(), boardId, rackId, targetSlot);
    if (!placed.boardIds.contains(boardId))
        placed.boardIds.prepend(boardId);
    Board *board = lab.board(boardId);

    if (parser.isSet(psu)) {
        if (isNone(parser.value(psu))) {
            board->psuId.clear();
        } else if (const PowerSupply *p = findByIdOrName(lab.powerSupplies, parser.value(psu))) {
            board->psuId = p->id;
        } else {
            printErr(tr("No power supply \"%1\" in %2.").arg(parser.value(psu), file));
            return ExitUsage;
        }
        placed.issues.removeIf(
            [](const PlacementIssue &i) { return i.kind == PlacementIssue::Kind::NoPsuHeadroom; });
    }
    if (parser.isSet(sw)) {
        if (isNone(parser.value(sw))) {
            board->switchId.clear();
            board->switchPort = -1;
        } else if (const NetworkSwitch *s = findByIdOrName(lab.switches, parser.value(sw))) {
            if (board->switchId != s->id) {
                board->switchId = s->id;
                board->switchPort = -1;
                board->switchPort = freeSwitchPort(LabIndex(lab), s->id, boardId);
            }
        } else {
            printErr(tr("No switch \"%1\" in %2.").arg(parser.value(sw), file));
            return ExitUsage;
        }
        placed.issues.removeIf(
            [](const PlacementIssue &i) { return i.kind == PlacementIssue::Kind::NoFreePort; });
    }
    if (parser.isSet(port)) {
        if (board->switchId.isEmpty()) {
            printErr(tr("--port needs a switch: %1 is cabled to none; give --switch too.")
                         .arg(objectDisplayName(lab, boardId)));
            return ExitUsage;
        }
        const std::optional<int> n = intOption(parser, port, 1, 1000);
        if (!n)
            return ExitUsage;
        const PortCheck check = checkSwitchPort(lab, boardId, board->switchId, *n);
        const QString swName = objectDisplayName(lab, board->switchId);
        if (check.result == PortCheck::Result::OutOfRange) {
            printErr(tr("%1 has ports 1 to %2; there is no port %3.")
                         .arg(swName)
                         .arg(check.ports)
                         .arg(*n));
            return ExitUsage;
        }
        if (check.result == PortCheck::Result::Taken) {
            printErr(tr("Port %1 of %2 is taken by %3.")
                         .arg(*n)
                         .arg(swName, objectDisplayName(lab, check.takenByBoardId)));
            return ExitUsage;
        }
        board->switchPort = *n;
    }

    if (lab == before) {
        printOut(tr("%1 stays where it is: %2.")
                     .arg(objectDisplayName(lab, boardId), whereText(lab, *board)));
        return ExitOk;
    }
    if (!saveLab(lab, file))
        return ExitUsage;
    placed.issues += newQuorumBreaks(before, lab, boardId);
    for (const QString &id : std::as_const(placed.boardIds)) {
        const Board *was = before.board(id);
        const Board *now = lab.board(id);
        if (*was != *now)
            printOut(QStringLiteral("%1: %2 -> %3")
                         .arg(objectDisplayName(lab, id), whereText(before, *was),
                              whereText(lab, *now)));
    }
    bool quorum = false;
    for (const PlacementIssue &issue : std::as_const(placed.issues)) {
        printErr(tr("warning: %1").arg(issueText(lab, issue)));
        quorum |= issue.kind == PlacementIssue::Kind::BreaksQuorum;
    }
    if (quorum)
        printErr(tr("Managers that survive any single failure: hivelab roles %1 --managers auto")
                     .arg(file));
    printErr(tr("Saved %1. Check the fault domains with: hivelab check %1").arg(file));
    return ExitOk;
}

} // namespace Hivelab::Cli
