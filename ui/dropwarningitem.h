// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QGraphicsItem>

namespace Hivelab {

/// While a board is dragged over a slot where dropping it would break something: a box beside
/// the slot with a warning sign and the reasons (the dragged card covers the slot itself).
/// Above the racks and cards, below the dragged cards.
class DropWarningItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 5 };

    DropWarningItem();

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    void setText(const QString &text);
    QString text() const { return m_text; }

    /// A filled warning triangle with "!" centred on c (also the rack and card badges' sign);
    /// leaves a bold 8.5 pt font set.
    static void paintSign(QPainter *painter, const QPointF &c, const QColor &colour);

private:
    QString m_text;
};

} // namespace Hivelab
