// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "filepush.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>

namespace Hivelab::Cli {

int cmdPush(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Cli",
        "Copy one file to the lab's boards (all, or the BOARDs named), in parallel, as each "
        "board's login user: over SFTP, or `cat` where the server has no SFTP (Dropbear). The "
        "copy is checked with the board's sha256sum before it replaces REMOTE. Progress per "
        "board on stderr, summary on stdout; exits 1 when any board failed."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption mode(
        QStringLiteral("mode"),
        QCoreApplication::translate("Cli", "Permission bits of REMOTE, octal (default 0644)."),
        QStringLiteral("OCTAL"), QStringLiteral("0644"));
    const QCommandLineOption asRoot(
        QStringLiteral("as-root"),
        QCoreApplication::translate(
            "Cli", "Write REMOTE (absolute) as root, owned by root (sudo when the login user is "
                   "not root; the bytes go through stdin, never a command line)."));
    parser.addOptions({mode, asRoot});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("Cli", "Lab file."));
    parser.addPositionalArgument(QStringLiteral("LOCAL"),
                                 QCoreApplication::translate("Cli", "File to copy."));
    parser.addPositionalArgument(
        QStringLiteral("REMOTE"),
        QCoreApplication::translate("Cli", "Path on the boards (relative: to the home)."));
    WorkflowCli::addBoardArguments(&parser);
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 3) {
        printErr(QCoreApplication::translate(
            "Cli", "Usage: hivelab push FILE LOCAL REMOTE [BOARD…] [--mode 0644] [--as-root] "
                   "[--password-stdin] [--accept-new-host-keys] [--json]"));
        return ExitUsage;
    }
    bool ok = false;
    const int bits = parser.value(mode).toInt(&ok, 8);
    if (!ok || bits < 0 || bits > 07777) {
        printErr(QCoreApplication::translate("Cli", "--mode must be octal permission bits such "
                                                    "as 0644 (not \"%1\").")
                     .arg(parser.value(mode)));
        return ExitUsage;
    }
    const QString local = positional.at(1);
    if (!QFileInfo(local).isFile() || !QFileInfo(local).isReadable()) {
        printErr(QCoreApplication::translate("Cli", "Cannot read %1.").arg(local));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, positional.first(), positional.mid(3));
    if (prepared >= 0)
        return prepared;
    FilePush job(cli.document());
    if (parser.isSet(asRoot) && !positional.at(2).startsWith(QLatin1Char('/'))) {
        printErr(QCoreApplication::translate("Cli", "--as-root needs an absolute REMOTE path "
                                                    "(not \"%1\").")
                     .arg(positional.at(2)));
        return ExitUsage;
    }
    job.setFiles({FileCopy{local, positional.at(2), bits, parser.isSet(asRoot)}});
    return cli.run(&job, QStringLiteral("push"));
}

} // namespace Hivelab::Cli
