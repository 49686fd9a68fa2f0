// SPDX-License-Identifier: GPL-3.0-or-later
#include "scantargets.h"

#include <QTest>

using namespace Hivelab;

class TestScanTargets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void slash24ExcludesNetworkAndBroadcast();
    void slash16IsTheLimit();
    void limitCountsAcrossTokens();
    void duplicatesRemovedInOrder();
    void ports_data();
    void ports();
};

void TestScanTargets::valid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("hosts");
    QTest::newRow("single") << "10.0.0.7" << QStringList{"10.0.0.7"};
    QTest::newRow("slash32") << "10.0.0.7/32" << QStringList{"10.0.0.7"};
    QTest::newRow("slash31 keeps both") << "10.0.0.6/31" << QStringList{"10.0.0.6", "10.0.0.7"};
    QTest::newRow("slash30") << "10.0.0.9/30" << QStringList{"10.0.0.9", "10.0.0.10"};
    QTest::newRow("short range") << "10.0.0.5-7" << QStringList{"10.0.0.5", "10.0.0.6", "10.0.0.7"};
    QTest::newRow("full range") << "10.0.0.254-10.0.1.1"
                                << QStringList{"10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"};
    QTest::newRow("list commas and spaces") << " 10.0.0.1, 10.0.0.3 ;10.0.0.2\n"
                                            << QStringList{"10.0.0.1", "10.0.0.3", "10.0.0.2"};
    QTest::newRow("hostnames") << "pine64-1 Pine64-2.lan"
                               << QStringList{"pine64-1", "pine64-2.lan"};
    QTest::newRow("ipv6 literal") << "::1 fe80::1" << QStringList{"::1", "fe80::1"};
    QTest::newRow("ipv6 /128") << "FD00::5/128" << QStringList{"fd00::5"};
}

void TestScanTargets::valid()
{
    QFETCH(QString, spec);
    QFETCH(QStringList, hosts);
    QString error;
    const auto r = ScanTargets::parse(spec, &error);
    QVERIFY2(r.has_value(), qPrintable(error));
    QCOMPARE(*r, hosts);
}

void TestScanTargets::invalid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("empty") << "  "
                           << "No scan target";
    QTest::newRow("slash15") << "10.0.0.0/15"
                             << "131,072 addresses is too many";
    QTest::newRow("slash0") << "0.0.0.0/0"
                            << "too many";
    QTest::newRow("bad prefix") << "10.0.0.0/33"
                                << "not a valid network";
    QTest::newRow("bad prefix text") << "10.0.0.0/x"
                                     << "not a valid network";
    QTest::newRow("octet 256") << "10.0.0.256"
                               << "neither an address";
    QTest::newRow("leading zero") << "10.0.0.010"
                                  << "neither an address";
    QTest::newRow("3 octets") << "10.0.0"
                              << "neither an address";
    QTest::newRow("reverse range") << "10.0.0.40-5"
                                   << "ends before it starts";
    QTest::newRow("range end 300") << "10.0.0.4-300"
                                   << "not a valid range";
    QTest::newRow("huge range") << "10.0.0.0-10.2.0.0"
                                << "too many";
    QTest::newRow("ipv6 net") << "fd00::/64"
                              << "IPv6 networks";
    QTest::newRow("junk") << "host_name!"
                          << "neither an address";
}

void TestScanTargets::invalid()
{
    QFETCH(QString, spec);
    QFETCH(QString, messagePart);
    QString error;
    QVERIFY(!ScanTargets::parse(spec, &error).has_value());
    QVERIFY2(error.contains(messagePart), qPrintable(error));
}

void TestScanTargets::slash24ExcludesNetworkAndBroadcast()
{
    QString error;
    const auto r = ScanTargets::parse(QStringLiteral("192.0.2.77/24"), &error);
    QVERIFY(r);
    QCOMPARE(r->size(), 254);
    QCOMPARE(r->first(), QStringLiteral("192.0.2.1"));
    QCOMPARE(r->last(), QStringLiteral("192.0.2.254"));
}

void TestScanTargets::slash16IsTheLimit()
{
    QString error;
    const auto r = ScanTargets::parse(QStringLiteral("10.9.0.0/16"), &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->size(), 65534);
    QVERIFY(ScanTargets::parse(QStringLiteral("10.9.0.0-10.9.255.255"), &error));
    QVERIFY(!ScanTargets::parse(QStringLiteral("10.9.0.0-10.10.0.0"), &error));
}

void TestScanTargets::limitCountsAcrossTokens()
{
    QString error;
    QVERIFY(!ScanTargets::parse(QStringList{"10.1.0.0/16", "10.2.0.0/24"}, &error));
    QVERIFY(error.contains(QStringLiteral("65,536")));
}

void TestScanTargets::duplicatesRemovedInOrder()
{
    QString error;
    const auto r = ScanTargets::parse(QStringLiteral("10.0.0.2 10.0.0.1-3 10.0.0.2/32"), &error);
    QVERIFY(r);
    QCOMPARE(*r, (QStringList{"10.0.0.2", "10.0.0.1", "10.0.0.3"}));
}

void TestScanTargets::ports_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QList<int>>("ports");
    QTest::newRow("one") << "22" << true << QList<int>{22};
    QTest::newRow("list") << "22, 2222;2200 22" << true << QList<int>{22, 2222, 2200};
    QTest::newRow("empty") << "" << true << QList<int>{};
    QTest::newRow("zero") << "0" << false << QList<int>{};
    QTest::newRow("too big") << "22,65536" << false << QList<int>{};
    QTest::newRow("word") << "22,ssh" << false << QList<int>{};
    QTest::newRow("plus") << "+22" << false << QList<int>{};
}

void TestScanTargets::ports()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QList<int>, ports);
    QString error;
    const auto parsed = ScanTargets::parsePorts(text, &error);
    QCOMPARE(bool(parsed), valid);
    QCOMPARE(error.isEmpty(), valid);
    if (parsed)
        QCOMPARE(*parsed, ports);
}

QTEST_GUILESS_MAIN(TestScanTargets)
#include "tst_scantargets.moc"
