// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "labtypes.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

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
        {"exec", QT_TRANSLATE_NOOP("Cli", "Run a command on a board over SSH"), &cmdExec},
        {"provision",
         QT_TRANSLATE_NOOP("Cli", "Install and start Docker on the lab's boards (FILE)"),
         &cmdProvision},
        {"swarm",
         QT_TRANSLATE_NOOP("Cli", "Form, join, leave, drain or show the lab's swarm "
                                  "(form|join|leave|drain|activate|status FILE)"),
         &cmdSwarm},
        {"join",
         QT_TRANSLATE_NOOP("Cli", "Join boards to the swarm (FILE [BOARD…]; none: form it)"),
         &cmdJoin},
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
    return cmd->run(args);
}

std::optional<int> parseOrFinish(QCommandLineParser &parser, const QStringList &args)
{
    if (!parser.parse(args)) {
        printErr(parser.errorText());
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    return std::nullopt;
}

QString findBoardId(const Lab &lab, const QString &word)
{
    for (const Board &b : lab.boards) {
        if (b.id == word || b.name.compare(word, Qt::CaseInsensitive) == 0 ||
            b.hostname.compare(word, Qt::CaseInsensitive) == 0)
            return b.id;
    }
    return {};
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

void printOut(const QString &text)
{
    QTextStream out(stdout);
    out << text << Qt::endl;
}

void printErr(const QString &text)
{
    QTextStream err(stderr);
    err << text << Qt::endl;
}

} // namespace Hivelab::Cli
