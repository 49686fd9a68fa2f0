// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// A whole block device as the system lists it (`lsblk --json`), with what is mounted from it
/// or from anything below it (partitions, LVM, dm-crypt).
struct Drive
{
    QString name;      // sdb, mmcblk0, loop3
    QString path;      // /dev/sdb
    QString model;     // vendor + model, trimmed
    QString transport; // usb, mmc, sata, nvme, … (empty for loop/virtio)
    QString type;      // disk, loop, …
    qint64 size = 0;
    bool removable = false;
    bool hotplug = false;
    bool readOnly = false;
    QStringList mountpoints; // of the device and everything below it; "[SWAP]" for swap

    /// Card readers, USB sticks and removable disks: what a flashing tool offers by default.
    bool isCardLike() const;
};

/// Which drives may be written, and why not. Pure rules; any thread.
namespace DriveRules {

/// Above this size (256 GiB) a target is unlikely to be a card: the user types the device name
/// to confirm.
constexpr qint64 LargeDeviceBytes = qint64(256) << 30;

/// Parses `lsblk --json --bytes --tree --output NAME,PATH,SIZE,MODEL,VENDOR,TRAN,RM,HOTPLUG,RO,
/// TYPE,MOUNTPOINTS` (MOUNTPOINT of older util-linux works too). Only whole devices come back.
QList<Drive> fromLsblkJson(const QByteArray &json, QString *error);

/// Why `drive` must not be written (empty: it may). `systemDisks` are device paths the
/// platform found holding /, /boot or swap by other means (device numbers), a second line of
/// defence next to the mountpoints lsblk reports.
QString refusal(const Drive &drive, const QStringList &systemDisks);
/// What a flashing tool lists by default: no refusal, and a card, USB drive or loop device.
bool isOffered(const Drive &drive, const QStringList &systemDisks);

/// Mountpoints that a user's desktop mounted from a card (under /media, /run/media, /mnt):
/// these can be unmounted with consent; anything else mounted means the system uses the disk.
bool isUserMount(const QString &mountpoint);

} // namespace DriveRules

} // namespace Hivelab
