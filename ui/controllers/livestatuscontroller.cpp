// SPDX-License-Identifier: GPL-3.0-or-later
#include "livestatuscontroller.h"

#include "labdocument.h"
#include "swarmjobcontroller.h"
#include "swarmstatus.h"

#include <QTimer>

namespace Hivelab {

LiveStatusController::LiveStatusController(LabDocument *document, SwarmJobController *jobs,
                                           QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_jobs(jobs)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(DefaultIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LiveStatusController::refresh);
    // Another lab: never keep contacting boards the user did not ask about.
    connect(m_document, &LabDocument::reset, this, [this]() { setEnabled(false); });
}

LiveStatusController::~LiveStatusController()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
        delete m_job;
    }
}

void LiveStatusController::setEnabled(bool on)
{
    if (on == isEnabled())
        return;
    m_lastOk = -1;
    if (on) {
        m_timer->start();
    } else {
        m_timer->stop();
        if (m_job)
            m_job->cancel();
    }
    Q_EMIT enabledChanged(on);
    if (on)
        refresh();
}

bool LiveStatusController::isEnabled() const
{
    return m_timer->isActive();
}

void LiveStatusController::setIntervalMs(int ms)
{
    m_timer->setInterval(ms);
}

int LiveStatusController::intervalMs() const
{
    return m_timer->interval();
}

void LiveStatusController::refresh()
{
    // A swarm job of the user's own goes first (it updates the LEDs itself).
    if ((m_job && m_job->isRunning()) || m_jobs->isBusy())
        return;
    auto *job = new SwarmStatus(m_document, this);
    job->setWithTasks(true); // service chips on the cards, the replica check
    m_job = job;
    m_jobs->configure(job);
    connect(job, &WorkflowJob::finished, this, [this, job]() { onJobFinished(job); });
    job->start();
}

void LiveStatusController::onJobFinished(SwarmStatus *job)
{
    job->deleteLater();
    const bool ok = !job->managerBoardId().isEmpty();
    if (int(ok) != m_lastOk) {
        int ready = 0;
        const QList<BoardResult> results = job->results();
        for (const BoardResult &r : results)
            ready += r.ok;
        Q_EMIT answerChanged(ok, ready, int(results.size()), job->errorString());
    }
    m_lastOk = ok;
    if (ok && job->labelsOutOfDate() != m_labelsOutOfDate) {
        m_labelsOutOfDate = job->labelsOutOfDate();
        Q_EMIT labelsOutOfDateChanged(m_labelsOutOfDate);
    }
    Q_EMIT refreshed(ok);
}

} // namespace Hivelab
