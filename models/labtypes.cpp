// SPDX-License-Identifier: GPL-3.0-or-later
#include "labtypes.h"

#include <QSet>

namespace Hivelab {

namespace {
template<typename T>
const T *findById(const QList<T> &list, const QString &id)
{
    for (const T &item : list) {
        if (item.id == id)
            return &item;
    }
    return nullptr;
}

template<typename T>
int indexById(const QList<T> &list, const QString &id)
{
    for (int i = 0; i < list.size(); ++i) {
        if (list.at(i).id == id)
            return i;
    }
    return -1;
}
} // namespace

const Rack *Lab::rack(const QString &id) const { return findById(racks, id); }
const PowerSupply *Lab::powerSupply(const QString &id) const { return findById(powerSupplies, id); }
const NetworkSwitch *Lab::networkSwitch(const QString &id) const { return findById(switches, id); }
const Board *Lab::board(const QString &id) const { return findById(boards, id); }

Board *Lab::board(const QString &id)
{
    const int i = indexById(boards, id);
    return i < 0 ? nullptr : &boards[i];
}

int Lab::rackIndex(const QString &id) const { return indexById(racks, id); }
int Lab::boardIndex(const QString &id) const { return indexById(boards, id); }

const Board *Lab::boardAt(const QString &rackId, int slot) const
{
    for (const Board &b : boards) {
        if (b.rackId == rackId && b.slot == slot)
            return &b;
    }
    return nullptr;
}

QList<const Board *> Lab::managers() const
{
    QList<const Board *> out;
    for (const Board &b : boards) {
        if (b.role == Role::Manager)
            out.append(&b);
    }
    return out;
}

QString Lab::uniqueId(const QString &prefix) const
{
    QSet<QString> used;
    for (const auto &r : racks)
        used.insert(r.id);
    for (const auto &p : powerSupplies)
        used.insert(p.id);
    for (const auto &s : switches)
        used.insert(s.id);
    for (const auto &b : boards)
        used.insert(b.id);
    for (int n = 1;; ++n) {
        const QString id = prefix + QLatin1Char('-') + QString::number(n);
        if (!used.contains(id))
            return id;
    }
}

QString roleName(Role role)
{
    switch (role) {
    case Role::Manager:
        return QStringLiteral("manager");
    case Role::Worker:
        return QStringLiteral("worker");
    case Role::Unassigned:
        break;
    }
    return QStringLiteral("unassigned");
}

bool roleFromName(const QString &name, Role *role)
{
    for (Role r : {Role::Unassigned, Role::Manager, Role::Worker}) {
        if (roleName(r) == name) {
            *role = r;
            return true;
        }
    }
    return false;
}

} // namespace Hivelab
