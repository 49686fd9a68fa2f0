// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "cli.h"
#include "demolab.h"
#include "labcheck.h"
#include "labfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString textReport(const Lab &lab, const CheckReport &report)
{
    const LabIndex index(lab);
    QStringList lines;
    lines << tr("Lab: %1 (%2 racks, %3 boards)")
                 .arg(lab.name.isEmpty() ? tr("(unnamed)") : lab.name)
                 .arg(lab.racks.size())
                 .arg(lab.boards.size());
    if (report.isEmptyLab()) {
        lines << tr("No boards yet. Find them with `hivelab discover TARGET --into FILE`, or "
                    "open the lab in Hivelab and run the setup wizard.");
    } else {
        lines << tr("Managers: %1 (quorum needs %2; tolerates %3 manager failure(s))")
                     .arg(report.managerCount)
                     .arg(report.quorum)
                     .arg(report.toleratedFailures);
    }

    if (!report.domains.isEmpty()) {
        lines << QString() << tr("Single failures:");
        for (const DomainImpact &d : report.domains) {
            const QString verdict = d.breaksQuorum
                                        ? tr("QUORUM LOST")
                                        : (report.managerCount > 0 ? tr("ok") : QString());
            lines << tr("  %1 %2 board(s) lost, managers left %3/%4  %5")
                         .arg(d.name.leftJustified(28, QLatin1Char(' ')))
                         .arg(d.lostBoards.size(), 2)
                         .arg(d.survivingManagers)
                         .arg(report.managerCount)
                         .arg(verdict);
            while (lines.last().endsWith(QLatin1Char(' ')))
                lines.last().chop(1);
        }
    }

    const struct
    {
        Severity severity;
        const char *title;
    } groups[] = {{Severity::Error, QT_TRANSLATE_NOOP("Cli", "Errors")},
                  {Severity::Warning, QT_TRANSLATE_NOOP("Cli", "Warnings")},
                  {Severity::Info, QT_TRANSLATE_NOOP("Cli", "Info")}};
    for (const auto &group : groups) {
        const int n = report.count(group.severity);
        lines << QString() << QStringLiteral("%1 (%2):").arg(tr(group.title)).arg(n);
        for (const Finding &f : report.findings) {
            if (f.severity != group.severity)
                continue;
            lines << QStringLiteral("  [%1] %2").arg(f.code, f.message);
            if (!f.objectIds.isEmpty())
                lines << QStringLiteral("      %1 %2").arg(tr("Objects:"), objectNames(index, f.objectIds));
            if (!f.suggestion.isEmpty())
                lines << QStringLiteral("      %1 %2").arg(tr("Fix:"), f.suggestion.trimmed());
        }
    }

    lines << QString();
    if (report.isEmptyLab()) {
        // Nothing to suggest until there are boards.
    } else if (report.suggestedManagers.isEmpty()) {
        lines << tr("Suggested managers: none possible.");
    } else {
        lines << tr("Suggested managers: %1").arg(objectNames(index, report.suggestedManagers));
    }
    if (!report.suggestionReason.isEmpty())
        lines << QStringLiteral("  ") + report.suggestionReason;
    lines << QString()
          << (report.hasErrors()
                  ? tr("Result: %1 error(s), %2 warning(s).")
                        .arg(report.count(Severity::Error))
                        .arg(report.count(Severity::Warning))
                  : tr("Result: no errors, %1 warning(s).").arg(report.count(Severity::Warning)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

int cmdCheck(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Check a lab for fault-domain problems: manager quorum under any single rack, power "
           "supply, circuit or switch failure, power budgets, switch ports, rack slots, storage "
           "spread and architectures. Exits 1 when an error is found."));
    parser.addHelpOption();
    const QCommandLineOption demo(QStringLiteral("demo"), tr("Check the built-in demo lab."));
    const QCommandLineOption json(QStringLiteral("json"), tr("Print the report as JSON."));
    parser.addOption(demo);
    parser.addOption(json);
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file to check."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() + (parser.isSet(demo) ? 1 : 0) != 1) {
        printErr(tr("Usage: hivelab check FILE|--demo [--json]"));
        return ExitUsage;
    }

    Lab lab;
    if (parser.isSet(demo)) {
        lab = demoLab();
    } else {
        LabFileError error;
        const std::optional<Lab> loaded = LabFile::load(pos.first(), &error);
        if (!loaded) {
            printErr(error.toString());
            return ExitUsage;
        }
        lab = *loaded;
    }

    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    if (parser.isSet(json)) {
        printOut(QString::fromUtf8(
            QJsonDocument(checkReportToJson(report, lab)).toJson(QJsonDocument::Indented)));
    } else {
        printOut(textReport(lab, report));
    }
    return report.hasErrors() ? ExitFindings : ExitOk;
}

} // namespace Hivelab::Cli
