// SPDX-License-Identifier: GPL-3.0-or-later
#include "addressrules.h"

#include <QRegularExpression>

#include <cctype>

#include <arpa/inet.h>

namespace Hivelab {

bool AddressRules::isValidHostname(const QString &name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    static const QRegularExpression label(
        QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &l : labels) {
        if (!label.match(l).hasMatch())
            return false;
    }
    return true;
}

bool AddressRules::isValidIpAddress(const QString &ip)
{
    // inet_pton is strict (no leading zeros tricks, no trailing garbage) and needs no QtNetwork.
    const QByteArray a = ip.toLatin1();
    if (a.isEmpty() || a.size() > 45 || ip != QString::fromLatin1(a))
        return false;
    unsigned char buf[16];
    return inet_pton(AF_INET, a.constData(), buf) == 1 ||
           inet_pton(AF_INET6, a.constData(), buf) == 1;
}

bool AddressRules::isValidCidr(const QString &cidr)
{
    const int slash = cidr.indexOf(QLatin1Char('/'));
    if (slash < 0)
        return false;
    const QString addr = cidr.left(slash);
    bool ok = false;
    const QString bitsText = cidr.mid(slash + 1);
    const int bits = bitsText.toInt(&ok);
    if (!ok || bitsText.isEmpty() || !bitsText.at(0).isDigit() || !isValidIpAddress(addr))
        return false;
    const int maxBits = addr.contains(QLatin1Char(':')) ? 128 : 32;
    return bits >= 0 && bits <= maxBits;
}

bool AddressRules::parseIpv4(const QString &ip, quint32 *out)
{
    const QByteArray a = ip.toLatin1();
    if (a.isEmpty() || a.size() > 15 || ip != QString::fromLatin1(a))
        return false;
    in_addr addr{};
    if (inet_pton(AF_INET, a.constData(), &addr) != 1)
        return false;
    *out = ntohl(addr.s_addr);
    return true;
}

QString AddressRules::ipv4Text(quint32 address)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(address >> 24)
        .arg((address >> 16) & 0xff)
        .arg((address >> 8) & 0xff)
        .arg(address & 0xff);
}

quint32 AddressRules::ipv4Mask(int prefix)
{
    if (prefix <= 0)
        return 0;
    if (prefix >= 32)
        return 0xffffffffu;
    return ~((quint32(1) << (32 - prefix)) - 1);
}

bool AddressRules::parseIpv4Cidr(const QString &cidr, quint32 *network, int *prefix)
{
    quint32 address = 0;
    const int slash = cidr.indexOf(QLatin1Char('/'));
    if (slash < 0 || !isValidCidr(cidr) || !parseIpv4(cidr.left(slash), &address))
        return false;
    *prefix = cidr.mid(slash + 1).toInt();
    *network = address & ipv4Mask(*prefix);
    return true;
}

QString AddressRules::normalizeMac(const QString &mac)
{
    QString hex;
    for (const QChar c : mac) {
        if (c == QLatin1Char(':') || c == QLatin1Char('-') || c == QLatin1Char('.'))
            continue;
        if (!isxdigit(c.unicode() < 128 ? c.toLatin1() : 'x'))
            return {};
        hex.append(c.toUpper());
    }
    if (hex.size() != 12)
        return {};
    QString out;
    for (int i = 0; i < 12; i += 2) {
        if (i)
            out.append(QLatin1Char(':'));
        out.append(hex.mid(i, 2));
    }
    return out;
}

bool AddressRules::isLocallyAdministered(const QString &mac)
{
    const QString n = normalizeMac(mac);
    if (n.isEmpty())
        return false;
    return (n.left(2).toInt(nullptr, 16) & 0x02) != 0;
}

} // namespace Hivelab
