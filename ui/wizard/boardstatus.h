// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QString>

namespace Hivelab {

/// Where one board stands in one wizard step. Plain value type, GUI thread.
struct BoardStatus
{
    enum class State { Pending, Running, Done, Failed, Skipped, Cancelled };

    State state = State::Pending;
    QString detail; // what happened, or why it failed and what to do

    static QIcon icon(State state);
    static QString text(State state);
};

} // namespace Hivelab
