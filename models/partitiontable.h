// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace Hivelab {

/// A card's partition table as `sfdisk -J` prints it (MBR "dos" or GPT). Pure; any thread.
class PartitionTable
{
    Q_DECLARE_TR_FUNCTIONS(PartitionTable)
public:
    struct Partition
    {
        QString node;     // "/dev/loop0p1" or "card.img1", as sfdisk names it
        qint64 start = 0; // in sectors
        qint64 size = 0;  // in sectors
        QString type;     // MBR: hex id ("c"); GPT: type GUID (upper case)
        /// A FAT partition type: MBR 01/04/06/0b/0c/0e/ef, GPT basic data or EFI system.
        bool isFat() const;
    };

    QString label; // "dos" or "gpt"
    int sectorSize = 512;
    QList<Partition> partitions;

    /// Parses `sfdisk -J` output; nothing with `error` when it is not such a table.
    static std::optional<PartitionTable> fromSfdiskJson(const QByteArray &json, QString *error);
    /// The first FAT partition (the boot partition cards carry first-boot files on), or null.
    const Partition *bootPartition() const;
    qint64 byteOffset(const Partition &p) const { return p.start * sectorSize; }
};

} // namespace Hivelab
