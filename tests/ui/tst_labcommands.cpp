// SPDX-License-Identifier: GPL-3.0-or-later
#include "demolab.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labedits.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace Hivelab;

class TestLabCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void moveToEmptySlot();
    void moveOntoOccupiedSlotSwaps();
    void swapRecablesBothAndUndoRestoresAll();
    void moveNowhereIsNoCommand();
    void multiMoveRotates();
    void unplaceDoesNotSwapWithOtherUnplaced();
    void editAndUndo();
    void setRoleSkipsUnchanged();
    void removeAndUndoKeepsOrder();
    void addAndRemoveGearUndo();
};

void TestLabCommands::moveToEmptySlot()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QUndoStack stack;
    stack.push(EditBoardsCommand::moves(
        &doc, {{QStringLiteral("pine64-1"), QStringLiteral("rack-4"), 3}}));
    const Board *b = doc.lab().board(QStringLiteral("pine64-1"));
    QCOMPARE(b->rackId, QStringLiteral("rack-4"));
    QCOMPARE(b->slot, 3);
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
    stack.redo();
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-1"))->slot, 3);
}

void TestLabCommands::moveOntoOccupiedSlotSwaps()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QUndoStack stack;
    // pine64-2 (rack-1 slot 1) onto up-2 (rack-2 slot 2)
    stack.push(EditBoardsCommand::moves(
        &doc, {{QStringLiteral("pine64-2"), QStringLiteral("rack-2"), 2}}));
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-2"))->rackId, QStringLiteral("rack-2"));
    QCOMPARE(doc.lab().board(QStringLiteral("pine64-2"))->slot, 2);
    QCOMPARE(doc.lab().board(QStringLiteral("up-2"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(doc.lab().board(QStringLiteral("up-2"))->slot, 1);
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
}

void TestLabCommands::swapRecablesBothAndUndoRestoresAll()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QUndoStack stack;
    stack.push(EditBoardsCommand::moves(
        &doc, {{QStringLiteral("pine64-2"), QStringLiteral("rack-2"), 2}}));
    QCOMPARE(stack.count(), 1);
    const Board *mover = doc.lab().board(QStringLiteral("pine64-2"));
    const Board *swapped = doc.lab().board(QStringLiteral("up-2"));
    QCOMPARE(mover->psuId, QStringLiteral("psu-2"));
    QCOMPARE(mover->switchId, QStringLiteral("switch-2"));
    QCOMPARE(mover->switchPort, 3); // the port up-2 left
    QCOMPARE(swapped->psuId, QStringLiteral("psu-1"));
    QCOMPARE(swapped->switchId, QStringLiteral("switch-1"));
    QCOMPARE(swapped->switchPort, 2);
    // The command and LabDocument::moveBoard follow one rule.
    LabDocument direct;
    direct.setLab(demoLab());
    direct.moveBoard(QStringLiteral("pine64-2"), QStringLiteral("rack-2"), 2);
    QCOMPARE(direct.lab(), doc.lab());
    stack.undo();
    QCOMPARE(doc.lab(), demoLab()); // rack, slot, supply, switch and port of both boards
}

void TestLabCommands::moveNowhereIsNoCommand()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QVERIFY(!EditBoardsCommand::moves(&doc,
                                      {{QStringLiteral("pine64-1"), QStringLiteral("rack-1"), 0}}));
    QVERIFY(!EditBoardsCommand::moves(
        &doc, {{QStringLiteral("no-such-board"), QStringLiteral("rack-1"), 3}}));
}

void TestLabCommands::multiMoveRotates()
{
    LabDocument doc;
    doc.setLab(demoLab());
    // Rack 1 slots 0,1,2 hold pine64-1, pine64-2, up-1; shift the first two down by one.
    QList<Board> before;
    QList<Board> after;
    QVERIFY(planBoardMoves(doc.lab(),
                           {{QStringLiteral("pine64-1"), QStringLiteral("rack-1"), 1},
                            {QStringLiteral("pine64-2"), QStringLiteral("rack-1"), 2}},
                           &before, &after));
    QCOMPARE(after.size(), 3);
    QMap<QString, int> slotOf;
    for (const Board &b : after)
        slotOf.insert(b.id, b.slot);
    QCOMPARE(slotOf.value(QStringLiteral("pine64-1")), 1);
    QCOMPARE(slotOf.value(QStringLiteral("pine64-2")), 2);
    QCOMPARE(slotOf.value(QStringLiteral("up-1")), 0);
}

void TestLabCommands::unplaceDoesNotSwapWithOtherUnplaced()
{
    Lab lab = demoLab();
    lab.boards[0].rackId.clear();
    lab.boards[0].slot = -1;
    QList<Board> before;
    QList<Board> after;
    QVERIFY(planBoardMoves(lab, {{lab.boards[1].id, QString(), -1}}, &before, &after));
    QCOMPARE(after.size(), 1);
    QCOMPARE(after.first().id, lab.boards[1].id);
    QVERIFY(after.first().rackId.isEmpty());
    QCOMPARE(after.first().slot, -1);
}

void TestLabCommands::editAndUndo()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QSignalSpy changed(&doc, &LabDocument::objectChanged);
    Board b = *doc.lab().board(QStringLiteral("up-1"));
    b.ip = QStringLiteral("10.77.0.99");
    QUndoStack stack;
    stack.push(EditBoardsCommand::edit(&doc, b));
    QCOMPARE(doc.lab().board(QStringLiteral("up-1"))->ip, QStringLiteral("10.77.0.99"));
    QCOMPARE(changed.size(), 1);
    stack.undo();
    QCOMPARE(doc.lab().board(QStringLiteral("up-1"))->ip, QStringLiteral("10.77.0.31"));
    QVERIFY(!EditBoardsCommand::edit(&doc, *doc.lab().board(QStringLiteral("up-1"))));
}

void TestLabCommands::setRoleSkipsUnchanged()
{
    LabDocument doc;
    doc.setLab(demoLab());
    auto *cmd = EditBoardsCommand::setRole(
        &doc, {QStringLiteral("pine64-1"), QStringLiteral("pine64-2")}, Role::Manager);
    QVERIFY(cmd);
    QCOMPARE(cmd->boardIds(), QStringList{QStringLiteral("pine64-1")});
    QUndoStack stack;
    stack.push(cmd);
    QCOMPARE(doc.lab().managers().size(), 4);
    stack.undo();
    QCOMPARE(doc.lab().managers().size(), 3);
}

void TestLabCommands::removeAndUndoKeepsOrder()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QUndoStack stack;
    stack.push(new RemoveBoardsCommand(&doc, {QStringLiteral("up-3"), QStringLiteral("pine64-1")}));
    QCOMPARE(doc.lab().boards.size(), demoLab().boards.size() - 2);
    QVERIFY(!doc.lab().board(QStringLiteral("up-3")));
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
}

void TestLabCommands::addAndRemoveGearUndo()
{
    LabDocument doc;
    doc.setLab(demoLab());
    QUndoStack stack;
    const Rack rack = newRack(doc.lab());
    QCOMPARE(rack.name, QStringLiteral("Rack 5"));
    stack.push(EditInfraCommand::addRack(&doc, rack));
    const NetworkSwitch sw = newSwitch(doc.lab(), rack.id);
    QVERIFY(sw.psuId.isEmpty()); // the new rack has no supply yet
    stack.push(EditInfraCommand::addSwitch(&doc, sw));
    QCOMPARE(doc.lab().racks.size(), 5);
    QCOMPARE(doc.lab().networkSwitch(sw.id)->rackId, rack.id);
    stack.undo();
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());

    // Removing rack 1 unplaces three boards and leaves its supply and switch outside any rack;
    // one undo puts all of it back where it was.
    QUndoCommand *remove =
        EditInfraCommand::remove(&doc, ObjectKind::Rack, QStringLiteral("rack-1"));
    QVERIFY(remove);
    QCOMPARE(remove->text(), QStringLiteral("Remove Rack 1"));
    stack.push(remove);
    QVERIFY(!doc.lab().rack(QStringLiteral("rack-1")));
    QVERIFY(doc.lab().board(QStringLiteral("up-1"))->rackId.isEmpty());
    QVERIFY(doc.lab().powerSupply(QStringLiteral("psu-1"))->rackId.isEmpty());
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
    // A supply: boards and the switch it fed lose it, and get it back.
    stack.push(EditInfraCommand::remove(&doc, ObjectKind::PowerSupply, QStringLiteral("psu-2")));
    QVERIFY(doc.lab().board(QStringLiteral("up-2"))->psuId.isEmpty());
    QVERIFY(doc.lab().networkSwitch(QStringLiteral("switch-2"))->psuId.isEmpty());
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
    stack.push(EditInfraCommand::remove(&doc, ObjectKind::Switch, QStringLiteral("switch-3")));
    QCOMPARE(doc.lab().board(QStringLiteral("up-3"))->switchPort, -1);
    stack.undo();
    QCOMPARE(doc.lab(), demoLab());
    QVERIFY(!EditInfraCommand::remove(&doc, ObjectKind::Switch, QStringLiteral("nope")));
}

QTEST_GUILESS_MAIN(TestLabCommands)
#include "tst_labcommands.moc"
