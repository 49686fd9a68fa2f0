// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshotitem.h"

#include "theme.h"

#include <QPaintEngine>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace Hivelab {

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
        (item->m_newer ? item->m_newer->m_older : s_oldest) = item->m_older;
        (item->m_older ? item->m_older->m_newer : s_newest) = item->m_newer;
        item->m_newer = item->m_older = nullptr;
    }

    static inline SnapshotItem *s_newest = nullptr;
    static inline SnapshotItem *s_oldest = nullptr;
    static inline qint64 s_bytes = 0;
};

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
    dropSnapshot();
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
    dropSnapshot();
    update();
}

void SnapshotItem::setRendering(Rendering rendering)
{
    if (m_rendering == rendering)
        return;
    m_rendering = rendering;
    if (rendering == Rendering::Direct)
        dropSnapshot();
    update();
}

void SnapshotItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
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
    const int state = int(option->state & (QStyle::State_Selected | QStyle::State_HasFocus |
                                           QStyle::State_MouseOver));
    const bool sameLook =
        !m_snapshot.isNull() && m_snapshotState == state && m_snapshotDark == Theme::isDark();
    const QRectF bounds = boundingRect();
    const qreal dpr = painter->device()->devicePixelRatioF();
    if (m_rendering == Rendering::Zooming) {
        // Mid-zoom: the last snapshot, scaled. Sharp again once the zoom settles.
        if (sameLook && detailClass(m_snapshotScale / dpr) >= detailClass(lod)) {
            SnapshotBudget::touch(this);
            // Nearest-pixel scaling: the raster engine's bilinear path cost more than painting
            // a card (measured with tests/bench/bench_canvas), and the frame is gone 250 ms
            // later anyway.
            painter->save();
            painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
            painter->setRenderHint(QPainter::Antialiasing, false);
            painter->drawPixmap(bounds, m_snapshot,
                                QRectF(m_snapshotPhase, bounds.size() * m_snapshotScale));
            painter->restore();
        } else {
            paintContent(painter, option, lod, true);
        }
        return;
    }
    if (!m_paintedBefore) {
        // The first paint (the window's first frame) draws directly: a snapshot pays off from
        // the second paint on, and making one costs a fill and a blit on top of the drawing.
        m_paintedBefore = true;
        paintContent(painter, option, lod, false);
        return;
    }
    const qreal scale = world.m11() * dpr;
    const QPointF at = world.map(bounds.topLeft()) * dpr; // in device pixels
    QPointF whole(std::floor(at.x()), std::floor(at.y()));
    if (m_alignment == Alignment::Rounded)
        whole = QPointF(std::round(at.x()), std::round(at.y()));
    const QPointF phase = m_alignment == Alignment::Exact ? at - whole : QPointF();
    const bool samePhase = qAbs(phase.x() - m_snapshotPhase.x()) < 1.0 / 512 &&
                           qAbs(phase.y() - m_snapshotPhase.y()) < 1.0 / 512;
    if (!sameLook || !samePhase || !qFuzzyCompare(scale, m_snapshotScale)) {
        dropSnapshot();
        const QSize size(int(std::ceil(bounds.width() * scale + phase.x())),
                         int(std::ceil(bounds.height() * scale + phase.y())));
        // Zoomed far in: too big to keep (and few items on screen to paint).
        if (size.width() > 4096 || size.height() > 4096 ||
            qint64(size.width()) * size.height() * 4 > SnapshotBudget::Bytes / 8) {
            paintContent(painter, option, lod, false);
            return;
        }
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHints(painter->renderHints());
        p.translate(phase);
        p.scale(scale, scale);
        p.translate(-bounds.topLeft());
        paintContent(&p, option, lod, false);
        p.end();
        pixmap.setDevicePixelRatio(dpr);
        m_snapshot = pixmap;
        m_snapshotScale = scale;
        m_snapshotPhase = phase;
        m_snapshotState = state;
        m_snapshotDark = Theme::isDark();
        SnapshotBudget::add(this);
    } else {
        SnapshotBudget::touch(this);
    }
    painter->save();
    painter->setWorldTransform(QTransform());
    painter->drawPixmap(whole / dpr, m_snapshot);
    painter->restore();
}

} // namespace Hivelab
