// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

namespace Hivelab {

/// Defaults for racks, supplies and switches added by hand (main window, `hivelab rack|psu|switch
/// add`): a fresh ID and the next free name. Pure; any thread.
Rack newRack(const Lab &lab);
/// "PSU n" in the given rack (may be empty), on the lab's first mains circuit; no rating yet.
PowerSupply newPowerSupply(const Lab &lab, const QString &rackId);
/// "Switch n" with 8 ports in the given rack, powered by that rack's first supply.
NetworkSwitch newSwitch(const Lab &lab, const QString &rackId);

/// `stem` + " n" for the smallest n >= 1 that no name in `taken` uses ("Rack 5").
QString nextFreeName(const QStringList &taken, const QString &stem);

/// The object with ID `word`, else the first whose name matches it case-insensitively.
template <typename T> const T *findByIdOrName(const QList<T> &objects, const QString &word)
{
    const T *byName = nullptr;
    for (const T &o : objects) {
        if (o.id == word)
            return &o;
        if (!byName && o.name.compare(word, Qt::CaseInsensitive) == 0)
            byName = &o;
    }
    return byName;
}

} // namespace Hivelab
