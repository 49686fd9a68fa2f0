// SPDX-License-Identifier: GPL-3.0-or-later
#include "identifyworkflow.h"

#include <QPointer>
#include <QTimer>

namespace Hivelab {

IdentifyWorkflow::IdentifyWorkflow(Runner runner, QObject *parent)
    : QObject(parent)
    , m_runner(std::move(runner))
{}

void IdentifyWorkflow::add(const DiscoveredHost &host)
{
    if (host.sshPort <= 0) {
        DiscoveredHost h = host;
        h.loginError = tr("no SSH server found");
        // Queued so listeners see the same ordering as for real logins.
        QTimer::singleShot(0, this, [this, h, gen = m_generation] {
            if (gen != m_generation)
                return;
            Q_EMIT hostIdentified(h);
            if (isIdle())
                Q_EMIT idle();
        });
        return;
    }
    m_queue.push_back(host);
    pump();
}

void IdentifyWorkflow::cancel()
{
    ++m_generation; // late callbacks of running logins are dropped
    m_queue.clear();
    m_running = 0;
}

void IdentifyWorkflow::pump()
{
    while (m_running < m_maxParallel && !m_queue.empty()) {
        DiscoveredHost host = m_queue.front();
        m_queue.pop_front();
        ++m_running;
        QPointer<IdentifyWorkflow> self(this);
        const quint64 gen = m_generation;
        m_runner(host, HostFacts::compoundCommand(),
                 [self, gen, host](const QByteArray &out, const QString &error) mutable {
                     if (!self || gen != self->m_generation)
                         return;
                     --self->m_running;
                     if (!error.isEmpty() && out.isEmpty()) {
                         host.loginError = error;
                     } else {
                         host.facts = HostFacts::parseCompound(out);
                         if (!error.isEmpty())
                             host.facts->problems << error;
                     }
                     Q_EMIT self->hostIdentified(host);
                     self->pump();
                     if (self->isIdle())
                         Q_EMIT self->idle();
                 });
    }
}

} // namespace Hivelab
