// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>

class QProcess;

namespace Hivelab {

class SshConfig;

/// Asks `ssh -G` about several hosts side by side (at most MaxRunning processes at once, each
/// bounded by SshConfig::TimeoutMs) and keeps each answer in the SshConfig it was made for, so
/// that config's resolve() then answers without a process. Async, on the thread that owns it:
/// it never waits for a process, answers arrive with each process's finished signal.
class SshConfigLookup : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxRunning = 16;

    /// `config` (loaded) must outlive the lookup and stay on its thread.
    explicit SshConfigLookup(SshConfig *config, QObject *parent = nullptr);
    ~SshConfigLookup() override;
    Q_DISABLE_COPY_MOVE(SshConfigLookup)

    /// Starts lookups for the (alias, localUser) pairs the config cannot answer yet, one
    /// process per alias. Pairs already answered are not reported again.
    void start(const QList<QPair<QString, QString>> &hosts);
    /// Kills the running processes and drops the queued ones; nothing is reported after this.
    void cancel();
    /// Aliases started and not answered yet.
    bool isBusy() const { return !m_queue.isEmpty() || !m_running.isEmpty(); }

Q_SIGNALS:
    /// Every pair of `alias` asked for is answered (SshHostConfig::error says when ssh failed or
    /// timed out).
    void resolved(const QString &alias);

private:
    void startNext();
    void onDone(QProcess *ssh, bool ok, const QByteArray &output);
    /// Kills `ssh` if it still runs and deletes it once it has ended.
    void dispose(QProcess *ssh);

    SshConfig *m_config;
    QList<QString> m_queue;               // aliases waiting for a free slot
    QHash<QString, QStringList> m_users;  // alias -> local users asked for
    QHash<QProcess *, QString> m_running; // process -> alias
};

} // namespace Hivelab
