// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "shapedtextcache.h"

#include <QHash>
#include <QStyledItemDelegate>

namespace Hivelab {

/// QStyledItemDelegate for views of short one-line texts (the inventory) that shapes each
/// cell's text once per font and text, and measures (sizeHint) and draws it from that layout:
/// the style lays a cell's text out again for every size hint and three times at every paint
/// (its geometry, the elision test, the drawing). Draws the same pixels: the style draws the
/// cell without its text (background, decoration), then the text goes where QCommonStyle puts
/// it, elided as it elides it, in its pen. Cells it does not handle that way (wrapped or
/// several lines, right-to-left or centred, being edited, with the focus frame) are
/// QStyledItemDelegate's. GUI thread.
class ShapedTextDelegate : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShapedTextDelegate)
public:
    explicit ShapedTextDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    struct ElideKey
    {
        QFont font;
        QString text;
        int width = 0;
        int mode = 0;
        bool operator==(const ElideKey &other) const
        {
            return width == other.width && mode == other.mode && text == other.text &&
                   font == other.font;
        }
    };
    friend size_t qHash(const ElideKey &key, size_t seed)
    {
        return qHashMulti(seed, key.font, key.text, key.width, key.mode);
    }

    std::shared_ptr<const QTextLayout> shaped(const QStyleOptionViewItem &option,
                                              const QString &text) const;
    QString elided(const QStyleOptionViewItem &option, int width) const;

    mutable ShapedTextCache m_layouts;
    mutable QHash<ElideKey, QString> m_elided; // by the width it was elided to
};

} // namespace Hivelab
