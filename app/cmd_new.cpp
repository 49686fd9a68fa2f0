// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"
#include "demolab.h"
#include "labfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

namespace Hivelab::Cli {

int cmdNew(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("Cli", "Write a new lab file. With --demo, the built-in demo lab."));
    parser.addHelpOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QCoreApplication::translate("Cli", "Start from the demo lab."));
    const QCommandLineOption force(QStringLiteral("force"),
                                   QCoreApplication::translate("Cli", "Overwrite an existing file."));
    parser.addOption(demo);
    parser.addOption(force);
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("Cli", "Lab file to write."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1) {
        printErr(QCoreApplication::translate("Cli", "Usage: hivelab new [--demo] [--force] FILE"));
        return ExitUsage;
    }
    const QString path = pos.first();
    if (QFileInfo::exists(path) && !parser.isSet(force)) {
        printErr(QCoreApplication::translate("Cli", "%1 already exists; use --force to overwrite it.")
                     .arg(path));
        return ExitUsage;
    }
    Lab lab;
    if (parser.isSet(demo)) {
        lab = demoLab();
    } else {
        lab.name = QFileInfo(path).completeBaseName();
    }
    LabFileError error;
    if (!LabFile::save(lab, path, &error)) {
        printErr(error.toString());
        return ExitUsage;
    }
    printOut(QCoreApplication::translate("Cli", "Wrote %1 (%2 racks, %3 boards).")
                 .arg(path)
                 .arg(lab.racks.size())
                 .arg(lab.boards.size()));
    return ExitOk;
}

} // namespace Hivelab::Cli
