// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardconnection.h"
#include "cli.h"
#include "discoveryservice.h"
#include "identifyworkflow.h"
#include "interruptguard.h"
#include "labfile.h"
#include "labmerge.h"
#include "networksuggestions.h"
#include "scantargets.h"
#include "sshcommand.h"
#include "sshconfig.h"
#include "sshsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>

#include <algorithm>
#include <memory>

namespace Hivelab::Cli {

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("Cli", s);
}

std::optional<QList<int>> parsePorts(const QString &text)
{
    QList<int> ports;
    for (const QString &p : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = p.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 65535)
            return std::nullopt;
        if (!ports.contains(n))
            ports << n;
    }
    return ports;
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
    const QCommandLineOption userOpt(QStringLiteral("user"), tr("Login user for --login."),
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
        const auto extra = parsePorts(parser.value(portsOpt));
        if (!extra) {
            printErr(tr("--ports expects a comma list of port numbers from 1 to 65535, e.g. "
                        "2222,2200."));
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
    bool scanDone = false;
    QList<DiscoveredHost> results;

    // Login through the SSH layer (libssh2 on worker threads): keys and agent only, resolved
    // like `hivelab exec` and the workflows (~/.ssh/config, then the default key files).
    SshConfig sshConfig;
    sshConfig.load(SshConfig::defaultPath());
    ConnectionSettings settings;
    settings.acceptNewHostKeys = parser.isSet(acceptOpt);
    settings.identityFiles = parser.values(identityOpt);
    settings.useAgent = settings.identityFiles.isEmpty();
    const QString loginUser = parser.value(userOpt);
    IdentifyWorkflow identify([&](const DiscoveredHost &h, const QString &command,
                                  IdentifyWorkflow::Done done) {
        SshLogin login = BoardConnection::forDestination(h.ip, loginUser, quint16(h.sshPort),
                                                         settings, &sshConfig);
        login.options.authTimeoutMs = 10000;
        auto *session = new SshSession(&loop);
        session->connectToHost(login.options, login.auth);
        SshExecOptions e;
        e.timeoutMs = 20000;
        e.closeStdin = true;
        SshCommand *job = session->exec(command, e);
        auto out = std::make_shared<QByteArray>();
        QObject::connect(job, &SshCommand::stdoutData, &loop, [out](const QByteArray &chunk) {
            if (out->size() < 1024 * 1024) // bounded: a board cannot flood the scanner
                out->append(chunk);
        });
        QObject::connect(
            job, &SshCommand::finished, &loop,
            [out, session, done](int status, const QString &, const SshErrorInfo &error) {
                QString why;
                if (status != 0)
                    why = !error.message.isEmpty() ? error.message
                                                   : QStringLiteral("exit status %1").arg(status);
                done(*out, why);
                session->close();
                session->deleteLater();
            });
    });
    QObject::connect(&identify, &IdentifyWorkflow::hostIdentified, &loop,
                     [&](const DiscoveredHost &h) {
                         results << h;
                         print(h);
                         if (!h.loginError.isEmpty() && h.sshPort > 0 && !json)
                             printErr(tr("%1: login failed: %2").arg(h.ip, h.loginError));
                     });
    QObject::connect(&identify, &IdentifyWorkflow::idle, &loop, [&] {
        if (scanDone)
            loop.quit();
    });
    QObject::connect(&service, &DiscoveryService::hostFound, &loop, [&](const DiscoveredHost &h) {
        if (login) {
            identify.add(h);
        } else {
            results << h;
            print(h);
        }
    });
    QObject::connect(&service, &DiscoveryService::message, &loop,
                     [](const QString &m) { printErr(m); });
    QObject::connect(&service, &DiscoveryService::finished, &loop,
                     [&](DiscoveryService::Outcome o) {
                         outcome = o;
                         scanDone = true;
                         if (identify.isIdle())
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
    InterruptGuard interrupt([&]() {
        printErr(tr("Interrupted: stopping the scan (Ctrl-C again quits at once)."));
        identify.cancel(); // logins in flight report nothing more
        if (scanDone)
            loop.quit();
        else
            service.cancel(); // finished() quits: identify is idle now
    });
    loop.exec();

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
        // Results arrive in answer order; new boards go into the lab in address order.
        std::sort(results.begin(), results.end(),
                  [](const DiscoveredHost &a, const DiscoveredHost &b) {
                      const QHostAddress x(a.ip), y(b.ip);
                      if (x.protocol() == QAbstractSocket::IPv4Protocol &&
                          y.protocol() == QAbstractSocket::IPv4Protocol)
                          return x.toIPv4Address() < y.toIPv4Address();
                      return a.ip < b.ip;
                  });
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
