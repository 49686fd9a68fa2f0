// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshpool.h"

#include "sshcommand.h"
#include "sshpooltask.h"
#include "sshsession.h"

namespace Hivelab {

SshPool::SshPool(QObject *parent)
    : QObject(parent)
{}

SshPool::~SshPool()
{
    // Sessions are children: they join their workers as they are destroyed.
    for (const Pending &p : std::as_const(m_queue)) {
        if (p.task)
            disconnect(p.task, nullptr, this, nullptr);
    }
}

void SshPool::setMaxConcurrent(int limit)
{
    m_maxConcurrent = qMax(1, limit);
    pump();
}

QString SshPool::keyOf(const SshConnectOptions &options, const SshAuth &auth)
{
    return QStringLiteral("%1@%2:%3").arg(auth.user, options.host).arg(options.port);
}

SshPoolTask *SshPool::run(const SshConnectOptions &options, const SshAuth &auth,
                          const QString &command, const SshExecOptions &execOptions)
{
    return enqueue(options, auth, command, execOptions, false);
}

SshPoolTask *SshPool::lease(const SshConnectOptions &options, const SshAuth &auth)
{
    return enqueue(options, auth, QString(), SshExecOptions(), true);
}

SshPoolTask *SshPool::enqueue(const SshConnectOptions &options, const SshAuth &auth,
                              const QString &command, const SshExecOptions &execOptions, bool lease)
{
    auto *task = new SshPoolTask(keyOf(options, auth), command, execOptions, this);
    m_queue.append(Pending{task, options, auth, execOptions, lease});
    // Let the caller connect to the task's signals before it can start.
    QMetaObject::invokeMethod(this, &SshPool::pump, Qt::QueuedConnection);
    return task;
}

void SshPool::pump()
{
    while (m_running < m_maxConcurrent && !m_queue.isEmpty()) {
        Pending p = m_queue.takeFirst();
        if (!p.task || p.task->isFinished())
            continue;
        const QString key = keyOf(p.options, p.auth);
        Connection &c = m_sessions[key];
        if (c.session && (c.session->state() == SshSession::State::Failed ||
                          c.session->state() == SshSession::State::Closed)) {
            if (c.busy == 0)
                c.session->deleteLater();
            c.session = nullptr;
        }
        if (!c.session) {
            c.session = new SshSession(this);
            c.session->connectToHost(p.options, p.auth);
        }
        ++c.busy;
        ++m_running;
        m_peakRunning = qMax(m_peakRunning, m_running);
        connect(p.task, &SshPoolTask::finished, this, [this, key]() { onTaskFinished(key); });
        if (p.lease)
            p.task->attachSession(c.session);
        else
            p.task->attach(c.session->exec(p.task->command(), p.execOptions));
    }
    if (m_running == 0 && m_queue.isEmpty())
        Q_EMIT idle();
}

void SshPool::onTaskFinished(const QString &key)
{
    --m_running;
    auto it = m_sessions.find(key);
    if (it != m_sessions.end()) {
        --it->busy;
        // A failed connection is not reused: the next task for this board reconnects.
        if (it->session && it->busy == 0 &&
            (it->session->state() == SshSession::State::Failed ||
             it->session->state() == SshSession::State::Closed)) {
            it->session->deleteLater();
            m_sessions.erase(it);
        }
    }
    QMetaObject::invokeMethod(this, &SshPool::pump, Qt::QueuedConnection);
}

void SshPool::closeIdle()
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->busy == 0) {
            if (it->session)
                it->session->deleteLater();
            it = m_sessions.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace Hivelab
