// SPDX-License-Identifier: GPL-3.0-or-later
#include "servicechipsitem.h"

#include "canvasmetrics.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QMap>
#include <QPainter>

namespace Hivelab {

namespace {

constexpr qreal ChipHeight = 14;
constexpr qreal ChipGap = 4;
constexpr qreal ChipTop = 25;
constexpr qreal MaxLabelWidth = 52;

QFont chipFont()
{
    QFont f = QApplication::font();
    f.setPointSizeF(7);
    return f;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("ServiceChipsItem", text);
}

QString more(int count)
{
    return QStringLiteral("+%1").arg(count);
}

} // namespace

ServiceChipsItem::ServiceChipsItem(QGraphicsItem *card)
    : QGraphicsItem(card)
{
    setAcceptedMouseButtons(Qt::NoButton); // clicks and drags belong to the card
    setAcceptHoverEvents(true);
}

qreal ServiceChipsItem::setTasks(const QList<StackPlacement::ServiceTask> &boardTasks,
                                 const QList<StackPlacement::ServiceTask> &allTasks)
{
    QMap<QString, Chip> byService;
    for (const StackPlacement::ServiceTask &t : boardTasks) {
        Chip &c = byService[t.service];
        c.service = t.service;
        c.label = !t.stack.isEmpty() && t.service.startsWith(t.stack + QLatin1Char('_'))
                      ? t.service.mid(t.stack.size() + 1)
                      : t.service;
        ++c.here;
        c.runningHere += t.isRunning();
        c.states << t.state;
    }
    for (const StackPlacement::ServiceTask &t : allTasks) {
        auto it = byService.find(t.service);
        if (it == byService.end())
            continue;
        ++it->replicas;
        it->running += t.isRunning();
    }
    const QList<Chip> chips = byService.values();
    QStringList tip;
    for (const Chip &c : chips)
        tip << tr("%1: %2 of %3 task(s) here running (%4); %5 of %6 replica(s) running in the "
                  "swarm")
                   .arg(c.service)
                   .arg(c.runningHere)
                   .arg(c.here)
                   .arg(c.states.join(QStringLiteral(", ")))
                   .arg(c.running)
                   .arg(c.replicas);
    if (chips != m_chips)
        prepareGeometryChange();
    m_chips = chips;
    setToolTip(tip.join(QLatin1Char('\n')));
    const QFontMetricsF fm(chipFont());
    qreal width = 0;
    for (int i = 0; i < m_chips.size() && i <= MaxChips; ++i) {
        const QString text = i < MaxChips
                                 ? fm.elidedText(m_chips.at(i).label, Qt::ElideRight, MaxLabelWidth)
                                 : more(int(m_chips.size()) - MaxChips);
        width += fm.horizontalAdvance(text) + 10 + (width > 0 ? ChipGap : 0);
    }
    m_width = width;
    setPos(CanvasMetrics::CardWidth - 8 - width, ChipTop);
    setVisible(!m_chips.isEmpty());
    update();
    return width;
}

QRectF ServiceChipsItem::boundingRect() const
{
    return QRectF(0, 0, m_width, ChipHeight);
}

void ServiceChipsItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QFont font = chipFont();
    const QFontMetricsF fm(font);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(font);
    qreal x = 0;
    for (int i = 0; i < m_chips.size() && i <= MaxChips; ++i) {
        const bool last = i == MaxChips;
        const QString text =
            last ? more(int(m_chips.size()) - MaxChips)
                 : fm.elidedText(m_chips.at(i).label, Qt::ElideRight, MaxLabelWidth);
        const qreal w = fm.horizontalAdvance(text) + 10;
        const QRectF r(x, 0, w, ChipHeight);
        // Teal: every task here runs; amber: one is starting, pending or failing. Words in the
        // tooltip, not colour alone.
        QColor fill(0x0f, 0x76, 0x6e);
        if (last)
            fill = QColor(0x64, 0x74, 0x8b);
        else if (m_chips.at(i).runningHere < m_chips.at(i).here)
            fill = QColor(0xb4, 0x53, 0x09);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(r, 4, 4);
        painter->setPen(Qt::white);
        painter->drawText(r, Qt::AlignCenter, text);
        x += w + ChipGap;
    }
}

} // namespace Hivelab
