// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace Hivelab {

class LabDocument;

/// One row per board of a LabDocument, in document order. Follows the document's signals with
/// fine-grained row inserts/removals and dataChanged; edits (Name, Hostname, IP, Role) go back
/// through LabDocument so every view sees them. GUI (or CLI main) thread, like the document.
class BoardTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardTableModel)
public:
    enum Column {
        NameColumn,
        HostnameColumn,
        ModelColumn,
        ArchColumn,
        OsColumn,
        IpColumn,
        RoleColumn,
        StateColumn,
        RackSlotColumn,
        PsuColumn,
        SwitchPortColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum DataRole {
        BoardIdRole = Qt::UserRole + 1, // QString board ID, for every column
        SortRole, // for QSortFilterProxyModel: IPs numerically, rack/slot in rack order
    };
    Q_ENUM(DataRole)

    explicit BoardTableModel(LabDocument *document, QObject *parent = nullptr);

    LabDocument *document() const { return m_document; }
    /// Row of a board ID, or -1.
    int rowOf(const QString &boardId) const { return int(m_ids.indexOf(boardId)); }
    QString boardIdAt(int row) const { return m_ids.value(row); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    /// Validates (non-empty name, RFC 1123 host name, parseable IP, known role) and applies the
    /// edit through the document; returns false and changes nothing when invalid.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QHash<int, QByteArray> roleNames() const override;

    static QString roleDisplayName(Role role);
    static QString stateDisplayName(NodeState state);

private:
    void onReset();
    void onObjectAdded(Hivelab::ObjectKind kind, const QString &id);
    void onObjectChanged(Hivelab::ObjectKind kind, const QString &id);
    void onObjectRemoved(Hivelab::ObjectKind kind, const QString &id);
    void onNodeStateChanged(const QString &boardId);
    void columnChanged(int column);
    void rowChanged(int row);
    QString displayText(const Board &b, int column) const;
    QString toolTip(const Board &b, int column) const;
    QVariant sortKey(const Board &b, int column) const;

    QPointer<LabDocument> m_document;
    // Board IDs in row order. The document signals after it has changed, so the rows
    // the views know about are kept here until begin/end*Rows have been announced.
    QStringList m_ids;
};

} // namespace Hivelab
