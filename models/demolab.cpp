// SPDX-License-Identifier: GPL-3.0-or-later
#include "demolab.h"

namespace Hivelab {

namespace {
Board makeBoard(int rackNo, int slot, const QString &id, const QString &name, const QString &model,
                const QString &arch, const QString &os, Role role, int hostOctet)
{
    Board b;
    b.id = id;
    b.name = name;
    b.hostname = name;
    b.model = model;
    b.arch = arch;
    b.os = os;
    b.role = role;
    b.rackId = QStringLiteral("rack-%1").arg(rackNo);
    b.slot = slot;
    b.psuId = QStringLiteral("psu-%1").arg(rackNo);
    b.switchId = QStringLiteral("switch-%1").arg(rackNo);
    b.switchPort = slot + 1;
    b.ip = QStringLiteral("10.77.0.%1").arg(hostOctet);
    b.addressing = Addressing::Static;
    b.sshUser = QStringLiteral("root");
    b.labels.insert(QStringLiteral("rack"), QString::number(rackNo));
    return b;
}
} // namespace

Lab demoLab()
{
    Lab lab;
    lab.name = QStringLiteral("Demo hybrid swarm");
    lab.swarm.advertiseNetwork = QStringLiteral("10.77.0.0/24");
    lab.swarm.defaultLabels.insert(QStringLiteral("lab"), QStringLiteral("demo"));

    for (int r = 1; r <= 4; ++r) {
        Rack rack;
        rack.id = QStringLiteral("rack-%1").arg(r);
        rack.name = QStringLiteral("Rack %1").arg(r);
        rack.slotCount = 4;
        lab.racks.append(rack);

        PowerSupply psu;
        psu.id = QStringLiteral("psu-%1").arg(r);
        psu.name = QStringLiteral("PSU %1 (5 V 16 A)").arg(r);
        psu.rackId = rack.id;
        // One circuit per manager rack: with two, one tripped breaker would take two of the
        // three managers, and quorum, down.
        psu.circuit = QStringLiteral("wall-%1").arg(QLatin1Char("ABCA"[r - 1]));
        psu.ratingAmps = 16;
        psu.volts = 5;
        lab.powerSupplies.append(psu);

        NetworkSwitch sw;
        sw.id = QStringLiteral("switch-%1").arg(r);
        sw.name = QStringLiteral("Switch %1 (8-port GbE)").arg(r);
        sw.rackId = rack.id;
        sw.psuId = psu.id;
        sw.ports = 8;
        sw.watts = 4;
        sw.uplink = QStringLiteral("home router");
        lab.switches.append(sw);
    }

    const QString pine = QStringLiteral("pine64-a64-lts");
    const QString up = QStringLiteral("up-board");
    // OS names as the catalog spells its images (resources/boards.json).
    const QString dietpi = QStringLiteral("DietPi (Debian bookworm)");
    int pineNo = 0;
    int octet = 10;
    auto storageWorker = [&](int rackNo, int slot) {
        ++pineNo;
        Board b = makeBoard(rackNo, slot, QStringLiteral("pine64-%1").arg(pineNo),
                            QStringLiteral("pine64-%1").arg(pineNo), pine, QStringLiteral("arm64"),
                            dietpi, Role::Worker, ++octet);
        StorageDevice disk;
        disk.name = QStringLiteral("usb-2tb");
        disk.device = QStringLiteral("/dev/sda");
        disk.sizeBytes = 2000LL * 1000 * 1000 * 1000;
        disk.mountPoint = QStringLiteral("/mnt/data");
        disk.peakWatts = 4.5;
        b.storage.append(disk);
        b.labels.insert(QStringLiteral("storage"), QStringLiteral("usb"));
        b.notes = QStringLiteral("2 TB USB disk for volumes");
        lab.boards.append(b);
    };
    auto manager = [&](int rackNo, int slot) {
        ++pineNo;
        Board b = makeBoard(rackNo, slot, QStringLiteral("pine64-%1").arg(pineNo),
                            QStringLiteral("pine64-%1").arg(pineNo), pine, QStringLiteral("arm64"),
                            dietpi, Role::Manager, ++octet);
        lab.boards.append(b);
    };
    const QStringList upOs = {QStringLiteral("Ubuntu Server 24.04 LTS"),
                              QStringLiteral("Windows Server 2022"),
                              QStringLiteral("Windows Server 2025")};
    for (int r = 1; r <= 3; ++r) {
        storageWorker(r, 0);
        manager(r, 1);
        Board b = makeBoard(r, 2, QStringLiteral("up-%1").arg(r), QStringLiteral("up-%1").arg(r), up,
                            QStringLiteral("amd64"), upOs.at(r - 1), Role::Worker, 30 + r);
        if (b.isWindows())
            b.sshUser = QStringLiteral("Administrator");
        lab.boards.append(b);
    }
    storageWorker(4, 0);
    return lab;
}

} // namespace Hivelab
