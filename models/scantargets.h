// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// Expands what a user typed as scan targets (CIDRs, ranges, lists, hostnames) into the hosts to
/// probe. Pure; any thread. Nothing here touches the network: suggestions come from the platform
/// layer and are only scanned once the user confirms them.
class ScanTargets
{
public:
    /// Largest scan accepted in one go: a /16.
    static constexpr int MaxAddresses = 65536;

    /// Parses "10.0.0.0/24", "10.0.0.5-10.0.0.40", "10.0.0.5-40", "a, b c", hostnames and IPv6
    /// literals. Returns hosts in input order without duplicates, or nullopt with a user-facing
    /// message in *error. /0../30 prefixes exclude the network and broadcast addresses.
    static std::optional<QStringList> parse(const QStringList &specs, QString *error);
    static std::optional<QStringList> parse(const QString &spec, QString *error);
    /// Parses SSH ports to probe, "22, 2222" (1..65535, duplicates dropped, input order).
    /// Empty text gives an empty list; nullopt with a user-facing message in *error otherwise.
    static std::optional<QList<int>> parsePorts(const QString &text, QString *error);

    static std::optional<quint32> parseIPv4(const QString &text);
    static QString formatIPv4(quint32 address);
    /// Address count of a prefix length, e.g. 24 -> 256.
    static qint64 prefixSize(int prefixLength) { return qint64(1) << (32 - prefixLength); }
    /// Whether text is a syntactically valid DNS host name (RFC 1123 labels).
    static bool isHostName(const QString &text);
};

} // namespace Hivelab
