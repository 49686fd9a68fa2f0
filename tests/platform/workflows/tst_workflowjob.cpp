// SPDX-License-Identifier: GPL-3.0-or-later
// Job mechanics without boards: loopback only (a closed port, a server that never speaks).
#include "dockersetup.h"
#include "labdocument.h"
#include "labworkflow.h"
#include "loopback.h"
#include "swarmformation.h"
#include "swarmstatus.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

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

private Q_SLOTS:
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
