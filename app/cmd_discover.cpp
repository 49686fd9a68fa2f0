// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boardconnection.h"
#include "cli.h"
#include "discoveryservice.h"
#include "identifyworkflow.h"
#include "interruptguard.h"
#include "labdocument.h"
#include "labfile.h"
#include "labmerge.h"
#include "modelidentification.h"
#include "networksuggestions.h"
#include "scantargets.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>

namespace Hivelab::Cli {

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("Cli", s);
}

QString humanLine(const DiscoveredHost &h)
{
    QStringList ports;
    for (int p : h.openPorts)
        ports << QString::number(p);
    QString ssh = h.sshBanner;
    if (ssh.startsWith(QLatin1String("SSH-2.0-")))
        ssh = ssh.mid(8);
    QString line =
        QStringLiteral("%1 %2 %3 %4 %5")
            .arg(h.ip, -15)
            .arg(h.mac.isEmpty() ? QStringLiteral("-") : h.mac, -17)
            .arg(h.hostname().isEmpty() ? QStringLiteral("-") : h.hostname(), -20)
            .arg(ports.isEmpty() ? QStringLiteral("-") : ports.join(QLatin1Char(',')), -14)
            .arg(ssh.isEmpty() ? QStringLiteral("-") : ssh);
    QStringList extra;
    if (h.facts) {
        const HostFacts &f = *h.facts;
        for (const QString &s : {f.modelName(), f.debianArch(), f.osPrettyName})
            if (!s.isEmpty())
                extra << s;
        if (f.cores > 0)
            extra << tr("%1 cores").arg(f.cores);
        if (f.memTotalBytes > 0)
            extra << tr("%1 MiB").arg(f.memTotalBytes / (1024 * 1024));
        if (!f.dockerVersion.isEmpty())
            extra << (f.swarmRole().isEmpty()
                          ? tr("Docker %1").arg(f.dockerVersion)
                          : tr("Docker %1, swarm %2").arg(f.dockerVersion, f.swarmRole()));
    }
    if (!h.vendor.isEmpty())
        extra << h.vendor;
    const BoardCatalog &catalog = BoardCatalog::builtin();
    const ModelIdentification model =
        ModelIdentification::identify(h.mac, h.facts ? &*h.facts : nullptr, catalog);
    if (model.source == ModelIdentification::Source::MacBlock)
        extra << tr("%1 (by its MAC)").arg(catalog.displayName(model.modelId));
    if (!model.rejectedModelId.isEmpty() && h.facts) {
        const QString measured = model.conflict == ModelIdentification::Conflict::Architecture
                                     ? h.facts->debianArch()
                                     : h.facts->modelName();
        extra << tr("not a %1 as its MAC suggests: it reports %2")
                     .arg(catalog.displayName(model.rejectedModelId), measured);
    }
    if (!h.osHint.isEmpty() && !h.facts)
        extra << h.osHint;
    if (h.isThisMachine)
        extra << tr("this machine");
    if (!extra.isEmpty())
        line += QStringLiteral("  [%1]").arg(extra.join(QStringLiteral(", ")));
    for (const QString &w : h.warnings)
        line += QStringLiteral("\n    ") + tr("warning: %1").arg(w);
    return line;
}

// The command line of `hivelab discover`: the parser and the options it knows.
struct DiscoverCommand
{
    DiscoverCommand();

    QCommandLineParser parser;
    const QCommandLineOption portsOpt{
        QStringLiteral("ports"),
        tr("Extra SSH ports to probe besides 22 (comma list, each %1).").arg(rangeText(1, 65535)),
        QStringLiteral("LIST")};
    const QCommandLineOption timeoutOpt{
        QStringLiteral("timeout"),
        tr("Per-connect timeout in ms, %1 (default 600).").arg(rangeText(10, 60000)),
        QStringLiteral("MS"), QStringLiteral("600")};
    const QCommandLineOption parallelOpt{
        QStringLiteral("parallel"),
        tr("Connects in flight, %1 (default 256).").arg(rangeText(1, 4096)), QStringLiteral("N"),
        QStringLiteral("256")};
    const QCommandLineOption deadlineOpt{
        QStringLiteral("deadline"),
        tr("Stop the whole scan after this many seconds, %1 (default 120).")
            .arg(rangeText(1, 3600)),
        QStringLiteral("S"), QStringLiteral("120")};
    const QCommandLineOption jsonOpt{QStringLiteral("json"), tr("One JSON object per host.")};
    const QCommandLineOption intoOpt{QStringLiteral("into"),
                                     tr("Merge the results into this lab file (created if "
                                        "missing)."),
                                     QStringLiteral("FILE")};
    const QCommandLineOption loginOpt{QStringLiteral("login"),
                                      tr("Log in over SSH (keys/agent) to identify each host: "
                                         "model, arch, cores, RAM, OS, disks, Docker, swarm.")};
    const QCommandLineOption userOpt{QStringLiteral("user"),
                                     tr("Login user for --login (default: ~/.ssh/config's, else "
                                        "root, like the other commands)."),
                                     QStringLiteral("USER")};
    const QCommandLineOption identityOpt{
        QStringList{QStringLiteral("i"), QStringLiteral("identity")},
        tr("Private key file for --login."), QStringLiteral("KEYFILE")};
    const QCommandLineOption acceptOpt{
        QStringList{QStringLiteral("accept-new-host-key"), QStringLiteral("accept-new-host-keys")},
        tr("With --login, trust host keys seen for the first time "
           "(a changed key is always refused).")};
    const QCommandLineOption mdnsOpt{QStringLiteral("mdns"),
                                     tr("Also ask multicast DNS (on the scanned network's "
                                        "interface only).")};
    const QCommandLineOption noDnsOpt{QStringLiteral("no-dns"), tr("Skip reverse DNS lookups.")};
    const QCommandLineOption suggestOpt{QStringLiteral("suggest"),
                                        tr("List this machine's networks as suggestions; scans "
                                           "nothing.")};
};

DiscoverCommand::DiscoverCommand()
{
    parser.setApplicationDescription(
        tr("Find boards on the given networks and identify them without logging in. Only the "
           "targets given are probed; --suggest lists this machine's networks without scanning."));
    parser.addHelpOption();
    parser.addOptions({portsOpt, timeoutOpt, parallelOpt, deadlineOpt, jsonOpt, intoOpt, loginOpt,
                       mdnsOpt, noDnsOpt, suggestOpt, userOpt, identityOpt, acceptOpt});
    parser.addPositionalArgument(QStringLiteral("TARGET"),
                                 tr("10.0.0.0/24, 10.0.0.5-40, 10.0.0.5-10.0.0.40, addresses or "
                                    "host names (at most a /16 in all)."),
                                 QStringLiteral("TARGET…"));
}

void printSuggestions()
{
    for (const NetworkSuggestion &s : NetworkSuggestions::fromInterfaces()) {
        QString line = QStringLiteral("%1 %2 (this machine: %3, %4 addresses)")
                           .arg(s.cidr, -18)
                           .arg(s.interfaceName, s.localAddress)
                           .arg(s.hostCount);
        if (!s.note.isEmpty())
            line += QStringLiteral(" ") + s.note;
        printOut(line);
    }
}

// Targets, ports and limits from the command line; false (after printing why) on a usage error.
bool readScanOptions(const DiscoverCommand &cmd, DiscoveryOptions *options)
{
    const QCommandLineParser &parser = cmd.parser;
    QString error;
    const auto targets = ScanTargets::parse(parser.positionalArguments(), &error);
    if (!targets) {
        printErr(error);
        return false;
    }
    options->targets = *targets;
    if (parser.isSet(cmd.portsOpt)) {
        const auto extra = ScanTargets::parsePorts(parser.value(cmd.portsOpt), &error);
        if (!extra) {
            printErr(QStringLiteral("--ports: ") + error);
            return false;
        }
        for (int p : *extra) {
            if (!options->sshPorts.contains(p))
                options->sshPorts << p;
        }
    }
    const std::optional<int> probeMs = intOption(parser, cmd.timeoutOpt, 10, 60000);
    const std::optional<int> inFlight =
        probeMs ? intOption(parser, cmd.parallelOpt, 1, 4096) : std::nullopt;
    const std::optional<int> deadlineS =
        inFlight ? intOption(parser, cmd.deadlineOpt, 1, 3600) : std::nullopt;
    if (!deadlineS)
        return false;
    options->probeTimeoutMs = *probeMs;
    options->maxInFlight = *inFlight;
    options->deadlineMs = *deadlineS * 1000;
    options->reverseDns = !parser.isSet(cmd.noDnsOpt);
    options->mdns = parser.isSet(cmd.mdnsOpt);
    return true;
}

// The lab to merge into: loaded if the file exists, else a new one named after it. False (after
// printing why) when the file or its folder cannot be used.
bool loadIntoLab(const QString &into, Lab *lab)
{
    const QFileInfo folder(QFileInfo(into).absolutePath());
    if (!folder.isDir() || !folder.isWritable()) {
        printErr(tr("Cannot write %1: the folder %2 %3.")
                     .arg(into, folder.filePath(),
                          folder.isDir() ? tr("is not writable") : tr("does not exist")));
        return false;
    }
    if (QFileInfo::exists(into)) {
        LabFileError le;
        const auto loaded = LabFile::load(into, &le);
        if (!loaded) {
            printErr(le.toString());
            return false;
        }
        *lab = *loaded;
    } else {
        lab->name = QFileInfo(into).completeBaseName();
    }
    return true;
}

void printHost(const DiscoveredHost &h, bool json)
{
    printOut(json ? QString::fromUtf8(QJsonDocument(h.toJson()).toJson(QJsonDocument::Compact))
                  : humanLine(h));
}

void printHeader()
{
    printOut(QStringLiteral("%1 %2 %3 %4 %5")
                 .arg(tr("ADDRESS"), -15)
                 .arg(tr("MAC"), -17)
                 .arg(tr("HOSTNAME"), -20)
                 .arg(tr("OPEN PORTS"), -14)
                 .arg(tr("SSH")));
}

// What the scan reports as it runs; the loop quits when it finishes.
struct ScanResults
{
    DiscoveryService::Outcome outcome = DiscoveryService::Outcome::Completed;
    QList<DiscoveredHost> hosts;
};

void collectScan(DiscoveryService &service, QEventLoop &loop, bool json, bool login,
                 ScanResults *results)
{
    QObject::connect(&service, &DiscoveryService::hostFound, &loop,
                     [results, json, login](const DiscoveredHost &h) {
                         results->hosts << h;
                         if (!login)
                             printHost(h, json);
                     });
    QObject::connect(&service, &DiscoveryService::message, &loop,
                     [](const QString &m) { printErr(m); });
    QObject::connect(&service, &DiscoveryService::finished, &loop,
                     [results, &loop](DiscoveryService::Outcome o) {
                         results->outcome = o;
                         loop.quit();
                     });
}

QString scratchId(int i)
{
    return QStringLiteral("host-%1").arg(i);
}

// The hosts with an SSH server, as boards of a scratch lab the identify job can log in to.
Lab scratchLab(const QList<DiscoveredHost> &found, const QString &user)
{
    Lab scratch;
    for (int i = 0; i < found.size(); ++i) {
        if (found[i].sshPort <= 0)
            continue;
        Board b;
        b.id = scratchId(i);
        b.ip = found[i].ip;
        b.sshPort = found[i].sshPort;
        b.sshUser = user;
        scratch.boards << b;
    }
    return scratch;
}

// Logs in to each host found and prints it with its facts or the reason the login failed.
void identifyHosts(const DiscoverCommand &cmd, LabDocument &hosts, IdentifyWorkflow &identify,
                   QEventLoop &loop, bool json, QList<DiscoveredHost> *found)
{
    hosts.setLab(scratchLab(*found, cmd.parser.value(cmd.userOpt)));
    ConnectionSettings settings;
    settings.acceptNewHostKeys = cmd.parser.isSet(cmd.acceptOpt);
    settings.identityFiles = cmd.parser.values(cmd.identityOpt);
    settings.useAgent = settings.identityFiles.isEmpty();
    identify.setConnectionSettings(settings);
    QObject::connect(&identify, &WorkflowJob::finished, &loop, &QEventLoop::quit);
    identify.start();
    loop.exec();
    for (int i = 0; i < found->size(); ++i) {
        DiscoveredHost &h = (*found)[i];
        const QString id = scratchId(i);
        if (h.sshPort <= 0) {
            h.loginError = tr("no SSH server found");
        } else if (const auto facts = identify.facts(id)) {
            h.facts = facts;
        } else {
            const BoardResult r = identify.result(id);
            h.loginError = r.message;
            if (r.outcome == BoardResult::Outcome::HostKeyUnknown)
                h.loginError += QLatin1Char(' ') + tr("Check it, then use --accept-new-host-key.");
            if (!json && r.outcome != BoardResult::Outcome::Cancelled)
                printErr(tr("%1: login failed: %2").arg(h.ip, h.loginError));
        }
        printHost(h, json);
    }
}

void printSummary(const DiscoveryOptions &options, const DiscoveryService &service,
                  const ScanResults &results, bool interrupted)
{
    const qint64 ms = service.elapsedMs();
    QString summary = tr("Scanned %1 addresses in %2 s: %3 found, %4 absent.")
                          .arg(options.targets.size())
                          .arg(double(ms) / 1000.0, 0, 'f', 2)
                          .arg(results.hosts.size())
                          .arg(service.absentHosts().size());
    if (results.outcome == DiscoveryService::Outcome::DeadlineExceeded)
        summary += QLatin1Char(' ') + tr("Stopped at the deadline: results are incomplete.");
    if (interrupted)
        summary += QLatin1Char(' ') + tr("Interrupted: results are incomplete.");
    printErr(summary);
}

// Merges the results into the lab and saves it to `into`; false (after printing why) if the save
// fails.
bool mergeInto(const Lab &lab, const QList<DiscoveredHost> &found, const QStringList &targets,
               const QString &into)
{
    const LabMerge::Result merged = LabMerge::merge(lab, found, targets);
    for (const LabMerge::Change &c : merged.changes)
        printErr(c.message);
    LabFileError le;
    if (!LabFile::save(merged.lab, into, &le)) {
        printErr(le.toString());
        return false;
    }
    printErr(tr("Merged into %1: %2 added, %3 changed address, %4 missing.")
                 .arg(into)
                 .arg(merged.count(LabMerge::Kind::Added))
                 .arg(merged.count(LabMerge::Kind::IpChanged))
                 .arg(merged.count(LabMerge::Kind::Missing)));
    return true;
}

} // namespace

int cmdDiscover(const QStringList &args)
{
    DiscoverCommand cmd;
    const QCommandLineParser &parser = cmd.parser;
    if (const auto done = parseOrFinish(cmd.parser, args))
        return *done;
    if (parser.isSet(cmd.suggestOpt)) {
        printSuggestions();
        return ExitOk;
    }
    DiscoveryOptions options;
    if (!readScanOptions(cmd, &options))
        return ExitUsage;

    // Load the lab first: a bad --into file or folder should fail before any packet is sent.
    const QString into = parser.value(cmd.intoOpt);
    Lab lab;
    if (!into.isEmpty() && !loadIntoLab(into, &lab))
        return ExitUsage;
    for (const Board &b : std::as_const(lab.boards))
        options.likely << b.ip; // its boards are probed first

    if (!identityFilesReadable(parser.values(cmd.identityOpt)))
        return ExitUsage;

    const bool json = parser.isSet(cmd.jsonOpt);
    const bool login = parser.isSet(cmd.loginOpt);
    DiscoveryService service;
    QEventLoop loop;
    ScanResults results;
    collectScan(service, loop, json, login, &results);
    if (!json)
        printHeader();
    QString error;
    if (!service.start(options, &error)) {
        printErr(error);
        return ExitUsage;
    }
    // Signing in is the wizard's Connect job (IdentifyWorkflow) on the hosts found, logged in
    // like the workflows: --user, else ~/.ssh/config, else the catalog's rule (root); keys and
    // agent only.
    LabDocument hosts;
    IdentifyWorkflow identify(&hosts);
    InterruptGuard interrupt([&]() {
        printErr(tr("Interrupted: stopping (Ctrl-C again quits at once)."));
        if (identify.isRunning())
            identify.cancel(); // finished() quits
        else
            service.cancel(); // finished() quits
    });
    loop.exec();
    if (login && !interrupt.interrupted())
        identifyHosts(cmd, hosts, identify, loop, json, &results.hosts);

    printSummary(options, service, results, interrupt.interrupted());

    if (interrupt.interrupted()) {
        // A partial scan would report every board it did not reach as missing.
        if (!into.isEmpty())
            printErr(tr("%1 left unchanged.").arg(into));
        return ExitInterrupted;
    }
    if (!into.isEmpty() && !mergeInto(lab, results.hosts, options.targets, into))
        return ExitUsage;
    // A name that does not resolve is a target that could not be scanned at all.
    if (!service.unresolvedNames().isEmpty()) {
        printErr(
            tr("Could not resolve %1.").arg(service.unresolvedNames().join(QStringLiteral(", "))));
        return ExitUsage;
    }
    return results.outcome == DiscoveryService::Outcome::DeadlineExceeded ? ExitFindings : ExitOk;
}

} // namespace Hivelab::Cli
