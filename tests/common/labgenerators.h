// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Large generated labs for the check's scaling test and benchmark (tests/bench/bench_labcheck).

#include "labtypes.h"

namespace HivelabTest {

/// `switches` switches in one uplink chain (switch-k uplinks to switch-(k-1), switch-1 to the
/// router) and three managers on the last one: the shape that made the check cubic.
inline Hivelab::Lab uplinkChainLab(int switches)
{
    using namespace Hivelab;
    Lab lab;
    lab.name = QStringLiteral("uplink chain of %1").arg(switches);
    for (int k = 1; k <= switches; ++k) {
        NetworkSwitch sw;
        sw.id = QStringLiteral("switch-%1").arg(k);
        sw.ports = 8;
        if (k == 1)
            sw.uplink = QStringLiteral("router");
        else
            sw.uplinkSwitchId = QStringLiteral("switch-%1").arg(k - 1);
        lab.switches.append(sw);
    }
    for (int m = 1; m <= 3; ++m) {
        Board b;
        b.id = QStringLiteral("manager-%1").arg(m);
        b.os = QStringLiteral("Debian 12");
        b.role = Role::Manager;
        b.switchId = QStringLiteral("switch-%1").arg(switches);
        lab.boards.append(b);
    }
    return lab;
}

/// A big but plausible lab: racks of 40 boards, each rack with one supply (on one of ten
/// circuits) and four 16-port switches; the first switch of every rack uplinks to the first
/// switch of rack 1, the others to their rack's first. Five managers in racks 1 to 5.
/// `boards` is rounded up to whole racks; switches = boards / 10.
inline Hivelab::Lab rackRowLab(int boards)
{
    using namespace Hivelab;
    Lab lab;
    lab.name = QStringLiteral("%1 boards in racks").arg(boards);
    const int racks = (boards + 39) / 40;
    int n = 0;
    for (int r = 1; r <= racks; ++r) {
        const QString rackId = QStringLiteral("rack-%1").arg(r);
        lab.racks.append({rackId, QStringLiteral("Rack %1").arg(r), 40});
        PowerSupply psu;
        psu.id = QStringLiteral("psu-%1").arg(r);
        psu.rackId = rackId;
        psu.circuit = QStringLiteral("circuit-%1").arg(r % 10);
        psu.ratingWatts = 600;
        lab.powerSupplies.append(psu);
        for (int s = 1; s <= 4; ++s) {
            NetworkSwitch sw;
            sw.id = QStringLiteral("switch-%1-%2").arg(r).arg(s);
            sw.rackId = rackId;
            sw.psuId = psu.id;
            sw.ports = 16;
            if (s > 1)
                sw.uplinkSwitchId = QStringLiteral("switch-%1-1").arg(r);
            else if (r > 1)
                sw.uplinkSwitchId = QStringLiteral("switch-1-1");
            else
                sw.uplink = QStringLiteral("router");
            lab.switches.append(sw);
        }
        for (int slot = 0; slot < 40; ++slot) {
            Board b;
            b.id = QStringLiteral("board-%1").arg(++n);
            b.model = QStringLiteral("pine64-a64-lts");
            b.arch = QStringLiteral("arm64");
            b.os = QStringLiteral("Debian 12");
            b.role = slot == 0 && r <= 5 ? Role::Manager : Role::Worker;
            b.rackId = rackId;
            b.slot = slot;
            b.psuId = psu.id;
            b.switchId = QStringLiteral("switch-%1-%2").arg(r).arg(slot / 10 + 1);
            b.switchPort = slot % 10 + 1;
            lab.boards.append(b);
        }
    }
    return lab;
}

/// `racks` racks with one board each and nothing else: the widest flat lab.
inline Hivelab::Lab manyRacksLab(int racks)
{
    using namespace Hivelab;
    Lab lab;
    lab.name = QStringLiteral("%1 racks").arg(racks);
    for (int r = 1; r <= racks; ++r) {
        lab.racks.append({QStringLiteral("rack-%1").arg(r), QString(), 1});
        Board b;
        b.id = QStringLiteral("board-%1").arg(r);
        b.role = r <= 3 ? Role::Manager : Role::Worker;
        b.rackId = lab.racks.last().id;
        b.slot = 0;
        lab.boards.append(b);
    }
    return lab;
}

/// The canvas benchmark's lab (tests/bench/bench_canvas, tst_topologyscene): `racks` racks of
/// `boardsPerRack` boards and two spare slots, each with a 120 W supply and a 16-port switch;
/// every third board an amd64 UP board; managers in the first slot of racks 1 to 5.
inline Hivelab::Lab canvasBenchLab(int racks, int boardsPerRack)
{
    using namespace Hivelab;
    Lab lab;
    lab.name = QStringLiteral("Benchmark lab");
    int n = 0;
    for (int r = 1; r <= racks; ++r) {
        const QString rackId = QStringLiteral("rack-%1").arg(r);
        lab.racks.append({rackId, QStringLiteral("Rack %1").arg(r), boardsPerRack + 2});
        PowerSupply psu;
        psu.id = QStringLiteral("psu-%1").arg(r);
        psu.name = QStringLiteral("PSU %1").arg(r);
        psu.rackId = rackId;
        psu.ratingWatts = 120;
        lab.powerSupplies.append(psu);
        NetworkSwitch sw;
        sw.id = QStringLiteral("switch-%1").arg(r);
        sw.name = QStringLiteral("Switch %1 (16-port)").arg(r);
        sw.rackId = rackId;
        sw.psuId = psu.id;
        sw.ports = 16;
        lab.switches.append(sw);
        for (int s = 0; s < boardsPerRack; ++s) {
            Board b;
            b.id = QStringLiteral("board-%1").arg(++n);
            b.name = QStringLiteral("node-%1").arg(n, 3, 10, QLatin1Char('0'));
            b.model = (n % 3 == 0) ? QStringLiteral("up-board") : QStringLiteral("pine64-a64-lts");
            b.arch = (n % 3 == 0) ? QStringLiteral("amd64") : QStringLiteral("arm64");
            b.os = QStringLiteral("Debian 12");
            b.role = (s == 0 && r <= 5) ? Role::Manager : Role::Worker;
            b.rackId = rackId;
            b.slot = s;
            b.psuId = psu.id;
            b.switchId = sw.id;
            b.switchPort = s + 1;
            b.ip = QStringLiteral("10.77.%1.%2").arg(r).arg(s + 10);
            lab.boards.append(b);
        }
    }
    return lab;
}

} // namespace HivelabTest
