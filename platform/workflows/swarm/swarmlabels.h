// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "swarmstatus.h"

namespace Hivelab {

/// "Apply placement to swarm": brings every board's node labels in line with the plan
/// (NodeLabels: hivelab.* placement labels, default and board labels, arch) through a manager
/// that answers (engine API `POST /nodes/{id}/update`), removing stale hivelab.* labels and
/// never touching other labels a user set by hand. With setCheckOnly(true) nothing changes: a
/// board whose labels differ fails with the difference. Works for boards that are down, too:
/// only a manager has to answer. Async job, GUI thread.
class SwarmLabels : public SwarmStatus
{
    Q_OBJECT
public:
    explicit SwarmLabels(LabDocument *document, QObject *parent = nullptr);

    void setCheckOnly(bool check) { m_checkOnly = check; }
    bool checkOnly() const { return m_checkOnly; }
    /// After finished(): boards whose labels differed from the plan, with the difference
    /// (before this run changed them).
    QHash<QString, NodeLabels::Diff> differences() const { return m_differences; }

protected:
    void report() override;

private:
    bool m_checkOnly = false;
    QHash<QString, NodeLabels::Diff> m_differences;
    int m_pending = 0;
};

} // namespace Hivelab
