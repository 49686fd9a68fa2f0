// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardprobe.h"
#include "dockersetup.h"
#include "testdata.h"

#include <QTest>

using namespace Hivelab;
using HivelabTest::testData;

class TestBoardProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // BoardProbe::script() output captured on lab boards (Debian bookworm, no init system).
    void running()
    {
        const BoardProbe p =
            BoardProbe::parse(testData(QStringLiteral("docker/probe-running.txt")));
        QVERIFY(p.valid);
        QVERIFY(p.isRoot);
        QCOMPARE(p.hostname, QStringLiteral("pine64-1"));
        QCOMPARE(p.osId, QStringLiteral("debian"));
        QVERIFY(p.debianFamily());
        QCOMPARE(p.kernelArch, QStringLiteral("x86_64"));
        QCOMPARE(p.initSystem, InitSystem::None);
        QVERIFY(p.haveAptGet);
        QVERIFY(p.dockerInstalled());
        QVERIFY(p.engineRunning);
        QCOMPARE(p.docker.name, QStringLiteral("pine64-1"));
    }

    void stopped()
    {
        const BoardProbe p =
            BoardProbe::parse(testData(QStringLiteral("docker/probe-stopped.txt")));
        QVERIFY(p.valid);
        QCOMPARE(p.hostname, QStringLiteral("pine64-4"));
        QVERIFY(p.dockerInstalled());
        QVERIFY(!p.engineRunning);
        QVERIFY(p.docker.valid);
        QCOMPARE(p.initSystem, InitSystem::None);
    }

    void notInstalledNotRoot()
    {
        const BoardProbe p = BoardProbe::parse("hl-probe 1\nuid=1000\nhostname=pi\nos_id=alpine\n"
                                               "pid1=init\nopenrc=1\n");
        QVERIFY(p.valid);
        QVERIFY(!p.isRoot);
        QVERIFY(!p.dockerInstalled());
        QVERIFY(!p.engineRunning);
        QVERIFY(!p.debianFamily());
        QCOMPARE(p.initSystem, InitSystem::OpenRc);
    }

    void garbage() { QVERIFY(!BoardProbe::parse("sudo: a password is required\n").valid); }

    void family_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("debian");
        QTest::newRow("raspbian") << QByteArray("os_id=raspbian\nos_like=debian\n") << true;
        QTest::newRow("ubuntu") << QByteArray("os_id=ubuntu\nos_like=debian\n") << true;
        QTest::newRow("armbian like") << QByteArray("os_id=armbian\n") << true;
        QTest::newRow("dietpi marker") << QByteArray("os_id=\ndietpi=1\n") << true;
        QTest::newRow("fedora") << QByteArray("os_id=fedora\n") << false;
        QTest::newRow("mint") << QByteArray("os_id=linuxmint\nos_like=ubuntu debian\n") << true;
    }
    void family()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, debian);
        QCOMPARE(BoardProbe::parse("hl-probe 1\n" + text).debianFamily(), debian);
    }

    void initSystem_data()
    {
        QTest::addColumn<bool>("runDir");
        QTest::addColumn<QString>("pid1");
        QTest::addColumn<bool>("initScript");
        QTest::addColumn<bool>("openRc");
        QTest::addColumn<int>("kind");
        QTest::newRow("systemd dir")
            << true << "systemd" << true << false << int(InitSystem::Systemd);
        QTest::newRow("systemd dir, odd pid1")
            << true << "init" << true << false << int(InitSystem::Systemd);
        QTest::newRow("sysvinit") << false << "init" << true << false << int(InitSystem::SysVInit);
        QTest::newRow("init without script")
            << false << "init" << false << false << int(InitSystem::None);
        QTest::newRow("openrc") << false << "init" << false << true << int(InitSystem::OpenRc);
        QTest::newRow("openrc-init")
            << false << "openrc-init" << false << true << int(InitSystem::OpenRc);
        QTest::newRow("container sh") << false << "sh" << true << false << int(InitSystem::None);
        QTest::newRow("sandbox (lab)")
            << false << "process_api" << true << false << int(InitSystem::None);
        QTest::newRow("tini") << false << "tini" << false << false << int(InitSystem::None);
        QTest::newRow("unknown") << false << "" << false << false << int(InitSystem::Unknown);
    }
    void initSystem()
    {
        QFETCH(bool, runDir);
        QFETCH(QString, pid1);
        QFETCH(bool, initScript);
        QFETCH(bool, openRc);
        QFETCH(int, kind);
        QCOMPARE(int(InitSystem::detect(runDir, pid1, initScript, openRc)), kind);
    }

    void startCommands()
    {
        QVERIFY(DockerSetup::startEngineCommand(InitSystem::Systemd)
                    .contains(QLatin1String("systemctl start docker")));
        QVERIFY(DockerSetup::startEngineCommand(InitSystem::SysVInit)
                    .contains(QLatin1String("service docker start")));
        QVERIFY(DockerSetup::startEngineCommand(InitSystem::OpenRc)
                    .contains(QLatin1String("rc-service docker start")));
        // Without an init system dockerd must leave the SSH channel's session and streams.
        const QString none = DockerSetup::startEngineCommand(InitSystem::None);
        QVERIFY(none.contains(QLatin1String("setsid -f dockerd")));
        QVERIFY(none.contains(QLatin1String("</dev/null")));
        QCOMPARE(DockerSetup::startEngineCommand(InitSystem::Unknown), none);
    }
};

QTEST_GUILESS_MAIN(TestBoardProbe)
#include "tst_boardprobe.moc"
