// SPDX-License-Identifier: GPL-3.0-or-later
#include "neighbourtable.h"
#include "ouitable.h"

#include <QFile>

namespace Hivelab {

QHash<QString, NeighbourTable::Entry> NeighbourTable::parse(const QByteArray &procNetArp)
{
    // "IP address  HW type  Flags  HW address  Mask  Device", one header line.
    QHash<QString, Entry> out;
    const QList<QByteArray> lines = procNetArp.split('\n');
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].simplified().split(' ');
        if (f.size() < 6)
            continue;
        bool ok = false;
        const uint flags = f[2].toUInt(&ok, 16);
        if (!ok)
            continue;
        Entry e;
        // Incomplete entries (a scan leaves hundreds) skip the MAC parsing.
        if (flags & 0x2) {
            const auto mac = OuiTable::normalizeMac(QString::fromLatin1(f[3]));
            if (!mac)
                continue;
            e.complete = *mac != QLatin1String("00:00:00:00:00:00");
            e.mac = e.complete ? *mac : QString();
        }
        e.device = QString::fromLatin1(f[5]);
        out.insert(QString::fromLatin1(f[0]), e);
    }
    return out;
}

QHash<QString, NeighbourTable::Entry> NeighbourTable::read()
{
    QFile f(QStringLiteral("/proc/net/arp"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return parse(f.read(4 * 1024 * 1024));
}

} // namespace Hivelab
