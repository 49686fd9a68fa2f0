// SPDX-License-Identifier: GPL-3.0-or-later
#include "switchitem.h"

#include "canvasmetrics.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPainter>

namespace Hivelab {

using namespace CanvasMetrics;

SwitchItem::SwitchItem(const QString &switchId)
    : SnapshotItem(Alignment::Exact)
    , m_id(switchId)
{
    setZValue(0.5);
}

QRectF SwitchItem::boundingRect() const
{
    return QRectF(-3, -3, CardWidth + 6, SwitchHeight + 6);
}

void SwitchItem::setPorts(const QString &name, int portCount, const QList<int> &usedPorts,
                          int boardsWithoutPort)
{
    if (name == m_name && portCount == m_ports && usedPorts == m_used &&
        boardsWithoutPort == m_withoutPort)
        return;
    m_name = name;
    m_ports = portCount;
    m_used = usedPorts;
    m_withoutPort = boardsWithoutPort;
    QString tip = QCoreApplication::translate("SwitchItem", "%1\n%2 of %3 ports used")
                      .arg(m_name)
                      .arg(usedCount())
                      .arg(m_ports);
    for (const QString &m : m_findings)
        tip += QStringLiteral("\n⚠ ") + m;
    setToolTip(tip);
    contentChanged();
}

void SwitchItem::setFindings(Severity worst, const QStringList &messages)
{
    if (worst == m_badge && messages == m_findings)
        return;
    m_badge = worst;
    m_findings = messages;
    const QString name = m_name;
    m_name.clear(); // force the tooltip refresh
    setPorts(name, m_ports, m_used, m_withoutPort);
}

void SwitchItem::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    contentChanged();
}

void SwitchItem::paintContent(QPainter *painter, const QStyleOptionGraphicsItem *, qreal, bool)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF r(0, 0, CardWidth, SwitchHeight);
    painter->setPen(
        QPen(m_highlighted ? Theme::accent() : Theme::cardBorder(), m_highlighted ? 2.5 : 1));
    painter->setBrush(Theme::cardFill());
    painter->drawRoundedRect(r, 7, 7);

    // Switch glyph: two opposing arrows.
    painter->setPen(
        QPen(QColor(0x0f, 0x8a, 0x7e), 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->drawLine(QPointF(10, 13), QPointF(21, 13));
    painter->drawLine(QPointF(18, 10), QPointF(21, 13));
    painter->drawLine(QPointF(18, 16), QPointF(21, 13));
    painter->drawLine(QPointF(10, 21), QPointF(21, 21));
    painter->drawLine(QPointF(13, 18), QPointF(10, 21));
    painter->drawLine(QPointF(13, 24), QPointF(10, 21));

    QFont f = QApplication::font();
    f.setPointSizeF(9);
    f.setBold(true);
    painter->setFont(f);
    painter->setPen(Theme::text());
    const QString count = QStringLiteral("%1/%2").arg(usedCount()).arg(m_ports);
    QFont s = QApplication::font();
    s.setPointSizeF(8);
    const qreal countW = QFontMetricsF(s).horizontalAdvance(count) + 4;
    const qreal right = CardWidth - 8 - countW - (m_findings.isEmpty() ? 0 : 20);
    drawText(painter, QRectF(30, 4, right - 30, 18), Qt::AlignLeft | Qt::AlignVCenter,
             painter->fontMetrics().elidedText(m_name, Qt::ElideRight, int(right - 30)));
    painter->setFont(s);
    painter->setPen(usedCount() > m_ports ? Theme::severityColor(Severity::Error)
                                          : Theme::mutedText());
    drawText(painter, QRectF(CardWidth - 8 - countW, 4, countW, 18),
             Qt::AlignRight | Qt::AlignVCenter, count);
    if (!m_findings.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(Theme::severityColor(m_badge));
        painter->drawEllipse(QPointF(CardWidth - 16 - countW, 13), 7, 7);
        painter->setPen(Theme::severityBadgeText(m_badge));
        painter->setFont(f);
        drawText(painter, QRectF(CardWidth - 22 - countW, 6, 12, 14), Qt::AlignCenter,
                 QStringLiteral("!"));
    }

    // Port indicators (skipped on very large switches; the count says it all there).
    if (m_ports > 0 && m_ports <= 48) {
        const qreal avail = CardWidth - 38;
        const qreal pitch = qMin<qreal>(14, avail / m_ports);
        const qreal size = qMax<qreal>(3, pitch - 3);
        for (int p = 1; p <= m_ports; ++p) {
            const QRectF sq(30 + (p - 1) * pitch, 27, size, qMin<qreal>(size, 10));
            const bool used = m_used.contains(p);
            painter->setPen(QPen(used ? QColor(0x0f, 0x8a, 0x7e) : Theme::slotOutline(), 1));
            painter->setBrush(used ? QColor(0x14, 0xb8, 0xa6) : QBrush(Qt::NoBrush));
            painter->drawRoundedRect(sq, 2, 2);
        }
    }
}

} // namespace Hivelab
