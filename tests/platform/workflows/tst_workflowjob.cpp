// SPDX-License-Identifier: GPL-3.0-or-later
// Job mechanics without boards: loopback only (a closed port, a server that never speaks).
#include "credentialstore.h"
#include "dockersetup.h"
#include "filepush.h"
#include "labdocument.h"
#include "labworkflow.h"
#include "loopback.h"
#include "sshconfig.h"
#include "sshconfiglookup.h"
#include "swarmformation.h"
#include "swarmstatus.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Hivelab;

namespace {

/// Engine calls (one request, then two in one call) to `target`, made once the login gate has
/// answered for it (after a command there), then a mark one event-loop turn later: `events`
/// holds what came in which order, `answers` what the calls reported.
class FailingEngineCalls : public WorkflowJob
{
public:
    FailingEngineCalls(LabDocument *document, const QString &target)
        : WorkflowJob(document)
        , m_target(target)
    {}
    QStringList events;
    QList<Remote> answers;

protected:
    void begin() override
    {
        const QString own = document()->lab().boards.constFirst().id;
        setBoards({own});
        runOn(m_target, QStringLiteral("true"), [this, own](const Remote &) {
            HttpRequest ping;
            ping.path = "/_ping";
            callEngine(m_target, ping, [this](const Remote &r) {
                events << QStringLiteral("one request");
                answers << r;
            });
            callEngine(m_target, QList<HttpRequest>{ping, ping},
                       [this, own](const QList<Remote> &each) {
                           events << QStringLiteral("two requests");
                           answers << each;
                           finishBoard(own, false, describe(each.constFirst()));
                           finishJob();
                       });
            QMetaObject::invokeMethod(
                this, [this]() { events << QStringLiteral("next turn"); }, Qt::QueuedConnection);
        });
    }

private:
    QString m_target;
};

} // namespace

class TestWorkflowJob : public QObject
{
    Q_OBJECT
private:
    quint16 closedPort() { return HivelabTest::closedPort(this); }
    static Board board(const QString &id, quint16 port, Role role = Role::Worker)
    {
        return HivelabTest::loopbackBoard(id, port, role, QStringLiteral("nobody"));
    }
    ConnectionSettings settings() { return HivelabTest::loopbackSettings(m_dir.path(), 10000); }
    QTemporaryDir m_dir;

    // Boards board-1..N that only the ssh config at `configPath` points at 127.0.0.1:port.
    static Lab aliasedLab(int boards)
    {
        Lab lab;
        for (int i = 1; i <= boards; ++i) {
            Board b;
            b.id = b.name = b.hostname = QStringLiteral("board-%1").arg(i);
            b.sshUser = QStringLiteral("nobody");
            lab.boards << b;
        }
        return lab;
    }
    QString writeConfig(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
    /// Settings that ask `ssh -G` with the config `text` (written to the file `name`).
    ConnectionSettings sshConfigSettings(const QString &name, const QByteArray &text)
    {
        ConnectionSettings s = settings();
        s.ignoreSshConfig = false;
        s.sshConfigPath = writeConfig(name, text);
        return s;
    }
    /// An ssh config sending every board-N to 127.0.0.1 and a closed port: refused, never the
    /// bare alias (not found).
    QByteArray closedPortConfig()
    {
        return "Host board-*\n  HostName 127.0.0.1\n  Port " + QByteArray::number(closedPort()) +
               "\n";
    }
    /// An `ssh` first in PATH that answers `delay` seconds late (a loaded machine, a slow
    /// Match exec): the real one behind a wrapper; with `answers` false it only sleeps that
    /// long. Restores PATH when it goes.
    struct SlowSsh
    {
        QByteArray oldPath = qgetenv("PATH");
        bool ok = false;
        SlowSsh(const QString &dir, const char *delay, bool answers = true)
        {
            const QString real = QStandardPaths::findExecutable(QStringLiteral("ssh"));
            if (real.isEmpty() || !QDir().mkpath(dir))
                return;
            QFile f(dir + QStringLiteral("/ssh"));
            const QByteArray script = answers ? "#!/bin/sh\nsleep " + QByteArray(delay) +
                                                    "\nexec " + real.toUtf8() + " \"$@\"\n"
                                              : "#!/bin/sh\nexec sleep " + QByteArray(delay) + "\n";
            ok = f.open(QIODevice::WriteOnly) && f.write(script) > 0 &&
                 f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            qputenv("PATH", dir.toUtf8() + ':' + oldPath);
        }
        ~SlowSsh() { qputenv("PATH", oldPath); }
        Q_DISABLE_COPY_MOVE(SlowSsh)
    };

private Q_SLOTS:
    void init()
    {
        // A job cancelled or gone while `ssh -G` runs reaps the process it killed: QProcess
        // never has to warn that it was destroyed with its process running.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("QProcess: Destroyed while")));
    }

    void unreachableBoardFailsClearly()
    {
        LabDocument doc;
        Lab lab;
        lab.boards << board(QStringLiteral("a"), closedPort());
        doc.setLab(lab);
        DockerSetup job(&doc);
        job.setConnectionSettings(settings());
        QSignalSpy finished(&job, &WorkflowJob::finished);
        QSignalSpy boards(&job, &WorkflowJob::boardFinished);
        QSignalSpy progress(&job, &WorkflowJob::progressChanged);
        job.start();
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(boards.size(), 1);
        QVERIFY(!job.result(QStringLiteral("a")).ok);
        QVERIFY2(job.result(QStringLiteral("a"))
                     .message.contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(job.result(QStringLiteral("a")).message));
        // The SSH error becomes a code with its data, for each front end to word.
        QCOMPARE(job.result(QStringLiteral("a")).outcome, BoardResult::Outcome::Unreachable);
        QCOMPARE(job.result(QStringLiteral("a")).sshError.code, SshError::ConnectionRefused);
        QCOMPARE(doc.nodeState(QStringLiteral("a")), NodeState::Offline);
        QCOMPARE(progress.last().at(0).toLongLong(), 1);
        QCOMPARE(progress.last().at(1).toLongLong(), 1);
    }

    void cancelEndsAtOnce()
    {
        // Accepts connections and never sends a banner: the SSH handshake hangs until cancel.
        HivelabTest::SilentServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        LabDocument doc;
        Lab lab;
        lab.boards << board(QStringLiteral("m1"), silent.serverPort(), Role::Manager)
                   << board(QStringLiteral("w1"), silent.serverPort());
        doc.setLab(lab);
        SwarmFormation job(&doc);
        job.setConnectionSettings(settings());
        QVERIFY(HivelabTest::cancelOnceConnected(&job, silent));
        QVERIFY(!job.succeeded());
        QCOMPARE(job.results().size(), 2);
        for (const BoardResult &r : job.results()) {
            QVERIFY(!r.ok);
            QCOMPARE(r.message, QStringLiteral("Cancelled."));
            QCOMPARE(r.outcome, BoardResult::Outcome::Cancelled);
        }
        silent.closeConnections();
    }

    void windowsBoardsAreNotSupportedYet()
    {
        LabDocument doc;
        Lab lab;
        Board w = board(QStringLiteral("win"), closedPort(), Role::Worker);
        w.os = QStringLiteral("Windows Server 2019");
        lab.boards << w;
        doc.setLab(lab);
        DockerSetup job(&doc);
        job.setConnectionSettings(settings());
        QSignalSpy finished(&job, &WorkflowJob::finished);
        job.start();
        QVERIFY(finished.wait(5000));
        QVERIFY(!job.succeeded());
        QVERIFY(
            job.result(QStringLiteral("win")).message.contains(QLatin1String("not supported yet")));
        QCOMPARE(job.result(QStringLiteral("win")).outcome, BoardResult::Outcome::NotSupported);
    }

    void planWithoutManagers()
    {
        LabDocument doc;
        Lab lab;
        lab.boards << board(QStringLiteral("w"), closedPort(), Role::Worker);
        doc.setLab(lab);
        SwarmStatus status(&doc);
        QSignalSpy finished(&status, &WorkflowJob::finished);
        status.start();
        QVERIFY(finished.wait(5000));
        QVERIFY(!status.succeeded());
        QVERIFY(status.errorString().contains(QLatin1String("no manager")));

        SwarmFormation join(&doc);
        join.setOperation(SwarmFormation::Operation::Join);
        join.setBoardFilter({QStringLiteral("nope")});
        QSignalSpy joined(&join, &WorkflowJob::finished);
        join.start();
        QVERIFY(joined.wait(5000));
        QVERIFY(join.errorString().contains(QLatin1String("nope")));
    }

    void sshConfigLookupsNeverBlock()
    {
        // Each board's settings come from `ssh -G`, here 2 s late: the job's thread keeps
        // turning meanwhile (it used to sit in waitForFinished), and each board still logs in
        // where ssh says (127.0.0.1 and a closed port: refused, not "host not found").
        SlowSsh slow(m_dir.filePath(QStringLiteral("slow-bin")), "2");
        QVERIFY(slow.ok);
        LabDocument doc;
        doc.setLab(aliasedLab(4));
        DockerSetup job(&doc);
        job.setConnectionSettings(
            sshConfigSettings(QStringLiteral("slow-config"), closedPortConfig()));
        QSignalSpy finished(&job, &WorkflowJob::finished);
        QElapsedTimer sinceTick;
        qint64 longestGap = 0;
        QTimer probe;
        probe.setInterval(20);
        connect(&probe, &QTimer::timeout, this,
                [&]() { longestGap = qMax(longestGap, sinceTick.restart()); });
        QElapsedTimer clock;
        clock.start();
        sinceTick.start();
        probe.start();
        job.start();
        QVERIFY(finished.wait(30000));
        probe.stop();
        longestGap = qMax(longestGap, sinceTick.elapsed());
        QVERIFY2(clock.elapsed() >= 2000, "the slow ssh was not the one asked");
        QVERIFY2(longestGap < 1000,
                 qPrintable(QStringLiteral("event loop stood still %1 ms").arg(longestGap)));
        QCOMPARE(job.results().size(), 4);
        for (const BoardResult &r : job.results())
            QCOMPARE(r.sshError.code, SshError::ConnectionRefused);
    }

    void everyWayToABoardWaitsForSshConfig_data()
    {
        QTest::addColumn<QString>("workflow");
        QTest::newRow("runOn") << QStringLiteral("docker");
        QTest::newRow("callEngine") << QStringLiteral("status");
        QTest::newRow("withSession") << QStringLiteral("push");
    }

    void everyWayToABoardWaitsForSshConfig()
    {
        // A command, an engine call and a leased session each log in where `ssh -G` says, 1 s
        // late here: 127.0.0.1 and a closed port (refused), never the bare alias (not found).
        QFETCH(QString, workflow);
        SlowSsh slow(m_dir.filePath(QStringLiteral("slow1-bin")), "1");
        QVERIFY(slow.ok);
        LabDocument doc;
        Lab lab = aliasedLab(2);
        for (Board &b : lab.boards)
            b.role = Role::Manager;
        doc.setLab(lab);
        std::unique_ptr<WorkflowJob> job;
        if (workflow == QLatin1String("docker")) {
            job = std::make_unique<DockerSetup>(&doc);
        } else if (workflow == QLatin1String("status")) {
            job = std::make_unique<SwarmStatus>(&doc);
        } else {
            const QString local = writeConfig(QStringLiteral("pushed.txt"), "hello\n");
            auto push = std::make_unique<FilePush>(&doc);
            push->setFiles({FileCopy{local, QStringLiteral("pushed.txt"), 0644, false}});
            job = std::move(push);
        }
        job->setConnectionSettings(
            sshConfigSettings(QStringLiteral("slow1-config"), closedPortConfig()));
        QSignalSpy finished(job.get(), &WorkflowJob::finished);
        job->start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(job->results().size(), 2);
        for (const BoardResult &r : job->results()) {
            QVERIFY2(r.sshError.code == SshError::ConnectionRefused,
                     qPrintable(r.boardId + QStringLiteral(": ") + r.message));
        }
    }

    void slowSshConfigIsNotAKeychainTimeout()
    {
        // `ssh -G` never answers: each lookup ends after its own bound, SshConfig::TimeoutMs,
        // 16 at a time, so the last of 33 boards waits three bounds. Its board fails with
        // ssh's timeout, and the keychain (never asked: a board ssh cannot resolve needs no
        // password) is not blamed. The keychain's bound used to include this wait (20 s).
        if (QStandardPaths::findExecutable(QStringLiteral("sleep")).isEmpty())
            QSKIP("no sleep(1)");
        SlowSsh hang(m_dir.filePath(QStringLiteral("hang-bin")), "60", false);
        QVERIFY(hang.ok);
        const int boards = 2 * SshConfigLookup::MaxRunning + 1;
        LabDocument doc;
        doc.setLab(aliasedLab(boards));
        DockerSetup job(&doc);
        job.setConnectionSettings(
            sshConfigSettings(QStringLiteral("hang-config"), "Host board-*\n  Port 1\n"));
        CredentialStore store(QStringLiteral("hivelab-test-workflowjob"));
        job.setCredentialStore(&store, QStringLiteral("lab-keychain-test"));
        QStringList lines;
        connect(&job, &WorkflowJob::logMessage, this,
                [&lines](const QString &, const QString &line) { lines << line; });
        QSignalSpy finished(&job, &WorkflowJob::finished);
        QElapsedTimer clock;
        clock.start();
        job.start();
        QVERIFY(finished.wait(5 * SshConfig::TimeoutMs + 60000));
        QVERIFY2(clock.elapsed() >= 2 * SshConfig::TimeoutMs,
                 qPrintable(QStringLiteral("finished after %1 ms").arg(clock.elapsed())));
        for (const QString &line : std::as_const(lines))
            QVERIFY2(!line.contains(QLatin1String("keychain"), Qt::CaseInsensitive),
                     qPrintable(line));
        QCOMPARE(job.results().size(), boards);
        const QString last = QStringLiteral("board-%1").arg(boards);
        const BoardResult r = job.result(last);
        QCOMPARE(r.outcome, BoardResult::Outcome::Failed);
        QVERIFY2(r.message.contains(QStringLiteral("ssh -G %1 did not answer within %2 s")
                                        .arg(last)
                                        .arg(SshConfig::TimeoutMs / 1000)),
                 qPrintable(r.message));
    }

    void cancelWhileSshConfigResolves()
    {
        SlowSsh slow(m_dir.filePath(QStringLiteral("slower-bin")), "30");
        QVERIFY(slow.ok);
        LabDocument doc;
        doc.setLab(aliasedLab(2));
        DockerSetup job(&doc);
        job.setConnectionSettings(
            sshConfigSettings(QStringLiteral("slower-config"), "Host board-*\n  Port 1\n"));
        QSignalSpy started(&job, &WorkflowJob::started);
        QSignalSpy finished(&job, &WorkflowJob::finished);
        job.start();
        QVERIFY(started.wait(5000));
        QElapsedTimer clock;
        clock.start();
        job.cancel();
        QVERIFY(finished.wait(5000));
        QVERIFY(clock.elapsed() < 5000);
        QCOMPARE(job.results().size(), 2);
        for (const BoardResult &r : job.results())
            QCOMPARE(r.outcome, BoardResult::Outcome::Cancelled);
    }

    void sshConfigErrorEndsTheBoard()
    {
        // `ssh board-1` would refuse this config too: the board ends with ssh's own reason.
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("OpenSSH's ssh (openssh-client) is missing");
        LabDocument doc;
        doc.setLab(aliasedLab(1));
        DockerSetup job(&doc);
        job.setConnectionSettings(
            sshConfigSettings(QStringLiteral("bad-config"), "Host board-*\n  NoSuchOption yes\n"));
        QSignalSpy finished(&job, &WorkflowJob::finished);
        job.start();
        QVERIFY(finished.wait(15000));
        const BoardResult r = job.result(QStringLiteral("board-1"));
        QCOMPARE(r.outcome, BoardResult::Outcome::Failed);
        QVERIFY2(r.message.contains(QLatin1String("Bad configuration option")),
                 qPrintable(r.message));
    }

    void engineCallReportsAFailedLoginOnce_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("reason");
        QTest::newRow("ssh cannot resolve it")
            << QStringLiteral("board-1") << QStringLiteral("Bad configuration option");
        QTest::newRow("not in the lab")
            << QStringLiteral("gone") << QStringLiteral("not in the lab");
    }

    void engineCallReportsAFailedLoginOnce()
    {
        // Each call reports the gate's answer once, on the next turn: it used to fall back to a
        // command (runOn()) that passed the gate a second time and failed a turn later.
        QFETCH(QString, target);
        QFETCH(QString, reason);
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("OpenSSH's ssh (openssh-client) is missing");
        LabDocument doc;
        doc.setLab(aliasedLab(1));
        FailingEngineCalls job(&doc, target);
        job.setConnectionSettings(sshConfigSettings(QStringLiteral("refused-config"),
                                                    "Host board-*\n  NoSuchOption yes\n"));
        QSignalSpy finished(&job, &WorkflowJob::finished);
        job.start();
        QVERIFY(finished.wait(15000));
        QCOMPARE(job.events,
                 (QStringList{QStringLiteral("one request"), QStringLiteral("two requests"),
                              QStringLiteral("next turn")}));
        QCOMPARE(job.answers.size(), 3);
        for (const auto &r : std::as_const(job.answers)) {
            QVERIFY(!r.ok());
            QVERIFY2(r.error.message.contains(reason), qPrintable(r.error.message));
        }
    }

    void emptyLabFinishesOk()
    {
        LabDocument doc;
        DockerSetup job(&doc);
        QSignalSpy finished(&job, &WorkflowJob::finished);
        job.start();
        QVERIFY(finished.wait(5000));
        QVERIFY(job.succeeded());
        QVERIFY(job.results().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestWorkflowJob)
#include "tst_workflowjob.moc"
