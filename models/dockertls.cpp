// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockertls.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Hivelab::DockerTls {

QString boardFolder()
{
    return QStringLiteral("/etc/docker/hivelab");
}

QString boardCaPath()
{
    return boardFolder() + QStringLiteral("/ca.pem");
}

QString boardCertificatePath()
{
    return boardFolder() + QStringLiteral("/server-cert.pem");
}

QString boardKeyPath()
{
    return boardFolder() + QStringLiteral("/server-key.pem");
}

namespace {

QString tlsHost()
{
    return QStringLiteral("tcp://0.0.0.0:%1").arg(Port);
}

} // namespace

std::optional<QByteArray> mergeDaemonJson(const QByteArray &existing, const QStringList &unixHosts,
                                          QString *error)
{
    QJsonObject config;
    if (!existing.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(existing, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            *error = parseError.error != QJsonParseError::NoError
                         ? QStringLiteral("daemon.json is not valid JSON (%1 at byte %2)")
                               .arg(parseError.errorString())
                               .arg(parseError.offset)
                         : QStringLiteral("daemon.json is not a JSON object");
            return std::nullopt;
        }
        config = doc.object();
    }
    QStringList hosts;
    const auto addUnix = [&hosts](const QString &host) {
        if (host.startsWith(QLatin1String("unix://")) && !hosts.contains(host))
            hosts << host;
    };
    for (const QJsonValue &v : config.value(QLatin1String("hosts")).toArray())
        addUnix(v.toString());
    for (const QString &h : unixHosts)
        addUnix(h);
    if (hosts.isEmpty())
        hosts << QStringLiteral("unix:///var/run/docker.sock");
    hosts << tlsHost();
    config.insert(QStringLiteral("hosts"), QJsonArray::fromStringList(hosts));
    config.insert(QStringLiteral("tls"), true);
    config.insert(QStringLiteral("tlsverify"), true);
    config.insert(QStringLiteral("tlscacert"), boardCaPath());
    config.insert(QStringLiteral("tlscert"), boardCertificatePath());
    config.insert(QStringLiteral("tlskey"), boardKeyPath());
    return QJsonDocument(config).toJson(QJsonDocument::Indented);
}

bool daemonJsonHasTls(const QByteArray &daemonJson)
{
    const QJsonObject c = QJsonDocument::fromJson(daemonJson).object();
    return c.value(QLatin1String("tlsverify")).toBool() &&
           c.value(QLatin1String("tlscacert")).toString() == boardCaPath() &&
           c.value(QLatin1String("hosts")).toArray().contains(tlsHost());
}

DaemonArguments splitDaemonArguments(const QStringList &argv)
{
    // Flags that take a value when not given as --flag=value.
    static const QStringList withValue = {
        QStringLiteral("-H"), QStringLiteral("--host"), QStringLiteral("--tlscacert"),
        QStringLiteral("--tlscert"), QStringLiteral("--tlskey")};
    DaemonArguments split;
    for (int i = 0; i < argv.size(); ++i) {
        const QString &a = argv.at(i);
        const QString name = a.section(QLatin1Char('='), 0, 0);
        const bool host = name == QLatin1String("-H") || name == QLatin1String("--host");
        const bool tls = name.startsWith(QLatin1String("--tls"));
        if (i > 0 && a.startsWith(QLatin1String("-H")) && a.size() > 2 && a.at(2) != QLatin1Char('=')) {
            split.hosts << a.mid(2); // -Hunix:///…
            continue;
        }
        if (i == 0 || (!host && !tls)) {
            split.args << a;
            continue;
        }
        QString value;
        if (a.contains(QLatin1Char('='))) {
            value = a.section(QLatin1Char('='), 1);
        } else if (withValue.contains(name) && i + 1 < argv.size()) {
            value = argv.at(++i);
        }
        if (host)
            split.hosts << value;
    }
    return split;
}

QStringList systemdExecStart(const QString &showOutput)
{
    static const QRegularExpression argvRe(QStringLiteral("argv\\[\\]=([^;]*)"));
    const QRegularExpressionMatch m = argvRe.match(showOutput);
    if (!m.hasMatch())
        return {};
    return m.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList hostAddresses(const QString &ipAddrOutput)
{
    QStringList out;
    for (const QString &line : ipAddrOutput.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        // "2: eth0    inet 10.77.0.11/24 brd 10.77.0.255 scope global eth0\       valid_lft …"
        const QStringList f = line.simplified().split(QLatin1Char(' '));
        if (f.size() < 4 || (f.at(2) != QLatin1String("inet") && f.at(2) != QLatin1String("inet6")))
            continue;
        const QString ifname = f.at(1).section(QLatin1Char('@'), 0, 0);
        if (ifname == QLatin1String("lo") || ifname.startsWith(QLatin1String("docker")) ||
            ifname.startsWith(QLatin1String("br-")) || ifname.startsWith(QLatin1String("veth")))
            continue;
        const int scope = int(f.indexOf(QStringLiteral("scope")));
        if (scope > 0 && scope + 1 < f.size() && f.at(scope + 1) != QLatin1String("global") &&
            f.at(scope + 1) != QLatin1String("site"))
            continue;
        const QString address = f.at(3).section(QLatin1Char('/'), 0, 0);
        if (!address.isEmpty() && !out.contains(address))
            out << address;
    }
    return out;
}

QString contextName(const QString &labName)
{
    static const QRegularExpression other(QStringLiteral("[^a-z0-9._-]+"));
    QString name = labName.toLower().replace(other, QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('-')) || name.startsWith(QLatin1Char('.')))
        name.remove(0, 1);
    if (name.isEmpty())
        name = QStringLiteral("lab");
    return QStringLiteral("hivelab-") + name;
}

QString sshContextName(const QString &labName)
{
    return contextName(labName) + QStringLiteral("-ssh");
}

QString sshDockerHost(const QString &user, const QString &host, int port)
{
    const QString at = user.isEmpty() ? QString() : user + QLatin1Char('@');
    const QString suffix = port == 22 ? QString() : QStringLiteral(":%1").arg(port);
    return QStringLiteral("ssh://") + at + host + suffix;
}

} // namespace Hivelab::DockerTls
