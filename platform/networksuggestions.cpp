// SPDX-License-Identifier: GPL-3.0-or-later
#include "networksuggestions.h"
#include "scantargets.h"

#include <QNetworkInterface>

namespace Hivelab {

NetworkSuggestion NetworkSuggestions::suggest(const QString &interfaceName, quint32 address,
                                              int prefixLength)
{
    NetworkSuggestion s;
    s.interfaceName = interfaceName;
    s.localAddress = ScanTargets::formatIPv4(address);
    int prefix = qBound(0, prefixLength, 32);
    if (prefix < 16) {
        prefix = 24;
        s.note = tr("The network is larger than a /16; suggesting the /24 around this machine.");
    }
    const quint32 mask = prefix == 0 ? 0 : ~quint32(0) << (32 - prefix);
    s.cidr = QStringLiteral("%1/%2").arg(ScanTargets::formatIPv4(address & mask)).arg(prefix);
    const qint64 size = ScanTargets::prefixSize(prefix);
    s.hostCount = prefix <= 30 ? size - 2 : size;
    return s;
}

QList<NetworkSuggestion> NetworkSuggestions::fromInterfaces()
{
    QList<NetworkSuggestion> out;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        const auto flags = iface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning) ||
            (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &e : iface.addressEntries()) {
            if (e.ip().protocol() != QAbstractSocket::IPv4Protocol || e.prefixLength() < 0)
                continue;
            out << suggest(iface.humanReadableName(), e.ip().toIPv4Address(), e.prefixLength());
        }
    }
    return out;
}

} // namespace Hivelab
