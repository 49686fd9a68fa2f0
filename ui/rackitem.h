// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "snapshotitem.h"

namespace Hivelab {

/// A rack column: header, empty-slot outlines and the drop indicator while a board is dragged.
/// The "Unplaced" tray is a RackItem without slots. From 100 % up its snapshot keeps the header
/// (title, subtitle, warning sign) and the body, a fill, a border and the empty slots' shared
/// pictures with cards over most of it, is painted at every paint: a snapshot of the whole rack
/// was 470 KB at 100 %, two thirds of the demo's snapshots.
class RackItem : public SnapshotItem
{
public:
    enum { Type = UserType + 1 };

    explicit RackItem(const QString &rackId);

    int type() const override { return Type; }
    QString rackId() const { return m_id; }
    bool isTray() const { return m_id.isEmpty(); }
    QRectF boundingRect() const override;

    void setGeometry(qreal height, qreal slotsTop, int slotCount);
    void setTitle(const QString &title, const QString &subtitle);
    /// Slots with a board in them (no "empty" outline drawn).
    void setOccupied(const QList<bool> &occupied);
    void setFindings(Severity worst, const QStringList &messages);
    /// Slot to highlight as the drop target (-1: none); swap draws a two-way hint. A warning
    /// (what the drop would break) turns the outline dashed and the hint "⚠ drop here"; the
    /// scene shows the reasons beside the slot (DropWarningItem).
    void setDropSlot(int slot, bool swap, const QString &warning = {});
    QString dropWarning() const { return m_dropWarning; }
    void setHighlighted(bool highlighted);

    int dropSlot() const { return m_dropSlot; }
    bool hasBadge() const { return !m_findings.isEmpty(); }
    Severity badgeSeverity() const { return m_badge; }
    qreal slotsTop() const { return m_slotsTop; }
    int slotCount() const { return m_slotCount; }

    /// An empty slot's dashed outline (QPen(Theme::slotOutline(), 1.2, Qt::DashLine), radius 7)
    /// over a rack's fill: the same pixels as stroking it.
    static void paintEmptySlotOutline(QPainter *painter, const QRectF &slot);

protected:
    QRectF snapshotBounds(qreal scale) const override;
    /// Mid-zoom without a snapshot to scale, empty slots are a plain outline without their
    /// "Slot N · empty" text, and the body has no antialiasing; all come back when the zoom
    /// settles.
    void paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      bool zooming) override;

private:
    /// Title, subtitle and warning sign.
    void paintHeader(QPainter *painter);

    QString m_id;
    QString m_title;
    QString m_subtitle;
    qreal m_height = 100;
    qreal m_slotsTop = 0;
    int m_slotCount = 0;
    QList<bool> m_occupied;
    Severity m_badge = Severity::Info;
    QStringList m_findings;
    int m_dropSlot = -1;
    bool m_dropSwap = false;
    QString m_dropWarning;
    bool m_highlighted = false;
};

} // namespace Hivelab
