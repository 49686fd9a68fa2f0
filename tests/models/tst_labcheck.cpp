// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "../common/sanitizers.h"
#include "demolab.h"
#include "labcheck.h"
#include "labfile.h"

#include "../common/labgenerators.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <ctime>

using namespace Hivelab;

namespace {

QString rackId(int r)
{
    return QStringLiteral("rack-%1").arg(r);
}
QString psuId(int r)
{
    return QStringLiteral("psu-%1").arg(r);
}
QString switchId(int r)
{
    return QStringLiteral("switch-%1").arg(r);
}
QString boardId(int r, int slot)
{
    return QStringLiteral("b-%1-%2").arg(r).arg(slot);
}

/// `racks` racks, each with its own 200 W supply on its own circuit, its own 16-port switch and
/// `perRack` Linux arm64 workers of a model the empty catalog does not know (15 W assumed).
Lab rackLab(int racks, int perRack)
{
    Lab lab;
    lab.name = QStringLiteral("test");
    for (int r = 1; r <= racks; ++r) {
        lab.racks.append({rackId(r), QStringLiteral("Rack %1").arg(r), 8});
        PowerSupply psu;
        psu.id = psuId(r);
        psu.name = QStringLiteral("PSU %1").arg(r);
        psu.rackId = rackId(r);
        psu.circuit = QStringLiteral("circuit-%1").arg(r);
        psu.ratingWatts = 200;
        lab.powerSupplies.append(psu);
        NetworkSwitch sw;
        sw.id = switchId(r);
        sw.name = QStringLiteral("Switch %1").arg(r);
        sw.rackId = rackId(r);
        sw.psuId = psuId(r);
        sw.ports = 16;
        sw.watts = 5;
        sw.uplink = QStringLiteral("router");
        lab.switches.append(sw);
        for (int s = 0; s < perRack; ++s) {
            Board b;
            b.id = boardId(r, s);
            b.name = b.id;
            b.model = QStringLiteral("test-board");
            b.arch = QStringLiteral("arm64");
            b.os = QStringLiteral("Debian 12");
            b.role = Role::Worker;
            b.rackId = rackId(r);
            b.slot = s;
            b.psuId = psuId(r);
            b.switchId = switchId(r);
            b.switchPort = s + 1;
            lab.boards.append(b);
        }
    }
    return lab;
}

void setRole(Lab &lab, const QString &id, Role role)
{
    Board *b = lab.board(id);
    QVERIFY2(b, qPrintable(id));
    b->role = role;
}

void addStorage(Lab &lab, const QString &id)
{
    StorageDevice disk;
    disk.name = QStringLiteral("usb");
    disk.peakWatts = 4.5;
    lab.board(id)->storage.append(disk);
}

/// A lab with managers on slot 0 of racks 1..3 (safe).
Lab safeLab()
{
    Lab lab = rackLab(3, 3);
    for (int r = 1; r <= 3; ++r)
        lab.board(boardId(r, 0))->role = Role::Manager;
    return lab;
}

CheckReport check(const Lab &lab)
{
    static const BoardCatalog empty;
    return checkLab(lab, empty);
}

QStringList codes(const CheckReport &report, Severity severity)
{
    QStringList out;
    for (const Finding &f : report.findings) {
        if (f.severity == severity)
            out.append(f.code);
    }
    return out;
}

QStringList allCodes(const CheckReport &report)
{
    QStringList out;
    for (const Finding &f : report.findings)
        out.append(f.code);
    return out;
}

bool hasCode(const CheckReport &report, const QString &code, Severity severity)
{
    return codes(report, severity).contains(code);
}

QString dump(const CheckReport &report)
{
    QStringList lines;
    for (const Finding &f : report.findings)
        lines << severityName(f.severity) + QLatin1Char(' ') + f.code + QLatin1String(": ") +
                     f.message;
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestLabCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quorumArithmetic_data();
    void quorumArithmetic();
    void quorumAfterDemotion_data();
    void quorumAfterDemotion();
    void managerCount_data();
    void managerCount();
    void emptyLabIsAStartNotAnError();
    void liveManagers_data();
    void liveManagers();
    void safeLabHasNoFindingsOfConcern();
    void rackLossBreaksQuorum();
    void singleManagerDomainLossIsWarning();
    void psuCascade();
    void rackLossTakesItsPsuAlong();
    void circuitCascade();
    void switchCascade();
    void switchLossBreaksQuorum();
    void unknownDomainId();
    void unknownFaultDomain();
    void powerBudget_data();
    void powerBudget();
    void powerUsesCatalog();
    void builtinCatalogKnowsDemoBoards();
    void unknownModelWarning();
    void switchPorts_data();
    void switchPorts();
    void switchUplinkCycle();
    void rackSlots_data();
    void rackSlots();
    void storageSpread_data();
    void storageSpread();
    void workersLostAreReported();
    void mixedArchitecture_data();
    void mixedArchitecture();
    void windowsNodes();
    void managerBoards();
    void danglingReferences();
    void duplicateIds();
    void suggestionFixesBadPlacement();
    void suggestionPrefersBoardsWithoutStorage();
    void suggestionAvoidsWindows();
    void suggestionFiveWhenAsked();
    void suggestionImpossible_data();
    void suggestionImpossible();
    void suggestionKeepsSafePlacement();
    void largeLabIsFast();
    void hugeLabsCheckInNearLinearTime_data();
    void hugeLabsCheckInNearLinearTime();
    void randomLabsAgreeWithBruteForce();
    void demoLabHasNoErrors();
    void json();
};

void TestLabCheck::quorumArithmetic_data()
{
    QTest::addColumn<int>("managers");
    QTest::addColumn<int>("quorum");
    QTest::addColumn<int>("tolerated");
    const int quorum[] = {0, 1, 2, 2, 3, 3, 4, 4, 5};
    const int tolerated[] = {0, 0, 0, 1, 1, 2, 2, 3, 3};
    for (int n = 0; n <= 8; ++n)
        QTest::addRow("n=%d", n) << n << quorum[n] << tolerated[n];
}

void TestLabCheck::quorumAfterDemotion_data()
{
    QTest::addColumn<int>("managers");
    QTest::addColumn<int>("reachable");
    QTest::addColumn<int>("demoted");
    QTest::addColumn<int>("demotedReachable");
    QTest::addColumn<bool>("keeps");
    QTest::newRow("3 healthy, demote one") << 3 << 3 << 1 << 1 << true;
    QTest::newRow("3 healthy, demote two") << 3 << 3 << 2 << 2 << true; // 1 of 1
    QTest::newRow("3 with one down, demote a live one") << 3 << 2 << 1 << 1 << false;
    QTest::newRow("3 with one down, demote the dead one") << 3 << 2 << 1 << 0 << true;
    QTest::newRow("5 with two down, demote a live one") << 5 << 3 << 1 << 1 << false;
    QTest::newRow("5 with two down, demote both dead") << 5 << 3 << 2 << 0 << true;
    QTest::newRow("last manager") << 1 << 1 << 1 << 1 << false;
    QTest::newRow("nothing demoted, quorum lost already") << 3 << 1 << 0 << 0 << false;
}

void TestLabCheck::quorumAfterDemotion()
{
    QFETCH(int, managers);
    QFETCH(int, reachable);
    QFETCH(int, demoted);
    QFETCH(int, demotedReachable);
    QFETCH(bool, keeps);
    QCOMPARE(keepsQuorumAfterDemotion(managers, reachable, demoted, demotedReachable), keeps);
}

void TestLabCheck::quorumArithmetic()
{
    QFETCH(int, managers);
    QFETCH(int, quorum);
    QFETCH(int, tolerated);
    QCOMPARE(quorumFor(managers), quorum);
    QCOMPARE(toleratedFailuresFor(managers), tolerated);

    Lab lab = rackLab(9, 1);
    for (int r = 1; r <= managers; ++r)
        setRole(lab, boardId(r, 0), Role::Manager);
    const CheckReport report = check(lab);
    QCOMPARE(report.managerCount, managers);
    QCOMPARE(report.quorum, quorum);
    QCOMPARE(report.toleratedFailures, tolerated);
    for (const DomainImpact &d : report.domains) {
        QCOMPARE(d.survivingManagers, managers - int(d.lostManagers.size()));
        QCOMPARE(d.breaksQuorum, managers > 0 && d.survivingManagers < quorum);
    }
}

void TestLabCheck::emptyLabIsAStartNotAnError()
{
    // A brand-new lab, and a planned one (racks, supplies, switches) before any board: no
    // "no manager" error, no placement warning, one plain "lab.empty" note.
    for (const Lab &lab : {Lab(), rackLab(3, 0)}) {
        const CheckReport report = check(lab);
        QVERIFY2(report.isEmptyLab(), qPrintable(dump(report)));
        QCOMPARE(codes(report, Severity::Error), QStringList());
        QCOMPARE(codes(report, Severity::Warning), QStringList());
        QCOMPARE(codes(report, Severity::Info), QStringList{QStringLiteral("lab.empty")});
        QVERIFY(!report.findingsWithCode(QStringLiteral("lab.empty")).first().suggestion.isEmpty());
        QCOMPARE(report.domains.isEmpty(), lab.racks.isEmpty()); // what one failure takes
    }
    // What an empty lab does hold is still checked: a switch in a rack that is gone.
    Lab broken = rackLab(1, 0);
    broken.switches[0].rackId = QStringLiteral("rack-gone");
    const CheckReport report = check(broken);
    QVERIFY(report.isEmptyLab());
    QVERIFY(hasCode(report, QStringLiteral("lab.dangling-reference"), Severity::Error));
    // One board ends the empty state, and the manager rules apply again.
    const CheckReport one = check(rackLab(1, 1));
    QVERIFY(!one.isEmptyLab());
    QVERIFY(hasCode(one, QStringLiteral("managers.none"), Severity::Error));
}

void TestLabCheck::managerCount_data()
{
    QTest::addColumn<int>("managers");
    QTest::addColumn<QStringList>("errors");
    QTest::addColumn<QStringList>("warnings");
    QTest::addColumn<QStringList>("absent");
    const QString none = QStringLiteral("managers.none");
    const QString single = QStringLiteral("managers.single");
    const QString even = QStringLiteral("managers.even");
    const QString many = QStringLiteral("managers.too-many");
    QTest::newRow("0") << 0 << QStringList{none} << QStringList{}
                       << QStringList{single, even, many};
    QTest::newRow("1") << 1 << QStringList{} << QStringList{single}
                       << QStringList{none, even, many};
    // Two managers in two racks: losing either rack leaves 1 of 2, below the quorum of 2.
    QTest::newRow("2") << 2 << QStringList{QStringLiteral("quorum.rack-loss")} << QStringList{even}
                       << QStringList{none, single, many};
    QTest::newRow("3") << 3 << QStringList{} << QStringList{}
                       << QStringList{none, single, even, many};
    QTest::newRow("4") << 4 << QStringList{} << QStringList{even}
                       << QStringList{none, single, many};
    QTest::newRow("5") << 5 << QStringList{} << QStringList{}
                       << QStringList{none, single, even, many};
    QTest::newRow("7") << 7 << QStringList{} << QStringList{}
                       << QStringList{none, single, even, many};
    QTest::newRow("8") << 8 << QStringList{} << QStringList{even, many}
                       << QStringList{none, single};
    QTest::newRow("9") << 9 << QStringList{} << QStringList{many}
                       << QStringList{none, single, even};
}

void TestLabCheck::managerCount()
{
    QFETCH(int, managers);
    QFETCH(QStringList, errors);
    QFETCH(QStringList, warnings);
    QFETCH(QStringList, absent);
    Lab lab = rackLab(9, 1);
    for (int r = 1; r <= managers; ++r)
        setRole(lab, boardId(r, 0), Role::Manager);
    const CheckReport report = check(lab);
    for (const QString &code : errors)
        QVERIFY2(hasCode(report, code, Severity::Error), qPrintable(code + '\n' + dump(report)));
    for (const QString &code : warnings)
        QVERIFY2(hasCode(report, code, Severity::Warning), qPrintable(code + '\n' + dump(report)));
    for (const QString &code : absent)
        QVERIFY2(!allCodes(report).contains(code), qPrintable(code + '\n' + dump(report)));
    QCOMPARE(report.hasErrors(), !errors.isEmpty());
}

void TestLabCheck::liveManagers_data()
{
    QTest::addColumn<int>("planned");
    QTest::addColumn<int>("live");
    QTest::addColumn<bool>("finding");
    QTest::newRow("3 of 3") << 3 << 3 << false;
    QTest::newRow("2 of 3") << 3 << 2 << true;
    QTest::newRow("1 of 3") << 3 << 1 << true;
    QTest::newRow("4 of 5: still survives one") << 5 << 4 << false;
    QTest::newRow("2 of 5") << 5 << 2 << true;
    QTest::newRow("1 of 1: the plan survives nothing anyway") << 1 << 1 << false;
    QTest::newRow("1 of 2") << 2 << 1 << false;
    QTest::newRow("none live: no swarm known") << 3 << 0 << false;
}

void TestLabCheck::liveManagers()
{
    QFETCH(int, planned);
    QFETCH(int, live);
    QFETCH(bool, finding);
    Lab lab = rackLab(9, 1);
    QStringList liveIds;
    for (int r = 1; r <= planned; ++r) {
        setRole(lab, boardId(r, 0), Role::Manager);
        if (r <= live)
            liveIds << boardId(r, 0);
    }
    const QList<Finding> findings = checkLiveManagers(lab, liveIds);
    QCOMPARE(findings.size(), finding ? 1 : 0);
    if (finding) {
        QCOMPARE(findings.first().code, QStringLiteral("managers.live-no-tolerance"));
        QCOMPARE(findings.first().severity, Severity::Error);
        QCOMPARE(findings.first().objectIds.size(), planned - live);
        QVERIFY(!findings.first().objectIds.contains(liveIds.first()));
    }
}

void TestLabCheck::safeLabHasNoFindingsOfConcern()
{
    const CheckReport report = check(safeLab());
    // Only the unknown test model is worth a warning; everything else is fine.
    QCOMPARE(codes(report, Severity::Error), QStringList());
    QCOMPARE(codes(report, Severity::Warning), QStringList{QStringLiteral("power.unknown-model")});
    QCOMPARE(report.domains.size(), 3 * 4);
}

void TestLabCheck::rackLossBreaksQuorum()
{
    Lab lab = rackLab(3, 3);
    setRole(lab, boardId(2, 0), Role::Manager);
    setRole(lab, boardId(2, 1), Role::Manager);
    setRole(lab, boardId(3, 0), Role::Manager);
    const CheckReport report = check(lab);
    const QList<Finding> lost = report.findingsWithCode(QStringLiteral("quorum.rack-loss"));
    QCOMPARE(lost.size(), 1);
    const Finding &f = lost.first();
    QCOMPARE(f.severity, Severity::Error);
    QVERIFY2(f.message.startsWith(
                 QStringLiteral("Losing Rack 2 leaves 1 of 3 managers; quorum needs 2.")),
             qPrintable(f.message));
    QVERIFY(f.objectIds.contains(rackId(2)));
    QVERIFY(f.objectIds.contains(boardId(2, 0)));
    QVERIFY(f.objectIds.contains(boardId(2, 1)));
    QVERIFY(!f.objectIds.contains(boardId(3, 0)));
    QVERIFY(!f.suggestion.isEmpty());
    // The same two managers share rack 2's supply, circuit and switch.
    QVERIFY(hasCode(report, QStringLiteral("quorum.psu-loss"), Severity::Error));
    QVERIFY(hasCode(report, QStringLiteral("quorum.circuit-loss"), Severity::Error));
    QVERIFY(hasCode(report, QStringLiteral("quorum.switch-loss"), Severity::Error));
    QVERIFY(report.hasErrors());

    const CheckReport good = check(safeLab());
    QVERIFY2(!good.hasErrors(), qPrintable(dump(good)));
    for (const DomainImpact &d : good.domains)
        QVERIFY(!d.breaksQuorum);
}

void TestLabCheck::singleManagerDomainLossIsWarning()
{
    Lab lab = rackLab(3, 1);
    setRole(lab, boardId(1, 0), Role::Manager);
    const CheckReport report = check(lab);
    QVERIFY(!report.hasErrors());
    QVERIFY(hasCode(report, QStringLiteral("managers.single"), Severity::Warning));
    QVERIFY(hasCode(report, QStringLiteral("quorum.rack-loss"), Severity::Warning));
}

void TestLabCheck::psuCascade()
{
    Lab lab = rackLab(3, 2);
    // Rack 3's second board and switch 2 run from PSU 1.
    lab.board(boardId(3, 1))->psuId = psuId(1);
    lab.switches[1].psuId = psuId(1);
    const DomainImpact d = domainImpact(lab, FaultDomainKind::PowerSupply, psuId(1));
    QCOMPARE(d.name, QStringLiteral("PSU 1"));
    QCOMPARE(d.lostPowerSupplies, QStringList{psuId(1)});
    QCOMPARE(d.lostSwitches, (QStringList{switchId(1), switchId(2)}));
    // Rack 2's boards have power but no network.
    QCOMPARE(d.lostBoards, (QStringList{boardId(1, 0), boardId(1, 1), boardId(2, 0), boardId(2, 1),
                                        boardId(3, 1)}));

    const DomainImpact other = domainImpact(lab, FaultDomainKind::PowerSupply, psuId(3));
    // Rack 3's second board still has power but its switch does not.
    QCOMPARE(other.lostBoards, (QStringList{boardId(3, 0), boardId(3, 1)}));
    QCOMPARE(other.lostSwitches, QStringList{switchId(3)});
}

void TestLabCheck::rackLossTakesItsPsuAlong()
{
    Lab lab = rackLab(2, 2);
    lab.board(boardId(2, 0))->psuId = psuId(1);
    const DomainImpact d = domainImpact(lab, FaultDomainKind::Rack, rackId(1));
    QCOMPARE(d.lostPowerSupplies, QStringList{psuId(1)});
    QCOMPARE(d.lostSwitches, QStringList{switchId(1)});
    QCOMPARE(d.lostBoards, (QStringList{boardId(1, 0), boardId(1, 1), boardId(2, 0)}));
}

void TestLabCheck::circuitCascade()
{
    Lab lab = rackLab(3, 1);
    lab.powerSupplies[1].circuit = lab.powerSupplies[0].circuit;
    const DomainImpact d = domainImpact(lab, FaultDomainKind::Circuit, QStringLiteral("circuit-1"));
    QCOMPARE(d.lostPowerSupplies, (QStringList{psuId(1), psuId(2)}));
    QCOMPARE(d.lostSwitches, (QStringList{switchId(1), switchId(2)}));
    QCOMPARE(d.lostBoards, (QStringList{boardId(1, 0), boardId(2, 0)}));

    // Two managers on one circuit is an error even when racks and supplies are separate.
    for (int r = 1; r <= 3; ++r)
        setRole(lab, boardId(r, 0), Role::Manager);
    const CheckReport report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("quorum.circuit-loss"), Severity::Error));
    QVERIFY(!allCodes(report).contains(QStringLiteral("quorum.rack-loss")));
    QVERIFY(!allCodes(report).contains(QStringLiteral("quorum.psu-loss")));
    // The report lists one domain per distinct circuit.
    int circuits = 0;
    for (const DomainImpact &i : report.domains)
        circuits += i.kind == FaultDomainKind::Circuit ? 1 : 0;
    QCOMPARE(circuits, 2);
}

void TestLabCheck::switchCascade()
{
    Lab lab = rackLab(3, 1);
    // switch-3 -> switch-2 -> switch-1 -> router
    lab.switches[1].uplinkSwitchId = switchId(1);
    lab.switches[2].uplinkSwitchId = switchId(2);
    const DomainImpact top = domainImpact(lab, FaultDomainKind::Switch, switchId(1));
    QCOMPARE(top.lostSwitches, (QStringList{switchId(1), switchId(2), switchId(3)}));
    QCOMPARE(top.lostBoards, (QStringList{boardId(1, 0), boardId(2, 0), boardId(3, 0)}));
    QCOMPARE(top.lostPowerSupplies, QStringList());

    const DomainImpact middle = domainImpact(lab, FaultDomainKind::Switch, switchId(2));
    QCOMPARE(middle.lostSwitches, (QStringList{switchId(2), switchId(3)}));
    QCOMPARE(middle.lostBoards, (QStringList{boardId(2, 0), boardId(3, 0)}));

    const DomainImpact leaf = domainImpact(lab, FaultDomainKind::Switch, switchId(3));
    QCOMPARE(leaf.lostBoards, QStringList{boardId(3, 0)});
}

void TestLabCheck::switchLossBreaksQuorum()
{
    Lab lab = safeLab();
    lab.switches[2].uplinkSwitchId = switchId(2);
    const CheckReport report = check(lab);
    const QList<Finding> lost = report.findingsWithCode(QStringLiteral("quorum.switch-loss"));
    QCOMPARE(lost.size(), 1);
    QVERIFY(lost.first().objectIds.contains(switchId(2)));
    QVERIFY(lost.first().message.contains(QStringLiteral("Switch 2")));
    // Losing the leaf switch only costs one manager.
    for (const DomainImpact &d : report.domains) {
        if (d.kind == FaultDomainKind::Switch)
            QCOMPARE(d.breaksQuorum, d.id == switchId(2));
    }
    QVERIFY(check(safeLab()).findingsWithCode(QStringLiteral("quorum.switch-loss")).isEmpty());
}

void TestLabCheck::unknownDomainId()
{
    const Lab lab = safeLab();
    for (FaultDomainKind kind : {FaultDomainKind::Rack, FaultDomainKind::PowerSupply,
                                 FaultDomainKind::Circuit, FaultDomainKind::Switch}) {
        const DomainImpact d = domainImpact(lab, kind, QStringLiteral("nope"));
        QVERIFY(d.lostBoards.isEmpty());
        QVERIFY(!d.breaksQuorum);
        QCOMPARE(d.survivingManagers, 3);
    }
}

void TestLabCheck::unknownFaultDomain()
{
    Lab lab = safeLab();
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("board.no-psu")));
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("board.no-switch")));
    lab.board(boardId(1, 1))->psuId.clear();
    lab.board(boardId(2, 1))->switchId.clear();
    lab.board(boardId(2, 1))->switchPort = -1;
    const CheckReport report = check(lab);
    const QList<Finding> psu = report.findingsWithCode(QStringLiteral("board.no-psu"));
    QCOMPARE(psu.size(), 1);
    QCOMPARE(psu.first().severity, Severity::Warning);
    QCOMPARE(psu.first().objectIds, QStringList{boardId(1, 1)});
    const QList<Finding> sw = report.findingsWithCode(QStringLiteral("board.no-switch"));
    QCOMPARE(sw.size(), 1);
    QCOMPARE(sw.first().objectIds, QStringList{boardId(2, 1)});
    QVERIFY(!report.hasErrors());
    // Unknown domains never count as lost: the board without a switch survives every switch.
    for (const DomainImpact &d : report.domains) {
        if (d.kind == FaultDomainKind::Switch)
            QVERIFY(!d.lostBoards.contains(boardId(2, 1)));
    }

    QVERIFY(!allCodes(report).contains(QStringLiteral("board.unplaced")));
    lab.board(boardId(3, 2))->rackId.clear();
    lab.board(boardId(3, 2))->slot = -1;
    const CheckReport unplaced = check(lab);
    QVERIFY(hasCode(unplaced, QStringLiteral("board.unplaced"), Severity::Info));
    QCOMPARE(unplaced.findingsWithCode(QStringLiteral("board.unplaced")).first().objectIds,
             QStringList{boardId(3, 2)});
}

void TestLabCheck::powerBudget_data()
{
    QTest::addColumn<double>("watts");
    QTest::addColumn<double>("amps");
    QTest::addColumn<double>("volts");
    QTest::addColumn<QString>("code");
    QTest::addColumn<Severity>("severity");
    // One rack: 3 boards x 15 W assumed + 4.5 W disk + 5 W switch = 54.5 W peak.
    QTest::newRow("ample") << 200.0 << 0.0 << 0.0 << QString() << Severity::Info;
    QTest::newRow("exactly 80%") << 54.5 / 0.8 << 0.0 << 0.0 << QString() << Severity::Info;
    QTest::newRow("amps x volts ok") << 0.0 << 20.0 << 5.0 << QString() << Severity::Info;
    QTest::newRow("under 20% headroom")
        << 60.0 << 0.0 << 0.0 << QStringLiteral("power.low-headroom") << Severity::Warning;
    QTest::newRow("amps x volts tight")
        << 0.0 << 12.0 << 5.0 << QStringLiteral("power.low-headroom") << Severity::Warning;
    QTest::newRow("over") << 50.0 << 0.0 << 0.0 << QStringLiteral("power.over-budget")
                          << Severity::Error;
    QTest::newRow("no rating") << 0.0 << 0.0 << 0.0 << QStringLiteral("power.no-rating")
                               << Severity::Warning;
}

void TestLabCheck::powerBudget()
{
    QFETCH(double, watts);
    QFETCH(double, amps);
    QFETCH(double, volts);
    QFETCH(QString, code);
    QFETCH(Severity, severity);
    Lab lab = rackLab(1, 3);
    addStorage(lab, boardId(1, 2));
    lab.powerSupplies[0].ratingWatts = watts;
    lab.powerSupplies[0].ratingAmps = amps;
    lab.powerSupplies[0].volts = volts;
    const CheckReport report = check(lab);
    QCOMPARE(report.powerBudgets.size(), 1);
    const PowerBudget &b = report.powerBudgets.first();
    QCOMPARE(b.psuId, psuId(1));
    QCOMPARE(b.peakWatts, 3 * AssumedBoardPeakWatts + 4.5 + 5);
    QCOMPARE(b.ratingWatts, lab.powerSupplies[0].effectiveWatts());
    QCOMPARE(b.boardIds.size(), 3);
    QCOMPARE(b.switchIds, QStringList{switchId(1)});
    const QStringList power = {QStringLiteral("power.low-headroom"),
                               QStringLiteral("power.over-budget"),
                               QStringLiteral("power.no-rating")};
    for (const QString &c : power) {
        if (c == code)
            QVERIFY2(hasCode(report, c, severity), qPrintable(dump(report)));
        else
            QVERIFY2(!allCodes(report).contains(c), qPrintable(c + '\n' + dump(report)));
    }
}

void TestLabCheck::powerUsesCatalog()
{
    QString error;
    const std::optional<BoardCatalog> catalog = BoardCatalog::fromJson(
        R"({"format": "hivelab-board-catalog", "schemaVersion": 1, "boards": [
            {"id": "test-board", "vendor": "Test", "name": "Test board", "arch": "arm64",
             "volts": 5, "typicalAmps": 1, "peakAmps": 2, "bootMedia": ["microSD"],
             "images": [{"name": "Debian", "defaultUser": "root", "defaultPassword": "x",
                         "sshServer": "openssh"}],
             "ouiPrefixes": [], "hardwareNames": []}]})",
        &error);
    QVERIFY2(catalog, qPrintable(error));
    const BoardModelInfo *model = catalog->model(QStringLiteral("test-board"));
    QVERIFY(model);
    QCOMPARE(model->peakWatts(), 10.0);
    const CheckReport report = checkLab(rackLab(1, 3), *catalog);
    QCOMPARE(report.powerBudgets.first().peakWatts, 3 * 10.0 + 5);
    QVERIFY(!allCodes(report).contains(QStringLiteral("power.unknown-model")));
}

void TestLabCheck::builtinCatalogKnowsDemoBoards()
{
    const BoardCatalog &catalog = BoardCatalog::builtin();
    const Lab lab = demoLab();
    for (const Board &b : lab.boards)
        QVERIFY2(catalog.model(b.model), qPrintable(b.model));
    const CheckReport report = checkLab(lab, catalog);
    QVERIFY(!allCodes(report).contains(QStringLiteral("power.unknown-model")));
    // Architecture comes from the catalog when a board does not say.
    Lab noArch = lab;
    for (Board &b : noArch.boards)
        b.arch.clear();
    QVERIFY(hasCode(checkLab(noArch, catalog), QStringLiteral("arch.mixed"), Severity::Warning));
}

void TestLabCheck::unknownModelWarning()
{
    Lab lab = rackLab(1, 2);
    lab.board(boardId(1, 1))->model.clear();
    const CheckReport report = check(lab);
    const QList<Finding> unknown = report.findingsWithCode(QStringLiteral("power.unknown-model"));
    QCOMPARE(unknown.size(), 2); // one per model: "test-board" and none set
    for (const Finding &f : unknown) {
        QCOMPARE(f.severity, Severity::Warning);
        QCOMPARE(f.objectIds.size(), 1);
        QVERIFY(f.message.contains(QStringLiteral("15.0 W")));
    }
}

void TestLabCheck::switchPorts_data()
{
    QTest::addColumn<int>("ports");
    QTest::addColumn<QList<int>>("boardPorts");
    QTest::addColumn<QString>("code");
    QTest::newRow("fits") << 4 << QList<int>{1, 2, 3} << QString();
    QTest::newRow("unknown ports") << 4 << QList<int>{-1, -1, 2} << QString();
    QTest::newRow("uplink needs a port")
        << 3 << QList<int>{1, 2, 3} << QStringLiteral("switch.ports-exceeded");
    QTest::newRow("duplicate") << 8 << QList<int>{1, 2, 2}
                               << QStringLiteral("switch.port-duplicate");
    QTest::newRow("port 0") << 8 << QList<int>{0, 1, 2} << QStringLiteral("switch.port-range");
    QTest::newRow("beyond") << 8 << QList<int>{1, 2, 9} << QStringLiteral("switch.port-range");
}

void TestLabCheck::switchPorts()
{
    QFETCH(int, ports);
    QFETCH(QList<int>, boardPorts);
    QFETCH(QString, code);
    Lab lab = rackLab(1, 3);
    lab.switches[0].ports = ports;
    for (int i = 0; i < boardPorts.size(); ++i)
        lab.board(boardId(1, i))->switchPort = boardPorts.at(i);
    const CheckReport report = check(lab);
    const QStringList all = {QStringLiteral("switch.ports-exceeded"),
                             QStringLiteral("switch.port-duplicate"),
                             QStringLiteral("switch.port-range")};
    for (const QString &c : all) {
        if (c == code) {
            QVERIFY2(hasCode(report, c, Severity::Error), qPrintable(dump(report)));
            QVERIFY(report.findingsWithCode(c).first().objectIds.contains(switchId(1)));
        } else {
            QVERIFY2(!allCodes(report).contains(c), qPrintable(c + '\n' + dump(report)));
        }
    }
}

void TestLabCheck::switchUplinkCycle()
{
    Lab lab = rackLab(2, 1);
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("switch.uplink-cycle")));
    lab.switches[0].uplinkSwitchId = switchId(2);
    lab.switches[1].uplinkSwitchId = switchId(1);
    const CheckReport report = check(lab); // must terminate
    QVERIFY(hasCode(report, QStringLiteral("switch.uplink-cycle"), Severity::Error));
}

void TestLabCheck::rackSlots_data()
{
    QTest::addColumn<int>("slotCount");
    QTest::addColumn<QList<int>>("rackSlots");
    QTest::addColumn<QStringList>("expected");
    const QString range = QStringLiteral("rack.slot-range");
    const QString dup = QStringLiteral("rack.slot-duplicate");
    const QString full = QStringLiteral("rack.overfull");
    QTest::newRow("fits") << 3 << QList<int>{0, 1, 2} << QStringList{};
    QTest::newRow("unplaced slot") << 3 << QList<int>{0, -1, 2} << QStringList{};
    QTest::newRow("beyond") << 3 << QList<int>{0, 1, 3} << QStringList{range};
    QTest::newRow("negative") << 3 << QList<int>{0, 1, -2} << QStringList{range};
    QTest::newRow("duplicate") << 3 << QList<int>{0, 1, 1} << QStringList{dup};
    QTest::newRow("overfull") << 2 << QList<int>{0, 1, 2} << QStringList{range, full};
}

void TestLabCheck::rackSlots()
{
    QFETCH(int, slotCount);
    QFETCH(QList<int>, rackSlots);
    QFETCH(QStringList, expected);
    Lab lab = rackLab(1, 3);
    lab.racks[0].slotCount = slotCount;
    for (int i = 0; i < rackSlots.size(); ++i)
        lab.board(boardId(1, i))->slot = rackSlots.at(i);
    const CheckReport report = check(lab);
    for (const QString &c :
         {QStringLiteral("rack.slot-range"), QStringLiteral("rack.slot-duplicate"),
          QStringLiteral("rack.overfull")}) {
        QCOMPARE(hasCode(report, c, Severity::Error), expected.contains(c));
    }
}

void TestLabCheck::storageSpread_data()
{
    QTest::addColumn<QStringList>("storage");
    QTest::addColumn<QStringList>("expected");
    const QString single = QStringLiteral("storage.single-rack");
    const QString rackLoss = QStringLiteral("storage.rack-loss");
    QTest::newRow("none") << QStringList{} << QStringList{};
    QTest::newRow("spread") << QStringList{boardId(1, 1), boardId(2, 1), boardId(3, 1)}
                            << QStringList{};
    QTest::newRow("half in one rack is fine")
        << QStringList{boardId(1, 1), boardId(1, 2), boardId(2, 1), boardId(3, 1)} << QStringList{};
    QTest::newRow("all in one rack")
        << QStringList{boardId(1, 1), boardId(1, 2)} << QStringList{single};
    QTest::newRow("most in one rack")
        << QStringList{boardId(1, 1), boardId(1, 2), boardId(2, 1)} << QStringList{rackLoss};
}

void TestLabCheck::storageSpread()
{
    QFETCH(QStringList, storage);
    QFETCH(QStringList, expected);
    Lab lab = safeLab();
    for (const QString &id : storage)
        addStorage(lab, id);
    const CheckReport report = check(lab);
    for (const QString &c :
         {QStringLiteral("storage.single-rack"), QStringLiteral("storage.rack-loss")}) {
        QVERIFY2(hasCode(report, c, Severity::Warning) == expected.contains(c),
                 qPrintable(c + '\n' + dump(report)));
    }
    if (expected.contains(QStringLiteral("storage.rack-loss"))) {
        const Finding f = report.findingsWithCode(QStringLiteral("storage.rack-loss")).first();
        QVERIFY(f.objectIds.contains(rackId(1)));
        QVERIFY(f.message.contains(QStringLiteral("2 of 3")));
    }
}

void TestLabCheck::workersLostAreReported()
{
    Lab lab = safeLab();
    addStorage(lab, boardId(2, 2));
    const CheckReport report = check(lab);
    const QList<Finding> impacts = report.findingsWithCode(QStringLiteral("impact.rack-loss"));
    QCOMPARE(impacts.size(), 3);
    Finding rack2;
    for (const Finding &f : impacts) {
        QCOMPARE(f.severity, Severity::Info);
        if (f.objectIds.contains(rackId(2)))
            rack2 = f;
    }
    QVERIFY(rack2.objectIds.contains(boardId(2, 1)));
    QVERIFY(rack2.objectIds.contains(boardId(2, 2)));
    QVERIFY(!rack2.objectIds.contains(boardId(2, 0))); // the manager is reported by quorum
    QVERIFY(rack2.message.contains(QStringLiteral("Storage lost with it: b-2-2")));
    const DomainImpact &d = report.domains.at(1);
    QCOMPARE(d.id, rackId(2));
    QCOMPARE(d.lostWorkers, (QStringList{boardId(2, 1), boardId(2, 2)}));
    QCOMPARE(d.lostManagers, QStringList{boardId(2, 0)});
    QCOMPARE(d.lostStorage, QStringList{boardId(2, 2)});
}

void TestLabCheck::mixedArchitecture_data()
{
    QTest::addColumn<QString>("otherArch");
    QTest::addColumn<bool>("mixed");
    QTest::newRow("same") << QStringLiteral("arm64") << false;
    QTest::newRow("aarch64 is arm64") << QStringLiteral("aarch64") << false;
    QTest::newRow("amd64") << QStringLiteral("amd64") << true;
    QTest::newRow("armhf") << QStringLiteral("armhf") << true;
}

void TestLabCheck::mixedArchitecture()
{
    QFETCH(QString, otherArch);
    QFETCH(bool, mixed);
    Lab lab = safeLab();
    lab.board(boardId(3, 2))->arch = otherArch;
    const CheckReport report = check(lab);
    QCOMPARE(hasCode(report, QStringLiteral("arch.mixed"), Severity::Warning), mixed);
    if (mixed) {
        const Finding f = report.findingsWithCode(QStringLiteral("arch.mixed")).first();
        QCOMPARE(f.objectIds, QStringList{boardId(3, 2)}); // the minority
        QVERIFY(f.suggestion.contains(QStringLiteral("arch=arm64")));
        QVERIFY(f.suggestion.contains(QStringLiteral("arch=") + otherArch));
        QVERIFY(f.message.contains(QStringLiteral("multi-arch")));
    }
}

void TestLabCheck::windowsNodes()
{
    Lab lab = safeLab();
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("os.windows")));
    lab.board(boardId(1, 2))->os = QStringLiteral("Windows Server 2019");
    const CheckReport report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("os.windows"), Severity::Info));
    QCOMPARE(report.findingsWithCode(QStringLiteral("os.windows")).first().objectIds,
             QStringList{boardId(1, 2)});
    QVERIFY(!report.hasErrors());
}

void TestLabCheck::managerBoards()
{
    Lab lab = safeLab();
    CheckReport report = check(lab);
    QVERIFY(!allCodes(report).contains(QStringLiteral("managers.windows")));
    QVERIFY(!allCodes(report).contains(QStringLiteral("managers.storage")));

    lab.board(boardId(1, 0))->os = QStringLiteral("Windows Server 2016");
    addStorage(lab, boardId(2, 0));
    report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("managers.windows"), Severity::Warning));
    QCOMPARE(report.findingsWithCode(QStringLiteral("managers.windows")).first().objectIds,
             QStringList{boardId(1, 0)});
    QVERIFY(hasCode(report, QStringLiteral("managers.storage"), Severity::Info));
    QCOMPARE(report.findingsWithCode(QStringLiteral("managers.storage")).first().objectIds,
             QStringList{boardId(2, 0)});
    // A Windows manager is not an acceptable placement: a Linux replacement is suggested.
    QVERIFY(!report.suggestedManagers.contains(boardId(1, 0)));
    QCOMPARE(report.suggestedManagers.size(), 3);
}

void TestLabCheck::danglingReferences()
{
    Lab lab = safeLab();
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("lab.dangling-reference")));
    lab.board(boardId(1, 1))->psuId = QStringLiteral("psu-99");
    lab.switches[0].uplinkSwitchId = QStringLiteral("switch-99");
    const CheckReport report = check(lab);
    const QList<Finding> dangling =
        report.findingsWithCode(QStringLiteral("lab.dangling-reference"));
    QCOMPARE(dangling.size(), 2);
    QCOMPARE(dangling.at(0).severity, Severity::Error);
    QVERIFY(dangling.at(0).message.contains(QStringLiteral("switch-99")));
    QVERIFY(dangling.at(1).message.contains(QStringLiteral("psu-99")));
}

void TestLabCheck::duplicateIds()
{
    Lab lab = safeLab();
    QVERIFY(!allCodes(check(lab)).contains(QStringLiteral("lab.duplicate-id")));
    lab.board(boardId(1, 2))->id = boardId(1, 1);
    const CheckReport report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("lab.duplicate-id"), Severity::Error));
    QCOMPARE(report.findingsWithCode(QStringLiteral("lab.duplicate-id")).first().objectIds,
             QStringList{boardId(1, 1)});
}

void TestLabCheck::suggestionFixesBadPlacement()
{
    Lab lab = rackLab(3, 3);
    setRole(lab, boardId(1, 0), Role::Manager);
    setRole(lab, boardId(1, 1), Role::Manager);
    setRole(lab, boardId(2, 0), Role::Manager);
    const CheckReport report = check(lab);
    QVERIFY(report.hasErrors());
    QCOMPARE(report.suggestedManagers.size(), 3);
    QVERIFY(!report.suggestionReason.isEmpty());
    // Two current managers can stay: one from rack 1 and the one in rack 2.
    QVERIFY(report.suggestedManagers.contains(boardId(1, 0)));
    QVERIFY(report.suggestedManagers.contains(boardId(2, 0)));
    QVERIFY(!report.suggestedManagers.contains(boardId(1, 1)));
    const QList<Finding> s = report.findingsWithCode(QStringLiteral("placement.suggestion"));
    QCOMPARE(s.size(), 1);
    QCOMPARE(s.first().objectIds, report.suggestedManagers);
    QVERIFY(s.first().suggestion.contains(QStringLiteral("b-1-1 worker")));
    QVERIFY(report.findingsWithCode(QStringLiteral("quorum.rack-loss"))
                .first()
                .suggestion.contains(QStringLiteral("Suggested:")));

    // Applying the suggestion gives a lab without errors that keeps it.
    for (Board &b : lab.boards)
        b.role = report.suggestedManagers.contains(b.id) ? Role::Manager : Role::Worker;
    const CheckReport after = check(lab);
    QVERIFY2(!after.hasErrors(), qPrintable(dump(after)));
    QCOMPARE(after.suggestedManagers, report.suggestedManagers);
    QVERIFY(after.findingsWithCode(QStringLiteral("placement.suggestion")).isEmpty());
}

void TestLabCheck::suggestionPrefersBoardsWithoutStorage()
{
    Lab lab = rackLab(3, 2);
    for (int r = 1; r <= 3; ++r)
        addStorage(lab, boardId(r, 0));
    const CheckReport report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("managers.none"), Severity::Error));
    QCOMPARE(report.suggestedManagers, (QStringList{boardId(1, 1), boardId(2, 1), boardId(3, 1)}));
}

void TestLabCheck::suggestionAvoidsWindows()
{
    Lab lab = rackLab(3, 2);
    for (int r = 1; r <= 3; ++r)
        lab.board(boardId(r, 1))->os = QStringLiteral("Windows Server 2019");
    lab.board(boardId(3, 0))->os = QStringLiteral("Windows Server 2016");
    // Rack 3 has only Windows boards: no safe placement of Linux managers with one per rack
    // exists among three racks.
    const CheckReport report = check(lab);
    QVERIFY(report.suggestedManagers.isEmpty());
    QVERIFY(hasCode(report, QStringLiteral("placement.impossible"), Severity::Warning));
    QVERIFY2(report.suggestionReason.contains(QStringLiteral("Only 2 board(s)")),
             qPrintable(report.suggestionReason));
}

void TestLabCheck::suggestionFiveWhenAsked()
{
    Lab lab = rackLab(5, 3);
    // Five managers, three of them in rack 1: losing it leaves 2 of 5, below the quorum of 3.
    for (int s = 0; s < 3; ++s)
        setRole(lab, boardId(1, s), Role::Manager);
    setRole(lab, boardId(2, 0), Role::Manager);
    setRole(lab, boardId(3, 0), Role::Manager);
    const CheckReport report = check(lab);
    QVERIFY(hasCode(report, QStringLiteral("quorum.rack-loss"), Severity::Error));
    QCOMPARE(report.suggestedManagers.size(), 5);
    QMap<QString, int> perRack;
    int kept = 0;
    for (const QString &id : report.suggestedManagers) {
        ++perRack[lab.board(id)->rackId];
        kept += lab.board(id)->role == Role::Manager ? 1 : 0;
    }
    // At most two of five per rack (any one loss leaves 3, the quorum); four current kept.
    for (int n : perRack)
        QVERIFY(n <= 2);
    QCOMPARE(kept, 4);
}

void TestLabCheck::suggestionImpossible_data()
{
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QString>("reason");
    QTest::newRow("one rack") << QStringLiteral("rack") << QStringLiteral("1 rack (Rack 1)");
    QTest::newRow("two circuits") << QStringLiteral("circuit")
                                  << QStringLiteral("2 circuits (circuit circuit-1, circuit "
                                                    "circuit-2)");
    // Every switch hangs off switch 1 in rack 1, so rack 1 takes the whole network with it.
    QTest::newRow("one switch") << QStringLiteral("switch")
                                << QStringLiteral("Losing Rack 1 takes down 8 of the 8");
}

void TestLabCheck::suggestionImpossible()
{
    QFETCH(QString, layout);
    QFETCH(QString, reason);
    Lab lab;
    if (layout == QLatin1String("rack")) {
        lab = rackLab(1, 5);
    } else {
        lab = rackLab(4, 2);
        for (int r = 1; r <= 4; ++r) {
            if (layout == QLatin1String("circuit"))
                lab.powerSupplies[r - 1].circuit = QStringLiteral("circuit-%1").arg(r <= 2 ? 1 : 2);
            else if (r > 1)
                lab.switches[r - 1].uplinkSwitchId = switchId(1);
        }
    }
    setRole(lab, lab.boards.at(0).id, Role::Manager);
    const CheckReport report = check(lab);
    QVERIFY(report.suggestedManagers.isEmpty());
    QVERIFY2(report.suggestionReason.contains(reason), qPrintable(report.suggestionReason));
    QVERIFY(hasCode(report, QStringLiteral("placement.impossible"), Severity::Warning));
}

void TestLabCheck::suggestionKeepsSafePlacement()
{
    const Lab lab = safeLab();
    const CheckReport report = check(lab);
    QCOMPARE(report.suggestedManagers, (QStringList{boardId(1, 0), boardId(2, 0), boardId(3, 0)}));
    QVERIFY(report.suggestionReason.contains(QStringLiteral("current 3 managers")));
    QVERIFY(report.findingsWithCode(QStringLiteral("placement.suggestion")).isEmpty());
}

void TestLabCheck::largeLabIsFast()
{
    // 40 racks of 8 whose switches hang off two core switches: no placement survives, no simple
    // argument shows it, and the search must still end quickly.
    Lab lab = rackLab(40, 8);
    for (int core = 1; core <= 2; ++core) {
        NetworkSwitch sw;
        sw.id = QStringLiteral("core-%1").arg(core);
        sw.ports = 24;
        sw.uplink = QStringLiteral("router");
        lab.switches.append(sw);
    }
    for (int r = 1; r <= 40; ++r)
        lab.switches[r - 1].uplinkSwitchId = QStringLiteral("core-%1").arg(r % 2 + 1);
    for (int r = 1; r <= 5; ++r)
        setRole(lab, boardId(1, r), Role::Manager);
    QElapsedTimer timer;
    timer.start();
    const CheckReport report = check(lab);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    qDebug() << "no placement among 320 boards:" << timer.elapsed() << "ms";
    QVERIFY(report.suggestedManagers.isEmpty());
    // The search ran out before proving anything, and says so instead of claiming impossibility.
    QVERIFY(hasCode(report, QStringLiteral("placement.not-found"), Severity::Warning));
    QVERIFY(!allCodes(report).contains(QStringLiteral("placement.impossible")));
    QCOMPARE(report.domains.size(), 40 * 4 + 2);

    // Same size with separate circuits: a five-manager placement is found.
    Lab spread = rackLab(40, 8);
    for (int r = 1; r <= 5; ++r)
        setRole(spread, boardId(1, r), Role::Manager);
    timer.restart();
    const CheckReport ok = check(spread);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    qDebug() << "placement among 320 boards:" << timer.elapsed() << "ms";
    QCOMPARE(ok.suggestedManagers.size(), 5);
    QVERIFY(ok.suggestedManagers.contains(boardId(1, 1)));
}

void TestLabCheck::hugeLabsCheckInNearLinearTime_data()
{
    QTest::addColumn<int>("shape"); // 0 chain, 1 racks of 40, 2 one-board racks
    QTest::addColumn<int>("domains");
    QTest::addColumn<QString>("widest");   // the domain that takes most boards
    QTest::addColumn<int>("widestBoards"); // … this many
    QTest::newRow("1,000-switch uplink chain") << 0 << 1000 << QStringLiteral("switch-1") << 3;
    QTest::newRow("10,000 boards, 1,000 switches")
        << 1 << 250 + 250 + 10 + 1000 << QStringLiteral("rack-1") << 10000; // has the core
    QTest::newRow("20,000 one-board racks") << 2 << 20000 << QStringLiteral("rack-1") << 1;
}

void TestLabCheck::hugeLabsCheckInNearLinearTime()
{
    // Each took over a minute when every domain walked the whole lab with linear lookups (a
    // 1,000-switch chain: > 60 s). Now 0.4–2.1 s of CPU for reading, checking and the JSON report
    // (docs/CHECKS.md); the bound is far above that, so a slow runner does not fail it, while a
    // return to quadratic walks does.
    QFETCH(int, shape);
    QFETCH(int, domains);
    QFETCH(QString, widest);
    QFETCH(int, widestBoards);
    const QByteArray file = LabFile::toJson(shape == 0   ? HivelabTest::uplinkChainLab(1000)
                                            : shape == 1 ? HivelabTest::rackRowLab(10000)
                                                         : HivelabTest::manyRacksLab(20000));
    // CPU time, not wall time: a runner shared with other jobs must not fail this.
    const std::clock_t start = std::clock();
    LabFileError error;
    const std::optional<Lab> loaded = LabFile::fromJson(file, &error);
    QVERIFY2(loaded, qPrintable(error.toString()));
    const CheckReport report = checkLab(*loaded, BoardCatalog::builtin());
    const QJsonObject json = checkReportToJson(report, *loaded);
    const double cpuMs = 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC;
    qDebug() << QTest::currentDataTag() << "read, checked and reported in" << cpuMs
             << "ms CPU";
    if (!HIVELAB_UNDER_ASAN) // time/memory bounds: tests/common/sanitizers.h
        QVERIFY2(cpuMs < 10000, qPrintable(QString::number(cpuMs)));
    QCOMPARE(report.domains.size(), domains);
    QCOMPARE(json.value(QStringLiteral("domains")).toArray().size(), domains);
    int most = 0;
    QString mostId;
    for (const DomainImpact &d : report.domains) {
        if (d.lostBoards.size() > most) {
            most = int(d.lostBoards.size());
            mostId = d.id;
        }
    }
    QCOMPARE(mostId, widest);
    QCOMPARE(most, widestBoards);
}

namespace {

/// Racks with their own supply and switch, mostly; boards mostly use their rack's. Enough
/// sharing and cascading to make both outcomes common.
Lab randomLab(QRandomGenerator &rng)
{
    auto chance = [&rng](int percent) { return int(rng.bounded(100)) < percent; };
    Lab lab;
    const int racks = 1 + rng.bounded(6);
    for (int r = 1; r <= racks; ++r) {
        lab.racks.append({rackId(r), QStringLiteral("Rack %1").arg(r), 6});
        PowerSupply p;
        p.id = psuId(r);
        p.rackId = rackId(r);
        p.circuit = QStringLiteral("wall-%1").arg(QLatin1Char(char('A' + rng.bounded(4))));
        p.ratingWatts = 500;
        lab.powerSupplies.append(p);
        NetworkSwitch sw;
        sw.id = switchId(r);
        sw.rackId = rackId(r);
        sw.psuId = chance(80) ? psuId(r) : psuId(1 + rng.bounded(r));
        sw.ports = 48;
        if (r > 1 && chance(25))
            sw.uplinkSwitchId = switchId(1 + rng.bounded(r - 1)); // earlier only: no loops
        lab.switches.append(sw);
    }
    for (int i = 0, n = rng.bounded(16); i < n; ++i) {
        const int r = 1 + rng.bounded(racks);
        Board b;
        b.id = QStringLiteral("b-%1").arg(i);
        b.arch = QStringLiteral("arm64");
        b.os = chance(15) ? QStringLiteral("Windows Server 2019") : QStringLiteral("Debian 12");
        b.rackId = chance(95) ? rackId(r) : QString();
        b.psuId = chance(85) ? psuId(r) : (chance(50) ? psuId(1 + rng.bounded(racks)) : QString());
        b.switchId =
            chance(85) ? switchId(r) : (chance(50) ? switchId(1 + rng.bounded(racks)) : QString());
        b.role = chance(35) ? Role::Manager : Role::Worker;
        if (chance(30))
            b.storage.append(StorageDevice{});
        lab.boards.append(b);
    }
    return lab;
}

/// Whether some `size` boards out of `eligible` keep quorum through every single failure.
bool safeSetExists(const QList<QSet<QString>> &lost, const QStringList &eligible, int size,
                   int start = 0, QStringList chosen = {})
{
    if (chosen.size() == size) {
        for (const QSet<QString> &l : lost) {
            int n = 0;
            for (const QString &id : chosen)
                n += l.contains(id) ? 1 : 0;
            if (n > toleratedFailuresFor(size))
                return false;
        }
        return true;
    }
    for (int i = start; i < eligible.size(); ++i) {
        if (safeSetExists(lost, eligible, size, i + 1, chosen + QStringList{eligible.at(i)}))
            return true;
    }
    return false;
}

} // namespace

void TestLabCheck::randomLabsAgreeWithBruteForce()
{
    QRandomGenerator rng(20261125);
    int suggested = 0, impossible = 0;
    for (int round = 0; round < 300; ++round) {
        const Lab lab = randomLab(rng);
        const CheckReport report = check(lab);
        QCOMPARE(report.managerCount, int(lab.managers().size()));
        QList<QSet<QString>> lost;
        for (const DomainImpact &d : report.domains) {
            QCOMPARE(d.survivingManagers + int(d.lostManagers.size()), report.managerCount);
            lost.append(QSet<QString>(d.lostBoards.cbegin(), d.lostBoards.cend()));
        }
        if (!report.suggestedManagers.isEmpty()) {
            ++suggested;
            QVERIFY(report.suggestedManagers.size() % 2 == 1);
            Lab applied = lab;
            for (Board &b : applied.boards)
                b.role = report.suggestedManagers.contains(b.id) ? Role::Manager : Role::Worker;
            const CheckReport after = check(applied);
            for (const Finding &f : after.findings)
                QVERIFY2(!f.code.startsWith(QLatin1String("quorum.")), qPrintable(dump(after)));
            QCOMPARE(after.suggestedManagers, report.suggestedManagers);
        } else {
            ++impossible;
            QStringList eligible;
            for (const Board &b : lab.boards) {
                if (!b.isWindows() && lab.rack(b.rackId) && lab.powerSupply(b.psuId) &&
                    lab.networkSwitch(b.switchId))
                    eligible.append(b.id);
            }
            QVERIFY2(
                !safeSetExists(lost, eligible, 3) && !safeSetExists(lost, eligible, 5),
                qPrintable(QStringLiteral("round %1: %2").arg(round).arg(report.suggestionReason)));
            // A lab without boards has nothing to place: its report says so instead.
            QVERIFY(report.isEmptyLab() || !report.suggestionReason.isEmpty());
        }
    }
    qDebug() << "random labs:" << suggested << "with a placement," << impossible << "without";
    // Both outcomes are exercised.
    QVERIFY2(suggested > 20 && impossible > 20,
             qPrintable(QStringLiteral("%1 / %2").arg(suggested).arg(impossible)));
}

void TestLabCheck::demoLabHasNoErrors()
{
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    QVERIFY2(!report.hasErrors(), qPrintable(dump(report)));
    QCOMPARE(report.managerCount, 3);
    QCOMPARE(report.quorum, 2);
    QVERIFY(hasCode(report, QStringLiteral("arch.mixed"), Severity::Warning));
    QVERIFY(hasCode(report, QStringLiteral("os.windows"), Severity::Info));
    for (const DomainImpact &d : report.domains)
        QVERIFY2(!d.breaksQuorum, qPrintable(d.name));
    QStringList managers;
    for (const Board *m : lab.managers())
        managers.append(m->id);
    QCOMPARE(report.suggestedManagers, managers);
    // 4 racks, 4 PSUs, 3 circuits, 4 switches.
    QCOMPARE(report.domains.size(), 15);
    for (const PowerBudget &b : report.powerBudgets)
        QVERIFY2(b.load() <= 0.8, qPrintable(b.psuId));
}

void TestLabCheck::json()
{
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    const QJsonObject o = checkReportToJson(report, lab);
    QCOMPARE(o.value(QStringLiteral("format")).toString(), QStringLiteral("hivelab-check-report"));
    QCOMPARE(o.value(QStringLiteral("version")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("managerCount")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("quorum")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("errors")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("findings")).toArray().size(), report.findings.size());
    QCOMPARE(o.value(QStringLiteral("domains")).toArray().size(), report.domains.size());
    QCOMPARE(o.value(QStringLiteral("suggestedManagers")).toArray().size(), 3);
    const QJsonObject first = o.value(QStringLiteral("findings")).toArray().first().toObject();
    for (const char *key : {"severity", "code", "message", "objects", "suggestion"})
        QVERIFY2(first.contains(QLatin1String(key)), key);
    const QJsonObject object = first.value(QStringLiteral("objects")).toArray().first().toObject();
    QVERIFY(!object.value(QStringLiteral("name")).toString().isEmpty());
    QVERIFY(!object.value(QStringLiteral("kind")).toString().isEmpty());
    // Round-trips through text.
    QVERIFY(QJsonDocument::fromJson(QJsonDocument(o).toJson()).isObject());
}

QTEST_GUILESS_MAIN(TestLabCheck)
#include "tst_labcheck.moc"
