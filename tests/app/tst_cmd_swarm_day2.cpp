// SPDX-License-Identifier: GPL-3.0-or-later
// Day-2 swarm commands end to end on a lab of its own (tests/app/CMakeLists.txt), one swarm for
// every test function: `swarm form` records node IDs and sets placement labels; moving a board
// to another rack in the lab file and `swarm labels` updates its node (a label set by hand
// stays, stale hivelab.* labels go); quorum-unsafe demotions are refused; a board whose power is
// pulled (hivelab-lab power K off) is removed through a manager that answers;
// a board that joins again replaces its old Down node; a worker is promoted.
#include "hivelabrun.h"
#include "labboard.h"
#include "labfile.h"
#include "labparts.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestCmdSwarmDay2 : public QObject
{
    Q_OBJECT
private:
    using Run = HivelabTest::CliRun;
    // `hivelab swarm VERB FILE BOARD…` with args = {swarm, VERB, BOARD…}.
    Run hivelab(const QStringList &args)
    {
        QElapsedTimer clock;
        clock.start();
        const Run r = HivelabTest::runHivelab(
            args.mid(0, 2) + QStringList{m_file} + args.mid(2) +
                QStringList{QStringLiteral("--password-stdin"),
                            QStringLiteral("--accept-new-host-keys")},
            QProcessEnvironment::systemEnvironment(), m_password.toUtf8() + '\n', 90000);
        qInfo("hivelab %s: exit %d in %.2f s", qPrintable(args.join(QLatin1Char(' '))),
              r.exitCode, double(clock.elapsed()) / 1000.0);
        return r;
    }
    static QByteArray onBoard(int k, const QString &command)
    {
        return HivelabTest::onLabBoard(k, command).out.trimmed();
    }
    // Node labels as the swarm's first manager sees them.
    static QJsonObject labelsOf(const QString &host)
    {
        return QJsonDocument::fromJson(onBoard(1, QStringLiteral("docker node inspect %1 --format "
                                                                 "'{{json .Spec.Labels}}'")
                                                      .arg(host)))
            .object();
    }
    Lab load()
    {
        LabFileError error;
        const std::optional<Lab> lab = LabFile::load(m_file, &error);
        if (!lab)
            qFatal("%s", qPrintable(error.toString()));
        return *lab;
    }
    void save(const Lab &lab)
    {
        LabFileError error;
        QVERIFY2(LabFile::save(lab, m_file, &error), qPrintable(error.toString()));
    }
    // Pulls board k's power: its daemons die at once and its link goes down, for good.
    static void powerOff(int k)
    {
        QProcess p;
        p.start(QStringLiteral(HIVELAB_LAB_TOOL),
                {QStringLiteral("power"), QString::number(k), QStringLiteral("off")});
        QVERIFY(p.waitForFinished(15000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    QTemporaryDir m_dir;
    QString m_file;
    QString m_password;
    bool m_formed = false;
    int m_off = 0; // the board powered off, 0: none

private Q_SLOTS:
    void initTestCase()
    {
        QList<HivelabTest::LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        if (qEnvironmentVariableIsEmpty("HIVELAB_BIN"))
            QSKIP("HIVELAB_BIN not set: run through ctest (root, lab)");
        m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
        Lab lab;
        lab.name = QStringLiteral("day2");
        lab.racks << Rack{QStringLiteral("rack-a"), QStringLiteral("Shelf A"), 4}
                  << Rack{QStringLiteral("rack-b"), QStringLiteral("Shelf B"), 4};
        const PowerSupply psu = HivelabTest::powerSupply(
            QStringLiteral("psu-b"), QStringLiteral("rack-b"), 60, QStringLiteral("wall-2"));
        lab.powerSupplies << psu;
        for (const HivelabTest::LabBoard &l : std::as_const(boards)) {
            Board b;
            b.hostname = l.hostname;
            b.id = b.hostname;
            b.name = QStringLiteral("Board %1").arg(lab.boards.size() + 1);
            b.ip = l.ip;
            b.sshPort = l.port;
            b.sshUser = QStringLiteral("root");
            const int k = int(lab.boards.size()) + 1;
            b.role = k <= 3 ? Role::Manager : Role::Worker;
            b.rackId = k <= 2 ? QStringLiteral("rack-a") : QStringLiteral("rack-b");
            b.slot = (k - 1) % 2;
            if (k > 2)
                b.psuId = psu.id;
            lab.boards << b;
        }
        if (lab.boards.size() != 4)
            QSKIP("needs a lab of 4 boards");
        // Board 2 has no hostname in the plan (only a name): it is matched by what its engine
        // says, then by the node ID recorded in the file.
        lab.boards[1].hostname.clear();
        m_file = m_dir.filePath(QStringLiteral("day2.hivelab"));
        save(lab);
    }

    void formRecordsNodeIdsAndLabels()
    {
        const Run r = hivelab({QStringLiteral("swarm"), QStringLiteral("form")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        m_formed = true;
        const Lab lab = load();
        for (const Board &b : lab.boards) {
            QVERIFY2(LabFile::isValidNodeId(b.nodeId), qPrintable(b.id));
            const QByteArray id =
                onBoard(int(lab.boardIndex(b.id)) + 1,
                        QStringLiteral("docker info --format '{{.Swarm.NodeID}}'"));
            QCOMPARE(b.nodeId.toUtf8(), id);
        }
        const QJsonObject l4 = labelsOf(QStringLiteral("pine64-4"));
        QCOMPARE(l4.value(QLatin1String("hivelab.rack")).toString(), QStringLiteral("rack-b"));
        QCOMPARE(l4.value(QLatin1String("hivelab.psu")).toString(), QStringLiteral("psu-b"));
        QCOMPARE(l4.value(QLatin1String("hivelab.circuit")).toString(), QStringLiteral("wall-2"));
        QCOMPARE(l4.value(QLatin1String("arch")).toString(), QStringLiteral("amd64"));
        QCOMPARE(
            labelsOf(QStringLiteral("pine64-1")).value(QLatin1String("hivelab.rack")).toString(),
            QStringLiteral("rack-a"));
    }

    void statusMatchesBoardWithoutHostname()
    {
        // Board 2 is a Ready manager although its plan has no hostname.
        const Run r =
            hivelab({QStringLiteral("swarm"), QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY(!r.out.contains("Not in the swarm"));
    }

    void labelsFollowTheRack()
    {
        QVERIFY(m_formed);
        // A label set by hand on the node, and the board moves to rack A without a supply.
        QCOMPARE(HivelabTest::onLabBoard(
                     1, QStringLiteral("docker node update --label-add hand.made=yes pine64-4"))
                     .code,
                 0);
        Lab lab = load();
        Board *b = lab.board(QStringLiteral("pine64-4"));
        b->rackId = QStringLiteral("rack-a");
        b->slot = 2;
        b->psuId.clear();
        save(lab);

        Run check =
            hivelab({QStringLiteral("swarm"), QStringLiteral("labels"), QStringLiteral("--check")});
        QCOMPARE(check.exitCode, 1);
        QVERIFY2(check.out.contains("hivelab.rack=rack-a") && check.out.contains("-hivelab.psu"),
                 check.out.constData());
        QCOMPARE(
            labelsOf(QStringLiteral("pine64-4")).value(QLatin1String("hivelab.rack")).toString(),
            QStringLiteral("rack-b")); // --check changed nothing

        const Run apply = hivelab({QStringLiteral("swarm"), QStringLiteral("labels")});
        QVERIFY2(apply.exitCode == 0, (apply.out + apply.err).constData());
        const QJsonObject l = labelsOf(QStringLiteral("pine64-4"));
        QCOMPARE(l.value(QLatin1String("hivelab.rack")).toString(), QStringLiteral("rack-a"));
        QVERIFY(!l.contains(QLatin1String("hivelab.psu")));
        QVERIFY(!l.contains(QLatin1String("hivelab.circuit")));
        QCOMPARE(l.value(QLatin1String("hand.made")).toString(), QStringLiteral("yes"));
        QCOMPARE(l.value(QLatin1String("arch")).toString(), QStringLiteral("amd64"));

        check =
            hivelab({QStringLiteral("swarm"), QStringLiteral("labels"), QStringLiteral("--check")});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
    }

    void demotingEveryManagerIsRefused()
    {
        QVERIFY(m_formed);
        const Run r =
            hivelab({QStringLiteral("swarm"), QStringLiteral("demote"), QStringLiteral("pine64-1"),
                     QStringLiteral("pine64-2"), QStringLiteral("pine64-3")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("no manager left"), r.out.constData());
        QCOMPARE(onBoard(1, QStringLiteral("docker node ls --filter role=manager -q | wc -l")),
                 QByteArray("3"));
        QCOMPARE(load().board(QStringLiteral("pine64-3"))->role, Role::Manager);
    }

    void rejoinedBoardReplacesItsOldNode()
    {
        QVERIFY(m_formed);
        // Board 4 as if reflashed: its engine forgets the swarm, the managers list it Down.
        const QString oldId = load().board(QStringLiteral("pine64-4"))->nodeId;
        QCOMPARE(HivelabTest::onLabBoard(4, QStringLiteral("docker swarm leave --force")).code, 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            onBoard(1, QStringLiteral("docker node inspect %1 --format '{{.Status.State}}'")
                           .arg(oldId)),
            QByteArray("down"), 30000);
        const Run r = hivelab({QStringLiteral("swarm"), QStringLiteral("join"),
                               QStringLiteral("pine64-4")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QString newId = load().board(QStringLiteral("pine64-4"))->nodeId;
        QVERIFY(newId != oldId);
        QCOMPARE(newId.toUtf8(),
                 onBoard(4, QStringLiteral("docker info --format '{{.Swarm.NodeID}}'")));
        // Listed once, under the new node; its labels came back with it.
        QCOMPARE(onBoard(1, QStringLiteral("docker node ls -q --filter name=pine64-4")),
                 newId.toUtf8());
        QCOMPARE(labelsOf(QStringLiteral("pine64-4")).value(QLatin1String("hivelab.rack")).toString(),
                 QStringLiteral("rack-a"));
    }

    void deadManagerBlocksDemotionThenIsRemoved()
    {
        QVERIFY(m_formed);
        powerOff(3);
        m_off = 3;
        // Its engine is gone with it (the socket is in the board's own /run).
        QCOMPARE(onBoard(3, QStringLiteral("docker info >/dev/null 2>&1 && echo up || echo off")),
                 QByteArray("off"));
        // The managers notice after their heartbeat expires.
        QTRY_VERIFY_WITH_TIMEOUT(
            onBoard(1, QStringLiteral("docker node inspect pine64-3 --format "
                                      "'{{.Status.State}} {{.ManagerStatus.Reachability}}'")) ==
                "down unreachable",
            40000);

        // 3 managers, 2 reachable: demoting a reachable one leaves 1 of 2, no majority.
        Run r = hivelab(
            {QStringLiteral("swarm"), QStringLiteral("demote"), QStringLiteral("pine64-2")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("Refused"), r.out.constData());
        QCOMPARE(onBoard(1, QStringLiteral("docker node inspect pine64-2 --format "
                                           "'{{.Spec.Role}}'")),
                 QByteArray("manager"));

        // A live worker is not removed without --force.
        r = hivelab(
            {QStringLiteral("swarm"), QStringLiteral("remove"), QStringLiteral("pine64-4")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("is Ready"), r.out.constData());

        // The dead manager: demoted and removed through board 1, although it cannot answer.
        r = hivelab(
            {QStringLiteral("swarm"), QStringLiteral("remove"), QStringLiteral("pine64-3")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QByteArray hosts = onBoard(
            1, QStringLiteral("docker node ls --format '{{.Hostname}}' | sort | tr '\\n' ' '"));
        QCOMPARE(hosts, QByteArray("pine64-1 pine64-2 pine64-4"));
        const Board *gone = load().board(QStringLiteral("pine64-3"));
        QVERIFY(gone);
        QCOMPARE(gone->role, Role::Unassigned);
        QVERIFY(gone->nodeId.isEmpty());
    }

    void promoteRestoresThreeManagers()
    {
        QVERIFY(m_formed);
        // Two managers left: promoting the worker makes three again, in the swarm and the plan.
        const Run r = hivelab(
            {QStringLiteral("swarm"), QStringLiteral("promote"), QStringLiteral("pine64-4")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QTRY_COMPARE_WITH_TIMEOUT(onBoard(1, QStringLiteral("docker node inspect pine64-4 "
                                                            "--format "
                                                            "'{{.ManagerStatus.Reachability}}'")),
                                  QByteArray("reachable"), 20000);
        QCOMPARE(load().board(QStringLiteral("pine64-4"))->role, Role::Manager);
    }

    void cleanupTestCase()
    {
        if (!m_formed)
            return;
        // Leave the lab as found, even after a failure above.
        for (int k = 1; k <= 4; ++k) {
            if (k != m_off)
                onBoard(k, QStringLiteral("docker swarm leave --force >/dev/null 2>&1; true"));
        }
        for (int k = 1; k <= 4; ++k) {
            if (k != m_off)
                QCOMPARE(onBoard(k, QStringLiteral("docker info --format "
                                                   "'{{.Swarm.LocalNodeState}}'")),
                         QByteArray("inactive"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCmdSwarmDay2)
#include "tst_cmd_swarm_day2.moc"
