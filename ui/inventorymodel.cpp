// SPDX-License-Identifier: GPL-3.0-or-later
#include "inventorymodel.h"

#include "labdocument.h"
#include "theme.h"

#include <QHostAddress>
#include <QMetaEnum>
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

QString stateName(NodeState state)
{
    return QString::fromLatin1(QMetaEnum::fromType<NodeState>().valueToKey(int(state)));
}
} // namespace

InventoryModel::InventoryModel(LabDocument *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    auto reset = [this]() {
        beginResetModel();
        endResetModel();
    };
    connect(m_document, &LabDocument::reset, this, reset);
    connect(m_document, &LabDocument::objectAdded, this, reset);
    connect(m_document, &LabDocument::objectRemoved, this, reset);
    connect(m_document, &LabDocument::objectChanged, this,
            [this](ObjectKind kind, const QString &id) {
                if (kind == ObjectKind::Board) {
                    const int row = rowOf(id);
                    if (row >= 0)
                        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
                } else if (rowCount() > 0) {
                    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
                }
            });
    connect(m_document, &LabDocument::nodeStateChanged, this, [this](const QString &id) {
        const int row = rowOf(id);
        if (row >= 0)
            Q_EMIT dataChanged(index(row, State), index(row, State));
    });
}

int InventoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_document->lab().boards.size());
}

int InventoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int InventoryModel::rowOf(const QString &boardId) const
{
    return m_document->lab().boardIndex(boardId);
}

QVariant InventoryModel::data(const QModelIndex &index, int role) const
{
    const Lab &lab = m_document->lab();
    if (!index.isValid() || index.row() >= lab.boards.size())
        return {};
    const Board &b = lab.boards.at(index.row());
    if (role == BoardIdRole)
        return b.id;
    if (role == Qt::DecorationRole) {
        if (index.column() == Role)
            return dot(Theme::roleColor(b.role));
        if (index.column() == State)
            return dot(Theme::stateColor(m_document->nodeState(b.id)));
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Name)
        return b.notes.isEmpty() ? b.hostname : b.hostname + QLatin1Char('\n') + b.notes;
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Name:
        return b.name;
    case Model:
        return b.model;
    case Arch:
        return b.arch;
    case Os:
        return b.os;
    case Ip:
        return b.ip;
    case Role:
        return roleName(b.role);
    case State:
        return stateName(m_document->nodeState(b.id));
    case Rack: {
        const Hivelab::Rack *r = lab.rack(b.rackId);
        return r ? r->name : QString();
    }
    case Slot:
        return b.slot >= 0 ? QVariant(b.slot + 1) : QVariant();
    case Psu: {
        const PowerSupply *p = lab.powerSupply(b.psuId);
        return p ? p->name : QString();
    }
    case SwitchPort: {
        const NetworkSwitch *s = lab.networkSwitch(b.switchId);
        if (!s)
            return QString();
        return b.switchPort > 0 ? tr("%1 · port %2").arg(s->name).arg(b.switchPort) : s->name;
    }
    default:
        break;
    }
    return {};
}

QVariant InventoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Model:
        return tr("Model");
    case Arch:
        return tr("Arch");
    case Os:
        return tr("OS");
    case Ip:
        return tr("IP");
    case Role:
        return tr("Role");
    case State:
        return tr("State");
    case Rack:
        return tr("Rack");
    case Slot:
        return tr("Slot");
    case Psu:
        return tr("PSU");
    case SwitchPort:
        return tr("Switch port");
    default:
        break;
    }
    return {};
}

Qt::ItemFlags InventoryModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    switch (index.column()) {
    case Name:
    case Os:
    case Ip:
    case Role:
        f |= Qt::ItemIsEditable;
        break;
    default:
        break;
    }
    return f;
}

bool InventoryModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount())
        return false;
    Board b = m_document->lab().boards.at(index.row());
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case Name:
        if (text.isEmpty())
            return false;
        b.name = text;
        break;
    case Os:
        b.os = text;
        break;
    case Ip:
        if (!text.isEmpty() && QHostAddress(text).isNull())
            return false;
        b.ip = text;
        break;
    case Role: {
        Hivelab::Role r;
        if (!roleFromName(text.toLower(), &r))
            return false;
        b.role = r;
        break;
    }
    default:
        return false;
    }
    if (b == m_document->lab().boards.at(index.row()))
        return true;
    Q_EMIT editRequested(b);
    return true;
}

} // namespace Hivelab
