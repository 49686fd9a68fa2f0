// SPDX-License-Identifier: GPL-3.0-or-later
// SshPool against real sshd: 50 boards in parallel (4 sshd, each listening on 13 loopback
// addresses, as sshd accepts at most 16 listen sockets), the concurrency cap and reuse.
#include "sshcommand.h"
#include "sshpool.h"
#include "sshpooltask.h"
#include "sshsession.h"
#include "sshtestserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Hivelab;

class TestSshPool : public QObject
{
    Q_OBJECT

private:
    std::vector<std::unique_ptr<SshTestServer>> m_servers;
    static constexpr int kServers = 4;
    std::unique_ptr<SshTestUser> m_user;
    QTemporaryDir m_dir;
    static constexpr int kBoards = 50;

    SshConnectOptions board(int i) const
    {
        SshConnectOptions o = m_servers.at(size_t(i % kServers))
                                  ->loopbackOptions(m_dir.path() + QStringLiteral("/known_hosts"));
        o.host = QStringLiteral("127.0.0.%1").arg(i / kServers + 1);
        o.connectTimeoutMs = 20000;
        return o;
    }
    SshAuth auth() const { return m_user->passwordAuth(); }

private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        m_user = std::make_unique<SshTestUser>();
        QVERIFY2(m_user->create(&error), qPrintable(error));
        QString listen;
        for (int i = 2; i <= (kBoards + kServers - 1) / kServers; ++i)
            listen += QStringLiteral("ListenAddress 127.0.0.%1:%PORT%\n").arg(i);
        for (int i = 0; i < kServers; ++i) {
            m_servers.push_back(std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh));
            QVERIFY2(m_servers.back()->start(&error, QStringLiteral("ed25519"), listen),
                     qPrintable(error));
        }
    }

    void cleanupTestCase()
    {
        m_servers.clear();
        m_user.reset();
    }

    void fiftyBoardsInParallel()
    {
        SshPool pool;
        pool.setMaxConcurrent(kBoards);
        QList<SshPoolTask *> tasks;
        QList<QByteArray> outputs(kBoards);
        int done = 0;
        for (int i = 0; i < kBoards; ++i) {
            SshPoolTask *t = pool.run(board(i), auth(), QStringLiteral("echo board-%1").arg(i));
            connect(t, &SshPoolTask::stdoutData, this,
                    [&outputs, i](const QByteArray &d) { outputs[i] += d; });
            connect(t, &SshPoolTask::finished, this, [&done]() { ++done; });
            tasks << t;
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, kBoards, 60000);
        for (int i = 0; i < kBoards; ++i) {
            QVERIFY2(!tasks.at(i)->error().isError(), qPrintable(tasks.at(i)->error().message));
            QCOMPARE(tasks.at(i)->exitStatus(), 0);
            QCOMPARE(outputs.at(i), QStringLiteral("board-%1\n").arg(i).toUtf8());
        }
        QCOMPARE(pool.connectionCount(), kBoards);
        QCOMPARE(pool.peakRunning(), kBoards);
        // Every board's key was stored once despite 50 concurrent first contacts.
        QFile kh(board(0).knownHostsPath);
        QVERIFY(kh.open(QIODevice::ReadOnly));
        QCOMPARE(kh.readAll().count('\n'), kBoards);
    }

    void limitQueuesAndReusesConnections()
    {
        SshPool pool;
        pool.setMaxConcurrent(3);
        int done = 0;
        int maxRunning = 0;
        for (int i = 0; i < 12; ++i) {
            SshPoolTask *t = pool.run(board(i % 2), auth(), QStringLiteral("sleep 0.1"));
            connect(t, &SshPoolTask::started, this,
                    [&]() { maxRunning = qMax(maxRunning, pool.runningCount()); });
            connect(t, &SshPoolTask::finished, this,
                    [&done](int status) { done += status == 0 ? 1 : 1000; });
        }
        QCOMPARE(pool.queuedCount(), 12);
        QTRY_COMPARE_WITH_TIMEOUT(done, 12, 30000);
        QCOMPARE(pool.peakRunning(), 3);
        QVERIFY(maxRunning <= 3);
        QCOMPARE(pool.connectionCount(), 2); // two boards, each connected once
        pool.closeIdle();
        QCOMPARE(pool.connectionCount(), 0);
    }

    void failedBoardDoesNotBlockOthers()
    {
        SshPool pool;
        pool.setMaxConcurrent(2);
        SshConnectOptions dead = board(0);
        dead.port = SshTestServer::freePort();
        SshPoolTask *bad = pool.run(dead, auth(), QStringLiteral("true"));
        SshPoolTask *good = pool.run(board(1), auth(), QStringLiteral("true"));
        QSignalSpy idle(&pool, &SshPool::idle);
        QTRY_VERIFY_WITH_TIMEOUT(bad->isFinished() && good->isFinished(), 20000);
        QCOMPARE(sshErrorName(bad->error().code), sshErrorName(SshError::ConnectionRefused));
        QCOMPARE(good->exitStatus(), 0);
        QTRY_COMPARE(pool.connectionCount(), 1); // the failed one is dropped, not reused
    }

    void cancelQueued()
    {
        SshPool pool;
        pool.setMaxConcurrent(1);
        SshPoolTask *first = pool.run(board(0), auth(), QStringLiteral("sleep 0.3"));
        SshPoolTask *second = pool.run(board(0), auth(), QStringLiteral("echo never"));
        second->cancel();
        QVERIFY(second->isFinished());
        QCOMPARE(sshErrorName(second->error().code), sshErrorName(SshError::Cancelled));
        QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), 10000);
        QCOMPARE(first->exitStatus(), 0);
    }

    void leaseHoldsASlotUntilReleased()
    {
        // A lease is one running slot: with a cap of 1, a command waits until it is released,
        // and it then runs on the very session the lease had (one connection for the board).
        SshPool pool;
        pool.setMaxConcurrent(1);
        SshPoolTask *lease = pool.lease(board(0), auth());
        SshSession *session = nullptr;
        connect(lease, &SshPoolTask::sessionReady, this,
                [&session](SshSession *s) { session = s; });
        SshPoolTask *command = pool.run(board(0), auth(), QStringLiteral("echo after"));
        QByteArray out;
        connect(command, &SshPoolTask::stdoutData, this, [&out](const QByteArray &d) { out += d; });
        QTRY_VERIFY_WITH_TIMEOUT(session != nullptr, 10000);
        QCOMPARE(pool.runningCount(), 1);
        QCOMPARE(pool.queuedCount(), 1);
        QVERIFY(!command->isRunning());
        // The holder uses the session directly, like SshTransfer and SshKeySetup do.
        SshCommand *own = session->exec(QStringLiteral("echo leased"));
        QSignalSpy ownDone(own, &SshCommand::finished);
        QVERIFY(ownDone.wait(10000));
        QCOMPARE(ownDone.first().first().toInt(), 0);
        QVERIFY(!command->isRunning() && !command->isFinished());

        QSignalSpy leaseDone(lease, &SshPoolTask::finished);
        lease->release();
        QCOMPARE(leaseDone.size(), 1);
        QVERIFY(!lease->error().isError());
        QTRY_VERIFY_WITH_TIMEOUT(command->isFinished(), 10000);
        QCOMPARE(command->exitStatus(), 0);
        QCOMPARE(out.trimmed(), QByteArray("after"));
        QCOMPARE(pool.connectionCount(), 1);
        QCOMPARE(pool.peakRunning(), 1);
    }

    void cancelledLeaseFreesItsSlot()
    {
        SshPool pool;
        pool.setMaxConcurrent(1);
        SshPoolTask *lease = pool.lease(board(1), auth());
        QSignalSpy ready(lease, &SshPoolTask::sessionReady);
        SshPoolTask *command = pool.run(board(1), auth(), QStringLiteral("true"));
        QVERIFY(ready.wait(10000));
        lease->cancel();
        QVERIFY(lease->isFinished());
        QCOMPARE(sshErrorName(lease->error().code), sshErrorName(SshError::Cancelled));
        QTRY_VERIFY_WITH_TIMEOUT(command->isFinished(), 10000);
        QCOMPARE(command->exitStatus(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSshPool)
#include "tst_sshpool.moc"
