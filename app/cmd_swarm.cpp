// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "labdocument.h"
#include "nodeavailability.h"
#include "swarmformation.h"
#include "swarmlabels.h"
#include "swarmmembership.h"
#include "swarmstatus.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

const char *const Usage =
    QT_TRANSLATE_NOOP("Cli", "Usage: hivelab swarm form|join|leave|drain|activate|status|labels|"
                             "promote|demote|remove FILE [BOARD…] [--boards LIST] [--force] "
                             "[--check] [--tasks] [--accept-new-host-keys] [--password-stdin] "
                             "[--json]");

// `verb` is form, join, leave, drain, activate or status; args[0] is the word before it.
int runSwarm(const QString &verb, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Docker Swarm on the lab's boards, over SSH.\n"
           "  form FILE      form the swarm of every board with a role (managers: role "
           "manager, the rest workers); reuses a swarm the managers already run, so running it "
           "again changes nothing\n"
           "  join FILE BOARD…  join boards to the swarm the planned managers run\n"
           "  leave FILE [BOARD…]  make boards leave (all boards with a role when none given)\n"
           "  drain FILE BOARD…  move the boards' tasks to other nodes and schedule nothing new "
           "there (before maintenance)\n"
           "  activate FILE BOARD…  let drained boards take tasks again\n"
           "  status FILE    ask a manager which boards are in the swarm and Ready (--tasks: and "
           "which service tasks each runs, as the desktop app's live status shows them)\n"
           "  labels FILE    bring the nodes' labels in line with the plan (hivelab.rack, "
           "hivelab.psu, hivelab.switch, hivelab.circuit, hivelab.storage, arch, your labels); "
           "stale hivelab.* labels are removed, labels set by hand stay; --check only reports "
           "differences (exit 1 if any)\n"
           "  promote FILE BOARD…  make boards managers\n"
           "  demote FILE BOARD…  make managers workers; refused when the swarm would keep "
           "fewer than a majority of its managers reachable (--force)\n"
           "  remove FILE BOARD…  remove dead boards from the swarm through a manager that "
           "answers (managers are demoted first); refused for boards still Ready (--force); "
           "the boards stay in the lab file without a role\n"
           "Node IDs learnt on the way are recorded in FILE.\n"
           "Progress per board on stderr, summary on stdout; exits 1 when any board failed, "
           "3 when form or join ended with fewer managers than planned and too few to survive "
           "the failure of one (e.g. 2 of 3: fix the failed managers and run form again)."));
    WorkflowCli cli;
    cli.addOptions(&parser);
    const QCommandLineOption force(
        QStringLiteral("force"),
        tr("Make boards that belong to another swarm leave it first (they are refused "
           "otherwise)."));
    const bool availability =
        verb == QLatin1String("drain") || verb == QLatin1String("activate");
    const bool membership = verb == QLatin1String("promote") || verb == QLatin1String("demote") ||
                            verb == QLatin1String("remove");
    const bool labels = verb == QLatin1String("labels");
    const QCommandLineOption check(
        QStringLiteral("check"),
        tr("Only report boards whose labels differ from the plan (exit 1 if any)."));
    const QCommandLineOption tasks(
        QStringLiteral("tasks"),
        tr("Also list the service tasks meant to run and the board each is on (status)."));
    if (labels)
        parser.addOption(check);
    else if (verb == QLatin1String("status"))
        parser.addOption(tasks);
    else if (verb != QLatin1String("status") && !availability)
        parser.addOption(force);
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    parser.addPositionalArgument(QStringLiteral("BOARD"),
                                 tr("Boards (join, leave, drain, activate)."),
                                 QStringLiteral("[BOARD…]"));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || (verb == QLatin1String("form") && positional.size() > 1) ||
        ((verb == QLatin1String("status") || labels) && positional.size() > 1)) {
        printErr(tr(Usage));
        return ExitUsage;
    }
    if (verb == QLatin1String("join") && positional.size() < 2 &&
        !parser.isSet(QStringLiteral("boards"))) {
        printErr(tr("Name the boards to join (or use `hivelab swarm form` for the whole lab)."));
        return ExitUsage;
    }
    if ((availability || membership) && positional.size() < 2 &&
        !parser.isSet(QStringLiteral("boards"))) {
        printErr(tr("Name the boards to %1.").arg(verb));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, positional.first(), positional.mid(1));
    if (prepared >= 0)
        return prepared;
    if (verb == QLatin1String("status")) {
        SwarmStatus job(cli.document());
        const bool withTasks = parser.isSet(tasks);
        job.setWithTasks(withTasks);
        const bool json = cli.json();
        const Lab &lab = cli.document()->lab();
        return cli.run(&job, QStringLiteral("swarm status"), [&job, withTasks, json, &lab]() {
            WorkflowCli::Verdict verdict;
            if (!withTasks)
                return verdict;
            QJsonArray list;
            QStringList lines;
            for (const StackPlacement::ServiceTask &t : job.tasks()) {
                list.append(QJsonObject{{QStringLiteral("board"), t.boardId},
                                        {QStringLiteral("service"), t.service},
                                        {QStringLiteral("slot"), t.slot},
                                        {QStringLiteral("state"), t.state}});
                const Board *b = lab.board(t.boardId);
                lines << QStringLiteral("  %1  %2  %3")
                             .arg((b ? b->name : QStringLiteral("-")).leftJustified(16),
                                  (t.slot > 0 ? QStringLiteral("%1.%2").arg(t.service).arg(t.slot)
                                              : t.service)
                                      .leftJustified(28),
                                  t.state);
            }
            verdict.jsonKey = QStringLiteral("tasks");
            verdict.json = list;
            if (!json && !lines.isEmpty())
                printOut(tr("tasks:\n%1").arg(lines.join(QLatin1Char('\n'))));
            return verdict;
        });
    }
    if (labels) {
        SwarmLabels job(cli.document());
        job.setCheckOnly(parser.isSet(check));
        return cli.run(&job, QStringLiteral("swarm labels"));
    }
    if (membership) {
        SwarmMembership job(cli.document());
        job.setOperation(verb == QLatin1String("promote")  ? SwarmMembership::Operation::Promote
                         : verb == QLatin1String("demote") ? SwarmMembership::Operation::Demote
                                                           : SwarmMembership::Operation::Remove);
        job.setForce(parser.isSet(force));
        return cli.run(&job, QStringLiteral("swarm %1").arg(verb));
    }
    if (availability) {
        NodeAvailability job(cli.document());
        job.setAvailability(verb == QLatin1String("drain")
                                ? NodeAvailability::Availability::Drain
                                : NodeAvailability::Availability::Active);
        return cli.run(&job, QStringLiteral("swarm %1").arg(verb));
    }
    SwarmFormation job(cli.document());
    job.setOperation(verb == QLatin1String("form")   ? SwarmFormation::Operation::Form
                     : verb == QLatin1String("join") ? SwarmFormation::Operation::Join
                                                     : SwarmFormation::Operation::Leave);
    job.setForce(parser.isSet(force));
    return cli.run(&job, QStringLiteral("swarm %1").arg(verb), [&job]() {
        const SwarmFormation::ManagerCount managers = job.managerCount();
        WorkflowCli::Verdict verdict;
        if (managers.ready >= managers.planned)
            return verdict;
        verdict.jsonKey = QStringLiteral("managers");
        verdict.json = QJsonObject{{QStringLiteral("planned"), managers.planned},
                                   {QStringLiteral("ready"), managers.ready},
                                   {QStringLiteral("faultTolerant"),
                                    toleratedFailuresFor(managers.ready) > 0}};
        verdict.line = tr("only %1 of %2 planned managers are in the swarm")
                           .arg(managers.ready)
                           .arg(managers.planned);
        if (managers.lostFaultTolerance()) {
            verdict.line += tr(": it cannot survive the failure of any manager");
            verdict.exitCode = ExitNoFaultTolerance;
        }
        return verdict;
    });
}

} // namespace

int cmdSwarm(const QStringList &args)
{
    const QString verb = args.value(1);
    static const QStringList verbs = {QStringLiteral("form"),     QStringLiteral("join"),
                                      QStringLiteral("leave"),    QStringLiteral("drain"),
                                      QStringLiteral("activate"), QStringLiteral("status"),
                                      QStringLiteral("labels"),   QStringLiteral("promote"),
                                      QStringLiteral("demote"),   QStringLiteral("remove")};
    if (verb == QLatin1String("--help") || verb == QLatin1String("-h") || verb.isEmpty()) {
        printOut(tr(Usage));
        return verb.isEmpty() ? ExitUsage : ExitOk;
    }
    if (!verbs.contains(verb)) {
        printErr(tr("Unknown swarm command \"%1\".").arg(verb));
        printErr(tr(Usage));
        return ExitUsage;
    }
    return runSwarm(verb, QStringList{args.first() + QLatin1Char(' ') + verb} + args.mid(2));
}

int cmdJoin(const QStringList &args)
{
    // `hivelab join FILE` forms the whole swarm; `hivelab join FILE BOARD…` joins those boards.
    QStringList positional;
    for (int i = 1; i < args.size(); ++i) {
        if (!args.at(i).startsWith(QLatin1Char('-')))
            positional << args.at(i);
        else if (args.at(i) == QLatin1String("--boards") || args.at(i) == QLatin1String("-i") ||
                 args.at(i) == QLatin1String("--known-hosts") ||
                 args.at(i) == QLatin1String("--connect-timeout") ||
                 args.at(i) == QLatin1String("--parallel"))
            ++i;
    }
    const bool boards = positional.size() > 1 || args.contains(QStringLiteral("--boards"));
    return runSwarm(boards ? QStringLiteral("join") : QStringLiteral("form"), args);
}

} // namespace Hivelab::Cli
