// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardstatus.h"

#include <QCoreApplication>

namespace Hivelab {

QIcon BoardStatus::icon(State state)
{
    switch (state) {
    case State::Pending:
        return QIcon(QStringLiteral(":/hivelab/wizard/pending.svg"));
    case State::Running:
        return QIcon(QStringLiteral(":/hivelab/wizard/running.svg"));
    case State::Done:
        return QIcon(QStringLiteral(":/hivelab/wizard/ok.svg"));
    case State::Failed:
        return QIcon(QStringLiteral(":/hivelab/wizard/failed.svg"));
    case State::Skipped:
    case State::Cancelled:
        return QIcon(QStringLiteral(":/hivelab/wizard/skipped.svg"));
    }
    return {};
}

QString BoardStatus::text(State state)
{
    switch (state) {
    case State::Pending:
        return QCoreApplication::translate("BoardStatus", "Not started");
    case State::Running:
        return QCoreApplication::translate("BoardStatus", "Working…");
    case State::Done:
        return QCoreApplication::translate("BoardStatus", "Done");
    case State::Failed:
        return QCoreApplication::translate("BoardStatus", "Failed");
    case State::Skipped:
        return QCoreApplication::translate("BoardStatus", "Skipped");
    case State::Cancelled:
        return QCoreApplication::translate("BoardStatus", "Cancelled");
    }
    return {};
}

} // namespace Hivelab
