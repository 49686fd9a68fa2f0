// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Hivelab {

/// Versions of the IO libraries this build runs with (for --version and bug reports). Any thread.
QString platformLibraryVersions();

} // namespace Hivelab
