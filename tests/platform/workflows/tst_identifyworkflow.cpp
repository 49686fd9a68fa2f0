// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in job of the wizard's Connect step and `discover --login`, against real sshd and
// Dropbear on loopback: identification, typed outcomes for unknown and changed host keys, and
// trusting only the key the user confirmed.
#include "identifyworkflow.h"
#include "labdocument.h"
#include "labworkflow.h"
#include "sshtestserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <utility>

using namespace Hivelab;

class TestIdentifyWorkflow : public QObject
{
    Q_OBJECT
private:
    Lab lab(quint16 port, quint16 secondPort = 0) const
    {
        Lab l;
        Board b;
        b.id = b.name = QStringLiteral("board-1");
        b.ip = QStringLiteral("127.0.0.1");
        b.sshPort = port;
        b.sshUser = m_user.name();
        l.boards << b;
        if (secondPort) {
            b.id = b.name = QStringLiteral("board-2");
            b.sshPort = secondPort;
            l.boards << b;
        }
        return l;
    }
    ConnectionSettings settings(const QString &acceptFingerprint = QString()) const
    {
        ConnectionSettings s = HivelabTest::loopbackSettings(m_dir.path(), 10000);
        s.acceptNewHostKeys = !acceptFingerprint.isEmpty();
        s.acceptHostKeyFingerprint = acceptFingerprint;
        return s;
    }
    bool run(IdentifyWorkflow *job, const ConnectionSettings &s)
    {
        job->setConnectionSettings(s);
        job->setDefaultPassword(m_user.password());
        QSignalSpy finished(job, &WorkflowJob::finished);
        job->start();
        return finished.wait(30000) && finished.size() == 1;
    }

    QTemporaryDir m_dir;
    SshTestUser m_user;

private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        QVERIFY2(m_user.create(&error), qPrintable(error));
    }

    void unknownKeyThenOnlyTheConfirmedOne()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("known_hosts")));
        QString error;
        SshTestServer openssh(SshTestServer::Kind::OpenSsh);
        QVERIFY2(openssh.start(&error), qPrintable(error));
        SshTestServer dropbear(SshTestServer::Kind::Dropbear);
        QVERIFY2(dropbear.start(&error), qPrintable(error));
        LabDocument doc;
        doc.setLab(lab(openssh.port(), dropbear.port()));

        // First contact: nothing signs in, each board reports its key for the user to check.
        IdentifyWorkflow first(&doc);
        QVERIFY(run(&first, settings()));
        QVERIFY(!first.succeeded());
        for (const QString &id : {QStringLiteral("board-1"), QStringLiteral("board-2")}) {
            const BoardResult r = first.result(id);
            QCOMPARE(r.outcome, BoardResult::Outcome::HostKeyUnknown);
            QVERIFY(r.sshError.fingerprint.startsWith(QLatin1String("SHA256:")));
            QVERIFY(!r.sshError.hostKeyType.isEmpty());
            QVERIFY(!first.facts(id));
        }
        QCOMPARE(first.result(QStringLiteral("board-1")).sshError.fingerprint,
                 openssh.hostKeyFingerprint());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("known_hosts"))));

        // Trusting another key than the one presented (it changed while the user looked):
        // refused, nothing stored.
        IdentifyWorkflow wrong(&doc);
        wrong.setBoardFilter({QStringLiteral("board-1")});
        QVERIFY(run(&wrong, settings(dropbear.hostKeyFingerprint())));
        QCOMPARE(wrong.result(QStringLiteral("board-1")).outcome,
                 BoardResult::Outcome::HostKeyUnknown);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("known_hosts"))));

        // The confirmed key: signed in and identified, on OpenSSH and Dropbear alike.
        for (const auto &[id, fingerprint] :
             {std::pair{QStringLiteral("board-1"), openssh.hostKeyFingerprint()},
              std::pair{QStringLiteral("board-2"), dropbear.hostKeyFingerprint()}}) {
            IdentifyWorkflow job(&doc);
            job.setBoardFilter({id});
            QVERIFY(run(&job, settings(fingerprint)));
            const BoardResult r = job.result(id);
            QVERIFY2(r.ok, qPrintable(r.message));
            QCOMPARE(r.outcome, BoardResult::Outcome::Ok);
            const std::optional<HostFacts> facts = job.facts(id);
            QVERIFY(facts);
            QCOMPARE(facts->hostname, QSysInfo::machineHostName());
            QVERIFY(facts->cores > 0);
            QVERIFY2(r.message.contains(facts->hostname), qPrintable(r.message));
        }
        QCOMPARE(doc.lab(), lab(openssh.port(), dropbear.port())); // the job leaves the lab alone

        // A reinstalled board: refused outright, with where the old key is.
        QVERIFY2(openssh.restartWithNewHostKey(&error), qPrintable(error));
        IdentifyWorkflow again(&doc);
        QVERIFY(run(&again, settings()));
        const BoardResult changed = again.result(QStringLiteral("board-1"));
        QCOMPARE(changed.outcome, BoardResult::Outcome::HostKeyChanged);
        QCOMPARE(changed.sshError.fingerprint, openssh.hostKeyFingerprint());
        QCOMPARE(changed.sshError.knownHostsFile, m_dir.filePath(QStringLiteral("known_hosts")));
        QVERIFY(changed.sshError.knownHostsLine > 0);
        QVERIFY(again.result(QStringLiteral("board-2")).ok);
    }

    void wrongPasswordIsAuthFailed()
    {
        QFile::remove(m_dir.filePath(QStringLiteral("known_hosts")));
        QString error;
        SshTestServer openssh(SshTestServer::Kind::OpenSsh);
        QVERIFY2(openssh.start(&error), qPrintable(error));
        LabDocument doc;
        doc.setLab(lab(openssh.port()));
        IdentifyWorkflow job(&doc);
        job.setPassword(QStringLiteral("board-1"), QStringLiteral("not-the-password"));
        QVERIFY(run(&job, settings(openssh.hostKeyFingerprint())));
        QCOMPARE(job.result(QStringLiteral("board-1")).outcome, BoardResult::Outcome::AuthFailed);
    }
};

QTEST_GUILESS_MAIN(TestIdentifyWorkflow)
#include "tst_identifyworkflow.moc"
