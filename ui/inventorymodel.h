// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QAbstractTableModel>

namespace Hivelab {

class LabDocument;

/// Boards table for the inventory dock, one row per board in lab order.
/// Temporary UI-side model until the shared item model lands in models/; edits are not applied
/// here but requested through editRequested() so the window can make them undoable.
class InventoryModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InventoryModel)
public:
    enum Column {
        Name,
        Model,
        Arch,
        Os,
        Ip,
        Role,
        State,
        Rack,
        Slot,
        Psu,
        SwitchPort,
        ColumnCount
    };
    static constexpr int BoardIdRole = Qt::UserRole + 1;

    explicit InventoryModel(LabDocument *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    int rowOf(const QString &boardId) const;

Q_SIGNALS:
    void editRequested(const Hivelab::Board &after);

private:
    LabDocument *m_document;
};

} // namespace Hivelab
