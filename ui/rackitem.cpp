// SPDX-License-Identifier: GPL-3.0-or-later
#include "rackitem.h"

#include "canvasmetrics.h"
#include "dropwarningitem.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

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

// Stroking a 1.2 px dashed rounded rectangle is about 80 antialiased dashes to rasterise: 1.4 M
// instructions a slot, 8 M of the demo's first frame for its 6 empty slots (valgrind
// --tool=callgrind). At 100 % on the raster engine the outline is blitted from a picture of it
// over the rack's fill, made at the same sub-pixel phase: the same pixels as stroking it there.
// Racks and slots sit at whole units, so at 100 % they share one phase; at other zooms each has
// its own, a picture would rarely be drawn twice, and the racks' snapshots keep what they drew.
void RackItem::paintEmptySlotOutline(QPainter *painter, const QRectF &slot)
{
    // World, not device, transform: a grab of part of a widget adds a redirection offset that
    // the identity world transform below keeps (as BoardItem::paintCachedShapes).
    const qreal dpr = painter->device()->devicePixelRatioF();
    const QTransform device = painter->worldTransform() * QTransform::fromScale(dpr, dpr);
    // Where a picture cannot stand in: another engine (SVG export), opacity, another scale…
    if (painter->paintEngine()->type() != QPaintEngine::Raster || painter->opacity() < 1.0 ||
        painter->compositionMode() != QPainter::CompositionMode_SourceOver ||
        !painter->testRenderHint(QPainter::Antialiasing) ||
        device.type() > QTransform::TxTranslate) {
        painter->setPen(QPen(Theme::slotOutline(), 1.2, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(slot, 7, 7);
        return;
    }
    const QRectF area = slot.adjusted(-2, -2, 2, 2); // the pen's width and antialiasing
    const QPointF origin = device.map(area.topLeft());
    const QPointF whole(std::floor(origin.x()), std::floor(origin.y()));
    const QPointF phase = origin - whole;

    struct Look
    {
        QPointF phase;
        QSizeF slot;
        QRgb fill, outline;
        QImage picture;
    };
    static QList<Look> looks;
    const QRgb fill = Theme::rackFill().rgba();
    const QRgb outline = Theme::slotOutline().rgba();
    const auto same = [&](const Look &look) {
        constexpr qreal Tiny = 1e-6;
        return qAbs(look.phase.x() - phase.x()) < Tiny && qAbs(look.phase.y() - phase.y()) < Tiny &&
               look.slot == slot.size() && look.fill == fill && look.outline == outline;
    };
    auto it = std::find_if(looks.begin(), looks.end(), same);
    if (it == looks.end()) {
        if (looks.size() >= 4)
            looks.removeFirst(); // panned by part of a pixel, or the other theme
        QImage picture(QSize(int(std::ceil(area.width() + phase.x())),
                             int(std::ceil(area.height() + phase.y()))),
                       QImage::Format_ARGB32_Premultiplied);
        picture.fill(Theme::rackFill());
        QPainter p(&picture);
        p.setRenderHint(QPainter::Antialiasing);
        p.translate(phase - area.topLeft());
        p.setPen(QPen(Theme::slotOutline(), 1.2, Qt::DashLine));
        p.drawRoundedRect(slot, 7, 7);
        p.end();
        looks.append({phase, slot.size(), fill, outline, picture});
        it = looks.end() - 1;
    }
    QImage picture = it->picture;
    picture.setDevicePixelRatio(dpr);
    painter->save();
    painter->setWorldTransform(QTransform());
    painter->drawImage(whole / dpr, picture);
    painter->restore();
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
            if (zooming || isTray()) { // the tray has no fill for the picture
                painter->setPen(
                    QPen(Theme::slotOutline(), 1.2, zooming ? Qt::SolidLine : Qt::DashLine));
                painter->setBrush(Qt::NoBrush);
                painter->drawRoundedRect(slot, 7, 7);
            } else {
                paintEmptySlotOutline(painter, slot);
            }
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
