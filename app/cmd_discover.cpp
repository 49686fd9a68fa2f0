// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardconnection.h"
#include "cli.h"
#include "discoveryservice.h"
#include "identifyworkflow.h"
#include "interruptguard.h"
#include "labdocument.h"
#include "labfile.h"
#include "labmerge.h"
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

} // namespace

int cmdDiscover(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Find boards on the given networks and identify them without logging in. Only the "
           "targets given are probed; --suggest lists this machine's networks without scanning."));
    parser.addHelpOption();
    const QCommandLineOption portsOpt(
        QStringLiteral("ports"),
        tr("Extra SSH ports to probe besides 22 (comma list, each %1).").arg(rangeText(1, 65535)),
        QStringLiteral("LIST"));
    const QCommandLineOption timeoutOpt(
        QStringLiteral("timeout"),
        tr("Per-connect timeout in ms, %1 (default 600).").arg(rangeText(10, 60000)),
        QStringLiteral("MS"), QStringLiteral("600"));
    const QCommandLineOption parallelOpt(
        QStringLiteral("parallel"),
        tr("Connects in flight, %1 (default 256).").arg(rangeText(1, 4096)), QStringLiteral("N"),
        QStringLiteral("256"));
    const QCommandLineOption deadlineOpt(
        QStringLiteral("deadline"),
        tr("Stop the whole scan after this many seconds, %1 (default 120).")
            .arg(rangeText(1, 3600)),
        QStringLiteral("S"), QStringLiteral("120"));
    const QCommandLineOption jsonOpt(QStringLiteral("json"), tr("One JSON object per host."));
    const QCommandLineOption intoOpt(QStringLiteral("into"),
                                     tr("Merge the results into this lab file (created if "
                                        "missing)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption loginOpt(QStringLiteral("login"),
                                      tr("Log in over SSH (keys/agent) to identify each host: "
                                         "model, arch, cores, RAM, OS, disks, Docker, swarm."));
    const QCommandLineOption userOpt(QStringLiteral("user"),
                                     tr("Login user for --login (default: ~/.ssh/config's, else "
                                        "root, like the other commands)."),
                                     QStringLiteral("USER"));
    const QCommandLineOption identityOpt(
        QStringList{QStringLiteral("i"), QStringLiteral("identity")},
        tr("Private key file for --login."), QStringLiteral("KEYFILE"));
    const QCommandLineOption acceptOpt(QStringLiteral("accept-new-host-key"),
                                       tr("With --login, trust host keys seen for the first time "
                                          "(a changed key is always refused)."));
    const QCommandLineOption mdnsOpt(QStringLiteral("mdns"),
                                     tr("Also ask multicast DNS (on the scanned network's "
                                        "interface only)."));
    const QCommandLineOption noDnsOpt(QStringLiteral("no-dns"), tr("Skip reverse DNS lookups."));
    const QCommandLineOption suggestOpt(QStringLiteral("suggest"),
                                        tr("List this machine's networks as suggestions; scans "
                                           "nothing."));
    parser.addOptions({portsOpt, timeoutOpt, parallelOpt, deadlineOpt, jsonOpt, intoOpt, loginOpt,
                       mdnsOpt, noDnsOpt, suggestOpt, userOpt, identityOpt, acceptOpt});
    parser.addPositionalArgument(QStringLiteral("TARGET"),
                                 tr("10.0.0.0/24, 10.0.0.5-40, 10.0.0.5-10.0.0.40, addresses or "
                                    "host names (at most a /16 in all)."),
                                 QStringLiteral("TARGET…"));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    if (parser.isSet(suggestOpt)) {
        for (const NetworkSuggestion &s : NetworkSuggestions::fromInterfaces()) {
            QString line = QStringLiteral("%1 %2 (this machine: %3, %4 addresses)")
                               .arg(s.cidr, -18)
                               .arg(s.interfaceName, s.localAddress)
                               .arg(s.hostCount);
            if (!s.note.isEmpty())
                line += QStringLiteral(" ") + s.note;
            printOut(line);
        }
        return ExitOk;
    }
    QString error;
    const auto targets = ScanTargets::parse(parser.positionalArguments(), &error);
    if (!targets) {
        printErr(error);
        return ExitUsage;
    }
    DiscoveryOptions options;
    options.targets = *targets;
    if (parser.isSet(portsOpt)) {
        const auto extra = ScanTargets::parsePorts(parser.value(portsOpt), &error);
        if (!extra) {
            printErr(QStringLiteral("--ports: ") + error);
            return ExitUsage;
        }
        for (int p : *extra) {
            if (!options.sshPorts.contains(p))
                options.sshPorts << p;
        }
    }
    const std::optional<int> probeMs = intOption(parser, timeoutOpt, 10, 60000);
    const std::optional<int> inFlight = probeMs ? intOption(parser, parallelOpt, 1, 4096) : std::nullopt;
    const std::optional<int> deadlineS = inFlight ? intOption(parser, deadlineOpt, 1, 3600) : std::nullopt;
    if (!deadlineS)
        return ExitUsage;
    options.probeTimeoutMs = *probeMs;
    options.maxInFlight = *inFlight;
    options.deadlineMs = *deadlineS * 1000;
    options.reverseDns = !parser.isSet(noDnsOpt);
    options.mdns = parser.isSet(mdnsOpt);

    // Load the lab first: a bad --into file or folder should fail before any packet is sent.
    const QString into = parser.value(intoOpt);
    Lab lab;
    if (!into.isEmpty()) {
        const QFileInfo folder(QFileInfo(into).absolutePath());
        if (!folder.isDir() || !folder.isWritable()) {
            printErr(tr("Cannot write %1: the folder %2 %3.")
                         .arg(into, folder.filePath(),
                              folder.isDir() ? tr("is not writable") : tr("does not exist")));
            return ExitUsage;
        }
        if (QFileInfo::exists(into)) {
            LabFileError le;
            const auto loaded = LabFile::load(into, &le);
            if (!loaded) {
                printErr(le.toString());
                return ExitUsage;
            }
            lab = *loaded;
        } else {
            lab.name = QFileInfo(into).completeBaseName();
        }
    }

    if (!identityFilesReadable(parser.values(identityOpt)))
        return ExitUsage;

    const bool json = parser.isSet(jsonOpt);
    const bool login = parser.isSet(loginOpt);
    const auto print = [json](const DiscoveredHost &h) {
        printOut(json ? QString::fromUtf8(QJsonDocument(h.toJson()).toJson(QJsonDocument::Compact))
                      : humanLine(h));
    };
    DiscoveryService service;
    QEventLoop loop;
    DiscoveryService::Outcome outcome = DiscoveryService::Outcome::Completed;
    QList<DiscoveredHost> results;
    QObject::connect(&service, &DiscoveryService::hostFound, &loop, [&](const DiscoveredHost &h) {
        results << h;
        if (!login)
            print(h);
    });
    QObject::connect(&service, &DiscoveryService::message, &loop,
                     [](const QString &m) { printErr(m); });
    QObject::connect(&service, &DiscoveryService::finished, &loop,
                     [&](DiscoveryService::Outcome o) {
                         outcome = o;
                         loop.quit();
                     });
    if (!json)
        printOut(QStringLiteral("%1 %2 %3 %4 %5")
                     .arg(tr("ADDRESS"), -15)
                     .arg(tr("MAC"), -17)
                     .arg(tr("HOSTNAME"), -20)
                     .arg(tr("OPEN PORTS"), -14)
                     .arg(tr("SSH")));
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
    if (login && !interrupt.interrupted()) {
        Lab scratch;
        for (int i = 0; i < results.size(); ++i) {
            if (results[i].sshPort <= 0)
                continue;
            Board b;
            b.id = QStringLiteral("host-%1").arg(i);
            b.ip = results[i].ip;
            b.sshPort = results[i].sshPort;
            b.sshUser = parser.value(userOpt);
            scratch.boards << b;
        }
        hosts.setLab(scratch);
        ConnectionSettings settings;
        settings.acceptNewHostKeys = parser.isSet(acceptOpt);
        settings.identityFiles = parser.values(identityOpt);
        settings.useAgent = settings.identityFiles.isEmpty();
        identify.setConnectionSettings(settings);
        QObject::connect(&identify, &WorkflowJob::finished, &loop, &QEventLoop::quit);
        identify.start();
        loop.exec();
        for (int i = 0; i < results.size(); ++i) {
            DiscoveredHost &h = results[i];
            const QString id = QStringLiteral("host-%1").arg(i);
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
            print(h);
        }
    }

    const qint64 ms = service.elapsedMs();
    QString summary = tr("Scanned %1 addresses in %2 s: %3 found, %4 absent.")
                          .arg(options.targets.size())
                          .arg(double(ms) / 1000.0, 0, 'f', 2)
                          .arg(results.size())
                          .arg(service.absentHosts().size());
    if (outcome == DiscoveryService::Outcome::DeadlineExceeded)
        summary += QLatin1Char(' ') + tr("Stopped at the deadline: results are incomplete.");
    if (interrupt.interrupted())
        summary += QLatin1Char(' ') + tr("Interrupted: results are incomplete.");
    printErr(summary);

    if (interrupt.interrupted()) {
        // A partial scan would report every board it did not reach as missing.
        if (!into.isEmpty())
            printErr(tr("%1 left unchanged.").arg(into));
        return ExitInterrupted;
    }
    if (!into.isEmpty()) {
        const LabMerge::Result merged = LabMerge::merge(lab, results, options.targets);
        for (const LabMerge::Change &c : merged.changes)
            printErr(c.message);
        LabFileError le;
        if (!LabFile::save(merged.lab, into, &le)) {
            printErr(le.toString());
            return ExitUsage;
        }
        printErr(tr("Merged into %1: %2 added, %3 changed address, %4 missing.")
                     .arg(into)
                     .arg(merged.count(LabMerge::Kind::Added))
                     .arg(merged.count(LabMerge::Kind::IpChanged))
                     .arg(merged.count(LabMerge::Kind::Missing)));
    }
    // A name that does not resolve is a target that could not be scanned at all.
    if (!service.unresolvedNames().isEmpty()) {
        printErr(tr("Could not resolve %1.").arg(service.unresolvedNames().join(QStringLiteral(", "))));
        return ExitUsage;
    }
    return outcome == DiscoveryService::Outcome::DeadlineExceeded ? ExitFindings : ExitOk;
}

} // namespace Hivelab::Cli
