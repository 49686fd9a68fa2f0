// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconfiglookup.h"

#include "sshconfig.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTimer>

namespace Hivelab {

SshConfigLookup::SshConfigLookup(SshConfig *config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{}

SshConfigLookup::~SshConfigLookup()
{
    cancel();
    // A process killed and not reaped yet is reaped here (the kill lands within milliseconds):
    // QProcess's destructor waits the same way, and warns that it was destroyed running.
    for (QProcess *ssh : findChildren<QProcess *>(Qt::FindDirectChildrenOnly)) {
        if (ssh->state() != QProcess::NotRunning)
            ssh->waitForFinished(1000);
    }
}

void SshConfigLookup::start(const QList<QPair<QString, QString>> &hosts)
{
    for (const auto &[alias, localUser] : hosts) {
        if (!m_config->asksSsh(alias))
            continue;
        // A shared answer is kept for this config's life, like its own ones.
        const QString key = m_config->cacheKey(alias, localUser);
        if (const std::optional<SshHostConfig> known = m_config->known(key)) {
            m_config->m_answers.insert(key, *known);
            continue;
        }
        QStringList &users = m_users[alias];
        if (users.contains(localUser))
            continue;
        // The process does not depend on the local user, only the reading of its answer.
        if (users.isEmpty())
            m_queue << alias;
        users << localUser;
    }
    startNext();
}

void SshConfigLookup::cancel()
{
    m_queue.clear();
    m_users.clear();
    const QList<QProcess *> running = m_running.keys();
    m_running.clear();
    for (QProcess *ssh : running) {
        disconnect(ssh, nullptr, this, nullptr);
        dispose(ssh);
    }
}

void SshConfigLookup::dispose(QProcess *ssh)
{
    if (ssh->state() == QProcess::NotRunning) {
        ssh->deleteLater();
        return;
    }
    // Deleted once reaped: a QProcess destroyed while its process runs warns and blocks until
    // the kill lands. If the lookup goes first, the child's destructor does that wait.
    connect(ssh, &QProcess::finished, ssh, &QObject::deleteLater);
    ssh->kill();
}

void SshConfigLookup::startNext()
{
    // Side by side: one `ssh -G` is mostly process start-up (20-40 ms, over 0.1 s on a loaded
    // machine), so N boards cost about one start instead of N.
    while (m_running.size() < MaxRunning && !m_queue.isEmpty()) {
        const QString alias = m_queue.takeFirst();
        auto *ssh = new QProcess(this);
        m_running.insert(ssh, alias);
        connect(ssh, &QProcess::finished, this, [this, ssh](int code, QProcess::ExitStatus st) {
            const bool ok = st == QProcess::NormalExit && code == 0;
            onDone(ssh, ok, ok ? ssh->readAllStandardOutput() : ssh->readAllStandardError());
        });
        connect(ssh, &QProcess::errorOccurred, this, [this, ssh](QProcess::ProcessError error) {
            if (error == QProcess::FailedToStart)
                onDone(ssh, false, ssh->errorString().toLocal8Bit());
        });
        QTimer::singleShot(SshConfig::TimeoutMs, ssh, [this, ssh, alias]() {
            onDone(ssh, false,
                   QCoreApplication::translate("SshConfig", "ssh -G %1 did not answer within %2 s.")
                       .arg(alias)
                       .arg(SshConfig::TimeoutMs / 1000)
                       .toLocal8Bit());
        });
        ssh->setStandardInputFile(QProcess::nullDevice());
        ssh->start(m_config->program(), m_config->arguments(alias));
    }
}

void SshConfigLookup::onDone(QProcess *ssh, bool ok, const QByteArray &output)
{
    const auto it = m_running.constFind(ssh);
    if (it == m_running.constEnd())
        return; // already answered (a kill's finished signal after the timeout)
    const QString alias = *it;
    m_running.erase(it);
    disconnect(ssh, nullptr, this, nullptr);
    dispose(ssh);
    const QStringList users = m_users.take(alias);
    for (const QString &localUser : users) {
        const QString key = m_config->cacheKey(alias, localUser);
        m_config->m_answers.insert(key, m_config->answer(ok, output, alias, localUser));
    }
    startNext();
    Q_EMIT resolved(alias);
}

} // namespace Hivelab
