// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemView>
#include <QPainter>

#include <utility>

namespace Hivelab {

/// An item view (QTableWidget, QTableView, QTreeWidget…) that never shows a half-cut last row
/// and can say why it is empty. GUI thread.
///
/// Where the rows do not fit, the viewport ends above the row the bottom edge would cut (the
/// strip left is the view's own background); scrolling brings that row in whole. The view
/// keeps its scroll range: only the part of a row that was cut anyway goes.
template <class View> class WholeRowsView : public View
{
public:
    template <typename... Args>
    explicit WholeRowsView(Args &&...args)
        : View(std::forward<Args>(args)...)
    {
        // The strip under the last whole row looks like the rest of the empty viewport.
        this->setBackgroundRole(QPalette::Base);
        this->setAutoFillBackground(true);
    }

    /// Drawn in the middle of the view while it has no rows (empty: nothing).
    void setEmptyHint(const QString &hint)
    {
        m_emptyHint = hint;
        this->viewport()->update();
    }
    QString emptyHint() const { return m_emptyHint; }
    /// Whether the hint shows now.
    bool showsEmptyHint() const
    {
        return !m_emptyHint.isEmpty() && this->model() &&
               this->model()->rowCount(this->rootIndex()) == 0;
    }
    /// Pixels under the last whole row that the viewport leaves out (0: no row is cut).
    int trimmedHeight() const { return m_trim; }

protected:
    void updateGeometries() override
    {
        // Our own margin change resizes the viewport, which lands here again: the view's
        // layout (scroll range, headers) is the same for a viewport shorter by part of a row.
        if (m_trimming)
            return;
        View::updateGeometries(); // sets the header margins, the bottom one back to 0
        trimPartialRow();
    }

    void scrollContentsBy(int dx, int dy) override
    {
        View::scrollContentsBy(dx, dy);
        if (dy != 0)
            trimPartialRow(); // rows of different heights cut differently at each position
    }

    void paintEvent(QPaintEvent *event) override
    {
        View::paintEvent(event);
        if (!showsEmptyHint())
            return;
        QPainter painter(this->viewport());
        painter.setPen(this->palette().color(QPalette::PlaceholderText));
        painter.drawText(this->viewport()->rect().adjusted(16, 16, -16, -16),
                         Qt::AlignCenter | Qt::TextWordWrap, m_emptyHint);
    }

private:
    void trimPartialRow()
    {
        const QMargins margins = this->viewportMargins();
        // The height the rows could have: the viewport plus what a trim left out (the views
        // use the bottom margin for nothing else).
        const int height = this->viewport()->height() + margins.bottom();
        int trim = 0;
        const QModelIndex cut = this->indexAt(QPoint(0, height - 1));
        if (cut.isValid()) {
            const QRect row = this->visualRect(cut);
            // A row taller than the whole view stays, cut or not.
            if (row.bottom() >= height && row.top() > 0)
                trim = height - row.top();
        }
        m_trim = trim;
        if (margins.bottom() == trim)
            return;
        m_trimming = true;
        this->setViewportMargins(margins.left(), margins.top(), margins.right(), trim);
        m_trimming = false;
    }

    QString m_emptyHint;
    int m_trim = 0;
    bool m_trimming = false;
};

} // namespace Hivelab
