// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardprobe.h"
#include "dockersetup.h"
#include "testdata.h"

#include <QProcess>
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

    void appArmor()
    {
        // Lab boards run a kernel without AppArmor: the captured probe says nothing.
        QVERIFY(!BoardProbe::parse(testData(QStringLiteral("docker/probe-running.txt")))
                     .appArmorEnabled);
        const BoardProbe p = BoardProbe::parse("hl-probe 1\nuid=0\nos_id=debian\napparmor=1\n");
        QVERIFY(p.appArmorEnabled);
        // The probe script still parses with the boards' /bin/sh (dash here).
        QProcess sh;
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-n"), QStringLiteral("-c"), BoardProbe::script()});
        QVERIFY(sh.waitForFinished(10000));
        QVERIFY2(sh.exitCode() == 0, sh.readAllStandardError().constData());
    }

    void installPackages_data()
    {
        QTest::addColumn<QByteArray>("probe");
        QTest::addColumn<QStringList>("packages");
        const QStringList base = {QStringLiteral("docker.io"), QStringLiteral("ca-certificates")};
        QTest::newRow("no AppArmor (Raspberry Pi OS kernel, the lab)")
            << QByteArray("hl-probe 1\nuid=0\nos_id=raspbian\napt=1\n") << base;
        QTest::newRow("AppArmor enforced (Debian, Ubuntu kernels)")
            << QByteArray("hl-probe 1\nuid=0\nos_id=debian\napt=1\napparmor=1\n")
            << (base + QStringList{QStringLiteral("apparmor")});
    }

    void installPackages()
    {
        QFETCH(QByteArray, probe);
        QFETCH(QStringList, packages);
        QCOMPARE(DockerSetup::installPackages(BoardProbe::parse(probe)), packages);
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

    void engineUpScriptIsShell()
    {
        // Boards run it with their /bin/sh: it must parse (dash here, as on Debian boards).
        for (const InitSystem::Kind init :
             {InitSystem::Systemd, InitSystem::SysVInit, InitSystem::OpenRc, InitSystem::None}) {
            const QString script = DockerSetup::engineUpScript(init, 30);
            QVERIFY(script.contains(DockerSetup::startEngineCommand(init)));
            QVERIFY2(script.contains(QLatin1String("-lt 300 ]")), qPrintable(script));
            QProcess sh;
            sh.start(QStringLiteral("/bin/sh"),
                     {QStringLiteral("-n"), QStringLiteral("-c"), script});
            QVERIFY(sh.waitForFinished(10000));
            QVERIFY2(sh.exitCode() == 0, sh.readAllStandardError().constData());
        }
    }

    void aptStatus_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("percent");
        QTest::addColumn<QString>("text");
        // Captured from apt-get install -o APT::Status-Fd on the lab's bare boards.
        QTest::newRow("unpacking")
            << QByteArray("pmstatus:docker.io:20.0000:Unpacking docker.io (amd64)") << true << 20
            << QStringLiteral("Unpacking docker.io (amd64)");
        QTest::newRow("download") << QByteArray("dlstatus:1:42.5:Retrieving file 1 of 3") << true
                                  << 42 << QStringLiteral("Retrieving file 1 of 3");
        QTest::newRow("colons in text")
            << QByteArray("pmstatus:dpkg-exec:40.0000:Running dpkg: triggers") << true << 40
            << QStringLiteral("Running dpkg: triggers");
        QTest::newRow("apt message")
            << QByteArray("Reading package lists...") << false << 0 << QString();
        QTest::newRow("error line")
            << QByteArray("pmerror:foo.deb:10:trying to overwrite") << false << 0 << QString();
        QTest::newRow("no percent")
            << QByteArray("pmstatus:docker.io:abc:Unpacking") << false << 0 << QString();
        QTest::newRow("over 100") << QByteArray("pmstatus:docker.io:250:Unpacking") << false << 0
                                  << QString();
        QTest::newRow("not a number")
            << QByteArray("pmstatus:docker.io:nan:Unpacking") << false << 0 << QString();
        QTest::newRow("no text") << QByteArray("pmstatus:docker.io:20:") << false << 0 << QString();
        QTest::newRow("too short") << QByteArray("pmstatus:docker.io") << false << 0 << QString();
    }

    void aptStatus()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, valid);
        QFETCH(int, percent);
        QFETCH(QString, text);
        const DockerSetup::AptStatus status = DockerSetup::parseAptStatus(line);
        QCOMPARE(status.valid, valid);
        if (!valid)
            return;
        QCOMPARE(int(status.percent), percent);
        QCOMPARE(status.text, text);
    }
};

QTEST_GUILESS_MAIN(TestBoardProbe)
#include "tst_boardprobe.moc"
