// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace Hivelab {

/// The kernel's IPv4 neighbour (ARP) table of the network namespace this process runs in.
/// Synchronous and cheap (a small procfs file); any thread.
class NeighbourTable
{
public:
    struct Entry
    {
        QString mac;           // "AA:BB:CC:DD:EE:FF"
        QString device;        // "eth0"
        bool complete = false; // ATF_COM: the neighbour answered ARP
    };

    /// Parses /proc/net/arp text; keys are dotted IPv4 addresses.
    static QHash<QString, Entry> parse(const QByteArray &procNetArp);
    /// Reads /proc/net/arp (empty on other systems or on error).
    static QHash<QString, Entry> read();
};

} // namespace Hivelab
