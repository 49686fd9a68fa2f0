// SPDX-License-Identifier: GPL-3.0-or-later
#include "labparts.h"
#include "nodelabels.h"

#include <QTest>

using namespace Hivelab;

using Labels = QMap<QString, QString>;

class TestNodeLabels : public QObject
{
    Q_OBJECT
private:
    static Lab lab()
    {
        Lab lab;
        lab.racks << Rack{QStringLiteral("rack-1"), QStringLiteral("Top shelf"), 4}
                  << Rack{QStringLiteral("rack-2"), QStringLiteral("Bottom"), 4};
        lab.powerSupplies << HivelabTest::powerSupply(
            QStringLiteral("psu-1"), QStringLiteral("rack-1"), 0, QStringLiteral("kitchen"));
        lab.switches << HivelabTest::networkSwitch(QStringLiteral("sw-1"), QString(), 8);
        Board b;
        b.id = QStringLiteral("board-1");
        b.arch = QStringLiteral("arm64");
        b.rackId = QStringLiteral("rack-1");
        b.psuId = QStringLiteral("psu-1");
        b.switchId = QStringLiteral("sw-1");
        b.labels.insert(QStringLiteral("zone"), QStringLiteral("attic"));
        b.storage << StorageDevice{QStringLiteral("usb-2tb"), QStringLiteral("/dev/sda"), 0, {}, 0}
                  << StorageDevice{QString(), QStringLiteral("/dev/sdb"), 0, {}, 0};
        lab.boards << b;
        Board bare;
        bare.id = QStringLiteral("board-2");
        lab.boards << bare;
        lab.swarm.defaultLabels.insert(QStringLiteral("zone"), QStringLiteral("house"));
        lab.swarm.defaultLabels.insert(QStringLiteral("owner"), QStringLiteral("me"));
        return lab;
    }

private Q_SLOTS:
    void plannedFromPlacement()
    {
        const Labels expected{
            {QStringLiteral("hivelab.rack"), QStringLiteral("rack-1")},
            {QStringLiteral("hivelab.psu"), QStringLiteral("psu-1")},
            {QStringLiteral("hivelab.circuit"), QStringLiteral("kitchen")},
            {QStringLiteral("hivelab.switch"), QStringLiteral("sw-1")},
            {QStringLiteral("hivelab.storage"), QStringLiteral("yes")},
            {QStringLiteral("hivelab.storage.devices"), QStringLiteral("usb-2tb,/dev/sdb")},
            {QStringLiteral("arch"), QStringLiteral("arm64")},
            {QStringLiteral("zone"), QStringLiteral("attic")}, // board wins
            {QStringLiteral("owner"), QStringLiteral("me")}};
        QCOMPARE(NodeLabels::planned(lab(), QStringLiteral("board-1")), expected);
    }

    void unplacedBoardHasNoPlacementLabels()
    {
        const Labels expected{{QStringLiteral("arch"), QStringLiteral("amd64")},
                              {QStringLiteral("zone"), QStringLiteral("house")},
                              {QStringLiteral("owner"), QStringLiteral("me")}};
        QCOMPARE(NodeLabels::planned(lab(), QStringLiteral("board-2"), QStringLiteral("amd64")),
                 expected);
        QVERIFY(NodeLabels::planned(lab(), QStringLiteral("nope")).isEmpty());
    }

    void userArchAndNamespaceRules()
    {
        Lab l = lab();
        Board *b = l.board(QStringLiteral("board-1"));
        b->labels.insert(QStringLiteral("arch"), QStringLiteral("aarch64"));
        b->labels.insert(QStringLiteral("hivelab.rack"), QStringLiteral("mine"));
        b->labels.insert(QStringLiteral("hivelab.custom"), QStringLiteral("x"));
        b->rackId = QStringLiteral("rack-gone"); // dangling reference: no rack label
        const Labels planned = NodeLabels::planned(l, QStringLiteral("board-1"));
        QCOMPARE(planned.value(QStringLiteral("arch")), QStringLiteral("aarch64"));
        QVERIFY(!planned.contains(QStringLiteral("hivelab.rack")));
        QVERIFY(!planned.contains(QStringLiteral("hivelab.custom")));
    }

    void diff_data()
    {
        QTest::addColumn<Labels>("current");
        QTest::addColumn<Labels>("planned");
        QTest::addColumn<Labels>("set");
        QTest::addColumn<QStringList>("remove");
        const QString rack = QStringLiteral("hivelab.rack");
        const QString psu = QStringLiteral("hivelab.psu");
        const QString mine = QStringLiteral("hand.set");
        QTest::newRow("in line") << Labels{{rack, "r1"}, {mine, "1"}} << Labels{{rack, "r1"}}
                                 << Labels{} << QStringList{};
        QTest::newRow("moved rack") << Labels{{rack, "r1"}} << Labels{{rack, "r2"}}
                                    << Labels{{rack, "r2"}} << QStringList{};
        QTest::newRow("stale hivelab label")
            << Labels{{rack, "r1"}, {psu, "p"}, {mine, "1"}} << Labels{{rack, "r1"}} << Labels{}
            << QStringList{psu};
        QTest::newRow("new node") << Labels{} << Labels{{rack, "r1"}, {"arch", "arm64"}}
                                  << Labels{{rack, "r1"}, {"arch", "arm64"}} << QStringList{};
        QTest::newRow("hand label kept even if planned elsewhere")
            << Labels{{mine, "1"}, {"arch", "x"}} << Labels{{"arch", "arm64"}}
            << Labels{{"arch", "arm64"}} << QStringList{};
    }
    void diff()
    {
        QFETCH(Labels, current);
        QFETCH(Labels, planned);
        QFETCH(Labels, set);
        QFETCH(QStringList, remove);
        const NodeLabels::Diff d = NodeLabels::diff(current, planned);
        QCOMPARE(d.set, set);
        QCOMPARE(d.remove, remove);
        QCOMPARE(d.isEmpty(), set.isEmpty() && remove.isEmpty());
        const Labels after = d.applied(current);
        QVERIFY(NodeLabels::diff(after, planned).isEmpty());
        for (auto it = current.begin(); it != current.end(); ++it) {
            if (!NodeLabels::isOwned(it.key()) && !planned.contains(it.key()))
                QCOMPARE(after.value(it.key()), it.value()); // a user's label survives
        }
    }

    void describe()
    {
        NodeLabels::Diff d;
        d.set.insert(QStringLiteral("hivelab.rack"), QStringLiteral("rack-2"));
        d.remove << QStringLiteral("hivelab.psu");
        QCOMPARE(d.describe(), QStringLiteral("hivelab.rack=rack-2, -hivelab.psu"));
    }
};

QTEST_GUILESS_MAIN(TestNodeLabels)
#include "tst_nodelabels.moc"
