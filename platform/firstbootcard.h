// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"
#include "partitiontable.h"

#include <QCoreApplication>
#include <QStringList>

#include <functional>
#include <optional>

namespace Hivelab {

/// A board's first-boot identity written onto the FAT boot partition of a card (or an image
/// file) that already holds an OS image. mtools reads and writes the FAT at the partition's
/// byte offset (`mcopy -i DEV@@OFFSET`), so nothing is mounted and no root is needed beyond
/// write access to the device: the kernel here (and a user's laptop) may not even have vfat.
/// What is written depends on the card: a FAT that holds `dietpi.txt` gets it edited in place
/// (DietPi images for boards other than the Raspberry Pi keep it in /boot of an ext4 root
/// instead: that one is edited with e2fsprogs' debugfs at the partition's offset, likewise
/// without a mount), one with the Raspberry Pi firmware's cmdline.txt but no cloud-init seed
/// (Raspberry Pi OS of Debian 12 and earlier) `ssh`, `userconf.txt`, `firstrun.sh` and an edited
/// cmdline.txt, any other the cloud-init NoCloud seed (user-data, meta-data, network-config).
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
        qint64 offset = 0; // byte offset of the partition written
        QStringList files; // names on the boot partition (paths on an ext4 root), read back
    };

    /// DietPi's console password (AUTO_SETUP_GLOBAL_PASSWORD: root's and dietpi's login
    /// password). It reaches the card only inside dietpi.txt, through an anonymous memory file,
    /// never a temporary file or a tool's argument.
    struct ConsolePassword
    {
        QString password; // empty: a random one nobody is told
        /// Called on the thread writing, once the card is known to be DietPi and before anything
        /// is written (e.g. to keep the password in the keychain); false with `error` stops.
        std::function<bool(QString *error)> keep;
    };

    /// A file of an ext2/3/4 filesystem: its bytes, permission bits and owner.
    struct ExtFile
    {
        QByteArray data;
        quint32 mode = 0644;
        quint32 uid = 0;
        quint32 gid = 0;
    };

    /// `sfdisk -J` of the device or image.
    static std::optional<PartitionTable> partitionTable(const QString &target, QString *error);
    /// The flavour write() would find on `target` (a card or a raw image file), only reading
    /// it: dietpi.txt on the boot FAT or in /boot of an ext4 partition, else Raspberry Pi OS or
    /// cloud-init as write() tells them. Nothing, with `error`, when it cannot be read.
    static std::optional<Flavour> flavourOf(const QString &target, QString *error);
    /// Writes `id` with `authorizedKeys` (public key lines) and reads every file back: a
    /// mismatch is an error. The device is flushed (fsync) before this returns. `flavour`
    /// (from the image's catalog entry) overrides what the card's files tell; a DietPi or
    /// Raspberry Pi OS card must hold the file that flavour edits.
    static std::optional<Written> write(const QString &target, const BoardIdentity &id,
                                        const QStringList &authorizedKeys, QString *error,
                                        std::optional<Flavour> flavour = std::nullopt,
                                        const ConsolePassword &console = {});
    /// As write(), on a card this process may not open itself: `fd` (read-write, e.g. from
    /// UDisks2) is the whole card of `size` bytes, named `label` in messages. The partition
    /// table and the boot partition are copied into a sparse scratch file of the card's size,
    /// mtools works there, and only the blocks of the boot partition that changed go back to
    /// the card, which is then synced and read back.
    /// A DietPi card without dietpi.txt on its FAT (or without a FAT) has its ext4 partitions
    /// copied too, whole.
    static std::optional<Written> writeThrough(int fd, qint64 size, const QString &label,
                                               const BoardIdentity &id,
                                               const QStringList &authorizedKeys, QString *error,
                                               std::optional<Flavour> flavour = std::nullopt,
                                               const ConsolePassword &console = {});
    /// One file of the FAT at `offset` (mtype); nothing when it does not exist.
    static std::optional<QByteArray> readFile(const QString &target, qint64 offset,
                                              const QString &name, QString *error);
    /// Creates or replaces one file in the FAT's root folder (mcopy -o).
    static bool writeFile(const QString &target, qint64 offset, const QString &name,
                          const QByteArray &data, QString *error);
    /// Whether an ext2/3/4 superblock starts at `offset` (its magic number, read directly).
    static bool isExtFilesystem(const QString &target, qint64 offset);
    /// `path` (absolute) of the ext2/3/4 filesystem at `offset`, read with `debugfs` (no mount).
    /// Nothing with an empty `error` when there is no such file; with `error` when the
    /// filesystem cannot be read or the path is not a regular file.
    static std::optional<ExtFile> readExtFile(const QString &target, qint64 offset,
                                              const QString &path, QString *error);
    /// Replaces `path` with `data`, owner and permission bits as in `keep`, with `debugfs -w`:
    /// the new bytes go to a new file beside it first (checked), which then takes the old
    /// one's name, so a failure leaves the old file as it was. Refuses a filesystem whose
    /// journal needs recovery (the kernel would replay it over the change at the next mount).
    static bool replaceExtFile(const QString &target, qint64 offset, const QString &path,
                               const QByteArray &data, const ExtFile &keep, QString *error);
};

} // namespace Hivelab
