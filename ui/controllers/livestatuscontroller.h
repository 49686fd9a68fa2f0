// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "swarmstatus.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QTimer;

namespace Hivelab {

class LabDocument;
class SwarmJobController;

/// Live status: while enabled, asks the managers for the swarm's state every intervalMs()
/// (a SwarmStatus job over the SwarmJobController's pool, so each tick reuses the open
/// connections) and so keeps the document's node states current. Quiet: a job of the user's
/// own goes first. Opening another lab turns it off. Async, GUI thread.
class LiveStatusController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveStatusController)
public:
    static constexpr int DefaultIntervalMs = 15000;

    LiveStatusController(LabDocument *document, SwarmJobController *jobs,
                         QObject *parent = nullptr);
    ~LiveStatusController() override;

    void setEnabled(bool on);
    bool isEnabled() const;
    void setIntervalMs(int ms);
    int intervalMs() const;
    /// One refresh now (skipped while a refresh or a swarm job runs).
    void refresh();

Q_SIGNALS:
    void enabledChanged(bool on);
    /// Every refresh (ok: a manager answered with the node list).
    void refreshed(bool ok);
    /// The first answer after enabling, and whenever ok flips. ready/total count boards;
    /// error is the job's reason when no manager answered.
    void answerChanged(bool ok, int readyBoards, int totalBoards, const QString &error);
    /// Boards whose node labels differ from the plan (SwarmStatus::labelsOutOfDate()), whenever
    /// that list changes in an answer.
    void labelsOutOfDateChanged(const QStringList &boardIds);

private:
    void onJobFinished(SwarmStatus *job);

    LabDocument *m_document;
    SwarmJobController *m_jobs;
    QTimer *m_timer;
    QPointer<SwarmStatus> m_job;
    int m_lastOk = -1; // -1 no answer yet, 0 failed, 1 ok
    QStringList m_labelsOutOfDate;
};

} // namespace Hivelab
