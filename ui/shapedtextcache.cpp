// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapedtextcache.h"

namespace Hivelab {

namespace {
int shaped = 0;
} // namespace

bool ShapedTextCache::Key::operator==(const Key &other) const
{
    return dpi == other.dpi && alignment == other.alignment && wrap == other.wrap &&
           direction == other.direction && flags == other.flags && tabStop == other.tabStop &&
           text == other.text && font == other.font;
}

size_t qHash(const ShapedTextCache::Key &key, size_t seed = 0)
{
    return qHashMulti(seed, key.font, key.dpi, key.alignment, key.wrap, key.direction, key.flags,
                      key.text);
}

std::shared_ptr<const QTextLayout>
ShapedTextCache::line(const QFont &font, int dpi, const QTextOption &option, const QString &text)
{
    Key key{font,
            dpi,
            int(option.alignment()),
            int(option.wrapMode()),
            int(option.textDirection()),
            int(option.flags()),
            option.tabStopDistance(),
            text};
    std::shared_ptr<QTextLayout> &layout = m_layouts[key];
    if (layout)
        return layout;
    if (m_layouts.size() > m_capacity) {
        m_layouts.clear(); // bounded: texts come and go with labs
        return line(font, dpi, option, text);
    }
    ++shaped;
    layout = std::make_shared<QTextLayout>(text, font);
    layout->setTextOption(option);
    layout->setCacheEnabled(true); // keeps the glyphs after a draw
    layout->beginLayout();
    QTextLine first = layout->createLine();
    first.setLineWidth(0x01000000);
    first.setPosition(QPointF(0, 0));
    layout->endLayout();
    return layout;
}

int ShapedTextCache::shapedCount()
{
    return shaped;
}

} // namespace Hivelab
