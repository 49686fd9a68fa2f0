// SPDX-License-Identifier: GPL-3.0-or-later
// The helpers of cli.h that the window module (guimain.cpp) shares with the commands, in a file
// of their own: linking cli.cpp would pull every command (its table names them all) into it.
#include "cli.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace Hivelab::Cli {

std::optional<int> intOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                             int min, int max)
{
    const QString text = parser.value(option);
    bool ok = false;
    // Parsed wide, so that no huge value wraps around into the range.
    const qlonglong value = text.trimmed().toLongLong(&ok);
    if (ok && value >= min && value <= max)
        return int(value);
    printErr(QCoreApplication::translate("Cli", "--%1 must be a whole number from %2 to %3 (not "
                                                "\"%4\").")
                 .arg(option.names().constLast())
                 .arg(min)
                 .arg(max)
                 .arg(text));
    return std::nullopt;
}

QString rangeText(int min, int max)
{
    return QStringLiteral("%1-%2").arg(min).arg(max);
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Hivelab"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("hivelab.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("hivelab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HIVELAB_VERSION));
}

void printOut(const QString &text)
{
    QTextStream out(stdout);
    out << text << Qt::endl;
}

void printErr(const QString &text)
{
    QTextStream err(stderr);
    err << text << Qt::endl;
}

} // namespace Hivelab::Cli
