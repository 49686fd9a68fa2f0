// SPDX-License-Identifier: GPL-3.0-or-later
#include "psuitem.h"
#include "plural.h"

#include "canvasmetrics.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace Hivelab {

using namespace CanvasMetrics;

PsuItem::PsuItem(const QString &psuId)
    : SnapshotItem(Alignment::Exact)
    , m_id(psuId)
{
    setZValue(0.5);
}

QRectF PsuItem::boundingRect() const
{
    return QRectF(-3, -3, CardWidth + 6, PsuHeight + 6);
}

void PsuItem::setLoad(const QString &name, double loadWatts, double ratingWatts, int unknownBoards)
{
    if (name == m_name && loadWatts == m_load && ratingWatts == m_rating &&
        unknownBoards == m_unknown)
        return;
    m_name = name;
    m_load = loadWatts;
    m_rating = ratingWatts;
    m_unknown = unknownBoards;
    updateToolTip();
    contentChanged();
}

void PsuItem::setFindings(Severity worst, const QStringList &messages)
{
    if (worst == m_badge && messages == m_findings)
        return;
    m_badge = worst;
    m_findings = messages;
    updateToolTip();
    contentChanged();
}

void PsuItem::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    contentChanged();
}

void PsuItem::updateToolTip()
{
    QString tip = QCoreApplication::translate("PsuItem", "%1\nPeak load %2 W of %3 W")
                      .arg(m_name)
                      .arg(m_load, 0, 'f', 1)
                      .arg(m_rating, 0, 'f', 0);
    if (m_unknown > 0)
        tip += plural(m_unknown,
                      QCoreApplication::translate("PsuItem", "\n%1 board of a model the catalog "
                                                             "does not know is not counted"),
                      QCoreApplication::translate("PsuItem", "\n%1 boards of a model the "
                                                             "catalog does not know are not "
                                                             "counted"));
    for (const QString &m : m_findings)
        tip += QStringLiteral("\n⚠ ") + m;
    setToolTip(tip);
}

void PsuItem::paintContent(QPainter *painter, const QStyleOptionGraphicsItem *, qreal, bool)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF r(0, 0, CardWidth, PsuHeight);
    painter->setPen(
        QPen(m_highlighted ? Theme::accent() : Theme::cardBorder(), m_highlighted ? 2.5 : 1));
    QColor fill = Theme::cardFill();
    painter->setBrush(fill);
    painter->drawRoundedRect(r, 7, 7);

    // Lightning bolt glyph drawn as a path: no font dependency.
    QPainterPath bolt;
    bolt.moveTo(17, 8);
    bolt.lineTo(10, 21);
    bolt.lineTo(15, 21);
    bolt.lineTo(13, 31);
    bolt.lineTo(21, 17);
    bolt.lineTo(16, 17);
    bolt.closeSubpath();
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xe8, 0xa3, 0x17));
    painter->drawPath(bolt);

    QFont f = QApplication::font();
    f.setPointSizeF(9);
    f.setBold(true);
    painter->setFont(f);
    painter->setPen(Theme::text());
    const qreal right = m_findings.isEmpty() ? CardWidth - 8 : CardWidth - 28;
    drawText(painter, QRectF(30, 4, right - 30, 18), Qt::AlignLeft | Qt::AlignVCenter,
             painter->fontMetrics().elidedText(m_name, Qt::ElideRight, int(right - 30)));
    if (!m_findings.isEmpty()) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(Theme::severityColor(m_badge));
        painter->drawEllipse(QPointF(CardWidth - 16, 13), 7.5, 7.5);
        painter->setPen(Theme::severityBadgeText(m_badge));
        drawText(painter, QRectF(CardWidth - 22, 6, 12, 14), Qt::AlignCenter, QStringLiteral("!"));
    }

    const double ratio = m_rating > 0 ? m_load / m_rating : 0;
    const QColor barColour = ratio > 1.0   ? Theme::severityColor(Severity::Error)
                             : ratio > 0.8 ? Theme::severityColor(Severity::Warning)
                                           : Theme::okColor();
    const QRectF track(30, 25, CardWidth - 40, 8);
    painter->setPen(Qt::NoPen);
    painter->setBrush(Theme::slotOutline());
    painter->drawRoundedRect(track, 4, 4);
    if (ratio > 0) {
        QRectF bar = track;
        bar.setWidth(track.width() * qMin(ratio, 1.0));
        painter->setBrush(barColour);
        painter->drawRoundedRect(bar, 4, 4);
    }

    QFont s = QApplication::font();
    s.setPointSizeF(8);
    painter->setFont(s);
    painter->setPen(Theme::mutedText());
    QString text = m_rating > 0 ? QCoreApplication::translate("PsuItem", "%1 / %2 W (%3%)")
                                      .arg(m_load, 0, 'f', 1)
                                      .arg(m_rating, 0, 'f', 0)
                                      .arg(qRound(ratio * 100))
                                : QCoreApplication::translate("PsuItem", "%1 W peak · no rating")
                                      .arg(m_load, 0, 'f', 1);
    if (m_unknown > 0)
        text += QCoreApplication::translate("PsuItem", " · %1 unrated").arg(m_unknown);
    drawText(painter, QRectF(30, 35, CardWidth - 38, 16), Qt::AlignLeft | Qt::AlignVCenter,
             painter->fontMetrics().elidedText(text, Qt::ElideRight, int(CardWidth - 38)));
}

} // namespace Hivelab
