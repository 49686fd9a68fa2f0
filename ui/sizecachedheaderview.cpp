// SPDX-License-Identifier: GPL-3.0-or-later
#include "sizecachedheaderview.h"

namespace Hivelab {

namespace {
int measured = 0;
} // namespace

SizeCachedHeaderView::SizeCachedHeaderView(Qt::Orientation orientation, QWidget *parent)
    : QHeaderView(orientation, parent)
{}

int SizeCachedHeaderView::measuredCount()
{
    return measured;
}

QSize SizeCachedHeaderView::sectionSizeFromContents(int logicalIndex) const
{
    QAbstractItemModel *m = model();
    const Qt::Orientation o = orientation();
    // What QHeaderView measures besides the title: a section with a size, a font or an icon of
    // its own is measured as it is.
    if (!m || m->headerData(logicalIndex, o, Qt::SizeHintRole).isValid() ||
        m->headerData(logicalIndex, o, Qt::FontRole).isValid() ||
        m->headerData(logicalIndex, o, Qt::DecorationRole).isValid()) {
        ++measured;
        return QHeaderView::sectionSizeFromContents(logicalIndex);
    }
    ensurePolished();
    const Look look{font(), style(), logicalDpiY(), isSortIndicatorShown(), layoutDirection()};
    if (!(look == m_look)) {
        m_sizes.clear();
        m_look = look;
    }
    const QString title = m->headerData(logicalIndex, o, Qt::DisplayRole).toString();
    auto it = m_sizes.constFind(logicalIndex);
    if (it != m_sizes.constEnd() && it->title == title)
        return it->size;
    ++measured;
    const QSize size = QHeaderView::sectionSizeFromContents(logicalIndex);
    m_sizes.insert(logicalIndex, {title, size});
    return size;
}

} // namespace Hivelab
