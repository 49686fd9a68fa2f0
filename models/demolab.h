// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

namespace Hivelab {

/// The built-in demo lab: 4 mini-racks, each with its own PSU and switch; 7 Pine64 boards
/// (3 managers, 4 storage workers with a 2 TB USB disk each) and 3 Intel Up boards
/// (Ubuntu 16.04, Windows Server 2016 and 2019 workers). Pure function; any thread.
Lab demoLab();

} // namespace Hivelab
