// SPDX-License-Identifier: GPL-3.0-or-later
#include "boarditem.h"
#include "canvasaccessible.h"
#include "canvasmetrics.h"
#include "democanvas.h"
#include "demolab.h"
#include "dropwarningitem.h"
#include "labdocument.h"
#include "labgenerators.h"
#include "psuitem.h"
#include "rackitem.h"
#include "switchitem.h"
#include "theme.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAccessible>
#include <QApplication>
#include <QElapsedTimer>
#include <QScreen>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QtMath>

#include <algorithm>
#include <limits>

using namespace Hivelab;

namespace {
QPointF centreOf(const BoardItem *item)
{
    return item->pos() + QPointF(CanvasMetrics::CardWidth / 2, CanvasMetrics::CardHeight / 2);
}

// Runs the event loop until `done`, one turn at a time (bounded: false after 20 s).
template <typename Done> bool turnUntil(Done done)
{
    QElapsedTimer waited;
    waited.start();
    QTimer wake; // so that a turn comes even when nothing else is due
    wake.start(100);
    while (!done()) {
        if (waited.elapsed() > 20000)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}
// How far (the largest difference of a colour channel) what the window's backing store holds for
// the view's viewport (what is on screen, not painted again) is from what grab() paints now,
// every item's snapshot made for this scale and look; 255 when they cannot be compared.
int onScreenUnlikeSharp(TopologyView &view)
{
    const QRect area(view.viewport()->mapTo(&view, QPoint()), view.viewport()->size());
    const QImage shown =
        view.screen()
            ->grabWindow(view.winId(), area.x(), area.y(), area.width(), area.height())
            .toImage()
            .convertToFormat(QImage::Format_RGB32);
    const QImage sharp = view.viewport()->grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (shown.isNull() || shown.size() != sharp.size())
        return 255;
    int worst = 0;
    for (int y = 0; y < shown.height(); ++y) {
        const auto *a = reinterpret_cast<const QRgb *>(shown.constScanLine(y));
        const auto *b = reinterpret_cast<const QRgb *>(sharp.constScanLine(y));
        for (int x = 0; x < shown.width(); ++x) {
            worst = std::max({worst, qAbs(qRed(a[x]) - qRed(b[x])),
                              qAbs(qGreen(a[x]) - qGreen(b[x])), qAbs(qBlue(a[x]) - qBlue(b[x]))});
        }
    }
    return worst;
}
} // namespace

class TestTopologyScene : public QObject, public HivelabTest::DemoCanvasTest
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void buildsItemsForEveryObject();
    void dragToEmptySlotInAnotherRack();
    void dragOntoOccupiedSlotSwaps();
    void dropOutsideSnapsBack();
    void multiSelectionDragsTogether();
    void dropIndicatorWhileDragging();
    void dropPreviewWarnsBeforeTheDrop();
    void reactsToModelChanges();
    void infraShowsPortsAndLoad();
    void findingsBecomeBadges();
    void arrowKeysMoveSelection();
    void rubberBandSelects();
    void tabWalksBoardsRackByRack();
    void altArrowsMoveLikeADrag();
    void keyboardOpensTheBoardMenu();
    void cardsAreAccessible();
    void zoomScalesSnapshotsUntilItSettles();
    void zoomLaysOutScrollBarsAtOnce();
    void snapshotFollowsTheCard();
    void snapshotsKeepTheirLastDrawnOrder();
    void cardShapePicturesGoWhenUnused();
    void cachedRackFollowsItsContent();
    void rackKeepsItsHeaderFromFullSize();
    void settledZoomSnapshotsOnIdleTurns();
    void fitShowsALabThatFitsAtItsNaturalSize();
    void emptySlotOutlinesAsDrawn();
    void panShowsSnapshotsMadeAhead();

private:
    void drag(const QString &boardId, const QPointF &to, bool release = true);

};

void TestTopologyScene::init()
{
    QVERIFY(createDemoCanvas());
}

void TestTopologyScene::cleanup()
{
    destroyDemoCanvas();
}

void TestTopologyScene::drag(const QString &boardId, const QPointF &to, bool release)
{
    BoardItem *item = m_scene->boardItem(boardId);
    QVERIFY(item);
    const QPoint from = m_view->mapFromScene(centreOf(item));
    const QPoint target = m_view->mapFromScene(to);
    QWidget *vp = m_view->viewport();
    QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 6; ++i)
        QTest::mouseMove(vp, from + (target - from) * i / 6);
    if (release)
        QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier, target);
}

void TestTopologyScene::buildsItemsForEveryObject()
{
    QCOMPARE(m_scene->boardItemCount(), 10);
    for (const Rack &r : m_doc->lab().racks)
        QVERIFY(m_scene->rackItem(r.id));
    QVERIFY(m_scene->psuItem(QStringLiteral("psu-1")));
    QVERIFY(m_scene->switchItem(QStringLiteral("switch-4")));
    QVERIFY(!m_scene->trayItem()->isVisible()); // every demo board is placed
    // Cards sit exactly in their slots.
    const BoardItem *item = m_scene->boardItem(QStringLiteral("up-2"));
    QCOMPARE(item->pos(), m_scene->slotRect(QStringLiteral("rack-2"), 2).topLeft());
    QCOMPARE(item->name(), QStringLiteral("up-2"));
    QCOMPARE(item->role(), Role::Worker);
}

void TestTopologyScene::dragToEmptySlotInAnotherRack()
{
    const QRectF target = m_scene->slotRect(QStringLiteral("rack-4"), 2);
    drag(QStringLiteral("up-1"), target.center());
    const Board *b = m_doc->lab().board(QStringLiteral("up-1"));
    QCOMPARE(b->rackId, QStringLiteral("rack-4"));
    QCOMPARE(b->slot, 2);
    QCOMPARE(m_stack->count(), 1);
    QVERIFY(m_doc->isModified());
    BoardItem *item = m_scene->boardItem(QStringLiteral("up-1"));
    QCOMPARE(item->pos(), target.topLeft()); // snapped onto the slot
    // Rack labels follow: rack 1 lost a board, rack 4 gained one (occupied outlines).
    m_stack->undo();
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->slot, 2);
    QCOMPARE(item->pos(), m_scene->slotRect(QStringLiteral("rack-1"), 2).topLeft());
    QCOMPARE(m_doc->lab(), demoLab());
    m_stack->redo();
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->rackId, QStringLiteral("rack-4"));
    QCOMPARE(item->pos(), target.topLeft());
}

void TestTopologyScene::dragOntoOccupiedSlotSwaps()
{
    // pine64-3 (rack-2 slot 0) onto pine64-5 (rack-3 slot 0)
    drag(QStringLiteral("pine64-3"), m_scene->slotRect(QStringLiteral("rack-3"), 0).center());
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-3"))->rackId, QStringLiteral("rack-3"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-5"))->rackId, QStringLiteral("rack-2"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-5"))->slot, 0);
    QCOMPARE(m_scene->boardItem(QStringLiteral("pine64-5"))->pos(),
             m_scene->slotRect(QStringLiteral("rack-2"), 0).topLeft());
    QCOMPARE(m_stack->count(), 1);
    m_stack->undo();
    QCOMPARE(m_doc->lab(), demoLab());
}

void TestTopologyScene::dropOutsideSnapsBack()
{
    const QPointF start = m_scene->boardItem(QStringLiteral("pine64-1"))->pos();
    const QRectF scene = m_scene->itemsBoundingRect();
    drag(QStringLiteral("pine64-1"), QPointF(scene.left() + 5, scene.bottom() - 5));
    QCOMPARE(m_stack->count(), 0);
    QCOMPARE(m_doc->lab(), demoLab());
    QCOMPARE(m_scene->boardItem(QStringLiteral("pine64-1"))->pos(), start);
}

void TestTopologyScene::multiSelectionDragsTogether()
{
    m_scene->selectBoards({QStringLiteral("pine64-1"), QStringLiteral("pine64-2")});
    drag(QStringLiteral("pine64-1"), m_scene->slotRect(QStringLiteral("rack-4"), 1).center());
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->rackId, QStringLiteral("rack-4"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->slot, 1);
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-2"))->rackId, QStringLiteral("rack-4"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-2"))->slot, 2);
    QCOMPARE(m_stack->count(), 1); // one undo step for the whole group
    m_stack->undo();
    QCOMPARE(m_doc->lab(), demoLab());
}

void TestTopologyScene::dropIndicatorWhileDragging()
{
    const QRectF target = m_scene->slotRect(QStringLiteral("rack-2"), 1);
    drag(QStringLiteral("up-3"), target.center(), false);
    RackItem *rack = m_scene->rackItem(QStringLiteral("rack-2"));
    QCOMPARE(rack->dropSlot(), 1);
    QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
                        m_view->mapFromScene(target.center()));
    QCOMPARE(rack->dropSlot(), -1);
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-3"))->rackId, QStringLiteral("rack-2"));
}

void TestTopologyScene::dropPreviewWarnsBeforeTheDrop()
{
    // The rack-1 manager over rack 2's empty slot, next to the rack-2 manager.
    const QRectF target = m_scene->slotRect(QStringLiteral("rack-2"), 3);
    drag(QStringLiteral("pine64-2"), target.center(), false);
    RackItem *rack = m_scene->rackItem(QStringLiteral("rack-2"));
    QCOMPARE(rack->dropSlot(), 3);
    QCOMPARE(rack->dropWarning(),
             QStringLiteral("Quorum lost if Rack 2, PSU 2 (5 V 16 A), circuit wall-B, Switch 2 "
                            "(8-port GbE) fails"));
    QCOMPARE(rack->toolTip(), rack->dropWarning());
    // The reasons in a box beside the slot, where the dragged card does not cover them.
    DropWarningItem *box = m_scene->dropWarningItem();
    QVERIFY(box);
    QVERIFY(box->isVisible());
    QCOMPARE(box->text(), rack->dropWarning());
    QVERIFY(box->sceneBoundingRect().left() > target.right());
    QVERIFY(box->zValue() < m_scene->boardItem(QStringLiteral("pine64-2"))->zValue());
    // Over rack 4's empty slot the same board breaks nothing: a plain drop target.
    const QRectF harmless = m_scene->slotRect(QStringLiteral("rack-4"), 2);
    QTest::mouseMove(m_view->viewport(), m_view->mapFromScene(harmless.center()));
    QCOMPARE(rack->dropSlot(), -1);
    QVERIFY(rack->dropWarning().isEmpty());
    RackItem *rack4 = m_scene->rackItem(QStringLiteral("rack-4"));
    QCOMPARE(rack4->dropSlot(), 2);
    QVERIFY(rack4->dropWarning().isEmpty());
    QVERIFY(!m_scene->dropWarningItem());
    QTest::mouseRelease(m_view->viewport(), Qt::LeftButton, Qt::NoModifier,
                        m_view->mapFromScene(harmless.center()));
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-2"))->rackId, QStringLiteral("rack-4"));
}

void TestTopologyScene::reactsToModelChanges()
{
    Board b = *m_doc->lab().board(QStringLiteral("pine64-7"));
    b.name = QStringLiteral("storage-7");
    b.role = Role::Manager;
    m_doc->updateBoard(b);
    QCOMPARE(m_scene->boardItem(b.id)->name(), QStringLiteral("storage-7"));
    QCOMPARE(m_scene->boardItem(b.id)->role(), Role::Manager);
    m_doc->setNodeState(b.id, NodeState::SwarmReady);
    QCOMPARE(m_scene->boardItem(b.id)->state(), NodeState::SwarmReady);
    m_doc->setNodeAvailability(b.id, QStringLiteral("drain"));
    QCOMPARE(m_scene->boardItem(b.id)->availability(), QStringLiteral("drain"));
    QVERIFY(m_scene->boardItem(b.id)->toolTip().contains(QStringLiteral("drained")));
    m_doc->setSwarmLeader(b.id);
    QVERIFY(m_scene->boardItem(b.id)->isLeader());
    m_doc->setSwarmLeader(QStringLiteral("pine64-2"));
    QVERIFY(!m_scene->boardItem(b.id)->isLeader());
    QVERIFY(m_scene->boardItem(QStringLiteral("pine64-2"))->isLeader());

    Board fresh;
    fresh.id = QStringLiteral("new-1");
    fresh.name = QStringLiteral("new-1");
    m_doc->addBoard(fresh);
    QVERIFY(m_scene->boardItem(QStringLiteral("new-1")));
    QVERIFY(m_scene->trayItem()->isVisible()); // unplaced boards appear in the tray
    m_doc->removeBoard(QStringLiteral("new-1"));
    QVERIFY(!m_scene->boardItem(QStringLiteral("new-1")));
    QVERIFY(!m_scene->trayItem()->isVisible());

    m_doc->removeRack(QStringLiteral("rack-4"));
    QVERIFY(!m_scene->rackItem(QStringLiteral("rack-4")));
    QVERIFY(m_scene->trayItem()->isVisible()); // pine64-7 lost its rack
}

void TestTopologyScene::infraShowsPortsAndLoad()
{
    QCOMPARE(m_scene->switchItem(QStringLiteral("switch-1"))->usedCount(), 3);
    QCOMPARE(m_scene->switchItem(QStringLiteral("switch-4"))->usedCount(), 1);
    const double before = m_scene->psuItem(QStringLiteral("psu-4"))->loadWatts();
    // The storage worker's disk draw moves with the PSU assignment.
    Board b = *m_doc->lab().board(QStringLiteral("pine64-1"));
    b.psuId = QStringLiteral("psu-4");
    m_doc->updateBoard(b);
    QVERIFY(m_scene->psuItem(QStringLiteral("psu-4"))->loadWatts() >= before + 4.5);
}

void TestTopologyScene::findingsBecomeBadges()
{
    CheckReport report;
    Finding f;
    f.severity = Severity::Error;
    f.code = QStringLiteral("quorum.rack-loss");
    f.message = QStringLiteral("Losing Rack 2 loses quorum");
    f.objectIds = {QStringLiteral("rack-2"), QStringLiteral("psu-2"), QStringLiteral("pine64-4")};
    report.findings.append(f);
    m_scene->setCheckReport(report);
    QVERIFY(m_scene->rackItem(QStringLiteral("rack-2"))->hasBadge());
    QCOMPARE(m_scene->rackItem(QStringLiteral("rack-2"))->badgeSeverity(), Severity::Error);
    QVERIFY(m_scene->psuItem(QStringLiteral("psu-2"))->hasBadge());
    QVERIFY(m_scene->boardItem(QStringLiteral("pine64-4"))->hasBadge());
    QVERIFY(!m_scene->rackItem(QStringLiteral("rack-1"))->hasBadge());
    QVERIFY(m_scene->rackItem(QStringLiteral("rack-2"))->toolTip().contains(f.message));
    m_scene->setCheckReport(CheckReport());
    QVERIFY(!m_scene->rackItem(QStringLiteral("rack-2"))->hasBadge());
}

void TestTopologyScene::arrowKeysMoveSelection()
{
    m_view->setFocus();
    m_scene->selectBoards({QStringLiteral("pine64-1")});
    QTest::keyClick(m_view, Qt::Key_Down);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-2")});
    QTest::keyClick(m_view, Qt::Key_Right);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-4")});
    QTest::keyClick(m_view, Qt::Key_Up);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-3")});
    QTest::keyClick(m_view, Qt::Key_Left);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-1")});
    QTest::keyClick(m_view, Qt::Key_Left); // nothing further left: stays
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-1")});
}

void TestTopologyScene::rubberBandSelects()
{
    QSignalSpy spy(m_scene, &TopologyScene::boardSelectionChanged);
    // From the gap left of rack 1 down across its first two cards.
    const QRectF s0 = m_scene->slotRect(QStringLiteral("rack-1"), 0);
    const QRectF s1 = m_scene->slotRect(QStringLiteral("rack-1"), 1);
    const QPoint from = m_view->mapFromScene(s0.topLeft() - QPointF(20, 10));
    const QPoint to = m_view->mapFromScene(s1.center());
    QWidget *vp = m_view->viewport();
    QTest::mousePress(vp, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 6; ++i)
        QTest::mouseMove(vp, from + (to - from) * i / 6);
    QTest::mouseRelease(vp, Qt::LeftButton, Qt::NoModifier, to);
    QCOMPARE(m_scene->selectedBoardIds(),
             (QStringList{QStringLiteral("pine64-1"), QStringLiteral("pine64-2")}));
    QVERIFY(!spy.isEmpty());
    QCOMPARE(m_stack->count(), 0);
}

void TestTopologyScene::zoomScalesSnapshotsUntilItSettles()
{
    BoardItem *card = m_scene->boardItem(QStringLiteral("pine64-1"));
    QVERIFY(card);
    QCOMPARE(card->cacheMode(), QGraphicsItem::NoCache); // the card caches itself
    QCOMPARE(card->rendering(), BoardItem::Rendering::Cached);
    m_view->viewport()->repaint();
    // The first paint is direct, the snapshot made on an idle turn.
    QTRY_VERIFY(card->hasSnapshot());
    RackItem *rack = m_scene->rackItem(QStringLiteral("rack-4")); // with empty slots
    QVERIFY(rack);
    QCOMPARE(rack->rendering(), RackItem::Rendering::Cached);
    m_view->setZoom(m_view->zoom() * 1.2);
    QCOMPARE(card->rendering(), BoardItem::Rendering::Zooming);
    QCOMPARE(rack->rendering(), RackItem::Rendering::Zooming); // scaled until it settles
    m_view->setZoom(m_view->zoom() * 1.2); // still zooming: no switch back in between
    QCOMPARE(card->rendering(), BoardItem::Rendering::Zooming);
    QTRY_COMPARE(card->rendering(), BoardItem::Rendering::Cached);
    QCOMPARE(rack->rendering(), RackItem::Rendering::Cached);
    m_scene->setItemCaching(false); // exports paint directly, without snapshots
    QCOMPARE(card->rendering(), BoardItem::Rendering::Direct);
    QVERIFY(!card->hasSnapshot());
    m_scene->setItemCaching(true);
    QCOMPARE(card->rendering(), BoardItem::Rendering::Cached);
}

void TestTopologyScene::zoomLaysOutScrollBarsAtOnce()
{
    // The scroll bars a zoom step shows or hides take their room before the step's frame: the
    // scroll area would move them on a later turn, and the whole canvas was painted once more.
    QScrollBar *bar = m_view->verticalScrollBar();
    QWidget *viewport = m_view->viewport();
    QVERIFY(!bar->isVisible()); // the demo lab fits
    const QSize fitted = viewport->size();
    const double fit = m_view->zoom();
    m_view->setZoom(fit * 3);
    QVERIFY(bar->isVisible());
    const QSize zoomed = viewport->size();
    QCOMPARE_LT(zoomed.width(), fitted.width());
    QCOMPARE_LT(zoomed.height(), fitted.height());
    QCoreApplication::processEvents(); // what the step posted
    QCOMPARE(viewport->size(), zoomed);
    m_view->setZoom(fit);
    QVERIFY(!bar->isVisible());
    QCOMPARE(viewport->size(), fitted);
    QCoreApplication::processEvents();
    QCOMPARE(viewport->size(), fitted);
}

void TestTopologyScene::snapshotsKeepTheirLastDrawnOrder()
{
    // Past the snapshots' memory budget the least recently drawn go first. Their list holds
    // every item with a snapshot once, the same walked from either end, with the item drawn last
    // at the newest end: after all are drawn again, after one is, and after items are deleted.
    // (Items drawn again from the oldest end used to break it: the window's close then read
    // a deleted item, which the sanitizers caught in a --screenshot-drag run.)
    const auto consistent = [this]() {
        const QList<const SnapshotItem *> oldestFirst = SnapshotItem::snapshotsByLastDrawn();
        QList<const SnapshotItem *> newestFirst = SnapshotItem::snapshotsByLastDrawn(true);
        std::reverse(newestFirst.begin(), newestFirst.end());
        qsizetype held = 0;
        const auto items = m_scene->items();
        for (const QGraphicsItem *item : items) {
            const auto *snapshot = dynamic_cast<const SnapshotItem *>(item);
            held += snapshot && snapshot->hasSnapshot() ? 1 : 0;
        }
        if (oldestFirst != newestFirst || oldestFirst.size() != held || held == 0) {
            qWarning("list %lld from the oldest, %lld from the newest, %lld items hold one",
                     qlonglong(oldestFirst.size()), qlonglong(newestFirst.size()),
                     qlonglong(held));
            return false;
        }
        return true;
    };
    m_view->viewport()->repaint();
    QVERIFY(QTest::qWaitFor([] { return SnapshotItem::pendingSnapshots() == 0; }));
    QVERIFY(consistent());
    m_view->viewport()->repaint(); // every item a blit now: each drawn again, in paint order
    QVERIFY(consistent());
    const BoardItem *card = m_scene->boardItem(QStringLiteral("pine64-1"));
    QVERIFY(card);
    m_view->viewport()->repaint(m_view->mapFromScene(card->sceneBoundingRect()).boundingRect());
    QVERIFY(consistent());
    QCOMPARE(SnapshotItem::snapshotsByLastDrawn(true).constFirst(), card); // over its rack
    QVERIFY(m_doc->removeBoard(QStringLiteral("pine64-1")));
    QVERIFY(m_doc->removeBoard(QStringLiteral("up-2")));
    QVERIFY(consistent());
    m_view->viewport()->repaint();
    QVERIFY(consistent());
}

void TestTopologyScene::snapshotFollowsTheCard()
{
    // A cached card shows what it holds now: its state LED changes colour on screen.
    BoardItem *card = m_scene->boardItem(QStringLiteral("pine64-1"));
    QVERIFY(card);
    const QPoint led =
        m_view->mapFromScene(card->mapToScene(QPointF(CanvasMetrics::CardWidth - 14, 14)));
    auto ledColour = [this, led]() {
        // Painted directly, then on an idle turn snapshotted: a blit from then on.
        m_view->viewport()->repaint();
        if (!QTest::qWaitFor([] { return SnapshotItem::pendingSnapshots() == 0; }))
            qWarning("snapshots still waiting");
        m_view->viewport()->repaint();
        return m_view->viewport()->grab().toImage().pixelColor(led * m_view->devicePixelRatioF());
    };
    m_doc->setNodeState(QStringLiteral("pine64-1"), NodeState::Offline);
    const QColor offline = ledColour();
    QVERIFY(card->hasSnapshot());
    m_doc->setNodeState(QStringLiteral("pine64-1"), NodeState::SwarmReady);
    QVERIFY(!card->hasSnapshot()); // stale: dropped at once
    const QColor ready = ledColour();
    QVERIFY(card->hasSnapshot());
    QVERIFY2(offline != ready, qPrintable(offline.name() + QLatin1Char(' ') + ready.name()));
    // The same as the card painted directly.
    m_scene->setItemCaching(false);
    const QColor direct = ledColour();
    m_scene->setItemCaching(true);
    QVERIFY2(qAbs(direct.red() - ready.red()) + qAbs(direct.green() - ready.green()) +
                     qAbs(direct.blue() - ready.blue()) <
                 40,
             qPrintable(direct.name() + QLatin1Char(' ') + ready.name()));
}

void TestTopologyScene::cardShapePicturesGoWhenUnused()
{
    // Cards painted directly blit their shapes from pictures shared by look; once every card
    // blits its own snapshot and none is painted for a while, the pictures go.
    m_doc->setNodeState(QStringLiteral("pine64-1"), NodeState::Offline); // a look not seen yet
    m_view->viewport()->repaint();
    QVERIFY(BoardItem::shapePictureCount() > 0);
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(BoardItem::shapePictureCount(), 0, 10000);
    // A card that changes is painted directly again, from a picture made again.
    m_doc->setNodeState(QStringLiteral("pine64-1"), NodeState::SwarmReady);
    m_view->viewport()->repaint();
    QVERIFY(BoardItem::shapePictureCount() > 0);
}

void TestTopologyScene::cachedRackFollowsItsContent()
{
    // A rack, like a card, keeps a snapshot: it must show the rack's content, its selection and
    // the theme as they are now, and look the same as the rack painted directly.
    RackItem *rack = m_scene->rackItem(QStringLiteral("rack-4")); // with empty slots
    QVERIFY(rack);
    QCOMPARE(rack->cacheMode(), QGraphicsItem::NoCache); // the rack caches itself
    const QRect area = m_view->mapFromScene(rack->sceneBoundingRect())
                           .boundingRect()
                           .intersected(m_view->viewport()->rect());
    QVERIFY(area.height() > 100);
    auto shot = [this, area]() {
        m_view->viewport()->repaint();
        if (!QTest::qWaitFor([] { return SnapshotItem::pendingSnapshots() == 0; }))
            qWarning("snapshots still waiting");
        m_view->viewport()->repaint();
        return m_view->viewport()->grab(area).toImage().convertToFormat(QImage::Format_RGB32);
    };
    // Cached and painted directly (as exports do): pixels at most a rounding step apart.
    auto checkSameAsDirect = [this, rack, &shot](const QImage &cached) {
        QVERIFY(rack->hasSnapshot());
        m_scene->setItemCaching(false);
        const QImage direct = shot();
        QVERIFY(!rack->hasSnapshot());
        m_scene->setItemCaching(true);
        QCOMPARE(direct.size(), cached.size());
        int worst = 0;
        for (int y = 0; y < direct.height(); ++y) {
            for (int x = 0; x < direct.width(); ++x) {
                const QRgb a = direct.pixel(x, y);
                const QRgb b = cached.pixel(x, y);
                worst = std::max({worst, qAbs(qRed(a) - qRed(b)), qAbs(qGreen(a) - qGreen(b)),
                                  qAbs(qBlue(a) - qBlue(b))});
            }
        }
        QVERIFY2(worst <= 2, qPrintable(QString::number(worst)));
        QCOMPARE(shot(), cached); // a snapshot again
        QVERIFY(rack->hasSnapshot());
    };
    const QImage before = shot();
    checkSameAsDirect(before);

    // Content: a finding about the rack puts a warning sign on it at once, not the old snapshot.
    CheckReport report;
    Finding finding;
    finding.severity = Severity::Warning;
    finding.code = QStringLiteral("test.rack");
    finding.message = QStringLiteral("Rack 4 has a problem");
    finding.objectIds = {QStringLiteral("rack-4")};
    report.findings.append(finding);
    m_scene->setCheckReport(report);
    QVERIFY(rack->hasBadge());
    QVERIFY(!rack->hasSnapshot()); // stale: dropped at once
    const QImage named = shot();
    QVERIFY(named != before);
    checkSameAsDirect(named);

    // Selection: the rack outlined as selected (the inspector's or the check results' choice).
    m_scene->highlightObjects({QStringLiteral("rack-4")});
    const QImage highlighted = shot();
    QVERIFY(highlighted != named);
    checkSameAsDirect(highlighted);
    m_scene->highlightObjects({});
    QCOMPARE(shot(), named);

    // Theme: the main window repaints every item after switching it.
    Theme::apply(true);
    rack->update();
    const QImage dark = shot();
    Theme::apply(false);
    QVERIFY(dark != named);
    QVERIFY(qGray(dark.pixel(area.width() / 2, area.height() / 2)) <
            qGray(named.pixel(area.width() / 2, area.height() / 2)));
    rack->update();
    QCOMPARE(shot(), named);
}

void TestTopologyScene::fitShowsALabThatFitsAtItsNaturalSize()
{
    // fitInView() keeps 2 px from each edge: a lab 1 px too tall for those margins was shown at
    // 99.8 %, every text drawn from glyphs at that scale and the dot grid resampled. A lab that
    // fits the view (its scene's own margins included) is shown at its natural size, whole.
    const QSizeF lab = m_scene->sceneRect().size();
    const auto fitTo = [this](const QSize &viewport) {
        m_view->resize(viewport);
        QCoreApplication::processEvents();
        QCOMPARE(m_view->viewport()->size(), viewport);
        m_view->fitAll();
    };
    fitTo(QSize(qCeil(lab.width()) + 1, qCeil(lab.height()) + 1));
    QCOMPARE(m_view->zoom(), 1.0);
    QVERIFY(!m_view->horizontalScrollBar()->isVisible());
    QVERIFY(!m_view->verticalScrollBar()->isVisible());
    QVERIFY(m_view->viewport()->rect().contains(
        m_view->mapFromScene(m_scene->sceneRect()).boundingRect()));
    // Smaller than the lab: fitted below 100 %.
    fitTo(QSize(qCeil(lab.width()) + 1, qCeil(lab.height()) - 8));
    QVERIFY(m_view->zoom() < 1.0);
}

void TestTopologyScene::emptySlotOutlinesAsDrawn()
{
    // At 100 % a rack blits its empty slots' dashed outlines from a picture made over its fill:
    // the same pixels as stroking them, in both themes and at any sub-pixel phase (and other
    // zooms stroke them). (A slot reaching past the paint device's edge is stroked
    // with its dashes outside skipped, which moves the pattern; the picture, like the rack's
    // snapshot, has the whole slot.)
    const QRectF slot(CanvasMetrics::RackPadding, 60, CanvasMetrics::CardWidth,
                      CanvasMetrics::CardHeight);
    for (const bool dark : {false, true}) {
        Theme::apply(dark);
        for (const qreal scale : {1.0, 0.998233, 1.37}) {
            for (const QPointF phase : {QPointF(0, 0), QPointF(0.3, 0.55), QPointF(0.71, 0.125),
                                        QPointF(0.5, 0.5), QPointF(0.999, 0.001)}) {
                const auto draw = [&](bool stroke) {
                    QImage image(QSize(400, 300), QImage::Format_ARGB32_Premultiplied);
                    image.fill(Theme::rackFill());
                    QPainter painter(&image);
                    painter.setRenderHint(QPainter::Antialiasing);
                    painter.translate(phase);
                    painter.scale(scale, scale);
                    if (stroke) {
                        painter.setPen(QPen(Theme::slotOutline(), 1.2, Qt::DashLine));
                        painter.drawRoundedRect(slot, 7, 7);
                    } else {
                        RackItem::paintEmptySlotOutline(&painter, slot);
                    }
                    return image;
                };
                const QImage stroked = draw(true);
                const QString where = QStringLiteral("dark %1, scale %2, phase %3,%4")
                                          .arg(dark)
                                          .arg(scale)
                                          .arg(phase.x())
                                          .arg(phase.y());
                // The picture made, then the picture again.
                for (int time = 0; time < 2; ++time)
                    QVERIFY2(draw(false) == stroked, qPrintable(where));
            }
        }
    }
    Theme::apply(false);
}

void TestTopologyScene::rackKeepsItsHeaderFromFullSize()
{
    // From 100 % up a rack's snapshot is its header; its body (a fill, a border, the empty
    // slots' pictures, cards over most of it) is painted. Below, it is the whole rack.
    RackItem *rack = m_scene->rackItem(QStringLiteral("rack-4")); // with empty slots
    QVERIFY(rack);
    const auto zoomTo = [this](qreal zoom) {
        m_view->setZoom(zoom);
        m_view->settleZoom();
        m_view->viewport()->repaint();
        return QTest::qWaitFor([] { return SnapshotItem::pendingSnapshots() == 0; });
    };
    const qreal dpr = m_view->devicePixelRatioF();
    const int whole = int(std::floor(rack->boundingRect().height() * dpr));
    const int header = int(std::ceil((CanvasMetrics::HeaderHeight + 4) * dpr));
    QCOMPARE(m_view->zoom(), 1.0);
    QVERIFY(zoomTo(1.0));
    QVERIFY(rack->hasSnapshot());
    QCOMPARE(rack->snapshotSize().height(), header);
    QCOMPARE(rack->snapshotSize().width(), int(std::ceil((CanvasMetrics::RackWidth + 8) * dpr)));
    QVERIFY(zoomTo(0.8));
    QVERIFY(rack->snapshotSize().height() >= int(whole * 0.8));
    QVERIFY(zoomTo(1.5));
    QVERIFY(rack->snapshotSize().height() <= int(std::ceil(header * 1.5)) + 1);
    QVERIFY(zoomTo(1.0));
    QCOMPARE(rack->snapshotSize().height(), header);
    // On screen once the repaints the snapshots asked for are done: the picture as painted
    // in one go, body and header alike.
    QTRY_COMPARE(onScreenUnlikeSharp(*m_view), 0);
}

void TestTopologyScene::settledZoomSnapshotsOnIdleTurns()
{
    // A zoom settling paints no item directly: each keeps its last snapshot, scaled, until
    // idle turns of the event loop make the new ones, a few milliseconds' worth a turn, nearest
    // the middle first, and blit them; a new zoom cancels what is left. What is then on screen
    // is the sharp picture. All 260 items of the benchmark's lab on screen.
    LabDocument doc;
    doc.setLab(HivelabTest::canvasBenchLab(20, 10));
    QUndoStack stack;
    TopologyScene scene(&doc, &stack);
    TopologyView view(&scene);
    view.resize(2400, 1500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fitAll();
    view.setZoom(view.zoom() / 1.2); // every item well inside the view
    view.settleZoom();
    QList<SnapshotItem *> items;
    const QRectF shown = view.mapToScene(view.viewport()->rect()).boundingRect();
    for (QGraphicsItem *item : scene.items()) {
        auto *snapshotItem = dynamic_cast<SnapshotItem *>(item);
        if (snapshotItem && snapshotItem->isVisible()) {
            QVERIFY(shown.contains(item->sceneBoundingRect()));
            items.append(snapshotItem);
        }
    }
    QCOMPARE(items.size(), 260);
    // The first frame at this zoom paints directly; the snapshots come on idle turns. (Painted
    // here: a check before the view's first paint at this zoom found nothing waiting yet.)
    view.viewport()->repaint();
    QVERIFY(SnapshotItem::pendingSnapshots() > 0);
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0);
    for (const SnapshotItem *item : std::as_const(items))
        QVERIFY(item->hasSnapshot());

    view.setZoom(view.zoom() * 1.1);
    view.viewport()->repaint();
    view.settleZoom();
    // Settling: every item asks for its snapshot, none made yet.
    QCOMPARE(SnapshotItem::pendingSnapshots(), int(items.size()));
    // One idle turn: some, not all (all at once took 27-30 ms), the nearest the middle first.
    QVERIFY(turnUntil([&items] { return SnapshotItem::pendingSnapshots() < items.size(); }));
    const int left = SnapshotItem::pendingSnapshots();
    QVERIFY2(left > 0, "every snapshot made in one turn");
    const QPointF middle = view.viewportTransform().inverted().map(
        QPointF(view.viewport()->width(), view.viewport()->height()) / 2);
    qreal farthestMade = 0;
    qreal nearestLeft = std::numeric_limits<qreal>::max();
    for (const SnapshotItem *item : std::as_const(items)) {
        const QPointF d = item->sceneBoundingRect().center() - middle;
        const qreal distance = QPointF::dotProduct(d, d);
        if (item->snapshotPending())
            nearestLeft = std::min(nearestLeft, distance);
        else
            farthestMade = std::max(farthestMade, distance);
    }
    QVERIFY2(farthestMade <= nearestLeft + 1,
             qPrintable(QStringLiteral("%1 > %2").arg(farthestMade).arg(nearestLeft)));

    // Zooming again cancels the rest; the next settle starts over and gets to the end.
    view.setZoom(view.zoom() * 1.1);
    QCOMPARE(SnapshotItem::pendingSnapshots(), 0);
    view.viewport()->repaint();
    view.settleZoom();
    QVERIFY(SnapshotItem::pendingSnapshots() > 0);
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0);
    for (const SnapshotItem *item : std::as_const(items))
        QVERIFY(item->hasSnapshot() && !item->snapshotPending());
    // Made for this scale and look: the next frame is blits only, nothing asked again.
    view.viewport()->repaint();
    QCOMPARE(SnapshotItem::pendingSnapshots(), 0);

    // Every item with a snapshot of this level of detail: settling the next zoom paints none
    // directly, and what is then on screen, not painted again, is the sharp picture.
    view.setZoom(view.zoom() * 1.1);
    view.viewport()->repaint(); // a frame mid-zoom: scaled snapshots
    const SnapshotItem::PaintCounts before = SnapshotItem::paintCounts();
    view.settleZoom();
    QCOMPARE(SnapshotItem::pendingSnapshots(), int(items.size()));
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0);
    QCoreApplication::processEvents();
    QCOMPARE(SnapshotItem::paintCounts().direct, before.direct);
    QVERIFY(SnapshotItem::paintCounts().blits > before.blits);
    QCOMPARE(onScreenUnlikeSharp(view), 0);
}

void TestTopologyScene::panShowsSnapshotsMadeAhead()
{
    // The items around the view get their snapshots on idle turns, so the ones a pan brings
    // in are blitted, not painted, and what the pan leaves on screen is the sharp picture.
    LabDocument doc;
    doc.setLab(HivelabTest::canvasBenchLab(20, 10));
    QUndoStack stack;
    TopologyScene scene(&doc, &stack);
    TopologyView view(&scene);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setZoom(1.0);
    view.settleZoom();
    view.centerOn(scene.sceneRect().topLeft());
    view.viewport()->repaint();
    QCoreApplication::processEvents();
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0);
    const SnapshotItem::PaintCounts before = SnapshotItem::paintCounts();
    QScrollBar *h = view.horizontalScrollBar();
    QVERIFY(h->maximum() - h->value() >= 500);
    // Less than half a screen, in 20 px steps (a drag), a frame each.
    for (int i = 0; i < 25; ++i) {
        h->setValue(h->value() + 20);
        QCoreApplication::processEvents();
    }
    const SnapshotItem::PaintCounts after = SnapshotItem::paintCounts();
    QVERIFY(after.blits > before.blits);
    QCOMPARE(after.direct, before.direct);
    QCOMPARE(after.scaled, before.scaled);
    QTRY_COMPARE(SnapshotItem::pendingSnapshots(), 0); // the next half screen
    QCoreApplication::processEvents();
    // What the first frames painted directly is the snapshot to a rounding step.
    QVERIFY(onScreenUnlikeSharp(view) <= 2);
}

QTEST_MAIN(TestTopologyScene)
#include "tst_topologyscene.moc"

void TestTopologyScene::tabWalksBoardsRackByRack()
{
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());
    const QStringList order = {QStringLiteral("pine64-1"), QStringLiteral("pine64-2"),
                               QStringLiteral("up-1"), QStringLiteral("pine64-3")};
    for (const QString &id : order) {
        QTest::keyClick(m_view, Qt::Key_Tab);
        QCOMPARE(m_scene->selectedBoardIds(), QStringList{id});
        QCOMPARE(m_scene->focusItem(), m_scene->boardItem(id));
        QVERIFY(m_view->hasFocus());
    }
    QTest::keyClick(m_view, Qt::Key_Backtab);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("up-1")});
    // Arrow keys start from the focused card, not from an older selection.
    QTest::keyClick(m_view, Qt::Key_Up);
    QCOMPARE(m_scene->selectedBoardIds(), QStringList{QStringLiteral("pine64-2")});
    QCOMPARE(m_scene->focusItem(), m_scene->boardItem(QStringLiteral("pine64-2")));
}

void TestTopologyScene::altArrowsMoveLikeADrag()
{
    const QList<Board> original = m_doc->lab().boards;
    m_view->setFocus();
    m_scene->focusBoard(QStringLiteral("up-1"));
    // Next rack, same slot: up-2 is there, so they swap and both are re-cabled.
    QTest::keyClick(m_view, Qt::Key_Right, Qt::AltModifier);
    const QList<Board> byKeyboard = m_doc->lab().boards;
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->rackId, QStringLiteral("rack-2"));
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->slot, 2);
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-2"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(m_stack->count(), 1);
    // The moved card keeps focus, so the next key goes on from there.
    QCOMPARE(m_scene->currentBoardItem(), m_scene->boardItem(QStringLiteral("up-1")));
    m_stack->undo();
    QVERIFY(m_doc->lab().boards == original);

    drag(QStringLiteral("up-1"), m_scene->slotRect(QStringLiteral("rack-2"), 2).center());
    QVERIFY(m_doc->lab().boards == byKeyboard);
    m_stack->undo();
    QVERIFY(m_doc->lab().boards == original);

    // Down into the free slot 4 of rack 1; nothing below it: no move, no undo step.
    m_scene->focusBoard(QStringLiteral("up-1"));
    QTest::keyClick(m_view, Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->slot, 3);
    const int steps = int(m_stack->count());
    QTest::keyClick(m_view, Qt::Key_Down, Qt::AltModifier);
    QCOMPARE(m_doc->lab().board(QStringLiteral("up-1"))->slot, 3);
    QCOMPARE(int(m_stack->count()), steps);
    // Left of the first rack there is none.
    m_scene->focusBoard(QStringLiteral("pine64-1"));
    QTest::keyClick(m_view, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(m_doc->lab().board(QStringLiteral("pine64-1"))->rackId, QStringLiteral("rack-1"));
    QCOMPARE(int(m_stack->count()), steps);
}

void TestTopologyScene::keyboardOpensTheBoardMenu()
{
    QSignalSpy boardMenu(m_scene, &TopologyScene::boardContextMenuRequested);
    QSignalSpy canvasMenu(m_scene, &TopologyScene::objectContextMenuRequested);
    m_view->setFocus();
    QTest::keyClick(m_view, Qt::Key_F10, Qt::ShiftModifier); // nothing focused: the canvas menu
    QCOMPARE(canvasMenu.count(), 1);
    QCOMPARE(boardMenu.count(), 0);
    QTest::keyClick(m_view, Qt::Key_Tab);
    QTest::keyClick(m_view, Qt::Key_Tab);
    QTest::keyClick(m_view, Qt::Key_F10, Qt::ShiftModifier);
    QTest::keyClick(m_view, Qt::Key_Menu);
    QCOMPARE(boardMenu.count(), 2);
    for (const QList<QVariant> &args : std::as_const(boardMenu)) {
        QCOMPARE(args.at(0).toStringList(), QStringList{QStringLiteral("pine64-2")});
        // Beside the focused card, on screen.
        const QPoint pos = m_view->viewport()->mapFromGlobal(args.at(1).toPoint());
        const QRect card =
            m_view
                ->mapFromScene(m_scene->boardItem(QStringLiteral("pine64-2"))->sceneBoundingRect())
                .boundingRect();
        QVERIFY2(card.contains(pos), qPrintable(QStringLiteral("%1,%2").arg(pos.x()).arg(pos.y())));
    }
    // The platform's own keyboard request (the menu key, unhandled) lands there too.
    QContextMenuEvent fromKeyboard(QContextMenuEvent::Keyboard, QPoint(0, 0), QPoint(0, 0));
    QApplication::sendEvent(m_view, &fromKeyboard);
    QCOMPARE(boardMenu.count(), 3);
}

void TestTopologyScene::cardsAreAccessible()
{
    m_doc->setNodeState(QStringLiteral("pine64-4"), NodeState::SwarmReady);
    QAccessibleInterface *canvas = QAccessible::queryAccessibleInterface(m_view);
    QVERIFY(canvas);
    QVERIFY(dynamic_cast<CanvasAccessible *>(canvas));
    QCOMPARE(canvas->role(), QAccessible::List);
    QCOMPARE(canvas->text(QAccessible::Name), QStringLiteral("Lab canvas"));
    QVERIFY(canvas->text(QAccessible::Description).contains(QStringLiteral("Shift+F10")));
    QCOMPARE(canvas->childCount(), 10);
    QAccessibleInterface *card = canvas->child(4); // rack by rack: the fifth is pine64-4
    QVERIFY(card && card->isValid());
    QCOMPARE(card->role(), QAccessible::ListItem);
    QCOMPARE(card->text(QAccessible::Name),
             QStringLiteral("pine64-4, manager, Rack 2 slot 2, in the swarm"));
    QVERIFY(card->text(QAccessible::Description).contains(QStringLiteral("DietPi")));
    QCOMPARE(canvas->indexOfChild(card), 4);
    QCOMPARE(card->parent(), canvas);
    QVERIFY(!card->state().selected);
    // The same card, whichever way it is asked for; it follows focus and edits.
    m_view->setFocus();
    QTRY_VERIFY(m_view->hasFocus());
    m_scene->focusBoard(QStringLiteral("pine64-4"));
    QCOMPARE(canvas->focusChild(), card);
    QVERIFY(card->state().selected);
    QVERIFY(card->state().focused);
    QCOMPARE(canvas->childAt(card->rect().center().x(), card->rect().center().y()), card);
    m_doc->setNodeAvailability(QStringLiteral("pine64-4"), QStringLiteral("drain"));
    m_doc->setNodeState(QStringLiteral("pine64-4"), NodeState::Offline);
    QCOMPARE(card->text(QAccessible::Name),
             QStringLiteral("pine64-4, manager, Rack 2 slot 2, offline, drained"));
    QTest::keyClick(m_view, Qt::Key_Down, Qt::AltModifier);
    QVERIFY(card->text(QAccessible::Name).contains(QStringLiteral("Rack 2 slot 3")));
    // A removed board's card is gone from the cache (tst_canvasaccessible: a tool is told).
    const QAccessible::Id cardId = QAccessible::uniqueId(card);
    m_doc->removeBoard(QStringLiteral("pine64-4"));
    QVERIFY(!QAccessible::accessibleInterface(cardId));
    QCOMPARE(canvas->childCount(), 9);
}
