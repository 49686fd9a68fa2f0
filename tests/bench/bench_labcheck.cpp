// SPDX-License-Identifier: GPL-3.0-or-later
// Check benchmark: generated labs of doubling size (a long uplink chain, racks of 40 boards with
// 4 switches each, many one-board racks). Prints, per lab, the CPU time to read the lab file
// (parse + validate), to check it and to turn the report into JSON, and how the total grew
// against the previous size (2.0 = linear). A family stops growing once a step takes > 20 s.
// `bench_labcheck --write DIR` also saves the largest lab of each family for timing the whole
// `hivelab check FILE` process.
#include "boardcatalog.h"
#include "labcheck.h"
#include "labfile.h"

#include "../common/labgenerators.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <ctime>
#include <functional>

using namespace Hivelab;

namespace {

/// CPU milliseconds since `start`: steadier than wall time on a shared machine.
double msSince(std::clock_t start)
{
    return 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC;
}

struct Family
{
    const char *name;
    const char *unit;
    std::function<Lab(int)> make;
    QList<int> sizes;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int write = args.indexOf(QStringLiteral("--write"));
    const QString writeDir = write > 0 && write + 1 < args.size() ? args.at(write + 1) : QString();

    const QList<Family> families = {
        {"uplink chain", "switches", HivelabTest::uplinkChainLab, {250, 500, 1000, 2000}},
        {"racks of 40", "boards", HivelabTest::rackRowLab, {2500, 5000, 10000, 20000}},
        {"one-board racks", "racks", HivelabTest::manyRacksLab, {2500, 5000, 10000, 20000}},
    };
    std::printf("| %-16s | %6s | %-8s | %8s | %8s | %8s | %8s | %8s | %6s |\n", "lab", "size",
                "unit", "file KB", "load ms", "check ms", "json ms", "total ms", "growth");
    for (const Family &family : families) {
        double previous = 0;
        for (const int size : family.sizes) {
            const QByteArray file = LabFile::toJson(family.make(size));
            std::clock_t t = std::clock();
            LabFileError error;
            const std::optional<Lab> lab = LabFile::fromJson(file, &error);
            const double loadMs = msSince(t);
            if (!lab) {
                std::fprintf(stderr, "%s\n", qPrintable(error.toString()));
                return 1;
            }
            t = std::clock();
            const CheckReport report = checkLab(*lab, BoardCatalog::builtin());
            const double checkMs = msSince(t);
            t = std::clock();
            const QByteArray json = QJsonDocument(checkReportToJson(report, *lab)).toJson();
            const double jsonMs = msSince(t);
            const double total = loadMs + checkMs + jsonMs;
            const QString growth =
                previous > 0 ? QString::number(total / previous, 'f', 2) : QStringLiteral("-");
            std::printf("| %-16s | %6d | %-8s | %8.0f | %8.1f | %8.1f | %8.1f | %8.1f | %6s |\n",
                        family.name, size, family.unit, file.size() / 1024.0, loadMs, checkMs,
                        jsonMs, total, qPrintable(growth));
            std::fflush(stdout);
            previous = total;
            if (!writeDir.isEmpty() && size == family.sizes.last()) {
                const QString name = QStringLiteral("%1-%2.hivelab")
                                         .arg(QString::fromLatin1(family.name)
                                                  .replace(QLatin1Char(' '), QLatin1Char('-')))
                                         .arg(size);
                QFile out(QDir(writeDir).filePath(name));
                if (!out.open(QIODevice::WriteOnly) || out.write(file) != file.size()) {
                    std::fprintf(stderr, "cannot write %s\n", qPrintable(out.fileName()));
                    return 1;
                }
            }
            if (total > 20000)
                break;
        }
    }
    return 0;
}
