// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardstatustable.h"

#include "labdocument.h"

#include <QHeaderView>

namespace Hivelab {

BoardStatusTable::BoardStatusTable(const QStringList &extraColumns, QWidget *parent)
    : WholeRowsView<QTableWidget>(parent)
    , m_extraColumns(int(extraColumns.size()))
{
    QStringList headers{tr("Board"), tr("Address")};
    headers += extraColumns;
    headers << tr("Status") << tr("Details");
    setColumnCount(int(headers.size()));
    setHorizontalHeaderLabels(headers);
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    setEmptyHint(tr("No boards in the lab yet: add them on the Discover step."));
}

void BoardStatusTable::setBoards(const LabDocument *document,
                                 const QHash<QString, BoardStatus> &statuses)
{
    const QList<Board> &boards = document->lab().boards;
    setRowCount(int(boards.size()));
    for (int row = 0; row < boards.size(); ++row) {
        const Board &b = boards.at(row);
        auto *name = new QTableWidgetItem(b.name.isEmpty() ? b.id : b.name);
        name->setData(Qt::UserRole, b.id);
        setItem(row, 0, name);
        const QString address = b.sshPort == 22
                                    ? b.sshTarget()
                                    : QStringLiteral("%1:%2").arg(b.sshTarget()).arg(b.sshPort);
        setItem(row, 1, new QTableWidgetItem(address));
        setStatus(b.id, statuses.value(b.id));
    }
    resizeColumnsToContents();
    horizontalHeader()->setStretchLastSection(true);
}

void BoardStatusTable::setStatus(const QString &boardId, const BoardStatus &status)
{
    const int row = rowOf(boardId);
    if (row < 0)
        return;
    setItem(row, statusColumn(),
            new QTableWidgetItem(BoardStatus::icon(status.state), BoardStatus::text(status.state)));
    auto *detail = new QTableWidgetItem(status.detail);
    detail->setToolTip(status.detail);
    setItem(row, detailColumn(), detail);
}

void BoardStatusTable::setBoardName(const QString &boardId, const QString &name)
{
    if (QTableWidgetItem *it = item(rowOf(boardId), 0)) {
        it->setText(name);
        resizeColumnToContents(0);
    }
}

int BoardStatusTable::rowOf(const QString &boardId) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (boardIdAt(row) == boardId)
            return row;
    }
    return -1;
}

QString BoardStatusTable::boardIdAt(int row) const
{
    const QTableWidgetItem *it = item(row, 0);
    return it ? it->data(Qt::UserRole).toString() : QString();
}

QStringList BoardStatusTable::boardIds() const
{
    QStringList ids;
    for (int row = 0; row < rowCount(); ++row)
        ids << boardIdAt(row);
    return ids;
}

} // namespace Hivelab
