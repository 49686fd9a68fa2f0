// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowsinfo.h"

namespace Hivelab {

QString workflowsSummary()
{
    return QStringLiteral("check, provision, swarm");
}

} // namespace Hivelab
