// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "demolab.h"
#include "labcheck.h"
#include "labdocument.h"
#include "labedits.h"

#include <QSignalSpy>
#include <QTest>

using namespace Hivelab;

namespace {
bool hasCode(const CheckReport &report, const QString &code)
{
    return !report.findingsWithCode(code).isEmpty();
}
} // namespace

class TestLabDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void demoLabShape();
    void moveIntoEmptySlot();
    void moveSwapsOccupant();
    void removeRackUnplacesBoards();
    void roleChangeMarksModified();
    void nodeStateIsNotContent();
    void uniqueIds();
};

void TestLabDocument::demoLabShape()
{
    const Lab lab = demoLab();
    QCOMPARE(lab.racks.size(), 4);
    QCOMPARE(lab.powerSupplies.size(), 4);
    QCOMPARE(lab.switches.size(), 4);
    QCOMPARE(lab.boards.size(), 10);
    QCOMPARE(lab.managers().size(), 3);
    int pine = 0, storage = 0, windows = 0;
    for (const Board &b : lab.boards) {
        pine += b.model.startsWith(QLatin1String("pine64")) ? 1 : 0;
        storage += b.hasStorage() ? 1 : 0;
        windows += b.isWindows() ? 1 : 0;
        QVERIFY2(lab.rack(b.rackId), qPrintable(b.id));
        QVERIFY(b.slot >= 0 && b.slot < lab.rack(b.rackId)->slotCount);
    }
    QCOMPARE(pine, 7);
    QCOMPARE(storage, 4);
    QCOMPARE(windows, 2);
    // Managers in three different racks.
    QSet<QString> managerRacks;
    for (const Board *m : lab.managers())
        managerRacks.insert(m->rackId);
    QCOMPARE(managerRacks.size(), 3);
}

void TestLabDocument::moveIntoEmptySlot()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QVERIFY(!doc.isModified());
    QSignalSpy changed(&doc, &LabDocument::objectChanged);
    QVERIFY(!doc.lab().boardAt(QStringLiteral("rack-4"), 3));
    const QString swapped = doc.moveBoard(QStringLiteral("pine64-2"), QStringLiteral("rack-4"), 3);
    QVERIFY(swapped.isEmpty());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-2"))->rackId, QStringLiteral("rack-4"));
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-2"))->slot, 3);
    QVERIFY(doc.isModified());
}

void TestLabDocument::moveSwapsOccupant()
{
    LabDocument doc;
    doc.setLab(demoLab());
    const Board before = *doc.lab().board(QStringLiteral("pine64-1"));
    const QString swapped = doc.moveBoard(QStringLiteral("pine64-1"), QStringLiteral("rack-2"), 1);
    QCOMPARE(swapped, QStringLiteral("pine64-4"));
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-4"))->rackId, before.rackId);
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-4"))->slot, before.slot);
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-1"))->rackId, QStringLiteral("rack-2"));
}

void TestLabDocument::removeRackUnplacesBoards()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QSignalSpy removed(&doc, &LabDocument::objectRemoved);
    QVERIFY(doc.removeRack(QStringLiteral("rack-4")));
    QVERIFY(!doc.removeRack(QStringLiteral("rack-4")));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-7"))->slot, -1);
    QVERIFY(doc.lab().board(QStringLiteral("pine64-7"))->rackId.isEmpty());
    // Its supply and switch stand outside any rack, still feeding and connecting the board.
    QVERIFY(doc.lab().powerSupply(QStringLiteral("psu-4"))->rackId.isEmpty());
    QVERIFY(doc.lab().networkSwitch(QStringLiteral("switch-4"))->rackId.isEmpty());
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-7"))->psuId, QStringLiteral("psu-4"));
    QVERIFY(!hasCode(checkLab(doc.lab(), BoardCatalog::builtin()),
                     QStringLiteral("lab.dangling-reference")));
    // The next rack added by hand takes the free name.
    QCOMPARE(newRack(doc.lab()).name, QStringLiteral("Rack 4"));
    QCOMPARE(
        nextFreeName({QStringLiteral("Rack 1"), QStringLiteral("rack 2")}, QStringLiteral("Rack")),
        QStringLiteral("Rack 3"));
}

void TestLabDocument::roleChangeMarksModified()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QSignalSpy modified(&doc, &LabDocument::modifiedChanged);
    doc.setRole(QStringLiteral("pine64-1"), Role::Worker); // already a worker: no change
    QCOMPARE(modified.size(), 0);
    doc.setRole(QStringLiteral("pine64-1"), Role::Manager);
    QCOMPARE(modified.size(), 1);
    QCOMPARE(doc.lab().managers().size(), 4);
}

void TestLabDocument::nodeStateIsNotContent()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QSignalSpy state(&doc, &LabDocument::nodeStateChanged);
    doc.setNodeState(QStringLiteral("pine64-1"), NodeState::SwarmReady);
    QCOMPARE(state.size(), 1);
    QCOMPARE(doc.nodeState(QStringLiteral("pine64-1")), NodeState::SwarmReady);
    // Availability (drained) is runtime too: one repaint signal per real change, lower-cased.
    doc.setNodeAvailability(QStringLiteral("pine64-1"), QStringLiteral("Drain"));
    QCOMPARE(state.size(), 2);
    QCOMPARE(doc.nodeAvailability(QStringLiteral("pine64-1")), QStringLiteral("drain"));
    doc.setNodeAvailability(QStringLiteral("pine64-1"), QStringLiteral("drain"));
    QCOMPARE(state.size(), 2);
    QVERIFY(!doc.isModified());
    // The leader: both the old and the new one repaint.
    doc.setSwarmLeader(QStringLiteral("pine64-1"));
    QCOMPARE(state.size(), 3);
    doc.setSwarmLeader(QStringLiteral("pine64-4"));
    QCOMPARE(state.size(), 5);
    QCOMPARE(state.at(3).at(0).toString(), QStringLiteral("pine64-1"));
    QCOMPARE(state.at(4).at(0).toString(), QStringLiteral("pine64-4"));
    QVERIFY(!doc.isModified());
    doc.removeBoard(QStringLiteral("pine64-4"));
    QVERIFY(doc.swarmLeader().isEmpty());
    doc.setLab(demoLab());
    QVERIFY(doc.nodeAvailability(QStringLiteral("pine64-1")).isEmpty());
}

void TestLabDocument::uniqueIds()
{
    const Lab lab = demoLab();
    QCOMPARE(lab.uniqueId(QStringLiteral("rack")), QStringLiteral("rack-5"));
    QCOMPARE(lab.uniqueId(QStringLiteral("board")), QStringLiteral("board-1"));
}

QTEST_GUILESS_MAIN(TestLabDocument)
#include "tst_labdocument.moc"
