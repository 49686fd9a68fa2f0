// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace Hivelab {

struct NetworkSuggestion
{
    QString cidr;          // "192.168.1.0/24"
    QString interfaceName; // "eth0"
    QString localAddress;  // this machine's address there
    qint64 hostCount = 0;  // addresses a scan of cidr would probe
    QString note;          // e.g. why a large network was narrowed to a /24
};

/// Networks the user may want to scan, from this machine's interfaces. Only a list to show and
/// confirm: nothing here (or anywhere) scans a suggestion unless the user picks it.
/// Synchronous; any thread.
class NetworkSuggestions
{
    Q_DECLARE_TR_FUNCTIONS(NetworkSuggestions)
public:
    static QList<NetworkSuggestion> fromInterfaces();
    /// Suggestion for one IPv4 address/prefix: the network itself, or the /24 around the address
    /// when the network is larger than a /16 scan allows.
    static NetworkSuggestion suggest(const QString &interfaceName, quint32 address,
                                     int prefixLength);
};

} // namespace Hivelab
