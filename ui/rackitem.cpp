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

QRectF RackItem::snapshotBounds(qreal scale) const
{
    // Below 100 % a whole snapshot costs the square of the scale (a tenth of it at the
    // benchmark's overview), and a zoom there scales it instead of painting 20 bodies a frame
    // (tests/bench/bench_canvas: +1 ms a zoom frame when they were painted).
    if (scale < 1.0)
        return boundingRect();
    return QRectF(-4, -4, RackWidth + 8, std::min(HeaderHeight, m_height) + 4);
}

// Stroking a 1.2 px dashed rounded rectangle is about 80 antialiased dashes to rasterise: 1.4 M
// instructions a slot, 8 M of the demo's first frame for its 6 empty slots (valgrind
// --tool=callgrind). On the raster engine the outline is blitted from a picture of it over the
// rack's fill, made at the same scale and sub-pixel phase: the same pixels as stroking it there.
// At 100 % racks and slots sit at whole units and share one phase; at other zooms there are a
// few phases. From 100 % up the rack's body is painted at every paint (its snapshot keeps the
// header only): these pictures keep it cheap there.
void RackItem::paintEmptySlotOutline(QPainter *painter, const QRectF &slot)
{
    // World, not device, transform: a grab of part of a widget adds a redirection offset that
    // the identity world transform below keeps (as BoardItem::paintCachedShapes).
    const qreal dpr = painter->device()->devicePixelRatioF();
    const QTransform device = painter->worldTransform() * QTransform::fromScale(dpr, dpr);
    const qreal scale = device.m11();
    // Where a picture cannot stand in: another engine (SVG export), opacity, a rotation…
    if (painter->paintEngine()->type() != QPaintEngine::Raster || painter->opacity() < 1.0 ||
        painter->compositionMode() != QPainter::CompositionMode_SourceOver ||
        !painter->testRenderHint(QPainter::Antialiasing) ||
        device.type() > QTransform::TxScale || scale <= 0 || scale != device.m22()) {
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
        qreal scale;
        QSizeF slot;
        QRgb fill, outline;
        QImage picture;
    };
    // The most recently drawn last; at most MaxBytes of pictures (one at 100 %, four of 144 KB
    // at 150 %).
    static QList<Look> looks;
    constexpr qsizetype MaxBytes = 1 << 20;
    const QRgb fill = Theme::rackFill().rgba();
    const QRgb outline = Theme::slotOutline().rgba();
    const auto same = [&](const Look &look) {
        constexpr qreal Tiny = 1e-6;
        return qAbs(look.phase.x() - phase.x()) < Tiny && qAbs(look.phase.y() - phase.y()) < Tiny &&
               look.scale == scale && look.slot == slot.size() && look.fill == fill &&
               look.outline == outline;
    };
    auto it = std::find_if(looks.begin(), looks.end(), same);
    if (it == looks.end()) {
        QImage picture(QSize(int(std::ceil(area.width() * scale + phase.x())),
                             int(std::ceil(area.height() * scale + phase.y()))),
                       QImage::Format_ARGB32_Premultiplied);
        qsizetype bytes = picture.sizeInBytes();
        for (const Look &look : std::as_const(looks))
            bytes += look.picture.sizeInBytes();
        while (!looks.isEmpty() && bytes > MaxBytes) {
            bytes -= looks.constFirst().picture.sizeInBytes();
            looks.removeFirst(); // panned by part of a pixel, another zoom or the other theme
        }
        picture.fill(Theme::rackFill());
        QPainter p(&picture);
        p.setRenderHint(QPainter::Antialiasing);
        p.translate(phase);
        p.scale(scale, scale);
        p.translate(-area.topLeft());
        p.setPen(QPen(Theme::slotOutline(), 1.2, Qt::DashLine));
        p.drawRoundedRect(slot, 7, 7);
        p.end();
        // A copy: an image keeps the engine that painted it, and the dashed stroke left 55 KB
        // of the stroker's buffers in it (massif).
        looks.append({phase, scale, slot.size(), fill, outline, picture.copy()});
    } else if (it != looks.end() - 1) {
        looks.append(looks.takeAt(it - looks.begin()));
    }
    QImage picture = looks.constLast().picture;
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
    // Mid-zoom from 100 % up the body is painted at every frame: without antialiasing its fill
    // and border cost half. The zoom settling paints it again (SnapshotItem::setRendering()).
    painter->setRenderHint(QPainter::Antialiasing, !zooming);
    const QRectF r(0, 0, RackWidth, m_height);
    QPen border(m_highlighted ? Theme::accent() : Theme::rackBorder(), m_highlighted ? 2.5 : 1);
    if (isTray())
        border.setStyle(Qt::DashLine);
    painter->setPen(border);
    painter->setBrush(isTray() ? Qt::NoBrush : QBrush(Theme::rackFill()));
    painter->drawRoundedRect(r, 10, 10);
    painter->setRenderHint(QPainter::Antialiasing);

    // Header: skipped when only the body is painted (below the snapshot, or a repaint of part
    // of it): clipped away, its text would still cost its glyphs at a new zoom. (Its text ends
    // 4 units above the body.)
    if (!painter->hasClipping() || painter->clipBoundingRect().top() < HeaderHeight - 4)
        paintHeader(painter);

    QFont small = QApplication::font();
    small.setPointSizeF(8);
    painter->setFont(small);

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

void RackItem::paintHeader(QPainter *painter)
{
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
}

} // namespace Hivelab
