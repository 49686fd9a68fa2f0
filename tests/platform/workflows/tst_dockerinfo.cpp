// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockerinfo.h"
#include "testdata.h"

#include <QTest>

using namespace Hivelab;
using HivelabTest::testData;

class TestDockerInfo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Outputs captured from lab boards (docker.io 20.10 engine, docker 28 CLI).
    void inactiveEngine()
    {
        const DockerInfo info =
            DockerInfo::fromJson(testData(QStringLiteral("docker/info-inactive.json")));
        QVERIFY(info.valid);
        QVERIFY(info.engineAnswered);
        QCOMPARE(info.serverVersion, QStringLiteral("20.10.24+dfsg1"));
        QCOMPARE(info.name, QStringLiteral("pine64-1"));
        QCOMPARE(info.localNodeState, QStringLiteral("inactive"));
        QVERIFY(!info.inSwarm());
        QVERIFY(!info.controlAvailable);
        QVERIFY(info.clusterId.isEmpty());
        QCOMPARE(info.planArchitecture(), QStringLiteral("amd64"));
        QVERIFY(!info.clientVersion.isEmpty());
    }

    void manager()
    {
        const DockerInfo info =
            DockerInfo::fromJson(testData(QStringLiteral("docker/info-manager.json")));
        QVERIFY(info.valid);
        QVERIFY(info.inSwarm());
        QVERIFY(info.controlAvailable);
        QCOMPARE(info.name, QStringLiteral("pine64-1"));
        QCOMPARE(info.nodeId, QStringLiteral("q1psd1ktu2wl88fdu2eq2bnt4"));
        QCOMPARE(info.nodeAddr, QStringLiteral("10.77.0.11"));
        QVERIFY(!info.clusterId.isEmpty());
        QCOMPARE(info.remoteManagers.size(), 3);
    }

    void worker()
    {
        const DockerInfo info =
            DockerInfo::fromJson(testData(QStringLiteral("docker/info-worker.json")));
        QVERIFY(info.inSwarm());
        QVERIFY(!info.controlAvailable);
        // Workers do not know the cluster: membership is decided by node ID on a manager.
        QVERIFY(info.clusterId.isEmpty());
        QCOMPARE(info.nodeId, QStringLiteral("h4n3gdqpnccg1hl9f254r2iic"));
        QVERIFY(info.remoteManagers.contains(QStringLiteral("10.77.0.11:2377")));
    }

    void engineStopped()
    {
        // The CLI still prints its half of the JSON (exit status 1) when the engine is down.
        const QByteArray text = testData(QStringLiteral("docker/probe-stopped.txt"));
        const int at = text.indexOf("info=");
        QVERIFY(at > 0);
        const DockerInfo info = DockerInfo::fromJson(text.mid(at + 5));
        QVERIFY(info.valid);
        QVERIFY(!info.engineAnswered);
        QVERIFY(info.serverVersion.isEmpty());
        QVERIFY(!info.clientVersion.isEmpty());
        QVERIFY(!info.inSwarm());
    }

    void notDockerInfo_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("error text")
            << QByteArray("Cannot connect to the Docker daemon at unix:///var/run/docker.sock.");
        QTest::newRow("other json") << QByteArray("{\"ID\":\"x\",\"Hostname\":\"a\"}");
        QTest::newRow("broken json") << QByteArray("{\"Swarm\":{");
    }
    void notDockerInfo()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!DockerInfo::fromJson(text).valid);
    }

    void warningsAroundJson()
    {
        const QByteArray text = "WARNING: No swap limit support\n" +
                                testData(QStringLiteral("docker/info-worker.json")) + "\n";
        QVERIFY(DockerInfo::fromJson(text).inSwarm());
    }

    void architecture_data()
    {
        QTest::addColumn<QString>("docker");
        QTest::addColumn<QString>("plan");
        QTest::newRow("x86_64") << "x86_64"
                                << "amd64";
        QTest::newRow("aarch64") << "aarch64"
                                 << "arm64";
        QTest::newRow("armv7l") << "armv7l"
                                << "armhf";
        QTest::newRow("riscv64") << "riscv64"
                                 << "riscv64";
    }
    void architecture()
    {
        QFETCH(QString, docker);
        QFETCH(QString, plan);
        DockerInfo info;
        info.architecture = docker;
        QCOMPARE(info.planArchitecture(), plan);
    }
};

QTEST_GUILESS_MAIN(TestDockerInfo)
#include "tst_dockerinfo.moc"
