// SPDX-License-Identifier: GPL-3.0-or-later
#include "neighbourtable.h"

#include <QFile>
#include <QTest>

using namespace Hivelab;

class TestNeighbourTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseCaptured();
    void parseEmptyAndGarbage();
    void readsThisNamespace();
};

void TestNeighbourTable::parseCaptured()
{
    QFile f(QStringLiteral(HIVELAB_TEST_DATA "/discovery/proc-net-arp.txt"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto t = NeighbourTable::parse(f.readAll());
    QCOMPARE(t.size(), 4);
    QCOMPARE(t.value("10.77.0.11").mac, QStringLiteral("B8:27:EB:12:34:56"));
    QVERIFY(t.value("10.77.0.11").complete);
    QCOMPARE(t.value("10.77.0.11").device, QStringLiteral("lan0"));
    QVERIFY(!t.value("10.77.0.12").complete); // ARP still unanswered: nobody there
    QVERIFY(t.value("10.77.0.12").mac.isEmpty());
    QVERIFY(t.value("10.77.0.13").complete); // permanent + complete
}

void TestNeighbourTable::parseEmptyAndGarbage()
{
    QVERIFY(NeighbourTable::parse(QByteArray()).isEmpty());
    QVERIFY(NeighbourTable::parse("header only\n").isEmpty());
    QVERIFY(NeighbourTable::parse("h\n1.2.3.4 0x1 zz 00:11:22:33:44:55 * eth0\n").isEmpty());
}

void TestNeighbourTable::readsThisNamespace()
{
    if (!QFile::exists(QStringLiteral("/proc/net/arp")))
        QSKIP("no /proc/net/arp on this system");
    // Only reading the kernel table; its content depends on the machine.
    const auto t = NeighbourTable::read();
    for (auto it = t.cbegin(); it != t.cend(); ++it)
        QVERIFY(!it->complete || it->mac.size() == 17);
}

QTEST_GUILESS_MAIN(TestNeighbourTable)
#include "tst_neighbourtable.moc"
