// SPDX-License-Identifier: GPL-3.0-or-later
#include "racktreemodel.h"

#include "boardcatalog.h"
#include "boardtablemodel.h"
#include "labdocument.h"
#include "labindex.h"

#include <algorithm>

namespace Hivelab {

namespace {
// internalId of an index: 0 for a group row, group row + 1 for a child.
constexpr quintptr GroupId = 0;
} // namespace

RackTreeModel::RackTreeModel(LabDocument *document, QObject *parent)
    : QAbstractItemModel(parent)
    , m_document(document)
{
    Q_ASSERT(document);
    m_groups = buildGroups();
    connect(document, &LabDocument::reset, this, &RackTreeModel::fullReset);
    connect(document, &LabDocument::objectAdded, this, &RackTreeModel::resync);
    connect(document, &LabDocument::objectChanged, this, &RackTreeModel::resync);
    connect(document, &LabDocument::objectRemoved, this, &RackTreeModel::resync);
    connect(document, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_groups.clear();
        endResetModel();
    });
}

QList<RackTreeModel::Group> RackTreeModel::buildGroups() const
{
    QList<Group> groups;
    if (!m_document)
        return groups;
    const Lab &lab = m_document->lab();
    const LabIndex index(lab); // per-rack scans of every list made 20,000 racks hang the window
    for (const Rack &rack : lab.racks) {
        Group g;
        g.rackId = rack.id;
        for (int i : index.suppliesInRack(rack.id))
            g.children.append({ObjectKind::PowerSupply, lab.powerSupplies.at(i).id});
        for (int i : index.switchesInRack(rack.id))
            g.children.append({ObjectKind::Switch, lab.switches.at(i).id});
        QList<const Board *> boards;
        for (int i : index.boardsInRack(rack.id))
            boards.append(&lab.boards.at(i));
        // Slot order; boards without a slot go last. Stable keeps document order for ties.
        std::stable_sort(boards.begin(), boards.end(), [](const Board *a, const Board *b) {
            const int sa = a->slot < 0 ? std::numeric_limits<int>::max() : a->slot;
            const int sb = b->slot < 0 ? std::numeric_limits<int>::max() : b->slot;
            return sa < sb;
        });
        for (const Board *b : boards)
            g.children.append({ObjectKind::Board, b->id});
        groups.append(g);
    }
    Group unplaced;
    for (const PowerSupply &p : lab.powerSupplies) {
        if (!index.rack(p.rackId))
            unplaced.children.append({ObjectKind::PowerSupply, p.id});
    }
    for (const NetworkSwitch &s : lab.switches) {
        if (!index.rack(s.rackId))
            unplaced.children.append({ObjectKind::Switch, s.id});
    }
    for (const Board &b : lab.boards) {
        if (!index.rack(b.rackId))
            unplaced.children.append({ObjectKind::Board, b.id});
    }
    groups.append(unplaced);
    return groups;
}

void RackTreeModel::fullReset()
{
    beginResetModel();
    m_groups = buildGroups();
    endResetModel();
}

void RackTreeModel::syncChildren(int groupRow, const QList<Item> &wanted)
{
    QList<Item> &have = m_groups[groupRow].children;
    if (have == wanted)
        return;
    const QModelIndex parent = index(groupRow, 0);
    // One item more or less (add, remove, move to another rack): announce just that row.
    const bool oneMore = wanted.size() == have.size() + 1;
    const bool oneLess = have.size() == wanted.size() + 1;
    if (oneMore || oneLess) {
        const QList<Item> &longer = oneMore ? wanted : have;
        const QList<Item> &shorter = oneMore ? have : wanted;
        int at = 0;
        while (at < shorter.size() && shorter.at(at) == longer.at(at))
            ++at;
        if (std::equal(shorter.begin() + at, shorter.end(), longer.begin() + at + 1)) {
            if (oneMore) {
                beginInsertRows(parent, at, at);
                have.insert(at, wanted.at(at));
                endInsertRows();
            } else {
                beginRemoveRows(parent, at, at);
                have.removeAt(at);
                endRemoveRows();
            }
            return;
        }
    }
    if (!have.isEmpty()) {
        beginRemoveRows(parent, 0, int(have.size()) - 1);
        have.clear();
        endRemoveRows();
    }
    if (!wanted.isEmpty()) {
        beginInsertRows(parent, 0, int(wanted.size()) - 1);
        have = wanted;
        endInsertRows();
    }
}

void RackTreeModel::resync(ObjectKind kind, const QString &id)
{
    const QList<Group> wanted = buildGroups();
    bool sameGroups = wanted.size() == m_groups.size();
    for (int i = 0; sameGroups && i < wanted.size(); ++i)
        sameGroups = wanted.at(i).rackId == m_groups.at(i).rackId;
    if (!sameGroups) {
        fullReset();
        return;
    }
    for (int i = 0; i < wanted.size(); ++i)
        syncChildren(i, wanted.at(i).children);
    // Names and details may have changed in place; group details count their children.
    const QModelIndex changed = indexOf(kind, id);
    if (changed.isValid()) {
        Q_EMIT dataChanged(changed, changed.siblingAtColumn(DetailsColumn));
        const QModelIndex group = changed.parent();
        if (group.isValid())
            Q_EMIT dataChanged(group, group.siblingAtColumn(DetailsColumn));
    }
}

QModelIndex RackTreeModel::indexOf(ObjectKind kind, const QString &id) const
{
    for (int g = 0; g < m_groups.size(); ++g) {
        if (kind == ObjectKind::Rack && m_groups.at(g).rackId == id)
            return index(g, 0);
        const int row = int(m_groups.at(g).children.indexOf(Item{kind, id}));
        if (row >= 0)
            return createIndex(row, 0, quintptr(g + 1));
    }
    return QModelIndex();
}

QModelIndex RackTreeModel::unplacedIndex() const
{
    return m_groups.isEmpty() ? QModelIndex() : index(int(m_groups.size()) - 1, 0);
}

QModelIndex RackTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return QModelIndex();
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, GroupId) : QModelIndex();
    if (parent.internalId() != GroupId || parent.row() >= m_groups.size())
        return QModelIndex();
    if (row >= m_groups.at(parent.row()).children.size())
        return QModelIndex();
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex RackTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == GroupId)
        return QModelIndex();
    return createIndex(int(child.internalId() - 1), 0, GroupId);
}

int RackTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0 || parent.internalId() != GroupId || parent.row() >= m_groups.size())
        return 0;
    return int(m_groups.at(parent.row()).children.size());
}

int RackTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString RackTreeModel::displayText(const QModelIndex &index) const
{
    const Lab &lab = m_document->lab();
    if (index.internalId() == GroupId) {
        const Rack *rack = lab.rack(m_groups.at(index.row()).rackId);
        return rack ? rack->name : tr("Unplaced");
    }
    const Item &item = m_groups.at(int(index.internalId() - 1)).children.at(index.row());
    switch (item.kind) {
    case ObjectKind::PowerSupply:
        if (const PowerSupply *p = lab.powerSupply(item.id))
            return p->name;
        break;
    case ObjectKind::Switch:
        if (const NetworkSwitch *s = lab.networkSwitch(item.id))
            return s->name;
        break;
    case ObjectKind::Board:
        if (const Board *b = lab.board(item.id))
            return b->name;
        break;
    case ObjectKind::Rack:
        break;
    }
    return QString();
}

QString RackTreeModel::detailsText(const QModelIndex &index) const
{
    const Lab &lab = m_document->lab();
    if (index.internalId() == GroupId) {
        const Group &g = m_groups.at(index.row());
        const Rack *rack = lab.rack(g.rackId);
        if (!rack)
            return g.children.size() == 1 ? tr("1 object")
                                          : tr("%1 objects").arg(g.children.size());
        int used = 0;
        for (const Item &item : g.children) {
            const Board *b = item.kind == ObjectKind::Board ? lab.board(item.id) : nullptr;
            used += b && b->slot >= 0 ? 1 : 0;
        }
        // No "%n" plurals: without a loaded translator they would print as "slot(s)".
        return rack->slotCount == 1 ? tr("%1 of 1 slot used").arg(used)
                                    : tr("%1 of %2 slots used").arg(used).arg(rack->slotCount);
    }
    const Item &item = m_groups.at(int(index.internalId() - 1)).children.at(index.row());
    switch (item.kind) {
    case ObjectKind::PowerSupply:
        if (const PowerSupply *p = lab.powerSupply(item.id)) {
            const QString watts = tr("%1 W").arg(p->effectiveWatts());
            return p->circuit.isEmpty() ? watts : tr("%1, circuit %2").arg(watts, p->circuit);
        }
        break;
    case ObjectKind::Switch:
        if (const NetworkSwitch *s = lab.networkSwitch(item.id))
            return s->ports == 1 ? tr("1 port") : tr("%1 ports").arg(s->ports);
        break;
    case ObjectKind::Board:
        if (const Board *b = lab.board(item.id)) {
            QStringList parts;
            if (b->slot >= 0)
                parts.append(tr("Slot %1").arg(b->slot + 1));
            parts.append(BoardTableModel::roleDisplayName(b->role));
            parts.append(BoardCatalog::builtin().displayName(b->model));
            return parts.join(QStringLiteral(" · "));
        }
        break;
    case ObjectKind::Rack:
        break;
    }
    return QString();
}

QVariant RackTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_document || !index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const bool isGroup = index.internalId() == GroupId;
    const bool isUnplaced = isGroup && m_groups.at(index.row()).rackId.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == NameColumn ? displayText(index) : detailsText(index);
    case Qt::ToolTipRole:
        return displayText(index) + QLatin1Char('\n') + detailsText(index);
    case ObjectIdRole:
        if (isUnplaced)
            return QVariant();
        return isGroup ? m_groups.at(index.row()).rackId
                       : m_groups.at(int(index.internalId() - 1)).children.at(index.row()).id;
    case ObjectKindRole:
        if (isUnplaced)
            return QVariant();
        return QVariant::fromValue(
            isGroup ? ObjectKind::Rack
                    : m_groups.at(int(index.internalId() - 1)).children.at(index.row()).kind);
    case UnplacedGroupRole:
        return isUnplaced;
    default:
        break;
    }
    return QVariant();
}

QVariant RackTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn:
        return tr("Name");
    case DetailsColumn:
        return tr("Details");
    default:
        break;
    }
    return QVariant();
}

Qt::ItemFlags RackTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (index.internalId() != GroupId)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QHash<int, QByteArray> RackTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(ObjectIdRole, "objectId");
    names.insert(ObjectKindRole, "objectKind");
    names.insert(UnplacedGroupRole, "unplacedGroup");
    return names;
}

} // namespace Hivelab
