// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconfig.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QProcess>
#include <QStandardPaths>

#include <pwd.h>
#include <unistd.h>

namespace Hivelab {

namespace {

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

// Answers are reused this long (many boards, repeated lookups), then asked again, so an edit
// of ~/.ssh/config counts without a restart.
constexpr qint64 CacheMs = 10000;

struct CachedAnswer
{
    qint64 at = 0;
    SshHostConfig config;
};

QMutex &cacheMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<QString, CachedAnswer> &cache()
{
    static QHash<QString, CachedAnswer> answers;
    return answers;
}

} // namespace

QString SshConfig::defaultPath()
{
    return QDir::homePath() + QStringLiteral("/.ssh/config");
}

bool SshConfig::load(const QString &path, QString *error)
{
    m_path = path;
    m_mode = Mode::Empty;
    m_ssh = QStandardPaths::findExecutable(QStringLiteral("ssh"));
    if (m_ssh.isEmpty()) {
        if (error)
            *error = QCoreApplication::translate(
                "SshConfig", "OpenSSH's ssh is not installed (openssh-client), so %1 is not "
                             "read.").arg(path);
        return false;
    }
    const bool isDefault = QDir::cleanPath(path) == QDir::cleanPath(defaultPath());
    QFile file(path);
    if (file.exists() && !file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    // The default path: ssh's own lookup, which adds /etc/ssh/ssh_config. ssh finds "~" in the
    // password database, Hivelab (like Qt) in $HOME: where they differ (a test's or a sandbox's
    // HOME), this HOME's config is passed by name and its ~ stands for $HOME.
    m_accountHome.clear();
    if (const passwd *pw = ::getpwuid(::geteuid())) {
        const QString account = QDir::cleanPath(QFile::decodeName(pw->pw_dir));
        if (account != QDir::cleanPath(QDir::homePath()))
            m_accountHome = account;
    }
    if (isDefault && m_accountHome.isEmpty())
        m_mode = Mode::SshDefaults;
    else
        m_mode = file.exists() ? Mode::File : Mode::Empty;
    return true;
}

QString SshConfig::cacheKey(const QString &alias, const QString &localUser) const
{
    return QString::number(int(m_mode)) + m_path + QLatin1Char('\n') + alias + QLatin1Char('\n') +
           localUser;
}

bool SshConfig::asksSsh(const QString &alias) const
{
    return m_mode != Mode::None && !alias.isEmpty() && !alias.startsWith(QLatin1Char('-'));
}

std::optional<SshHostConfig> SshConfig::known(const QString &key) const
{
    const auto mine = m_answers.constFind(key);
    if (mine != m_answers.constEnd())
        return *mine;
    QMutexLocker lock(&cacheMutex());
    const auto it = cache().constFind(key);
    if (it != cache().constEnd() && QDateTime::currentMSecsSinceEpoch() - it->at < CacheMs)
        return it->config;
    return std::nullopt;
}

bool SshConfig::answered(const QString &alias, const QString &localUser) const
{
    return !asksSsh(alias) || known(cacheKey(alias, localUser)).has_value();
}

QStringList SshConfig::arguments(const QString &alias) const
{
    QStringList args{QStringLiteral("-G")};
    if (m_mode == Mode::File)
        args << QStringLiteral("-F") << m_path;
    else if (m_mode == Mode::Empty)
        args << QStringLiteral("-F") << QStringLiteral("/dev/null");
    args << QStringLiteral("--") << alias;
    return args;
}

SshHostConfig SshConfig::answer(bool ok, const QByteArray &output, const QString &alias,
                                const QString &localUser) const
{
    SshHostConfig out;
    if (!ok) {
        out.hostName = alias;
        const QString why = QString::fromLocal8Bit(output).trimmed();
        out.error = why.isEmpty() ? QCoreApplication::translate(
                                        "SshConfig", "ssh -G %1 did not finish").arg(alias)
                                  : why;
    } else {
        out = fromResolved(output, alias, localUser);
        if (!m_accountHome.isEmpty()) {
            for (QString &f : out.knownHostsFiles) {
                if (f.startsWith(m_accountHome + QLatin1Char('/')))
                    f = QDir::homePath() + f.mid(m_accountHome.size());
            }
        }
    }
    QMutexLocker lock(&cacheMutex());
    if (cache().size() > 4096)
        cache().clear();
    cache().insert(cacheKey(alias, localUser), {QDateTime::currentMSecsSinceEpoch(), out});
    return out;
}

SshHostConfig SshConfig::resolve(const QString &alias, const QString &localUser) const
{
    if (!asksSsh(alias)) {
        SshHostConfig plain;
        plain.hostName = alias;
        return plain;
    }
    if (const std::optional<SshHostConfig> answer = known(cacheKey(alias, localUser)))
        return *answer;
    QProcess ssh;
    ssh.setStandardInputFile(QProcess::nullDevice());
    ssh.start(program(), arguments(alias));
    const bool finished = ssh.waitForFinished(TimeoutMs);
    const bool ok = finished && ssh.exitStatus() == QProcess::NormalExit && ssh.exitCode() == 0;
    if (!finished) {
        ssh.kill();
        ssh.waitForFinished(1000);
    }
    return answer(ok, ok ? ssh.readAllStandardOutput() : ssh.readAllStandardError(), alias,
                  localUser);
}

SshHostConfig SshConfig::fromResolved(const QByteArray &output, const QString &alias,
                                      const QString &localUser)
{
    SshHostConfig out;
    QStringList rawIdentities;
    QStringList rawKnownHosts;
    for (const QByteArray &rawLine : output.split('\n')) {
        const QString line = QString::fromUtf8(rawLine).trimmed();
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        if (space <= 0)
            continue;
        const QString key = line.left(space);
        const QString value = line.mid(space + 1).trimmed();
        if (key == QLatin1String("hostname")) {
            out.hostName = value;
        } else if (key == QLatin1String("user")) {
            out.user = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            const uint port = value.toUInt(&ok);
            out.port = ok && port > 0 && port < 65536 && port != 22 ? quint16(port) : 0;
        } else if (key == QLatin1String("identityfile")) {
            rawIdentities << value;
        } else if (key == QLatin1String("identitiesonly")) {
            out.identitiesOnly = value == QLatin1String("yes");
        } else if (key == QLatin1String("userknownhostsfile") ||
                   key == QLatin1String("globalknownhostsfile")) {
            rawKnownHosts << value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
    }
    if (out.hostName.isEmpty())
        out.hostName = alias;
    if (out.user == localUser)
        out.user.clear();
    for (const QString &raw : std::as_const(rawIdentities)) {
        const QString path = expandTokens(raw, out.hostName, out.user.isEmpty() ? localUser
                                                                                : out.user,
                                          localUser);
        if (!out.identityFiles.contains(path) && QFileInfo::exists(path))
            out.identityFiles << path;
    }
    for (const QString &raw : std::as_const(rawKnownHosts)) {
        const QString path = expandTokens(raw, out.hostName, out.user, localUser);
        if (!path.isEmpty() && path != QLatin1String("none") && !out.knownHostsFiles.contains(path))
            out.knownHostsFiles << path;
    }
    return out;
}

} // namespace Hivelab
