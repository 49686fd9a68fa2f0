// SPDX-License-Identifier: GPL-3.0-or-later
#include "labfile.h"
#include "labmerge.h"
#include "labparts.h"
#include "ouitable.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>

using namespace Hivelab;

namespace {

Board board(const QString &id, const QString &hostname, const QString &ip, const QString &mac)
{
    Board b;
    b.id = id;
    b.name = hostname.isEmpty() ? id : hostname;
    b.hostname = hostname;
    b.ip = ip;
    b.mac = mac;
    b.rackId = QStringLiteral("rack-1");
    b.slot = 0;
    return b;
}

DiscoveredHost host(const QString &ip, const QString &mac, const QString &name = QString())
{
    DiscoveredHost h;
    h.ip = ip;
    h.mac = mac;
    h.reverseName = name;
    h.openPorts = {22};
    h.sshPort = 22;
    return h;
}

// Two racks of two slots; rack-2 has a supply and a 4-port switch, rack-1 nothing.
Lab twoRacks()
{
    Lab lab;
    lab.racks << Rack{QStringLiteral("rack-1"), QStringLiteral("Rack 1"), 2}
              << Rack{QStringLiteral("rack-2"), QStringLiteral("Rack 2"), 2};
    lab.powerSupplies << HivelabTest::powerSupply(QStringLiteral("psu-2"), QStringLiteral("rack-2"),
                                                  100);
    lab.switches << HivelabTest::networkSwitch(QStringLiteral("switch-2"), QStringLiteral("rack-2"),
                                               4);
    return lab;
}

const LabMerge::Change *changeFor(const LabMerge::Result &r, const QString &boardId)
{
    for (const auto &c : r.changes) {
        if (c.boardId == boardId)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestLabMerge : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchByMacReportsIpChange();
    void matchByHostnameFillsMac();
    void matchByIpOnlyWhenMacCompatible();
    void matchByCardMarkerFirst();
    void newBoardIsUnassignedAndUnplaced();
    void newBoardsSpreadOverRacksInAddressOrder();
    void missingOnlyWithinScannedRange();
    void ambiguousHostnameIsConflict();
    void sameResultTwiceIsIdempotent();
    void macCaseAndNotationIgnored();
    void hintsFromPortsAndBanner();
    void scanningMachineIsNotABoard();
    void hostnameThatIsNoHostNameIsNotRecorded();
    void membersOfARunningSwarmAreAdopted();
    void rackLabelPlacesAdoptedBoardsAndUserLabelsAreKept();
};

void TestLabMerge::matchByMacReportsIpChange()
{
    Lab lab;
    lab.boards << board("b1", "pine64-1", "10.0.0.11", "02:BA:00:00:00:01");
    const auto r =
        LabMerge::merge(lab, {host("10.0.0.50", "02:ba:00:00:00:01")}, {"10.0.0.11", "10.0.0.50"});
    QCOMPARE(r.lab.boards.size(), 1);
    QCOMPARE(r.lab.boards[0].ip, QStringLiteral("10.0.0.50"));
    const auto *c = changeFor(r, "b1");
    QVERIFY(c);
    QCOMPARE(c->kind, LabMerge::Kind::IpChanged);
    QCOMPARE(c->previousIp, QStringLiteral("10.0.0.11"));
    QCOMPARE(c->matchedBy, QStringLiteral("mac"));
    QCOMPARE(r.count(LabMerge::Kind::Missing), 0); // the old address is not "missing"
}

void TestLabMerge::matchByHostnameFillsMac()
{
    Lab lab;
    lab.boards << board("b1", "pine64-1", "10.0.0.11", QString());
    const auto r = LabMerge::merge(lab, {host("10.0.0.12", "02:ba:00:00:00:01", "pine64-1.lan")},
                                   {"10.0.0.12"});
    QCOMPARE(r.lab.boards.size(), 1);
    QCOMPARE(r.lab.boards[0].mac, QStringLiteral("02:BA:00:00:00:01"));
    QCOMPARE(r.lab.boards[0].ip, QStringLiteral("10.0.0.12"));
    QCOMPARE(changeFor(r, "b1")->matchedBy, QStringLiteral("hostname"));
    QCOMPARE(changeFor(r, "b1")->kind, LabMerge::Kind::IpChanged);
}

void TestLabMerge::matchByIpOnlyWhenMacCompatible()
{
    Lab lab;
    lab.boards << board("b1", QString(), "10.0.0.11", QString())
               << board("b2", QString(), "10.0.0.12", "B8:27:EB:00:00:02");
    const auto r = LabMerge::merge(
        lab, {host("10.0.0.11", "b8:27:eb:00:00:01"), host("10.0.0.12", "b8:27:eb:00:00:99")},
        {"10.0.0.11", "10.0.0.12"});
    QCOMPARE(changeFor(r, "b1")->matchedBy, QStringLiteral("ip"));
    QCOMPARE(changeFor(r, "b1")->kind, LabMerge::Kind::Updated);
    QCOMPARE(r.lab.boards[0].mac, QStringLiteral("B8:27:EB:00:00:01"));
    // Another device now answers at b2's address: b2 is missing, the device is new.
    QCOMPARE(r.lab.boards.size(), 3);
    QCOMPARE(r.count(LabMerge::Kind::Added), 1);
    QCOMPARE(changeFor(r, "b2")->kind, LabMerge::Kind::Missing);
}

void TestLabMerge::matchByCardMarkerFirst()
{
    // Cards prepared for node-1 and node-2 (their instance IDs recorded), then the plan swapped
    // the two boards' hostnames and addresses; old-1 was seen before with a MAC.
    Lab lab;
    lab.boards << board("node-1", "node-1", "10.0.0.101", QString())
               << board("node-2", "node-2", "10.0.0.102", QString())
               << board("old-1", "old-1", "10.0.0.50", "02:BA:00:00:00:07");
    lab.boards[0].firstBoot.instanceId = QStringLiteral("hivelab-node-1-0000000a");
    lab.boards[1].firstBoot.instanceId = QStringLiteral("hivelab-node-2-0000000b");
    const auto booted = [](const QString &ip, const QString &mac, const QString &hostname,
                           const QString &instanceId) {
        DiscoveredHost h = host(ip, mac);
        h.facts = HostFacts();
        h.facts->hostname = hostname;
        h.facts->instanceId = instanceId;
        return h;
    };
    // node-1's card answers with node-2's name and address; node-2's card runs on old-1's
    // hardware (its MAC).
    const QList<DiscoveredHost> hosts = {
        booted("10.0.0.102", "02:ba:00:00:00:01", "node-2", "hivelab-node-1-0000000a"),
        booted("10.0.0.101", "02:ba:00:00:00:07", "node-1", "hivelab-node-2-0000000b")};
    const auto r = LabMerge::merge(lab, hosts, {"10.0.0.50", "10.0.0.101", "10.0.0.102"});
    QCOMPARE(r.lab.boards.size(), 3);
    QCOMPARE(r.count(LabMerge::Kind::Added), 0);
    QCOMPARE(changeFor(r, "node-1")->matchedBy, QStringLiteral("instance-id"));
    QCOMPARE(changeFor(r, "node-1")->kind, LabMerge::Kind::IpChanged);
    QCOMPARE(r.lab.board(QStringLiteral("node-1"))->ip, QStringLiteral("10.0.0.102"));
    QCOMPARE(r.lab.board(QStringLiteral("node-1"))->mac, QStringLiteral("02:BA:00:00:00:01"));
    QCOMPARE(changeFor(r, "node-2")->matchedBy, QStringLiteral("instance-id"));
    QCOMPARE(r.lab.board(QStringLiteral("node-2"))->ip, QStringLiteral("10.0.0.101"));
    QCOMPARE(changeFor(r, "old-1")->kind, LabMerge::Kind::Missing);

    // Found where planned: recorded, and the message says how it was matched.
    const auto same = LabMerge::merge(
        lab, {booted("10.0.0.101", "02:ba:00:00:00:01", "node-1", "hivelab-node-1-0000000a")},
        {"10.0.0.101"});
    QCOMPARE(changeFor(same, "node-1")->kind, LabMerge::Kind::Updated);
    QVERIFY(changeFor(same, "node-1")->message.contains(QStringLiteral("instance ID")));

    // A marker no board recorded (another tool's cloud-init) falls back to MAC, hostname, IP.
    const auto foreign = LabMerge::merge(
        lab, {booted("10.0.0.60", "02:ba:00:00:00:07", "somebox", "i-0123456789")}, {});
    QCOMPARE(changeFor(foreign, "old-1")->matchedBy, QStringLiteral("mac"));
    const auto byName =
        LabMerge::merge(lab, {booted("10.0.0.61", QString(), "node-2", "i-0123456789")}, {});
    QCOMPARE(changeFor(byName, "node-2")->matchedBy, QStringLiteral("hostname"));
}

void TestLabMerge::newBoardIsUnassignedAndUnplaced()
{
    Lab lab;
    lab.boards << board("board-1", "pi-a", "10.0.0.2", "B8:27:EB:00:00:01");
    DiscoveredHost h = host("10.0.0.9", "b8:27:eb:00:00:09", "pi-b.local");
    h.sshBanner = QStringLiteral("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7");
    h.deriveHints(OuiTable::builtin());
    const auto r = LabMerge::merge(lab, {h}, {"10.0.0.9"});
    QCOMPARE(r.lab.boards.size(), 2);
    const Board &b = r.lab.boards[1];
    QCOMPARE(b.id, QStringLiteral("board-2"));
    QCOMPARE(b.name, QStringLiteral("pi-b"));
    QCOMPARE(b.hostname, QStringLiteral("pi-b"));
    QCOMPARE(b.role, Role::Unassigned);
    QCOMPARE(b.slot, -1);
    QVERIFY(b.rackId.isEmpty());
    QCOMPARE(b.os, QStringLiteral("Debian 12"));
    QVERIFY(b.notes.contains(QStringLiteral("Raspberry Pi")));
    QCOMPARE(r.count(LabMerge::Kind::Added), 1);
}

void TestLabMerge::newBoardsSpreadOverRacksInAddressOrder()
{
    // The wizard merges hosts in table order, the CLI in answer order: same lab either way.
    Lab lab = twoRacks();
    const PowerSupply psu = lab.powerSupplies.first();
    const NetworkSwitch sw = lab.switches.first();
    Board known = board("board-1", "pi-a", "10.0.0.2", "B8:27:EB:00:00:01");
    known.switchId = sw.id;
    known.switchPort = 1;
    known.rackId = QStringLiteral("rack-2");
    lab.boards << known;
    const QList<DiscoveredHost> answers{host("10.0.0.30", "02:00:00:00:00:30"),
                                        host("10.0.0.4", "02:00:00:00:00:04"),
                                        host("10.0.0.10", "02:00:00:00:00:10")};
    const QStringList scanned{"10.0.0.2", "10.0.0.4", "10.0.0.10", "10.0.0.30"};
    const auto r = LabMerge::merge(lab, answers, scanned);
    QList<DiscoveredHost> reversed = answers;
    std::reverse(reversed.begin(), reversed.end());
    QCOMPARE(LabMerge::merge(lab, reversed, scanned).lab, r.lab);

    QCOMPARE(r.lab.boards.size(), 4);
    const Board &first = r.lab.boards[1];
    const Board &second = r.lab.boards[2];
    const Board &third = r.lab.boards[3];
    QCOMPARE(first.ip, QStringLiteral("10.0.0.4"));
    QCOMPARE(second.ip, QStringLiteral("10.0.0.10"));
    QCOMPARE(third.ip, QStringLiteral("10.0.0.30"));
    // rack-1 is empty, so it comes first; then the emptier rack, then the full one is skipped.
    QCOMPARE(first.rackId, QStringLiteral("rack-1"));
    QCOMPARE(first.slot, 0);
    QCOMPARE(second.rackId, QStringLiteral("rack-1"));
    QCOMPARE(second.slot, 1);
    QCOMPARE(third.rackId, QStringLiteral("rack-2"));
    QCOMPARE(third.slot, 1);
    QCOMPARE(third.psuId, psu.id);
    QCOMPARE(third.switchId, sw.id);
    QCOMPARE(third.switchPort, 2); // port 1 is taken by pi-a
    QCOMPARE(third.role, Role::Unassigned);
    QVERIFY(changeFor(r, third.id)->message.contains(QLatin1String("Rack 2 slot 2")));

    // Every slot taken: the next new board stays unplaced.
    const auto full = LabMerge::merge(r.lab, {host("10.0.0.50", "02:00:00:00:00:50")}, {});
    QCOMPARE(full.lab.boards.size(), 5);
    QVERIFY(full.lab.boards.last().rackId.isEmpty());
    QCOMPARE(full.lab.boards.last().slot, -1);
}

void TestLabMerge::missingOnlyWithinScannedRange()
{
    Lab lab;
    lab.boards << board("in", "a", "10.0.0.5", QString())
               << board("out", "b", "10.9.0.5", QString())
               << board("noip", "c", QString(), QString());
    const auto r = LabMerge::merge(lab, {}, {"10.0.0.5", "10.0.0.6"});
    QCOMPARE(r.count(LabMerge::Kind::Missing), 2);
    QVERIFY(changeFor(r, "in"));
    QVERIFY(!changeFor(r, "out"));
    QVERIFY(changeFor(r, "noip"));
    QCOMPARE(r.lab, lab); // reporting never edits
}

void TestLabMerge::ambiguousHostnameIsConflict()
{
    Lab lab;
    lab.boards << board("b1", "dietpi", "10.0.0.5", QString())
               << board("b2", "DietPi", "10.0.0.6", QString());
    const auto r =
        LabMerge::merge(lab, {host("10.0.0.7", "02:00:00:00:00:07", "DietPi")}, {"10.0.0.7"});
    QCOMPARE(r.count(LabMerge::Kind::Conflict), 1);
    QCOMPARE(r.lab.boards.size(), 2); // not duplicated
}

void TestLabMerge::sameResultTwiceIsIdempotent()
{
    Lab lab;
    const QList<DiscoveredHost> found{host("10.0.0.2", "02:00:00:00:00:02", "n2"),
                                      host("10.0.0.3", "02:00:00:00:00:03", "n3")};
    const auto first = LabMerge::merge(lab, found, {"10.0.0.2", "10.0.0.3"});
    QCOMPARE(first.count(LabMerge::Kind::Added), 2);
    const auto second = LabMerge::merge(first.lab, found, {"10.0.0.2", "10.0.0.3"});
    QCOMPARE(second.count(LabMerge::Kind::Unchanged), 2);
    QCOMPARE(second.lab, first.lab);
}

void TestLabMerge::macCaseAndNotationIgnored()
{
    Lab lab;
    lab.boards << board("b1", "x", "10.0.0.2", "aa-bb-cc-dd-ee-01");
    const auto r = LabMerge::merge(lab, {host("10.0.0.2", "AA:BB:CC:DD:EE:01")}, {"10.0.0.2"});
    QCOMPARE(changeFor(r, "b1")->matchedBy, QStringLiteral("mac"));
    QCOMPARE(r.lab.boards.size(), 1);
}

void TestLabMerge::hintsFromPortsAndBanner()
{
    DiscoveredHost h = host("10.0.0.4", "36:c9:e3:f1:b8:05");
    h.openPorts = {2222, 2375, 5985};
    h.sshPort = 2222;
    h.sshBanner = QStringLiteral("SSH-2.0-dropbear_2022.83");
    h.deriveHints(OuiTable::builtin());
    QCOMPARE(h.osHint, QStringLiteral("DietPi?"));
    QVERIFY(h.vendor.isEmpty());
    QVERIFY(h.hints.join('\n').contains(QStringLiteral("locally administered")));
    QVERIFY(h.hints.join('\n').contains(QStringLiteral("non-standard port 2222")));
    QVERIFY(h.hints.join('\n').contains(QStringLiteral("WinRM")));
    QCOMPARE(h.warnings.size(), 1);
    QVERIFY(h.warnings.first().contains(QStringLiteral("2375")));
    // A guessed OS ("DietPi?") is not written into the lab.
    const auto r = LabMerge::merge(Lab{}, {h}, {"10.0.0.4"});
    QVERIFY(r.lab.boards.first().os.isEmpty());
    QCOMPARE(r.lab.boards.first().sshPort, 2222);
    const QJsonObject j = h.toJson();
    QCOMPARE(j.value("sshPort").toInt(), 2222);
    QCOMPARE(j.value("openPorts").toArray().size(), 3);
}

void TestLabMerge::scanningMachineIsNotABoard()
{
    DiscoveredHost self = host("10.0.0.2", QString());
    self.isThisMachine = true;
    self.deriveHints(OuiTable::builtin());
    QVERIFY(self.hints.contains(QStringLiteral("This machine.")));
    QVERIFY(self.toJson().value("thisMachine").toBool());
    const auto r = LabMerge::merge(Lab{}, {self, host("10.0.0.3", "02:00:00:00:00:03")},
                                   {"10.0.0.2", "10.0.0.3"});
    QCOMPARE(r.lab.boards.size(), 1);
    QCOMPARE(r.lab.boards[0].ip, QStringLiteral("10.0.0.3"));
}

void TestLabMerge::hostnameThatIsNoHostNameIsNotRecorded()
{
    // Names from the network need not be RFC 1123 host names (an underscore in reverse DNS, a
    // space in an mDNS name); the merged lab must still save, so those are not recorded.
    Lab lab;
    Board known = board("board-1", QString(), "10.0.0.2", "B8:27:EB:00:00:01");
    known.rackId.clear();
    known.slot = -1;
    lab.boards << known;
    const auto r = LabMerge::merge(lab,
                                   {host("10.0.0.2", "b8:27:eb:00:00:01", "my_pi.lan"),
                                    host("10.0.0.9", QString(), "living room.local")},
                                   {"10.0.0.2", "10.0.0.9"});
    QCOMPARE(r.lab.boards.size(), 2);
    QVERIFY(r.lab.boards[0].hostname.isEmpty());
    QVERIFY(r.lab.boards[1].hostname.isEmpty());
    LabFileError error;
    QVERIFY2(LabFile::validate(r.lab, &error), qPrintable(error.toString()));
}

void TestLabMerge::membersOfARunningSwarmAreAdopted()
{
    Lab lab;
    lab.boards << board("board-1", "pi-a", "10.0.0.2", "B8:27:EB:00:00:01");
    lab.boards[0].role = Role::Worker; // the plan's role stays
    auto member = [](const char *ip, const char *mac, const char *name, bool manager) {
        DiscoveredHost h = host(QLatin1String(ip), QLatin1String(mac), QLatin1String(name));
        HostFacts f;
        f.swarmState = QStringLiteral("active");
        f.swarmManager = manager;
        f.swarmNodeId = manager ? QStringLiteral("p1efijg1nwv8m2lkuttysba0k")
                                : QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66");
        h.facts = f;
        return h;
    };
    const auto r = LabMerge::merge(lab,
                                   {member("10.0.0.2", "b8:27:eb:00:00:01", "pi-a", true),
                                    member("10.0.0.9", "b8:27:eb:00:00:09", "pi-b", false)},
                                   {"10.0.0.2", "10.0.0.9"});
    QCOMPARE(r.lab.boards.size(), 2);
    QCOMPARE(r.lab.boards[0].role, Role::Worker);
    QCOMPARE(r.lab.boards[0].nodeId, QStringLiteral("p1efijg1nwv8m2lkuttysba0k"));
    QVERIFY(
        changeFor(r, QStringLiteral("board-1"))->message.contains(QLatin1String("swarm node ID")));
    QCOMPARE(r.lab.boards[1].role, Role::Worker);
    QCOMPARE(r.lab.boards[1].nodeId, QStringLiteral("nr3cb8y3wjigj2tpkz25f5j66"));
    QVERIFY2(r.changes.last().message.contains(QLatin1String("worker in its running swarm")),
             qPrintable(r.changes.last().message));
    // Not in a swarm, or a node ID that is none: nothing recorded.
    DiscoveredHost idle = member("10.0.0.9", "b8:27:eb:00:00:09", "pi-b", true);
    idle.facts->swarmState = QStringLiteral("inactive");
    idle.facts->swarmNodeId = QStringLiteral("not-an-id");
    const auto r2 = LabMerge::merge(Lab(), {idle}, {"10.0.0.9"});
    QCOMPARE(r2.lab.boards[0].role, Role::Unassigned);
    QVERIFY(r2.lab.boards[0].nodeId.isEmpty());
}

void TestLabMerge::rackLabelPlacesAdoptedBoardsAndUserLabelsAreKept()
{
    Lab lab = twoRacks();
    const PowerSupply psu = lab.powerSupplies.first();
    const NetworkSwitch sw = lab.switches.first();
    lab.swarm.defaultLabels.insert(QStringLiteral("site"), QStringLiteral("home"));
    auto member = [](const char *ip, const char *mac, const QMap<QString, QString> &labels) {
        DiscoveredHost h = host(QLatin1String(ip), QLatin1String(mac));
        HostFacts f;
        f.swarmState = QStringLiteral("active");
        f.swarmNodeLabels = labels;
        h.facts = f;
        return h;
    };
    const QMap<QString, QString> toRack2{{QStringLiteral("hivelab.rack"), QStringLiteral("rack-2")},
                                         {QStringLiteral("hivelab.psu"), QStringLiteral("psu-9")},
                                         {QStringLiteral("site"), QStringLiteral("home")},
                                         {QStringLiteral("zone"), QStringLiteral("attic")}};
    // Two boards for rack-2 (two slots), a third finds it full and is spread as usual; a label
    // naming no rack of the lab places nothing.
    const auto r =
        LabMerge::merge(lab,
                        {member("10.0.0.4", "02:00:00:00:00:04", toRack2),
                         member("10.0.0.5", "02:00:00:00:00:05", toRack2),
                         member("10.0.0.6", "02:00:00:00:00:06", toRack2),
                         member("10.0.0.7", "02:00:00:00:00:07",
                                {{QStringLiteral("hivelab.rack"), QStringLiteral("rack-9")}})},
                        {});
    QCOMPARE(r.lab.boards.size(), 4);
    const Board &a = r.lab.boards[0];
    QCOMPARE(a.rackId, QStringLiteral("rack-2"));
    QCOMPARE(a.slot, 0);
    QCOMPARE(a.psuId, psu.id); // cabled to the rack's gear (placeBoard), not to the stale label
    QCOMPARE(a.switchId, sw.id);
    QCOMPARE(a.switchPort, 1);
    QVERIFY2(changeFor(r, a.id)->message.contains(QLatin1String("Rack 2 slot 1")),
             qPrintable(changeFor(r, a.id)->message));
    // The user's own label is recorded; hivelab.* and the swarm's defaults come from the plan.
    QCOMPARE(a.labels, (QMap<QString, QString>{{QStringLiteral("zone"), QStringLiteral("attic")}}));
    QCOMPARE(r.lab.boards[1].rackId, QStringLiteral("rack-2"));
    QCOMPARE(r.lab.boards[1].slot, 1);
    QCOMPARE(r.lab.boards[1].switchPort, 2);
    QCOMPARE(r.lab.boards[2].rackId, QStringLiteral("rack-1"));
    QCOMPARE(r.lab.boards[3].rackId, QStringLiteral("rack-1"));
    LabFileError error;
    QVERIFY2(LabFile::validate(r.lab, &error), qPrintable(error.toString()));

    // The same rules from a login (the wizard and the main window): an unplaced board moves
    // into its labelled rack, a placed one stays where the plan has it.
    Lab planned = lab;
    Board loose = board("b1", "pi-a", "10.0.0.4", QString());
    loose.rackId.clear();
    loose.slot = -1;
    Board placed = board("b2", "pi-b", "10.0.0.5", QString());
    planned.boards << loose << placed;
    QHash<QString, DiscoveredHost> learnt{{QStringLiteral("b1"), member("10.0.0.4", "", toRack2)},
                                          {QStringLiteral("b2"), member("10.0.0.5", "", toRack2)}};
    QStringList changed;
    const Lab filled = LabMerge::fillIn(planned, learnt, &changed);
    QCOMPARE(changed, (QStringList{QStringLiteral("b1"), QStringLiteral("b2")}));
    QCOMPARE(filled.board(QStringLiteral("b1"))->rackId, QStringLiteral("rack-2"));
    QCOMPARE(filled.board(QStringLiteral("b1"))->switchId, sw.id);
    QCOMPARE(filled.board(QStringLiteral("b2"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(filled.board(QStringLiteral("b2"))->labels.value(QStringLiteral("zone")),
             QStringLiteral("attic"));
    // Nothing new the second time.
    changed.clear();
    QCOMPARE(LabMerge::fillIn(filled, learnt, &changed), filled);
    QVERIFY(changed.isEmpty());
}

QTEST_GUILESS_MAIN(TestLabMerge)
#include "tst_labmerge.moc"
