// SPDX-License-Identifier: GPL-3.0-or-later
// STUB: replaced by the fault-domain analysis.
#include "labcheck.h"

namespace Hivelab {

bool CheckReport::hasErrors() const { return count(Severity::Error) > 0; }

int CheckReport::count(Severity severity) const
{
    int n = 0;
    for (const Finding &f : findings)
        n += f.severity == severity ? 1 : 0;
    return n;
}

CheckReport checkLab(const Lab &lab, const BoardCatalog &)
{
    CheckReport r;
    r.managerCount = lab.managers().size();
    r.quorum = r.managerCount > 0 ? r.managerCount / 2 + 1 : 0;
    return r;
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QStringLiteral("error");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Info:
        break;
    }
    return QStringLiteral("info");
}

} // namespace Hivelab
