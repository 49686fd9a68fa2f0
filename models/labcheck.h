// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

namespace Hivelab {

class BoardCatalog;

enum class Severity { Info, Warning, Error };

struct Finding
{
    Severity severity = Severity::Info;
    QString code;         // stable machine-readable id, e.g. "quorum.rack-loss"
    QString message;      // user-facing (tr)
    QStringList objectIds; // racks/PSUs/switches/boards concerned
    QString suggestion;   // how to fix it (may be empty)
};

struct CheckReport
{
    int managerCount = 0;
    int quorum = 0; // floor(n/2)+1, 0 with no managers
    QList<Finding> findings;
    /// Board IDs of a manager set that survives any single rack/PSU/switch loss (empty if none).
    QStringList suggestedManagers;
    QString suggestionReason;

    bool hasErrors() const;
    int count(Severity severity) const;
};

/// Fault-domain analysis ("Check lab"). Pure function; any thread.
CheckReport checkLab(const Lab &lab, const BoardCatalog &catalog);

QString severityName(Severity severity);

} // namespace Hivelab
