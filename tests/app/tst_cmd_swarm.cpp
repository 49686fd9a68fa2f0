// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab provision`, `swarm` and `join` as users call them: usage errors, help, and a board
// that cannot be reached (loopback, closed port). The working paths run in tst_swarmlab.
#include "hivelabrun.h"
#include "labfile.h"
#include "loopback.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace Hivelab;

class TestCmdSwarm : public QObject
{
    Q_OBJECT
private:
    using Run = HivelabTest::CliRun;
    Run run(const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_dir.path()); // no user keys, config or known_hosts
        return HivelabTest::runHivelab(args, env);
    }
    QTemporaryDir m_dir;
    QString m_lab;
    QTcpSocket m_closed;

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("HIVELAB_BIN"))
            QSKIP("HIVELAB_BIN not set (run through ctest)");
        // Bound, not listening: refused, and no other process can take the port meanwhile.
        QVERIFY(m_closed.bind(QHostAddress::LocalHost, 0));
        const quint16 port = m_closed.localPort();
        Lab lab;
        lab.name = QStringLiteral("cli");
        for (const char *id : {"m1", "w1"}) {
            Board b;
            b.id = b.name = b.hostname = QLatin1String(id);
            b.ip = QStringLiteral("127.0.0.1");
            b.sshPort = port;
            b.role = b.id == QLatin1String("m1") ? Role::Manager : Role::Worker;
            lab.boards << b;
        }
        m_lab = m_dir.filePath(QStringLiteral("cli.hivelab"));
        LabFileError error;
        QVERIFY2(LabFile::save(lab, m_lab, &error), qPrintable(error.toString()));
    }

    void usage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("swarm alone") << QStringList{"swarm"} << 2 << "Usage: hivelab swarm";
        QTest::newRow("swarm bogus") << QStringList{"swarm", "bogus"} << 2 << "Unknown swarm";
        QTest::newRow("swarm --help") << QStringList{"swarm", "--help"} << 0 << "form|join";
        QTest::newRow("form --help")
            << QStringList{"swarm", "form", "--help"} << 0 << "--accept-new-host-keys";
        QTest::newRow("provision --help")
            << QStringList{"provision", "--help"} << 0 << "--password-stdin";
        QTest::newRow("provision no file") << QStringList{"provision"} << 2 << "Usage";
        QTest::newRow("missing file")
            << QStringList{"swarm", "form", "/nonexistent.hivelab"} << 2 << "nonexistent";
        QTest::newRow("join without board")
            << QStringList{"swarm", "join", "LAB"} << 2 << "Name the boards";
        QTest::newRow("unknown board")
            << QStringList{"swarm", "join", "LAB", "zz"} << 2 << "No board \"zz\"";
        // One spelling for one host (exec, discover), the other for boards: both work everywhere.
        QTest::newRow("--accept-new-host-key spelling")
            << QStringList{"swarm", "join", "LAB", "zz", "--accept-new-host-key"} << 2
            << "No board \"zz\"";
        QTest::newRow("bad --boards")
            << QStringList{"provision", "LAB", "--boards", "m1,zz"} << 2 << "No board \"zz\"";
        QTest::newRow("drain without board")
            << QStringList{"swarm", "drain", "LAB"} << 2 << "Name the boards to drain";
        QTest::newRow("activate --help")
            << QStringList{"swarm", "activate", "--help"} << 0 << "drained boards";
        QTest::newRow("remove without board")
            << QStringList{"swarm", "remove", "LAB"} << 2 << "Name the boards to remove";
        QTest::newRow("demote without board")
            << QStringList{"swarm", "demote", "LAB"} << 2 << "Name the boards to demote";
        QTest::newRow("labels takes no board")
            << QStringList{"swarm", "labels", "LAB", "m1"} << 2 << "Usage";
        QTest::newRow("labels --help")
            << QStringList{"swarm", "labels", "--help"} << 0 << "--check";
        QTest::newRow("remove --help")
            << QStringList{"swarm", "remove", "--help"} << 0 << "--force";
        QTest::newRow("labels has no --force")
            << QStringList{"swarm", "labels", "LAB", "--force"} << 2 << "force";
        QTest::newRow("bad --parallel")
            << QStringList{"provision", "LAB", "--parallel", "0"} << 2 << "--parallel";
    }
    void usage()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, says);
        args.replaceInStrings(QStringLiteral("LAB"), m_lab);
        const Run r = run(args);
        QCOMPARE(r.exitCode, code);
        QVERIFY2((r.out + r.err).contains(says.toUtf8()), (r.out + r.err).constData());
    }

    void unreachableBoardsExitOne_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("provision") << QStringList{"provision", "LAB", "--json"};
        QTest::newRow("swarm status") << QStringList{"swarm", "status", "LAB", "--json"};
        QTest::newRow("swarm form") << QStringList{"swarm", "form", "LAB", "--json"};
        QTest::newRow("join (form)") << QStringList{"join", "LAB", "--json"};
        QTest::newRow("swarm labels --check")
            << QStringList{"swarm", "labels", "LAB", "--check", "--json"};
    }
    void unreachableBoardsExitOne()
    {
        QFETCH(QStringList, args);
        args.replaceInStrings(QStringLiteral("LAB"), m_lab);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 1);
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(!root.isEmpty(), r.out.constData());
        QCOMPARE(root.value(QLatin1String("ok")).toBool(true), false);
        const QJsonArray boards = root.value(QLatin1String("boards")).toArray();
        QCOMPARE(boards.size(), 2);
        for (const QJsonValue &b : boards) {
            const QJsonObject o = b.toObject();
            QCOMPARE(o.value(QLatin1String("ok")).toBool(true), false);
            // A code scripts can rely on, not wording to match: the manager every operation
            // tries first is unreachable (a job that stops there reports the others Failed).
            if (o.value(QLatin1String("id")).toString() == QLatin1String("m1"))
                QCOMPARE(o.value(QLatin1String("outcome")).toString(),
                         QStringLiteral("Unreachable"));
            else
                QVERIFY(o.value(QLatin1String("outcome")).toString() != QLatin1String("Ok"));
        }
        // Progress goes to stderr, one line per board at least.
        QVERIFY2(r.err.contains("[m1]") && r.err.contains("[w1]"), r.err.constData());
    }

    void boardsFilter()
    {
        const Run r = run({QStringLiteral("provision"), m_lab, QStringLiteral("--boards"),
                           QStringLiteral("w1"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray boards =
            QJsonDocument::fromJson(r.out).object().value(QLatin1String("boards")).toArray();
        QCOMPARE(boards.size(), 1);
        QCOMPARE(boards.first().toObject().value(QLatin1String("id")).toString(),
                 QStringLiteral("w1"));
        QCOMPARE(boards.first().toObject().value(QLatin1String("state")).toString(),
                 QStringLiteral("Offline"));
    }

    void ctrlCCancelsTheJob()
    {
        // Accepts and then says nothing: the SSH handshake waits (60 s) until Ctrl-C.
        HivelabTest::SilentServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        Lab lab;
        lab.name = QStringLiteral("silent");
        lab.boards << HivelabTest::loopbackBoard(QStringLiteral("m1"), silent.serverPort(),
                                                 Role::Manager, QString());
        const QString file = m_dir.filePath(QStringLiteral("silent.hivelab"));
        LabFileError error;
        QVERIFY2(LabFile::save(lab, file, &error), qPrintable(error.toString()));

        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_dir.path());
        p.setProcessEnvironment(env);
        QSignalSpy done(&p, &QProcess::finished);
        QSignalSpy connected(&silent, &QTcpServer::newConnection);
        p.start(qEnvironmentVariable("HIVELAB_BIN"),
                {QStringLiteral("swarm"), QStringLiteral("status"), file, QStringLiteral("--json"),
                 QStringLiteral("--connect-timeout"), QStringLiteral("60")});
        QVERIFY(p.waitForStarted());
        QVERIFY(connected.wait(10000));
        QVERIFY(done.isEmpty());
        QElapsedTimer clock;
        clock.start();
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(done.wait(10000));
        QVERIFY2(clock.elapsed() < 10000, "Ctrl-C did not cancel the job promptly");
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("Interrupted: cancelling"), err.constData());
        const QJsonObject root = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QVERIFY(root.value(QLatin1String("interrupted")).toBool());
        QCOMPARE(root.value(QLatin1String("ok")).toBool(true), false);
    }
};

QTEST_GUILESS_MAIN(TestCmdSwarm)
#include "tst_cmd_swarm.moc"
