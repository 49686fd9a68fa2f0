// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "dockersetup.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace Hivelab::Cli {

int cmdProvision(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Cli",
        "Set up Docker on the lab's boards over SSH, in parallel: install docker.io where it is "
        "missing (Debian family), start the engine where it is installed but stopped (systemd, "
        "init script, or dockerd started directly when the board has no init system) and wait "
        "until it answers. Progress per board on stderr, summary on stdout; exits 1 when any "
        "board failed."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption check(
        QStringLiteral("check"),
        QCoreApplication::translate("Cli", "Only look: change nothing on the boards."));
    const QCommandLineOption noInstall(
        QStringLiteral("no-install"),
        QCoreApplication::translate("Cli", "Start installed engines, but never install Docker."));
    parser.addOptions({check, noInstall});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("Cli", "Lab file."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    if (parser.positionalArguments().size() != 1) {
        printErr(QCoreApplication::translate(
            "Cli", "Usage: hivelab provision FILE [--boards LIST] [--accept-new-host-keys] "
                   "[--password-stdin] [--json]"));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, parser.positionalArguments().first());
    if (prepared >= 0)
        return prepared;
    DockerSetup job(cli.document());
    job.setMode(parser.isSet(check) ? DockerSetup::Mode::Probe : DockerSetup::Mode::Setup);
    job.setAllowInstall(!parser.isSet(noInstall));
    return cli.run(&job, QStringLiteral("provision"));
}

} // namespace Hivelab::Cli
