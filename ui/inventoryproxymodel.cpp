// SPDX-License-Identifier: GPL-3.0-or-later
#include "inventoryproxymodel.h"

#include "boardtablemodel.h"
#include "labdocument.h"
#include "theme.h"

#include <QPainter>
#include <QPixmap>

namespace Hivelab {

namespace {
QPixmap dot(const QColor &colour)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return pm;
}
QPixmap led(NodeState state, bool drainedOrPaused)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    Theme::drawStateLed(&p, QPointF(6, 6), 4.5, state, drainedOrPaused);
    return pm;
}
} // namespace

InventoryProxyModel::InventoryProxyModel(LabDocument *document, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_document(document)
    , m_boards(new BoardTableModel(document, this))
{
    setSourceModel(m_boards);
    setSortRole(BoardTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

QModelIndex InventoryProxyModel::indexOf(const QString &boardId, int column) const
{
    const int row = m_boards->rowOf(boardId);
    if (row < 0)
        return {};
    return mapFromSource(m_boards->index(row, column));
}

QVariant InventoryProxyModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DecorationRole && index.isValid()) {
        const QString id = index.data(BoardTableModel::BoardIdRole).toString();
        if (index.column() == BoardTableModel::RoleColumn) {
            if (const Board *b = m_document->lab().board(id)) {
                const QColor colour = Theme::roleColor(b->role);
                const QString key = QLatin1String("dot ") + colour.name(QColor::HexArgb);
                auto it = m_decorations.constFind(key);
                if (it == m_decorations.constEnd())
                    it = m_decorations.insert(key, dot(colour));
                return *it;
            }
        } else if (index.column() == BoardTableModel::StateColumn) {
            const QString availability = m_document->nodeAvailability(id);
            const NodeState state = m_document->nodeState(id);
            const bool drained =
                availability == QLatin1String("drain") || availability == QLatin1String("pause");
            // drawStateLed() draws with the state's colour and the text colour.
            const QString key = QStringLiteral("led %1 %2 %3 %4")
                                    .arg(int(state))
                                    .arg(int(drained))
                                    .arg(Theme::stateColor(state).name(QColor::HexArgb),
                                         Theme::text().name(QColor::HexArgb));
            auto it = m_decorations.constFind(key);
            if (it == m_decorations.constEnd())
                it = m_decorations.insert(key, led(state, drained));
            return *it;
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

bool InventoryProxyModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const QString id = index.data(BoardTableModel::BoardIdRole).toString();
    const Board *current = m_document->lab().board(id);
    if (!current)
        return false;
    const Board before = *current;
    if (!QSortFilterProxyModel::setData(index, value, role))
        return false;
    if (const Board *after = m_document->lab().board(id); after && *after != before)
        Q_EMIT edited(before, *after);
    return true;
}

} // namespace Hivelab
