// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QHash>
#include <QPixmap>
#include <QSortFilterProxyModel>

namespace Hivelab {

class BoardTableModel;
class LabDocument;

/// Inventory table on top of the shared BoardTableModel: sortable, role and state shown as
/// coloured dots, and every accepted cell edit reported with the board before and after so
/// the window can record it on the undo stack.
class InventoryProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InventoryProxyModel)
public:
    explicit InventoryProxyModel(LabDocument *document, QObject *parent = nullptr);

    BoardTableModel *boardModel() const { return m_boards; }
    /// Proxy index of a board's cell (invalid for an unknown board).
    QModelIndex indexOf(const QString &boardId, int column) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// The edit is already in the document; before/after let it be undone.
    void edited(const Hivelab::Board &before, const Hivelab::Board &after);

private:
    LabDocument *m_document;
    BoardTableModel *m_boards;
    // The role dots and state LEDs, by what they are drawn from (colours, shape): the view
    // asks for a cell's decoration at every paint and size hint.
    mutable QHash<QString, QPixmap> m_decorations;
};

} // namespace Hivelab
