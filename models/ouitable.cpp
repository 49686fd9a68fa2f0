// SPDX-License-Identifier: GPL-3.0-or-later
#include "ouitable.h"

#include <QFile>

#include <cctype>

namespace Hivelab {

namespace {

std::optional<quint64> macValue(const QString &mac)
{
    QString hex;
    hex.reserve(12);
    for (QChar c : mac) {
        if (c == QLatin1Char(':') || c == QLatin1Char('-') || c == QLatin1Char('.'))
            continue;
        if (!isxdigit(c.toLatin1()) || c.unicode() > 127)
            return std::nullopt;
        hex += c;
    }
    if (hex.size() != 12)
        return std::nullopt;
    bool ok = false;
    const quint64 v = hex.toULongLong(&ok, 16);
    return ok ? std::optional<quint64>(v) : std::nullopt;
}

} // namespace

const OuiTable &OuiTable::builtin()
{
    static const OuiTable table = [] {
        QFile f(QStringLiteral(":/hivelab/oui.csv"));
        if (!f.open(QIODevice::ReadOnly))
            qWarning("OUI table resource missing: vendors will show as unknown");
        return fromCsv(f.readAll());
    }();
    return table;
}

OuiTable OuiTable::fromCsv(const QByteArray &csv, int *skipped)
{
    OuiTable t;
    int bad = 0;
    for (const QByteArray &raw : csv.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const int comma = line.indexOf(',');
        bool ok = false;
        const quint32 oui = comma == 6 ? line.left(6).toUInt(&ok, 16) : 0;
        const QString vendor = QString::fromUtf8(line.mid(comma + 1)).trimmed();
        if (!ok || vendor.isEmpty()) {
            ++bad;
            continue;
        }
        t.m_vendors.insert(oui, vendor);
    }
    if (skipped)
        *skipped = bad;
    return t;
}

QString OuiTable::vendor(const QString &mac) const
{
    const auto v = macValue(mac);
    if (!v)
        return {};
    const quint32 oui = quint32(*v >> 24);
    if ((oui >> 8) == 0x0242)
        return QStringLiteral("Docker (virtual)");
    if (oui == 0x525400)
        return QStringLiteral("QEMU/KVM (virtual)");
    return m_vendors.value(oui);
}

std::optional<QString> OuiTable::normalizeMac(const QString &mac)
{
    const auto v = macValue(mac.trimmed());
    if (!v)
        return std::nullopt;
    QString out;
    for (int i = 5; i >= 0; --i) {
        out += QStringLiteral("%1").arg((*v >> (i * 8)) & 0xff, 2, 16, QLatin1Char('0')).toUpper();
        if (i)
            out += QLatin1Char(':');
    }
    return out;
}

bool OuiTable::isLocallyAdministered(const QString &mac)
{
    const auto v = macValue(mac);
    return v && ((*v >> 40) & 0x02);
}

bool OuiTable::isMulticast(const QString &mac)
{
    const auto v = macValue(mac);
    return v && ((*v >> 40) & 0x01);
}

} // namespace Hivelab
