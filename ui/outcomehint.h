// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "workflowjob.h"

#include <QString>

namespace Hivelab {

/// What the user can do about a board's outcome, in the GUI's own terms (the command line
/// words its flags instead). Empty when there is nothing to add. GUI thread.
QString outcomeHint(const BoardResult &result, const QString &boardName);

} // namespace Hivelab
