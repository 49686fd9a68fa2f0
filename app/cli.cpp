// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "boardconnection.h"
#include "knownhosts.h"
#include "labcheck.h"
#include "labfile.h"
#include "labtypes.h"
#include "sshsession.h"

#include <QCommandLineParser>
#include <QLocale>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

#include <unistd.h>

namespace Hivelab::Cli {

const QList<Command> &commands()
{
    static const QList<Command> list = {
        {"new", QT_TRANSLATE_NOOP("Cli", "Write a new lab file (--demo for the demo lab)"),
         &cmdNew},
        {"check", QT_TRANSLATE_NOOP("Cli", "Check a lab's fault domains (FILE or --demo, --json)"),
         &cmdCheck},
        {"discover", QT_TRANSLATE_NOOP("Cli", "Find and identify boards on given networks"),
         &cmdDiscover},
        {"roles",
         QT_TRANSLATE_NOOP("Cli", "Show or set manager/worker roles (FILE [--managers auto|LIST])"),
         &cmdRoles},
        {"place",
         QT_TRANSLATE_NOOP("Cli",
                           "Put a board into a rack slot and re-cable it "
                           "(FILE BOARD --rack R [--slot S] [--psu P] [--switch SW --port N])"),
         &cmdPlace},
        {"rack", QT_TRANSLATE_NOOP("Cli", "Add, remove or list racks (add|remove|list FILE)"),
         &cmdRack},
        {"psu",
         QT_TRANSLATE_NOOP("Cli", "Add, remove or list power supplies (add|remove|list FILE)"),
         &cmdPsu},
        {"switch", QT_TRANSLATE_NOOP("Cli", "Add, remove or list switches (add|remove|list FILE)"),
         &cmdSwitch},
        {"circuit",
         QT_TRANSLATE_NOOP("Cli", "Put power supplies on mains circuits, take them off, or list "
                                  "the circuits (add|remove|list FILE)"),
         &cmdCircuit},
        {"exec", QT_TRANSLATE_NOOP("Cli", "Run a command on a board over SSH"), &cmdExec},
        {"keys",
         QT_TRANSLATE_NOOP("Cli", "Install your SSH key on the lab's boards and verify key "
                                  "login (FILE [BOARD…] [--key PATH] [--disable-password])"),
         &cmdKeys},
        {"push",
         QT_TRANSLATE_NOOP("Cli", "Copy a file to the lab's boards, sha256-verified "
                                  "(FILE LOCAL REMOTE [BOARD…] [--mode 0644])"),
         &cmdPush},
        {"provision",
         QT_TRANSLATE_NOOP("Cli", "Install and start Docker on the lab's boards (FILE)"),
         &cmdProvision},
        {"swarm",
         QT_TRANSLATE_NOOP("Cli", "Form, join, leave, drain, label, change or show the lab's "
                                  "swarm (form|join|leave|drain|activate|status|labels|promote|"
                                  "demote|remove FILE)"),
         &cmdSwarm},
        {"join",
         QT_TRANSLATE_NOOP("Cli", "Join boards to the swarm (FILE [BOARD…]; none: form it)"),
         &cmdJoin},
        {"stack",
         QT_TRANSLATE_NOOP("Cli", "Deploy Compose files on the lab's swarm, spread over racks "
                                  "and matched to the images' architectures; list stacks and "
                                  "their tasks, remove them (deploy|ls|ps|rm FILE)"),
         &cmdStack},
        {"remote",
         QT_TRANSLATE_NOOP("Cli", "TLS remote access to the lab's engines: certificates, port "
                                  "2376 (setup|status|renew FILE)"),
         &cmdRemote},
        {"context",
         QT_TRANSLATE_NOOP("Cli", "Make the lab's docker context, TLS or ssh:// "
                                  "(FILE [BOARD] [--ssh])"),
         &cmdContext},
        {"flash",
         QT_TRANSLATE_NOOP("Cli", "Write an OS image to cards or drives, verified "
                                  "(SOURCE --device DEV…; --list-devices)"),
         &cmdFlash},
        {"image",
         QT_TRANSLATE_NOOP("Cli", "OS images from the catalog or a URL: list, download into the "
                                  "cache, show or clear the cache (list|fetch|cache)"),
         &cmdImage},
        {"card",
         QT_TRANSLATE_NOOP("Cli", "Write a board's first-boot identity onto its written card "
                                  "(prepare FILE BOARD --device DEV|--image IMG)"),
         &cmdCard},
        {"network",
         QT_TRANSLATE_NOOP("Cli", "Move running boards to their planned static addresses, rolled "
                                  "back on the board unless confirmed (apply FILE [BOARD…])"),
         &cmdNetwork},
    };
    return list;
}

const Command *findCommand(const QString &name)
{
    for (const Command &c : commands()) {
        if (name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

int run(const QStringList &args)
{
    const Command *cmd = args.isEmpty() ? nullptr : findCommand(args.first());
    if (!cmd) {
        printErr(QCoreApplication::translate("Cli", "Unknown command \"%1\". Try: hivelab --help")
                     .arg(args.value(0)));
        return ExitUsage;
    }
    const int code = cmd->run(args);
    // Sessions a job dropped end on their own threads; returning from main() under them runs
    // OpenSSL's exit handler while they still use libcrypto (seen as heap corruption at exit),
    // so this waits until those threads have ended, not only their work. They were cancelled,
    // so this is quick; the bound is for a board stuck in DNS or auth.
    SshSession::waitForWorkers(15000);
    return code;
}

QString dataSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString commandHelp(const QCommandLineParser &parser, const QString &command)
{
    // Qt names the binary as started ("./app/hivelab"); users type "hivelab COMMAND".
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().value(0);
    const qsizetype at = program.isEmpty() ? -1 : text.indexOf(program);
    if (at >= 0 && at < text.indexOf(QLatin1Char('\n')))
        text.replace(at, program.size(), QStringLiteral("hivelab ") + command);
    return text;
}

std::optional<int> parseOrFinish(QCommandLineParser &parser, const QStringList &args)
{
    if (!parser.parse(args)) {
        printErr(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(commandHelp(parser, args.value(0)));
        return ExitOk;
    }
    return std::nullopt;
}

namespace {

// A known_hosts file named by the user: its folder must exist.
std::optional<QString> userKnownHostsPath(const QString &path)
{
    const QFileInfo info(path);
    if (info.absoluteDir().exists() && !info.isDir())
        return info.absoluteFilePath();
    printErr(info.isDir()
                 ? QCoreApplication::translate("Cli", "--known-hosts %1 is a folder, not a file.")
                       .arg(path)
                 : QCoreApplication::translate(
                       "Cli", "--known-hosts %1: the folder %2 does not exist (Hivelab creates only "
                              "its own known_hosts folder).")
                       .arg(path, info.absolutePath()));
    return std::nullopt;
}

} // namespace

bool readConnectionOptions(const QCommandLineParser &parser, const QCommandLineOption &timeout,
                           const QCommandLineOption &knownHosts,
                           const QCommandLineOption &identity, ConnectionSettings *settings)
{
    const std::optional<int> seconds = intOption(parser, timeout, 1, MaxConnectTimeoutSeconds);
    if (!seconds)
        return false;
    settings->connectTimeoutMs = *seconds * 1000;
    settings->knownHostsPath = KnownHosts::defaultPath();
    if (parser.isSet(knownHosts)) {
        const std::optional<QString> path = userKnownHostsPath(parser.value(knownHosts));
        if (!path)
            return false;
        settings->knownHostsPath = *path;
    }
    settings->identityFiles = parser.values(identity);
    return identityFilesReadable(settings->identityFiles);
}

bool identityFilesReadable(const QStringList &files)
{
    for (const QString &path : files) {
        QFile file(path);
        const QString why = QFileInfo(path).isDir() ? QCoreApplication::translate("Cli", "it is a folder")
                            : file.open(QIODevice::ReadOnly) ? QString()
                                                             : file.errorString();
        if (!why.isEmpty()) {
            printErr(QCoreApplication::translate("Cli", "Cannot read the identity file %1: %2.")
                         .arg(path, why));
            return false;
        }
    }
    return true;
}

std::optional<QStringList> resolveBoards(const Lab &lab, const QStringList &words,
                                         const QString &file)
{
    QStringList ids;
    for (const QString &raw : words) {
        const QString word = raw.trimmed();
        const auto it = std::find_if(lab.boards.cbegin(), lab.boards.cend(), [&](const Board &b) {
            return b.id == word || b.name.compare(word, Qt::CaseInsensitive) == 0 ||
                   b.hostname.compare(word, Qt::CaseInsensitive) == 0;
        });
        if (it == lab.boards.cend()) {
            printErr(QCoreApplication::translate("Cli", "No board \"%1\" in %2.").arg(word, file));
            return std::nullopt;
        }
        if (!ids.contains(it->id))
            ids << it->id;
    }
    return ids;
}

QString objectNames(const LabIndex &index, const QStringList &ids)
{
    QStringList out;
    for (const QString &id : ids)
        out.append(objectDisplayName(index, id));
    return out.join(QStringLiteral(", "));
}

QByteArray readStdinLine()
{
    QByteArray line;
    char c;
    while (::read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
        line += c;
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

std::optional<Lab> loadLab(const QString &file)
{
    LabFileError error;
    std::optional<Lab> lab = LabFile::load(file, &error);
    if (!lab)
        printErr(error.toString());
    return lab;
}

bool saveLab(const Lab &lab, const QString &file)
{
    LabFileError error;
    if (LabFile::save(lab, file, &error))
        return true;
    printErr(error.toString());
    return false;
}

} // namespace Hivelab::Cli
