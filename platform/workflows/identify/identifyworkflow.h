// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "discoveredhost.h"

#include <QObject>

#include <deque>
#include <functional>

namespace Hivelab {

/// Logs in to discovered hosts and fills DiscoveredHost::facts from one compound command per host
/// (HostFacts::compoundCommand()). The transport is injected, so the same workflow runs over the
/// SSH session layer or the system ssh client. Asynchronous; owner thread; bounded parallelism.
class IdentifyWorkflow : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdentifyWorkflow)
public:
    using Done = std::function<void(const QByteArray &out, const QString &error)>;
    /// Runs command on host (at host.ip, port host.sshPort) and calls done exactly once.
    using Runner =
        std::function<void(const DiscoveredHost &host, const QString &command, Done done)>;

    explicit IdentifyWorkflow(Runner runner, QObject *parent = nullptr);

    void setMaxParallel(int n) { m_maxParallel = qMax(1, n); }
    /// Queues a host; hosts without an SSH port come back at once with a loginError.
    void add(const DiscoveredHost &host);
    void cancel();
    bool isIdle() const { return m_queue.empty() && m_running == 0; }

Q_SIGNALS:
    void hostIdentified(const Hivelab::DiscoveredHost &host);
    /// Emitted whenever the last queued host is done.
    void idle();

private:
    void pump();

    Runner m_runner;
    std::deque<DiscoveredHost> m_queue;
    int m_running = 0;
    int m_maxParallel = 8;
    quint64 m_generation = 0;
};

} // namespace Hivelab
