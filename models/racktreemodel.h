// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QAbstractItemModel>
#include <QPointer>

namespace Hivelab {

class LabDocument;

/// Racks in document order, each with its power supplies, switches, then boards in slot order;
/// a last "Unplaced" group holds everything without a (valid) rack. Follows the document:
/// moves between racks are row removals/insertions, adding or removing a rack resets the
/// model. Read-only. GUI (or CLI main) thread, like the document.
class RackTreeModel : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RackTreeModel)
public:
    enum Column { NameColumn, DetailsColumn, ColumnCount };
    Q_ENUM(Column)

    enum DataRole {
        ObjectIdRole = Qt::UserRole + 1, // QString; invalid for the Unplaced group
        ObjectKindRole,                  // Hivelab::ObjectKind; invalid for the Unplaced group
        UnplacedGroupRole,               // bool: this is the Unplaced group row
    };
    Q_ENUM(DataRole)

    explicit RackTreeModel(LabDocument *document, QObject *parent = nullptr);

    LabDocument *document() const { return m_document; }
    /// Index (column 0) of a rack, PSU, switch or board, or invalid.
    QModelIndex indexOf(ObjectKind kind, const QString &id) const;
    QModelIndex unplacedIndex() const;

    QModelIndex index(int row, int column,
                      const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Item
    {
        ObjectKind kind;
        QString id;
        bool operator==(const Item &o) const { return kind == o.kind && id == o.id; }
    };
    struct Group
    {
        QString rackId; // empty: the Unplaced group
        QList<Item> children;
        bool operator==(const Group &o) const
        {
            return rackId == o.rackId && children == o.children;
        }
    };

    QList<Group> buildGroups() const;
    void resync(ObjectKind kind, const QString &id);
    void syncChildren(int groupRow, const QList<Item> &wanted);
    void fullReset();
    QString displayText(const QModelIndex &index) const;
    QString detailsText(const QModelIndex &index) const;

    QPointer<LabDocument> m_document;
    // Snapshot of the tree the views know; compared with the document after each signal.
    QList<Group> m_groups;
};

} // namespace Hivelab
