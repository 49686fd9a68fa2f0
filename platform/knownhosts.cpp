// SPDX-License-Identifier: GPL-3.0-or-later
#include "knownhosts.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>

namespace Hivelab {

namespace {

QMutex &fileMutex()
{
    static QMutex mutex;
    return mutex;
}

// OpenSSH's '*' and '?', case-insensitive. Iterative with one backtrack point: O(text x pattern)
// at worst, where the obvious recursion is exponential in the number of stars ("Host *a*a*a…"
// from a crafted ~/.ssh/config or known_hosts line).
bool globMatch(const QChar *t, const QChar *tEnd, const QChar *p, const QChar *pEnd)
{
    const QChar *star = nullptr; // last '*' seen in the pattern
    const QChar *resume = t;     // text position that star currently swallows up to
    while (t != tEnd) {
        if (p != pEnd && *p == QLatin1Char('*')) {
            star = ++p;
            resume = t;
        } else if (p != pEnd && (*p == QLatin1Char('?') || p->toLower() == t->toLower())) {
            ++p;
            ++t;
        } else if (star) {
            p = star;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p != pEnd && *p == QLatin1Char('*'))
        ++p;
    return p == pEnd;
}

bool hashedMatch(const QString &name, const QString &entry)
{
    // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    const QStringList parts = entry.split(QLatin1Char('|'));
    if (parts.size() != 4 || parts.at(1) != QLatin1String("1"))
        return false;
    const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
    const QByteArray hash = QByteArray::fromBase64(parts.at(3).toLatin1());
    return QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1) == hash;
}

bool hostFieldMatches(const QString &field, const QString &name)
{
    if (field.startsWith(QLatin1Char('|')))
        return hashedMatch(name, field);
    return KnownHosts::matchPatternList(name, field.split(QLatin1Char(','), Qt::SkipEmptyParts));
}

} // namespace

KnownHosts::KnownHosts(const QString &path)
    : m_path(path)
{}

KnownHosts::Check KnownHosts::checkAll(const QStringList &paths, const QString &host,
                                       quint16 port, const QByteArray &keyBlob)
{
    Check result;
    Check changed;
    for (const QString &path : paths) {
        Check c = KnownHosts(path).check(host, port, keyBlob);
        c.path = path;
        for (const QString &t : std::as_const(c.knownTypes)) {
            if (!result.knownTypes.contains(t))
                result.knownTypes << t;
        }
        if (c.status == Status::Revoked) {
            c.knownTypes = result.knownTypes;
            return c;
        }
        if (c.status == Status::Known && result.status != Status::Known) {
            result.status = Status::Known;
            result.line = c.line;
            result.path = path;
        } else if (c.status == Status::Changed && changed.status != Status::Changed) {
            changed = c;
        }
    }
    if (result.status != Status::Known && changed.status == Status::Changed) {
        result.status = Status::Changed;
        result.line = changed.line;
        result.path = changed.path;
    }
    return result;
}

QStringList KnownHosts::openSshFiles()
{
    const QString ssh = QDir::homePath() + QStringLiteral("/.ssh/");
    return {ssh + QStringLiteral("known_hosts"), ssh + QStringLiteral("known_hosts2"),
            QStringLiteral("/etc/ssh/ssh_known_hosts"),
            QStringLiteral("/etc/ssh/ssh_known_hosts2")};
}

QString KnownHosts::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/known_hosts");
}

QString KnownHosts::hostEntryName(const QString &host, quint16 port)
{
    if (port == 22 || port == 0)
        return host;
    return QStringLiteral("[%1]:%2").arg(host).arg(port);
}

bool KnownHosts::matchPatternList(const QString &text, const QStringList &patterns)
{
    // OpenSSH semantics: any matching negated pattern vetoes the list.
    bool matched = false;
    for (const QString &raw : patterns) {
        const bool negated = raw.startsWith(QLatin1Char('!'));
        const QString pattern = negated ? raw.mid(1) : raw;
        if (matchGlob(text, pattern)) {
            if (negated)
                return false;
            matched = true;
        }
    }
    return matched;
}

bool KnownHosts::matchGlob(const QString &text, const QString &pattern)
{
    return globMatch(text.constData(), text.constData() + text.size(), pattern.constData(),
                     pattern.constData() + pattern.size());
}

QString KnownHosts::fingerprintSha256(const QByteArray &keyBlob)
{
    const QByteArray digest = QCryptographicHash::hash(keyBlob, QCryptographicHash::Sha256);
    return QStringLiteral("SHA256:") +
           QString::fromLatin1(digest.toBase64(QByteArray::OmitTrailingEquals));
}

QString KnownHosts::keyType(const QByteArray &keyBlob)
{
    if (keyBlob.size() < 4)
        return QString();
    const auto *d = reinterpret_cast<const uchar *>(keyBlob.constData());
    const quint32 len = (quint32(d[0]) << 24) | (quint32(d[1]) << 16) | (quint32(d[2]) << 8) | d[3];
    if (len > quint32(keyBlob.size() - 4) || len > 64)
        return QString();
    return QString::fromLatin1(keyBlob.constData() + 4, int(len));
}

KnownHosts::Check KnownHosts::check(const QString &host, quint16 port,
                                    const QByteArray &keyBlob) const
{
    Check result;
    const QString name = hostEntryName(host, port);
    const QString type = keyType(keyBlob);
    QByteArray text;
    {
        QMutexLocker lock(&fileMutex());
        QFile file(m_path);
        if (!file.open(QIODevice::ReadOnly))
            return result;
        text = file.readAll();
    }
    int changedLine = 0;
    int otherTypeLine = 0;
    int knownLine = 0;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines.at(i)).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        QStringList fields = line.split(QRegularExpression(QStringLiteral("\\s+")));
        QString marker;
        if (fields.first().startsWith(QLatin1Char('@')))
            marker = fields.takeFirst();
        if (fields.size() < 3 || marker == QLatin1String("@cert-authority"))
            continue;
        if (!hostFieldMatches(fields.at(0), name))
            continue;
        const QByteArray blob = QByteArray::fromBase64(fields.at(2).toLatin1());
        if (marker == QLatin1String("@revoked")) {
            if (blob == keyBlob) {
                result.status = Status::Revoked;
                result.line = i + 1;
                return result;
            }
            continue;
        }
        if (!result.knownTypes.contains(fields.at(1)))
            result.knownTypes << fields.at(1);
        if (blob == keyBlob) {
            if (!knownLine)
                knownLine = i + 1;
        } else if (fields.at(1) == type) {
            if (!changedLine)
                changedLine = i + 1;
        } else if (!otherTypeLine) {
            otherTypeLine = i + 1;
        }
    }
    // Like OpenSSH: any matching line wins over a differing one. A host with keys on file
    // but none of the presented type has changed too (ssh's "Offending ECDSA key"): the
    // handshake asks for the types on file first, so only a server that lost them gets here.
    if (knownLine) {
        result.status = Status::Known;
        result.line = knownLine;
    } else if (changedLine || otherTypeLine) {
        result.status = Status::Changed;
        result.line = changedLine ? changedLine : otherTypeLine;
    }
    return result;
}

bool KnownHosts::add(const QString &host, quint16 port, const QByteArray &keyBlob, bool hashed,
                     QString *error) const
{
    QString name = hostEntryName(host, port);
    if (hashed) {
        QByteArray salt(20, Qt::Uninitialized);
        for (char &c : salt)
            c = char(QRandomGenerator::system()->bounded(256));
        const QByteArray mac =
            QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1);
        name = QStringLiteral("|1|%1|%2")
                   .arg(QString::fromLatin1(salt.toBase64()), QString::fromLatin1(mac.toBase64()));
    }
    const QByteArray line =
        name.toUtf8() + ' ' + keyType(keyBlob).toLatin1() + ' ' + keyBlob.toBase64() + '\n';

    QMutexLocker lock(&fileMutex());
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error =
                QCoreApplication::translate("Ssh", "Cannot create %1").arg(info.absolutePath());
        return false;
    }
    QFile::setPermissions(info.absolutePath(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        if (error)
            *error = QCoreApplication::translate("Ssh", "Cannot write %1: %2")
                         .arg(m_path, file.errorString());
        return false;
    }
    // A file edited by hand may lack its final newline.
    if (file.size() > 0) {
        QFile reader(m_path);
        if (reader.open(QIODevice::ReadOnly) && reader.seek(reader.size() - 1) &&
            reader.read(1) != "\n")
            file.write("\n");
    }
    if (file.write(line) != line.size() || !file.flush()) {
        if (error)
            *error = QCoreApplication::translate("Ssh", "Cannot write %1: %2")
                         .arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Hivelab
