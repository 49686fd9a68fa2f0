// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "swarmstatus.h"

namespace Hivelab {

/// Drains boards (their tasks move to other nodes, nothing new is scheduled there) or makes
/// them active again: asks the planned managers in turn for the node list like SwarmStatus,
/// then runs `docker node update --availability …` for each board on the manager that answered.
/// Async job, GUI thread. Boards the swarm does not list fail with "Not in the swarm.".
class NodeAvailability : public SwarmStatus
{
    Q_OBJECT
public:
    enum class Availability { Active, Drain, Pause };
    Q_ENUM(Availability)

    explicit NodeAvailability(LabDocument *document, QObject *parent = nullptr);

    void setAvailability(Availability availability) { m_availability = availability; }
    Availability availability() const { return m_availability; }
    /// "active", "drain" or "pause": Docker's word.
    static QString dockerWord(Availability availability);

protected:
    void report() override;

private:
    Availability m_availability = Availability::Drain;
    int m_pending = 0;
};

} // namespace Hivelab
