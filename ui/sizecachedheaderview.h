// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHeaderView>
#include <QPointer>

namespace Hivelab {

/// A QHeaderView that measures each section's title once: QHeaderView measures every title
/// again (in bold, shaping it anew) each time its own size hint is asked for after a change of
/// sections, and a table asks for it at each change of its geometry: a dozen times for the
/// inventory's eleven titles before the window's first frame. A size is kept while its
/// section's title, the header's font, style and resolution and whether it shows a sort
/// indicator stay the same; sections with a font, an icon or a size of their own in the model
/// are measured each time. GUI thread.
class SizeCachedHeaderView : public QHeaderView
{
public:
    explicit SizeCachedHeaderView(Qt::Orientation orientation, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SizeCachedHeaderView)

    /// Sections measured by QHeaderView since the program started (tests).
    static int measuredCount();

protected:
    QSize sectionSizeFromContents(int logicalIndex) const override;

private:
    struct Look
    {
        QFont font;
        QPointer<QStyle> style;
        int dpi = 0;
        bool sortIndicator = false;
        Qt::LayoutDirection direction = Qt::LeftToRight;
        bool operator==(const Look &other) const
        {
            return style == other.style && dpi == other.dpi &&
                   sortIndicator == other.sortIndicator && direction == other.direction &&
                   font == other.font;
        }
    };
    struct Measured
    {
        QString title;
        QSize size;
    };
    mutable Look m_look;
    mutable QHash<int, Measured> m_sizes; // by logical index
};

} // namespace Hivelab
