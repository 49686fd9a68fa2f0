// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowcli.h"

#include "cli.h"
#include "interruptguard.h"
#include "labdocument.h"
#include "labfile.h"
#include "workflowjob.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>

#include <unistd.h>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString readPasswordLine()
{
    QByteArray line = readStdinLine();
    const QString text = QString::fromUtf8(line);
    line.fill('\0');
    return text;
}

// The command line's own advice for an outcome (the GUI words its own: ui/outcomehint).
QString cliHint(const BoardResult &r)
{
    using Outcome = BoardResult::Outcome;
    switch (r.outcome) {
    case Outcome::HostKeyUnknown:
        return tr("Compare fingerprint %1 with the board's, then run again with "
                  "--accept-new-host-keys.")
            .arg(r.sshError.fingerprint);
    case Outcome::SudoNeedsPassword:
        return tr("Give the password with --password-stdin (or store it in the keychain), or "
                  "log in as root.");
    case Outcome::DockerMissing:
    case Outcome::DockerNotRunning:
        return tr("`hivelab provision` installs and starts it.");
    case Outcome::KeyRejected:
        return tr("Password login stays on. An RSA key needs rsa-sha2 on OpenSSH 8.8 and later "
                  "(use ed25519 with --key); sshd also ignores keys when the user's home or "
                  "~/.ssh is writable by others.");
    default:
        return {};
    }
}

QString withHint(const BoardResult &r)
{
    const QString hint = cliHint(r);
    return hint.isEmpty() ? r.message : r.message + QLatin1Char(' ') + hint;
}

QString outcomeName(BoardResult::Outcome outcome)
{
    return QString::fromLatin1(
        QMetaEnum::fromType<BoardResult::Outcome>().valueToKey(int(outcome)));
}

QString boardLabel(const Lab &lab, const QString &id)
{
    const Board *b = lab.board(id);
    return b && !b->name.isEmpty() ? b->name : id;
}

// Upper bound of --parallel (boards worked on at once); a home lab has far fewer.
constexpr int MaxParallel = 256;

QString stateName(NodeState state)
{
    return QString::fromLatin1(QMetaEnum::fromType<NodeState>().valueToKey(int(state)));
}

} // namespace

WorkflowCli::WorkflowCli()
    : m_boards(QStringLiteral("boards"),
               tr("Only these boards (IDs, names or hostnames, comma separated)."),
               QStringLiteral("LIST"))
    , m_acceptNew(QStringList{QStringLiteral("accept-new-host-keys"),
                              QStringLiteral("accept-new-host-key")},
                  tr("Trust and store host keys of boards seen for the first time. A changed key "
                     "is always refused."))
    , m_passwordStdin(QStringLiteral("password-stdin"),
                      tr("Read the password for SSH logins and sudo from the first line of "
                         "stdin (used for every board)."))
    , m_jsonOption(QStringLiteral("json"), tr("Print the summary as JSON."))
    , m_identity({QStringLiteral("i"), QStringLiteral("identity")},
                 tr("Private key file (may be repeated)."), QStringLiteral("KEYFILE"))
    , m_knownHosts(QStringLiteral("known-hosts"),
                   tr("known_hosts file to use instead of Hivelab's own (its folder must exist)."),
                   QStringLiteral("FILE"))
    , m_timeout(QStringLiteral("connect-timeout"),
                tr("Seconds to wait for each board's SSH connection, %1 (default 10).")
                    .arg(rangeText(1, MaxConnectTimeoutSeconds)),
                QStringLiteral("SECONDS"), QStringLiteral("10"))
    , m_parallelOption(QStringLiteral("parallel"),
                       tr("Boards worked on at once, %1 (default 8).").arg(rangeText(1, MaxParallel)),
                       QStringLiteral("N"), QStringLiteral("8"))
{}

void WorkflowCli::addOptions(QCommandLineParser *parser, bool withBoards)
{
    parser->addHelpOption();
    m_withBoards = withBoards;
    if (withBoards)
        parser->addOption(m_boards);
    parser->addOptions({m_acceptNew, m_passwordStdin, m_jsonOption, m_identity, m_knownHosts,
                        m_timeout, m_parallelOption});
}

void WorkflowCli::addBoardArguments(QCommandLineParser *parser)
{
    parser->addPositionalArgument(QStringLiteral("BOARD"),
                                  tr("Only these boards (ID, name or hostname)."),
                                  QStringLiteral("[BOARD…]"));
}

int WorkflowCli::prepare(const QCommandLineParser &parser, const QString &file,
                         const QStringList &extraBoards)
{
    LabFileError error;
    const std::optional<Lab> lab = LabFile::load(file, &error);
    if (!lab) {
        printErr(error.toString());
        return ExitUsage;
    }
    m_document = std::make_unique<LabDocument>();
    m_document->setLab(*lab);
    m_document->setFilePath(file);

    QStringList wanted = extraBoards;
    if (m_withBoards && parser.isSet(m_boards)) {
        for (const QString &part :
             parser.value(m_boards).split(QLatin1Char(','), Qt::SkipEmptyParts))
            wanted << part;
    }
    const std::optional<QStringList> ids = resolveBoards(*lab, wanted, file);
    if (!ids)
        return ExitUsage;
    m_boardIds = *ids;

    if (!readConnectionOptions(parser, m_timeout, m_knownHosts, m_identity, &m_settings))
        return ExitUsage;
    const std::optional<int> parallel = intOption(parser, m_parallelOption, 1, MaxParallel);
    if (!parallel)
        return ExitUsage;
    m_parallel = *parallel;
    m_settings.acceptNewHostKeys = parser.isSet(m_acceptNew);
    m_json = parser.isSet(m_jsonOption);
    if (parser.isSet(m_passwordStdin)) {
        m_password = readPasswordLine();
        m_havePassword = true;
    }
    return -1;
}

int WorkflowCli::run(WorkflowJob *job, const QString &title,
                     const std::function<Verdict()> &verdict)
{
    const Lab &lab = m_document->lab();
    job->setConnectionSettings(m_settings);
    job->setMaxParallel(m_parallel);
    job->setBoardFilter(m_boardIds);
    if (m_havePassword)
        job->setDefaultPassword(m_password);

    QElapsedTimer clock;
    clock.start();
    auto stamp = [&clock]() {
        return QStringLiteral("%1s").arg(double(clock.elapsed()) / 1000.0, 6, 'f', 2);
    };
    QObject::connect(
        job, &WorkflowJob::logMessage, job, [&](const QString &boardId, const QString &line) {
            printErr(QStringLiteral("%1 [%2] %3")
                         .arg(stamp(), boardId.isEmpty() ? title : boardLabel(lab, boardId), line));
        });
    QObject::connect(job, &WorkflowJob::boardFinished, job,
                     [&](const QString &boardId, bool ok, const QString &) {
                         printErr(QStringLiteral("%1 [%2] %3: %4")
                                      .arg(stamp(), boardLabel(lab, boardId),
                                           ok ? tr("ok") : tr("FAILED"),
                                           withHint(job->result(boardId))));
                     });
    QEventLoop loop;
    QObject::connect(job, &WorkflowJob::finished, &loop, &QEventLoop::quit);
    InterruptGuard interrupt([&]() {
        printErr(QStringLiteral("%1 [%2] %3")
                     .arg(stamp(), title,
                          tr("Interrupted: cancelling (remote commands are stopped; Ctrl-C "
                             "again quits at once).")));
        job->cancel();
    });
    job->start();
    loop.exec();

    const QList<BoardResult> results = job->results();
    const Verdict extra = verdict ? verdict() : Verdict{};
    if (m_json) {
        QJsonArray boards;
        for (const BoardResult &r : results) {
            const Board *b = lab.board(r.boardId);
            boards.append(
                QJsonObject{{QStringLiteral("id"), r.boardId},
                            {QStringLiteral("name"), b ? b->name : QString()},
                            {QStringLiteral("hostname"), b ? b->hostname : QString()},
                            {QStringLiteral("role"), b ? roleName(b->role) : QString()},
                            {QStringLiteral("ok"), r.ok},
                            {QStringLiteral("outcome"), outcomeName(r.outcome)},
                            {QStringLiteral("state"), stateName(m_document->nodeState(r.boardId))},
                            {QStringLiteral("message"), withHint(r)}});
        }
        QJsonObject root{{QStringLiteral("operation"), title},
                         {QStringLiteral("ok"), job->succeeded()},
                         {QStringLiteral("seconds"), double(clock.elapsed()) / 1000.0},
                         {QStringLiteral("boards"), boards}};
        if (!job->errorString().isEmpty())
            root.insert(QStringLiteral("error"), job->errorString());
        if (interrupt.interrupted())
            root.insert(QStringLiteral("interrupted"), true);
        if (!extra.jsonKey.isEmpty())
            root.insert(extra.jsonKey, extra.json);
        printOut(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        int failed = 0;
        for (const BoardResult &r : results) {
            failed += r.ok ? 0 : 1;
            printOut(QStringLiteral("%1  %2  %3")
                         .arg(boardLabel(lab, r.boardId).leftJustified(16, QLatin1Char(' ')),
                              (r.ok ? tr("ok") : tr("FAILED")).leftJustified(6, QLatin1Char(' ')),
                              withHint(r)));
        }
        if (!job->errorString().isEmpty())
            printOut(tr("%1: %2").arg(title, job->errorString()));
        printOut(tr("%1: %2 of %3 board(s) ok in %4 s")
                     .arg(title)
                     .arg(results.size() - failed)
                     .arg(results.size())
                     .arg(double(clock.elapsed()) / 1000.0, 0, 'f', 1));
        if (!extra.line.isEmpty())
            printOut(tr("%1: %2").arg(title, extra.line));
    }
    // Jobs record what they learnt in the plan (swarm node IDs, a removed board's role): the
    // file follows, so the next run matches nodes by ID.
    if (m_document->isModified()) {
        LabFileError error;
        if (LabFile::save(m_document->lab(), m_document->filePath(), &error)) {
            m_document->setModified(false);
            printErr(tr("%1: updated %2").arg(title, m_document->filePath()));
        } else {
            printErr(tr("%1: cannot update the lab file: %2").arg(title, error.toString()));
        }
    }
    if (interrupt.interrupted())
        return ExitInterrupted;
    // A verdict's code is the more specific one: it names what the failed boards led to.
    if (extra.exitCode != ExitOk)
        return extra.exitCode;
    return job->succeeded() ? ExitOk : ExitFindings;
}

} // namespace Hivelab::Cli
