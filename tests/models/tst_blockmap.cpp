// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockmap.h"

#include <QFile>
#include <QTest>

using namespace Hivelab;

class TestBlockMap : public QObject
{
    Q_OBJECT

    static QByteArray bmap(const QByteArray &body, const QByteArray &version = "2.0",
                           qint64 size = 65536, int block = 4096)
    {
        return "<?xml version=\"1.0\" ?>\n<bmap version=\"" + version + "\">\n<ImageSize> " +
               QByteArray::number(size) + " </ImageSize>\n<BlockSize> " + QByteArray::number(block) +
               " </BlockSize>\n<BlocksCount> " + QByteArray::number((size + block - 1) / block) +
               " </BlocksCount>\n<BlockMap>\n" + body + "</BlockMap>\n</bmap>\n";
    }

private Q_SLOTS:
    void bmaptoolOutput()
    {
        // Made by bmaptool 3.6 (`bmaptool create`) for a 64 MiB image with a FAT partition.
        QFile f(QStringLiteral(HIVELAB_TEST_DATA "/imaging/disk.bmap"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QString error;
        const BlockMap map = BlockMap::fromBmap(f.readAll(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(map.imageSize(), 67108864);
        QCOMPARE(map.blockSize(), 4096);
        qint64 blocks = 0;
        for (const BlockMap::Range &r : map.ranges())
            blocks += r.last - r.first + 1;
        QCOMPARE(blocks, 1302); // its MappedBlocksCount
        QCOMPARE(map.ranges().first().first, 0);
        QCOMPARE(map.ranges().first().sha256.size(), 64);
    }

    void lastBlockCutAtImageSize()
    {
        QString error;
        const BlockMap map = BlockMap::fromBmap(bmap("<Range> 0-1 </Range><Range> 4 </Range>", "1.4", 4096 * 4 + 100), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(map.mappedBytes(), 4096 * 2 + 100);
    }

    void built()
    {
        BlockMap map(4096 * 10, 4096);
        for (qint64 b : {0, 1, 2, 5, 7, 8})
            map.addBlock(b);
        QCOMPARE(map.ranges().size(), 3);
        QCOMPARE(map.ranges().at(1).first, 5);
        QCOMPARE(map.ranges().at(2).last, 8);
        QCOMPARE(map.mappedBytes(), 6 * 4096);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("word");
        QTest::newRow("version 3") << bmap("<Range> 0 </Range>", "3.0") << "version";
        QTest::newRow("overlap") << bmap("<Range> 0-4 </Range><Range> 3-5 </Range>") << "overlap";
        QTest::newRow("out of order") << bmap("<Range> 6 </Range><Range> 2 </Range>") << "order";
        QTest::newRow("past end") << bmap("<Range> 0-16 </Range>") << "past the end";
        QTest::newRow("block size") << bmap("<Range> 0 </Range>", "2.0", 65536, 3000) << "power of two";
        QTest::newRow("not a range") << bmap("<Range> x-y </Range>") << "FIRST-LAST";
        QTest::newRow("reversed") << bmap("<Range> 5-2 </Range>") << "FIRST-LAST";
        QTest::newRow("checksum") << bmap("<Range chksum=\"abc\"> 0 </Range>") << "checksum";
        QTest::newRow("not bmap") << QByteArray("<html/>") << "<bmap>";
        QTest::newRow("truncated") << bmap("<Range> 0 </Range>").left(120) << "XML";
        QTest::newRow("huge size") << bmap("<Range> 0 </Range>", "2.0", qint64(1) << 62) << "plausible";
        QTest::newRow("no size") << QByteArray("<bmap version=\"2.0\"><BlockSize>4096</BlockSize></bmap>")
                                 << "image size";
    }

    void errors()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, word);
        QString error;
        QVERIFY(BlockMap::fromBmap(xml, &error).isEmpty());
        QVERIFY2(error.contains(word), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBlockMap)
#include "tst_blockmap.moc"
