// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapedtextdelegate.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

#include <cmath>

namespace Hivelab {

namespace {
/// Text this delegate lays out as the style would: one line, no tab stops to honour, no
/// QFontMetrics::elidedText() variants (U+009C).
bool oneLine(const QString &text)
{
    for (const QChar c : text) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\t') || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator || c == QChar(0x9c))
            return false;
    }
    return true;
}

/// The option QCommonStyle draws a cell's text with (qcommonstyle.cpp, viewItemDrawText).
QTextOption paintOption(const QStyleOptionViewItem &option)
{
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::ManualWrap);
    textOption.setTextDirection(option.direction);
    textOption.setAlignment(QStyle::visualAlignment(option.direction, option.displayAlignment));
    return textOption;
}

/// Drawn from a layout at this delegate's place: left to right and left aligned (a longer
/// line width, as ours is, then moves nothing), one unwrapped line.
bool plainText(const QStyleOptionViewItem &option)
{
    const Qt::Alignment align = QStyle::visualAlignment(option.direction, option.displayAlignment);
    return !option.text.isEmpty() && option.direction == Qt::LeftToRight &&
           !(option.features & QStyleOptionViewItem::WrapText) &&
           !(align & (Qt::AlignRight | Qt::AlignHCenter | Qt::AlignJustify)) &&
           oneLine(option.text);
}

QStyle *styleOf(const QStyleOptionViewItem &option)
{
    return option.widget ? option.widget->style() : QApplication::style();
}
} // namespace

ShapedTextDelegate::ShapedTextDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{}

std::shared_ptr<const QTextLayout> ShapedTextDelegate::shaped(const QStyleOptionViewItem &option,
                                                              const QString &text) const
{
    // Laid out without a paint device, as the style lays it out.
    return m_layouts.line(option.font, 0, paintOption(option), text);
}

QString ShapedTextDelegate::elided(const QStyleOptionViewItem &option, int width) const
{
    ElideKey key{option.font, option.text, width, int(option.textElideMode)};
    auto it = m_elided.constFind(key);
    if (it != m_elided.constEnd())
        return *it;
    if (m_elided.size() > 1024)
        m_elided.clear();
    // What QCommonStyle's elision does: QTextEngine::elidedText() in the cell's font.
    return *m_elided.insert(
        key, QFontMetrics(option.font).elidedText(option.text, option.textElideMode, width));
}

void ShapedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    Q_ASSERT(index.isValid());
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = styleOf(opt);
    // The focus frame is drawn over the text; an editor's frame with the text's pen.
    if (!plainText(opt) || (opt.state & (QStyle::State_HasFocus | QStyle::State_Editing))) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    const QString text = opt.text;
    opt.text.clear();
    // Beside its decoration, a cell's text does not move the rest (only one under it does):
    // without it the style lays out no empty text either.
    const bool beside = opt.decorationPosition == QStyleOptionViewItem::Left ||
                        opt.decorationPosition == QStyleOptionViewItem::Right;
    const QStyleOptionViewItem::ViewItemFeatures features = opt.features;
    if (beside)
        opt.features &= ~QStyleOptionViewItem::HasDisplay;
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    // As QCommonStylePrivate::viewItemDrawText() and calculateElidedText() place it (the
    // style keeps the geometry of the option it just drew).
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget)
                               .adjusted(margin, 0, -margin, 0);
    opt.text = text;
    opt.features = features;
    std::shared_ptr<const QTextLayout> layout = shaped(opt, text);
    const QTextLine line = layout->lineAt(0);
    const int height = int(std::lround(layout->boundingRect().height()));
    const int top = QStyle::alignedRect(Qt::LayoutDirectionAuto, opt.displayAlignment,
                                        QSize(textRect.width(), height), textRect)
                        .top();
    if (line.height() + top <= textRect.top())
        return; // above the cell: the style draws nothing
    if (line.naturalTextWidth() > textRect.width()) {
        const QString shown = elided(opt, textRect.width());
        if (shown.isEmpty())
            return;
        layout = shaped(opt, shown);
    }

    QPalette::ColorGroup group =
        opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    painter->save();
    painter->setClipRect(opt.rect);
    painter->setPen(opt.palette.color(
        group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    layout->draw(painter, QPointF(textRect.x(), top));
    painter->restore();
}

QSize ShapedTextDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    const QVariant value = index.data(Qt::SizeHintRole);
    if (value.isValid())
        return qvariant_cast<QSize>(value);
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = styleOf(opt);
    // The style measures with its own option (word wrap, the text's own direction): the same
    // line as ours for one line of text that starts left to right.
    if (opt.text.isEmpty() || (opt.features & QStyleOptionViewItem::WrapText) ||
        opt.text.isRightToLeft() || !oneLine(opt.text))
        return style->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), widget);
    QStyleOptionViewItem ltr = opt;
    ltr.direction = Qt::LeftToRight;
    ltr.displayAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    const QTextLine line = shaped(ltr, opt.text)->lineAt(0);
    const QTextLine empty = shaped(ltr, QString())->lineAt(0);
    // The cell without its text is as wide as with it, less the text's width; as tall while
    // the text's line is as tall as an empty one (no taller fallback font).
    const QString text = opt.text;
    opt.text.clear();
    QSize size = style->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), widget);
    if (std::ceil(line.height()) != std::ceil(empty.height())) {
        opt.text = text;
        return style->sizeFromContents(QStyle::CT_ItemViewItem, &opt, QSize(), widget);
    }
    size.rwidth() += int(std::ceil(line.naturalTextWidth()));
    return size;
}

} // namespace Hivelab
