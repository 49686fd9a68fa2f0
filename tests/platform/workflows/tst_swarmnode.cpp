// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmnode.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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

    void promotionsOnlyWithQuorum_data()
    {
        QTest::addColumn<QByteArray>("first");  // pine64-1's manager status in the captured list
        QTest::addColumn<QByteArray>("second"); // pine64-2's
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("reachable");
        QTest::addColumn<bool>("quorum");
        QTest::newRow("leader and a reachable manager")
            << QByteArray() << QByteArray() << 2 << 2 << true;
        // The leader lists a manager it lost Unreachable until Raft removes it: one of two is
        // no majority, and adding a member then could leave the swarm without quorum.
        QTest::newRow("one of two unreachable")
            << QByteArray() << QByteArray("unreachable") << 2 << 1 << false;
        QTest::newRow("no leader listed")
            << QByteArray("unreachable") << QByteArray("unreachable") << 2 << 0 << false;
    }
    void promotionsOnlyWithQuorum()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, second);
        QFETCH(int, total);
        QFETCH(int, reachable);
        QFETCH(bool, quorum);
        // The captured list (leader pine64-1, manager pine64-2, worker pine64-3), with the
        // managers' reachability changed as a lost manager shows in it.
        QByteArray text = nodeList();
        const QByteArray r1 = "\"Leader\":true,\"Reachability\":\"reachable\"";
        const QByteArray r2 = "\"Reachability\":\"reachable\",\"Addr\":\"10.77.0.12:2377\"";
        QVERIFY(text.contains(r1));
        QVERIFY(text.contains(r2));
        if (!first.isEmpty())
            text.replace(r1, "\"Reachability\":\"" + first + '"');
        if (!second.isEmpty())
            text.replace(r2, "\"Reachability\":\"" + second + "\",\"Addr\":\"10.77.0.12:2377\"");
        const SwarmNode::Managers m = SwarmNode::managersOf(SwarmNode::parseList(text));
        QCOMPARE(m.total, total);
        QCOMPARE(m.reachable, reachable);
        QCOMPARE(m.haveQuorum(), quorum);
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
        QVERIFY(
            SwarmNode::parseList(R"({"message":"This node is not a swarm manager."})").isEmpty());
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

    void matchByNodeIdThenHostnameThenAddress()
    {
        Lab l = lab();
        // board-5 recorded pine64-3's node ID (its plan hostname says PINE64-5): the ID wins.
        l.boards[4].nodeId = QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66");
        // The leader's board has no hostname and a name that is not the engine's: its address
        // still ties it to the node (swarm status called it "Not in the swarm").
        l.boards[0].hostname.clear();
        l.boards[0].ip = QStringLiteral("10.77.0.11");
        l.boards[1].ip = QStringLiteral("10.77.0.99"); // hostname match wins over address
        const QHash<QString, QString> map =
            SwarmNode::matchBoards(l, SwarmNode::parseList(nodeList()));
        QCOMPARE(map.value(QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66")), QStringLiteral("board-5"));
        QCOMPARE(map.value(QStringLiteral("p1efijg1nwv8m2lkuttysba0k")), QStringLiteral("board-1"));
        QCOMPARE(map.value(QStringLiteral("qp6h4gw4u7gfvy7qud9z191y5")), QStringLiteral("board-2"));
        // A copy of board 5 further down the plan (same node ID) does not take its node.
        Board copy = l.boards[4];
        copy.id = QStringLiteral("board-6");
        l.boards << copy;
        QCOMPARE(SwarmNode::matchBoards(l, SwarmNode::parseList(nodeList()))
                     .value(QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66")),
                 QStringLiteral("board-5"));
        l.boards[0].ip.clear();
        QVERIFY(!SwarmNode::matchBoards(l, SwarmNode::parseList(nodeList()))
                     .contains(QStringLiteral("p1efijg1nwv8m2lkuttysba0k")));
    }

    void liveEntryWinsOverStaleOne()
    {
        // A reflashed board joined again: its old node is Down, both match the board.
        const QByteArray text = R"([
            {"ID":"old","Description":{"Hostname":"pine64-1"},"Status":{"State":"down"}},
            {"ID":"new","Description":{"Hostname":"pine64-1"},"Status":{"State":"ready"}},
            {"ID":"old2","Description":{"Hostname":"pine64-1"},"Status":{"State":"down"}}])";
        const QList<SwarmNode> nodes = SwarmNode::parseList(text);
        const QHash<QString, SwarmNode> live =
            SwarmNode::liveByBoard(nodes, SwarmNode::matchBoards(lab(), nodes));
        QCOMPARE(live.size(), 1);
        QCOMPARE(live.value(QStringLiteral("board-1")).id, QStringLiteral("new"));
        // Just joined, not Ready yet: still the live one, not the Down one listed first.
        const QList<SwarmNode> joining = SwarmNode::parseList(R"([
            {"ID":"old","Description":{"Hostname":"pine64-1"},"Status":{"State":"down"}},
            {"ID":"new","Description":{"Hostname":"pine64-1"},"Status":{"State":"unknown"}}])");
        QCOMPARE(SwarmNode::liveByBoard(joining, SwarmNode::matchBoards(lab(), joining))
                     .value(QStringLiteral("board-1"))
                     .id,
                 QStringLiteral("new"));
    }

    void labelsAndUpdateRequest()
    {
        const QByteArray text = R"([{"ID":"nr3cb8y3wjigj2tpkz25f5j66","Version":{"Index":42},
            "Description":{"Hostname":"pine64-3"},"Status":{"State":"ready"},
            "Spec":{"Role":"worker","Availability":"drain","Name":"keep-me",
                    "Labels":{"hivelab.rack":"rack-1","hivelab.psu":"psu-old","mine":"x"}}}])";
        const SwarmNode n = SwarmNode::parseList(text).value(0);
        QCOMPARE(n.version, 42);
        QCOMPARE(n.labels.value(QStringLiteral("mine")), QStringLiteral("x"));
        Lab l = lab();
        l.racks << Rack{QStringLiteral("rack-2"), QStringLiteral("Rack 2"), 4};
        l.boards[2].rackId = QStringLiteral("rack-2");
        l.boards[2].arch = QStringLiteral("arm64");
        const NodeLabels::Diff d = n.labelDiff(l, QStringLiteral("board-3"));
        QCOMPARE(d.remove, QStringList{QStringLiteral("hivelab.psu")});
        QCOMPARE(d.set.value(QStringLiteral("hivelab.rack")), QStringLiteral("rack-2"));

        const HttpRequest r = n.labelsRequest(d.applied(n.labels));
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QByteArray("/nodes/nr3cb8y3wjigj2tpkz25f5j66/update?version=42"));
        const QJsonObject spec = QJsonDocument::fromJson(r.body).object();
        // The rest of the spec goes back unchanged: an update replaces the whole spec.
        QCOMPARE(spec.value(QStringLiteral("Availability")).toString(), QStringLiteral("drain"));
        QCOMPARE(spec.value(QStringLiteral("Name")).toString(), QStringLiteral("keep-me"));
        const QJsonObject labels = spec.value(QStringLiteral("Labels")).toObject();
        QCOMPARE(labels.value(QStringLiteral("hivelab.rack")).toString(), QStringLiteral("rack-2"));
        QCOMPARE(labels.value(QStringLiteral("mine")).toString(), QStringLiteral("x"));
        QVERIFY(!labels.contains(QStringLiteral("hivelab.psu")));
        QCOMPARE(QJsonDocument::fromJson(n.roleRequest(true).body)
                     .object()
                     .value(QStringLiteral("Role"))
                     .toString(),
                 QStringLiteral("manager"));
        QCOMPARE(n.removeRequest().path, QByteArray("/nodes/nr3cb8y3wjigj2tpkz25f5j66?force=true"));
    }
};

QTEST_GUILESS_MAIN(TestSwarmNode)
#include "tst_swarmnode.moc"
