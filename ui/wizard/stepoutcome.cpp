// SPDX-License-Identifier: GPL-3.0-or-later
#include "stepoutcome.h"

#include <QCoreApplication>

namespace Hivelab {

QIcon StepOutcome::icon(State state)
{
    switch (state) {
    case State::NotRun:
    case State::Skipped:
        return QIcon(QStringLiteral(":/hivelab/wizard/skipped.svg"));
    case State::Done:
        return QIcon(QStringLiteral(":/hivelab/wizard/ok.svg"));
    case State::Partial:
        return QIcon(QStringLiteral(":/hivelab/wizard/warning.svg"));
    case State::Failed:
        return QIcon(QStringLiteral(":/hivelab/wizard/failed.svg"));
    }
    return {};
}

QString StepOutcome::text(State state)
{
    switch (state) {
    case State::NotRun:
        return QCoreApplication::translate("StepOutcome", "– not run");
    case State::Done:
        return QCoreApplication::translate("StepOutcome", "✓ done");
    case State::Partial:
        return QCoreApplication::translate("StepOutcome", "! partly");
    case State::Failed:
        return QCoreApplication::translate("StepOutcome", "✕ failed");
    case State::Skipped:
        return QCoreApplication::translate("StepOutcome", "– skipped");
    }
    return {};
}

StepOutcome StepOutcome::fromBoards(const QStringList &boardIds,
                                    const QHash<QString, BoardStatus> &statuses,
                                    const QString &doneText)
{
    using S = BoardStatus::State;
    int done = 0;
    int tried = 0;
    int skipped = 0;
    for (const QString &id : boardIds) {
        const auto it = statuses.constFind(id);
        if (it == statuses.cend())
            continue;
        done += it->state == S::Done;
        tried += it->state == S::Failed || it->state == S::Cancelled;
        skipped += it->state == S::Skipped;
    }
    const int total = int(boardIds.size());
    const QString count = doneText.arg(done).arg(total);
    if (total > 0 && done == total)
        return {State::Done, count};
    if (done > 0)
        return {State::Partial, count};
    if (tried > 0)
        return {State::Failed, count};
    if (total > 0 && skipped == total)
        return {State::Skipped, count};
    return {State::NotRun, {}};
}

} // namespace Hivelab
