// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Hivelab {

/// Names of the workflows this build provides (shown in --version). Any thread.
QString workflowsSummary();

} // namespace Hivelab
