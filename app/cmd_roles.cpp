// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "cli.h"
#include "labcheck.h"
#include "labfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

// Board IDs for a comma list of IDs, names or hostnames; prints and returns nothing on an
// unknown one.
std::optional<QStringList> boardList(const Lab &lab, const QString &list, const QString &file)
{
    return resolveBoards(lab, list.split(QLatin1Char(','), Qt::SkipEmptyParts), file);
}

// Up to 3 Linux boards (1 when fewer than 3), each next one sharing as few known fault domains
// (rack, PSU, switch) with those already picked as possible; lab order breaks ties.
QStringList spreadManagers(const Lab &lab)
{
    QList<const Board *> candidates;
    for (const Board &b : lab.boards) {
        if (!b.isWindows())
            candidates << &b;
    }
    const int want = candidates.size() >= 3 ? 3 : (candidates.isEmpty() ? 0 : 1);
    QList<const Board *> picked;
    auto shared = [](const Board *a, const Board *b) {
        int n = 0;
        for (const auto &[x, y] : {std::pair{a->rackId, b->rackId}, std::pair{a->psuId, b->psuId},
                                   std::pair{a->switchId, b->switchId}})
            n += !x.isEmpty() && x == y;
        return n;
    };
    while (picked.size() < want) {
        const Board *best = nullptr;
        int bestScore = 0;
        for (const Board *c : std::as_const(candidates)) {
            if (picked.contains(c))
                continue;
            int score = 0;
            for (const Board *p : std::as_const(picked))
                score += shared(c, p);
            if (!best || score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        picked << best;
    }
    QStringList ids;
    for (const Board *b : std::as_const(picked))
        ids << b->id;
    return ids;
}

// The boards --managers names ("auto": the check's suggestion, else spread out as far as the
// plan tells); nullopt after printing why, with the exit status in *exitCode.
std::optional<QStringList> chooseManagers(const Lab &lab, const QString &value, const QString &file,
                                          int *exitCode)
{
    *exitCode = ExitUsage;
    if (value != QLatin1String("auto"))
        return boardList(lab, value, file);
    // The suggestion is computed for the lab as planned; with no managers yet it still picks
    // boards spread over the failure domains.
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    if (!report.suggestedManagers.isEmpty())
        return report.suggestedManagers;
    // Nothing survives every single failure (often: racks, PSUs and switches are not planned
    // yet, e.g. right after discovery). Still a working swarm: spread 3 managers (1 with fewer
    // boards) as far as the plan tells, and say so.
    const QStringList chosen = spreadManagers(lab);
    if (chosen.isEmpty()) {
        printErr(tr("No board can be a manager: the lab needs a Linux board."));
        *exitCode = ExitFindings;
        return std::nullopt;
    }
    printErr(
        tr("No manager placement survives every single failure: %1").arg(report.suggestionReason));
    printErr(tr("Picked %1 as spread as the plan allows; plan racks, power supplies and "
                "switches, then run `hivelab roles FILE --managers auto` again.")
                 .arg(objectNames(LabIndex(lab), chosen)));
    return chosen;
}

// The roles and what the check says about quorum, as text or JSON.
void printRoles(const Lab &lab, bool saved, bool json)
{
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    QStringList breaking;
    for (const DomainImpact &d : report.domains) {
        if (d.breaksQuorum)
            breaking << d.name;
    }
    if (json) {
        QJsonArray boards;
        for (const Board &b : lab.boards)
            boards.append(QJsonObject{{QStringLiteral("id"), b.id},
                                      {QStringLiteral("name"), b.name},
                                      {QStringLiteral("role"), roleName(b.role)}});
        printOut(QString::fromUtf8(
                     QJsonDocument(QJsonObject{{QStringLiteral("boards"), boards},
                                               {QStringLiteral("managers"), report.managerCount},
                                               {QStringLiteral("quorum"), report.quorum},
                                               {QStringLiteral("quorumLostBy"),
                                                QJsonArray::fromStringList(breaking)},
                                               {QStringLiteral("saved"), saved}})
                         .toJson(QJsonDocument::Indented))
                     .trimmed());
        return;
    }
    for (const Board &b : lab.boards)
        printOut(QStringLiteral("%1  %2").arg(b.name.leftJustified(20, QLatin1Char(' ')),
                                              roleName(b.role)));
    QStringList managerIds;
    for (const Board *b : lab.managers())
        managerIds << b->id;
    printOut(tr("%1 manager(s), quorum %2, %3 may fail.")
                 .arg(report.managerCount)
                 .arg(report.quorum)
                 .arg(report.toleratedFailures));
    if (report.managerCount > 0 && breaking.isEmpty() && !report.domains.isEmpty())
        printOut(tr("Quorum survives the loss of any one rack, PSU, circuit or switch."));
    else if (!breaking.isEmpty())
        printOut(tr("Quorum is lost if any of these fails: %1.")
                     .arg(breaking.join(QStringLiteral(", "))));
    if (!report.suggestedManagers.isEmpty() && report.suggestedManagers != managerIds)
        printOut(tr("Suggested managers: %1 (hivelab roles FILE --managers auto)")
                     .arg(objectNames(LabIndex(lab), report.suggestedManagers)));
}

} // namespace

int cmdRoles(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Show the lab's roles, or set them: --managers makes the given boards managers and "
           "every other board a worker (\"auto\": the managers the fault-domain check suggests, "
           "which survive the loss of any one rack, PSU or switch when the hardware allows it). "
           "--workers and --unassign then adjust single boards (unassigned boards stay out of "
           "the swarm). The file is saved only when something changed."));
    parser.addHelpOption();
    const QCommandLineOption managers(QStringLiteral("managers"),
                                      tr("auto, or boards (IDs, names or hostnames, comma list)."),
                                      QStringLiteral("auto|LIST"));
    const QCommandLineOption workers(QStringLiteral("workers"), tr("Boards to make workers."),
                                     QStringLiteral("LIST"));
    const QCommandLineOption unassign(QStringLiteral("unassign"),
                                      tr("Boards to leave out of the swarm."),
                                      QStringLiteral("LIST"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Print the roles as JSON."));
    parser.addOptions({managers, workers, unassign, json});
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1) {
        printErr(tr("Usage: hivelab roles FILE [--managers auto|LIST] [--workers LIST] "
                    "[--unassign LIST] [--json]"));
        return ExitUsage;
    }
    const QString file = pos.first();
    LabFileError error;
    std::optional<Lab> loaded = LabFile::load(file, &error);
    if (!loaded) {
        printErr(error.toString());
        return ExitUsage;
    }
    Lab lab = *loaded;
    if (parser.isSet(managers)) {
        int exitCode = ExitUsage;
        const auto chosen = chooseManagers(lab, parser.value(managers), file, &exitCode);
        if (!chosen)
            return exitCode;
        for (Board &b : lab.boards)
            b.role = chosen->contains(b.id) ? Role::Manager : Role::Worker;
    }
    const struct
    {
        const QCommandLineOption &option;
        Role role;
    } adjustments[] = {{workers, Role::Worker}, {unassign, Role::Unassigned}};
    for (const auto &a : adjustments) {
        if (!parser.isSet(a.option))
            continue;
        const auto ids = boardList(lab, parser.value(a.option), file);
        if (!ids)
            return ExitUsage;
        for (const QString &id : *ids)
            lab.board(id)->role = a.role;
    }

    const bool changed = !(lab == *loaded);
    if (changed && !LabFile::save(lab, file, &error)) {
        printErr(error.toString());
        return ExitUsage;
    }

    printRoles(lab, changed, parser.isSet(json));
    if (parser.isSet(json))
        return ExitOk;
    if (changed)
        printErr(tr("Saved %1. Check the fault domains with: hivelab check %1").arg(file));
    return ExitOk;
}

} // namespace Hivelab::Cli
