// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "staticaddressconfig.h"
#include "workflowjob.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>

namespace Hivelab {

class SshSession;

/// "Apply planned addresses": moves running boards to their planned static address (the lab
/// file's first-boot identity) over SSH, with a rollback that runs on the board. Per board:
/// probe which stack configures the interface holding the address the SSH connection arrived
/// at (ifupdown, netplan, NetworkManager, dhcpcd), stage the new files under /run with a
/// watchdog that restores the old ones after the rollback bound unless confirmed, start the
/// change detached from the session, then log in over a new connection to the new address —
/// trusting only the host key the board showed at its old address — and confirm. Only then is
/// the board's plan updated (its sshHost, if it named the old address, is cleared). When the
/// board does not answer in time (or answers with another key) it rolls back by itself; the job
/// then checks that it answers at its old address again and reports the board failed.
/// Async job, GUI thread.
class AddressApply : public WorkflowJob
{
    Q_OBJECT
public:
    /// Steps of one board, for progress (done/total counts steps of all boards).
    enum class Step { Probe, Stage, Switch, Confirm, Done };
    Q_ENUM(Step)

    explicit AddressApply(LabDocument *document, QObject *parent = nullptr);

    /// Seconds the board waits for the confirmation before it restores its old address
    /// (default 60, at least 10).
    void setRollbackSeconds(int seconds);
    int rollbackSeconds() const { return m_rollbackSeconds; }

    /// Boards whose plan has a static address that can be applied: no address problem of
    /// FirstBootPlan::problems(). `why` gets a sentence per board left out.
    static QStringList applicableBoards(const Lab &lab, QHash<QString, QString> *why = nullptr);

    /// After a board finished: the stack found on it.
    NetworkStack stack(const QString &boardId) const { return m_boards.value(boardId).stack; }
    /// After a board failed: true when it restored its old address (checked by logging in
    /// there again).
    bool rolledBack(const QString &boardId) const { return m_boards.value(boardId).rolledBack; }

protected:
    void begin() override;
    void cancelWork() override;

private:
    struct BoardRun
    {
        QString oldHost;
        QString newAddress;
        QString fingerprint;
        QString runId;
        SshLogin login;
        NetworkStack stack = NetworkStack::Unknown;
        QElapsedTimer sinceStage;
        bool rolledBack = false;
        bool waiting = false;       // awaitRollback() announced
        QPointer<SshSession> probe; // the connection to the new (or, after a rollback, old) address
    };
    using Reply = std::function<void(int exitStatus, const QByteArray &out, const SshErrorInfo &)>;
    void exec(SshSession *session, const QString &command, const QByteArray &stdinData, bool asRoot,
              const QString &password, const Reply &done);
    void applyBoard(const QString &id);
    void probeBoard(const QString &id, SshSession *session, const SshLogin &login);
    void stageBoard(const QString &id, SshSession *session, const NetworkFacts &facts);
    void tryConfirm(const QString &id);
    void awaitRollback(const QString &id, const QString &why);
    void stepDone();
    void failBoard(const QString &id, BoardResult::Outcome outcome, const QString &message);

    int m_rollbackSeconds = 60;
    QHash<QString, BoardRun> m_boards;
    qint64 m_stepsDone = 0;
    qint64 m_stepsTotal = 0;
};

} // namespace Hivelab
