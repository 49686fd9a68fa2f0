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
        QFile f(QStringLiteral(HIVELAB_TEST_DATA "/docker/node-ls.jsonl"));
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
        // `docker node ls --format '{{json .}}'` on pine64-1 of a 3 + 2 lab swarm.
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        QCOMPARE(nodes.size(), 5);
        QCOMPARE(nodes.at(0).hostname, QStringLiteral("pine64-1"));
        QVERIFY(nodes.at(0).isLeader());
        QVERIFY(nodes.at(0).self);
        QVERIFY(nodes.at(1).isManager());
        QVERIFY(!nodes.at(1).isLeader());
        QVERIFY(!nodes.at(1).self);
        QVERIFY(!nodes.at(3).isManager());
        for (const SwarmNode &n : nodes) {
            QVERIFY(n.isReady());
            QCOMPARE(n.availability, QStringLiteral("Active"));
            QCOMPARE(n.id.size(), 25);
        }
    }

    void skipsNoise()
    {
        const QByteArray text = "Error response from daemon: This node is not a swarm manager.\n"
                                "{\"ID\":\"abc\",\"Hostname\":\"h\",\"Status\":\"Down\","
                                "\"ManagerStatus\":\"Unreachable\"}\n"
                                "{\"ID\":\"\",\"Hostname\":\"no-id\"}\n{broken\n";
        const QList<SwarmNode> nodes = SwarmNode::parseList(text);
        QCOMPARE(nodes.size(), 1);
        QVERIFY(!nodes.first().isReady());
        QVERIFY(nodes.first().isManager());
    }

    void matchBoardsByHostname()
    {
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        const QHash<QString, QString> map = SwarmNode::matchBoards(lab(), nodes);
        QCOMPARE(map.size(), 5);
        QCOMPARE(map.value(QStringLiteral("q1psd1ktu2wl88fdu2eq2bnt4")), QStringLiteral("board-1"));
        QCOMPARE(map.value(QStringLiteral("h4n3gdqpnccg1hl9f254r2iic")), QStringLiteral("board-5"));
    }

    void engineNamesWin()
    {
        // Board 2's engine calls itself pine64-4 (the plan's hostname is stale): the engine wins.
        const QList<SwarmNode> nodes = SwarmNode::parseList(nodeList());
        const QHash<QString, QString> map = SwarmNode::matchBoards(
            lab(), nodes, {{QStringLiteral("board-2"), QStringLiteral("pine64-4")}});
        QCOMPARE(map.value(QStringLiteral("x3bnq5zi1hb7g1j360f3cba9y")), QStringLiteral("board-2"));
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
