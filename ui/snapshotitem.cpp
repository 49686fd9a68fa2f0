// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshotitem.h"

#include "perapplication.h"
#include "shapedtextcache.h"
#include "theme.h"

#include <QBackingStore>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPaintEngine>
#include <QPointer>
#include <QStyleOptionGraphicsItem>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

namespace Hivelab {

namespace {
SnapshotItem::PaintCounts counts;
} // namespace

/// All snapshots, least recently drawn last. At 100 % the 200-board benchmark lab holds about
/// 36 MiB (racks 21, cards 13); zoomed in, the ones not drawn lately go first, so the budget
/// only has to hold what one screen shows.
class SnapshotBudget
{
public:
    static constexpr qint64 Bytes = qint64(96) << 20;

    static qint64 bytesOf(const QPixmap &pixmap)
    {
        return qint64(pixmap.width()) * pixmap.height() * (pixmap.depth() / 8);
    }
    static void add(SnapshotItem *item)
    {
        s_bytes += bytesOf(item->m_snapshot);
        link(item);
        while (s_bytes > Bytes && s_oldest && s_oldest != item)
            s_oldest->dropSnapshot();
    }
    static void touch(SnapshotItem *item)
    {
        if (s_newest == item)
            return;
        unlink(item);
        link(item);
    }
    static void remove(SnapshotItem *item)
    {
        s_bytes -= bytesOf(item->m_snapshot);
        unlink(item);
    }

private:
    static void link(SnapshotItem *item)
    {
        item->m_older = s_newest;
        item->m_newer = nullptr;
        if (s_newest)
            s_newest->m_newer = item;
        s_newest = item;
        if (!s_oldest)
            s_oldest = item;
    }
    static void unlink(SnapshotItem *item)
    {
        // The newest has no newer item, the oldest no older one.
        (item->m_newer ? item->m_newer->m_older : s_newest) = item->m_older;
        (item->m_older ? item->m_older->m_newer : s_oldest) = item->m_newer;
        item->m_newer = item->m_older = nullptr;
    }

public:
    static QList<const SnapshotItem *> order(bool newestFirst)
    {
        QList<const SnapshotItem *> out;
        for (const SnapshotItem *i = newestFirst ? s_newest : s_oldest; i;
             i = newestFirst ? i->m_older : i->m_newer) {
            out.append(i);
            if (out.size() > 100000)
                break; // a loop: the test says so
        }
        return out;
    }

private:
    static inline SnapshotItem *s_newest = nullptr;
    static inline SnapshotItem *s_oldest = nullptr;
    static inline qint64 s_bytes = 0;
};

/// Items painted directly that wait for their snapshot. Snapshots are made on a turn of the
/// event loop with no canvas paint for IdleGapMs (between the frames of a pan or a drag, after
/// a zoom settles, after the window's first frame), or after MaxWaitMs when frames come back
/// to back, nearest the middle of the view first, for at most about SliceNs a turn: making the
/// 20 racks' and 200 cards' snapshots of tests/bench/bench_canvas in the frame that settled a
/// zoom took 27-30 ms.
class SnapshotQueue
{
public:
    static constexpr int IdleGapMs = 2;
    static constexpr qint64 MaxWaitNs = 100'000'000;
    static constexpr qint64 SliceNs = 5'000'000;
    // While the user pans, drags or zooms (an input step in the last 50 ms), shorter turns: the
    // next frame may be waiting for this one (5 ms turns made frames of a pan 9 ms).
    static constexpr qint64 BusySliceNs = 2'000'000;
    static constexpr qint64 BusyNs = 50'000'000;
    static constexpr qint64 InFrameNs = 3'000'000;

    static void frameStarting()
    {
        ++s_frame;
        s_frameSpent = 0;
    }
    /// Whether an item waiting since an earlier frame, for longer than idle turns take when
    /// there are any, makes its snapshot in this one.
    static bool frameHasTime(const SnapshotItem *item)
    {
        return !item->m_pendingRepaint && item->m_pendingFrame != s_frame &&
               s_frameSpent < InFrameNs &&
               s_clock.nsecsElapsed() - item->m_pendingSince > MaxWaitNs / 5;
    }
    static void spentInFrame(qint64 ns) { s_frameSpent += ns; }

    static void painted()
    {
        if (!s_clock.isValid())
            s_clock.start();
        s_lastPaint = s_clock.nsecsElapsed();
    }
    static void interacting()
    {
        if (!s_clock.isValid())
            s_clock.start();
        s_lastInput = s_clock.nsecsElapsed();
    }
    static void add(SnapshotItem *item)
    {
        if (s_items.isEmpty())
            s_waitingSince = s_clock.nsecsElapsed();
        if (!item->m_pending) {
            item->m_pending = true;
            item->m_pendingFrame = s_frame;
            item->m_pendingSince = s_clock.nsecsElapsed();
            s_items.append(item);
        }
        if (!s_timer) {
            s_timer = new QTimer(QCoreApplication::instance());
            s_timer->setSingleShot(true);
            s_timer->setTimerType(Qt::PreciseTimer);
            QObject::connect(s_timer, &QTimer::timeout, s_timer, &SnapshotQueue::runSlice);
        }
        if (!s_timer->isActive())
            s_timer->start(IdleGapMs);
    }
    static void remove(SnapshotItem *item)
    {
        if (!item->m_pending)
            return;
        item->m_pending = false;
        s_items.removeOne(item);
    }
    static int size() { return int(s_items.size()); }

private:
    static void runSlice()
    {
        const qint64 now = s_clock.nsecsElapsed();
        const qint64 quiet = now - s_lastPaint;
        if (quiet < qint64(IdleGapMs) * 1'000'000 && now - s_waitingSince < MaxWaitNs) {
            s_timer->start(IdleGapMs - int(quiet / 1'000'000));
            return;
        }
        std::stable_sort(s_items.begin(), s_items.end(),
                         [](const SnapshotItem *a, const SnapshotItem *b) {
                             return a->m_pendingDistance < b->m_pendingDistance;
                         });
        const qint64 budget = now - s_lastInput < BusyNs ? BusySliceNs : SliceNs;
        QElapsedTimer slice;
        slice.start();
        qint64 slowest = 0;
        while (!s_items.isEmpty()) {
            const qint64 before = slice.nsecsElapsed();
            if (before > 0 && before + slowest > budget)
                break;
            SnapshotItem *item = s_items.takeFirst();
            item->m_pending = false;
            counts.madeOnIdle += item->makePendingSnapshot() ? 1 : 0;
            slowest = std::max(slowest, slice.nsecsElapsed() - before);
        }
        s_waitingSince = s_clock.nsecsElapsed();
        if (!s_items.isEmpty())
            s_timer->start(IdleGapMs);
    }

    static inline QList<SnapshotItem *> s_items;
    static inline QPointer<QTimer> s_timer;
    static inline QElapsedTimer s_clock;
    static inline qint64 s_lastPaint = 0;
    static inline qint64 s_lastInput = -BusyNs;
    static inline qint64 s_waitingSince = 0;
    static inline quint64 s_frame = 0;
    static inline qint64 s_frameSpent = 0;
};

/// Where a snapshot goes for an item drawn with `world` onto a device of `dpr`.
struct SnapshotItem::Placement
{
    qreal scale = 0; // device pixels per item unit
    QPointF exact;   // the item's top left corner in device pixels
    QPointF whole;   // the snapshot's top left corner in device pixels
    QPointF phase;   // exact - whole when the snapshot keeps the sub-pixel offset
    QSize size;      // of the snapshot
    bool tooBig = false;
};

namespace {
using Placement = SnapshotItem::Placement;

Placement placementOf(const QTransform &world, qreal dpr, const QRectF &bounds,
                      SnapshotItem::Alignment alignment)
{
    Placement at;
    at.scale = world.m11() * dpr;
    at.exact = world.map(bounds.topLeft()) * dpr;
    at.whole = QPointF(std::floor(at.exact.x()), std::floor(at.exact.y()));
    if (alignment == SnapshotItem::Alignment::Rounded)
        at.whole = QPointF(std::round(at.exact.x()), std::round(at.exact.y()));
    if (alignment == SnapshotItem::Alignment::Exact)
        at.phase = at.exact - at.whole;
    at.size = QSize(int(std::ceil(bounds.width() * at.scale + at.phase.x())),
                    int(std::ceil(bounds.height() * at.scale + at.phase.y())));
    // Zoomed far in: too big to keep (and few items on screen to paint).
    at.tooBig = at.size.width() > 4096 || at.size.height() > 4096 ||
                qint64(at.size.width()) * at.size.height() * 4 > SnapshotBudget::Bytes / 8;
    return at;
}

constexpr int LookBits = QStyle::State_Selected | QStyle::State_HasFocus | QStyle::State_MouseOver;
} // namespace

SnapshotItem::SnapshotItem(Alignment alignment, QGraphicsItem *parent)
    : QGraphicsItem(parent)
    , m_alignment(alignment)
{
    // The caching is this class's: Qt's DeviceCoordinateCache drops its pixmap at every new
    // scale, so each zoom step repainted every item.
    setCacheMode(NoCache);
}

SnapshotItem::~SnapshotItem()
{
    SnapshotQueue::remove(this);
    dropSnapshot();
}

int SnapshotItem::pendingSnapshots()
{
    return SnapshotQueue::size();
}

SnapshotItem::PaintCounts SnapshotItem::paintCounts()
{
    return counts;
}

QList<const SnapshotItem *> SnapshotItem::snapshotsByLastDrawn(bool newestFirst)
{
    return SnapshotBudget::order(newestFirst);
}

void SnapshotItem::interacting()
{
    SnapshotQueue::interacting();
}

void SnapshotItem::frameStarting()
{
    SnapshotQueue::frameStarting();
}

void SnapshotItem::dropSnapshot()
{
    if (m_snapshot.isNull())
        return;
    SnapshotBudget::remove(this);
    m_snapshot = QPixmap();
}

void SnapshotItem::contentChanged()
{
    SnapshotQueue::remove(this);
    dropSnapshot();
    update();
}

void SnapshotItem::setRendering(Rendering rendering)
{
    if (m_rendering == rendering)
        return;
    const bool wasZooming = m_rendering == Rendering::Zooming;
    m_rendering = rendering;
    // A new zoom or an export: the snapshot waiting for an idle turn would be for a scale or
    // a device no longer drawn (the next direct paint asks again).
    if (rendering != Rendering::Cached)
        SnapshotQueue::remove(this);
    if (rendering == Rendering::Direct)
        dropSnapshot();
    // A zoom settling: an item on screen as its last snapshot, scaled, stays so until its
    // snapshot at the new scale is made (the view asks for it); repainting them all directly
    // in one frame took 11-16 ms (tests/bench/bench_canvas). One drawn without its text
    // while zooming is painted again now, and so is one whose part below its snapshot was
    // painted as mid-zoom.
    if (!wasZooming || m_zoomPaintedDirect ||
        (!m_snapshot.isNull() && m_snapshotBounds != boundingRect()))
        update();
}

void SnapshotItem::prepareSnapshot(const QTransform &world, qreal dpr, QPainter::RenderHints hints,
                                   qreal distance)
{
    if (m_rendering != Rendering::Cached || !scene() || !isVisible())
        return;
    const Placement at = placementOf(world, dpr, snapshotBounds(world.m11() * dpr), m_alignment);
    if (at.tooBig)
        return;
    int state = QStyle::State_None;
    if (isEnabled())
        state |= QStyle::State_Enabled;
    if (isSelected())
        state |= QStyle::State_Selected;
    if (hasFocus())
        state |= QStyle::State_HasFocus;
    // Hover is left as painted: a snapshot under the mouse is not asked again without it.
    constexpr int Look = QStyle::State_Selected | QStyle::State_HasFocus;
    const bool sameLook = !m_snapshot.isNull() && ((m_snapshotState ^ state) & Look) == 0 &&
                          m_snapshotDark == Theme::isDark();
    if (sameLook && snapshotFits(at)) {
        SnapshotBudget::touch(this); // on screen or about to be: not the first to go
        return;
    }
    m_pendingDistance = distance;
    if (m_pending)
        return; // painted and waiting: made as painted
    m_pendingWorld = world;
    m_pendingDpr = dpr;
    m_pendingHints = hints;
    m_pendingState = state;
    m_pendingRepaint = true;
    SnapshotQueue::add(this);
}

void SnapshotItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget)
{
    const QTransform world = painter->worldTransform();
    const qreal lod = option->levelOfDetailFromTransform(world);
    // Snapshots only for plain scale + translate onto a pixel device (the view, grab()).
    const bool simple =
        world.type() <= QTransform::TxScale && qFuzzyCompare(world.m11(), world.m22());
    if (m_rendering == Rendering::Direct || !simple || world.m11() <= 0 ||
        painter->paintEngine()->type() != QPaintEngine::Raster) {
        paintContent(painter, option, lod, false);
        return;
    }
    SnapshotQueue::painted();
    const int state = int(option->state & LookBits);
    const bool sameLook =
        !m_snapshot.isNull() && m_snapshotState == state && m_snapshotDark == Theme::isDark();
    const QRectF bounds = boundingRect();
    const qreal dpr = painter->device()->devicePixelRatioF();
    if (m_rendering == Rendering::Zooming) {
        // Mid-zoom: the last snapshot, scaled. Sharp again once the zoom settles.
        if (sameLook && detailClass(m_snapshotScale / dpr) >= detailClass(lod)) {
            SnapshotBudget::touch(this);
            ++counts.scaled;
            m_zoomPaintedDirect = false;
            drawScaled(painter, option, lod);
        } else {
            ++counts.direct;
            m_zoomPaintedDirect = true;
            paintAligned(painter, option, lod, true, placementOf(world, dpr, bounds, m_alignment));
        }
        return;
    }
    const Placement at = placementOf(world, dpr, snapshotBounds(world.m11() * dpr), m_alignment);
    if (sameLook && snapshotFits(at)) {
        SnapshotBudget::touch(this);
        ++counts.blits;
        drawSnapshot(painter, option, lod, at);
        return;
    }
    // No snapshot of this look at this scale: paint directly, and make one on an idle turn
    // (a stale one stays until then, for a zoom to scale). Making them in the frame that
    // needs them cost that frame a fill and a blit per item on top of the drawing: 27-30 ms
    // for the frame that settles a zoom of tests/bench/bench_canvas.
    m_pendingWorld = world;
    m_pendingDpr = dpr;
    m_pendingHints = painter->renderHints();
    m_pendingState = int(option->state);
    if (at.tooBig) {
        SnapshotQueue::remove(this);
        ++counts.direct;
        paintContent(painter, option, lod, false);
        return;
    }
    // grab() or render() of the view (not into the window's backing store): one picture, not
    // a frame on screen; snapshots made at once, so it is the same picture whenever taken.
    QBackingStore *screen = widget ? widget->window()->backingStore() : nullptr;
    const bool grabbed = screen && painter->paintEngine()->paintDevice() != screen->paintDevice();
    if (grabbed || (m_pending && SnapshotQueue::frameHasTime(this))) {
        // Painted directly in an earlier frame with no idle turn since (frames back to back):
        // made now, a few milliseconds of them a frame.
        SnapshotQueue::remove(this);
        QElapsedTimer spent;
        spent.start();
        const bool made = makePendingSnapshot();
        SnapshotQueue::spentInFrame(spent.nsecsElapsed());
        if (made) {
            ++counts.madeInFrame;
            drawSnapshot(painter, option, lod, at);
            return;
        }
    }
    if (sameLook && !grabbed && detailClass(m_snapshotScale / dpr) >= detailClass(lod)) {
        // A snapshot of another scale (a zoom settled, or the item scrolled in after one before
        // its new snapshot was made): scaled, and the part below it painted as while zooming,
        // until that is made.
        ++counts.scaled;
        drawScaled(painter, option, lod);
        m_pendingRepaint = true;
    } else {
        ++counts.direct;
        paintAligned(painter, option, lod, false, at);
        m_pendingRepaint = false;
    }
    const QPointF fromMiddle = world.map(bounds.center()) -
                               QPointF(painter->device()->width(), painter->device()->height()) / 2;
    m_pendingDistance = QPointF::dotProduct(fromMiddle, fromMiddle);
    SnapshotQueue::add(this);
}

bool SnapshotItem::snapshotFits(const Placement &at) const
{
    return qAbs(at.phase.x() - m_snapshotPhase.x()) < 1.0 / 512 &&
           qAbs(at.phase.y() - m_snapshotPhase.y()) < 1.0 / 512 &&
           qFuzzyCompare(at.scale, m_snapshotScale);
}

void SnapshotItem::drawScaled(QPainter *painter, const QStyleOptionGraphicsItem *option,
                              qreal lod)
{
    // Nearest-pixel scaling: the raster engine's bilinear path cost more than painting a card
    // (measured with tests/bench/bench_canvas), and the picture is replaced soon anyway.
    const QRectF bounds = m_snapshotBounds;
    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->drawPixmap(bounds, m_snapshot,
                        QRectF(m_snapshotPhase, bounds.size() * m_snapshotScale));
    painter->restore();
    if (bounds.bottom() < boundingRect().bottom())
        paintBelowSnapshot(painter, option, lod, true, bounds.bottom(), false);
}

void SnapshotItem::drawSnapshot(QPainter *painter, const QStyleOptionGraphicsItem *option,
                                qreal lod, const Placement &at)
{
    const qreal dpr = painter->device()->devicePixelRatioF();
    painter->save();
    painter->setWorldTransform(QTransform());
    painter->drawPixmap(at.whole / dpr, m_snapshot);
    painter->restore();
    if (m_snapshotBounds.bottom() < boundingRect().bottom())
        paintBelowSnapshot(painter, option, lod, false, at.whole.y() + at.size.height(), true);
}

void SnapshotItem::paintBelowSnapshot(QPainter *painter, const QStyleOptionGraphicsItem *option,
                                      qreal lod, bool zooming, qreal top, bool deviceRow)
{
    // Clipped at the snapshot's last device row: every pixel is the snapshot's or painted, as
    // the whole item painted directly (the clip is on whole pixels, so the edges' antialiasing
    // is the same on both sides).
    painter->save();
    if (deviceRow) {
        const QTransform world = painter->worldTransform();
        const qreal dpr = painter->device()->devicePixelRatioF();
        constexpr qreal Far = 1 << 20;
        painter->setWorldTransform(QTransform());
        painter->setClipRect(QRectF(-Far, top / dpr, 2 * Far, Far), Qt::IntersectClip);
        painter->setWorldTransform(world);
    } else {
        const QRectF bounds = boundingRect();
        painter->setClipRect(QRectF(bounds.left(), top, bounds.width(), bounds.bottom() - top),
                             Qt::IntersectClip);
    }
    paintAligned(painter, option, lod, zooming,
                 placementOf(painter->worldTransform(), painter->device()->devicePixelRatioF(),
                             boundingRect(), m_alignment));
    painter->restore();
}

void SnapshotItem::paintAligned(QPainter *painter, const QStyleOptionGraphicsItem *option,
                                qreal lod, bool zooming, const Placement &at)
{
    if (m_alignment == Alignment::Rounded && at.exact != at.whole) {
        // Where its snapshot will be blitted, so the blit lines up with no repaint (and mid-zoom,
        // at whole device pixels, where BoardItem's shared pictures line up).
        const QTransform world = painter->worldTransform();
        const qreal dpr = painter->device()->devicePixelRatioF();
        painter->save();
        painter->setWorldTransform(world *
                                   QTransform::fromTranslate((at.whole.x() - at.exact.x()) / dpr,
                                                             (at.whole.y() - at.exact.y()) / dpr));
        paintContent(painter, option, lod, zooming);
        painter->restore();
    } else {
        paintContent(painter, option, lod, zooming);
    }
}

void SnapshotItem::drawText(QPainter *painter, const QRectF &r, int flags, const QString &text)
{
    constexpr int Plain = Qt::AlignHorizontal_Mask | Qt::AlignVertical_Mask;
    if (text.isEmpty() || (flags & ~Plain) || painter->layoutDirection() != Qt::LeftToRight ||
        text.contains(QLatin1Char('\n')) || text.contains(QChar::LineSeparator)) {
        painter->drawText(r, flags, text);
        return;
    }
    // Shaped with this application's fonts, as QPainter lays out one line: the painter's
    // (device) font, no wrap, left aligned.
    auto &layouts = perApplication([] { return ShapedTextCache(); });
    const std::shared_ptr<const QTextLayout> layout =
        layouts.line(painter->font(), painter->device()->logicalDpiY(), QTextOption(), text);
    const QTextLine line = layout->lineAt(0);
    const qreal height = line.ascent() + line.descent();
    const qreal width = line.naturalTextWidth();
    qreal yoff = 0;
    if (flags & Qt::AlignBottom)
        yoff = r.height() - height;
    else if (flags & Qt::AlignVCenter)
        yoff = (r.height() - height) / 2;
    qreal xoff = 0;
    if (flags & Qt::AlignRight)
        xoff = r.width() - width;
    else if (flags & Qt::AlignHCenter)
        xoff = (r.width() - width) / 2;
    const bool clip = !r.contains(QRectF(r.x() + xoff, r.y() + yoff, width, height));
    if (clip) {
        painter->save();
        painter->setClipRect(r, Qt::IntersectClip);
    }
    const qreal advance = line.horizontalAdvance();
    xoff = 0;
    if (flags & Qt::AlignRight)
        xoff = r.width() - advance;
    else if (flags & Qt::AlignHCenter)
        xoff = (r.width() - advance) / 2;
    line.draw(painter, QPointF(r.x() + xoff, r.y() + yoff));
    if (clip)
        painter->restore();
}

bool SnapshotItem::makePendingSnapshot()
{
    if (!scene() || m_rendering != Rendering::Cached)
        return false;
    const QRectF bounds = boundingRect();
    const QRectF kept = snapshotBounds(m_pendingWorld.m11() * m_pendingDpr);
    const Placement at = placementOf(m_pendingWorld, m_pendingDpr, kept, m_alignment);
    if (at.tooBig)
        return false;
    QStyleOptionGraphicsItem option;
    option.state = QStyle::State(m_pendingState);
    option.rect = bounds.toAlignedRect();
    option.exposedRect = bounds;
    QPixmap pixmap(at.size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHints(m_pendingHints);
    p.translate(at.phase);
    p.scale(at.scale, at.scale);
    p.translate(-bounds.topLeft());
    paintContent(&p, &option, option.levelOfDetailFromTransform(m_pendingWorld), false);
    p.end();
    pixmap.setDevicePixelRatio(m_pendingDpr);
    dropSnapshot();
    m_snapshot = pixmap;
    m_snapshotScale = at.scale;
    m_snapshotBounds = kept;
    m_snapshotPhase = at.phase;
    m_snapshotState = m_pendingState & LookBits;
    m_snapshotDark = Theme::isDark();
    SnapshotBudget::add(this);
    // After a direct paint no repaint: what it left on screen is this picture to a rounding
    // step. After a scaled one (or none), the sharp picture goes on screen.
    if (std::exchange(m_pendingRepaint, false))
        update();
    return true;
}

} // namespace Hivelab
