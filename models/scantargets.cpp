// SPDX-License-Identifier: GPL-3.0-or-later
#include "scantargets.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace Hivelab {

namespace {

// Fixed grouping so messages read the same whatever the locale ("65,536").
QString grouped(qint64 n)
{
    QString s = QString::number(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3)
        s.insert(i, QLatin1Char(','));
    return s;
}

// Between targets or ports: commas, semicolons, white space.
const QRegularExpression &listSeparators()
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    return separators;
}

QString tooMany(qint64 count)
{
    return QCoreApplication::translate("ScanTargets",
                                       "%1 addresses is too many to scan at once; the limit is "
                                       "%2 (a /16). Give a smaller network or range.")
        .arg(grouped(count), grouped(ScanTargets::MaxAddresses));
}

bool isIPv6Literal(const QString &t)
{
    static const QRegularExpression re(QStringLiteral("^[0-9A-Fa-f:.]+$"));
    return t.count(QLatin1Char(':')) >= 2 && re.match(t).hasMatch();
}

// Appends [first, last] to out; the caller has checked the size.
void appendRange(quint32 first, quint32 last, QStringList *out, QSet<QString> *seen)
{
    for (quint64 a = first; a <= last; ++a) {
        const QString s = ScanTargets::formatIPv4(quint32(a));
        if (!seen->contains(s)) {
            seen->insert(s);
            out->append(s);
        }
    }
}

} // namespace

std::optional<quint32> ScanTargets::parseIPv4(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    quint32 value = 0;
    for (const QString &p : parts) {
        // No leading '+', no octal-looking "010", at most 3 digits.
        if (p.isEmpty() || p.size() > 3 || (p.size() > 1 && p.startsWith(QLatin1Char('0'))))
            return std::nullopt;
        for (QChar c : p) {
            if (!c.isDigit() || c.unicode() > '9')
                return std::nullopt;
        }
        const int n = p.toInt();
        if (n > 255)
            return std::nullopt;
        value = (value << 8) | quint32(n);
    }
    return value;
}

QString ScanTargets::formatIPv4(quint32 a)
{
    return QStringLiteral("%1.%2.%3.%4")
        .arg(a >> 24)
        .arg((a >> 16) & 0xff)
        .arg((a >> 8) & 0xff)
        .arg(a & 0xff);
}

bool ScanTargets::isHostName(const QString &text)
{
    static const QRegularExpression label(
        QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"));
    if (text.isEmpty() || text.size() > 253)
        return false;
    QString t = text;
    if (t.endsWith(QLatin1Char('.')))
        t.chop(1);
    const QStringList labels = t.split(QLatin1Char('.'));
    for (const QString &l : labels) {
        if (!label.match(l).hasMatch())
            return false;
    }
    // All-numeric dotted names are malformed addresses, not host names.
    static const QRegularExpression numeric(QStringLiteral("^[0-9.]+$"));
    return !numeric.match(t).hasMatch();
}

std::optional<QStringList> ScanTargets::parse(const QString &spec, QString *error)
{
    return parse(QStringList{spec}, error);
}

std::optional<QList<int>> ScanTargets::parsePorts(const QString &text, QString *error)
{
    QList<int> ports;
    for (const QString &p : text.split(listSeparators(), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int n = p.toInt(&ok);
        if (!ok || n < 1 || n > 65535 || p.startsWith(QLatin1Char('+'))) {
            *error = QCoreApplication::translate("ScanTargets",
                                                 "\"%1\" is not a port; give port numbers "
                                                 "1-65535, e.g. 22,2222.")
                         .replace(QStringLiteral("%1"), p);
            return std::nullopt;
        }
        if (!ports.contains(n))
            ports << n;
    }
    return ports;
}

std::optional<QStringList> ScanTargets::parse(const QStringList &specs, QString *error)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("ScanTargets", s); };
    QStringList tokens;
    for (const QString &s : specs)
        tokens += s.split(listSeparators(), Qt::SkipEmptyParts);
    if (tokens.isEmpty()) {
        *error = tr("No scan target given: enter a network (10.0.0.0/24), a range "
                    "(10.0.0.5-40) or addresses.");
        return std::nullopt;
    }

    QStringList out;
    QSet<QString> seen;
    qint64 total = 0;
    for (const QString &token : tokens) {
        const int slash = token.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            const QString addr = token.left(slash);
            bool ok = false;
            const int prefix = token.mid(slash + 1).toInt(&ok);
            if (isIPv6Literal(addr)) {
                if (!ok || prefix != 128) {
                    *error = tr("IPv6 networks cannot be scanned (too large): give single IPv6 "
                                "addresses instead of %1.")
                                 .replace(QStringLiteral("%1"), token);
                    return std::nullopt;
                }
                total += 1;
                if (!seen.contains(addr.toLower())) {
                    seen.insert(addr.toLower());
                    out.append(addr.toLower());
                }
                continue;
            }
            const auto base = parseIPv4(addr);
            if (!base || !ok || prefix < 0 || prefix > 32 ||
                token.mid(slash + 1).contains(QLatin1Char('+'))) {
                *error = tr("\"%1\" is not a valid network; expected e.g. 10.0.0.0/24.")
                             .replace(QStringLiteral("%1"), token);
                return std::nullopt;
            }
            const qint64 size = prefixSize(prefix);
            if (size > MaxAddresses || total + size > MaxAddresses) {
                *error = tooMany(total + size);
                return std::nullopt;
            }
            const quint32 mask = prefix == 0 ? 0 : ~quint32(0) << (32 - prefix);
            quint32 first = *base & mask;
            quint32 last = first | ~mask;
            if (prefix <= 30) { // network and broadcast address are no hosts
                ++first;
                --last;
            }
            total += size;
            appendRange(first, last, &out, &seen);
            continue;
        }
        const int dash = token.indexOf(QLatin1Char('-'));
        if (dash > 0) {
            const auto first = parseIPv4(token.left(dash));
            const QString rest = token.mid(dash + 1);
            if (first) {
                std::optional<quint32> last = parseIPv4(rest);
                if (!last) {
                    bool ok = false;
                    const int octet = rest.toInt(&ok);
                    if (ok && octet >= 0 && octet <= 255 && !rest.contains(QLatin1Char('+')))
                        last = (*first & 0xffffff00u) | quint32(octet);
                }
                if (!last) {
                    *error = tr("\"%1\" is not a valid range; expected e.g. 10.0.0.5-10.0.0.40 "
                                "or 10.0.0.5-40.")
                                 .replace(QStringLiteral("%1"), token);
                    return std::nullopt;
                }
                if (*last < *first) {
                    *error = tr("Range \"%1\" ends before it starts.")
                                 .replace(QStringLiteral("%1"), token);
                    return std::nullopt;
                }
                const qint64 size = qint64(*last) - qint64(*first) + 1;
                if (size > MaxAddresses || total + size > MaxAddresses) {
                    *error = tooMany(total + size);
                    return std::nullopt;
                }
                total += size;
                appendRange(*first, *last, &out, &seen);
                continue;
            }
            // Not an address range: fall through, "pine64-1" is a host name.
        }
        QString host;
        if (const auto a = parseIPv4(token)) {
            host = formatIPv4(*a);
        } else if (isIPv6Literal(token)) {
            host = token.toLower();
        } else if (isHostName(token)) {
            host = token.toLower();
        } else {
            *error = tr("\"%1\" is neither an address, a network, a range nor a host name.")
                         .replace(QStringLiteral("%1"), token);
            return std::nullopt;
        }
        if (++total > MaxAddresses) {
            *error = tooMany(total);
            return std::nullopt;
        }
        if (!seen.contains(host)) {
            seen.insert(host);
            out.append(host);
        }
    }
    return out;
}

} // namespace Hivelab
