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

QString boardNames(const Lab &lab, const QStringList &ids)
{
    QStringList names;
    for (const QString &id : ids) {
        const Board *b = lab.board(id);
        names << (b ? b->name : id);
    }
    return names.join(QStringLiteral(", "));
}

// Board IDs for a comma list of IDs, names or hostnames; prints and returns nothing on an
// unknown one.
std::optional<QStringList> boardList(const Lab &lab, const QString &list, const QString &file)
{
    QStringList ids;
    for (const QString &part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString id = findBoardId(lab, part.trimmed());
        if (id.isEmpty()) {
            printErr(tr("No board \"%1\" in %2.").arg(part.trimmed(), file));
            return std::nullopt;
        }
        if (!ids.contains(id))
            ids << id;
    }
    return ids;
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
    const BoardCatalog &catalog = BoardCatalog::builtin();

    if (parser.isSet(managers)) {
        QStringList chosen;
        if (parser.value(managers) == QLatin1String("auto")) {
            // The suggestion is computed for the lab as planned; with no managers yet it still
            // picks boards spread over the failure domains.
            const CheckReport report = checkLab(lab, catalog);
            chosen = report.suggestedManagers;
            if (chosen.isEmpty()) {
                printErr(tr("No manager placement possible: %1")
                             .arg(report.suggestionReason.isEmpty()
                                      ? tr("the lab needs at least one Linux board.")
                                      : report.suggestionReason));
                return ExitFindings;
            }
        } else {
            const auto ids = boardList(lab, parser.value(managers), file);
            if (!ids)
                return ExitUsage;
            chosen = *ids;
        }
        for (Board &b : lab.boards)
            b.role = chosen.contains(b.id) ? Role::Manager : Role::Worker;
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

    const CheckReport report = checkLab(lab, catalog);
    QStringList breaking;
    for (const DomainImpact &d : report.domains) {
        if (d.breaksQuorum)
            breaking << d.name;
    }
    if (parser.isSet(json)) {
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
                                               {QStringLiteral("saved"), changed}})
                         .toJson(QJsonDocument::Indented))
                     .trimmed());
        return ExitOk;
    }
    for (const Board &b : lab.boards)
        printOut(QStringLiteral("%1  %2").arg(b.name.leftJustified(20, QLatin1Char(' ')),
                                              roleName(b.role)));
    QStringList managerIds;
    for (const Board &b : lab.boards) {
        if (b.role == Role::Manager)
            managerIds << b.id;
    }
    printOut(tr("%1 manager(s), quorum %2, %3 may fail.")
                 .arg(report.managerCount)
                 .arg(report.quorum)
                 .arg(report.toleratedFailures));
    if (report.managerCount > 0 && breaking.isEmpty() && !report.domains.isEmpty())
        printOut(tr("Quorum survives the loss of any one rack, PSU, circuit or switch."));
    else if (!breaking.isEmpty())
        printOut(tr("Quorum is lost if any of these fails: %1.").arg(breaking.join(QStringLiteral(", "))));
    if (!report.suggestedManagers.isEmpty() && report.suggestedManagers != managerIds)
        printOut(tr("Suggested managers: %1 (hivelab roles FILE --managers auto)")
                     .arg(boardNames(lab, report.suggestedManagers)));
    if (changed)
        printErr(tr("Saved %1. Check the fault domains with: hivelab check %1").arg(file));
    return ExitOk;
}

} // namespace Hivelab::Cli
