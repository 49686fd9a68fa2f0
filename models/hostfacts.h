// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Hivelab {

struct DiskInfo
{
    QString name; // "mmcblk0", "sda"
    qint64 sizeBytes = 0;
    QString transport; // "usb", "sata", "nvme", "mmc" (may be empty)
    QString model;
    bool removable = false;
    QStringList mountPoints; // of the disk and its partitions
    bool operator==(const DiskInfo &o) const
    {
        return name == o.name && sizeBytes == o.sizeBytes && transport == o.transport &&
               model == o.model && removable == o.removable && mountPoints == o.mountPoints;
    }
};

/// What a board says about itself once logged in, from one compound shell command
/// (compoundCommand()). Pure value + parsers with no IO; any thread. Parsers accept real outputs
/// of old and new tools and never throw on garbage: unknown fields stay empty and a note lands in
/// problems.
class HostFacts
{
public:
    QString hostname;
    QString deviceTreeModel; // "Raspberry Pi 4 Model B Rev 1.4", "Pine64 PINE A64-LTS"
    QString dmiVendor;       // "Intel Corporation", "AAEON"
    QString dmiProduct;      // "UP-CHT01", "OptiPlex 3060"
    QString machine;         // uname -m: "aarch64", "x86_64", "armv7l"
    int cores = 0;
    qint64 memTotalBytes = 0;
    QString osId;        // "debian"
    QString osVersionId; // "12"
    QString osPrettyName;
    QList<DiskInfo> disks;
    QString dockerVersion;     // server version, empty when Docker is absent or down
    QString swarmState;        // "inactive", "active", "pending", "error", "locked"
    bool swarmManager = false; // Swarm.ControlAvailable
    QString swarmNodeId;
    /// cloud-init's instance ID (/var/lib/cloud/data/instance-id): the marker a card prepared by
    /// Hivelab carries (Board::firstBoot.instanceId); empty without cloud-init.
    QString instanceId;
    /// The node's labels as a manager of its swarm lists them (the node itself cannot read
    /// them); empty when not read.
    QMap<QString, QString> swarmNodeLabels;
    QStringList problems; // sections that could not be parsed

    /// Device-tree model, else DMI vendor + product, else empty.
    QString modelName() const;
    /// Debian architecture name for uname -m ("aarch64" -> "arm64").
    QString debianArch() const;
    /// "manager", "worker" or empty when not in a swarm.
    QString swarmRole() const;
    QJsonObject toJson() const;

    /// One POSIX sh command printing every section behind an "@@hl NAME" marker line. Safe to run
    /// unprivileged; each probe tolerates missing tools.
    static QString compoundCommand();
    static HostFacts parseCompound(const QByteArray &output);

    static QMap<QString, QString> parseOsRelease(const QByteArray &data);
    /// /proc/device-tree/model is NUL-terminated; strips that and whitespace.
    static QString parseDeviceTreeModel(const QByteArray &data);
    /// Bytes from "MemTotal: N kB" in /proc/meminfo; 0 if absent.
    static qint64 parseMemTotal(const QByteArray &meminfo);
    /// Whole disks from `lsblk -J -b` (util-linux 2.2x strings or 2.3x numbers/bools).
    static std::optional<QList<DiskInfo>> parseLsblk(const QByteArray &json, QString *error);
    /// Fills docker/swarm fields from `docker info --format '{{json .}}'`.
    static bool parseDockerInfo(const QByteArray &json, HostFacts *facts, QString *error);
};

} // namespace Hivelab
