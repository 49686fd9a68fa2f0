// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"
#include "partitiontable.h"

#include <QCoreApplication>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// A board's first-boot identity written onto the FAT boot partition of a card (or an image
/// file) that already holds an OS image. mtools reads and writes the FAT at the partition's
/// byte offset (`mcopy -i DEV@@OFFSET`), so nothing is mounted and no root is needed beyond
/// write access to the device: the kernel here (and a user's laptop) may not even have vfat.
/// What is written depends on the card: a FAT that holds `dietpi.txt` gets it edited in place,
/// one with the Raspberry Pi firmware's cmdline.txt but no cloud-init seed (Raspberry Pi OS of
/// Debian 12 and earlier) `ssh`, `userconf.txt`, `firstrun.sh` and an edited cmdline.txt, any
/// other the cloud-init NoCloud seed (user-data, meta-data, network-config).
/// Synchronous; every tool run is bounded (30 s). The CLI calls it directly; a GUI runs it in
/// a worker thread.
class FirstBootCard
{
    Q_DECLARE_TR_FUNCTIONS(FirstBootCard)
public:
    enum class Flavour { CloudInit, DietPi, RaspberryPiOs };
    /// "cloud-init", "dietpi", "raspios-userconf" (the catalog's firstBoot values).
    static QString flavourName(Flavour flavour);
    static std::optional<Flavour> flavourFromName(const QString &name);

    struct Written
    {
        Flavour flavour = Flavour::CloudInit;
        qint64 offset = 0; // byte offset of the boot partition
        QStringList files; // names on the boot partition, written and read back
    };

    /// `sfdisk -J` of the device or image.
    static std::optional<PartitionTable> partitionTable(const QString &target, QString *error);
    /// Byte offset of the boot (first FAT) partition.
    static std::optional<qint64> bootPartitionOffset(const QString &target, QString *error);
    /// Writes `id` with `authorizedKeys` (public key lines) and reads every file back: a
    /// mismatch is an error. The device is flushed (fsync) before this returns. `flavour`
    /// (from the image's catalog entry) overrides what the card's files tell; a DietPi or
    /// Raspberry Pi OS card must hold the file that flavour edits.
    static std::optional<Written> write(const QString &target, const BoardIdentity &id,
                                        const QStringList &authorizedKeys, QString *error,
                                        std::optional<Flavour> flavour = std::nullopt);
    /// As write(), on a card this process may not open itself: `fd` (read-write, e.g. from
    /// UDisks2) is the whole card of `size` bytes, named `label` in messages. The partition
    /// table and the boot partition are copied into a sparse scratch file of the card's size,
    /// mtools works there, and only the blocks of the boot partition that changed go back to
    /// the card, which is then synced and read back.
    static std::optional<Written> writeThrough(int fd, qint64 size, const QString &label,
                                               const BoardIdentity &id,
                                               const QStringList &authorizedKeys, QString *error,
                                               std::optional<Flavour> flavour = std::nullopt);
    /// One file of the FAT at `offset` (mtype); nothing when it does not exist.
    static std::optional<QByteArray> readFile(const QString &target, qint64 offset,
                                              const QString &name, QString *error);
    /// Creates or replaces one file in the FAT's root folder (mcopy -o).
    static bool writeFile(const QString &target, qint64 offset, const QString &name,
                          const QByteArray &data, QString *error);
};

} // namespace Hivelab
