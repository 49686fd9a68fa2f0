// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "keyloginsetup.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

namespace Hivelab::Cli {

int cmdKeys(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "Cli",
        "Set up key login on the lab's boards (all, or the BOARDs named), in parallel: add your "
        "SSH public key to the login user's ~/.ssh/authorized_keys over the usual login (the "
        "password from --password-stdin), then prove that a login with the key alone works. "
        "The key is --key, else the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exists, "
        "else a new ~/.ssh/id_ed25519. Running it again changes nothing. Progress per board on "
        "stderr, summary on stdout; exits 1 when any board failed."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption key(
        QStringLiteral("key"),
        QCoreApplication::translate("Cli", "Private key whose .pub to install."),
        QStringLiteral("PATH"));
    const QCommandLineOption disablePassword(
        QStringLiteral("disable-password"),
        QCoreApplication::translate("Cli", "After key login is verified, turn password login "
                                           "off (OpenSSH boards; undo: delete "
                                           "/etc/ssh/sshd_config.d/50-hivelab.conf)."));
    parser.addOptions({key, disablePassword});
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("Cli", "Lab file."));
    WorkflowCli::addBoardArguments(&parser);
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        printErr(QCoreApplication::translate(
            "Cli", "Usage: hivelab keys FILE [BOARD…] [--key PATH] [--disable-password] "
                   "[--password-stdin] [--accept-new-host-keys] [--json]"));
        return ExitUsage;
    }
    if (parser.isSet(key) && !identityFilesReadable({parser.value(key)}))
        return ExitUsage;
    const int prepared = cli.prepare(parser, positional.first(), positional.mid(1));
    if (prepared >= 0)
        return prepared;
    KeyLoginSetup job(cli.document());
    job.setKeyPath(parser.value(key));
    job.setDisablePassword(parser.isSet(disablePassword));
    return cli.run(&job, QStringLiteral("keys"), [&job]() {
        WorkflowCli::Verdict verdict;
        if (job.keyPath().isEmpty())
            return verdict;
        verdict.line =
            job.generatedKey()
                ? QCoreApplication::translate("Cli", "key %1 (created)").arg(job.keyPath())
                : QCoreApplication::translate("Cli", "key %1").arg(job.keyPath());
        verdict.jsonKey = QStringLiteral("key");
        verdict.json = QJsonObject{{QStringLiteral("path"), job.keyPath()},
                                   {QStringLiteral("created"), job.generatedKey()}};
        return verdict;
    });
}

} // namespace Hivelab::Cli
