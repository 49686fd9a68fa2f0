// SPDX-License-Identifier: GPL-3.0-or-later
#include "hostfacts.h"
#include "testdata.h"

#include <QTest>

using namespace Hivelab;

namespace {
QByteArray data(const char *name)
{
    return HivelabTest::testData(QStringLiteral("discovery/") + QLatin1String(name));
}
} // namespace

class TestHostFacts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void osRelease();
    void osReleaseMalformed();
    void deviceTreeModel();
    void memTotal();
    void lsblkNumbers();
    void lsblkStrings();
    void lsblkMalformed();
    void dockerInfoManager();
    void dockerInfoInactive();
    void dockerInfoNoDaemon();
    void dockerInfoTruncated();
    void compoundFromThisMachine();
    void compoundTruncated();
    void compoundFromLabBoards();
    void compoundReadsTheCardMarker();
    void modelNameFallbacks();
};

void TestHostFacts::osRelease()
{
    const auto os = HostFacts::parseOsRelease(data("os-release-debian12"));
    QCOMPARE(os.value("PRETTY_NAME"), QStringLiteral("Debian GNU/Linux 12 (bookworm)"));
    QCOMPARE(os.value("ID"), QStringLiteral("debian"));
    QCOMPARE(os.value("VERSION_ID"), QStringLiteral("12"));
    QCOMPARE(os.value("VERSION_CODENAME"), QStringLiteral("bookworm"));
}

void TestHostFacts::osReleaseMalformed()
{
    const auto os = HostFacts::parseOsRelease(data("os-release-malformed"));
    QCOMPARE(os.size(), 3);
    QCOMPARE(os.value("PRETTY_NAME"), QStringLiteral("Quoted \"Name\" with escapes"));
    QCOMPARE(os.value("ID"), QStringLiteral("single"));
    QCOMPARE(os.value("VERSION_ID"), QStringLiteral("unquoted"));
    QVERIFY(HostFacts::parseOsRelease(QByteArray("\x00\xff garbage", 10)).isEmpty());
}

void TestHostFacts::deviceTreeModel()
{
    QCOMPARE(HostFacts::parseDeviceTreeModel(data("devicetree-model-rpi4.bin")),
             QStringLiteral("Raspberry Pi 4 Model B Rev 1.4"));
    QCOMPARE(HostFacts::parseDeviceTreeModel(data("devicetree-model-pine64.bin")),
             QStringLiteral("Pine64 PINE A64-LTS"));
    QCOMPARE(HostFacts::parseDeviceTreeModel(QByteArray()), QString());
}

void TestHostFacts::memTotal()
{
    QCOMPARE(HostFacts::parseMemTotal("MemTotal:       24683656 kB\nMemFree: 1 kB\n"),
             qint64(24683656) * 1024);
    QCOMPARE(HostFacts::parseMemTotal("MemFree: 1 kB\n"), qint64(0));
    QCOMPARE(HostFacts::parseMemTotal("MemTotal: lots\n"), qint64(0));
}

void TestHostFacts::lsblkNumbers()
{
    QString error;
    const auto disks = HostFacts::parseLsblk(data("lsblk-host.json"), &error);
    QVERIFY2(disks, qPrintable(error));
    QCOMPARE(disks->size(), 1); // zram0 is skipped
    QCOMPARE(disks->first().name, QStringLiteral("vda"));
    QCOMPARE(disks->first().sizeBytes, Q_INT64_C(274877906944));
    QCOMPARE(disks->first().mountPoints, QStringList{"/"});
    // lsblk -O of the same machine has more columns; the parser ignores them.
    const auto full = HostFacts::parseLsblk(data("lsblk-host-full.json"), &error);
    QVERIFY2(full, qPrintable(error));
    QCOMPARE(full->size(), 1);
}

void TestHostFacts::lsblkStrings()
{
    // util-linux 2.33 (Debian 10) prints numbers and booleans as strings.
    QString error;
    const auto disks = HostFacts::parseLsblk(data("lsblk-utillinux233-strings.json"), &error);
    QVERIFY2(disks, qPrintable(error));
    QCOMPARE(disks->size(), 2);
    const DiskInfo &usb = disks->at(0);
    QCOMPARE(usb.name, QStringLiteral("sda"));
    QCOMPARE(usb.sizeBytes, Q_INT64_C(2000398934016));
    QCOMPARE(usb.transport, QStringLiteral("usb"));
    QCOMPARE(usb.model, QStringLiteral("Expansion Desk"));
    QVERIFY(!usb.removable);
    QCOMPARE(usb.mountPoints, QStringList{"/mnt/usb-2tb"});
    QCOMPARE(disks->at(1).mountPoints, (QStringList{"/boot", "/"}));
}

void TestHostFacts::lsblkMalformed()
{
    QString error;
    QVERIFY(!HostFacts::parseLsblk(data("lsblk-truncated.json"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!HostFacts::parseLsblk("{\"devices\": []}", &error));
    QVERIFY(error.contains(QStringLiteral("blockdevices")));
    QVERIFY(!HostFacts::parseLsblk("[1,2]", &error));
    const auto empty = HostFacts::parseLsblk("{\"blockdevices\": [{\"size\": 1}, 7]}", &error);
    QVERIFY(empty);
    QVERIFY(empty->isEmpty());
}

void TestHostFacts::dockerInfoManager()
{
    HostFacts f;
    QString error;
    QVERIFY2(HostFacts::parseDockerInfo(data("docker-info-manager.json"), &f, &error),
             qPrintable(error));
    QCOMPARE(f.dockerVersion, QStringLiteral("20.10.24+dfsg1"));
    QCOMPARE(f.swarmState, QStringLiteral("active"));
    QVERIFY(f.swarmManager);
    QCOMPARE(f.swarmRole(), QStringLiteral("manager"));
    QVERIFY(!f.swarmNodeId.isEmpty());
    QCOMPARE(f.hostname, QStringLiteral("vm"));
}

void TestHostFacts::dockerInfoInactive()
{
    HostFacts f;
    QString error;
    QVERIFY(HostFacts::parseDockerInfo(data("docker-info-inactive.json"), &f, &error));
    QCOMPARE(f.swarmState, QStringLiteral("inactive"));
    QCOMPARE(f.swarmRole(), QString());
    f.swarmState = QStringLiteral("active");
    QCOMPARE(f.swarmRole(), QStringLiteral("worker"));
}

void TestHostFacts::dockerInfoNoDaemon()
{
    HostFacts f;
    QString error;
    QVERIFY(!HostFacts::parseDockerInfo(data("docker-info-no-daemon.json"), &f, &error));
    QVERIFY(error.contains(QStringLiteral("not reachable")));
    QVERIFY(f.dockerVersion.isEmpty());
}

void TestHostFacts::dockerInfoTruncated()
{
    HostFacts f;
    QString error;
    QVERIFY(!HostFacts::parseDockerInfo(data("docker-info-truncated.json"), &f, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!HostFacts::parseDockerInfo("Cannot connect to the Docker daemon", &f, &error));
}

void TestHostFacts::compoundFromThisMachine()
{
    const HostFacts f = HostFacts::parseCompound(data("compound-host-amd64.txt"));
    QCOMPARE(f.hostname, QStringLiteral("vm"));
    QCOMPARE(f.machine, QStringLiteral("x86_64"));
    QCOMPARE(f.debianArch(), QStringLiteral("amd64"));
    QCOMPARE(f.cores, 2);
    QCOMPARE(f.memTotalBytes, qint64(24683656) * 1024);
    QCOMPARE(f.osPrettyName, QStringLiteral("Debian GNU/Linux 12 (bookworm)"));
    QCOMPARE(f.osVersionId, QStringLiteral("12"));
    QCOMPARE(f.disks.size(), 1);
    QVERIFY(f.deviceTreeModel.isEmpty());
    // Docker's client is installed here but its daemon is not running.
    QCOMPARE(f.problems.size(), 1);
    QVERIFY(f.problems.first().startsWith(QStringLiteral("docker info")));
    QCOMPARE(f.toJson().value(QStringLiteral("arch")).toString(), QStringLiteral("amd64"));
}

void TestHostFacts::compoundTruncated()
{
    QByteArray out = data("compound-host-amd64.txt");
    out.truncate(out.indexOf("@@hl lsblk") + 40);
    const HostFacts f = HostFacts::parseCompound(out);
    QCOMPARE(f.hostname, QStringLiteral("vm"));
    QVERIFY(f.problems.contains(QStringLiteral("output truncated (no end marker)")));
    QVERIFY(f.disks.isEmpty());
    QVERIFY(HostFacts::parseCompound("random noise\n").hostname.isEmpty());
}

void TestHostFacts::compoundFromLabBoards()
{
    // Captured on lab boards (tests/lab/hivelab-lab board K -- sh -c COMPOUND).
    const HostFacts b1 = HostFacts::parseCompound(data("compound-lab-board1-dropbear.txt"));
    QCOMPARE(b1.hostname, QStringLiteral("pine64-1"));
    QVERIFY(b1.problems.isEmpty());
    QVERIFY(b1.dockerVersion.startsWith(QStringLiteral("20.10")));
    QCOMPARE(b1.swarmState, QStringLiteral("inactive"));
    QCOMPARE(b1.swarmRole(), QString());
    const HostFacts b4 = HostFacts::parseCompound(data("compound-lab-board4-nodocker.txt"));
    QCOMPARE(b4.hostname, QStringLiteral("pine64-4"));
    QVERIFY(b4.dockerVersion.isEmpty()); // engine installed but stopped
    QCOMPARE(b4.problems.size(), 1);
    QVERIFY(b4.problems.first().contains(QStringLiteral("not reachable")));
}

void TestHostFacts::compoundReadsTheCardMarker()
{
    // cloud-init's instance ID, as a card-booted lab board prints it (no Docker yet).
    QVERIFY(HostFacts::compoundCommand().contains(
        QStringLiteral("cat /var/lib/cloud/data/instance-id 2>/dev/null")));
    const HostFacts f = HostFacts::parseCompound("@@hl hostname\ncard-1\n@@hl machine\nx86_64\n"
                                                 "@@hl instanceid\nhivelab-card-1-5d1c0a9e\n"
                                                 "@@hl dockerinfo\n@@hl end\n");
    QCOMPARE(f.instanceId, QStringLiteral("hivelab-card-1-5d1c0a9e"));
    QCOMPARE(f.toJson().value(QStringLiteral("instanceId")).toString(), f.instanceId);
    QVERIFY(f.problems.isEmpty());
    // Without cloud-init the section is empty, and so is the marker.
    const HostFacts none =
        HostFacts::parseCompound("@@hl hostname\npine64-1\n@@hl instanceid\n@@hl end\n");
    QVERIFY(none.instanceId.isEmpty());
    QVERIFY(!none.toJson().contains(QStringLiteral("instanceId")));
}

void TestHostFacts::modelNameFallbacks()
{
    HostFacts f;
    f.dmiVendor = QStringLiteral("AAEON");
    f.dmiProduct = QStringLiteral("UP-CHT01");
    QCOMPARE(f.modelName(), QStringLiteral("AAEON UP-CHT01"));
    f.dmiProduct = QStringLiteral("To be filled by O.E.M.");
    QCOMPARE(f.modelName(), QString());
    f.deviceTreeModel = QStringLiteral("Raspberry Pi 4 Model B Rev 1.4");
    QCOMPARE(f.modelName(), QStringLiteral("Raspberry Pi 4 Model B Rev 1.4"));
}

QTEST_GUILESS_MAIN(TestHostFacts)
#include "tst_hostfacts.moc"
