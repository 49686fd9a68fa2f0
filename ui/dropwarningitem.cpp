// SPDX-License-Identifier: GPL-3.0-or-later
#include "dropwarningitem.h"

#include "canvasmetrics.h"
#include "labcheck.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace Hivelab {

using namespace CanvasMetrics;

DropWarningItem::DropWarningItem()
{
    setZValue(5);
    setVisible(false);
}

QRectF DropWarningItem::boundingRect() const
{
    return QRectF(-2, -2, CardWidth + 4, CardHeight + 14);
}

void DropWarningItem::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    setVisible(!text.isEmpty());
    update();
}

void DropWarningItem::paintSign(QPainter *painter, const QPointF &c, const QColor &colour)
{
    QPainterPath tri;
    tri.moveTo(c.x(), c.y() - 9);
    tri.lineTo(c.x() + 10, c.y() + 8);
    tri.lineTo(c.x() - 10, c.y() + 8);
    tri.closeSubpath();
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    painter->drawPath(tri);
    QFont bang = QApplication::font();
    bang.setPointSizeF(8.5);
    bang.setBold(true);
    painter->setFont(bang);
    painter->setPen(Theme::textOn(colour));
    painter->drawText(QRectF(c.x() - 6, c.y() - 5, 12, 13), Qt::AlignCenter, QStringLiteral("!"));
}

void DropWarningItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor ink = Theme::severityColor(Severity::Warning);
    const QRectF box(0, 0, CardWidth, CardHeight + 10);
    painter->setPen(QPen(ink, 2));
    painter->setBrush(Theme::rackFill());
    painter->drawRoundedRect(box, 8, 8);
    paintSign(painter, QPointF(16, 16), ink);
    painter->setPen(Theme::text());
    painter->drawText(QRectF(32, 6, box.width() - 40, 20), Qt::AlignLeft | Qt::AlignVCenter,
                      QCoreApplication::translate("DropWarningItem", "Dropping here:"));
    QFont reason = QApplication::font();
    reason.setPointSizeF(7.5);
    painter->setFont(reason);
    painter->drawText(box.adjusted(10, 28, -8, -4), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      m_text);
}

} // namespace Hivelab
