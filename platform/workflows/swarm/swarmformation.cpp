// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmformation.h"

#include <algorithm>

#include "labdocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace Hivelab {

namespace {

// Docker gives up on a join after 20 s (swarmConnectTimeout) and says so; a little more than
// that bounds a board that went away while joining.
constexpr int JoinTimeoutMs = 35000;
// A board confirming its own membership answers in well under a second; silence for longer
// than Docker's heartbeat period (5 s) means it is gone.
constexpr int ConfirmTimeoutMs = 8000;
// Between two questions to the leader while the swarm settles (a fresh node turning Ready, a
// promoted one reaching the Raft group): a fraction of Docker's own steps, bounded by a deadline.
// Each question goes over the leader's kept-open engine connection, so it costs milliseconds.
constexpr int PollMs = 50;

// Ready, and a reachable manager (leader or follower) exactly when planned as one.
bool hasPlannedRole(const SwarmNode &n, bool wantManager)
{
    return !n.id.isEmpty() && n.isReady() &&
           (wantManager ? n.isReachableManager() : !n.isManager());
}

HttpRequest engineGet(const char *path)
{
    HttpRequest request;
    request.path = path;
    return request;
}

} // namespace

SwarmFormation::SwarmFormation(LabDocument *document, QObject *parent)
    : SwarmJob(document, parent)
{}

void SwarmFormation::begin()
{
    QStringList candidates;
    for (const Board &b : document()->lab().boards) {
        if (b.role != Role::Unassigned ||
            (m_operation != Operation::Form && boardFilter().contains(b.id)))
            candidates << b.id;
    }
    const QStringList run = filterBoards(candidates);
    for (const QString &id : boardFilter()) {
        if (!board(id)) {
            failJob(tr("There is no board \"%1\" in the lab.").arg(id));
            return;
        }
    }
    setBoards(run);
    if (run.isEmpty()) {
        failJob(m_operation == Operation::Form
                    ? tr("No board has a role: choose managers (and workers) first.")
                    : tr("No board to work on."));
        return;
    }
    for (const QString &id : run) {
        const Board *b = board(id);
        if (b->isWindows()) {
            finishBoard(id, false,
                        tr("Windows boards are not supported yet (Docker Swarm on Windows needs "
                           "Docker Engine for Windows, set up by hand)."));
            continue;
        }
        Member m;
        m.wantManager = b->role == Role::Manager;
        m_members.insert(id, m);
    }
    // Managers outside the run are still asked: they may hold the swarm the run joins.
    for (const Board &b : document()->lab().boards) {
        if (b.role == Role::Manager && !b.isWindows() && !m_members.contains(b.id)) {
            Member m;
            m.wantManager = true;
            m_members.insert(b.id, m);
        }
    }
    // Form and join talk to every board's engine several times (probe, join, confirmation) and
    // to the leader's many more (init, tokens, node updates, the wait for the swarm to settle):
    // each board keeps one engine connection for all of it.
    if (m_operation != Operation::Leave) {
        for (auto it = m_members.cbegin(); it != m_members.cend(); ++it)
            keepEngineOpen(it.key());
    }
    probeAll();
}

void SwarmFormation::probeAll()
{
    const QStringList ids = m_members.keys();
    m_pending = int(ids.size());
    m_managerProbes = 0;
    for (const QString &id : ids)
        m_managerProbes += m_members.value(id).wantManager ? 1 : 0;
    if (m_pending == 0) {
        finishJob();
        return;
    }
    // The leader is chosen among the planned managers only, so forming starts as soon as they
    // have all answered; workers join as their own answers come in.
    m_decideEarly = m_operation != Operation::Leave && m_managerProbes > 0;
    for (const QString &id : ids) {
        callEngine(id, engineGet("/info"), [this, id](const Remote &r) {
            Member &m = m_members[id];
            m.info = DockerInfo::fromJson(r.out);
            m.answered = true;
            if (r.engineOk() && m.info.engineAnswered) {
                m.probed = true;
                log(id, tr("Docker %1 on %2, swarm: %3")
                            .arg(m.info.serverVersion, m.info.name, m.info.localNodeState));
            } else {
                const QString why = describe(r);
                log(id, why);
                if (r.error.isError())
                    document()->setNodeState(id, NodeState::Offline);
                else
                    document()->setNodeState(id, NodeState::Reachable);
                if (boardIds().contains(id))
                    finishBoard(id, false, why);
            }
            --m_pending;
            m_managerProbes -= m.wantManager ? 1 : 0;
            onProbed(id);
        });
    }
}

void SwarmFormation::onProbed(const QString &id)
{
    if (!m_probesDecided) {
        if (m_pending == 0 || (m_decideEarly && m_managerProbes == 0)) {
            m_probesDecided = true;
            onProbesDone();
        } else if (m_operation == Operation::Form && m_earlyLeader.isEmpty() && !m_earlyUndone) {
            initEarly();
        }
        return;
    }
    if (m_pending == 0 && m_reuseWaiting) {
        m_reuseWaiting = false;
        readClusterNodes([this]() { fixRoles(); });
        return;
    }
    // A board that answered after the swarm was initialised joins now (or is done with).
    if (m_joinsStarted && m_joining.contains(id)) {
        if (m_members.value(id).probed && !isBoardFinished(id))
            joinBoard(id, [this, id](bool) { onJoined(id); });
        else
            onJoined(id);
    }
}

void SwarmFormation::initEarly()
{
    // A fresh swarm starts on the first planned manager (lab order) that answers and is in no
    // swarm: once it has answered so, and every manager before it could not be reached, the
    // init need not wait for the others. Nobody joins before they have all answered
    // (onProbesDone): if one of them runs a swarm already, that one is used and this init undone.
    for (const Board &b : document()->lab().boards) {
        if (b.role != Role::Manager || !m_members.contains(b.id))
            continue;
        const Member m = m_members.value(b.id);
        if (!m.answered)
            return;
        if (!m.probed)
            continue;
        if (m.info.localNodeState != QLatin1String("inactive"))
            return;
        m_earlyLeader = b.id;
        m_leader = b.id;
        initSwarm();
        return;
    }
}

void SwarmFormation::undoEarlyInit(const QString &running)
{
    // Queued behind the init on the board's engine connection, so it runs after it.
    const QString early = std::exchange(m_earlyLeader, QString());
    m_earlyUndone = true;
    log(early, tr("%1 already runs a swarm: leaving the one just initialised here.")
                   .arg(board(running)->name));
    HttpRequest leave;
    leave.method = "POST";
    leave.path = "/swarm/leave?force=1";
    callEngine(early, leave, [this, early](const Remote &r) {
        if (!r.engineOk())
            log(early, tr("Could not leave the swarm initialised here: %1").arg(describe(r)));
        Member &m = m_members[early];
        m.info.localNodeState = QStringLiteral("inactive");
        m.info.controlAvailable = false;
        m_initialised = false;
        m_leader.clear();
        onProbesDone();
    });
}

void SwarmFormation::onProbesDone()
{
    if (m_operation == Operation::Leave) {
        leaveBoards();
        return;
    }
    // Our swarm: the one the first planned manager with control belongs to (lab order).
    QString running;
    for (const Board &b : document()->lab().boards) {
        const Member m = m_members.value(b.id);
        if (b.role == Role::Manager && b.id != m_earlyLeader && m.probed && m.info.inSwarm() &&
            m.info.controlAvailable) {
            running = b.id;
            break;
        }
    }
    if (!m_earlyLeader.isEmpty()) {
        if (!running.isEmpty()) {
            undoEarlyInit(running);
            return;
        }
        // The swarm initialised early is ours: the joins start once it has its tokens.
        m_earlyConfirmed = true;
        if (!m_workerToken.isEmpty())
            joinAll();
        return;
    }
    if (!running.isEmpty()) {
        m_leader = running;
        m_clusterId = m_members.value(running).info.clusterId;
    }
    if (!m_leader.isEmpty()) {
        log(m_leader, tr("Swarm %1 already runs here: reusing it.").arg(m_clusterId));
        // Roles and joins in a running swarm depend on what every board is: all answers first.
        if (m_pending > 0) {
            m_reuseWaiting = true;
            return;
        }
        readClusterNodes([this]() { fixRoles(); });
        return;
    }
    if (m_operation == Operation::Join) {
        failJob(tr("No planned manager runs a swarm to join: form the swarm first."));
        return;
    }
    QStringList busy;
    for (const Board &b : document()->lab().boards) {
        const Member m = m_members.value(b.id);
        if (b.role != Role::Manager || !m.probed)
            continue;
        if (m.info.inSwarm() && !m_force) {
            busy << b.id;
            continue;
        }
        m_leader = b.id;
        break;
    }
    if (m_leader.isEmpty()) {
        failJob(busy.isEmpty()
                    ? tr("No planned manager is reachable with a running Docker engine.")
                    : tr("Every reachable planned manager (%1) already belongs to another swarm "
                         "as a worker. Leave it first (hivelab swarm leave) or use --force.")
                          .arg(busy.join(QStringLiteral(", "))));
        return;
    }
    initSwarm();
}

void SwarmFormation::initSwarm()
{
    // Leaving (only with --force, checked above), init and reading the join tokens in one
    // pipelined call: the engine answers them in order, so the joins start as soon as the
    // swarm exists.
    const Member m = m_members.value(m_leader);
    QList<HttpRequest> requests;
    if (m.info.inSwarm()) {
        HttpRequest leave;
        leave.method = "POST";
        leave.path = "/swarm/leave?force=1";
        requests << leave;
    }
    HttpRequest init;
    init.method = "POST";
    init.path = "/swarm/init";
    init.body =
        QJsonDocument(QJsonObject{{QStringLiteral("ListenAddr"), QStringLiteral("0.0.0.0:2377")},
                                  {QStringLiteral("AdvertiseAddr"), advertiseAddress(m_leader)},
                                  {QStringLiteral("Availability"), QStringLiteral("active")}})
            .toJson(QJsonDocument::Compact);
    requests << init << engineGet("/swarm");
    const bool early = !m_earlyLeader.isEmpty();
    callEngine(
        m_leader, requests,
        [this, early](const QList<Remote> &answers) {
            if (early && m_earlyUndone)
                return; // undoEarlyInit() goes on
            for (qsizetype i = 0; i + 1 < answers.size(); ++i) {
                if (!answers.at(i).engineOk()) {
                    failJob(tr("docker swarm init failed on %1: %2")
                                .arg(board(m_leader)->name, describe(answers.at(i))));
                    return;
                }
            }
            m_initialised = true;
            log(m_leader, tr("Swarm initialised."));
            Member &leader = m_members[m_leader];
            leader.info.localNodeState = QStringLiteral("active");
            leader.info.controlAvailable = true;
            // A swarm this run made has no other members: nothing to promote or demote.
            takeTokens(answers.constLast());
        },
        JoinTimeoutMs);
}

bool SwarmFormation::waitForLeader(const Remote &r, int attempt, const std::function<void()> &again)
{
    // A manager was lost and the others have not elected a new leader yet (Raft waits an
    // election timeout, about 10 s with Docker's defaults): the engine answers 500 with "The
    // swarm does not have a leader", or first "context deadline exceeded" while it still tries
    // the old leader. Ask again, bounded.
    const QString why = describe(r);
    const bool noLeader =
        r.response.status >= 500 && (why.contains(QLatin1String("does not have a leader")) ||
                                     why.contains(QLatin1String("deadline exceeded")));
    if (!noLeader)
        return false;
    if (attempt >= m_verifySeconds) {
        // A manager this run added that does not run (lost right after its join or promotion, or a
        // join that failed after Docker had added the node to the Raft group) still counts: going
        // from 1 to 2 managers, that is 1 of 2, no majority. Say which, and the way out.
        QStringList added;
        for (const QString &id : boardIds()) {
            if (m_members.value(id).joinedAsManager || m_managerJoinsFailed.contains(id) ||
                m_promoted.contains(id))
                added << board(id)->name;
        }
        if (!added.isEmpty()) {
            failJob(tr("The swarm has no leader: %1 waited %2 s, but too few of its managers are "
                       "reachable to elect one. This run added %3 as manager (a manager that "
                       "joined, or began to join, still counts when it stops). Bring the lost "
                       "managers back (power, network; a board whose join failed keeps trying "
                       "it), then run this again. If one of them is gone for good, `docker swarm "
                       "init --force-new-cluster` on %1 makes %1 the only manager of the same "
                       "swarm (services and state kept); then run this again.")
                        .arg(board(m_leader)->name)
                        .arg(m_verifySeconds)
                        .arg(added.join(QStringLiteral(", "))));
            return true;
        }
        failJob(tr("The swarm has no leader: %1 waited %2 s, but too few of its managers are "
                   "reachable to elect one. Bring the lost managers back (power, network), then "
                   "run this again.")
                    .arg(board(m_leader)->name)
                    .arg(m_verifySeconds));
        return true;
    }
    if (attempt == 0)
        log(m_leader, tr("The swarm has no leader right now (a manager was lost): waiting up to "
                         "%1 s for the other managers to elect one.")
                          .arg(m_verifySeconds));
    QTimer::singleShot(1000, this, [this, again]() {
        if (!isCancelled())
            again();
    });
    return true;
}

void SwarmFormation::readClusterNodes(const std::function<void()> &next, int attempt)
{
    callEngine(m_leader, engineGet("/nodes"), [this, next, attempt](const Remote &r) {
        if (!r.engineOk()) {
            if (waitForLeader(r, attempt,
                              [this, next, attempt]() { readClusterNodes(next, attempt + 1); }))
                return;
            failJob(tr("Cannot list the swarm's nodes on %1: %2")
                        .arg(board(m_leader)->name, describe(r)));
            return;
        }
        m_nodes = SwarmNode::parseList(r.out);
        QSet<QString> ids;
        for (const SwarmNode &n : std::as_const(m_nodes))
            ids.insert(n.id);
        for (auto it = m_members.begin(); it != m_members.end(); ++it)
            it->member = it->probed && it->info.inSwarm() && ids.contains(it->info.nodeId);
        next();
    });
}

void SwarmFormation::fixRoles()
{
    // Members whose role differs from the plan are promoted/demoted through the leader.
    QStringList changes;
    for (const QString &id : boardIds()) {
        const Member m = m_members.value(id);
        if (!m.member || isBoardFinished(id) || id == m_leader)
            continue;
        const bool isManager = m.info.controlAvailable;
        if (m.wantManager != isManager)
            changes << id;
    }
    const auto done = afterAll(int(changes.size()), [this]() { fetchTokens(); });
    for (const QString &id : changes) {
        const Member m = m_members.value(id);
        const QString verb = m.wantManager ? QStringLiteral("promote") : QStringLiteral("demote");
        runOn(m_leader, QStringLiteral("docker node %1 %2").arg(verb, m.info.nodeId),
              [this, id, done, verb](const Remote &r) {
                  if (!r.ok())
                      finishBoard(id, false,
                                  tr("docker node %1 failed: %2").arg(verb, describe(r)));
                  else
                      log(id, m_members.value(id).wantManager ? tr("Promoted to manager.")
                                                              : tr("Demoted to worker."));
                  done();
              });
    }
}

void SwarmFormation::fetchTokens()
{
    bool needed = false;
    for (const QString &id : boardIds()) {
        const Member m = m_members.value(id);
        needed = needed || (m.probed && !m.member && id != m_leader && !isBoardFinished(id));
    }
    if (!needed) {
        joinAll();
        return;
    }
    RemoteOptions options;
    options.logAs = QStringLiteral("GET /swarm (join token)");
    callEngine(
        m_leader, engineGet("/swarm"), [this](const Remote &r) { takeTokens(r); }, options);
}

void SwarmFormation::takeTokens(const Remote &r)
{
    const QJsonObject tokens =
        QJsonDocument::fromJson(r.out).object().value(QLatin1String("JoinTokens")).toObject();
    m_workerToken = tokens.value(QLatin1String("Worker")).toString().toLatin1();
    m_managerToken = tokens.value(QLatin1String("Manager")).toString().toLatin1();
    if (!r.engineOk() || m_workerToken.isEmpty()) {
        failJob(tr("Cannot read the join token on %1: %2").arg(board(m_leader)->name, describe(r)));
        return;
    }
    if (!m_earlyLeader.isEmpty() && !m_earlyConfirmed)
        return; // onProbesDone() starts the joins once every planned manager has answered
    joinAll();
}

void SwarmFormation::joinAll()
{
    // Every board joins at once: workers with the worker token, planned managers with the
    // manager token while the managers in place have quorum (a swarm this run initialised has
    // its one manager). A manager join gets its manager certificate during the join and returns
    // once the node is a Raft member; a worker promoted afterwards first has to notice its new
    // role, renew its certificate and restart as a manager (0.7-1.7 s more on the lab). Joins at
    // once stay one Raft membership change after the other: the leader takes them one at a time,
    // and each change commits only with a majority of the managers before it, so a third manager
    // cannot be added before the second runs. Workers still joining get their labels
    // afterwards (applyPlan). Without quorum, planned managers join as workers and are not
    // promoted (applyPlan says so).
    const bool managerJoins =
        !m_managerToken.isEmpty() && (m_initialised || SwarmNode::managersOf(m_nodes).haveQuorum());
    if (!managerJoins) {
        m_managerToken.fill('\0');
        m_managerToken.clear();
    }
    m_joinsStarted = true;
    m_joining.clear();
    QStringList joining;
    for (const QString &id : boardIds()) {
        const Member m = m_members.value(id);
        if (m.member || id == m_leader || isBoardFinished(id))
            continue;
        m_joining.insert(id); // a board still probing joins once it answers (onProbed)
        if (m.probed)
            joining << id;
    }
    if (m_joining.isEmpty()) {
        startPlan();
        return;
    }
    for (const QString &id : std::as_const(joining))
        joinBoard(id, [this, id](bool) { onJoined(id); });
}

void SwarmFormation::onJoined(const QString &id)
{
    m_joining.remove(id);
    if (!m_planStarted) {
        for (const QString &other : std::as_const(m_joining)) {
            if (m_members.value(other).wantManager)
                return;
        }
        startPlan();
        return;
    }
    // Joined after the round read the node list: its labels need another round.
    m_planStale = true;
    if (m_joining.isEmpty() && m_planWaiting) {
        m_planWaiting = false;
        m_planStale = false;
        applyPlan(0);
    }
}

void SwarmFormation::startPlan()
{
    m_planStarted = true;
    m_planDeadline.setRemainingTime(qint64(m_verifySeconds) * 1000);
    applyPlan(0);
}

void SwarmFormation::afterPlan()
{
    if (!m_joining.isEmpty()) {
        m_planWaiting = true; // onJoined() goes on
        return;
    }
    if (m_planStale) {
        m_planStale = false;
        applyPlan(0);
        return;
    }
    verify(0);
}

void SwarmFormation::joinBoard(const QString &id, const std::function<void(bool)> &done)
{
    const Member m = m_members.value(id);
    // After leaving what it was in, the board is free and tries again.
    auto leaveThenJoin = [this, id, done](const QString &why) {
        leaveOtherSwarm(id, why, [this, id, done](bool ok) {
            if (!ok) {
                done(false);
                return;
            }
            m_members[id].info.localNodeState = QStringLiteral("inactive");
            joinBoard(id, done);
        });
    };
    if (m.info.inSwarm()) {
        if (!m_force) {
            const QString where =
                m.info.remoteManagers.isEmpty()
                    ? QString()
                    : tr(" (managers %1)").arg(m.info.remoteManagers.join(QStringLiteral(", ")));
            finishBoard(id, false,
                        tr("Already in another swarm%1. Leave it first (hivelab swarm leave, or "
                           "docker swarm leave on the board) or use --force to make it leave.")
                            .arg(where));
            done(false);
            return;
        }
        leaveThenJoin(tr("Leaving the other swarm (--force)."));
        return;
    }
    if (m.info.localNodeState == QLatin1String("pending") ||
        m.info.localNodeState == QLatin1String("error")) {
        // An earlier join was cut off (link lost mid-join): the engine keeps trying it and
        // refuses a new one until it is abandoned.
        leaveThenJoin(tr("An earlier join did not finish (%1): abandoning it first.")
                          .arg(m.info.localNodeState));
        return;
    }
    // The token goes in the request body, inside the SSH channel: never an argument of any
    // process on the board (`docker swarm join --token` would show it in ps).
    const bool asManager = m.wantManager && !m_managerToken.isEmpty();
    const QString leaderAddr = advertiseAddress(m_leader) + QStringLiteral(":2377");
    HttpRequest join;
    join.method = "POST";
    join.path = "/swarm/join";
    join.body = QJsonDocument(
                    QJsonObject{{QStringLiteral("ListenAddr"), QStringLiteral("0.0.0.0:2377")},
                                {QStringLiteral("AdvertiseAddr"), advertiseAddress(id)},
                                {QStringLiteral("RemoteAddrs"), QJsonArray{leaderAddr}},
                                {QStringLiteral("JoinToken"),
                                 QString::fromLatin1(asManager ? m_managerToken : m_workerToken)}})
                    .toJson(QJsonDocument::Compact);
    join.bodyForLog =
        QStringLiteral("(advertise %1, manager %2, %3)")
            .arg(advertiseAddress(id), leaderAddr,
                 asManager ? QStringLiteral("<manager token>") : QStringLiteral("<worker token>"));
    RemoteOptions options;
    options.timeoutMs = JoinTimeoutMs;
    callEngine(
        id, join,
        [this, id, done, asManager](const Remote &r) {
            if (!r.engineOk()) {
                // Docker may have added the node to the Raft group before the join failed (a
                // board lost in the middle): the verification then finds the swarm without a
                // leader and names this board.
                if (asManager)
                    m_managerJoinsFailed << id;
                finishBoard(id, false,
                            asManager
                                ? tr("docker swarm join (as manager) failed: %1").arg(describe(r))
                                : tr("docker swarm join failed: %1").arg(describe(r)));
                done(false);
                return;
            }
            Member &joined = m_members[id];
            joined.member = true;
            joined.joinedNow = true;
            joined.joinedAsManager = asManager;
            log(id, asManager            ? tr("Joined as manager.")
                    : joined.wantManager ? tr("Joined as worker; to be promoted to manager.")
                                         : tr("Joined as worker."));
            done(true);
        },
        options);
}

void SwarmFormation::leaveOtherSwarm(const QString &id, const QString &why,
                                     const std::function<void(bool)> &done)
{
    log(id, why);
    runOn(id, QStringLiteral("docker swarm leave --force"), [this, id, done](const Remote &r) {
        if (!r.ok()) {
            finishBoard(id, false, tr("Cannot leave the other swarm: %1").arg(describe(r)));
            done(false);
            return;
        }
        done(true);
    });
}

QHash<QString, QString> SwarmFormation::matchNodes() const
{
    QHash<QString, QString> hostnames;
    for (auto it = m_members.begin(); it != m_members.end(); ++it) {
        if (it->probed)
            hostnames.insert(it.key(), it->info.name);
    }
    return SwarmNode::matchBoards(document()->lab(), m_nodes, hostnames);
}

void SwarmFormation::applyPlan(int attempt)
{
    // One node update per board through the leader: the planned labels (stale hivelab.* ones
    // removed, labels set by hand kept) and, for a planned manager that joined as a worker in
    // this run, the manager role. A node is promoted only once the leader lists it Ready (its
    // agent is connected) and only while the managers in place have quorum.
    readClusterNodes([this, attempt]() {
        m_nodeBoards = matchNodes();
        m_byBoard = SwarmNode::liveByBoard(m_nodes, m_nodeBoards);
        const QHash<QString, SwarmNode> byBoard = m_byBoard;
        confirmListed();
        const SwarmNode::Managers managers = SwarmNode::managersOf(m_nodes);
        QStringList promote, notReady;
        for (const QString &boardId : boardIds()) {
            const Member m = m_members.value(boardId);
            if (!m.joinedNow || !m.wantManager || m.joinedAsManager || isBoardFinished(boardId))
                continue;
            const SwarmNode n = byBoard.value(boardId);
            if (n.isManager() || m_promoted.contains(boardId))
                continue;
            (n.isReady() ? promote : notReady) << boardId;
        }
        if (!notReady.isEmpty() && !m_planDeadline.hasExpired()) {
            // The join answered; the leader lists the node Ready a moment later.
            QTimer::singleShot(PollMs, this, [this, attempt]() {
                if (!isCancelled())
                    applyPlan(attempt);
            });
            return;
        }
        for (const QString &id : std::as_const(notReady))
            finishBoard(id, false,
                        tr("Joined, but not promoted to manager: the swarm did not list it Ready "
                           "within %1 s.")
                            .arg(m_verifySeconds));
        if (!promote.isEmpty() && !managers.haveQuorum()) {
            for (const QString &id : std::as_const(promote))
                finishBoard(id, false,
                            tr("Joined, but not promoted to manager: only %1 of the swarm's %2 "
                               "managers are reachable, so a promotion could cost the swarm its "
                               "quorum. Bring the others back, then run this again.")
                                .arg(managers.reachable)
                                .arg(managers.total));
            promote.clear();
        }
        QList<QPair<QString, HttpRequest>> updates; // board ID, request
        for (const QString &boardId : boardIds()) {
            if (!byBoard.contains(boardId) || isBoardFinished(boardId))
                continue;
            const SwarmNode n = byBoard.value(boardId);
            const NodeLabels::Diff diff = n.labelDiff(
                document()->lab(), boardId, m_members.value(boardId).info.planArchitecture());
            const bool promoting = promote.contains(boardId);
            if (diff.isEmpty() && !promoting)
                continue;
            QJsonObject spec = n.spec;
            if (!diff.isEmpty()) {
                log(boardId, tr("Labels: %1").arg(diff.describe()));
                spec = SwarmNode::withLabels(spec, diff.applied(n.labels));
            }
            if (promoting) {
                log(boardId, tr("Promoting to manager (%1 of %2 managers reachable).")
                                 .arg(managers.reachable)
                                 .arg(managers.total));
                spec.insert(QStringLiteral("Role"), QStringLiteral("manager"));
            }
            updates << qMakePair(boardId, n.updateRequest(spec));
        }
        if (updates.isEmpty()) {
            afterPlan();
            return;
        }
        // All through the leader in one call (pipelined): one command instead of one per node.
        QList<HttpRequest> requests;
        for (const auto &update : std::as_const(updates))
            requests << update.second;
        callEngine(
            m_leader, requests, [this, attempt, updates, promote](const QList<Remote> &answers) {
                bool retry = false;
                for (qsizetype i = 0; i < updates.size(); ++i) {
                    const Remote &r = answers.at(i);
                    // Listed as a manager only once it reached the Raft group: not promoted twice.
                    if (r.engineOk() && promote.contains(updates.at(i).first))
                        m_promoted.insert(updates.at(i).first);
                    // The node changed between the read and the update (a fresh node's status
                    // settles right after its join): read it again and redo, bounded.
                    if (!r.engineOk() && describe(r).contains(QLatin1String("out of sequence")) &&
                        attempt < 5)
                        retry = true;
                    else if (!r.engineOk())
                        finishBoard(updates.at(i).first, false,
                                    tr("The node could not be updated: %1").arg(describe(r)));
                }
                if (retry)
                    applyPlan(attempt + 1);
                else
                    afterPlan();
            });
    });
}

void SwarmFormation::verify(int attempt)
{
    if (attempt == 0) {
        m_verifyDeadline.setRemainingTime(qint64(m_verifySeconds) * 1000);
        m_verified = false;
    }
    callEngine(m_leader, engineGet("/nodes"), [this, attempt](const Remote &r) {
        if (!r.engineOk()) {
            if (waitForLeader(r, attempt, [this, attempt]() { verify(attempt + 1); }))
                return;
            failJob(tr("Cannot list the swarm's nodes on %1: %2")
                        .arg(board(m_leader)->name, describe(r)));
            return;
        }
        m_nodes = SwarmNode::parseList(r.out);
        m_nodeBoards = matchNodes();
        m_byBoard = SwarmNode::liveByBoard(m_nodes, m_nodeBoards);
        bool waiting = false;
        for (const QString &id : boardIds()) {
            if (!isBoardFinished(id))
                waiting = waiting ||
                          !hasPlannedRole(m_byBoard.value(id), m_members.value(id).wantManager);
        }
        confirmListed();
        if (waiting && !m_verifyDeadline.hasExpired()) {
            // The swarm needs a moment to mark fresh nodes Ready and to add promoted managers to
            // its Raft group: ask again shortly, until the deadline.
            QTimer::singleShot(PollMs, this, [this, attempt]() {
                if (!isCancelled())
                    verify(attempt + 1);
            });
            return;
        }
        m_workerToken.fill('\0');
        m_workerToken.clear();
        m_managerToken.fill('\0');
        m_managerToken.clear();
        m_verified = true;
        finishWhenConfirmed();
    });
}

void SwarmFormation::confirmListed()
{
    // A board the leader lists Ready confirms at once: while the node updates go out and
    // promoted managers still reach the Raft group (which, later, is itself a sign of life).
    for (const QString &id : boardIds()) {
        const SwarmNode n = m_byBoard.value(id);
        if (isBoardFinished(id) || n.id.isEmpty() || !n.isReady() || m_confirming.contains(id))
            continue;
        m_confirming.insert(id);
        ++m_confirmsPending;
        confirmBoard(id, [this]() {
            --m_confirmsPending;
            finishWhenConfirmed();
        });
    }
}

void SwarmFormation::finishWhenConfirmed()
{
    if (!m_verified || m_confirmsPending > 0)
        return;
    m_verified = false; // once
    // Ready in its planned role on the leader's last list, and confirmed by the board itself.
    for (const QString &id : boardIds()) {
        if (isBoardFinished(id))
            continue;
        const Member m = m_members.value(id);
        const SwarmNode n = m_byBoard.value(id);
        const QString role = m.wantManager ? tr("manager") : tr("worker");
        if (n.id.isEmpty()) {
            finishBoard(id, false, tr("Not listed among the swarm's nodes after joining."));
            document()->setNodeState(id, NodeState::SwarmDown);
        } else if (!hasPlannedRole(n, m.wantManager) || !m_confirmed.contains(id)) {
            finishBoard(
                id, false,
                tr("%1 is %2 as %3, expected Ready as %4.")
                    .arg(n.hostname, n.status,
                         n.isManager() ? tr("manager (%1)").arg(n.managerStatus) : tr("worker"),
                         role));
            document()->setNodeState(id, NodeState::SwarmDown);
        } else {
            const QString status = n.isLeader()    ? tr("manager (leader)")
                                   : m.wantManager ? tr("manager")
                                                   : tr("worker");
            finishBoard(id, true, tr("%1: Ready, %2").arg(n.hostname, status));
            changeBoard(id, [&n](Board *b) { b->nodeId = n.id; });
            document()->setNodeState(id, NodeState::SwarmReady);
            document()->setNodeAvailability(id, n.availability);
            if (n.isLeader())
                document()->setSwarmLeader(id);
        }
    }
    finishFormation();
}

void SwarmFormation::confirmBoard(const QString &id, const std::function<void()> &done)
{
    // The managers' "Ready" is only as fresh as the last heartbeat: a board whose link or power
    // went a moment ago stays Ready there for several seconds. Each board confirms its own
    // membership as soon as the leader lists it, over its own connection, within a bound.
    RemoteOptions options;
    options.timeoutMs = ConfirmTimeoutMs;
    options.quiet = true;
    callEngine(
        id, engineGet("/info"),
        [this, id, done](const Remote &r) {
            const SwarmNode n = m_byBoard.value(id);
            const DockerInfo info = DockerInfo::fromJson(r.out);
            if (!r.engineOk()) {
                finishBoard(id, false,
                            tr("The swarm still lists %1 Ready, but the board stopped "
                               "answering (%2): it probably lost its network or power "
                               "just now; Docker notices once its heartbeat expires.")
                                .arg(n.hostname, describe(r)));
                document()->setNodeState(id, r.error.isError() ? NodeState::Offline
                                                               : NodeState::SwarmDown);
            } else if (!info.inSwarm() || info.nodeId != n.id) {
                finishBoard(id, false,
                            tr("The swarm lists %1 Ready, but the board itself says it is "
                               "%2%3.")
                                .arg(n.hostname, info.localNodeState,
                                     info.swarmError.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" (%1)").arg(info.swarmError)));
                document()->setNodeState(id, NodeState::SwarmDown);
            } else {
                // Its role is the leader's word (a just-promoted board's own engine reports
                // control a second or two after the leader lists it Reachable).
                m_confirmed.insert(id);
            }
            done();
        },
        options);
}

void SwarmFormation::finishFormation()
{
    // Managers the swarm has now: every planned one that this run confirmed, plus those
    // outside the run that the managers list Ready as managers.
    m_managerCount = {};
    for (const Board &b : document()->lab().boards) {
        if (b.role != Role::Manager)
            continue;
        ++m_managerCount.planned;
        const SwarmNode n = m_byBoard.value(b.id);
        const bool ready =
            boardIds().contains(b.id) ? result(b.id).ok : n.isReady() && n.isManager();
        m_managerCount.ready += ready ? 1 : 0;
    }
    if (m_managerCount.ready < m_managerCount.planned)
        log(QString(),
            m_managerCount.lostFaultTolerance()
                ? tr("Only %1 of %2 planned managers are in the swarm: it cannot survive the "
                     "failure of any manager. Fix the failed managers and run this again.")
                      .arg(m_managerCount.ready)
                      .arg(m_managerCount.planned)
                : tr("Only %1 of %2 planned managers are in the swarm.")
                      .arg(m_managerCount.ready)
                      .arg(m_managerCount.planned));
    removeStaleNodes();
}

void SwarmFormation::removeStaleNodes()
{
    // A reflashed board that joined again left its old node behind, Down (same hostname or
    // the node ID the lab file recorded): now that the new one is confirmed Ready, the old one
    // goes. A stale manager is unreachable, so demoting it only helps the majority.
    QList<SwarmNode> stale;
    QStringList names;
    for (const SwarmNode &n : std::as_const(m_nodes)) {
        const QString id = m_nodeBoards.value(n.id);
        if (id.isEmpty() || !boardIds().contains(id) || !result(id).ok || n.isReady() ||
            n.id == m_byBoard.value(id).id || n.managerStatus == QLatin1String("Reachable") ||
            n.isLeader())
            continue;
        stale << n;
        names << QStringLiteral("%1 (%2)").arg(n.id, n.hostname);
    }
    if (stale.isEmpty()) {
        finishJob();
        return;
    }
    log(QString(), tr("Removing the old node of boards that joined again: %1")
                       .arg(names.join(QStringLiteral(", "))));
    removeNodes(m_leader, stale, m_verifySeconds, [this](bool ok, const QString &message) {
        if (!ok)
            log(QString(), tr("An old node could not be removed: %1").arg(message));
        finishJob();
    });
}

void SwarmFormation::leaveBoards()
{
    // Workers first (in parallel), then managers one by one, demoted through a manager that
    // stays so the rest keeps quorum; the last manager dissolves the swarm with --force.
    QStringList workers, managers;
    for (const QString &id : boardIds()) {
        const Member m = m_members.value(id);
        if (isBoardFinished(id) || !m.probed)
            continue;
        if (!m.info.inSwarm()) {
            markLeft(id, tr("Not in a swarm."));
            continue;
        }
        (m.info.controlAvailable ? managers : workers) << id;
    }
    const QStringList order = workers + managers;
    if (order.isEmpty()) {
        finishJob();
        return;
    }
    // Every manager of the swarm leaving dissolves it: no manager needs to keep quorum, so they
    // leave at once with --force instead of one by one through demotions (each of which Docker
    // takes seconds to apply).
    // A board promoted a moment ago may still call itself a worker, so a swarm whose every
    // node leaves is dissolved too (the late manager then joins the managers, below).
    bool dissolve = !managers.isEmpty();
    for (const QString &id : std::as_const(managers)) {
        const Member m = m_members.value(id);
        int leavingManagers = 0;
        int leavingNodes = 0;
        for (const QString &other : std::as_const(order)) {
            // Workers do not know the cluster's ID: they share its managers' addresses.
            const DockerInfo &o = m_members.value(other).info;
            const bool same = o.clusterId.isEmpty()
                                  ? std::any_of(o.remoteManagers.cbegin(), o.remoteManagers.cend(),
                                                [&m](const QString &a) {
                                                    return m.info.remoteManagers.contains(a);
                                                })
                                  : o.clusterId == m.info.clusterId;
            leavingNodes += same;
            leavingManagers += same && managers.contains(other);
        }
        const bool allManagers = m.info.managers > 0 && leavingManagers >= m.info.managers;
        const bool allNodes = m.info.nodes > 0 && leavingNodes >= m.info.nodes;
        if (!allManagers && !allNodes)
            dissolve = false;
    }
    m_lateManagers.clear();
    auto leaveManagers = [this, managers, dissolve]() {
        const QStringList all = managers + m_lateManagers;
        if (dissolve)
            dissolveSwarm(all);
        else
            leaveNext(0, all);
    };
    // A manager that stays in the swarm removes the nodes that left (they would stay listed as
    // Down, and a board joining again would show up twice).
    QString stayer;
    for (auto it = m_members.begin(); it != m_members.end(); ++it) {
        if (it->probed && it->info.inSwarm() && it->info.controlAvailable &&
            !managers.contains(it.key())) {
            stayer = it.key();
            break;
        }
    }
    const auto next = afterAll(int(workers.size()), leaveManagers);
    for (const QString &id : workers) {
        runOn(id, QStringLiteral("docker swarm leave"), [this, id, next, stayer](const Remote &r) {
            if (!r.ok() && describe(r).contains(QLatin1String("participating as a manager"))) {
                // Promoted after the probe (its engine learns it a moment after the leader):
                // it leaves with the managers, keeping their quorum.
                log(id, tr("It is a manager by now: it leaves with the managers."));
                m_members[id].info.controlAvailable = true;
                m_lateManagers << id;
                next();
                return;
            }
            if (!r.ok()) {
                finishBoard(id, false, tr("docker swarm leave failed: %1").arg(describe(r)));
                next();
                return;
            }
            markLeft(id);
            if (stayer.isEmpty()) {
                next();
                return;
            }
            runOn(stayer, QStringLiteral("docker node rm --force %1").arg(nodeIdOf(id)),
                  [next](const Remote &) { next(); });
        });
    }
}

void SwarmFormation::dissolveSwarm(const QStringList &managers)
{
    log(QString(), tr("Every manager leaves: the swarm is dissolved."));
    const auto done = afterAll(int(managers.size()), [this]() { finishJob(); });
    for (const QString &id : managers) {
        runOn(id, QStringLiteral("docker swarm leave --force"), [this, id, done](const Remote &r) {
            if (!r.ok())
                finishBoard(id, false, tr("docker swarm leave failed: %1").arg(describe(r)));
            else
                markLeft(id);
            done();
        });
    }
}

void SwarmFormation::markLeft(const QString &id, const QString &message)
{
    finishBoard(id, true, message.isEmpty() ? tr("Left the swarm.") : message);
    changeBoard(id, [](Board *b) { b->nodeId.clear(); });
    document()->setNodeState(id, NodeState::DockerReady);
    document()->setNodeAvailability(id, QString());
    if (document()->swarmLeader() == id)
        document()->setSwarmLeader(QString());
}

QString SwarmFormation::nodeIdOf(const QString &boardId) const
{
    return m_members.value(boardId).info.nodeId;
}

void SwarmFormation::leaveNext(int index, const QStringList &order)
{
    if (index >= order.size()) {
        finishJob();
        return;
    }
    const QString id = order.at(index);
    // A manager that stays in the swarm: one not leaving in this run, else the last one leaving.
    QString stayer;
    for (auto it = m_members.begin(); it != m_members.end(); ++it) {
        if (it->probed && it->info.inSwarm() && it->info.controlAvailable &&
            !order.contains(it.key()) && it->info.clusterId == m_members.value(id).info.clusterId) {
            stayer = it.key();
            break;
        }
    }
    if (stayer.isEmpty() && index + 1 < order.size())
        stayer = order.last();
    auto afterLeave = [this, id, index, order, stayer](const Remote &r) {
        if (!r.ok()) {
            finishBoard(id, false, tr("docker swarm leave failed: %1").arg(describe(r)));
        } else {
            markLeft(id);
        }
        if (!stayer.isEmpty() && r.ok()) {
            // The swarm still lists a node that left (Down): remove it so the list stays true.
            runOn(stayer, QStringLiteral("docker node rm --force %1").arg(nodeIdOf(id)),
                  [this, index, order](const Remote &) { leaveNext(index + 1, order); });
            return;
        }
        leaveNext(index + 1, order);
    };
    if (stayer.isEmpty()) {
        runOn(id, QStringLiteral("docker swarm leave --force"), afterLeave);
        return;
    }
    runOn(stayer, QStringLiteral("docker node demote %1").arg(nodeIdOf(id)),
          [this, id, afterLeave](const Remote &r) {
              if (!r.ok()) {
                  log(id, tr("Demote failed (%1); leaving anyway.").arg(describe(r)));
                  runOn(id, QStringLiteral("docker swarm leave"), afterLeave);
                  return;
              }
              // The demotion reaches the node a moment later; leaving before that is refused
              // ("participating as a manager").
              whenDemoted(id, 0, [this, id, afterLeave]() {
                  runOn(id, QStringLiteral("docker swarm leave"), afterLeave);
              });
          });
}

void SwarmFormation::whenDemoted(const QString &id, int attempt, const std::function<void()> &then)
{
    runOn(id, QStringLiteral("docker info --format '{{.Swarm.ControlAvailable}}'"),
          [this, id, attempt, then](const Remote &r) {
              const bool stillManager = r.ok() && r.out.trimmed() == "true";
              if (!stillManager || attempt >= 2 * m_verifySeconds) {
                  then();
                  return;
              }
              QTimer::singleShot(500, this, [this, id, attempt, then]() {
                  if (!isCancelled())
                      whenDemoted(id, attempt + 1, then);
              });
          });
}

QString SwarmFormation::advertiseAddress(const QString &id) const
{
    const Board *b = board(id);
    if (b && !b->ip.isEmpty())
        return b->ip;
    const Member m = m_members.value(id);
    if (!m.info.nodeAddr.isEmpty())
        return m.info.nodeAddr;
    return b ? b->sshTarget() : QString();
}

} // namespace Hivelab
