// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsItem>
#include <QPainter>
#include <QPixmap>

namespace Hivelab {

/// A canvas item that keeps a device-pixel snapshot of its drawing (cards, racks, switches,
/// power supplies): a repaint at the same scale and look is a blit. The snapshot is made again
/// when the item's content changes (contentChanged()), its selection/focus, the theme or the
/// scale: until then the item paints directly (after a new scale: shows its last snapshot,
/// scaled), and the new snapshot is made on an idle turn of the event loop (visible items
/// nearest the middle first, a few milliseconds per turn), or when frames come back to back, a
/// few milliseconds' worth in each. The view also asks ahead for the items around the screen
/// (prepareSnapshot()). All snapshots share one memory budget; past it the least recently
/// drawn are dropped. GUI thread.
class SnapshotItem : public QGraphicsItem
{
public:
    /// How paint() draws: Cached blits the snapshot; Zooming draws the last snapshot scaled (a
    /// zoom step costs a blit, not a repaint of every item); Direct always paints (exports to
    /// SVG/PNG).
    enum class Rendering { Cached, Zooming, Direct };
    /// How a snapshot lines up with device pixels. Exact keeps the item's sub-pixel offset, so
    /// the blit is the same picture as painting it (for items that only move on a relayout);
    /// Rounded blits at the nearest whole device pixel, at most half a pixel off, so an item
    /// dragged at a fractional zoom is not drawn again at every mouse move.
    enum class Alignment { Exact, Rounded };

    explicit SnapshotItem(Alignment alignment, QGraphicsItem *parent = nullptr);
    ~SnapshotItem() override;
    Q_DISABLE_COPY_MOVE(SnapshotItem)

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) final;

    /// Zooming and Direct cancel a snapshot waiting to be made.
    void setRendering(Rendering rendering);
    Rendering rendering() const { return m_rendering; }
    /// True when the item holds a snapshot, current or not (for tests).
    bool hasSnapshot() const { return !m_snapshot.isNull(); }
    /// Its size in device pixels (for tests).
    QSize snapshotSize() const { return m_snapshot.size(); }
    /// True when the item was painted directly and waits for its snapshot (for tests).
    bool snapshotPending() const { return m_pending; }
    /// How many items wait for their snapshot (tests/bench).
    static int pendingSnapshots();
    /// The view starts painting a frame: an item painted directly in an earlier frame and
    /// still waiting after 20 ms (frames came back to back, no idle turn) makes its snapshot in
    /// this one, a few milliseconds of them a frame.
    static void frameStarting();
    /// The user moves something (a pan, a drag, a zoom step): for a while, idle turns make
    /// snapshots in shorter slices, so the next frame waits less for one.
    static void interacting();
    /// Asks for this item's snapshot as `world` (its device transform in a view) would show it,
    /// made on an idle turn unless the item holds it already: the view asks for the items on
    /// screen when a zoom settles (they keep their last snapshot, scaled, until then) and for
    /// the ones around the screen as it scrolls, so an item scrolling in is a blit, not a
    /// paint. `distance`: from the middle of the view, squared (the nearest are made first).
    void prepareSnapshot(const QTransform &world, qreal dpr, QPainter::RenderHints hints,
                         qreal distance);
    /// What paint() did, counted since the program started (tests/bench).
    struct PaintCounts
    {
        int blits = 0;       // snapshot at the painted scale
        int scaled = 0;      // a snapshot of another scale, scaled (zooming)
        int direct = 0;      // painted directly
        int madeInFrame = 0; // snapshots made inside a paint
        int madeOnIdle = 0;  // snapshots made on an idle turn
    };
    static PaintCounts paintCounts();
    /// The items holding a snapshot, least recently drawn first (the first to go past the
    /// memory budget), or most recently drawn first, walked from that end (tests).
    static QList<const SnapshotItem *> snapshotsByLastDrawn(bool newestFirst = false);

protected:
    /// Draws the item in item coordinates. `zooming`: a transient frame while the zoom keeps
    /// changing and there is no snapshot to scale; leave out what is costly and not missed for
    /// 250 ms (text at a new size every frame means new glyphs every frame).
    virtual void paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                              bool zooming) = 0;
    /// Detail classes by level of detail: a snapshot is not stretched over a scale of a higher
    /// class (a far-zoom block is not a card). One class by default.
    virtual int detailClass(qreal lod) const
    {
        Q_UNUSED(lod);
        return 0;
    }
    /// The part of boundingRect() a snapshot at `scale` (device pixels per item unit) keeps;
    /// the rest, below it, is painted at every paint, from the device row under the snapshot.
    /// For an item whose lower part is cheap to paint and mostly hidden (a rack's body: a fill
    /// and a border, cards over most of it) a snapshot of all of it is memory for little: a
    /// rack's was 470 KB at 100 %, two thirds of the demo's snapshots. The whole item by
    /// default; it must share boundingRect()'s top, left and right edges.
    virtual QRectF snapshotBounds(qreal scale) const
    {
        Q_UNUSED(scale);
        return boundingRect();
    }
    /// What the item shows changed: the snapshot is stale, repaint.
    void contentChanged();
    /// QPainter::drawText(rect, flags, text) for one line of plain text, from a layout shaped
    /// once per font and text (placed and clipped as QPainter places and clips it): shaping
    /// the text again at every paint was a third of the frame that settles a zoom.
    static void drawText(QPainter *painter, const QRectF &rect, int flags, const QString &text);

public:
    struct Placement;

private:
    /// paintContent() where the snapshot would go: Rounded items at whole device pixels.
    void paintAligned(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      bool zooming, const Placement &at);
    /// The snapshot is at `at`'s scale and sub-pixel phase (its look is checked apart).
    bool snapshotFits(const Placement &at) const;
    /// The snapshot, whatever its scale, stretched over the item (nearest pixel), and the
    /// part below it painted as mid-zoom (repainted once the snapshot at this scale is made).
    void drawScaled(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod);
    /// The snapshot blitted at `at`, and the part below it painted.
    void drawSnapshot(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      const Placement &at);
    /// paintContent() from device row `top` down (item units when `top` is in the world's
    /// coordinates: `deviceRow` false), for the part of the item its snapshot leaves out.
    void paintBelowSnapshot(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                            bool zooming, qreal top, bool deviceRow);
    friend class SnapshotBudget;
    friend class SnapshotQueue;
    void dropSnapshot();
    /// Makes the snapshot the last direct paint asked for; false when it cannot be kept.
    bool makePendingSnapshot();

    Alignment m_alignment;
    Rendering m_rendering = Rendering::Cached;
    QPixmap m_snapshot;
    qreal m_snapshotScale = 0; // device pixels per item unit it was made at
    QRectF m_snapshotBounds;   // the part of the item it shows (snapshotBounds())
    QPointF m_snapshotPhase;   // sub-pixel offset of its top left corner (Exact)
    int m_snapshotState = 0;   // the option's Selected/HasFocus/MouseOver bits it shows
    bool m_snapshotDark = false;
    bool m_zoomPaintedDirect = false; // the last paint while zooming had no snapshot to scale
    // Least recently drawn order of all snapshots (SnapshotBudget).
    SnapshotItem *m_newer = nullptr;
    SnapshotItem *m_older = nullptr;
    // The snapshot to make on idle, as the last direct paint drew the item (SnapshotQueue).
    bool m_pending = false;
    QTransform m_pendingWorld;
    qreal m_pendingDpr = 1;
    QPainter::RenderHints m_pendingHints;
    int m_pendingState = 0;      // the option's state
    qreal m_pendingDistance = 0; // from the middle of the painted device, squared
    quint64 m_pendingFrame = 0;  // the frame that painted it directly first
    qint64 m_pendingSince = 0;   // when, on SnapshotQueue's clock (ns)
    bool m_pendingRepaint = false; // the screen shows no direct paint of it: repaint once made
};

} // namespace Hivelab
