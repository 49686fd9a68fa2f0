// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

namespace Hivelab {

/// Syntax rules for host names, IP addresses and MACs, shared by the lab file reader and the
/// editable item models. Pure functions; any thread. Qt Core only (no QHostAddress here).
class AddressRules
{
    Q_DECLARE_TR_FUNCTIONS(AddressRules)
public:
    /// RFC 1123 host name: dot-separated labels of 1–63 letters, digits and inner hyphens,
    /// 253 characters at most.
    static bool isValidHostname(const QString &name);
    /// Dotted-quad IPv4 or textual IPv6 (no zone, no prefix).
    static bool isValidIpAddress(const QString &ip);
    /// "10.77.0.0/24" or "fd00::/64".
    static bool isValidCidr(const QString &cidr);
    /// Dotted-quad IPv4 → host-order number; false when it is not one.
    static bool parseIpv4(const QString &ip, quint32 *out);
    static QString ipv4Text(quint32 address);
    /// "192.168.1.0/24" → network (host bits cleared) and prefix 0–32; false otherwise.
    static bool parseIpv4Cidr(const QString &cidr, quint32 *network, int *prefix);
    /// The netmask of an IPv4 prefix length (0–32).
    static quint32 ipv4Mask(int prefix);
    /// Six octets with any of ':' '-' '.' or no separators, any case → "AA:BB:CC:DD:EE:FF";
    /// empty string when it is not a MAC.
    static QString normalizeMac(const QString &mac);
    /// Second-lowest bit of the first octet: the MAC was made up (e.g. from an SoC serial) and
    /// says nothing about the vendor.
    static bool isLocallyAdministered(const QString &mac);
};

} // namespace Hivelab
