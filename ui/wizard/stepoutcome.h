// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardstatus.h"

#include <QHash>
#include <QIcon>
#include <QString>

namespace Hivelab {

/// How one wizard step ended, as the sidebar shows it: ticked only when it completed. Plain
/// value type, GUI thread.
struct StepOutcome
{
    enum class State {
        NotRun,  // nothing ran (or the step only shows guidance)
        Done,    // completed for everything it applies to
        Partial, // completed for some boards, not for others
        Failed,  // ran and completed for none
        Skipped, // nothing to do here (every board was left out)
    };

    State state = State::NotRun;
    QString detail; // "3 of 10 boards signed in"

    bool operator==(const StepOutcome &other) const
    {
        return state == other.state && detail == other.detail;
    }
    bool operator!=(const StepOutcome &other) const { return !(*this == other); }

    /// Distinct shapes per state (tick, triangle, cross, dash), never colour alone.
    static QIcon icon(State state);
    /// A glyph and a word: "✓ done", "! partly", "✕ failed", "– not run", "– skipped".
    static QString text(State state);

    /// The outcome of a step that runs on `boardIds`, from their statuses: all done → Done,
    /// some → Partial, none but some tried → Failed, all skipped → Skipped, else NotRun.
    /// `doneText` words the count ("%1 of %2 boards signed in").
    static StepOutcome fromBoards(const QStringList &boardIds,
                                  const QHash<QString, BoardStatus> &statuses,
                                  const QString &doneText);
};

/// A wizard page that reports its outcome; it emits QWizardPage::completeChanged() when the
/// outcome may have changed.
class WizardStep
{
public:
    virtual ~WizardStep() = default;
    virtual StepOutcome outcome() const = 0;

protected:
    WizardStep() = default;
    Q_DISABLE_COPY_MOVE(WizardStep)
};

} // namespace Hivelab
