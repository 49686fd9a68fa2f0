// SPDX-License-Identifier: GPL-3.0-or-later
#include "rackitem.h"

#include "canvasmetrics.h"
#include "dropwarningitem.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace Hivelab {

using namespace CanvasMetrics;

RackItem::RackItem(const QString &rackId)
    : SnapshotItem(Alignment::Exact)
    , m_id(rackId)
{
    setZValue(0);
}

QRectF RackItem::boundingRect() const
{
    return QRectF(-4, -4, RackWidth + 8, m_height + 8);
}

void RackItem::setGeometry(qreal height, qreal slotsTop, int slotCount)
{
    if (height == m_height && slotsTop == m_slotsTop && slotCount == m_slotCount)
        return;
    prepareGeometryChange();
    m_height = height;
    m_slotsTop = slotsTop;
    m_slotCount = slotCount;
    contentChanged();
}

void RackItem::setTitle(const QString &title, const QString &subtitle)
{
    if (title == m_title && subtitle == m_subtitle)
        return;
    m_title = title;
    m_subtitle = subtitle;
    contentChanged();
}

void RackItem::setOccupied(const QList<bool> &occupied)
{
    if (occupied == m_occupied)
        return;
    m_occupied = occupied;
    contentChanged();
}

void RackItem::setFindings(Severity worst, const QStringList &messages)
{
    if (worst == m_badge && messages == m_findings)
        return;
    m_badge = worst;
    m_findings = messages;
    setToolTip(messages.isEmpty() ? QString()
                                  : QStringLiteral("⚠ ") + messages.join(QStringLiteral("\n⚠ ")));
    contentChanged();
}

void RackItem::setDropSlot(int slot, bool swap, const QString &warning)
{
    if (slot == m_dropSlot && swap == m_dropSwap && warning == m_dropWarning)
        return;
    m_dropSlot = slot;
    m_dropSwap = swap;
    m_dropWarning = slot < 0 ? QString() : warning;
    setToolTip(m_dropWarning);
    contentChanged();
}

void RackItem::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    contentChanged();
}

void RackItem::paintContent(QPainter *painter, const QStyleOptionGraphicsItem *, qreal,
                            bool zooming)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF r(0, 0, RackWidth, m_height);
    QPen border(m_highlighted ? Theme::accent() : Theme::rackBorder(), m_highlighted ? 2.5 : 1);
    if (isTray())
        border.setStyle(Qt::DashLine);
    painter->setPen(border);
    painter->setBrush(isTray() ? Qt::NoBrush : QBrush(Theme::rackFill()));
    painter->drawRoundedRect(r, 10, 10);

    // Header
    QFont title = QApplication::font();
    title.setPointSizeF(11);
    title.setBold(true);
    painter->setFont(title);
    painter->setPen(Theme::text());
    qreal titleRight = RackWidth - 12;
    if (!m_findings.isEmpty()) {
        DropWarningItem::paintSign(painter, QPointF(RackWidth - 22, 20),
                                   Theme::severityColor(m_badge));
        painter->setFont(title);
        painter->setPen(Theme::text());
        titleRight -= 26;
    }
    drawText(painter, QRectF(12, 4, titleRight - 12, 22), Qt::AlignLeft | Qt::AlignVCenter,
             m_title);
    QFont sub = QApplication::font();
    sub.setPointSizeF(8);
    painter->setFont(sub);
    painter->setPen(Theme::mutedText());
    drawText(painter, QRectF(12, 24, RackWidth - 24, 16), Qt::AlignLeft | Qt::AlignVCenter,
             m_subtitle);

    // Slots
    for (int s = 0; s < m_slotCount; ++s) {
        const QRectF slot(RackPadding, m_slotsTop + s * SlotPitch + 4, CardWidth, CardHeight);
        const bool occupied = s < m_occupied.size() && m_occupied.at(s);
        if (!occupied && s != m_dropSlot) {
            // Mid-zoom (tests/bench/bench_canvas): a dashed antialiased outline and text at a
            // new size every frame were most of a rack's paint, and racks nearly half of what
            // a wheel notch painted. Both come back when the zoom settles.
            painter->setPen(
                QPen(Theme::slotOutline(), 1.2, zooming ? Qt::SolidLine : Qt::DashLine));
            painter->setBrush(Qt::NoBrush);
            painter->drawRoundedRect(slot, 7, 7);
            if (zooming)
                continue;
            painter->setPen(Theme::mutedText());
            drawText(painter, slot, Qt::AlignCenter,
                     QCoreApplication::translate("RackItem", "Slot %1 · empty").arg(s + 1));
        }
    }
    if (m_dropSlot >= 0 && m_dropSlot < m_slotCount) {
        const QRectF slot =
            QRectF(RackPadding, m_slotsTop + m_dropSlot * SlotPitch + 4, CardWidth, CardHeight)
                .adjusted(-4, -4, 4, 4);
        const bool warn = !m_dropWarning.isEmpty();
        const QColor ink = warn ? Theme::severityColor(Severity::Warning) : Theme::accent();
        QColor fill = ink;
        fill.setAlpha(warn ? 70 : 40);
        painter->setBrush(fill);
        painter->setPen(QPen(ink, 2.5, warn ? Qt::DashLine : Qt::SolidLine));
        painter->drawRoundedRect(slot, 9, 9);
        QFont hint = QApplication::font();
        hint.setPointSizeF(8.5);
        hint.setBold(true);
        painter->setFont(hint);
        painter->setPen(warn ? Theme::text() : Theme::accent());
        const QString action = m_dropSwap ? QCoreApplication::translate("RackItem", "⇅ swap")
                                          : QCoreApplication::translate("RackItem", "drop here");
        drawText(painter, slot.adjusted(0, 0, -8, -3), Qt::AlignRight | Qt::AlignBottom,
                 warn ? QStringLiteral("⚠ ") + action : action);
    }
}

} // namespace Hivelab
