// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Hivelab {

/// Which blocks of an image hold data: the rest is free space a writer may skip (bmaptool's
/// idea). Read from a `.bmap` file (bmaptool's XML, versions 1.x and 2.x) or built while an image
/// streams past (FlashJob). Pure data; any thread.
class BlockMap
{
public:
    struct Range
    {
        qint64 first = 0; // block numbers, inclusive
        qint64 last = 0;
        QByteArray sha256; // hex, lower case; empty when the map has none for the range
    };

    qint64 imageSize() const { return m_imageSize; }
    int blockSize() const { return m_blockSize; }
    const QList<Range> &ranges() const { return m_ranges; }
    bool isEmpty() const { return m_blockSize == 0; }
    /// Bytes the mapped ranges cover (the last block is cut at the image size).
    qint64 mappedBytes() const;

    /// Parses a .bmap file's text. Returns an empty map and sets `error` on anything malformed:
    /// unknown major version, block size not a power of two from 512 to 1 MiB, ranges out of
    /// order, overlapping or past the image, a checksum of the wrong length.
    static BlockMap fromBmap(const QByteArray &xml, QString *error);

    /// A map built by a writer. `blockSize` a power of two; appended ranges must ascend.
    BlockMap(qint64 imageSize, int blockSize);
    BlockMap() = default;
    /// Marks block `block` as data, merging with the previous range when adjacent.
    void addBlock(qint64 block);
    void setImageSize(qint64 size) { m_imageSize = size; }

private:
    qint64 m_imageSize = 0;
    int m_blockSize = 0;
    QList<Range> m_ranges;
};

} // namespace Hivelab
