// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Lab parts for tests that build a small plan by hand: a supply or a switch in one line.

#include "labtypes.h"

namespace HivelabTest {

/// A supply `id` in `rackId` (empty: outside any rack) rated `watts`, on mains `circuit`.
inline Hivelab::PowerSupply powerSupply(const QString &id, const QString &rackId, double watts = 0,
                                        const QString &circuit = QString())
{
    return Hivelab::PowerSupply{id, QString(), rackId, circuit, watts, 0, 0};
}

/// A switch `id` with `ports` ports in `rackId` (empty: outside any rack).
inline Hivelab::NetworkSwitch networkSwitch(const QString &id, const QString &rackId, int ports)
{
    Hivelab::NetworkSwitch sw;
    sw.id = id;
    sw.rackId = rackId;
    sw.ports = ports;
    return sw;
}

} // namespace HivelabTest
