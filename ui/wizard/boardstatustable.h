// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardstatus.h"
#include "wholerowsview.h"

#include <QStringList>
#include <QTableWidget>

namespace Hivelab {

class LabDocument;

/// Per-board progress table shared by the long wizard steps: board, address, optional
/// page-specific columns, status (icon + text) and details; whole rows only, and a word where
/// the lab has no boards yet. GUI thread.
class BoardStatusTable : public WholeRowsView<QTableWidget>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardStatusTable)
public:
    explicit BoardStatusTable(const QStringList &extraColumns = {}, QWidget *parent = nullptr);

    /// Rebuilds the rows from the document's boards, keeping known statuses.
    void setBoards(const LabDocument *document, const QHash<QString, BoardStatus> &statuses);
    void setStatus(const QString &boardId, const BoardStatus &status);
    /// Shows a board's new name (e.g. learnt from its hostname).
    void setBoardName(const QString &boardId, const QString &name);
    int rowOf(const QString &boardId) const;
    QString boardIdAt(int row) const;
    QStringList boardIds() const;
    int statusColumn() const { return 2 + m_extraColumns; }
    int detailColumn() const { return 3 + m_extraColumns; }
    int firstExtraColumn() const { return 2; }

private:
    int m_extraColumns;
};

} // namespace Hivelab
