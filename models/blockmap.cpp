// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockmap.h"

#include <QCoreApplication>
#include <QXmlStreamReader>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("BlockMap", text);
}

bool isPowerOfTwo(qint64 v)
{
    return v > 0 && (v & (v - 1)) == 0;
}

bool parseRange(const QString &text, qint64 *first, qint64 *last)
{
    const QString t = text.trimmed();
    const int dash = t.indexOf(QLatin1Char('-'));
    bool ok1 = false;
    bool ok2 = false;
    *first = t.left(dash < 0 ? t.size() : dash).trimmed().toLongLong(&ok1);
    *last = dash < 0 ? *first : t.mid(dash + 1).trimmed().toLongLong(&ok2);
    return ok1 && (dash < 0 || ok2) && *first >= 0 && *last >= *first;
}

} // namespace

BlockMap::BlockMap(qint64 imageSize, int blockSize)
    : m_imageSize(imageSize)
    , m_blockSize(blockSize)
{}

qint64 BlockMap::mappedBytes() const
{
    qint64 total = 0;
    for (const Range &r : m_ranges) {
        const qint64 start = r.first * m_blockSize;
        const qint64 end = qMin((r.last + 1) * m_blockSize, m_imageSize);
        total += qMax<qint64>(0, end - start);
    }
    return total;
}

void BlockMap::addBlock(qint64 block)
{
    if (!m_ranges.isEmpty() && m_ranges.last().last + 1 == block) {
        m_ranges.last().last = block;
        return;
    }
    m_ranges.append(Range{block, block, {}});
}

BlockMap BlockMap::fromBmap(const QByteArray &xml, QString *error)
{
    QXmlStreamReader reader(xml);
    BlockMap map;
    qint64 blocksCount = -1;
    bool inRoot = false;
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return BlockMap();
    };
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        const auto name = reader.name();
        if (!inRoot) {
            if (name != QLatin1String("bmap"))
                return fail(tr("not a block map (the root element is not <bmap>)"));
            const QString version = reader.attributes().value(QLatin1String("version")).toString();
            const int major = version.section(QLatin1Char('.'), 0, 0).toInt();
            if (major != 1 && major != 2)
                return fail(tr("block map version %1 is not supported (1.x and 2.x are)")
                                .arg(version.isEmpty() ? tr("(none)") : version));
            inRoot = true;
        } else if (name == QLatin1String("ImageSize")) {
            map.m_imageSize = reader.readElementText().trimmed().toLongLong();
        } else if (name == QLatin1String("BlockSize")) {
            map.m_blockSize = reader.readElementText().trimmed().toInt();
        } else if (name == QLatin1String("BlocksCount")) {
            blocksCount = reader.readElementText().trimmed().toLongLong();
        } else if (name == QLatin1String("Range")) {
            const QByteArray sum =
                reader.attributes().value(QLatin1String("chksum")).toLatin1().toLower();
            Range r;
            if (!parseRange(reader.readElementText(), &r.first, &r.last))
                return fail(tr("a <Range> is not FIRST-LAST block numbers"));
            if (!map.m_ranges.isEmpty() && r.first <= map.m_ranges.last().last)
                return fail(tr("block ranges overlap or are out of order"));
            // Version 1.x used SHA-1 (40 hex digits) that a writer cannot check against the
            // SHA-256 it computes; such sums are dropped, the map itself still counts.
            if (sum.size() == 64)
                r.sha256 = sum;
            else if (!sum.isEmpty() && sum.size() != 40)
                return fail(tr("a range checksum is neither SHA-256 nor SHA-1"));
            map.m_ranges.append(r);
        }
    }
    if (reader.hasError())
        return fail(tr("malformed XML at line %1: %2")
                        .arg(reader.lineNumber())
                        .arg(reader.errorString()));
    if (!inRoot)
        return fail(tr("empty block map"));
    if (!isPowerOfTwo(map.m_blockSize) || map.m_blockSize < 512 || map.m_blockSize > (1 << 20))
        return fail(tr("block size %1 is not a power of two from 512 to 1048576")
                        .arg(map.m_blockSize));
    if (map.m_imageSize <= 0)
        return fail(tr("the image size is missing"));
    if (map.m_imageSize > (qint64(1) << 50)) // 1 PiB: keeps block arithmetic far from overflow
        return fail(tr("the image size %1 is not plausible").arg(map.m_imageSize));
    const qint64 blocks = (map.m_imageSize + map.m_blockSize - 1) / map.m_blockSize;
    if (blocksCount >= 0 && blocksCount != blocks)
        return fail(tr("BlocksCount %1 does not match the image size (%2 blocks)")
                        .arg(blocksCount)
                        .arg(blocks));
    if (!map.m_ranges.isEmpty() && map.m_ranges.last().last >= blocks)
        return fail(tr("a block range reaches past the end of the image"));
    return map;
}

} // namespace Hivelab
