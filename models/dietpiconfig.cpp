// SPDX-License-Identifier: GPL-3.0-or-later
#include "dietpiconfig.h"

#include "addressrules.h"

#include <QCoreApplication>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QRegularExpression>

namespace Hivelab {

namespace {

struct Line
{
    QByteArray text; // without its line ending
    QByteArray end;  // "\n", "\r\n" or "" (a last line without one)
};

QList<Line> splitLines(const QByteArray &text)
{
    QList<Line> lines;
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype nl = text.indexOf('\n', start);
        if (nl < 0) {
            lines.append({text.mid(start), QByteArray()});
            break;
        }
        const bool cr = nl > start && text.at(nl - 1) == '\r';
        lines.append({text.mid(start, nl - start - (cr ? 1 : 0)), cr ? "\r\n" : "\n"});
        start = nl + 1;
    }
    return lines;
}

/// The key a line sets as DietPi reads it (blanks, then KEY=), or empty.
QByteArray keyOf(const QByteArray &line)
{
    qsizetype i = 0;
    while (i < line.size() && (line.at(i) == ' ' || line.at(i) == '\t'))
        ++i;
    const qsizetype eq = line.indexOf('=', i);
    if (eq <= i)
        return {};
    const QByteArray key = line.mid(i, eq - i);
    for (const char c : key) {
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              (c >= 'a' && c <= 'z')))
            return {};
    }
    return key;
}

QByteArray valueOf(const QByteArray &line)
{
    return line.mid(line.indexOf('=') + 1);
}

} // namespace

QList<DietPiConfig::Setting> DietPiConfig::settings(const BoardIdentity &id,
                                                    const QStringList &authorizedKeys,
                                                    SshServer server)
{
    QList<Setting> s;
    auto set = [&s](const char *key, const QString &value) {
        s.append({QLatin1String(key), value});
    };
    set("AUTO_SETUP_NET_HOSTNAME", id.hostname);
    set("AUTO_SETUP_NET_ETHERNET_ENABLED", QStringLiteral("1"));
    const bool isStatic = id.addressing == Addressing::Static;
    set("AUTO_SETUP_NET_USESTATIC", isStatic ? QStringLiteral("1") : QStringLiteral("0"));
    if (isStatic) {
        set("AUTO_SETUP_NET_STATIC_IP", id.address);
        set("AUTO_SETUP_NET_STATIC_MASK",
            AddressRules::ipv4Text(AddressRules::ipv4Mask(id.prefixLength)));
        set("AUTO_SETUP_NET_STATIC_GATEWAY", id.gateway);
        set("AUTO_SETUP_NET_STATIC_DNS", id.dns.join(QLatin1Char(' ')));
    }
    // dietpi.txt: -1 Dropbear, -2 OpenSSH.
    set("AUTO_SETUP_SSH_SERVER_INDEX",
        server == SshServer::Dropbear ? QStringLiteral("-1") : QStringLiteral("-2"));
    for (const QString &key : authorizedKeys)
        set("AUTO_SETUP_SSH_PUBKEY", key.trimmed());
    if (!id.timezone.isEmpty())
        set("AUTO_SETUP_TIMEZONE", id.timezone);
    if (!id.locale.isEmpty())
        set("AUTO_SETUP_LOCALE", id.locale);
    set("AUTO_SETUP_AUTOMATED", QStringLiteral("1"));
    return s;
}

QList<DietPiConfig::Setting> DietPiConfig::loginSettings(const QString &password)
{
    return {{QStringLiteral("AUTO_SETUP_GLOBAL_PASSWORD"), password},
            {QStringLiteral("SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS"), QStringLiteral("1")}};
}

QString DietPiConfig::randomPassword()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString password(24, Qt::Uninitialized);
    for (QChar &c : password)
        c = QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]);
    return password;
}

bool DietPiConfig::edit(const QByteArray &original, const QList<Setting> &settings,
                        QByteArray *out, QString *error)
{
    static const QRegularExpression keyPattern(QStringLiteral("^[A-Z0-9_]+$"));
    // Group the values per key, keys in first-given order.
    QList<QByteArray> keys;
    QHash<QByteArray, QList<QByteArray>> byKey;
    for (const Setting &s : settings) {
        if (!keyPattern.match(s.first).hasMatch()) {
            *error = QCoreApplication::translate("DietPiConfig", "\"%1\" is not a dietpi.txt key")
                         .arg(s.first);
            return false;
        }
        if (s.second.contains(QLatin1Char('\n')) || s.second.contains(QLatin1Char('\r'))) {
            *error = QCoreApplication::translate("DietPiConfig",
                                                 "the value of %1 holds a line break")
                         .arg(s.first);
            return false;
        }
        const QByteArray key = s.first.toLatin1();
        if (!byKey.contains(key))
            keys.append(key);
        byKey[key].append(s.second.toUtf8());
    }
    const QList<Line> lines = splitLines(original);
    // A file written on Windows keeps its CRLF endings in the lines we add.
    const QByteArray newline =
        !lines.isEmpty() && lines.first().end == "\r\n" ? QByteArray("\r\n") : QByteArray("\n");
    QSet<QByteArray> done;
    QByteArray result;
    result.reserve(original.size() + 256);
    for (const Line &line : lines) {
        const QByteArray key = keyOf(line.text);
        if (key.isEmpty() || !byKey.contains(key) || done.contains(key)) {
            result += line.text + line.end;
            continue;
        }
        done.insert(key);
        // Keep the line's own indentation; every further value gets a line of its own.
        const QByteArray indent = line.text.left(line.text.indexOf(key));
        const QList<QByteArray> &v = byKey.value(key);
        for (int i = 0; i < v.size(); ++i) {
            const bool last = i + 1 == v.size();
            result += (i == 0 ? indent : QByteArray()) + key + '=' + v.at(i) +
                      (last ? line.end : newline);
        }
    }
    bool needNewline = !original.isEmpty() && !original.endsWith('\n');
    for (const QByteArray &key : std::as_const(keys)) {
        if (done.contains(key))
            continue;
        if (needNewline) {
            result += newline;
            needNewline = false;
        }
        for (const QByteArray &v : byKey.value(key))
            result += key + '=' + v + newline;
    }
    *out = result;
    return true;
}

QString DietPiConfig::value(const QByteArray &text, const QString &key)
{
    const QByteArray k = key.toLatin1();
    for (const Line &line : splitLines(text)) {
        if (keyOf(line.text) == k)
            return QString::fromUtf8(valueOf(line.text));
    }
    return {};
}

QStringList DietPiConfig::values(const QByteArray &text, const QString &key)
{
    const QByteArray k = key.toLatin1();
    QStringList out;
    for (const Line &line : splitLines(text)) {
        if (keyOf(line.text) == k)
            out.append(QString::fromUtf8(valueOf(line.text)));
    }
    return out;
}

} // namespace Hivelab
