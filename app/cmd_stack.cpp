// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "labdocument.h"
#include "stackdeploy.h"
#include "stackstatus.h"
#include "workflowcli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

const char *const Usage = QT_TRANSLATE_NOOP(
    "Cli", "Usage: hivelab stack deploy FILE COMPOSE.yml [--name N] [--force] [--dry-run] "
           "[--json]\n       hivelab stack ls|ps FILE [NAME] [--json]\n"
           "       hivelab stack rm FILE NAME");

// A Compose file is small; anything larger is not one.
constexpr qint64 MaxComposeBytes = 4 * 1024 * 1024;

QString boardName(const Lab &lab, const QString &id)
{
    const Board *b = lab.board(id);
    return b ? (b->name.isEmpty() ? b->id : b->name) : QString();
}

QJsonArray constraintsJson(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

int runDeploy(WorkflowCli &cli, const QCommandLineParser &parser, const QString &composePath,
              const QCommandLineOption &name, const QCommandLineOption &force,
              const QCommandLineOption &dryRun)
{
    QFile file(composePath);
    if (QFileInfo(composePath).size() > MaxComposeBytes) {
        printErr(tr("%1 is larger than a Compose file can be (%2).")
                     .arg(composePath, dataSize(MaxComposeBytes)));
        return ExitUsage;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        printErr(tr("Cannot read %1: %2").arg(composePath, file.errorString()));
        return ExitUsage;
    }
    const QByteArray yaml = file.readAll();
    // The stack's name: --name, else the file's top-level name, else the file's base name.
    QString stack = parser.value(name);
    if (stack.isEmpty() && !yaml.contains("\nname:") && !yaml.startsWith("name:"))
        stack = QFileInfo(composePath).completeBaseName().toLower();
    if (!stack.isEmpty() && !StackDeploy::isValidStackName(stack)) {
        printErr(tr("\"%1\" is not a stack name: use letters, digits, '_', '.' and '-' (--name).")
                     .arg(stack));
        return ExitUsage;
    }
    StackDeploy job(cli.document());
    job.setCompose(yaml, stack);
    job.setForce(parser.isSet(force));
    job.setDryRun(parser.isSet(dryRun));
    const bool json = cli.json();
    const bool dry = parser.isSet(dryRun);
    return cli.run(&job, QStringLiteral("stack deploy"), [&job, json, dry]() {
        WorkflowCli::Verdict verdict;
        QJsonArray services;
        QStringList lines;
        for (const StackDeploy::ServicePlan &p : job.plans()) {
            QJsonObject o{
                {QStringLiteral("service"), p.service},
                {QStringLiteral("image"), p.image},
                {QStringLiteral("platforms"), QJsonArray::fromStringList(p.platforms)},
                {QStringLiteral("spreadOverRacks"), p.spreadAdded},
                {QStringLiteral("constraintsAdded"), constraintsJson(p.constraintsAdded)}};
            if (p.checked()) {
                o.insert(QStringLiteral("runnableBoards"), p.fit.runnable);
                o.insert(QStringLiteral("boards"), p.fit.total);
            } else {
                o.insert(QStringLiteral("checkError"), p.checkError);
            }
            services.append(o);
            QStringList added;
            if (p.spreadAdded)
                added << tr("spread over racks");
            added += p.constraintsAdded;
            lines << tr("  %1: %2 [%3]%4")
                         .arg(p.service, p.image,
                              p.checked() ? p.platforms.join(QStringLiteral(", "))
                                          : tr("not checked"),
                              added.isEmpty()
                                  ? QString()
                                  : tr("; added: %1").arg(added.join(QStringLiteral("; "))));
        }
        verdict.jsonKey = QStringLiteral("stack");
        verdict.json =
            QJsonObject{{QStringLiteral("name"), job.stackName()},
                        {QStringLiteral("services"), services},
                        {QStringLiteral("warnings"), QJsonArray::fromStringList(job.warnings())}};
        if (dry && !job.amendedCompose().isEmpty()) {
            QJsonObject o = verdict.json.toObject();
            o.insert(QStringLiteral("compose"), QString::fromUtf8(job.amendedCompose()));
            verdict.json = o;
            if (!json)
                printOut(QString::fromUtf8(job.amendedCompose()).trimmed());
        }
        if (!json && !lines.isEmpty())
            printOut(tr("stack %1:\n%2").arg(job.stackName(), lines.join(QLatin1Char('\n'))));
        if (!job.warnings().isEmpty())
            verdict.line = job.warnings().join(QStringLiteral("\n"));
        return verdict;
    });
}

int runList(WorkflowCli &cli)
{
    StackStatus job(cli.document());
    job.setOperation(StackStatus::Operation::List);
    const bool json = cli.json();
    return cli.run(&job, QStringLiteral("stack ls"), [&job, json]() {
        WorkflowCli::Verdict verdict;
        QJsonArray stacks;
        QStringList lines{QStringLiteral("%1 %2 %3")
                              .arg(tr("NAME").leftJustified(24), tr("SERVICES").leftJustified(9),
                                   tr("TASKS (running/desired)"))};
        for (const StackStatus::StackInfo &s : job.stacks()) {
            stacks.append(QJsonObject{{QStringLiteral("name"), s.name},
                                      {QStringLiteral("services"), s.services},
                                      {QStringLiteral("runningTasks"), s.runningTasks},
                                      {QStringLiteral("desiredTasks"), s.desiredTasks}});
            lines << QStringLiteral("%1 %2 %3/%4")
                         .arg(s.name.leftJustified(24),
                              QString::number(s.services).leftJustified(9))
                         .arg(s.runningTasks)
                         .arg(s.desiredTasks);
        }
        verdict.jsonKey = QStringLiteral("stacks");
        verdict.json = stacks;
        if (!json && job.succeeded())
            printOut(lines.join(QLatin1Char('\n')));
        return verdict;
    });
}

int runTasks(WorkflowCli &cli, const QString &stack)
{
    StackStatus job(cli.document());
    job.setOperation(StackStatus::Operation::Tasks, stack);
    const bool json = cli.json();
    const Lab &lab = cli.document()->lab();
    return cli.run(&job, QStringLiteral("stack ps"), [&job, json, &lab]() {
        WorkflowCli::Verdict verdict;
        QJsonArray tasks;
        QStringList lines{QStringLiteral("%1 %2 %3 %4 %5")
                              .arg(tr("TASK").leftJustified(28), tr("BOARD").leftJustified(16),
                                   tr("NODE").leftJustified(16), tr("DESIRED").leftJustified(9),
                                   tr("STATE"))};
        for (const StackPlacement::ServiceTask &t : job.tasks()) {
            const Board *b = lab.board(t.boardId);
            tasks.append(QJsonObject{{QStringLiteral("id"), t.id},
                                     {QStringLiteral("service"), t.service},
                                     {QStringLiteral("stack"), t.stack},
                                     {QStringLiteral("slot"), t.slot},
                                     {QStringLiteral("board"), t.boardId},
                                     {QStringLiteral("rack"), b ? b->rackId : QString()},
                                     {QStringLiteral("psu"), b ? b->psuId : QString()},
                                     {QStringLiteral("node"), job.nodeHostname(t.nodeId)},
                                     {QStringLiteral("state"), t.state},
                                     {QStringLiteral("desiredState"), t.desiredState},
                                     {QStringLiteral("message"), t.message},
                                     {QStringLiteral("image"), t.image}});
            const QString task =
                t.slot > 0 ? QStringLiteral("%1.%2").arg(t.service).arg(t.slot) : t.service;
            QString state = t.state;
            if (!t.message.isEmpty() && !t.isRunning())
                state += QStringLiteral(" (%1)").arg(t.message);
            lines
                << QStringLiteral("%1 %2 %3 %4 %5")
                       .arg(task.leftJustified(28),
                            (b ? boardName(lab, t.boardId) : QStringLiteral("-")).leftJustified(16),
                            job.nodeHostname(t.nodeId).leftJustified(16),
                            t.desiredState.leftJustified(9), state);
        }
        verdict.jsonKey = QStringLiteral("tasks");
        verdict.json = tasks;
        if (!json && job.succeeded())
            printOut(lines.join(QLatin1Char('\n')));
        return verdict;
    });
}

} // namespace

int cmdStack(const QStringList &args)
{
    const QString verb = args.value(1);
    static const QStringList verbs = {QStringLiteral("deploy"), QStringLiteral("ls"),
                                      QStringLiteral("ps"), QStringLiteral("rm")};
    if (verb == QLatin1String("--help") || verb == QLatin1String("-h") || verb.isEmpty()) {
        printOut(tr(Usage));
        return verb.isEmpty() ? ExitUsage : ExitOk;
    }
    if (!verbs.contains(verb)) {
        printErr(tr("Unknown stack command \"%1\".").arg(verb));
        printErr(tr(Usage));
        return ExitUsage;
    }
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Apps on the lab's swarm, through a manager that answers (over SSH).\n"
           "  deploy FILE COMPOSE.yml  deploy a Compose file as a stack. Each service's image is "
           "looked up in its registry by the manager's engine; unless the file says otherwise "
           "for a service, Hivelab adds a placement preference spreading its replicas over "
           "racks (node.labels.hivelab.rack) and node.platform.arch constraints for the "
           "architectures its image is published for. A service that would run on no board "
           "stops the deploy (--force deploys anyway).\n"
           "  ls FILE          the swarm's stacks, their services and tasks\n"
           "  ps FILE [NAME]   the tasks of a stack (of every stack without NAME): board, node, "
           "state\n"
           "  rm FILE NAME     remove a stack\n"
           "Exits 1 when the manager refused or no manager answered."));
    WorkflowCli cli;
    cli.addOptions(&parser, false);
    const QCommandLineOption name(QStringLiteral("name"),
                                  tr("Stack name (default: the file's top-level name, else its "
                                     "base name)."),
                                  QStringLiteral("N"));
    const QCommandLineOption force(QStringLiteral("force"),
                                   tr("Deploy even when a service's image runs on no board."));
    const QCommandLineOption dryRun(
        QStringLiteral("dry-run"),
        tr("Check the images and print the amended file; deploy nothing."));
    const bool deploy = verb == QLatin1String("deploy");
    if (deploy)
        parser.addOptions({name, force, dryRun});
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    if (deploy)
        parser.addPositionalArgument(QStringLiteral("COMPOSE"), tr("Compose file."));
    else
        parser.addPositionalArgument(QStringLiteral("NAME"), tr("Stack name."),
                                     QStringLiteral("[NAME]"));
    if (const auto done = parseOrFinish(
            parser, QStringList{args.first() + QLatin1Char(' ') + verb} + args.mid(2)))
        return *done;
    const QStringList positional = parser.positionalArguments();
    const bool wrongCount = positional.isEmpty() || positional.size() > 2 ||
                            ((deploy || verb == QLatin1String("rm")) && positional.size() != 2) ||
                            (verb == QLatin1String("ls") && positional.size() != 1);
    if (wrongCount) {
        printErr(tr(Usage));
        return ExitUsage;
    }
    if (!deploy && positional.size() == 2 && !StackDeploy::isValidStackName(positional.at(1))) {
        printErr(tr("\"%1\" is not a stack name.").arg(positional.at(1)));
        return ExitUsage;
    }
    const int prepared = cli.prepare(parser, positional.first());
    if (prepared >= 0)
        return prepared;
    if (deploy)
        return runDeploy(cli, parser, positional.at(1), name, force, dryRun);
    if (verb == QLatin1String("ls"))
        return runList(cli);
    if (verb == QLatin1String("ps"))
        return runTasks(cli, positional.value(1));
    StackStatus job(cli.document());
    job.setOperation(StackStatus::Operation::Remove, positional.at(1));
    return cli.run(&job, QStringLiteral("stack rm"));
}

} // namespace Hivelab::Cli
