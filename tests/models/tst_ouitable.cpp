// SPDX-License-Identifier: GPL-3.0-or-later
#include "ouitable.h"

#include <QTest>

using namespace Hivelab;

class TestOuiTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void builtinVendors_data();
    void builtinVendors();
    void builtinIsCompact();
    void normalize_data();
    void normalize();
    void locallyAdministered();
    void malformedCsvLinesSkipped();
};

void TestOuiTable::builtinVendors_data()
{
    QTest::addColumn<QString>("mac");
    QTest::addColumn<QString>("vendor");
    QTest::newRow("pi3") << "b8:27:eb:12:34:56"
                         << "Raspberry Pi";
    QTest::newRow("pi4") << "DC-A6-32-00-00-01"
                         << "Raspberry Pi";
    QTest::newRow("pi4 new") << "e4:5f:01:aa:bb:cc"
                             << "Raspberry Pi";
    QTest::newRow("pi 2021") << "28:CD:C1:00:00:00"
                             << "Raspberry Pi";
    QTest::newRow("pi5 (added)") << "2c:cf:67:00:00:00"
                                 << "Raspberry Pi";
    QTest::newRow("cm4 (added)") << "d8:3a:dd:00:00:00"
                                 << "Raspberry Pi";
    QTest::newRow("up board") << "00:07:32:01:02:03"
                              << "AAEON (UP boards)";
    QTest::newRow("odroid") << "00:1e:06:01:02:03"
                            << "Hardkernel (ODROID)";
    QTest::newRow("orange pi") << "c0:74:2b:01:02:03"
                               << "Xunlong (Orange Pi)";
    QTest::newRow("docker") << "02:42:ac:11:00:02"
                            << "Docker (virtual)";
    QTest::newRow("qemu") << "52:54:00:12:34:56"
                          << "QEMU/KVM (virtual)";
    QTest::newRow("unknown") << "00:00:5e:00:53:01"
                             << "";
    QTest::newRow("garbage") << "not a mac"
                             << "";
}

void TestOuiTable::builtinVendors()
{
    QFETCH(QString, mac);
    QFETCH(QString, vendor);
    QCOMPARE(OuiTable::builtin().vendor(mac), vendor);
}

void TestOuiTable::builtinIsCompact()
{
    // Curated, not the 32k-row IEEE list; but Intel etc. are there.
    const int n = OuiTable::builtin().size();
    QVERIFY2(n > 500 && n < 3000, qPrintable(QString::number(n)));
}

void TestOuiTable::normalize_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("colons") << "aa:bb:cc:dd:ee:0f"
                            << "AA:BB:CC:DD:EE:0F";
    QTest::newRow("dashes") << "AA-BB-CC-DD-EE-0F"
                            << "AA:BB:CC:DD:EE:0F";
    QTest::newRow("cisco") << "aabb.ccdd.ee0f"
                           << "AA:BB:CC:DD:EE:0F";
    QTest::newRow("bare") << " aabbccddee0f "
                          << "AA:BB:CC:DD:EE:0F";
    QTest::newRow("short") << "aa:bb:cc"
                           << "";
    QTest::newRow("long") << "aa:bb:cc:dd:ee:ff:00"
                          << "";
    QTest::newRow("non-hex") << "gg:bb:cc:dd:ee:ff"
                             << "";
}

void TestOuiTable::normalize()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(OuiTable::normalizeMac(in).value_or(QString()), out);
}

void TestOuiTable::locallyAdministered()
{
    QVERIFY(OuiTable::isLocallyAdministered(QStringLiteral("02:ba:7e:00:00:01")));
    QVERIFY(OuiTable::isLocallyAdministered(QStringLiteral("36:c9:e3:f1:b8:05")));
    QVERIFY(!OuiTable::isLocallyAdministered(QStringLiteral("b8:27:eb:00:00:01")));
    QVERIFY(!OuiTable::isLocallyAdministered(QStringLiteral("junk")));
    QVERIFY(OuiTable::isMulticast(QStringLiteral("01:00:5e:00:00:fb")));
    QVERIFY(!OuiTable::isMulticast(QStringLiteral("02:00:5e:00:00:fb")));
}

void TestOuiTable::malformedCsvLinesSkipped()
{
    int skipped = -1;
    const OuiTable t = OuiTable::fromCsv("# comment\nB827EB,Raspberry Pi\nXYZ,Bad\n001122,\n"
                                         "0011223,Too long\n\n00000C,Cisco\n",
                                         &skipped);
    QCOMPARE(t.size(), 2);
    QCOMPARE(skipped, 3);
    QCOMPARE(t.vendor(QStringLiteral("00:00:0c:01:02:03")), QStringLiteral("Cisco"));
}

QTEST_GUILESS_MAIN(TestOuiTable)
#include "tst_ouitable.moc"
