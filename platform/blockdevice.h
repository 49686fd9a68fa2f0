// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "drivelist.h"

#include <QString>
#include <QStringList>

namespace Hivelab {

/// The operating system's side of flashing: which drives exist, which hold the running system,
/// and raw file descriptors for writing and reading them back. One header, one implementation
/// per OS (platform/linux/blockdevice_linux.cpp). Blocking but quick; any thread.
namespace BlockDevice {

/// Whole drives as the system lists them (runs lsblk).
QList<Drive> listDrives(QString *error);

/// Whole disks holding /, /boot, /boot/efi or an active swap, found from device numbers through
/// sysfs (partitions, device-mapper and md walked down to their disks).
QStringList systemDisks();

/// What a flash target path is, after following symlinks.
struct Target
{
    QString path;        // canonical (/dev/sdb, or the image file)
    bool isBlock = false;
    bool exists = false;
    qint64 size = 0;     // device size; for files their current size
    bool readOnly = false;
    Drive drive;         // block devices: as listed (empty name when lsblk does not show it)
    QString refusal;     // why it must not be written (empty: it may)
};
/// Checks `path` as a flash target: block devices by DriveRules plus device numbers; regular
/// files (existing or to be created in an existing folder) are fine; directories, character
/// devices, sockets and the like are refused.
Target inspect(const QString &path);

/// Opens for writing: O_DIRECT (falls back to buffered where the filesystem has no O_DIRECT) and
/// O_EXCL on block devices so a mounted one is refused by the kernel too. Files are created and
/// truncated. Returns -1 and sets `error`. `direct` tells what was achieved.
int openForWrite(const Target &target, bool *direct, QString *error);
/// Opens for an O_DIRECT read-back (buffered with the page cache dropped when not possible).
int openForVerify(const Target &target, bool *direct, QString *error);
/// Opens a block device the user may not open directly through UDisks2's Block.OpenDevice
/// (the system's disk service; polkit asks for the user's or an admin password, as for
/// Raspberry Pi Imager): the GUI never runs as root. `write`: "rw" with O_EXCL, else "r";
/// O_DIRECT where the device takes it. Blocks while polkit asks (bounded: 2 minutes).
/// Returns -1 with a reason in words when UDisks2 is not running, does not know the device
/// or the user was not authorised.
int openAuthorized(const QString &path, bool write, bool *direct, QString *error);
/// Whether this process may open `path` for writing itself (root, or the disk group).
bool canOpenDirectly(const QString &path);

/// Drops cached pages of the device so a read-back sees the medium (BLKFLSBUF + fadvise).
void dropCaches(int fd, bool isBlock);
/// Writes all of `data` at `offset`, resuming after partial writes and EINTR. Returns 0 or an
/// errno value (ENOSPC when the device takes no more).
int writeAt(int fd, const char *data, qint64 size, qint64 offset);
/// Makes [offset, offset+length) read as zeros: BLKZEROOUT (the device's write-zeroes command
/// where it has one), else plain writes of zeros. Returns 0 or an errno value.
int zeroRange(int fd, qint64 offset, qint64 length);

/// Unmounts a user mount (umount MOUNTPOINT). Returns false with the reason.
bool unmount(const QString &mountpoint, QString *error);

} // namespace BlockDevice

} // namespace Hivelab
