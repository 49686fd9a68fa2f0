// SPDX-License-Identifier: GPL-3.0-or-later
#include "addressapply.h"
#include "cli.h"
#include "labdocument.h"
#include "scantargets.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

// --from BOARD=ADDRESS: where a board answers now, when its plan's SSH address is already the
// planned one. It is set in the document as the board's sshHost without marking the document
// modified, so the file is only written when the board moved (the job then clears it).
bool applyFrom(LabDocument *document, const QStringList &specs)
{
    for (const QString &spec : specs) {
        const qsizetype eq = spec.indexOf(QLatin1Char('='));
        const QString name = spec.left(eq);
        const QString host = spec.mid(eq + 1);
        if (eq <= 0 || !ScanTargets::parseIPv4(host)) {
            printErr(
                tr("--from %1: expected BOARD=IPV4-ADDRESS with a board of the lab.").arg(spec));
            return false;
        }
        const std::optional<QStringList> ids =
            resolveBoards(document->lab(), {name}, document->filePath());
        if (!ids)
            return false;
        Board b = *document->lab().board(ids->first());
        b.sshHost = host;
        document->updateBoard(b);
    }
    document->setModified(false);
    return true;
}

} // namespace

int cmdNetwork(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("network apply FILE [BOARD…]: move running boards to their planned static address (the "
           "board's ip with \"addressing\": \"static\", prefix, gateway and DNS from its firstBoot "
           "or the lab's network settings), over SSH, with a rollback on the board: the stack "
           "(ifupdown, netplan, NetworkManager, dhcpcd) is found, the old files are saved and a "
           "watchdog restores them after --rollback-seconds unless Hivelab confirms over a new "
           "connection to the new address with the same host key. The lab file changes only for "
           "boards that answered there. Without BOARDs: every board with a planned static address. "
           "Exits 1 when any board failed (rolled back or not)."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption from(
        QStringLiteral("from"),
        tr("Where BOARD answers now (its DHCP address), if not at its sshHost/ip. Repeatable."),
        QStringLiteral("BOARD=ADDRESS"));
    const QCommandLineOption rollback(
        QStringLiteral("rollback-seconds"),
        tr("Seconds a board waits for the confirmation before it restores its old address "
           "(default 60, at least 10)."),
        QStringLiteral("N"), QStringLiteral("60"));
    parser.addOptions({from, rollback});
    parser.addPositionalArgument(QStringLiteral("apply"), tr("The only action: apply."));
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    WorkflowCli::addBoardArguments(&parser);
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    bool numberOk = false;
    const int seconds = parser.value(rollback).toInt(&numberOk);
    if (positional.size() < 2 || positional.first() != QLatin1String("apply") || !numberOk ||
        seconds < 10 || seconds > 3600) {
        printErr(tr("Usage: hivelab network apply FILE [BOARD…] [--from BOARD=ADDRESS]… "
                    "[--rollback-seconds 10..3600] [--password-stdin] [--accept-new-host-keys] "
                    "[--json]"));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, positional.at(1), positional.mid(2));
    if (prepared >= 0)
        return prepared;
    if (!applyFrom(cli.document(), parser.values(from)))
        return ExitUsage;
    AddressApply job(cli.document());
    job.setRollbackSeconds(seconds);
    // Boards connect, switch and confirm in parallel; each one's bound is its own.
    return cli.run(&job, QStringLiteral("network apply"), [&job]() {
        WorkflowCli::Verdict verdict;
        QJsonObject stacks;
        for (const BoardResult &r : job.results()) {
            stacks.insert(r.boardId,
                          QJsonObject{{QStringLiteral("stack"),
                                       StaticAddressConfig::stackName(job.stack(r.boardId))},
                                      {QStringLiteral("rolledBack"), job.rolledBack(r.boardId)}});
        }
        verdict.jsonKey = QStringLiteral("network");
        verdict.json = stacks;
        return verdict;
    });
}

} // namespace Hivelab::Cli
