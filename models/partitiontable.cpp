// SPDX-License-Identifier: GPL-3.0-or-later
#include "partitiontable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab {

bool PartitionTable::Partition::isFat() const
{
    static const QStringList mbrFat = {QStringLiteral("1"), QStringLiteral("4"),
                                       QStringLiteral("6"), QStringLiteral("b"),
                                       QStringLiteral("c"), QStringLiteral("e"),
                                       QStringLiteral("ef")};
    static const QStringList gptFat = {
        QStringLiteral("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"),  // Microsoft basic data
        QStringLiteral("C12A7328-F81F-11D2-BA4B-00A0C93EC93B")}; // EFI system
    QString t = type.toLower();
    while (t.size() > 1 && t.startsWith(QLatin1Char('0')))
        t.remove(0, 1);
    return mbrFat.contains(t) || gptFat.contains(type.toUpper());
}

std::optional<PartitionTable> PartitionTable::fromSfdiskJson(const QByteArray &json,
                                                             QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject t = doc.object().value(QLatin1String("partitiontable")).toObject();
    if (parseError.error != QJsonParseError::NoError || t.isEmpty()) {
        *error = tr("no partition table found");
        return std::nullopt;
    }
    PartitionTable table;
    table.label = t.value(QLatin1String("label")).toString();
    table.sectorSize = t.value(QLatin1String("sectorsize")).toInt(512);
    if (table.sectorSize < 512 || table.sectorSize > 65536 ||
        (table.sectorSize & (table.sectorSize - 1)) != 0) {
        *error = tr("unexpected sector size %1").arg(table.sectorSize);
        return std::nullopt;
    }
    const QJsonArray parts = t.value(QLatin1String("partitions")).toArray();
    for (const QJsonValue &v : parts) {
        const QJsonObject o = v.toObject();
        Partition p;
        p.node = o.value(QLatin1String("node")).toString();
        p.start = qint64(o.value(QLatin1String("start")).toDouble(-1));
        p.size = qint64(o.value(QLatin1String("size")).toDouble(-1));
        p.type = o.value(QLatin1String("type")).toString();
        if (p.start <= 0 || p.size <= 0 || p.start > (qint64(1) << 48) ||
            p.size > (qint64(1) << 48)) {
            *error = tr("partition %1 has no valid start and size").arg(p.node);
            return std::nullopt;
        }
        table.partitions.append(p);
    }
    return table;
}

const PartitionTable::Partition *PartitionTable::bootPartition() const
{
    for (const Partition &p : partitions) {
        if (p.isFat())
            return &p;
    }
    return nullptr;
}

} // namespace Hivelab
