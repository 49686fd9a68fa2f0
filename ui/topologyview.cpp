// SPDX-License-Identifier: GPL-3.0-or-later
#include "topologyview.h"

#include "topologyscene.h"

#include "boarditem.h"
#include "canvasaccessible.h"
#include "canvasmetrics.h"
#include "snapshotitem.h"

#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QKeyEvent>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTimer>
#include <QWheelEvent>

#include <cmath>

namespace Hivelab {

namespace {
constexpr qreal MinZoom = 0.1;
constexpr qreal MaxZoom = 4.0;
constexpr qreal ZoomStep = 1.2;
} // namespace

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
    , m_zoomSettle(new QTimer(this))
    , m_prepare(new QTimer(this))
{
    // While the scale keeps changing, card caches would be rebuilt every frame for nothing:
    // draw directly until the zoom settles, then cache again.
    m_zoomSettle->setSingleShot(true);
    m_zoomSettle->setInterval(250);
    connect(m_zoomSettle, &QTimer::timeout, this, &TopologyView::settleZoom);
    // Once per turn of scrolling, after its frame.
    m_prepare->setSingleShot(true);
    connect(m_prepare, &QTimer::timeout, this, &TopologyView::prepareSnapshots);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setResizeAnchor(AnchorViewCenter);
    // Cards cache themselves; a minimal update keeps drags cheap with hundreds of boards.
    setViewportUpdateMode(MinimalViewportUpdate);
    setOptimizationFlags(DontSavePainterState | DontAdjustForAntialiasing);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);

    CanvasAccessible::install();
    setAccessibleName(tr("Lab canvas"));
    setAccessibleDescription(
        tr("Racks with their boards. Tab or the arrow keys move between boards, Alt+arrow keys "
           "move the focused board to another slot or rack, Shift+F10 or the menu key opens "
           "its actions."));
}

void TopologyView::setZoom(qreal zoom)
{
    m_autoFit = false;
    zoom = qBound(MinZoom, zoom, MaxZoom);
    if (qFuzzyCompare(zoom, this->zoom()))
        return;
    if (!m_zoomSettle->isActive())
        m_scene->setZooming(true);
    SnapshotItem::interacting();
    m_zoomSettle->start();
    setTransform(QTransform::fromScale(zoom, zoom));
    // A scroll bar the new scale shows or hides resizes the viewport on a later turn (the scroll
    // area's queued reaction to a range change), and that repainted the whole viewport once more
    // after this step's frame (the frame settling a wheel notch of tests/bench/bench_canvas,
    // half the time): lay them out now. A layout request is what the queued call does; it finds
    // nothing left to move when it runs.
    QEvent layout(QEvent::LayoutRequest);
    QCoreApplication::sendEvent(this, &layout);
    Q_EMIT zoomChanged(zoom);
}

void TopologyView::settleZoom()
{
    m_zoomSettle->stop();
    m_scene->setZooming(false);
    prepareSnapshots();
}

void TopologyView::scrollContentsBy(int dx, int dy)
{
    QGraphicsView::scrollContentsBy(dx, dy);
    SnapshotItem::interacting();
    if (!m_prepare->isActive())
        m_prepare->start(0);
}

void TopologyView::prepareSnapshots()
{
    m_prepare->stop();
    if (m_zoomSettle->isActive() || !isVisible())
        return;
    // Half a screen around it: about 0.4 s of a fast pan (30 px a frame) to make them in.
    const QRect shown = viewport()->rect();
    const QRect around = shown.adjusted(-shown.width() / 2, -shown.height() / 2, shown.width() / 2,
                                        shown.height() / 2);
    const QTransform view = viewportTransform();
    const qreal dpr = viewport()->devicePixelRatioF();
    const QPointF middle = QRectF(shown).center();
    const QList<QGraphicsItem *> items =
        m_scene->items(mapToScene(around).boundingRect(), Qt::IntersectsItemBoundingRect);
    for (QGraphicsItem *item : items) {
        auto *snapshotItem = dynamic_cast<SnapshotItem *>(item);
        if (!snapshotItem)
            continue;
        const QTransform world = item->deviceTransform(view);
        const QRectF at = world.mapRect(item->boundingRect());
        const QPointF fromMiddle = at.center() - middle;
        qreal distance = QPointF::dotProduct(fromMiddle, fromMiddle);
        if (!at.intersects(shown))
            distance += 1e12; // after every one on screen
        snapshotItem->prepareSnapshot(world, dpr, renderHints(), distance);
    }
}

void TopologyView::zoomIn()
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setZoom(zoom() * ZoomStep);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut()
{
    const ViewportAnchor anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setZoom(zoom() / ZoomStep);
    setTransformationAnchor(anchor);
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_autoFit)
        fitAll();
}

void TopologyView::paintEvent(QPaintEvent *event)
{
    SnapshotItem::frameStarting();
    QGraphicsView::paintEvent(event);
}

void TopologyView::fitAll()
{
    m_autoFit = true;
    const QRectF bounds = m_scene->sceneRect();
    if (bounds.isEmpty())
        return;
    // Never blow small labs up beyond their natural size: text would look bloated. A lab that
    // fits the view at its natural size is shown at it: fitInView() keeps 2 px from each edge,
    // and the 99.8 % it gave the demo in a 1440x900 window (1 px too tall for those margins;
    // the scene's own margins are 32 px) drew every text with glyphs rendered at that scale and
    // the dot grid as a resampled texture: 10 M instructions of the first frame's 208 M.
    const QSize view = viewport()->size();
    if (bounds.width() <= view.width() && bounds.height() <= view.height()) {
        setTransform(QTransform());
    } else {
        fitInView(bounds, Qt::KeepAspectRatio); // under 100 %: the lab is larger than the view
        if (zoom() < MinZoom)
            setTransform(QTransform::fromScale(MinZoom, MinZoom));
    }
    centerOn(bounds.center());
    Q_EMIT zoomChanged(zoom());
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const qreal steps = event->angleDelta().y() / 120.0;
        setZoom(zoom() * std::pow(ZoomStep, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panLast = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton)
        SnapshotItem::interacting(); // a pan, a drag, a rubber band
    if (m_panning) {
        const QPoint p = event->position().toPoint();
        const QPoint delta = p - m_panLast;
        m_panLast = p;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void TopologyView::openContextMenuFromKeyboard()
{
    const BoardItem *item = m_scene->currentBoardItem();
    QPoint pos = viewport()->rect().center();
    if (item) {
        // Beside the card's badge, so the menu does not cover the card's name.
        const QPointF anchor = item->mapToScene(
            QPointF(CanvasMetrics::CardWidth * 0.6, CanvasMetrics::CardHeight * 0.8));
        pos = mapFromScene(anchor);
        if (!viewport()->rect().contains(pos))
            pos = viewport()->rect().center();
    }
    m_scene->requestContextMenu(item ? item->boardId() : QString(), viewport()->mapToGlobal(pos));
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    // A keyboard request carries no useful position: open it at the focused card.
    if (event->reason() == QContextMenuEvent::Keyboard) {
        openContextMenuFromKeyboard();
        event->accept();
        return;
    }
    QGraphicsView::contextMenuEvent(event);
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Menu ||
        (event->key() == Qt::Key_F10 && event->modifiers() == Qt::ShiftModifier)) {
        openContextMenuFromKeyboard();
        event->accept();
        return;
    }
    if (event->modifiers() == Qt::AltModifier) {
        int dRack = 0;
        int dSlot = 0;
        switch (event->key()) {
        case Qt::Key_Left:
            dRack = -1;
            break;
        case Qt::Key_Right:
            dRack = 1;
            break;
        case Qt::Key_Up:
            dSlot = -1;
            break;
        case Qt::Key_Down:
            dSlot = 1;
            break;
        default:
            break;
        }
        if (dRack != 0 || dSlot != 0) {
            if (const BoardItem *item = m_scene->currentBoardItem())
                m_scene->moveBoardBy(item->boardId(), dRack, dSlot);
            event->accept();
            return;
        }
    }
    switch (event->key()) {
    case Qt::Key_Left:
        m_scene->moveSelection(-1, 0);
        return;
    case Qt::Key_Right:
        m_scene->moveSelection(1, 0);
        return;
    case Qt::Key_Up:
        m_scene->moveSelection(0, -1);
        return;
    case Qt::Key_Down:
        m_scene->moveSelection(0, 1);
        return;
    case Qt::Key_Space:
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            viewport()->setCursor(Qt::OpenHandCursor);
        }
        return;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            viewport()->setCursor(Qt::ArrowCursor);
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

} // namespace Hivelab
