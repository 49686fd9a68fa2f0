// SPDX-License-Identifier: GPL-3.0-or-later
// `swarm form` against boards that fail, on a lab of its own (tests/platform/workflows/CMakeLists.txt,
// 7 boards): a manager that refuses the password, a worker whose link is cut while it joins,
// one cut right after it joined, one powered off, one with nothing listening. The healthy
// boards finish, every failure has its reason, the 2-of-3-managers swarm is reported as such,
// and a second run completes the swarm. Then the leader's link is cut and the command line
// forms again at once: it waits for the managers' election and exits 3 (no fault tolerance).
// Last, two managers' links go and the job says the swarm has no leader, and what to do.
#include "labdocument.h"
#include "labfile.h"
#include "labworkflow.h"
#include "swarmformation.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestSwarmFaults : public QObject
{
    Q_OBJECT
private:
    LabDocument m_doc;
    ConnectionSettings m_settings;
    QString m_password;
    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_cuts;

    // Cuts (or restores) board K's link. Blocking on purpose: the job's next request to the
    // board is only sent once the event loop runs again, so it meets the cut link.
    void link(int k, bool up)
    {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral(HIVELAB_LAB_TOOL),
                 {QStringLiteral("link"), QString::number(k),
                  up ? QStringLiteral("up") : QStringLiteral("down")});
        p->waitForFinished(10000);
        m_cuts.push_back(std::move(p));
    }
    bool linksDone()
    {
        for (const auto &p : m_cuts) {
            if (p->state() != QProcess::NotRunning || p->exitStatus() != QProcess::NormalExit ||
                p->exitCode() != 0)
                return false;
        }
        m_cuts.clear();
        return true;
    }

    bool form(SwarmFormation *job, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        QSignalSpy finished(job, &WorkflowJob::finished);
        connect(job, &WorkflowJob::boardFinished, this,
                [](const QString &id, bool ok, const QString &message) {
                    qInfo("  %s %s: %s", qPrintable(id), ok ? "ok" : "FAILED", qPrintable(message));
                });
        job->setConnectionSettings(m_settings);
        job->setDefaultPassword(m_password);
        job->start();
        if (!finished.wait(timeoutMs))
            return false;
        qInfo("swarm form: %.2f s", double(clock.elapsed()) / 1000.0);
        return finished.size() == 1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QList<HivelabTest::LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
        Lab lab;
        lab.name = QStringLiteral("swarm faults");
        bool passwordOnly = false;
        bool off = false;
        bool noSsh = false;
        for (const HivelabTest::LabBoard &l : std::as_const(boards)) {
            Board b = HivelabTest::asBoard(l, QStringLiteral("root"));
            b.role = lab.boards.size() < 3 ? Role::Manager : Role::Worker;
            lab.boards << b;
            passwordOnly = passwordOnly || (l.auth == QLatin1String("password") && l.isOn());
            off = off || l.power == QLatin1String("off");
            noSsh = noSsh || l.power == QLatin1String("nossh");
        }
        if (lab.boards.size() != 7 || !passwordOnly || !off || !noSsh)
            QSKIP("needs the fault lab's layout (tests/platform/workflows/CMakeLists.txt)");
        m_doc.setLab(lab);
        m_settings = HivelabTest::labSettings(m_dir.filePath(QStringLiteral("known_hosts")), 3000);
    }

    void faultsDuringForm()
    {
        SwarmFormation job(&m_doc);
        job.setPassword(QStringLiteral("pine64-3"), QStringLiteral("not-the-password"));
        // Board 4 loses its link as its join request goes out, board 5 right after it joined
        // (the managers still list it Ready until its heartbeat expires).
        connect(&job, &WorkflowJob::logMessage, this,
                [this](const QString &id, const QString &line) {
                    if (id == QLatin1String("pine64-4") &&
                        line.startsWith(QLatin1String("$ POST /swarm/join")))
                        link(4, false);
                    if (id == QLatin1String("pine64-5") &&
                        line == QLatin1String("Joined as worker."))
                        link(5, false);
                });
        QVERIFY(form(&job, 90000));
        QVERIFY(linksDone());
        QVERIFY(!job.succeeded());
        QVERIFY2(job.errorString().isEmpty(), qPrintable(job.errorString()));
        for (const QString &id : {QStringLiteral("pine64-1"), QStringLiteral("pine64-2")}) {
            QVERIFY2(job.result(id).ok, qPrintable(job.result(id).message));
            QCOMPARE(m_doc.nodeState(id), NodeState::SwarmReady);
        }
        auto failedWith = [&job](const char *id, const char *reason) {
            const BoardResult r = job.result(QString::fromLatin1(id));
            if (r.ok || !r.message.contains(QLatin1String(reason), Qt::CaseInsensitive)) {
                qWarning("%s: %s", id, qPrintable(r.message));
                return false;
            }
            return true;
        };
        QVERIFY(failedWith("pine64-3", "authentication"));
        QVERIFY(failedWith("pine64-4", "join"));
        // Board 5: "stopped answering" when verification comes before its heartbeat expires,
        // "Down" once the managers noticed (board 4's join keeps the run waiting that long).
        QVERIFY(failedWith("pine64-5", "stopped answering") || failedWith("pine64-5", "Down"));
        QVERIFY(!job.result(QStringLiteral("pine64-6")).ok);
        QVERIFY(!job.result(QStringLiteral("pine64-6")).message.isEmpty());
        QVERIFY(failedWith("pine64-7", "refused"));
        QVERIFY(m_doc.nodeState(QStringLiteral("pine64-5")) != NodeState::SwarmReady);
        // Two managers survive no failure: the job says so, as a count, not in words only.
        QCOMPARE(job.managerCount().planned, 3);
        QCOMPARE(job.managerCount().ready, 2);
        QVERIFY(job.managerCount().lostFaultTolerance());
    }

    void secondRunCompletes()
    {
        link(4, true);
        link(5, true);
        QVERIFY(linksDone());
        SwarmFormation job(&m_doc);
        job.setBoardFilter({QStringLiteral("pine64-1"), QStringLiteral("pine64-2"),
                            QStringLiteral("pine64-3"), QStringLiteral("pine64-4"),
                            QStringLiteral("pine64-5")});
        QVERIFY(form(&job, 90000));
        QVERIFY2(job.succeeded(), qPrintable(job.errorString()));
        QVERIFY(!job.initialisedSwarm());
        QCOMPARE(job.managerCount().ready, 3);
        QVERIFY(!job.managerCount().lostFaultTolerance());
    }

    void leaderLostFormsAgainAtOnce()
    {
        // The leader's link goes; `swarm form` right away finds a swarm without a leader, waits
        // (bounded) for the other managers to elect one, and reports the 2 of 3 managers left.
        Lab lab = m_doc.lab();
        lab.boards.resize(5);
        const QString file = m_dir.filePath(QStringLiteral("faults.hivelab"));
        LabFileError error;
        QVERIFY2(LabFile::save(lab, file, &error), qPrintable(error.toString()));
        link(1, false);
        QVERIFY(linksDone());
        QProcess p;
        p.start(qEnvironmentVariable("HIVELAB_BIN"),
                {QStringLiteral("swarm"), QStringLiteral("form"), file,
                 QStringLiteral("--password-stdin"), QStringLiteral("--known-hosts"),
                 m_settings.knownHostsPath, QStringLiteral("--connect-timeout"),
                 QStringLiteral("3"), QStringLiteral("--json")});
        p.write(m_password.toUtf8() + '\n');
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(90000));
        link(1, true);
        QVERIFY(linksDone());
        const QByteArray err = p.readAllStandardError();
        qInfo("%s", err.constData());
        QCOMPARE(p.exitCode(), 3);
        const QJsonObject root = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY(!root.contains(QLatin1String("error")));
        const QJsonObject managers = root.value(QLatin1String("managers")).toObject();
        QCOMPARE(managers.value(QLatin1String("planned")).toInt(), 3);
        QCOMPARE(managers.value(QLatin1String("ready")).toInt(), 2);
        QCOMPARE(managers.value(QLatin1String("faultTolerant")).toBool(true), false);
    }

    void noLeaderSaysWhyAndTheWayOut()
    {
        // Two of the three managers' links go: the one left cannot elect itself (1 of 3). The
        // job waits, bounded, for an election that cannot come, then says why and what to do.
        link(2, false);
        link(3, false);
        QVERIFY(linksDone());
        SwarmFormation job(&m_doc);
        job.setBoardFilter({QStringLiteral("pine64-1"), QStringLiteral("pine64-2"),
                            QStringLiteral("pine64-3"), QStringLiteral("pine64-4"),
                            QStringLiteral("pine64-5")});
        job.setVerifySeconds(3);
        const bool finished = form(&job, 90000);
        link(2, true);
        link(3, true);
        QVERIFY(linksDone());
        QVERIFY(finished);
        QVERIFY(!job.succeeded());
        const QString error = job.errorString();
        QVERIFY2(error.startsWith(QLatin1String("The swarm has no leader: pine64-1 waited 3 s, "
                                                "but too few of its managers are reachable")),
                 qPrintable(error));
        // Nothing this run added: the way out is the lost managers, not a new cluster.
        QVERIFY2(error.contains(QLatin1String("Bring the lost managers back")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("force-new-cluster")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSwarmFaults)
#include "tst_swarmfaults.moc"
