// SPDX-License-Identifier: GPL-3.0-or-later
// Service chips on the board cards: the live status's tasks (LabDocument::serviceTasks()) show
// on the cards of the boards they run on, with replicas and states in the tooltip, and go
// when the tasks go; the check warns when every replica of a service sits in one rack.
#include "boarditem.h"
#include "demolab.h"
#include "labcheck.h"
#include "labdocument.h"
#include "servicechipsitem.h"
#include "topologyscene.h"

#include <QApplication>
#include <QFontInfo>
#include <QTest>
#include <QUndoStack>

using namespace Hivelab;
using Task = StackPlacement::ServiceTask;

class TestServiceChips : public QObject
{
    Q_OBJECT

private:
    static Task task(const QString &id, const QString &service, int slot, const QString &board,
                     const QString &state)
    {
        Task t;
        t.id = id;
        t.serviceId = service + "-id";
        t.service = service;
        t.stack = service.section('_', 0, 0);
        t.slot = slot;
        t.boardId = board;
        t.nodeId = board + "-node";
        t.state = state;
        t.desiredState = "running";
        return t;
    }
    static ServiceChipsItem *chipsOf(const BoardItem *card)
    {
        for (QGraphicsItem *child : card->childItems()) {
            if (child->type() == ServiceChipsItem::Type)
                return static_cast<ServiceChipsItem *>(child);
        }
        return nullptr;
    }

private Q_SLOTS:
    void chipsFollowTheTasks()
    {
        QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty());
        LabDocument doc;
        doc.setLab(demoLab());
        QUndoStack undo;
        TopologyScene scene(&doc, &undo);
        const QList<Board> boards = doc.lab().boards;
        QVERIFY(boards.size() >= 3);
        const QString a = boards.at(0).id, b = boards.at(1).id, c = boards.at(2).id;
        QVERIFY(!chipsOf(scene.boardItem(a)));

        doc.setServiceTasks(
            {task("t1", "web_idle", 1, a, "running"), task("t2", "web_idle", 2, b, "running"),
             task("t3", "web_idle", 3, c, "pending"), task("t4", "web_db", 1, a, "running"),
             task("t5", "web_cache", 1, a, "running")});
        const ServiceChipsItem *onA = chipsOf(scene.boardItem(a));
        QVERIFY(onA);
        QVERIFY(onA->isVisible());
        QCOMPARE(onA->chips().size(), 3); // two chips and "+1"
        QCOMPARE(onA->chips().at(2).label, QString("idle"));
        QVERIFY2(onA->toolTip().contains("web_idle: 1 of 1 task(s) here running (running); 2 of 3 "
                                         "replica(s) running in the swarm"),
                 qPrintable(onA->toolTip()));
        QVERIFY(onA->boundingRect().width() > 0);
        const ServiceChipsItem *onC = chipsOf(scene.boardItem(c));
        QVERIFY(onC);
        QCOMPARE(onC->chips().first().runningHere, 0);
        QVERIFY(onC->toolTip().contains("(pending)"));

        // A rebuilt scene (a rack added redraws everything) shows them again; no tasks: none.
        Rack extra;
        extra.id = "rack-extra";
        extra.name = "Extra";
        extra.slotCount = 2;
        doc.addRack(extra);
        QVERIFY(chipsOf(scene.boardItem(a)));
        doc.setServiceTasks({});
        QVERIFY(!chipsOf(scene.boardItem(a))->isVisible());
    }

    void checkWarnsAboutReplicasInOneRack()
    {
        const Lab lab = demoLab();
        QString rack;
        QStringList sameRack;
        for (const Board &b : lab.boards) {
            if (b.rackId.isEmpty())
                continue;
            if (rack.isEmpty())
                rack = b.rackId;
            if (b.rackId == rack)
                sameRack << b.id;
        }
        QVERIFY(sameRack.size() >= 2);
        const QList<Task> tasks{task("t1", "web_idle", 1, sameRack.at(0), "running"),
                                task("t2", "web_idle", 2, sameRack.at(1), "running")};
        const QList<Finding> findings = checkServiceReplicas(lab, tasks);
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.first().code, QString("services.replicas-one-rack"));
        QCOMPARE(findings.first().severity, Severity::Warning);
        QVERIFY(findings.first().objectIds.contains(rack));
        QVERIFY(findings.first().message.contains("web_idle"));
        // One replica not running: nothing to say about the one left.
        QList<Task> one = tasks;
        one[1].state = "failed";
        QVERIFY(checkServiceReplicas(lab, one).isEmpty());
    }
};

QTEST_MAIN(TestServiceChips)
#include "tst_servicechips.moc"
