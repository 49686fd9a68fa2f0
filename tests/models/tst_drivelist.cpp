// SPDX-License-Identifier: GPL-3.0-or-later
#include "drivelist.h"

#include <QFile>
#include <QTest>

using namespace Hivelab;

class TestDriveList : public QObject
{
    Q_OBJECT

    static QList<Drive> load(const char *name)
    {
        QFile f(QStringLiteral(HIVELAB_TEST_DATA "/imaging/") + QLatin1String(name));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QString error;
        const QList<Drive> drives = DriveRules::fromLsblkJson(f.readAll(), &error);
        if (!error.isEmpty())
            qWarning() << error;
        return drives;
    }

    static Drive find(const QList<Drive> &drives, const QString &name)
    {
        for (const Drive &d : drives) {
            if (d.name == name)
                return d;
        }
        return {};
    }

private Q_SLOTS:
    void wholeDevicesWithNestedMounts()
    {
        const QList<Drive> drives = load("lsblk-laptop.json");
        QCOMPARE(drives.size(), 8);
        const Drive nvme = find(drives, QStringLiteral("nvme0n1"));
        // LVM root two levels down still counts for the disk.
        QCOMPARE(nvme.mountpoints, QStringList({QStringLiteral("/boot/efi"), QStringLiteral("/")}));
        const Drive card = find(drives, QStringLiteral("sdb"));
        QCOMPARE(card.model, QStringLiteral("SanDisk Ultra"));
        QCOMPARE(card.size, 31914983424);
        QVERIFY(card.removable);
        QVERIFY(card.isCardLike());
        QVERIFY(find(drives, QStringLiteral("mmcblk0")).isCardLike());
        QVERIFY(!find(drives, QStringLiteral("sda")).isCardLike());
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason"); // a word the refusal must hold; empty: allowed
        QTest::newRow("lvm root") << "nvme0n1" << "running system";
        QTest::newRow("data disk in use") << "sda" << "/srv/backup";
        QTest::newRow("card mounted by the desktop") << "sdb" << "";
        QTest::newRow("sd slot") << "mmcblk0" << "";
        QTest::newRow("locked card") << "mmcblk1" << "read-only";
        QTest::newRow("empty reader") << "sdc" << "no medium";
        QTest::newRow("dvd") << "sr0" << "rom";
        QTest::newRow("swap") << "sdd" << "running system";
    }

    void refusals()
    {
        QFETCH(QString, name);
        QFETCH(QString, reason);
        const Drive d = find(load("lsblk-laptop.json"), name);
        QVERIFY(!d.name.isEmpty());
        const QString refusal = DriveRules::refusal(d, {});
        if (reason.isEmpty())
            QVERIFY2(refusal.isEmpty(), qPrintable(refusal));
        else
            QVERIFY2(refusal.contains(reason), qPrintable(refusal));
    }

    void systemDisksFromDeviceNumbersWin()
    {
        // lsblk may not see a mount (another mount namespace); device numbers still protect.
        const Drive card = find(load("lsblk-laptop.json"), QStringLiteral("mmcblk0"));
        QVERIFY(!DriveRules::refusal(card, {QStringLiteral("/dev/mmcblk0")}).isEmpty());
    }

    void thisMachine()
    {
        const QList<Drive> drives = load("lsblk-vm.json");
        const Drive vda = find(drives, QStringLiteral("vda"));
        QCOMPARE(vda.mountpoints, QStringList{QStringLiteral("/")});
        QVERIFY(!DriveRules::refusal(vda, {}).isEmpty());
        QVERIFY(!DriveRules::refusal(find(drives, QStringLiteral("zram0")), {}).isEmpty());
    }

    void userMounts()
    {
        QVERIFY(DriveRules::isUserMount(QStringLiteral("/media/me/boot")));
        QVERIFY(DriveRules::isUserMount(QStringLiteral("/run/media/me/x")));
        QVERIFY(!DriveRules::isUserMount(QStringLiteral("/home")));
        QVERIFY(!DriveRules::isUserMount(QStringLiteral("/media")));
    }

    void oddSizes_data()
    {
        QTest::addColumn<QByteArray>("size");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("number") << QByteArray("8589934592") << qint64(8589934592);
        QTest::newRow("string") << QByteArray("\"8589934592\"") << qint64(8589934592);
        // Out of qint64's range: converting the double would be undefined behaviour (the fuzz
        // test's finding); it reads as unknown.
        QTest::newRow("huge") << QByteArray("1e300") << qint64(0);
        QTest::newRow("negative huge") << QByteArray("-1e300") << qint64(0);
        QTest::newRow("not a number") << QByteArray("\"big\"") << qint64(0);
        QTest::newRow("null") << QByteArray("null") << qint64(0);
    }

    void oddSizes()
    {
        QFETCH(QByteArray, size);
        QFETCH(qint64, expected);
        const QByteArray json = "{\"blockdevices\": [{\"name\": \"sdz\", \"size\": " + size +
                                ", \"type\": \"disk\"}]}";
        QString error;
        const QList<Drive> drives = DriveRules::fromLsblkJson(json, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(drives.size(), 1);
        QCOMPARE(drives.first().size, expected);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("NAME SIZE\nsda 1T");
        QTest::newRow("no list") << QByteArray("{\"devices\": []}");
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(DriveRules::fromLsblkJson(json, &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDriveList)
#include "tst_drivelist.moc"
