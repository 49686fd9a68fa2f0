// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmnode.h"

#include <QFile>
#include <QTest>

using namespace Hivelab;

class TestSwarmNode : public QObject
{
    Q_OBJECT
private:
    static QByteArray nodeList()
    {
        QFile f(QStringLiteral(HIVELAB_TEST_DATA "/docker/nodes-api.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(f.fileName()));
        return f.readAll();
    }
    static Lab lab()
    {
        Lab lab;
        for (int k = 1; k <= 5; ++k) {
            Board b;
            b.id = QStringLiteral("board-%1").arg(k);
            b.name = QStringLiteral("Board %1").arg(k);
            b.hostname = QStringLiteral("PINE64-%1").arg(k); // case differs from the engine
            lab.boards << b;
        }
        return lab;
    }

private Q_SLOTS:
    void parseCaptured()
    {
        // The engine API's GET /nodes on pine64-1 of a lab swarm: managers 1 and 2, worker 3.
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        QCOMPARE(nodes.size(), 3);
        QCOMPARE(nodes.at(0).hostname, QStringLiteral("pine64-3"));
        QVERIFY(!nodes.at(0).isManager());
        QCOMPARE(nodes.at(1).hostname, QStringLiteral("pine64-1"));
        QVERIFY(nodes.at(1).isLeader());
        QVERIFY(nodes.at(2).isManager());
        QVERIFY(!nodes.at(2).isLeader());
        QCOMPARE(nodes.at(2).managerStatus, QStringLiteral("Reachable"));
        QCOMPARE(nodes.at(2).address, QStringLiteral("10.77.0.12"));
        for (const SwarmNode &n : nodes) {
            QVERIFY(n.isReady());
            QCOMPARE(n.availability, QStringLiteral("Active"));
            QCOMPARE(n.id.size(), 25);
            QVERIFY(n.engineVersion.startsWith(QLatin1String("20.10")));
        }
    }

    void skipsNoise()
    {
        const QByteArray text = R"([{"ID":"abc","Description":{"Hostname":"h"},
            "Status":{"State":"down"},"ManagerStatus":{"Reachability":"unreachable"}},
            {"ID":"","Description":{"Hostname":"no-id"}}, 7, "x"])";
        const QList<SwarmNode> nodes = SwarmNode::parseList(text);
        QCOMPARE(nodes.size(), 1);
        QCOMPARE(nodes.first().status, QStringLiteral("Down"));
        QCOMPARE(nodes.first().managerStatus, QStringLiteral("Unreachable"));
        QVERIFY(nodes.first().isManager());
        QVERIFY(SwarmNode::parseList(R"({"message":"This node is not a swarm manager."})").isEmpty());
        QVERIFY(SwarmNode::parseList("[{broken").isEmpty());
    }

    void matchBoardsByHostname()
    {
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        const QHash<QString, QString> map = SwarmNode::matchBoards(lab(), nodes);
        QCOMPARE(map.size(), 3);
        QCOMPARE(map.value(QStringLiteral("p1efijg1nwv8m2lkuttysba0k")), QStringLiteral("board-1"));
        QCOMPARE(map.value(QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66")), QStringLiteral("board-3"));
    }

    void engineNamesWin()
    {
        // Board 4's engine calls itself pine64-2 (the plan's hostname is stale): the engine wins.
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        const QHash<QString, QString> map = SwarmNode::matchBoards(
            lab(), nodes, {{QStringLiteral("board-4"), QStringLiteral("pine64-2")}});
        QCOMPARE(map.value(QStringLiteral("qp6h4gw4u7gfvy7qud9z191y5")), QStringLiteral("board-4"));
    }

    void unknownNodesLeftOut()
    {
        Lab small = lab();
        small.boards.resize(2);
        QCOMPARE(SwarmNode::matchBoards(small, SwarmNode::parseList(nodeList())).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSwarmNode)
#include "tst_swarmnode.moc"
