// SPDX-License-Identifier: GPL-3.0-or-later
#include "cloudinitconfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

namespace {

BoardIdentity staticIdentity()
{
    BoardIdentity id;
    id.boardId = QStringLiteral("node-1");
    id.hostname = QStringLiteral("node-1");
    id.user = QStringLiteral("pi");
    id.addressing = Addressing::Static;
    id.address = QStringLiteral("10.77.0.10");
    id.prefixLength = 24;
    id.gateway = QStringLiteral("10.77.0.1");
    id.dns = {QStringLiteral("10.77.0.2"), QStringLiteral("9.9.9.9")};
    id.timezone = QStringLiteral("Europe/Berlin");
    id.locale = QStringLiteral("en_GB.UTF-8");
    id.instanceId = QStringLiteral("hivelab-node-1-0000beef");
    return id;
}

const QStringList kKeys = {QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake laptop: \"me\"\n"),
                           QStringLiteral("ssh-rsa AAAAB3Nza second")};

/// YAML → JSON through PyYAML (the parser cloud-init itself uses); null when it is missing.
std::optional<QJsonValue> parseYaml(const QByteArray &yaml, QString *why)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin.buffer), "
                            "sys.stdout)")});
    if (!p.waitForStarted(10000)) {
        *why = QStringLiteral("no /usr/bin/python3");
        return std::nullopt;
    }
    p.write(yaml);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        *why = QString::fromUtf8(p.readAllStandardError());
        return std::nullopt;
    }
    const QJsonDocument doc = QJsonDocument::fromJson("[" + p.readAllStandardOutput() + "]");
    return doc.array().at(0);
}

bool havePyYaml()
{
    return QProcess::execute(QStringLiteral("/usr/bin/python3"),
                             {QStringLiteral("-c"), QStringLiteral("import yaml")}) == 0;
}

/// Runs the installed cloud-init; exit code and output.
int cloudInit(const QStringList &args, QByteArray *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("cloud-init"), args);
    if (!p.waitForFinished(60000))
        return -1;
    *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestCloudInitConfig : public QObject
{
    Q_OBJECT
private slots:
    void userDataParsesBack()
    {
        const QByteArray ud = CloudInitConfig::userData(staticIdentity(), kKeys);
        QVERIFY(ud.startsWith("#cloud-config\n"));
        if (!havePyYaml())
            QSKIP("python3-yaml is not installed");
        QString why;
        const auto v = parseYaml(ud, &why);
        QVERIFY2(v, qPrintable(why));
        const QJsonObject o = v->toObject();
        QCOMPARE(o.value(QLatin1String("hostname")).toString(), QStringLiteral("node-1"));
        QCOMPARE(o.value(QLatin1String("timezone")).toString(), QStringLiteral("Europe/Berlin"));
        QCOMPARE(o.value(QLatin1String("locale")).toString(), QStringLiteral("en_GB.UTF-8"));
        QCOMPARE(o.value(QLatin1String("ssh_pwauth")).toBool(true), false);
        const QJsonObject user = o.value(QLatin1String("users")).toArray().at(0).toObject();
        QCOMPARE(user.value(QLatin1String("name")).toString(), QStringLiteral("pi"));
        QCOMPARE(user.value(QLatin1String("sudo")).toString(),
                 QStringLiteral("ALL=(ALL) NOPASSWD:ALL"));
        const QJsonArray keys = user.value(QLatin1String("ssh_authorized_keys")).toArray();
        QCOMPARE(keys.size(), 2);
        // Quotes and ": " in a key comment survive; the trailing line break is trimmed.
        QCOMPARE(keys.at(0).toString(),
                 QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake laptop: \"me\""));
        QCOMPARE(keys.at(1).toString(), QStringLiteral("ssh-rsa AAAAB3Nza second"));
    }

    void awkwardHostnameStaysAString()
    {
        // YAML 1.1 reads a bare `on` as true: quoting keeps it a name.
        BoardIdentity id = staticIdentity();
        id.hostname = QStringLiteral("on");
        if (!havePyYaml())
            QSKIP("python3-yaml is not installed");
        QString why;
        const auto v = parseYaml(CloudInitConfig::metaData(id), &why);
        QVERIFY2(v, qPrintable(why));
        QCOMPARE(v->toObject().value(QLatin1String("local-hostname")), QJsonValue(QStringLiteral("on")));
        QCOMPARE(v->toObject().value(QLatin1String("instance-id")).toString(),
                 QStringLiteral("hivelab-node-1-0000beef"));
    }

    void networkConfigParsesBack()
    {
        const QByteArray nc = CloudInitConfig::networkConfig(staticIdentity());
        QVERIFY(!nc.contains("default"));
        if (!havePyYaml())
            QSKIP("python3-yaml is not installed");
        QString why;
        const auto v = parseYaml(nc, &why);
        QVERIFY2(v, qPrintable(why));
        const QJsonObject o = v->toObject();
        QCOMPARE(o.value(QLatin1String("version")).toInt(), 2);
        const QJsonObject eth =
            o.value(QLatin1String("ethernets")).toObject().value(QLatin1String("eth0")).toObject();
        QCOMPARE(eth.value(QLatin1String("dhcp4")).toBool(true), false);
        QCOMPARE(eth.value(QLatin1String("addresses")).toArray().at(0).toString(),
                 QStringLiteral("10.77.0.10/24"));
        const QJsonObject route = eth.value(QLatin1String("routes")).toArray().at(0).toObject();
        QCOMPARE(route.value(QLatin1String("to")).toString(), QStringLiteral("0.0.0.0/0"));
        QCOMPARE(route.value(QLatin1String("via")).toString(), QStringLiteral("10.77.0.1"));
        QCOMPARE(eth.value(QLatin1String("nameservers"))
                     .toObject()
                     .value(QLatin1String("addresses"))
                     .toArray()
                     .size(),
                 2);

        BoardIdentity dhcp = staticIdentity();
        dhcp.addressing = Addressing::Dhcp;
        const auto d = parseYaml(CloudInitConfig::networkConfig(dhcp), &why);
        QVERIFY2(d, qPrintable(why));
        QCOMPARE(d->toObject()
                     .value(QLatin1String("ethernets"))
                     .toObject()
                     .value(QLatin1String("eth0"))
                     .toObject()
                     .value(QLatin1String("dhcp4"))
                     .toBool(),
                 true);
    }

    void acceptedByInstalledCloudInit()
    {
        // The real cloud-init of this machine (Debian 12: 22.4): `schema` checks the
        // cloud-config, `devel net-convert` runs the network config through the same parser
        // and ifupdown renderer a first boot uses.
        if (QStandardPaths::findExecutable(QStringLiteral("cloud-init")).isEmpty())
            QSKIP("cloud-init is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const BoardIdentity id = staticIdentity();
        QVERIFY(writeFile(dir.filePath(QStringLiteral("user-data")),
                          CloudInitConfig::userData(id, kKeys)));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("network-config")),
                          CloudInitConfig::networkConfig(id)));
        QByteArray out;
        QCOMPARE(cloudInit({QStringLiteral("schema"), QStringLiteral("--config-file"),
                            dir.filePath(QStringLiteral("user-data"))},
                           &out),
                 0);
        QVERIFY2(out.contains("Valid cloud-config"), out.constData());

        auto convert = [&dir, &out](const QString &input, const QString &outDir) {
            return cloudInit({QStringLiteral("devel"), QStringLiteral("net-convert"),
                              QStringLiteral("-p"), input, QStringLiteral("-k"),
                              QStringLiteral("yaml"), QStringLiteral("-d"), dir.filePath(outDir),
                              QStringLiteral("-D"), QStringLiteral("debian"), QStringLiteral("-O"),
                              QStringLiteral("eni")},
                             &out);
        };
        QCOMPARE(convert(dir.filePath(QStringLiteral("network-config")), QStringLiteral("eni")),
                 0);
        QFile eni(dir.filePath(QStringLiteral("eni/etc/network/interfaces.d/50-cloud-init")));
        QVERIFY2(eni.open(QIODevice::ReadOnly), out.constData());
        const QByteArray rendered = eni.readAll();
        QVERIFY2(rendered.contains("iface eth0 inet static"), rendered.constData());
        QVERIFY2(rendered.contains("address 10.77.0.10/24"), rendered.constData());
        QVERIFY2(rendered.contains("default gw 10.77.0.1"), rendered.constData());

        // The check can fail: the form 22.4 rejects is rejected here too.
        QByteArray rejected = CloudInitConfig::networkConfig(id);
        rejected.replace("\"0.0.0.0/0\"", "default");
        QVERIFY(writeFile(dir.filePath(QStringLiteral("bad-config")), rejected));
        if (convert(dir.filePath(QStringLiteral("bad-config")), QStringLiteral("bad")) == 0)
            qInfo("this cloud-init accepts `to: default` (newer than 22.4)");
        else
            QVERIFY2(out.contains("not a valid ip"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCloudInitConfig)
#include "tst_cloudinitconfig.moc"
