// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dockerinfo.h"
#include "labcheck.h"
#include "swarmjob.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSet>

namespace Hivelab {

/// "Form swarm" / "Join to swarm" / "Leave swarm" over the lab plan. Async job, GUI thread.
///
/// Form (one click for the whole lab): every board with a role (Manager/Worker) unless
/// filtered. Probes each engine (engine API `GET /info`), reuses a swarm some planned manager
/// already runs (idempotent: running it twice changes nothing) or `docker swarm init`s on the first
/// planned manager (as soon as that one has answered; undone if another planned manager turns
/// out to run a swarm, and nobody joins before every planned manager has answered), promotes or
/// demotes members whose role differs from the plan, joins every other board in parallel (each
/// as soon as its own answer is in): planned managers with the manager token while the managers
/// in place have quorum, else as workers promoted in one round once they have joined (only Ready
/// nodes, only with quorum), and brings node labels in line with the plan
/// (NodeLabels: hivelab.* placement labels, swarm default labels, board labels, "arch"; stale
/// hivelab.* labels removed, others never) through the engine API, then verifies with `GET /nodes`
/// (bounded wait) that every board is Ready with its planned role, has each board confirm its
/// membership itself (a board lost a moment ago still looks Ready to the managers until its
/// heartbeat expires), and sets NodeState SwarmReady / SwarmDown. Each confirmed board's swarm node
/// ID is recorded in the plan (Board::nodeId). A swarm without a leader (a manager was just lost)
/// is given a bounded wait for an election. managerCount() tells whether the swarm ended with fewer
/// managers than planned.
///
/// A board that joined again (reflashed) replaces its old node: once the new node is confirmed,
/// the old Down one of the same board (recorded node ID or hostname) is removed.
///
/// Join: like Form for the filtered boards only, joining the swarm the planned managers run
/// (refuses to create one: use Form). Unassigned boards join as workers.
///
/// Leave: the filtered boards (all boards with a role when no filter) leave; managers are
/// demoted first and their nodes removed, so the rest of the swarm keeps quorum; leaving every
/// manager dissolves the swarm.
///
/// A board that belongs to another swarm is refused with an explanation unless setForce(true),
/// which makes it leave that swarm first. Join tokens are read (`GET /swarm`) and used
/// (`POST /swarm/join`) through the engine API over SSH (WorkflowJob::callEngine): they never
/// appear in logs, in a command line or in a process list.
class SwarmFormation : public SwarmJob
{
    Q_OBJECT
public:
    enum class Operation { Form, Join, Leave };
    Q_ENUM(Operation)

    explicit SwarmFormation(LabDocument *document, QObject *parent = nullptr);

    void setOperation(Operation operation) { m_operation = operation; }
    Operation operation() const { return m_operation; }
    void setForce(bool force) { m_force = force; }
    /// Seconds the swarm may take to show every node Ready, and to elect a leader (default 30).
    void setVerifySeconds(int seconds) { m_verifySeconds = seconds; }

    /// Board of the manager the job worked through (after the probe step).
    QString leaderBoardId() const { return m_leader; }
    /// True when this run ran `docker swarm init` (false when it reused a swarm).
    bool initialisedSwarm() const { return m_initialised; }
    /// The swarm's nodes as last listed by the verify step.
    QList<SwarmNode> nodes() const { return m_nodes; }

    /// Managers after a form or join run: planned in the lab and Ready in the swarm (confirmed
    /// by the board itself for boards of the run). Plain value.
    struct ManagerCount
    {
        int planned = 0;
        int ready = 0;
        /// The plan survives a manager failure, the swarm as it ended does not (e.g. 2 of 3).
        bool lostFaultTolerance() const
        {
            return toleratedFailuresFor(planned) > 0 && toleratedFailuresFor(ready) == 0;
        }
    };
    /// After finished() of a Form or Join run that got as far as verifying.
    ManagerCount managerCount() const { return m_managerCount; }

protected:
    void begin() override;

private:
    struct Member
    {
        DockerInfo info;
        bool answered = false; // the probe ended (probed: successfully)
        bool probed = false;
        bool wantManager = false;
        bool member = false;    // already in our swarm
        bool joinedNow = false; // joined in this run
        bool joinedAsManager = false; // with the manager token: nothing to promote
    };
    void probeAll();
    /// After each probe: the leader is decided once every planned manager answered (Form,
    /// Join) or every board (Leave); a board answering after the joins started joins then.
    void onProbed(const QString &id);
    /// Form: `swarm init` on the first planned manager as soon as it has answered free (and
    /// those before it unreachable), while the others still answer.
    void initEarly();
    /// Another planned manager turned out to run a swarm: the early one is left again.
    void undoEarlyInit(const QString &running);
    void onProbesDone();
    void initSwarm();
    void readClusterNodes(const std::function<void()> &next, int attempt = 0);
    /// True when `r` says the swarm has no leader: schedules `again` (bounded) or fails the job.
    bool waitForLeader(const Remote &r, int attempt, const std::function<void()> &again);
    void fetchTokens();
    /// The worker token from the leader's `GET /swarm` answer, then the joins.
    void takeTokens(const Remote &r);
    void joinAll();
    /// A join ended (or the board will not join): the promotions start once no planned manager
    /// is still joining, the workers' labels once nobody is.
    void onJoined(const QString &id);
    void startPlan();
    /// applyPlan() is done: once every join ended, verify().
    void afterPlan();
    void joinBoard(const QString &id, const std::function<void(bool)> &done);
    void leaveOtherSwarm(const QString &id, const QString &why,
                         const std::function<void(bool)> &done);
    void fixRoles();
    /// Labels and promotions of the boards that joined, one node update each (bounded retries).
    void applyPlan(int attempt);
    void verify(int attempt);
    void confirmBoard(const QString &id, const std::function<void()> &done);
    /// Starts the confirmation of every board m_byBoard lists Ready that has none yet (from the
    /// plan's node list on: they run while the node updates go out).
    void confirmListed();
    /// Once verify() is done and every confirmation is in: each board's result, then
    /// finishFormation().
    void finishWhenConfirmed();
    void finishFormation();
    void leaveBoards();
    void leaveNext(int index, const QStringList &order);
    /// Every manager of the swarm leaves at once (--force): the swarm ends.
    void dissolveSwarm(const QStringList &managers);
    /// Records that a board left: result, node state, availability, leader, no node ID.
    void markLeft(const QString &id, const QString &message = QString());
    /// Calls @p then once the node no longer reports itself a manager (bounded wait).
    void whenDemoted(const QString &id, int attempt, const std::function<void()> &then);
    QString advertiseAddress(const QString &id) const;
    /// Board of each node in m_nodes (engine hostnames of probed boards win over the plan's).
    QHash<QString, QString> matchNodes() const;
    /// Removes Down nodes of boards this run confirmed under a newer node, then finishes.
    void removeStaleNodes();
    QString nodeIdOf(const QString &boardId) const;

    Operation m_operation = Operation::Form;
    bool m_force = false;
    int m_verifySeconds = 30;
    QHash<QString, Member> m_members;
    QString m_leader;
    // Boards that probed as workers but whose leave was refused as a manager's: a promotion
    // reached them after the probe. They leave with the managers.
    QStringList m_lateManagers;
    QString m_clusterId;
    bool m_initialised = false;
    QByteArray m_workerToken;        // secret: cleared when the job finishes
    QByteArray m_managerToken;       // secret, likewise; empty: planned managers join as workers
    QStringList m_managerJoinsFailed; // planned managers whose join with the manager token failed
    QDeadlineTimer m_planDeadline;   // applyPlan: fresh nodes to be listed Ready
    QDeadlineTimer m_verifyDeadline; // verify: every board Ready with its role
    QSet<QString> m_confirming;      // verify: boards asked to confirm their membership
    QSet<QString> m_confirmed;       // verify: boards that did
    int m_confirmsPending = 0;
    bool m_verified = false; // verify: the leader's list is final
    QList<SwarmNode> m_nodes;
    QHash<QString, SwarmNode> m_byBoard;  // verify: node of each board
    QHash<QString, QString> m_nodeBoards; // verify: board of each node (stale ones too)
    ManagerCount m_managerCount;
    int m_pending = 0;       // probes outstanding
    int m_managerProbes = 0; // of which planned managers
    bool m_decideEarly = false;
    bool m_probesDecided = false;
    QString m_earlyLeader;         // initEarly(): init sent before every manager answered
    bool m_earlyConfirmed = false; // no other manager runs a swarm: the early one stays
    bool m_earlyUndone = false;
    bool m_reuseWaiting = false; // a running swarm is reused once every board answered
    bool m_joinsStarted = false;
    QSet<QString> m_joining; // boards whose join has not ended (or not started: still probing)
    bool m_planStarted = false;
    bool m_planWaiting = false; // applyPlan() again once the last join ends
    bool m_planStale = false;   // a join ended during a round: applyPlan() again
    QSet<QString> m_promoted;   // planned managers whose promotion was sent
};

} // namespace Hivelab
