// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hostfacts.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

class OuiTable;

/// One host found by a discovery scan, with what could be told without and (optionally) after
/// logging in. Plain value; any thread.
struct DiscoveredHost
{
    enum WellKnownPort : quint16 {
        Ssh = 22,
        Rdp = 3389,
        DockerPlain = 2375,
        DockerTls = 2376,
        WinRmHttp = 5985,
        WinRmHttps = 5986,
    };

    QString ip;
    QString mac; // "AA:BB:CC:DD:EE:FF", empty if not on the local link
    QString vendor;
    QString reverseName;            // PTR name, e.g. "pine64-1.lan"
    QString mdnsName;               // e.g. "pine64-1.local"
    QList<int> openPorts;           // sorted
    int sshPort = 0;                // first port that answered with an SSH banner (0: none)
    QString sshBanner;              // identification line as sent, printable ASCII only
    QString osHint;                 // "Debian 12", "Windows", "DietPi?"
    QStringList hints;              // human sentences, informational
    QStringList warnings;           // human sentences, security-relevant
    std::optional<HostFacts> facts; // after login
    QString loginError;
    bool isThisMachine = false; // one of the scanning machine's own addresses

    /// Best name: logged-in hostname, else mDNS, else reverse DNS (full), else empty.
    QString hostname() const;
    /// hostname() without domain, lower case ("pine64-1"), for matching.
    QString shortHostname() const;
    bool hasPort(int port) const { return openPorts.contains(port); }
    /// Fills vendor, osHint, hints and warnings from MAC, banner and open ports.
    void deriveHints(const OuiTable &oui);
    QJsonObject toJson() const;
};

} // namespace Hivelab

Q_DECLARE_METATYPE(Hivelab::DiscoveredHost)
