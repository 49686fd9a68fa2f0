// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's side of stacks: Lab ▸ Deploy Stack… is there and needs a manager; a file
// that cannot be read starts no job and says why; the live status's tasks reach the cards and
// the check dock (services.replicas-one-rack). No job contacts a board here: the demo lab's
// addresses are not the lab's (the deploy itself is lab_e2e_stack).
#include "boarditem.h"
#include "checkresultswidget.h"
#include "labdocument.h"
#include "logconsole.h"
#include "mainwindow.h"
#include "swarmjobcontroller.h"
#include "testsettings.h"
#include "theme.h"
#include "topologyscene.h"

#include <QAction>
#include <QApplication>
#include <QFontInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestMainWindowStack : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        HivelabTest::isolateSettings(QStringLiteral("tst_mainwindowstack"));
        Theme::apply(false);
        QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty());
    }

    void deployStackNeedsAManagerAndAReadableFile()
    {
        LabDocument doc;
        MainWindow window(&doc);
        window.openDemo();
        QAction *deploy = window.deployStackAction();
        QVERIFY(deploy);
        QCOMPARE(deploy->objectName(), QString("deployStack"));
        QVERIFY(!doc.lab().managers().isEmpty());
        QVERIFY(deploy->isEnabled());

        QTemporaryDir dir;
        QVERIFY(!window.deployStack(dir.filePath("missing.yml"), "web"));
        QVERIFY(!window.swarmJobs()->isBusy());
        QVERIFY(!window.currentJob());

        // No managers: nothing to deploy through.
        Lab lab = doc.lab();
        for (Board &b : lab.boards)
            b.role = Role::Unassigned;
        doc.setLab(lab);
        QTRY_VERIFY(!deploy->isEnabled());
    }

    void liveTasksReachCardsAndCheck()
    {
        LabDocument doc;
        MainWindow window(&doc);
        window.openDemo();
        QStringList sameRack;
        for (const Board &b : doc.lab().boards) {
            if (!b.rackId.isEmpty() &&
                (sameRack.isEmpty() || doc.lab().board(sameRack.first())->rackId == b.rackId))
                sameRack << b.id;
        }
        QVERIFY(sameRack.size() >= 2);
        QList<StackPlacement::ServiceTask> tasks;
        for (int i = 0; i < 2; ++i) {
            StackPlacement::ServiceTask t;
            t.id = QStringLiteral("t%1").arg(i);
            t.serviceId = "s1";
            t.service = "web_idle";
            t.stack = "web";
            t.slot = i + 1;
            t.boardId = sameRack.at(i);
            t.state = "running";
            t.desiredState = "running";
            tasks << t;
        }
        doc.setServiceTasks(tasks);
        window.runCheckNow();
        bool found = false;
        for (const Finding &f : window.checkResults()->report().findings)
            found = found || f.code == QLatin1String("services.replicas-one-rack");
        QVERIFY(found);
        bool chips = false;
        for (QGraphicsItem *child : window.scene()->boardItem(sameRack.first())->childItems())
            chips = chips || (child->isVisible() && !child->toolTip().isEmpty() &&
                              child->toolTip().contains("web_idle"));
        QVERIFY(chips);
    }
};

QTEST_MAIN(TestMainWindowStack)
#include "tst_mainwindowstack.moc"
