// SPDX-License-Identifier: GPL-3.0-or-later
// DockerTls: daemon.json merge (settings kept, 2375 and other tcp hosts dropped, unix sockets
// kept), the flags that would conflict with it, systemd's ExecStart, context names.
#include "dockertls.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Hivelab;

class TestDockerTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergeKeepsSettingsAndDropsPlainTcp()
    {
        QString error;
        const auto merged = DockerTls::mergeDaemonJson(
            "{\"iptables\": false, \"hosts\": [\"tcp://0.0.0.0:2375\", "
            "\"unix:///run/docker.sock\"], \"tlsverify\": false}",
            {QStringLiteral("unix:///run/docker.sock"), QStringLiteral("fd://")}, &error);
        QVERIFY2(merged, qPrintable(error));
        const QJsonObject c = QJsonDocument::fromJson(*merged).object();
        QCOMPARE(c.value(QLatin1String("iptables")).toBool(true), false);
        QCOMPARE(c.value(QLatin1String("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("unix:///run/docker.sock"),
                             QStringLiteral("tcp://0.0.0.0:2376")}));
        QCOMPARE(c.value(QLatin1String("tlsverify")).toBool(), true);
        QCOMPARE(c.value(QLatin1String("tls")).toBool(), true);
        QCOMPARE(c.value(QLatin1String("tlskey")).toString(),
                 QStringLiteral("/etc/docker/hivelab/server-key.pem"));
        QVERIFY(!merged->contains("2375"));
        QVERIFY(DockerTls::daemonJsonHasTls(*merged));
        QVERIFY(!DockerTls::daemonJsonHasTls("{\"iptables\": false}"));

        // No file: the default socket and TLS.
        const auto fresh = DockerTls::mergeDaemonJson({}, {}, &error);
        QVERIFY(fresh);
        QCOMPARE(QJsonDocument::fromJson(*fresh).object().value(QLatin1String("hosts")).toArray(),
                 (QJsonArray{QStringLiteral("unix:///var/run/docker.sock"),
                             QStringLiteral("tcp://0.0.0.0:2376")}));
    }

    void mergeRefusesBadJson()
    {
        QString error;
        QVERIFY(!DockerTls::mergeDaemonJson("{\"a\": ", {}, &error));
        QVERIFY2(error.contains(QLatin1String("not valid JSON")), qPrintable(error));
        QVERIFY(!DockerTls::mergeDaemonJson("[1]", {}, &error));
        QVERIFY2(error.contains(QLatin1String("not a JSON object")), qPrintable(error));
    }

    void splitDaemonArguments_data()
    {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("hosts");
        QTest::newRow("lab") << QStringList{"/usr/sbin/dockerd", "--data-root", "/d", "-H",
                                            "unix:///run/docker.sock", "--iptables=false"}
                             << QStringList{"/usr/sbin/dockerd", "--data-root", "/d",
                                            "--iptables=false"}
                             << QStringList{"unix:///run/docker.sock"};
        QTest::newRow("systemd") << QStringList{"/usr/bin/dockerd", "-H", "fd://",
                                                "--containerd=/run/containerd/containerd.sock"}
                                 << QStringList{"/usr/bin/dockerd",
                                                "--containerd=/run/containerd/containerd.sock"}
                                 << QStringList{"fd://"};
        QTest::newRow("forms") << QStringList{"dockerd", "--host=tcp://0.0.0.0:2375",
                                              "-Hunix:///a.sock", "--tlsverify", "--tlscert",
                                              "/c.pem", "--tlskey=/k.pem", "--debug"}
                               << QStringList{"dockerd", "--debug"}
                               << QStringList{"tcp://0.0.0.0:2375", "unix:///a.sock"};
        QTest::newRow("none") << QStringList{"dockerd"} << QStringList{"dockerd"}
                              << QStringList{};
    }

    void splitDaemonArguments()
    {
        QFETCH(QStringList, argv);
        const DockerTls::DaemonArguments split = DockerTls::splitDaemonArguments(argv);
        QTEST(split.args, "args");
        QTEST(split.hosts, "hosts");
    }

    void systemdExecStart()
    {
        QCOMPARE(DockerTls::systemdExecStart(QStringLiteral(
                     "ExecStart={ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// "
                     "--containerd=/run/containerd/containerd.sock ; ignore_errors=no ; "
                     "start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; "
                     "status=0/0 }")),
                 (QStringList{QStringLiteral("/usr/sbin/dockerd"), QStringLiteral("-H"),
                              QStringLiteral("fd://"),
                              QStringLiteral("--containerd=/run/containerd/containerd.sock")}));
        QVERIFY(DockerTls::systemdExecStart(QStringLiteral("ExecStart=")).isEmpty());
    }

    void hostAddresses()
    {
        const QString ip = QStringLiteral(
            "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever\n"
            "2: eth0    inet 10.77.0.11/24 brd 10.77.0.255 scope global eth0\\       valid_lft "
            "forever\n"
            "3: docker_gwbridge    inet 172.18.0.1/16 brd 172.18.255.255 scope global "
            "docker_gwbridge\n"
            "4: docker0    inet 172.17.0.1/16 scope global docker0\n"
            "5: eth1@if9    inet 192.168.1.20/24 scope global dynamic eth1\n"
            "1: lo    inet6 ::1/128 scope host\n"
            "2: eth0    inet6 fd00::11/64 scope global\n"
            "2: eth0    inet6 fe80::1/64 scope link\n");
        QCOMPARE(DockerTls::hostAddresses(ip),
                 (QStringList{QStringLiteral("10.77.0.11"), QStringLiteral("192.168.1.20"),
                              QStringLiteral("fd00::11")}));
        QVERIFY(DockerTls::hostAddresses(QString()).isEmpty());
    }

    void sshContext()
    {
        QCOMPARE(DockerTls::sshContextName(QStringLiteral("Home Lab")),
                 QStringLiteral("hivelab-home-lab-ssh"));
        QCOMPARE(DockerTls::sshDockerHost(QStringLiteral("dietpi"), QStringLiteral("10.0.0.5"), 22),
                 QStringLiteral("ssh://dietpi@10.0.0.5"));
        QCOMPARE(DockerTls::sshDockerHost(QString(), QStringLiteral("pine64-1"), 2222),
                 QStringLiteral("ssh://pine64-1:2222"));
    }

    void contextName()
    {
        QCOMPARE(DockerTls::contextName(QStringLiteral("Home Lab #2")),
                 QStringLiteral("hivelab-home-lab-2"));
        QCOMPARE(DockerTls::contextName(QStringLiteral("remote")), QStringLiteral("hivelab-remote"));
        QCOMPARE(DockerTls::contextName(QStringLiteral("--")), QStringLiteral("hivelab-lab"));
    }
};

QTEST_GUILESS_MAIN(TestDockerTls)
#include "tst_dockertls.moc"
