// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QHash>
#include <QTextLayout>
#include <QTextOption>

#include <memory>

namespace Hivelab {

/// One-line text layouts shaped once per font, text option and text, and kept: shaping
/// (HarfBuzz) is most of what measuring or drawing a short text costs once its glyphs are
/// cached, and painters shape again at every drawText(). Bounded: past its capacity it starts
/// again. GUI thread.
class ShapedTextCache
{
public:
    explicit ShapedTextCache(qsizetype capacity = 4096)
        : m_capacity(capacity)
    {}

    /// `text` laid out as one line at (0, 0) in `font` with `option`, no line width limit (a
    /// line breaks only at a line separator). `dpi` tells apart fonts bound to devices of
    /// different resolutions, which QFont's == does not (0 for a font bound to none); the
    /// layout is made with `font` as given. Drawing it draws what a QTextLayout of the same
    /// text, font and option draws, left aligned.
    std::shared_ptr<const QTextLayout> line(const QFont &font, int dpi, const QTextOption &option,
                                            const QString &text);
    /// Layouts shaped by all caches since the program started (tests).
    static int shapedCount();

private:
    struct Key
    {
        QFont font;
        int dpi = 0;
        int alignment = 0;
        int wrap = 0;
        int direction = 0;
        int flags = 0;
        qreal tabStop = 0;
        QString text;
        bool operator==(const Key &other) const;
    };
    friend size_t qHash(const Key &key, size_t seed);

    QHash<Key, std::shared_ptr<QTextLayout>> m_layouts;
    qsizetype m_capacity;
};

} // namespace Hivelab
