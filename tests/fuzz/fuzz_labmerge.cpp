// SPDX-License-Identifier: GPL-3.0-or-later
// Discovery merge: hosts as the network reports them (MAC, names, banners, ports, facts from a
// login) merged into a valid lab. The merged lab must still be a valid lab, so it can be saved.
//
// Input: one host per line, tab-separated fields
//   ip  mac  mdns-name  reverse-name  ssh-banner  ports(comma-separated)  logged-in-hostname
// (missing fields are empty). Discovery reports hosts by IPv4 address only, so lines with anything
// else there are skipped.
#include "discoveredhost.h"
#include "fuzzsupport.h"
#include "labfile.h"
#include "labmerge.h"
#include "ouitable.h"
#include "scantargets.h"

#include <QFile>

#include <algorithm>

using namespace Hivelab;

namespace {

const Lab &baseLab()
{
    static const Lab lab = [] {
        QFile file(QStringLiteral(HIVELAB_TEST_DATA "/labs/lab-fixture.hivelab"));
        LabFileError error;
        const std::optional<Lab> loaded = file.open(QIODevice::ReadOnly)
                                              ? LabFile::fromJson(file.readAll(), &error)
                                              : std::nullopt;
        HIVELAB_FUZZ_CHECK(loaded);
        return *loaded;
    }();
    return lab;
}

DiscoveredHost hostFrom(const QByteArray &line)
{
    const QList<QByteArray> f = line.split('\t');
    const auto field = [&f](int i) {
        return i < f.size() ? QString::fromUtf8(f.at(i)) : QString();
    };
    DiscoveredHost host;
    host.ip = field(0);
    host.mac = field(1);
    host.mdnsName = field(2);
    host.reverseName = field(3);
    host.sshBanner = field(4);
    for (const QString &p : field(5).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (const int port = p.toInt(); port >= 1 && port <= 65535) // TCP ports that answered
            host.openPorts.append(port);
    }
    std::sort(host.openPorts.begin(), host.openPorts.end());
    if (!host.sshBanner.isEmpty())
        host.sshPort = host.openPorts.value(0, 22);
    if (!field(6).isEmpty()) {
        HostFacts facts;
        facts.hostname = field(6);
        host.facts = facts;
    }
    host.deriveHints(OuiTable::builtin());
    return host;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    QList<DiscoveredHost> hosts;
    QStringList scanned;
    for (const QByteArray &line : input.split('\n')) {
        if (hosts.size() >= 64)
            break;
        const DiscoveredHost host = hostFrom(line);
        if (!ScanTargets::parseIPv4(host.ip) ||
            ScanTargets::formatIPv4(*ScanTargets::parseIPv4(host.ip)) != host.ip)
            continue;
        hosts.append(host);
        scanned.append(host.ip);
    }
    const LabMerge::Result result = LabMerge::merge(baseLab(), hosts, scanned);
    LabFileError error;
    if (!LabFile::validate(result.lab, &error))
        std::fprintf(stderr, "merged lab is invalid: %s\n", qPrintable(error.toString()));
    HIVELAB_FUZZ_CHECK(LabFile::validate(result.lab, &error));
    return 0;
}
