// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardtablemodel.h"

#include "addressrules.h"
#include "boardcatalog.h"
#include "labdocument.h"

#include <limits>

namespace Hivelab {

BoardTableModel::BoardTableModel(LabDocument *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    Q_ASSERT(document);
    for (const Board &b : document->lab().boards)
        m_ids.append(b.id);
    connect(document, &LabDocument::reset, this, &BoardTableModel::onReset);
    connect(document, &LabDocument::objectAdded, this, &BoardTableModel::onObjectAdded);
    connect(document, &LabDocument::objectChanged, this, &BoardTableModel::onObjectChanged);
    connect(document, &LabDocument::objectRemoved, this, &BoardTableModel::onObjectRemoved);
    connect(document, &LabDocument::nodeStateChanged, this, &BoardTableModel::onNodeStateChanged);
    connect(document, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_ids.clear();
        endResetModel();
    });
}

int BoardTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int BoardTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BoardTableModel::roleDisplayName(Role role)
{
    switch (role) {
    case Role::Manager:
        return tr("Manager");
    case Role::Worker:
        return tr("Worker");
    case Role::Unassigned:
        break;
    }
    return tr("Unassigned");
}

QString BoardTableModel::stateDisplayName(NodeState state)
{
    switch (state) {
    case NodeState::Offline:
        return tr("Offline");
    case NodeState::Reachable:
        return tr("Reachable");
    case NodeState::DockerReady:
        return tr("Docker ready");
    case NodeState::SwarmReady:
        return tr("In swarm");
    case NodeState::SwarmDown:
        return tr("Swarm down");
    case NodeState::Unknown:
        break;
    }
    return tr("Unknown");
}

QString BoardTableModel::displayText(const Board &b, int column) const
{
    const Lab &lab = m_document->lab();
    switch (column) {
    case NameColumn:
        return b.name;
    case HostnameColumn:
        return b.hostname;
    case ModelColumn: {
        return BoardCatalog::builtin().displayName(b.model);
    }
    case ArchColumn:
        return b.arch;
    case OsColumn:
        return b.os;
    case IpColumn:
        return b.ip.isEmpty() && b.addressing == Addressing::Dhcp ? tr("DHCP") : b.ip;
    case RoleColumn:
        return roleDisplayName(b.role);
    case StateColumn: {
        QString state = stateDisplayName(m_document->nodeState(b.id));
        if (m_document->swarmLeader() == b.id)
            state = tr("%1, leader").arg(state);
        const QString availability = m_document->nodeAvailability(b.id);
        if (availability == QLatin1String("drain"))
            return tr("%1, drained").arg(state);
        if (availability == QLatin1String("pause"))
            return tr("%1, paused").arg(state);
        return state;
    }
    case RackSlotColumn: {
        const Rack *rack = lab.rack(b.rackId);
        if (!rack)
            return tr("Unplaced");
        // Slots are 0-based in the model, 1-based for people.
        return b.slot >= 0 ? tr("%1 / %2").arg(rack->name).arg(b.slot + 1) : rack->name;
    }
    case PsuColumn: {
        const PowerSupply *psu = lab.powerSupply(b.psuId);
        return psu ? psu->name : QString();
    }
    case SwitchPortColumn: {
        const NetworkSwitch *sw = lab.networkSwitch(b.switchId);
        if (!sw)
            return QString();
        return b.switchPort > 0 ? tr("%1 / port %2").arg(sw->name).arg(b.switchPort) : sw->name;
    }
    default:
        break;
    }
    return QString();
}

QString BoardTableModel::toolTip(const Board &b, int column) const
{
    if (column == ModelColumn) {
        if (const BoardModelInfo *m = BoardCatalog::builtin().model(b.model))
            return tr("%1 (%2, %3)\n%4 W typical, %5 W peak at %6 V\nBoots from: %7")
                .arg(BoardCatalog::builtin().displayName(m->id), m->vendor, m->arch)
                .arg(m->typicalWatts(), 0, 'f', 1)
                .arg(m->peakWatts(), 0, 'f', 1)
                .arg(m->volts)
                .arg(m->bootMedia.join(QStringLiteral(", ")));
        return tr("Board model \"%1\" is not in the catalog").arg(b.model);
    }
    if (column == OsColumn && !b.os.isEmpty())
        return b.os; // in full where the column elides it
    if (column == IpColumn)
        return b.addressing == Addressing::Static ? tr("Static address") : tr("Address from DHCP");
    QStringList lines;
    lines.append(tr("%1 (ID %2)").arg(b.name, b.id));
    if (!b.mac.isEmpty())
        lines.append(tr("MAC %1").arg(b.mac));
    const QString target = b.sshTarget();
    if (!target.isEmpty())
        lines.append(
            tr("SSH %1%2:%3")
                .arg(b.sshUser.isEmpty() ? QString() : b.sshUser + QLatin1Char('@'), target)
                .arg(b.sshPort));
    for (const StorageDevice &d : b.storage)
        lines.append(tr("Storage %1 (%2 GB)").arg(d.name).arg(d.sizeBytes / 1000000000));
    if (!b.notes.isEmpty())
        lines.append(b.notes);
    return lines.join(QLatin1Char('\n'));
}

QVariant BoardTableModel::sortKey(const Board &b, int column) const
{
    switch (column) {
    case IpColumn: {
        // Zero-padded octets sort 10.77.0.9 before 10.77.0.10; IPv6 and empty sort after.
        const QStringList octets = b.ip.split(QLatin1Char('.'));
        if (octets.size() != 4)
            return QStringLiteral("~") + b.ip;
        QString key;
        for (const QString &o : octets)
            key += o.rightJustified(3, QLatin1Char('0'));
        return key;
    }
    case RoleColumn:
        return int(b.role);
    case StateColumn:
        return int(m_document->nodeState(b.id));
    case RackSlotColumn: {
        const int rack = m_document->lab().rackIndex(b.rackId);
        // Unplaced boards last.
        return qint64(rack < 0 ? std::numeric_limits<int>::max() : rack) * 100000 + b.slot + 1;
    }
    case SwitchPortColumn:
        return displayText(b, column).section(QStringLiteral(" / port "), 0, 0) + QLatin1Char('/') +
               QString::number(b.switchPort + 1).rightJustified(5, QLatin1Char('0'));
    default:
        return displayText(b, column).toLower();
    }
}

QVariant BoardTableModel::data(const QModelIndex &index, int role) const
{
    if (!m_document || !index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return QVariant();
    const QString &id = m_ids.at(index.row());
    if (role == BoardIdRole)
        return id;
    const Board *b = m_document->lab().board(id);
    if (!b)
        return QVariant();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*b, index.column());
    case Qt::EditRole:
        switch (index.column()) {
        case IpColumn:
            return b->ip;
        case RoleColumn:
            return roleName(b->role);
        case ModelColumn:
            return b->model;
        default:
            return displayText(*b, index.column());
        }
    case Qt::ToolTipRole:
        return toolTip(*b, index.column());
    case SortRole:
        return sortKey(*b, index.column());
    default:
        break;
    }
    return QVariant();
}

QVariant BoardTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case HostnameColumn:
        return tr("Hostname");
    case ModelColumn:
        return tr("Model");
    case ArchColumn:
        return tr("Arch");
    case OsColumn:
        return tr("OS");
    case IpColumn:
        return tr("IP");
    case RoleColumn:
        return tr("Role");
    case StateColumn:
        return tr("State");
    case RackSlotColumn:
        return tr("Rack / Slot");
    case PsuColumn:
        return tr("PSU");
    case SwitchPortColumn:
        return tr("Switch port");
    default:
        break;
    }
    return QVariant();
}

Qt::ItemFlags BoardTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    switch (index.column()) {
    case NameColumn:
    case HostnameColumn:
    case IpColumn:
    case RoleColumn:
        f |= Qt::ItemIsEditable;
        break;
    default:
        break;
    }
    return f;
}

bool BoardTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_document || role != Qt::EditRole || !index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid) || !(flags(index) & Qt::ItemIsEditable))
        return false;
    const Board *current = m_document->lab().board(m_ids.at(index.row()));
    if (!current)
        return false;
    Board b = *current;
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case NameColumn:
        if (text.isEmpty())
            return false;
        b.name = text;
        break;
    case HostnameColumn:
        if (!text.isEmpty() && !AddressRules::isValidHostname(text))
            return false;
        b.hostname = text;
        break;
    case IpColumn:
        if (!text.isEmpty() && !AddressRules::isValidIpAddress(text))
            return false;
        b.ip = text;
        break;
    case RoleColumn: {
        Role r = b.role;
        if (value.metaType() == QMetaType::fromType<Role>()) {
            r = value.value<Role>();
        } else if (!roleFromName(text.toLower(), &r)) {
            bool matched = false;
            for (Role candidate : {Role::Unassigned, Role::Manager, Role::Worker}) {
                if (text.compare(roleDisplayName(candidate), Qt::CaseInsensitive) == 0) {
                    r = candidate;
                    matched = true;
                }
            }
            if (!matched)
                return false;
        }
        m_document->setRole(b.id, r);
        return true;
    }
    default:
        return false;
    }
    m_document->updateBoard(b);
    return true;
}

QHash<int, QByteArray> BoardTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(BoardIdRole, "boardId");
    names.insert(SortRole, "sortKey");
    return names;
}

void BoardTableModel::onReset()
{
    beginResetModel();
    m_ids.clear();
    for (const Board &b : m_document->lab().boards)
        m_ids.append(b.id);
    endResetModel();
}

void BoardTableModel::onObjectAdded(ObjectKind kind, const QString &id)
{
    if (kind != ObjectKind::Board) {
        // A new rack/PSU/switch can resolve a reference boards already held.
        columnChanged(kind == ObjectKind::Rack          ? RackSlotColumn
                      : kind == ObjectKind::PowerSupply ? PsuColumn
                                                        : SwitchPortColumn);
        return;
    }
    const int docIndex = m_document->lab().boardIndex(id);
    if (docIndex < 0 || m_ids.contains(id))
        return;
    const int row = std::min(docIndex, int(m_ids.size()));
    beginInsertRows(QModelIndex(), row, row);
    m_ids.insert(row, id);
    endInsertRows();
}

void BoardTableModel::onObjectChanged(ObjectKind kind, const QString &id)
{
    switch (kind) {
    case ObjectKind::Board:
        rowChanged(rowOf(id));
        break;
    case ObjectKind::Rack:
        columnChanged(RackSlotColumn);
        break;
    case ObjectKind::PowerSupply:
        columnChanged(PsuColumn);
        break;
    case ObjectKind::Switch:
        columnChanged(SwitchPortColumn);
        break;
    }
}

void BoardTableModel::onObjectRemoved(ObjectKind kind, const QString &id)
{
    if (kind != ObjectKind::Board) {
        onObjectChanged(kind, id);
        return;
    }
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_ids.removeAt(row);
    endRemoveRows();
}

void BoardTableModel::onNodeStateChanged(const QString &boardId)
{
    const int row = rowOf(boardId);
    if (row < 0)
        return;
    const QModelIndex i = index(row, StateColumn);
    Q_EMIT dataChanged(i, i, {Qt::DisplayRole, Qt::EditRole});
}

void BoardTableModel::columnChanged(int column)
{
    if (m_ids.isEmpty())
        return;
    Q_EMIT dataChanged(index(0, column), index(int(m_ids.size()) - 1, column));
}

void BoardTableModel::rowChanged(int row)
{
    if (row < 0)
        return;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Hivelab
