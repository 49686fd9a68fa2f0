// SPDX-License-Identifier: GPL-3.0-or-later
#include "wrappedlabel.h"

#include <QEvent>

namespace Hivelab {

WrappedLabel::WrappedLabel(const QString &text, QWidget *parent)
    : QLabel(text, parent)
{
    setWordWrap(true);
}

bool WrappedLabel::Look::operator==(const Look &other) const
{
    return text == other.text && alignment == other.alignment && format == other.format &&
           contents == other.contents && frame == other.frame && margin == other.margin &&
           indent == other.indent && wordWrap == other.wordWrap && font == other.font;
}

WrappedLabel::Look WrappedLabel::look() const
{
    return Look{text(),       font(),   alignment(), textFormat(), contentsMargins(),
                frameWidth(), margin(), indent(),    wordWrap()};
}

int WrappedLabel::heightForWidth(int width) const
{
    // A layout bounds a widget's height for a width by its minimum and maximum height
    // (QWidgetItem's heightForWidth and minimumHeightForWidth alike): at a fixed height, that
    // height is the answer at every width, with no text laid out.
    if (minimumHeight() == maximumHeight())
        return minimumHeight();
    Look now = look();
    if (!(now == m_look)) {
        m_look = std::move(now);
        m_heights.clear();
    }
    auto it = m_heights.constFind(width);
    if (it != m_heights.constEnd())
        return *it;
    if (m_heights.size() >= 64) // a window edge dragged: every width seen once
        m_heights.clear();
    ++m_laidOut;
    return *m_heights.insert(width, QLabel::heightForWidth(width));
}

void WrappedLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    // The style decides the frame; the look above does not see it (the font is in the look).
    if (event->type() == QEvent::StyleChange)
        m_heights.clear();
}

} // namespace Hivelab
