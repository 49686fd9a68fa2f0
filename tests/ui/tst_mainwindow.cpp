// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boarditem.h"
#include "boardplacement.h"
#include "boardtablemodel.h"
#include "canvasmetrics.h"
#include "checkresultswidget.h"
#include "demolab.h"
#include "gearactions.h"
#include "inspectorwidget.h"
#include "inventoryproxymodel.h"
#include "labcheck.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labfile.h"
#include "logconsole.h"
#include "mainwindow.h"
#include "psuitem.h"
#include "rackitem.h"
#include "setupwizard.h"
#include "switchitem.h"

#include "testdata.h"
#include "testsettings.h"
#include "theme.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAbstractItemModelTester>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFontInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>

#include <memory>

using namespace Hivelab;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void inventoryIsAValidModel();
    void inventoryEditReachesCanvas();
    void inventoryRejectsInvalidInput();
    void inventoryStateColumnGrowsWithLiveState();
    void inventoryMarksFollowStateAndTheme();
    void firstCheckRunsOnTheEventLoop();
    void windowIconComesAfterTheFirstFrameAndToolbarIconsAhead();
    void inspectorValidatesAndEdits();
    void selectionIsShared();
    void secondManagerDraggedIntoRackUpdatesCheck();
    void dragRecablesAndUndoRestoresAll();
    void findingClickSelectsCulprits();
    void contextMenuPromotesAndIsHonest();
    void unsavedChangesPrompt();
    void undoBackToCleanIsUnmodified();
    void saveAndOpenThroughTheWindow();
    void openErrorLeavesLabAlone();
    void exportPngAndSvg();
    void logFiltersPerBoard();
    void logLaidOutWhenItsTabIsChosen();
    void darkThemeToggles();
    void emptyLabShowsWhereToStart();
    void toolbarIsOneStyle();
    void inspectorModelIsACatalogChoice();
    void inspectorEditsRackPsuAndSwitch();
    void inspectorCablesBoard();
    void inspectorFormsBuiltOnFirstUse();
    void gearMenuAddsAndRemovesWithUndo();
    void keyboardReachesEveryBoardAction();
    void widgetsHaveAccessibleNames();

private:
    void dragTo(const QString &boardId, const QString &rackId, int slot);

    std::unique_ptr<LabDocument> m_doc;
    std::unique_ptr<MainWindow> m_window;
    int m_prompts = 0;
    QMessageBox::StandardButton m_answer = QMessageBox::Cancel;
};

void TestMainWindow::initTestCase()
{
    HivelabTest::isolateSettings(QStringLiteral("tst_mainwindow"));
    Theme::apply(false);
    // Rendered text is checked below (export); without fonts Qt draws boxes silently.
    QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty());
}

void TestMainWindow::init()
{
    m_doc = std::make_unique<LabDocument>();
    m_window = std::make_unique<MainWindow>(m_doc.get());
    m_prompts = 0;
    m_window->setUnsavedPrompt([this]() {
        ++m_prompts;
        return m_answer;
    });
    m_window->openDemo();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->runCheckNow();
}

void TestMainWindow::cleanup()
{
    m_doc->setModified(false); // no prompt on teardown (a test may have closed its window)
    m_window.reset();
    m_doc.reset();
}

void TestMainWindow::dragTo(const QString &boardId, const QString &rackId, int slot)
{
    TopologyScene *scene = m_window->scene();
    TopologyView *view = m_window->view();
    BoardItem *item = scene->boardItem(boardId);
    QVERIFY(item);
    view->ensureVisible(item);
    const QPointF grab =
        item->pos() + QPointF(CanvasMetrics::CardWidth / 2, CanvasMetrics::CardHeight / 2);
    const QPoint from = view->mapFromScene(grab);
    const QPoint to = view->mapFromScene(scene->slotRect(rackId, slot).center());
    QVERIFY(view->viewport()->rect().contains(from));
    QVERIFY(view->viewport()->rect().contains(to));
    QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 6; ++i)
        QTest::mouseMove(view->viewport(), from + (to - from) * i / 6);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, to);
}

void TestMainWindow::inventoryIsAValidModel()
{
    QAbstractItemModelTester tester(m_window->inventoryModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(m_window->inventoryModel()->rowCount(), 10);
    m_window->undoStack()->push(new RemoveBoardsCommand(m_doc.get(), {QStringLiteral("up-1")}));
    QCOMPARE(m_window->inventoryModel()->rowCount(), 9);
    m_window->undoStack()->undo();
    QCOMPARE(m_window->inventoryModel()->rowCount(), 10);
}

void TestMainWindow::inventoryStateColumnGrowsWithLiveState()
{
    // A live answer lengthens the state ("In swarm, drained"): the column shows it whole.
    QTableView *view = m_window->inventoryView();
    const int column = BoardTableModel::StateColumn;
    const QString id = QStringLiteral("up-2");
    m_doc->setNodeState(id, NodeState::SwarmReady);
    m_doc->setNodeAvailability(id, QStringLiteral("drain"));
    QVERIFY(view->horizontalHeader()->sectionSize(column) >=
            qMin(static_cast<QAbstractItemView *>(view)->sizeHintForColumn(column), 220));
}

void TestMainWindow::inventoryMarksFollowStateAndTheme()
{
    // The role dots and state LEDs are drawn once per look and reused: a new state, drain or
    // palette still shows a new mark.
    InventoryProxyModel *model = m_window->inventoryModel();
    const auto mark = [model](const QString &id, int column) {
        return model->indexOf(id, column).data(Qt::DecorationRole).value<QPixmap>().toImage();
    };
    const int state = BoardTableModel::StateColumn;
    const int role = BoardTableModel::RoleColumn;
    const QString a = QStringLiteral("up-1");
    const QString b = QStringLiteral("up-2");
    const QImage unknown = mark(a, state);
    QVERIFY(!unknown.isNull());
    QCOMPARE(mark(b, state), unknown);
    m_doc->setNodeState(b, NodeState::SwarmReady);
    const QImage ready = mark(b, state);
    QVERIFY(ready != unknown);
    m_doc->setNodeAvailability(b, QStringLiteral("drain"));
    QVERIFY(mark(b, state) != ready);
    QCOMPARE(mark(a, state), unknown);
    const QImage manager = mark(QStringLiteral("pine64-2"), role);
    const QImage worker = mark(a, role);
    QVERIFY(manager != worker);
    m_doc->setRole(a, Role::Manager);
    QCOMPARE(mark(a, role), manager);
    m_window->setDarkTheme(true); // the LED's colours and outline follow the palette
    QVERIFY(mark(a, state) != unknown);
    m_window->setDarkTheme(false);
    QCOMPARE(mark(a, state), unknown);
}

void TestMainWindow::firstCheckRunsOnTheEventLoop()
{
    // Once, on the event loop's first turn: a lab opened right after the window is made (a
    // FILE, --demo) is the first one checked; nothing of the empty lab's report is shown.
    LabDocument doc;
    MainWindow window(&doc);
    window.openDemo();
    QVERIFY(window.checkResults()->report().findings.isEmpty());
    QVERIFY(window.checkResults()->tree()->topLevelItemCount() == 0);
    const auto checkStatus = [&window]() {
        QStringList texts;
        for (const QLabel *label : window.statusBar()->findChildren<QLabel *>())
            texts << label->text();
        return texts;
    };
    QVERIFY(!checkStatus().contains(QStringLiteral("no boards yet")));
    QVERIFY(!checkStatus().contains(QStringLiteral("check passed")));
    QTRY_COMPARE(window.checkResults()->report().managerCount, 3);
    QVERIFY(!window.checkResults()->report().isEmptyLab());
    QVERIFY(window.checkResults()->tree()->topLevelItemCount() > 0);
    QVERIFY(checkStatus().contains(QStringLiteral("1 warning")));

    // An empty lab says so, also after one turn.
    LabDocument empty;
    MainWindow bare(&empty);
    QTRY_VERIFY(bare.checkResults()->report().isEmptyLab());
    QVERIFY(bare.checkResults()->summaryText().contains(QLatin1String("No boards yet")));
}

void TestMainWindow::windowIconComesAfterTheFirstFrameAndToolbarIconsAhead()
{
    // The icon is the window manager's, never drawn in the window: its sizes are rendered on
    // the turn after the first paint, not before it.
    m_window.reset();    // init()'s window would draw the new icons too
    Theme::apply(false); // fresh icons: no pixmap drawn by an earlier window
    const int takenBefore = Theme::iconsTakenFromAhead();
    LabDocument doc;
    MainWindow window(&doc);
    window.openDemo(); // as `hivelab --demo`: the actions' states change before the first show
    QVERIFY(!window.testAttribute(Qt::WA_SetWindowIcon));
    struct FirstPaint : QObject
    {
        bool painted = false;
        bool iconAtFirstPaint = false;
        bool eventFilter(QObject *watched, QEvent *event) override
        {
            if (event->type() == QEvent::Paint && !painted) {
                painted = true;
                iconAtFirstPaint =
                    static_cast<QWidget *>(watched)->testAttribute(Qt::WA_SetWindowIcon);
            }
            return false;
        }
    } firstPaint;
    window.installEventFilter(&firstPaint);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.testAttribute(Qt::WA_SetWindowIcon));
    QVERIFY(firstPaint.painted);
    QVERIFY(!firstPaint.iconAtFirstPaint);
    // The toolbar's icons were drawn ahead, at the size and in the mode it paints them.
    const auto *toolBar = window.findChild<QToolBar *>(QStringLiteral("MainToolBar"));
    QVERIFY(toolBar);
    int iconButtons = 0;
    for (QAction *a : toolBar->actions())
        iconButtons += a->isSeparator() ? 0 : 1;
    QCOMPARE(Theme::iconsTakenFromAhead() - takenBefore, iconButtons);
    QCOMPARE(window.windowIcon().pixmap(32, 32).toImage(),
             Theme::appIcon().pixmap(32, 32).toImage());
    window.removeEventFilter(&firstPaint);
}

void TestMainWindow::inventoryEditReachesCanvas()
{
    InventoryProxyModel *model = m_window->inventoryModel();
    const QString id = QStringLiteral("up-2");
    QVERIFY(
        model->setData(model->indexOf(id, BoardTableModel::NameColumn), QStringLiteral("edge-2")));
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-2"))->name, QStringLiteral("edge-2"));
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-2"))->name(),
             QStringLiteral("edge-2"));
    QVERIFY(
        model->setData(model->indexOf(id, BoardTableModel::RoleColumn), QStringLiteral("manager")));
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-2"))->role(), Role::Manager);
    QCOMPARE(m_window->undoStack()->count(), 2);
    m_window->undoStack()->undo();
    m_window->undoStack()->undo();
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-2"))->name(), QStringLiteral("up-2"));
    QCOMPARE(m_doc->lab(), demoLab());
    m_window->undoStack()->redo();
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-2"))->name(),
             QStringLiteral("edge-2"));
}

void TestMainWindow::inventoryRejectsInvalidInput()
{
    InventoryProxyModel *model = m_window->inventoryModel();
    const QString id = QStringLiteral("up-2");
    QVERIFY(!model->setData(model->indexOf(id, BoardTableModel::IpColumn),
                            QStringLiteral("10.77.0.300")));
    QVERIFY(
        !model->setData(model->indexOf(id, BoardTableModel::RoleColumn), QStringLiteral("queen")));
    QVERIFY(!model->setData(model->indexOf(id, BoardTableModel::NameColumn), QStringLiteral("  ")));
    QVERIFY(
        !(model->flags(model->indexOf(id, BoardTableModel::RackSlotColumn)) & Qt::ItemIsEditable));
    QCOMPARE(m_window->undoStack()->count(), 0);
    QCOMPARE(m_doc->lab(), demoLab());
}

void TestMainWindow::inspectorValidatesAndEdits()
{
    m_window->scene()->selectBoards({QStringLiteral("pine64-4")});
    InspectorWidget *inspector = m_window->inspector();
    QCOMPARE(inspector->boardId(), QStringLiteral("pine64-4"));
    QCOMPARE(inspector->ipEdit()->text(), QStringLiteral("10.77.0.14"));

    inspector->ipEdit()->setText(QStringLiteral("999.1.1.1"));
    QVERIFY(!inspector->commit());
    inspector->ipEdit()->setText(QStringLiteral("10.77.0.14"));
    inspector->macEdit()->setText(QStringLiteral("not-a-mac"));
    QVERIFY(!inspector->commit());
    inspector->macEdit()->setText(QString());
    inspector->hostnameEdit()->setText(QStringLiteral("-bad-"));
    QVERIFY(!inspector->commit());
    QCOMPARE(m_window->undoStack()->count(), 0);
    QCOMPARE(m_doc->lab(), demoLab());

    inspector->hostnameEdit()->setText(QStringLiteral("pine64-4"));
    inspector->ipEdit()->setText(QStringLiteral("10.77.0.99"));
    inspector->macEdit()->setText(QStringLiteral("02-ba-5e-00-00-04"));
    QVERIFY(inspector->commit());
    const Board *b = m_doc->lab().board(QStringLiteral("pine64-4"));
    QCOMPARE(b->ip, QStringLiteral("10.77.0.99"));
    QCOMPARE(b->mac, QStringLiteral("02:BA:5E:00:00:04"));
    QCOMPARE(m_window->undoStack()->count(), 1);
    m_window->undoStack()->undo();
    QCOMPARE(inspector->ipEdit()->text(), QStringLiteral("10.77.0.14")); // reloads from model

    // Rack change from the inspector is a move (with swap).
    inspector->rackCombo()->setCurrentIndex(
        inspector->rackCombo()->findData(QStringLiteral("rack-4")));
    Q_EMIT inspector->rackCombo()->activated(inspector->rackCombo()->currentIndex());
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-4"))->rackId, QStringLiteral("rack-4"));
}

void TestMainWindow::selectionIsShared()
{
    QTableView *table = m_window->inventoryView();
    table->selectRow(m_window->inventoryModel()->indexOf(QStringLiteral("up-3"), 0).row());
    QCOMPARE(m_window->scene()->selectedBoardIds(), QStringList{QStringLiteral("up-3")});
    QCOMPARE(m_window->inspector()->boardId(), QStringLiteral("up-3"));
    m_window->scene()->selectBoards({QStringLiteral("pine64-1")});
    const auto rows = table->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data(BoardTableModel::BoardIdRole).toString(),
             QStringLiteral("pine64-1"));
}

void TestMainWindow::secondManagerDraggedIntoRackUpdatesCheck()
{
    QCOMPARE(m_window->checkResults()->report().managerCount, 3);
    // pine64-4 (manager, rack 2) into rack 1's empty slot 4, next to manager pine64-2.
    dragTo(QStringLiteral("pine64-4"), QStringLiteral("rack-1"), 3);
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-4"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-4"))->slot, 3);

    Lab expected = demoLab();
    placeBoard(&expected, BoardCatalog::builtin(), QStringLiteral("pine64-4"),
               QStringLiteral("rack-1"), 3);
    QCOMPARE(m_doc->lab(), expected);
    const CheckReport direct = checkLab(expected, BoardCatalog::builtin());
    // The live check runs on the next event-loop turn and must match a direct run.
    QTRY_COMPARE(m_window->checkResults()->report().findings.size(), direct.findings.size());
    QVERIFY(!direct.findings.isEmpty());
    auto onRack1 = [](const CheckReport &report) {
        int n = 0;
        for (const Finding &f : report.findings)
            n += f.objectIds.contains(QStringLiteral("rack-1")) ? 1 : 0;
        return n;
    };
    const int baseline = onRack1(checkLab(demoLab(), BoardCatalog::builtin()));
    QVERIFY(onRack1(m_window->checkResults()->report()) > baseline);
    QVERIFY(m_window->scene()->rackItem(QStringLiteral("rack-1"))->hasBadge());
    m_window->undoStack()->undo();
    QTRY_COMPARE(onRack1(m_window->checkResults()->report()), baseline);
}

void TestMainWindow::dragRecablesAndUndoRestoresAll()
{
    TopologyScene *scene = m_window->scene();
    const QString board = QStringLiteral("pine64-4"); // manager, rack 2, PSU 2, switch 2 port 2
    const double psu1 = scene->psuItem(QStringLiteral("psu-1"))->loadWatts();
    const double psu2 = scene->psuItem(QStringLiteral("psu-2"))->loadWatts();
    QCOMPARE(psu1, 43.5); // pine64-1 with its disk, pine64-2, up-1 and the switch
    QCOMPARE(scene->switchItem(QStringLiteral("switch-1"))->usedCount(), 3);
    QCOMPARE(scene->switchItem(QStringLiteral("switch-2"))->usedCount(), 3);
    // Findings "losing <id> breaks quorum" (quorum.rack-loss, quorum.psu-loss, …).
    auto quorumLostBy = [this](const QString &id) {
        int n = 0;
        for (const Finding &f : m_window->checkResults()->report().findings)
            n += f.code ==
                     QStringLiteral("quorum.%1-loss").arg(id.section(QLatin1Char('-'), 0, 0)) &&
                 f.objectIds.contains(id);
        return n;
    };
    QCOMPARE(quorumLostBy(QStringLiteral("psu-1")), 0);
    QCOMPARE(quorumLostBy(QStringLiteral("switch-1")), 0);

    // Into rack 1's empty slot 4: the person moving it plugs it into rack 1's PSU and switch.
    dragTo(board, QStringLiteral("rack-1"), 3);
    QCOMPARE(m_window->undoStack()->count(), 1);
    const Board *moved = m_doc->lab().board(board);
    QCOMPARE(moved->rackId, QStringLiteral("rack-1"));
    QCOMPARE(moved->psuId, QStringLiteral("psu-1"));
    QCOMPARE(moved->switchId, QStringLiteral("switch-1"));
    QCOMPARE(moved->switchPort, 4);
    // A Pine A64-LTS peaks at 10 W: it leaves PSU 2 and loads PSU 1.
    QCOMPARE(scene->psuItem(QStringLiteral("psu-1"))->loadWatts(), psu1 + 10);
    QCOMPARE(scene->psuItem(QStringLiteral("psu-2"))->loadWatts(), psu2 - 10);
    QCOMPARE(scene->switchItem(QStringLiteral("switch-1"))->usedCount(), 4);
    QCOMPARE(scene->switchItem(QStringLiteral("switch-2"))->usedCount(), 2);
    // Two of three managers now share PSU 1 and switch 1 as well as rack 1.
    QTRY_COMPARE(quorumLostBy(QStringLiteral("psu-1")), 1);
    QCOMPARE(quorumLostBy(QStringLiteral("switch-1")), 1);
    QCOMPARE(quorumLostBy(QStringLiteral("rack-1")), 1);
    QVERIFY(scene->psuItem(QStringLiteral("psu-1"))->hasBadge());

    // One undo step puts back rack, slot, PSU, switch and port, and with them loads and findings.
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab(), demoLab());
    QCOMPARE(scene->psuItem(QStringLiteral("psu-1"))->loadWatts(), psu1);
    QCOMPARE(scene->psuItem(QStringLiteral("psu-2"))->loadWatts(), psu2);
    QCOMPARE(scene->switchItem(QStringLiteral("switch-1"))->usedCount(), 3);
    QCOMPARE(scene->switchItem(QStringLiteral("switch-2"))->usedCount(), 3);
    QTRY_COMPARE(quorumLostBy(QStringLiteral("psu-1")), 0);
    QCOMPARE(quorumLostBy(QStringLiteral("switch-1")), 0);
    QCOMPARE(quorumLostBy(QStringLiteral("rack-1")), 0);
}

void TestMainWindow::findingClickSelectsCulprits()
{
    // Promote the rack-1 storage worker: two managers share rack 1, PSU 1 and switch 1.
    m_window->undoStack()->push(
        EditBoardsCommand::setRole(m_doc.get(), {QStringLiteral("pine64-1")}, Role::Manager));
    m_window->runCheckNow();
    QCOMPARE(m_window->checkResults()->report().managerCount, 4);
    QTreeWidget *tree = m_window->checkResults()->tree();
    QTreeWidgetItem *withBoards = nullptr;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QStringList ids = tree->topLevelItem(i)->data(0, Qt::UserRole + 1).toStringList();
        for (const QString &id : ids) {
            if (m_doc->lab().board(id))
                withBoards = tree->topLevelItem(i);
        }
    }
    QVERIFY(withBoards);
    Q_EMIT tree->itemClicked(withBoards, 0);
    const QStringList ids = withBoards->data(0, Qt::UserRole + 1).toStringList();
    QStringList boards;
    for (const QString &id : ids) {
        if (m_doc->lab().board(id))
            boards.append(id);
    }
    QCOMPARE(m_window->scene()->selectedBoardIds().size(), boards.size());
    QCOMPARE(m_window->inventoryView()->selectionModel()->selectedRows().size(), boards.size());
}

void TestMainWindow::contextMenuPromotesAndIsHonest()
{
    std::unique_ptr<QMenu> menu(m_window->createBoardMenu({QStringLiteral("up-1")}));
    auto *promote = menu->findChild<QAction *>(QStringLiteral("promote"));
    auto *demote = menu->findChild<QAction *>(QStringLiteral("demote"));
    auto *ssh = menu->findChild<QAction *>(QStringLiteral("copySsh"));
    QVERIFY(promote && demote && ssh);
    QVERIFY(promote->isEnabled());
    QVERIFY(!demote->isEnabled());
    QCOMPARE(ssh->toolTip(), QStringLiteral("ssh root@10.77.0.31"));
    int disabledWithReason = 0;
    for (QAction *a : menu->actions()) {
        if (!a->isEnabled() && a->toolTip().startsWith(QStringLiteral("Not ")))
            ++disabledWithReason;
    }
    QCOMPARE(disabledWithReason, 0); // every item is wired
    auto *connectAction = menu->findChild<QAction *>(QStringLiteral("connect"));
    QVERIFY(connectAction && connectAction->isEnabled());
    connectAction->trigger();
    auto *wizard = m_window->findChild<SetupWizard *>();
    QVERIFY(wizard);
    QTRY_VERIFY(wizard->isVisible());
    QCOMPARE(wizard->currentId(), int(SetupWizard::ConnectPageId));
    wizard->reject();
    // The demo lab has managers: the swarm workflows are offered.
    QVERIFY(m_window->formSwarmAction()->isEnabled());
    QVERIFY(menu->findChild<QAction *>(QStringLiteral("joinSwarm"))->isEnabled());

    promote->trigger();
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->role, Role::Manager);
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-1"))->role(), Role::Manager);
    QTRY_COMPARE(m_window->checkResults()->report().managerCount, 4);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->role, Role::Worker);
}

void TestMainWindow::unsavedChangesPrompt()
{
    // Unmodified: no question asked.
    QVERIFY(m_window->maybeSave());
    QCOMPARE(m_prompts, 0);

    m_window->undoStack()->push(
        EditBoardsCommand::setRole(m_doc.get(), {QStringLiteral("up-1")}, Role::Manager));
    QVERIFY(m_doc->isModified());
    QVERIFY(m_window->isWindowModified());

    m_answer = QMessageBox::Cancel;
    m_window->newLab();
    QCOMPARE(m_prompts, 1);
    QCOMPARE(m_doc->lab().boards.size(), 10); // cancelled: lab untouched

    m_answer = QMessageBox::Cancel;
    QVERIFY(!m_window->close()); // close refused
    QCOMPARE(m_prompts, 2);

    m_answer = QMessageBox::Discard;
    m_window->newLab();
    QCOMPARE(m_prompts, 3);
    QVERIFY(m_doc->lab().boards.isEmpty());
    QVERIFY(!m_doc->isModified());
    QCOMPARE(m_window->undoStack()->count(), 0);
}

void TestMainWindow::undoBackToCleanIsUnmodified()
{
    dragTo(QStringLiteral("up-1"), QStringLiteral("rack-4"), 1);
    QVERIFY(m_doc->isModified());
    m_window->undoStack()->undo();
    QVERIFY(!m_doc->isModified());
    m_window->undoStack()->redo();
    QVERIFY(m_doc->isModified());
}

void TestMainWindow::saveAndOpenThroughTheWindow()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
    dragTo(QStringLiteral("up-1"), QStringLiteral("rack-4"), 1);
    const Lab edited = m_doc->lab();
    QString error;
    const bool saved = m_window->saveToFile(path, &error);
    QVERIFY2(saved, qPrintable(error));
    QVERIFY(!m_doc->isModified());
    QCOMPARE(m_doc->filePath(), path);
    QCOMPARE(m_window->recentFiles().value(0), QFileInfo(path).absoluteFilePath());

    m_window->openDemo();
    QCOMPARE(m_doc->lab(), demoLab());
    QVERIFY2(m_window->loadFile(path, &error), qPrintable(error));
    QCOMPARE(m_doc->lab(), edited);
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("up-1"))->pos(),
             m_window->scene()->slotRect(QStringLiteral("rack-4"), 1).topLeft());
}

void TestMainWindow::openErrorLeavesLabAlone()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.hivelab"));
    QVERIFY(HivelabTest::writeFile(path, "{ \"schemaVersion\": "));
    QString error;
    QVERIFY(!m_window->loadFile(path, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(m_doc->lab(), demoLab());
    QVERIFY(m_doc->filePath().isEmpty());
}

void TestMainWindow::exportPngAndSvg()
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("canvas.png"));
    const QString svg = dir.filePath(QStringLiteral("canvas.svg"));
    QVERIFY(m_window->exportPng(png));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 1000);
    // Not a blank image: the card fill differs from the canvas background.
    QSet<QRgb> colours;
    for (int x = 0; x < image.width(); x += 7)
        colours.insert(image.pixel(x, image.height() / 3));
    QVERIFY(colours.size() > 5);

    QVERIFY(m_window->exportSvg(svg));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    QVERIFY(content.contains("<svg"));
    QVERIFY(content.contains("pine64-1"));
    QVERIFY(content.contains("Rack 4"));
}

void TestMainWindow::logFiltersPerBoard()
{
    m_window->undoStack()->push(
        EditBoardsCommand::setRole(m_doc.get(), {QStringLiteral("up-1")}, Role::Manager));
    m_window->undoStack()->push(
        EditBoardsCommand::setRole(m_doc.get(), {QStringLiteral("up-2")}, Role::Manager));
    LogConsole *log = m_window->logConsole();
    QVERIFY(log->visibleText().contains(QStringLiteral("up-1")));
    QVERIFY(log->visibleText().contains(QStringLiteral("up-2")));
    log->setBoardFilter(QStringLiteral("up-2"));
    QVERIFY(!log->visibleText().contains(QStringLiteral("up-1")));
    QVERIFY(log->visibleText().contains(QStringLiteral("Promote up-2")));
    log->setBoardFilter(QString());
    log->setTextFilter(QStringLiteral("demo lab"));
    QVERIFY(log->visibleText().contains(QStringLiteral("Opened the demo lab")));
    QVERIFY(!log->visibleText().contains(QStringLiteral("Promote")));
}

void TestMainWindow::logLaidOutWhenItsTabIsChosen()
{
    // The log starts as the tab behind the check results: its lines are kept, not laid out,
    // until its tab is chosen; then they are all there, in the monospace font.
    LogConsole *log = m_window->logConsole();
    auto *view = log->findChild<QPlainTextEdit *>();
    QVERIFY(view);
    QVERIFY(log->visibleText().contains(QStringLiteral("Opened the demo lab")));
    QVERIFY(view->document()->isEmpty());
    m_window->undoStack()->push(
        EditBoardsCommand::setRole(m_doc.get(), {QStringLiteral("up-1")}, Role::Manager));
    QVERIFY(view->document()->isEmpty());
    const QString expected = log->visibleText();
    QVERIFY(expected.contains(QStringLiteral("Promote up-1")));

    QTabBar *tabs = nullptr;
    int logTab = -1;
    for (QTabBar *bar : m_window->findChildren<QTabBar *>()) {
        for (int i = 0; i < bar->count(); ++i) {
            if (bar->tabText(i) == QLatin1String("Log")) {
                tabs = bar;
                logTab = i;
            }
        }
    }
    QVERIFY(tabs);
    QVERIFY(tabs->currentIndex() != logTab);
    tabs->setCurrentIndex(logTab);
    QCOMPARE(view->toPlainText(), expected);
    QCOMPARE(view->font(), QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_window->undoStack()->undo(); // on screen: straight in
    QVERIFY(view->toPlainText().contains(QStringLiteral("Undo: Promote up-1")));
    QCOMPARE(log->visibleText(), view->toPlainText());
}

void TestMainWindow::darkThemeToggles()
{
    const QColor light = QApplication::palette().color(QPalette::Window);
    m_window->setDarkTheme(true);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < light.lightness());
    QVERIFY(QSettings().value(QStringLiteral("view/dark")).toBool());
    m_window->setDarkTheme(false);
    QCOMPARE(QApplication::palette().color(QPalette::Window), light);
}

void TestMainWindow::emptyLabShowsWhereToStart()
{
    auto *hint = m_window->findChild<QLabel *>(QStringLiteral("emptyLabHint"));
    QVERIFY(hint);
    QVERIFY(!hint->isVisible()); // the demo lab is open
    m_doc->setLab(Lab());
    QTRY_VERIFY(hint->isVisible());
    QVERIFY(hint->text().contains(QLatin1String("Setup Wizard")));
    // A new lab is an empty state, not a broken swarm: no error, no warning, a plain word.
    CheckResultsWidget *check = m_window->checkResults();
    QTRY_VERIFY(check->report().isEmptyLab());
    QCOMPARE(check->report().count(Severity::Error), 0);
    QCOMPARE(check->report().count(Severity::Warning), 0);
    QVERIFY2(check->summaryText().contains(QLatin1String("No boards yet")),
             qPrintable(check->summaryText()));
    QVERIFY(!check->summaryText().contains(QLatin1String("error")));
    bool statusSaysEmpty = false;
    for (const QLabel *label : m_window->statusBar()->findChildren<QLabel *>())
        statusSaysEmpty |= label->text() == QLatin1String("no boards yet");
    QVERIFY(statusSaysEmpty);
    auto *tableHint = m_window->findChild<QLabel *>(QStringLiteral("inventoryEmptyHint"));
    QVERIFY(tableHint && tableHint->isVisible());
    QVERIFY(tableHint->text().startsWith(QLatin1String("No boards yet")));
    // File ▸ New goes the same way (no unsaved-changes prompt: the lab is saved).
    m_doc->setLab(demoLab());
    m_doc->setModified(false);
    m_window->newLab();
    QTRY_VERIFY(check->report().isEmptyLab());
    QCOMPARE(check->report().count(Severity::Error), 0);
    QCOMPARE(check->report().count(Severity::Warning), 0);
    m_doc->setLab(demoLab());
    QVERIFY(!hint->isVisible());
    QTRY_VERIFY(!check->report().isEmptyLab());
    QVERIFY(!tableHint->isVisible());
}

void TestMainWindow::toolbarIsOneStyle()
{
    auto *tb = m_window->findChild<QToolBar *>(QStringLiteral("MainToolBar"));
    QVERIFY(tb);
    QCOMPARE(tb->toolButtonStyle(), Qt::ToolButtonIconOnly);
    int buttons = 0;
    for (QAction *a : tb->actions()) {
        if (a->isSeparator())
            continue;
        ++buttons;
        // Every button an icon, none with its own style, each named by its tooltip.
        QVERIFY2(!a->icon().isNull(), qPrintable(a->text()));
        QVERIFY2(!a->toolTip().isEmpty(), qPrintable(a->text()));
        auto *button = qobject_cast<QToolButton *>(tb->widgetForAction(a));
        QVERIFY(button);
        QCOMPARE(button->toolButtonStyle(), Qt::ToolButtonIconOnly);
    }
    QVERIFY(buttons >= 10);
}

void TestMainWindow::inspectorModelIsACatalogChoice()
{
    const QString id = QStringLiteral("pine64-4");
    const QString before = m_doc->lab().board(id)->model;
    const BoardCatalog &catalog = BoardCatalog::builtin();
    m_window->scene()->selectBoards({id});
    InspectorWidget *inspector = m_window->inspector();
    QComboBox *combo = inspector->modelCombo();
    QVERIFY(combo);
    // Every catalog model once, by its one spelling; the board's own shown by it.
    for (const BoardModelInfo &m : catalog.models())
        QCOMPARE(combo->itemText(combo->findData(m.id)), catalog.displayName(m.id));
    QCOMPARE(combo->currentText(), catalog.displayName(before));

    const int pi = combo->findData(QStringLiteral("rpi-4b"));
    QVERIFY(pi >= 0);
    combo->setCurrentIndex(pi);
    Q_EMIT combo->activated(pi);
    QCOMPARE(m_doc->lab().board(id)->model, QStringLiteral("rpi-4b"));
    QCOMPARE(m_window->undoStack()->count(), 1);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().board(id)->model, before);
    QCOMPARE(combo->currentText(), catalog.displayName(before)); // reloads from the model

    // A model the catalog does not know: typed as an ID, kept as one, undoable too.
    combo->setEditText(QStringLiteral("my-own-board"));
    QVERIFY(inspector->commit());
    QCOMPARE(m_doc->lab().board(id)->model, QStringLiteral("my-own-board"));
    m_window->scene()->selectBoards({QStringLiteral("up-3")});
    m_window->scene()->selectBoards({id});
    QCOMPARE(combo->currentText(), QStringLiteral("my-own-board"));
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().board(id)->model, before);
}

void TestMainWindow::inspectorEditsRackPsuAndSwitch()
{
    TopologyScene *scene = m_window->scene();
    TopologyView *view = m_window->view();
    InspectorWidget *inspector = m_window->inspector();
    auto click = [view](QGraphicsItem *item) {
        view->ensureVisible(item);
        const QPoint at = view->mapFromScene(item->sceneBoundingRect().center());
        QVERIFY(view->viewport()->rect().contains(at));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    };

    // A click on PSU 1 opens it; 1 A at 5 V cannot feed rack 1: the check says so at once.
    click(scene->psuItem(QStringLiteral("psu-1")));
    QCOMPARE(inspector->objectId(), QStringLiteral("psu-1"));
    QVERIFY(!inspector->psuWattsSpin()->isVisible()); // rated in amps at volts, as planned
    QDoubleSpinBox *amps = inspector->psuAmpsSpin();
    QVERIFY(amps->isVisible());
    if (qEnvironmentVariableIsSet("HIVELAB_SHOT_DIR")) // docs/screenshots
        m_window->grab().save(qEnvironmentVariable("HIVELAB_SHOT_DIR") +
                              QStringLiteral("/inspector-psu.png"));
    amps->setValue(1);
    QVERIFY(inspector->commitObject());
    QCOMPARE(m_doc->lab().powerSupply(QStringLiteral("psu-1"))->ratingAmps, 1.0);
    QTRY_VERIFY(!m_window->checkResults()
                     ->report()
                     .findingsWithCode(QStringLiteral("power.over-budget"))
                     .isEmpty());
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().powerSupply(QStringLiteral("psu-1"))->ratingAmps, 16.0);
    QTRY_VERIFY(m_window->checkResults()
                    ->report()
                    .findingsWithCode(QStringLiteral("power.over-budget"))
                    .isEmpty());

    // Rack 1: fewer slots than its boards use is refused; a new name is one undo step.
    RackItem *rack = scene->rackItem(QStringLiteral("rack-1"));
    QVERIFY(rack);
    view->ensureVisible(rack);
    // The rack's own title area, not a card or the switch drawn over it.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                      view->mapFromScene(rack->sceneBoundingRect().topLeft() + QPointF(12, 8)));
    QCOMPARE(inspector->objectId(), QStringLiteral("rack-1"));
    inspector->rackSlotsSpin()->setValue(1);
    QVERIFY(!inspector->commitObject());
    QVERIFY(inspector->infraErrorLabel()->text().contains(QLatin1String("holds a board")));
    QCOMPARE(m_doc->lab().rack(QStringLiteral("rack-1"))->slotCount, 4);
    inspector->rackSlotsSpin()->setValue(6);
    inspector->infraNameEdit()->setText(QStringLiteral("Top shelf"));
    QVERIFY(inspector->commitObject());
    QCOMPARE(m_doc->lab().rack(QStringLiteral("rack-1"))->name, QStringLiteral("Top shelf"));
    QCOMPARE(m_doc->lab().rack(QStringLiteral("rack-1"))->slotCount, 6);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().rack(QStringLiteral("rack-1"))->name, QStringLiteral("Rack 1"));

    // Switch 1: ports below the highest cabled one are refused.
    click(scene->switchItem(QStringLiteral("switch-1")));
    QCOMPARE(inspector->objectId(), QStringLiteral("switch-1"));
    inspector->switchPortsSpin()->setValue(1);
    QVERIFY(!inspector->commitObject());
    QVERIFY(inspector->infraErrorLabel()->text().contains(QLatin1String("cabled")));

    // Selecting a board brings its own page back.
    scene->selectBoards({QStringLiteral("pine64-1")});
    QVERIFY(inspector->objectId().isEmpty());
    QCOMPARE(inspector->boardId(), QStringLiteral("pine64-1"));
}

void TestMainWindow::inspectorFormsBuiltOnFirstUse()
{
    // Nothing selected at start: the hint only; the forms come with the first selection
    // (start-up), each where the constructor used to build it in the Tab order: between the
    // inventory and the check results.
    InspectorWidget *inspector = m_window->inspector();
    QVERIFY(inspector->findChildren<QLineEdit *>().isEmpty());
    QWidget *inventory = m_window->inventoryView();
    QWidget *findings = m_window->checkResults()->tree();
    auto checkTabOrder = [&](QWidget *field) {
        QList<QWidget *> stops;
        for (QWidget *w = inventory->nextInFocusChain(); w != findings; w = w->nextInFocusChain()) {
            QVERIFY2(w != inventory, "the findings are not after the inventory in the Tab order");
            if ((w->focusPolicy() & Qt::TabFocus) && !w->focusProxy())
                stops.append(w);
        }
        QVERIFY(stops.contains(field));
        for (QWidget *w : std::as_const(stops))
            QVERIFY2(inspector->isAncestorOf(w), qPrintable(w->metaObject()->className()));
    };

    m_window->scene()->selectBoards({QStringLiteral("pine64-4")});
    QLineEdit *name = inspector->findChild<QLineEdit *>();
    QVERIFY(name);
    QCOMPARE(name, inspector->nameEdit());
    QVERIFY(name->isVisibleTo(inspector));
    QCOMPARE(name->text(), QStringLiteral("pine64-4"));
    QCOMPARE(inspector->ipEdit()->text(), QStringLiteral("10.77.0.14"));
    QCOMPARE(inspector->rackCombo()->currentData().toString(), QStringLiteral("rack-2"));
    checkTabOrder(name);
    const int boardFields = int(inspector->findChildren<QLineEdit *>().size());

    // A power supply: its own form, built now; the board's stays as it was.
    inspector->showObject(ObjectKind::PowerSupply, QStringLiteral("psu-2"));
    QVERIFY(inspector->findChildren<QLineEdit *>().size() > boardFields);
    QVERIFY(!name->isVisibleTo(inspector));
    QVERIFY(inspector->infraNameEdit()->isVisibleTo(inspector));
    QCOMPARE(inspector->infraNameEdit()->text(),
             m_doc->lab().powerSupply(QStringLiteral("psu-2"))->name);
    QVERIFY(inspector->psuAmpsSpin()->isVisibleTo(inspector)); // rated in amps at volts
    QVERIFY(!inspector->rackSlotsSpin()->isVisibleTo(inspector));
    checkTabOrder(inspector->infraNameEdit());

    m_window->scene()->selectBoards({QStringLiteral("up-1")});
    QVERIFY(name->isVisibleTo(inspector));
    QVERIFY(!inspector->infraNameEdit()->isVisibleTo(inspector));
    QCOMPARE(name->text(), QStringLiteral("up-1"));
    checkTabOrder(name);

    // Nothing selected: the hint again.
    m_window->scene()->selectBoards({});
    const auto edits = inspector->findChildren<QLineEdit *>();
    for (QLineEdit *edit : edits)
        QVERIFY(!edit->isVisibleTo(inspector));
}

void TestMainWindow::inspectorCablesBoard()
{
    m_window->scene()->selectBoards({QStringLiteral("up-1")});
    InspectorWidget *inspector = m_window->inspector();
    QCOMPARE(inspector->boardId(), QStringLiteral("up-1"));
    QCOMPARE(inspector->psuCombo()->currentData().toString(), QStringLiteral("psu-1"));
    QCOMPARE(inspector->switchCombo()->currentData().toString(), QStringLiteral("switch-1"));
    QCOMPARE(inspector->portSpin()->value(), 3);

    // Another supply: one undo step.
    QComboBox *psu = inspector->psuCombo();
    psu->setCurrentIndex(psu->findData(QStringLiteral("psu-4")));
    Q_EMIT psu->activated(psu->currentIndex());
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->psuId, QStringLiteral("psu-4"));
    QCOMPARE(m_window->undoStack()->count(), 1);

    // Another switch: the lowest free port is suggested (pine64-7 has port 1).
    QComboBox *sw = inspector->switchCombo();
    sw->setCurrentIndex(sw->findData(QStringLiteral("switch-4")));
    Q_EMIT sw->activated(sw->currentIndex());
    QCOMPARE(inspector->portSpin()->value(), 2);
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->switchId, QStringLiteral("switch-4"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->switchPort, 2);
    QCOMPARE(m_window->undoStack()->count(), 2);

    // A taken port, or one the switch does not have: refused with the reason, nothing changes.
    inspector->portSpin()->setValue(1);
    QVERIFY(!inspector->commit());
    QCOMPARE(inspector->errorLabel()->text(),
             QStringLiteral("Switch port: port 1 of Switch 4 (8-port GbE) is taken by pine64-7."));
    inspector->portSpin()->setValue(9);
    QVERIFY(!inspector->commit());
    QVERIFY2(inspector->errorLabel()->text().contains(QLatin1String("has ports 1 to 8; there is "
                                                                    "no port 9")),
             qPrintable(inspector->errorLabel()->text()));
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->switchPort, 2);
    inspector->portSpin()->setValue(5);
    QVERIFY(inspector->commit());
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->switchPort, 5);
    QCOMPARE(m_window->undoStack()->count(), 3);
    for (int i = 0; i < 3; ++i)
        m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab(), demoLab());
    QCOMPARE(inspector->psuCombo()->currentData().toString(), QStringLiteral("psu-1"));
    QCOMPARE(inspector->portSpin()->value(), 3);
}

void TestMainWindow::gearMenuAddsAndRemovesWithUndo()
{
    QStringList questions;
    bool agree = false;
    m_window->gear()->setConfirm([&](const QString &question, std::function<void()> yes) {
        questions << question;
        if (agree)
            yes();
    });
    // Lab ▸ Racks, Power & Switches ▸ Add Rack: the next free name, shown in the inspector.
    auto *menu = m_window->menuBar()->findChild<QMenu *>(QStringLiteral("gearMenu"));
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow();
    auto *addRack = menu->findChild<QAction *>(QStringLiteral("addRack"));
    QVERIFY(addRack);
    addRack->trigger();
    QCOMPARE(m_doc->lab().racks.size(), 5);
    QCOMPARE(m_doc->lab().racks.last().name, QStringLiteral("Rack 5"));
    QCOMPARE(m_window->inspector()->objectId(), m_doc->lab().racks.last().id);
    QVERIFY(m_window->scene()->rackItem(m_doc->lab().racks.last().id));
    // With the new rack in the inspector, the supply goes into it.
    Q_EMIT menu->aboutToShow();
    auto *addPsu = menu->findChild<QAction *>(QStringLiteral("addPowerSupply"));
    QVERIFY(addPsu);
    QCOMPARE(addPsu->text(), QStringLiteral("Add &Power Supply to Rack 5"));
    addPsu->trigger();
    QCOMPARE(m_doc->lab().powerSupplies.last().rackId, m_doc->lab().racks.last().id);
    QVERIFY(m_window->scene()->psuItem(m_doc->lab().powerSupplies.last().id));
    QCOMPARE(m_window->undoStack()->count(), 2);

    // Right-click on rack 1 on the canvas: the gear menu for it.
    TopologyView *view = m_window->view();
    RackItem *rack = m_window->scene()->rackItem(QStringLiteral("rack-1"));
    view->ensureVisible(rack);
    const QPoint at = view->mapFromScene(rack->sceneBoundingRect().topLeft() + QPointF(12, 8));
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    QMenu *popup = nullptr;
    for (QMenu *m : m_window->findChildren<QMenu *>(QStringLiteral("gearMenu"))) {
        if (m != menu)
            popup = m;
    }
    QVERIFY(popup);
    auto *remove = popup->findChild<QAction *>(QStringLiteral("removeGear"));
    QVERIFY(remove);
    QCOMPARE(remove->text(), QStringLiteral("Re&move Rack 1"));
    // Rack 1 holds boards: asked first; "no" changes nothing.
    remove->trigger();
    QCOMPARE(questions.size(), 1);
    QVERIFY2(questions.first().contains(QLatin1String("Its 3 board(s) become unplaced")),
             qPrintable(questions.first()));
    QVERIFY(m_doc->lab().rack(QStringLiteral("rack-1")));
    popup->close();
    agree = true;
    m_window->gear()->remove(ObjectKind::Rack, QStringLiteral("rack-1"));
    QVERIFY(!m_doc->lab().rack(QStringLiteral("rack-1")));
    QVERIFY(m_doc->lab().board(QStringLiteral("up-1"))->rackId.isEmpty());
    QVERIFY(m_window->scene()->trayItem()->isVisible());
    QCOMPARE(m_window->undoStack()->count(), 3);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(m_doc->lab().racks.first().id, QStringLiteral("rack-1"));
    m_window->undoStack()->undo();
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab(), demoLab());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

void TestMainWindow::keyboardReachesEveryBoardAction()
{
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    TopologyView *view = m_window->view();
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_Tab);
    QCOMPARE(m_window->scene()->selectedBoardIds(), QStringList{QStringLiteral("pine64-1")});

    const QStringList actions = {
        QStringLiteral("promote"),        QStringLiteral("demote"),
        QStringLiteral("copySsh"),        QStringLiteral("connect"),
        QStringLiteral("identifyBoards"), QStringLiteral("joinSwarm"),
        QStringLiteral("leaveSwarm"),     QStringLiteral("drain"),
        QStringLiteral("activate"),       QStringLiteral("moveUp"),
        QStringLiteral("moveDown"),       QStringLiteral("movePreviousRack"),
        QStringLiteral("moveNextRack"),   QStringLiteral("remove")};
    for (const auto key :
         {QKeyCombination(Qt::ShiftModifier, Qt::Key_F10), QKeyCombination(Qt::Key_Menu)}) {
        QTest::keyClick(view, key.key(), key.keyboardModifiers());
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())));
        // Every board action is there, and every one shows its key.
        for (const QString &name : actions) {
            auto *a = menu->findChild<QAction *>(name);
            QVERIFY2(a, qPrintable(name));
            QVERIFY2(!a->shortcut().isEmpty(), qPrintable(name));
        }
        QCOMPARE(menu->findChild<QAction *>(QStringLiteral("promote"))->shortcut(),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("moveDown"))
                    ->toolTip()
                    .contains(QStringLiteral("swaps with pine64-2")));
        menu->close();
        QTRY_VERIFY(!QApplication::activePopupWidget());
    }

    // The keys work without opening the menu: one undo step each, like the menu.
    QTest::keyClick(view, Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->role, Role::Manager);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->role, Role::Worker);
    // A key whose action is off says why instead of doing nothing (a worker is not demoted).
    QTest::keyClick(view, Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("not available")),
             qPrintable(m_window->statusBar()->currentMessage()));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->role, Role::Worker);

    // Move by keyboard = move by drag: same lab afterwards, one undo restores it.
    const QList<Board> original = m_doc->lab().boards;
    QVERIFY(m_window->triggerBoardAction(QStringLiteral("moveNextRack")));
    const QList<Board> byKeyboard = m_doc->lab().boards;
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->rackId, QStringLiteral("rack-2"));
    m_window->undoStack()->undo();
    QVERIFY(m_doc->lab().boards == original);
    dragTo(QStringLiteral("pine64-1"), QStringLiteral("rack-2"), 0);
    QVERIFY(m_doc->lab().boards == byKeyboard);
    m_window->undoStack()->undo();
    QVERIFY(m_doc->lab().boards == original);

    // No keyboard trap: Tab past the last card leaves the canvas for the docks.
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    m_window->scene()->focusBoard(QStringLiteral("pine64-7"));
    QTest::keyClick(view, Qt::Key_Tab);
    QTRY_VERIFY(!view->hasFocus());
    QVERIFY(QApplication::focusWidget() && m_window->isAncestorOf(QApplication::focusWidget()));

    // The menu bar's Board menu offers the same for the selection.
    QMenu *bar = m_window->menuBar()->findChild<QMenu *>(QStringLiteral("boardBarMenu"));
    QVERIFY(bar);
    Q_EMIT bar->aboutToShow();
    for (const QString &name : actions)
        QVERIFY2(bar->findChild<QAction *>(name), qPrintable(name));
    QVERIFY(bar->findChild<QAction *>(QStringLiteral("promote"))->isEnabled());
}

void TestMainWindow::widgetsHaveAccessibleNames()
{
    auto name = [](QObject *o) {
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(o);
        return iface ? iface->text(QAccessible::Name) : QString();
    };
    QCOMPARE(name(m_window->view()), QStringLiteral("Lab canvas"));
    QCOMPARE(name(m_window->inventoryView()), QStringLiteral("Inventory"));
    QCOMPARE(name(m_window->checkResults()->tree()), QStringLiteral("Findings"));
    const auto docks = m_window->findChildren<QDockWidget *>();
    QVERIFY(docks.size() >= 4);
    for (QDockWidget *dock : docks)
        QVERIFY2(!name(dock).isEmpty(), qPrintable(dock->objectName()));
    auto *toolbar = m_window->findChild<QToolBar *>(QStringLiteral("MainToolBar"));
    QVERIFY(toolbar);
    int buttons = 0;
    for (QAction *a : toolbar->actions()) {
        auto *button = qobject_cast<QToolButton *>(toolbar->widgetForAction(a));
        if (!button)
            continue;
        ++buttons;
        QVERIFY2(!name(button).isEmpty(), qPrintable(a->text()));
        QVERIFY2(!name(button).contains(QLatin1Char('&')), qPrintable(name(button)));
    }
    QVERIFY(buttons >= 10);
    // The inspector's fields are named by their form labels.
    m_window->scene()->selectBoards({QStringLiteral("pine64-1")});
    const auto edits = m_window->inspector()->findChildren<QLineEdit *>();
    int named = 0;
    for (QLineEdit *edit : edits) {
        if (!edit->isVisibleTo(m_window->inspector()) ||
            qobject_cast<QComboBox *>(edit->parent()) ||
            qobject_cast<QAbstractSpinBox *>(edit->parent()))
            continue;
        QVERIFY2(!name(edit).isEmpty(), qPrintable(edit->objectName()));
        ++named;
    }
    QVERIFY(named >= 5);
}
