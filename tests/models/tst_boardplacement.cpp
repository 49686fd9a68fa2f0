// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boardplacement.h"
#include "demolab.h"
#include "labcheck.h"
#include "labdocument.h"
#include "labindex.h"

#include <QSignalSpy>
#include <QTest>

using namespace Hivelab;

class TestBoardPlacement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void moveRecablesToTargetRack();
    void swapRecablesBoth();
    void sameRackKeepsCabling();
    void gearOutsideRacksStays();
    void unplacedBoardGetsCabled();
    void unplaceLetsGoOfRackGear();
    void noFreePortKeepsSwitchWithoutPort();
    void noHeadroomLeavesSupplyUnassigned();
    void freeAndTakenPorts();
    void documentMoveEmitsEveryBoard();
    void previewNamesQuorumBreakers();
    void previewOfHarmlessMoveIsEmpty();

private:
    const BoardCatalog &m_catalog = BoardCatalog::builtin();
};

namespace {
const QString up1 = QStringLiteral("up-1");

QStringList findingBoards(const CheckReport &report, const QString &code)
{
    QStringList ids;
    for (const Finding &f : report.findingsWithCode(code))
        ids += f.objectIds;
    return ids;
}
} // namespace

void TestBoardPlacement::moveRecablesToTargetRack()
{
    Lab lab = demoLab();
    const PlacementResult r = placeBoard(&lab, m_catalog, up1, QStringLiteral("rack-4"), 1);
    QCOMPARE(r.boardIds, QStringList{up1});
    QVERIFY(r.issues.isEmpty());
    const Board *b = lab.board(up1);
    QCOMPARE(b->rackId, QStringLiteral("rack-4"));
    QCOMPARE(b->slot, 1);
    QCOMPARE(b->psuId, QStringLiteral("psu-4"));
    QCOMPARE(b->switchId, QStringLiteral("switch-4"));
    QCOMPARE(b->switchPort, 2); // pine64-7 has port 1
}

void TestBoardPlacement::swapRecablesBoth()
{
    Lab lab = demoLab();
    // up-1 (rack-1 slot 3, port 3) into up-3's place in rack 3: the two swap.
    const PlacementResult r = placeBoard(&lab, m_catalog, up1, QStringLiteral("rack-3"), 2);
    QCOMPARE(r.boardIds, (QStringList{up1, QStringLiteral("up-3")}));
    QVERIFY(r.issues.isEmpty());
    const Board *a = lab.board(up1);
    const Board *b = lab.board(QStringLiteral("up-3"));
    QCOMPARE(a->rackId, QStringLiteral("rack-3"));
    QCOMPARE(a->psuId, QStringLiteral("psu-3"));
    QCOMPARE(a->switchId, QStringLiteral("switch-3"));
    QCOMPARE(a->switchPort, 3); // the port up-3 freed
    QCOMPARE(b->rackId, QStringLiteral("rack-1"));
    QCOMPARE(b->slot, 2);
    QCOMPARE(b->psuId, QStringLiteral("psu-1"));
    QCOMPARE(b->switchId, QStringLiteral("switch-1"));
    QCOMPARE(b->switchPort, 3);
    QVERIFY(!checkLab(lab, m_catalog).hasErrors());
}

void TestBoardPlacement::sameRackKeepsCabling()
{
    Lab lab = demoLab();
    const PlacementResult r =
        placeBoard(&lab, m_catalog, QStringLiteral("pine64-7"), QStringLiteral("rack-4"), 3);
    QCOMPARE(r.boardIds, QStringList{QStringLiteral("pine64-7")});
    const Board *b = lab.board(QStringLiteral("pine64-7"));
    QCOMPARE(b->slot, 3);
    QCOMPARE(b->psuId, QStringLiteral("psu-4"));
    QCOMPARE(b->switchPort, 1);
}

void TestBoardPlacement::gearOutsideRacksStays()
{
    Lab lab = demoLab();
    PowerSupply wall;
    wall.id = QStringLiteral("wall-psu");
    wall.ratingWatts = 20;
    lab.powerSupplies.append(wall);
    Board *b = lab.board(up1);
    b->psuId = wall.id;  // a supply outside any rack
    b->switchId.clear(); // own cable to the router
    b->switchPort = -1;
    placeBoard(&lab, m_catalog, up1, QStringLiteral("rack-4"), 1);
    QCOMPARE(lab.board(up1)->psuId, wall.id);
    QVERIFY(lab.board(up1)->switchId.isEmpty());
}

void TestBoardPlacement::unplacedBoardGetsCabled()
{
    Lab lab = demoLab();
    Board fresh;
    fresh.id = QStringLiteral("new-1");
    fresh.model = QStringLiteral("pine64-a64-lts");
    lab.boards.append(fresh);
    placeBoard(&lab, m_catalog, fresh.id, QStringLiteral("rack-4"), 2);
    QCOMPARE(lab.board(fresh.id)->psuId, QStringLiteral("psu-4"));
    QCOMPARE(lab.board(fresh.id)->switchId, QStringLiteral("switch-4"));
    QCOMPARE(lab.board(fresh.id)->switchPort, 2);
}

void TestBoardPlacement::unplaceLetsGoOfRackGear()
{
    Lab lab = demoLab();
    const PlacementResult r = placeBoard(&lab, m_catalog, up1, QString(), 5);
    QCOMPARE(r.boardIds, QStringList{up1});
    const Board *b = lab.board(up1);
    QVERIFY(b->rackId.isEmpty());
    QCOMPARE(b->slot, -1);
    QVERIFY(b->psuId.isEmpty());
    QVERIFY(b->switchId.isEmpty());
    QCOMPARE(b->switchPort, -1);
}

void TestBoardPlacement::noFreePortKeepsSwitchWithoutPort()
{
    Lab lab = demoLab();
    lab.switches[3].ports = 2; // pine64-7 and the uplink to the home router
    const PlacementResult r = placeBoard(&lab, m_catalog, up1, QStringLiteral("rack-4"), 1);
    QCOMPARE(lab.board(up1)->rackId, QStringLiteral("rack-4"));
    QCOMPARE(lab.board(up1)->switchId, QStringLiteral("switch-4"));
    QCOMPARE(lab.board(up1)->switchPort, -1);
    QCOMPARE(lab.board(up1)->psuId, QStringLiteral("psu-4"));
    QCOMPARE(r.issues.size(), 1);
    QCOMPARE(r.issues.first().kind, PlacementIssue::Kind::NoFreePort);
    QCOMPARE(r.issues.first().objectId, QStringLiteral("switch-4"));
    const CheckReport report = checkLab(lab, m_catalog);
    const QList<Finding> f = report.findingsWithCode(QStringLiteral("switch.no-free-port"));
    QCOMPARE(f.size(), 1);
    QCOMPARE(f.first().objectIds, (QStringList{QStringLiteral("switch-4"), up1}));
    QVERIFY2(f.first().message.contains(QStringLiteral("all 2 ports")),
             qPrintable(f.first().message));
}

void TestBoardPlacement::noHeadroomLeavesSupplyUnassigned()
{
    Lab lab = demoLab();
    lab.powerSupplies[3].ratingAmps = 5; // 25 W; pine64-7 + disk + switch take 18.5 W
    const PlacementResult r = placeBoard(&lab, m_catalog, up1, QStringLiteral("rack-4"), 1);
    QCOMPARE(lab.board(up1)->rackId, QStringLiteral("rack-4"));
    QVERIFY(lab.board(up1)->psuId.isEmpty());
    QCOMPARE(lab.board(up1)->switchId, QStringLiteral("switch-4"));
    QCOMPARE(r.issues.size(), 1);
    const PlacementIssue &issue = r.issues.first();
    QCOMPARE(issue.kind, PlacementIssue::Kind::NoPsuHeadroom);
    QCOMPARE(issue.objectId, QStringLiteral("psu-4"));
    QCOMPARE(issue.peakWatts, 33.5); // 18.5 W + the UP board's 15 W
    QCOMPARE(issue.ratingWatts, 25.0);
    const CheckReport report = checkLab(lab, m_catalog);
    const QList<Finding> f = report.findingsWithCode(QStringLiteral("power.rack-supply-full"));
    QCOMPARE(f.size(), 1);
    QCOMPARE(f.first().objectIds, (QStringList{up1, QStringLiteral("psu-4")}));
    QVERIFY2(f.first().message.contains(QStringLiteral("33.5 W of its 25.0 W")),
             qPrintable(f.first().message));
    // A supply with room again: no finding.
    lab.powerSupplies[3].ratingAmps = 16;
    QVERIFY(findingBoards(checkLab(lab, m_catalog), QStringLiteral("power.rack-supply-full"))
                .isEmpty());
}

void TestBoardPlacement::freeAndTakenPorts()
{
    Lab lab = demoLab();
    {
        const LabIndex index(lab);
        QCOMPARE(freeSwitchPort(index, QStringLiteral("switch-1")), 4);
        QCOMPARE(freeSwitchPort(index, QStringLiteral("nope")), -1);
    }
    lab.switches[0].ports = 4; // 3 boards + uplink
    {
        const LabIndex index(lab);
        QCOMPARE(freeSwitchPort(index, QStringLiteral("switch-1")), -1);
        // up-1's own port counts as free for up-1.
        QCOMPARE(freeSwitchPort(index, QStringLiteral("switch-1"), up1), 3);
    }
    PortCheck c = checkSwitchPort(lab, up1, QStringLiteral("switch-1"), 1);
    QCOMPARE(c.result, PortCheck::Result::Taken);
    QCOMPARE(c.takenByBoardId, QStringLiteral("pine64-1"));
    QCOMPARE(checkSwitchPort(lab, up1, QStringLiteral("switch-1"), 3).result,
             PortCheck::Result::Ok);
    c = checkSwitchPort(lab, up1, QStringLiteral("switch-1"), 5);
    QCOMPARE(c.result, PortCheck::Result::OutOfRange);
    QCOMPARE(c.ports, 4);
    QCOMPARE(checkSwitchPort(lab, up1, QStringLiteral("x"), 1).result,
             PortCheck::Result::NoSuchSwitch);
    QCOMPARE(checkSwitchPort(lab, up1, QStringLiteral("switch-2"), -1).result,
             PortCheck::Result::Ok);
}

void TestBoardPlacement::documentMoveEmitsEveryBoard()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QSignalSpy changed(&doc, &LabDocument::objectChanged);
    QCOMPARE(doc.moveBoard(up1, QStringLiteral("rack-3"), 2), QStringLiteral("up-3"));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(doc.lab().board(up1)->psuId, QStringLiteral("psu-3"));
    QCOMPARE(doc.lab().board(QStringLiteral("up-3"))->switchId, QStringLiteral("switch-1"));
    QVERIFY(doc.isModified());
}

void TestBoardPlacement::previewNamesQuorumBreakers()
{
    const Lab lab = demoLab();
    // The rack-1 manager next to the rack-2 one: rack 2, its supply, circuit and switch would
    // each take two of three managers.
    const QList<PlacementIssue> issues =
        previewPlacement(lab, m_catalog, QStringLiteral("pine64-2"), QStringLiteral("rack-2"), 3);
    QStringList domains;
    for (const PlacementIssue &i : issues) {
        QCOMPARE(i.kind, PlacementIssue::Kind::BreaksQuorum);
        QCOMPARE(i.boardId, QStringLiteral("pine64-2"));
        domains << i.objectId;
    }
    QCOMPARE(domains, (QStringList{QStringLiteral("rack-2"), QStringLiteral("psu-2"),
                                   QStringLiteral("wall-B"), QStringLiteral("switch-2")}));
    QCOMPARE(lab, demoLab()); // untouched
}

void TestBoardPlacement::previewOfHarmlessMoveIsEmpty()
{
    Lab lab = demoLab();
    QVERIFY(previewPlacement(lab, m_catalog, up1, QStringLiteral("rack-4"), 1).isEmpty());
    lab.switches[3].ports = 2;
    const QList<PlacementIssue> issues =
        previewPlacement(lab, m_catalog, up1, QStringLiteral("rack-4"), 1);
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().kind, PlacementIssue::Kind::NoFreePort);
}

QTEST_GUILESS_MAIN(TestBoardPlacement)
#include "tst_boardplacement.moc"
