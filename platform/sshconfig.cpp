// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconfig.h"

#include "knownhosts.h"

#include <QDir>
#include <QFile>

namespace Hivelab {

namespace {

// Splits arguments like OpenSSH's argv_split: whitespace separated, double quotes group.
QStringList splitArgs(const QString &text)
{
    QStringList out;
    QString current;
    bool inQuotes = false;
    bool have = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            inQuotes = !inQuotes;
            have = true;
        } else if (!inQuotes && c.isSpace()) {
            if (have)
                out << current;
            current.clear();
            have = false;
        } else {
            current += c;
            have = true;
        }
    }
    if (have)
        out << current;
    return out;
}

QString expandTokens(QString value, const QString &host, const QString &remoteUser,
                     const QString &localUser)
{
    const QString home = QDir::homePath();
    if (value == QLatin1String("~"))
        value = home;
    else if (value.startsWith(QLatin1String("~/")))
        value = home + value.mid(1);
    QString out;
    for (int i = 0; i < value.size(); ++i) {
        if (value.at(i) != QLatin1Char('%') || i + 1 >= value.size()) {
            out += value.at(i);
            continue;
        }
        const QChar t = value.at(++i);
        if (t == QLatin1Char('d'))
            out += home;
        else if (t == QLatin1Char('h'))
            out += host;
        else if (t == QLatin1Char('r'))
            out += remoteUser;
        else if (t == QLatin1Char('u'))
            out += localUser;
        else if (t == QLatin1Char('%'))
            out += QLatin1Char('%');
        else
            out += QLatin1Char('%') + t;
    }
    return out;
}

} // namespace

QString SshConfig::defaultPath()
{
    return QDir::homePath() + QStringLiteral("/.ssh/config");
}

bool SshConfig::load(const QString &path, QString *error)
{
    m_blocks.clear();
    QFile file(path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    parse(file.readAll());
    return true;
}

void SshConfig::parse(const QByteArray &text)
{
    m_blocks.clear();
    m_blocks.append(Block{}); // global section
    for (const QByteArray &rawLine : text.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        // "Key Value", "Key=Value" and "Key = Value" are all valid.
        int sep = 0;
        while (sep < line.size() && !line.at(sep).isSpace() && line.at(sep) != QLatin1Char('='))
            ++sep;
        const QString key = line.left(sep).toLower();
        QString rest = line.mid(sep).trimmed();
        if (rest.startsWith(QLatin1Char('=')))
            rest = rest.mid(1).trimmed();
        if (key == QLatin1String("host")) {
            Block block;
            block.patterns = splitArgs(rest);
            m_blocks.append(block);
        } else if (key == QLatin1String("match")) {
            Block block;
            block.isMatch = true;
            m_blocks.append(block);
        } else {
            m_blocks.last().options.append({key, rest});
        }
    }
}

SshHostConfig SshConfig::resolve(const QString &alias, const QString &localUser) const
{
    SshHostConfig out;
    QStringList rawIdentities;
    bool haveIdentitiesOnly = false;
    for (const Block &block : m_blocks) {
        if (block.isMatch)
            continue;
        if (!block.patterns.isEmpty() && !KnownHosts::matchPatternList(alias, block.patterns))
            continue;
        for (const auto &[key, value] : block.options) {
            const QStringList args = splitArgs(value);
            if (args.isEmpty())
                continue;
            const QString &arg = args.first();
            if (key == QLatin1String("hostname") && out.hostName.isEmpty()) {
                out.hostName = arg;
            } else if (key == QLatin1String("user") && out.user.isEmpty()) {
                out.user = arg;
            } else if (key == QLatin1String("port") && out.port == 0) {
                bool ok = false;
                const uint port = arg.toUInt(&ok);
                if (ok && port > 0 && port < 65536)
                    out.port = quint16(port);
            } else if (key == QLatin1String("identityfile")) {
                rawIdentities << arg;
            } else if (key == QLatin1String("identitiesonly") && !haveIdentitiesOnly) {
                haveIdentitiesOnly = true;
                out.identitiesOnly = arg.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0;
            }
        }
    }
    // %h in HostName is the alias; elsewhere it is the final host name.
    out.hostName =
        out.hostName.isEmpty() ? alias : expandTokens(out.hostName, alias, out.user, localUser);
    for (const QString &raw : rawIdentities) {
        const QString path = expandTokens(raw, out.hostName, out.user, localUser);
        if (!out.identityFiles.contains(path))
            out.identityFiles << path;
    }
    return out;
}

} // namespace Hivelab
