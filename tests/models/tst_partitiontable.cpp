// SPDX-License-Identifier: GPL-3.0-or-later
#include "partitiontable.h"

#include <QTest>

using namespace Hivelab;

class TestPartitionTable : public QObject
{
    Q_OBJECT
private slots:
    void findsTheFatBootPartition_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("offset"); // -1: no boot partition
        // As sfdisk 2.38 prints a Raspberry Pi OS card and a GPT board image.
        QTest::newRow("dos") << QByteArray(R"({"partitiontable": {"label": "dos", "unit": "sectors",
            "sectorsize": 512, "partitions": [
            {"node": "/dev/loop0p1", "start": 8192, "size": 1048576, "type": "c"},
            {"node": "/dev/loop0p2", "start": 1056768, "size": 4194304, "type": "83"}]}})")
                             << qint64(8192) * 512;
        QTest::newRow("gpt 4k") << QByteArray(R"({"partitiontable": {"label": "gpt",
            "sectorsize": 4096, "partitions": [
            {"node": "a1", "start": 256, "size": 1000, "type": "0FC63DAF-8483-4772-8E79-3D69D8477DE4"},
            {"node": "a2", "start": 2000, "size": 1000, "type": "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"}]}})")
                                << qint64(2000) * 4096;
        QTest::newRow("linux only") << QByteArray(R"({"partitiontable": {"label": "dos",
            "partitions": [{"node": "x1", "start": 2048, "size": 10, "type": "83"}]}})")
                                    << qint64(-1);
    }

    void findsTheFatBootPartition()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, offset);
        QString error;
        const auto table = PartitionTable::fromSfdiskJson(json, &error);
        QVERIFY2(table, qPrintable(error));
        const PartitionTable::Partition *boot = table->bootPartition();
        QCOMPARE(boot ? table->byteOffset(*boot) : -1, offset);
    }

    void refusesWhatIsNoTable()
    {
        QString error;
        QVERIFY(!PartitionTable::fromSfdiskJson("", &error));
        QVERIFY(!PartitionTable::fromSfdiskJson(R"({"partitiontable": {"sectorsize": 1000,
            "partitions": []}})", &error));
        QVERIFY(error.contains(QLatin1String("sector size")));
        QVERIFY(!PartitionTable::fromSfdiskJson(R"({"partitiontable": {"partitions": [
            {"node": "x", "start": -5, "size": 1, "type": "c"}]}})", &error));
    }
};

QTEST_GUILESS_MAIN(TestPartitionTable)
#include "tst_partitiontable.moc"
