// SPDX-License-Identifier: GPL-3.0-or-later
#include "demolab.h"
#include "labcommands.h"
#include "labdocument.h"

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
    void moveNowhereIsNoCommand();
    void multiMoveRotates();
    void unplaceDoesNotSwapWithOtherUnplaced();
    void editAndUndo();
    void setRoleSkipsUnchanged();
    void removeAndUndoKeepsOrder();
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

QTEST_GUILESS_MAIN(TestLabCommands)
#include "tst_labcommands.moc"
