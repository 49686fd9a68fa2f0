// SPDX-License-Identifier: GPL-3.0-or-later
// End to end on a lab of its own (tests/platform/workflows/CMakeLists.txt): Docker setup starts the
// stopped engine, the swarm forms (twice: idempotent), status, drain/activate (job and CLI),
// single-board leave/join, a board
// in another swarm is refused then forced, a form whose first manager is free while the others
// run the swarm, and everything is left as found.
#include "credentialstore.h"
#include "dockersetup.h"
#include "labdocument.h"
#include "labfile.h"
#include "labworkflow.h"
#include "nodeavailability.h"
#include "swarmformation.h"
#include "swarmstatus.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestSwarmLab : public QObject
{
    Q_OBJECT
private:
    struct Output
    {
        int code = -1;
        QByteArray out;
    };
    // A shell command as root on the lab board with this ID ("pine64-K").
    static Output onBoard(const QString &board, const QString &command)
    {
        const HivelabTest::BoardOutput o =
            HivelabTest::onLabBoard(board.section(QLatin1Char('-'), -1).toInt(), command);
        return {o.code, o.out};
    }

    template <typename Job>
    bool run(Job *job, int timeoutMs, const char *what, bool defaultPassword = true)
    {
        QElapsedTimer clock;
        clock.start();
        QSignalSpy finished(job, &WorkflowJob::finished);
        QSignalSpy boardDone(job, &WorkflowJob::boardFinished);
        connect(job, &WorkflowJob::boardFinished, this,
                [](const QString &id, bool ok, const QString &message) {
                    qInfo("  %s %s: %s", qPrintable(id), ok ? "ok" : "FAILED", qPrintable(message));
                });
        job->setConnectionSettings(m_settings);
        if (defaultPassword)
            job->setDefaultPassword(m_password);
        job->start();
        if (!finished.wait(timeoutMs))
            return false;
        qInfo("%s: %.2f s", what, double(clock.elapsed()) / 1000.0);
        // Exactly one boardFinished per board, exactly one finished.
        return finished.size() == 1 && boardDone.size() == job->boardIds().size();
    }

    // Watches board K's processes (its own mount namespace) for a join token in any argv until
    // told to stop or 60 s pass; prints every command line that holds one.
    static std::unique_ptr<QProcess> watchForTokens(int k)
    {
        auto p = std::make_unique<QProcess>();
        // SWMTK[N]: the watcher's own grep must not match itself.
        const QString script = QStringLiteral(
            "rm -f /run/hl-token-watch-stop; me=$(readlink /proc/self/ns/mnt); echo ready; "
            "end=$(($(date +%s) + 60)); "
            "while [ ! -e /run/hl-token-watch-stop ] && [ $(date +%s) -lt $end ]; do "
            "for f in $(grep -l 'SWMTK[N]' /proc/[0-9]*/cmdline 2>/dev/null); do "
            "d=${f%/cmdline}; [ \"$(readlink $d/ns/mnt 2>/dev/null)\" = \"$me\" ] && "
            "tr '\\0' ' ' < $f && echo; done; done; rm -f /run/hl-token-watch-stop");
        p->start(QStringLiteral(HIVELAB_LAB_TOOL),
                 {QStringLiteral("board"), QString::number(k), QStringLiteral("--"),
                  QStringLiteral("sh"), QStringLiteral("-c"), script});
        if (!p->waitForReadyRead(10000) || p->readLine().trimmed() != "ready")
            return {};
        return p;
    }

    QStringList nodeLines()
    {
        const Output o = onBoard(m_managers.first(), QStringLiteral("docker node ls --format "
                                                                    "'{{.Hostname}} {{.Status}}'"));
        QStringList lines = QString::fromUtf8(o.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (QString &l : lines)
            l = l.trimmed();
        lines.sort();
        return lines;
    }
    QStringList expectedNodes() const
    {
        QStringList lines;
        for (const QString &m : m_managers)
            lines << m + QStringLiteral(" Ready");
        for (const QString &w : m_workers)
            lines << w + QStringLiteral(" Ready");
        lines.sort();
        return lines;
    }
    QString swarmState(const QString &board)
    {
        return QString::fromUtf8(
                   onBoard(board,
                           QStringLiteral("docker info --format '{{.Swarm.LocalNodeState}}'"))
                       .out)
            .trimmed();
    }

    QTemporaryDir m_dir;
    LabDocument m_doc;
    ConnectionSettings m_settings;
    QString m_password;
    QStringList m_managers;
    QStringList m_workers;
    QString m_stopped; // board whose engine is installed but not running

private Q_SLOTS:
    void initTestCase()
    {
        QList<HivelabTest::LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
        const QString name = qEnvironmentVariable("HIVELAB_LAB_NAME");
        Lab lab;
        lab.name = QStringLiteral("swarm e2e");
        lab.swarm.defaultLabels.insert(QStringLiteral("lab"), QStringLiteral("e2e"));
        for (const HivelabTest::LabBoard &l : std::as_const(boards)) {
            if (!l.isOn())
                continue;
            // Not root: every docker command goes through sudo.
            Board b = HivelabTest::asBoard(l, l.user);
            const bool docker = l.docker == QLatin1String("docker");
            if (docker && m_managers.size() < 3) {
                b.role = Role::Manager;
                m_managers << b.id;
            } else {
                b.role = Role::Worker;
                m_workers << b.id;
            }
            if (!docker)
                m_stopped = b.id;
            if (b.id == QLatin1String("pine64-5"))
                b.labels.insert(QStringLiteral("disk"), QStringLiteral("ssd"));
            lab.boards << b;
        }
        if (m_managers.size() < 3 || m_workers.size() < 2 || m_stopped.isEmpty())
            QSKIP("needs 3 boards with Docker, 2 more boards, one with a stopped engine");
        m_doc.setLab(lab);
        m_settings = HivelabTest::labSettings(m_dir.filePath(QStringLiteral("known_hosts")), 5000);

        // The stopped board's engine gets the lab's per-board settings from daemon.json, as a
        // distribution's config would give them (its own data root; no iptables or bridge).
        const QString k = m_stopped.section(QLatin1Char('-'), -1);
        const QString json =
            QStringLiteral("{\"data-root\": \"/var/lib/hivelab-lab/%1/b%2/docker\", "
                           "\"exec-root\": \"/run/docker\", \"pidfile\": \"/run/docker.pid\", "
                           "\"hosts\": [\"unix:///run/docker.sock\"], \"iptables\": false, "
                           "\"ip-masq\": false, \"bridge\": \"none\", "
                           "\"cgroup-parent\": \"/hl-%1-%2\", \"shutdown-timeout\": 3}")
                .arg(name, k);
        QCOMPARE(onBoard(m_stopped, QStringLiteral("mkdir -p /etc/docker && printf '%s\\n' '%1' "
                                                   "> /etc/docker/daemon.json")
                                        .arg(json))
                     .code,
                 0);
        QVERIFY(onBoard(m_stopped, QStringLiteral("docker info >/dev/null 2>&1")).code != 0);
    }

    void probeSeesStoppedEngine()
    {
        // Passwords come from the credential store this time (its memory fallback when the
        // lab has no keychain): the password-only board and sudo everywhere depend on them.
        CredentialStore store(QStringLiteral("hivelab-test-swarmlab"));
        for (const Board &b : m_doc.lab().boards) {
            QSignalSpy stored(&store, &CredentialStore::stored);
            QSignalSpy failed(&store, &CredentialStore::failed);
            store.store(CredentialStore::secretKey(QStringLiteral("e2e"), b.id, b.sshUser),
                        m_password);
            QTRY_VERIFY_WITH_TIMEOUT(stored.size() + failed.size() == 1, 10000);
            QCOMPARE(stored.size(), 1);
        }
        DockerSetup job(&m_doc);
        job.setMode(DockerSetup::Mode::Probe);
        job.setCredentialStore(&store, QStringLiteral("e2e"));
        QVERIFY(run(&job, 30000, "docker probe", false));
        QVERIFY(!job.succeeded());
        const BoardResult stopped = job.result(m_stopped);
        QVERIFY(!stopped.ok);
        QVERIFY2(stopped.message.contains(QLatin1String("not running")),
                 qPrintable(stopped.message));
        QVERIFY(job.probe(m_stopped).dockerInstalled());
        QCOMPARE(job.probe(m_stopped).initSystem, InitSystem::None);
        QVERIFY(job.probe(m_stopped).isRoot); // sudo with the password from stdin
        for (const QString &id : m_managers) {
            QVERIFY(job.result(id).ok);
            QCOMPARE(m_doc.nodeState(id), NodeState::DockerReady);
        }
        QCOMPARE(m_doc.nodeState(m_stopped), NodeState::Reachable);
        // Probing changed nothing.
        QVERIFY(onBoard(m_stopped, QStringLiteral("docker info >/dev/null 2>&1")).code != 0);
    }

    void cleanupCredentials()
    {
        CredentialStore store(QStringLiteral("hivelab-test-swarmlab"));
        for (const Board &b : m_doc.lab().boards) {
            QSignalSpy removed(&store, &CredentialStore::removed);
            QSignalSpy failed(&store, &CredentialStore::failed);
            store.remove(CredentialStore::secretKey(QStringLiteral("e2e"), b.id, b.sshUser));
            QTRY_VERIFY_WITH_TIMEOUT(removed.size() + failed.size() == 1, 10000);
        }
    }

    void setupStartsStoppedEngine()
    {
        DockerSetup job(&m_doc);
        QSignalSpy progress(&job, &WorkflowJob::progressChanged);
        QVERIFY(run(&job, 60000, "docker setup"));
        QVERIFY2(job.succeeded(), qPrintable(job.result(m_stopped).message));
        QVERIFY(job.engineStartedByUs(m_stopped));
        QVERIFY(!job.engineStartedByUs(m_managers.first()));
        QCOMPARE(m_doc.nodeState(m_stopped), NodeState::DockerReady);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
        // The engine outlived the SSH channel that started it.
        QCOMPARE(onBoard(m_stopped, QStringLiteral("docker info >/dev/null 2>&1")).code, 0);
    }

    void formSwarm()
    {
        // Every board that joins is watched: no join token may appear in any process's argv.
        std::vector<std::unique_ptr<QProcess>> watchers;
        QList<int> watched;
        for (const QString &id : m_managers.mid(1) + m_workers) {
            watched << id.section(QLatin1Char('-'), -1).toInt();
            watchers.push_back(watchForTokens(watched.last()));
            QVERIFY(watchers.back());
        }
        SwarmFormation job(&m_doc);
        QStringList logs;
        connect(&job, &WorkflowJob::logMessage, this,
                [&logs](const QString &, const QString &line) { logs << line; });
        QVERIFY(run(&job, 60000, "swarm form"));
        for (size_t i = 0; i < watchers.size(); ++i) {
            QCOMPARE(HivelabTest::onLabBoard(watched.at(int(i)),
                                             QStringLiteral("touch /run/hl-token-watch-stop"))
                         .code,
                     0);
            QVERIFY(watchers[i]->waitForFinished(10000));
            const QByteArray seen = watchers[i]->readAllStandardOutput().trimmed();
            QVERIFY2(seen.isEmpty(), seen.constData());
        }
        QVERIFY2(job.succeeded(), qPrintable(job.errorString()));
        QVERIFY(job.initialisedSwarm());
        QCOMPARE(job.leaderBoardId(), m_managers.first());
        QCOMPARE(m_doc.swarmLeader(), m_managers.first()); // the canvas shows it
        QCOMPARE(nodeLines(), expectedNodes() /* roles checked below */);
        for (const QString &id : m_managers + m_workers) {
            QCOMPARE(m_doc.nodeState(id), NodeState::SwarmReady);
            // The plan records each board's node, as the board itself knows it.
            QCOMPARE(m_doc.lab().board(id)->nodeId.toUtf8(),
                     onBoard(id, QStringLiteral("docker info --format '{{.Swarm.NodeID}}'"))
                         .out.trimmed());
        }
        // Managers are managers, workers are workers, on the swarm's own view.
        const Output ls =
            onBoard(m_managers.first(),
                    QStringLiteral("docker node ls --format '{{.Hostname}}={{.ManagerStatus}}'"));
        for (const QString &m : m_managers)
            QVERIFY2(QRegularExpression(QStringLiteral("^%1=(Leader|Reachable)$").arg(m),
                                        QRegularExpression::MultilineOption)
                         .match(QString::fromUtf8(ls.out))
                         .hasMatch(),
                     ls.out.constData());
        for (const QString &w : m_workers)
            QVERIFY(ls.out.contains((w + QStringLiteral("=\n")).toUtf8()));
        // Labels: defaults, the board's own, arch.
        const Output labels =
            onBoard(m_managers.first(), QStringLiteral("docker node inspect pine64-5 --format "
                                                       "'{{json .Spec.Labels}}'"));
        const QJsonObject l = QJsonDocument::fromJson(labels.out).object();
        QCOMPARE(l.value(QLatin1String("lab")).toString(), QStringLiteral("e2e"));
        QCOMPARE(l.value(QLatin1String("disk")).toString(), QStringLiteral("ssd"));
        QCOMPARE(l.value(QLatin1String("arch")).toString(), QStringLiteral("amd64"));
        // Tokens never reach the log.
        const QString workerToken =
            QString::fromUtf8(
                onBoard(m_managers.first(), QStringLiteral("docker swarm join-token -q worker"))
                    .out)
                .trimmed();
        QVERIFY(workerToken.startsWith(QLatin1String("SWMTKN-")));
        for (const QString &line : std::as_const(logs))
            QVERIFY2(!line.contains(QLatin1String("SWMTKN-")), qPrintable(line));
    }

    void probeSwarmMembersAsSudoUser()
    {
        // A swarm member's `docker info` carries the swarm's CA certificate with "\n" escapes;
        // through sudo the probe runs under dash, whose echo broke the JSON: "not running".
        DockerSetup job(&m_doc);
        job.setMode(DockerSetup::Mode::Probe);
        job.setBoardFilter(m_managers + m_workers);
        QVERIFY(run(&job, 30000, "docker probe of swarm members"));
        QVERIFY2(job.succeeded(), qPrintable(job.result(m_managers.first()).message));
        for (const QString &id : m_managers + m_workers) {
            QVERIFY(job.probe(id).engineRunning);
            QVERIFY(job.probe(id).docker.inSwarm());
            QCOMPARE(m_doc.nodeState(id), NodeState::SwarmReady);
        }
    }

    void formAgainIsIdempotent()
    {
        const Output before =
            onBoard(m_managers.first(), QStringLiteral("docker node ls -q | sort"));
        SwarmFormation job(&m_doc);
        QVERIFY(run(&job, 60000, "swarm form again"));
        QVERIFY(job.succeeded());
        QVERIFY(!job.initialisedSwarm());
        const Output after =
            onBoard(m_managers.first(), QStringLiteral("docker node ls -q | sort"));
        QCOMPARE(after.out, before.out);
        QCOMPARE(nodeLines(), expectedNodes());
    }

    void statusUpdatesNodeStates()
    {
        for (const QString &id : m_managers + m_workers)
            m_doc.setNodeState(id, NodeState::Unknown);
        SwarmStatus job(&m_doc);
        QVERIFY(run(&job, 30000, "swarm status"));
        QVERIFY(job.succeeded());
        QCOMPARE(job.nodes().size(), m_managers.size() + m_workers.size());
        for (const QString &id : m_managers + m_workers)
            QCOMPARE(m_doc.nodeState(id), NodeState::SwarmReady);
        QVERIFY2(m_managers.contains(m_doc.swarmLeader()), qPrintable(m_doc.swarmLeader()));
        QVERIFY(job.labelsOutOfDate().isEmpty()); // form set them
        // A label added in the plan: status notices, Apply placement would change that board.
        Board changed = *m_doc.lab().board(m_workers.first());
        changed.labels.insert(QStringLiteral("zone"), QStringLiteral("attic"));
        m_doc.updateBoard(changed);
        SwarmStatus again(&m_doc);
        QVERIFY(run(&again, 30000, "swarm status with a new label"));
        QCOMPARE(again.labelsOutOfDate(), QStringList{m_workers.first()});
        changed.labels.remove(QStringLiteral("zone"));
        m_doc.updateBoard(changed);

        // The same through the command line, as JSON.
        LabFileError error;
        const QString file = m_dir.filePath(QStringLiteral("lab.hivelab"));
        QVERIFY2(LabFile::save(m_doc.lab(), file, &error), qPrintable(error.toString()));
        QProcess p;
        p.start(qEnvironmentVariable("HIVELAB_BIN"),
                {QStringLiteral("swarm"), QStringLiteral("status"), file, QStringLiteral("--json"),
                 QStringLiteral("--password-stdin"), QStringLiteral("--known-hosts"),
                 m_settings.knownHostsPath});
        p.write(m_password.toUtf8() + '\n');
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject root = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY(root.value(QLatin1String("ok")).toBool());
        QCOMPARE(root.value(QLatin1String("boards")).toArray().size(),
                 m_managers.size() + m_workers.size());
        QCOMPARE(root.value(QLatin1String("boards"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QLatin1String("state")),
                 QJsonValue(QStringLiteral("SwarmReady")));
    }

    void drainAndActivate()
    {
        const QString worker = m_workers.first();
        const QString manager = m_managers.last(); // drain works on managers too
        auto availability = [this](const QString &board) {
            return QString::fromUtf8(
                       onBoard(m_managers.first(),
                               QStringLiteral("docker node inspect --format "
                                              "'{{.Spec.Availability}}' %1")
                                   .arg(board))
                           .out)
                .trimmed();
        };
        NodeAvailability drain(&m_doc);
        drain.setAvailability(NodeAvailability::Availability::Drain);
        drain.setBoardFilter({worker, manager});
        QVERIFY(run(&drain, 30000, "drain two boards"));
        QVERIFY2(drain.succeeded(), qPrintable(drain.result(worker).message));
        QCOMPARE(availability(worker), QStringLiteral("drain"));
        QCOMPARE(availability(manager), QStringLiteral("drain"));
        QCOMPARE(availability(m_workers.last()), QStringLiteral("active")); // not asked
        QCOMPARE(m_doc.nodeAvailability(worker), QStringLiteral("drain")); // canvas, inventory

        // Back through the command line, naming boards by hostname.
        LabFileError error;
        const QString file = m_dir.filePath(QStringLiteral("lab.hivelab"));
        QVERIFY2(LabFile::save(m_doc.lab(), file, &error), qPrintable(error.toString()));
        QProcess p;
        p.start(qEnvironmentVariable("HIVELAB_BIN"),
                {QStringLiteral("swarm"), QStringLiteral("activate"), file, worker, manager,
                 QStringLiteral("--password-stdin"), QStringLiteral("--known-hosts"),
                 m_settings.knownHostsPath});
        p.write(m_password.toUtf8() + '\n');
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QCOMPARE(availability(worker), QStringLiteral("active"));
        QCOMPARE(availability(manager), QStringLiteral("active"));

        // A board the swarm does not list fails with a reason; the others still run.
        Lab lab = m_doc.lab();
        Board ghost = *lab.board(worker);
        ghost.id = ghost.name = ghost.hostname = QStringLiteral("ghost-1");
        ghost.mac.clear();
        lab.boards << ghost;
        LabDocument doc;
        doc.setLab(lab);
        NodeAvailability partial(&doc);
        partial.setAvailability(NodeAvailability::Availability::Active);
        partial.setBoardFilter({QStringLiteral("ghost-1"), worker});
        QVERIFY(run(&partial, 30000, "activate with a stranger"));
        QVERIFY(!partial.succeeded());
        QCOMPARE(partial.result(QStringLiteral("ghost-1")).message,
                 QStringLiteral("Not in the swarm."));
        QVERIFY(partial.result(worker).ok);
        QCOMPARE(doc.nodeAvailability(worker), QStringLiteral("active"));
        // A status refresh reads availability back from the swarm.
        SwarmStatus status(&m_doc);
        QVERIFY(run(&status, 30000, "status after activate"));
        QCOMPARE(m_doc.nodeAvailability(manager), QStringLiteral("active"));
    }

    void leaveAndJoinOneBoard()
    {
        const QString board = m_workers.last();
        {
            SwarmFormation leave(&m_doc);
            leave.setOperation(SwarmFormation::Operation::Leave);
            leave.setBoardFilter({board});
            QVERIFY(run(&leave, 30000, "leave one board"));
            QVERIFY(leave.succeeded());
            QCOMPARE(leave.boardIds(), QStringList{board});
            QCOMPARE(swarmState(board), QStringLiteral("inactive"));
            QCOMPARE(swarmState(m_managers.first()), QStringLiteral("active"));
        }
        {
            SwarmFormation join(&m_doc);
            join.setOperation(SwarmFormation::Operation::Join);
            join.setBoardFilter({board});
            QVERIFY(run(&join, 60000, "join one board"));
            QVERIFY(join.succeeded());
            QCOMPARE(swarmState(board), QStringLiteral("active"));
            QCOMPARE(nodeLines(), expectedNodes());
        }
    }

    void anotherSwarmIsRefusedUnlessForced()
    {
        const QString board = m_workers.last();
        QCOMPARE(onBoard(board, QStringLiteral("docker swarm leave >/dev/null && docker swarm init "
                                               "--advertise-addr 127.0.0.1 >/dev/null"))
                     .code,
                 0);
        // The old node entry (Down) stays listed in our swarm until it is removed.
        onBoard(
            m_managers.first(),
            QStringLiteral("docker node ls -q --filter name=%1 | xargs -r docker node rm --force")
                .arg(board));
        SwarmFormation refused(&m_doc);
        refused.setOperation(SwarmFormation::Operation::Join);
        refused.setBoardFilter({board});
        QVERIFY(run(&refused, 30000, "join refused"));
        QVERIFY(!refused.succeeded());
        QVERIFY2(refused.result(board).message.contains(QLatin1String("another swarm")),
                 qPrintable(refused.result(board).message));

        SwarmFormation forced(&m_doc);
        forced.setOperation(SwarmFormation::Operation::Join);
        forced.setBoardFilter({board});
        forced.setForce(true);
        QVERIFY(run(&forced, 60000, "join forced"));
        QVERIFY2(forced.succeeded(), qPrintable(forced.result(board).message));
        QCOMPARE(nodeLines(), expectedNodes());
    }

    void leaveAndRejoinOneManager()
    {
        // Not every manager leaves: the board is demoted through one that stays, leaves once
        // Docker has applied the demotion, and the swarm keeps its quorum.
        const QString board = m_managers.last();
        SwarmFormation leave(&m_doc);
        leave.setOperation(SwarmFormation::Operation::Leave);
        leave.setBoardFilter({board});
        QVERIFY(run(&leave, 60000, "leave one manager"));
        QVERIFY2(leave.succeeded(), qPrintable(leave.result(board).message));
        QCOMPARE(swarmState(board), QStringLiteral("inactive"));
        QStringList rest = expectedNodes();
        rest.removeAll(board + QStringLiteral(" Ready"));
        QCOMPARE(nodeLines(), rest); // its node entry was removed, the others are Ready

        SwarmFormation form(&m_doc);
        form.setOperation(SwarmFormation::Operation::Form);
        QVERIFY(run(&form, 60000, "form again with the manager back"));
        QVERIFY2(form.succeeded(), qPrintable(form.result(board).message));
        QCOMPARE(nodeLines(), expectedNodes());
    }

    void formUsesTheSwarmALaterManagerRuns()
    {
        // The first planned manager is free, the others run the swarm. A run may initialise a
        // swarm on the first one before the others have answered (to save time), but must then
        // leave it again and use theirs: one swarm, with every board in it.
        const QString first = m_managers.first();
        const QString other = m_managers.at(1);
        {
            SwarmFormation leave(&m_doc);
            leave.setOperation(SwarmFormation::Operation::Leave);
            leave.setBoardFilter({first});
            QVERIFY(run(&leave, 60000, "leave the first manager"));
            QVERIFY2(leave.succeeded(), qPrintable(leave.result(first).message));
            QCOMPARE(swarmState(first), QStringLiteral("inactive"));
        }
        SwarmFormation form(&m_doc);
        QStringList logs;
        connect(&form, &WorkflowJob::logMessage, this,
                [&logs](const QString &, const QString &line) { logs << line; });
        QVERIFY(run(&form, 60000, "form with the first manager free"));
        QVERIFY2(form.succeeded(), qPrintable(form.result(first).message));
        QVERIFY(!form.initialisedSwarm());
        QVERIFY(form.leaderBoardId() != first);
        qInfo("early swarm undone: %s",
              logs.filter(QStringLiteral("leaving the one just initialised")).isEmpty() ? "no"
                                                                                        : "yes");
        const Output ls =
            onBoard(other, QStringLiteral("docker node ls --format '{{.Hostname}} {{.Status}}'"));
        QStringList lines = QString::fromUtf8(ls.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (QString &l : lines)
            l = l.trimmed();
        lines.sort();
        QCOMPARE(lines, expectedNodes());
        QCOMPARE(m_doc.lab().board(first)->nodeId.toUtf8(),
                 onBoard(first, QStringLiteral("docker info --format '{{.Swarm.NodeID}}'"))
                     .out.trimmed());
    }

    void leaveEverything()
    {
        SwarmFormation job(&m_doc);
        job.setOperation(SwarmFormation::Operation::Leave);
        QSignalSpy lines(&job, &WorkflowJob::logMessage);
        QVERIFY(run(&job, 60000, "swarm leave"));
        QVERIFY(job.succeeded());
        // Every manager leaves: the swarm is dissolved at once, not demoted one by one.
        bool dissolved = false, demoted = false;
        for (const QList<QVariant> &l : std::as_const(lines)) {
            dissolved |= l.at(1).toString().contains(QLatin1String("the swarm is dissolved"));
            demoted |= l.at(1).toString().contains(QLatin1String("docker node demote"));
        }
        QVERIFY(dissolved);
        QVERIFY(!demoted);
        QVERIFY(m_doc.swarmLeader().isEmpty());
        for (const QString &id : m_managers + m_workers) {
            QCOMPARE(swarmState(id), QStringLiteral("inactive"));
            QCOMPARE(m_doc.nodeState(id), NodeState::DockerReady);
            QVERIFY(m_doc.lab().board(id)->nodeId.isEmpty()); // the plan forgets the old node
        }
        // Status now fails: no manager has a swarm.
        SwarmStatus status(&m_doc);
        QVERIFY(run(&status, 30000, "status without swarm"));
        QVERIFY(!status.succeeded());
    }

    void cleanupTestCase()
    {
        if (m_managers.isEmpty())
            return;
        // Leave the lab as found, even after a failure above.
        for (const QString &id : m_managers + m_workers)
            onBoard(id, QStringLiteral("docker swarm leave --force >/dev/null 2>&1; true"));
        onBoard(m_stopped,
                QStringLiteral("if [ -s /run/docker.pid ]; then kill $(cat /run/docker.pid); "
                               "i=0; while [ -e /run/docker.pid ] && [ $i -lt 100 ]; "
                               "do sleep 0.1; i=$((i+1)); done; fi; "
                               "rm -f /etc/docker/daemon.json"));
        QVERIFY(onBoard(m_stopped, QStringLiteral("docker info >/dev/null 2>&1")).code != 0);
    }
};

QTEST_GUILESS_MAIN(TestSwarmLab)
#include "tst_swarmlab.moc"
