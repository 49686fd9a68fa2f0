// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab remote` and `hivelab context` end to end on a lab of its own (3 boards, sudo users,
// Dropbear and OpenSSH): setup switches the engines to TLS with client verification on 2376
// while board 3, whose port 2376 is taken, is rolled back to its old configuration and
// reported; then, from the laptop, the real docker CLI reaches the engines through the context
// (`node ls` once the swarm is formed) and through DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH; a client without a certificate
// is refused and 2375 stays closed; status shows the expiry; renew re-issues and redeploys.
#include "hivelabrun.h"
#include "labboard.h"
#include "labfile.h"

#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestRemoteLab : public QObject
{
    Q_OBJECT
private:
    using Run = HivelabTest::CliRun;
    Run hivelab(const QStringList &args, const QProcessEnvironment &env =
                                             QProcessEnvironment::systemEnvironment())
    {
        QElapsedTimer clock;
        clock.start();
        const Run r = HivelabTest::runHivelab(
            args + QStringList{QStringLiteral("--password-stdin"),
                               QStringLiteral("--accept-new-host-keys")},
            env, m_password.toUtf8() + '\n', 100000);
        qInfo("hivelab %s: exit %d in %.2f s", qPrintable(args.join(QLatin1Char(' '))),
              r.exitCode, double(clock.elapsed()) / 1000.0);
        return r;
    }
    static QByteArray onBoard(int k, const QString &command)
    {
        return HivelabTest::onLabBoard(k, command).out.trimmed();
    }
    // A local tool, bounded; stdout + stderr.
    static int tool(const QString &program, const QStringList &args, QByteArray *output,
                    const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return -1;
        }
        *output = p.readAll();
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    QString boardLine(const QByteArray &out, const QString &board)
    {
        for (const QByteArray &line : out.split('\n')) {
            if (line.startsWith(board.toUtf8()))
                return QString::fromUtf8(line);
        }
        return {};
    }

    QTemporaryDir m_dir;
    QString m_file;
    QString m_password;
    QList<HivelabTest::LabBoard> m_boards;
    QString m_certDir;
    bool m_setUp = false;

private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_READ_LAB_BOARDS(m_boards);
        if (m_boards.size() != 3 || qEnvironmentVariableIsEmpty("HIVELAB_BIN"))
            QSKIP("needs a lab of 3 boards and HIVELAB_BIN: run through ctest");
        m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
        Lab lab;
        lab.name = QStringLiteral("Remote Lab");
        for (const HivelabTest::LabBoard &lb : m_boards) {
            Board b;
            b.id = lb.hostname;
            b.name = lb.hostname;
            b.hostname = lb.hostname;
            b.ip = lb.ip;
            b.sshPort = lb.port;
            b.sshUser = lb.user; // not root: the key goes through sudo's stdin
            b.role = Role::Manager;
            lab.boards << b;
        }
        m_file = m_dir.filePath(QStringLiteral("remote.hivelab"));
        LabFileError error;
        QVERIFY2(LabFile::save(lab, m_file, &error), qPrintable(error.toString()));
        // Board 3's engine cannot bind 2376: something else listens there (bounded lifetime).
        QCOMPARE(HivelabTest::onLabBoard(
                     3, QStringLiteral("setsid /usr/bin/python3 -c 'import socket, time\n"
                                       "s = socket.socket()\n"
                                       "s.bind((\"0.0.0.0\", 2376))\n"
                                       "s.listen()\n"
                                       "time.sleep(300)' >/dev/null 2>&1 </dev/null & "
                                       "echo $! >/run/hl-blocker.pid"))
                     .code,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            HivelabTest::onLabBoard(
                3, QStringLiteral("grep -qE ':0948 [0-9A-F:]+ 0A ' /proc/net/tcp"))
                    .code == 0,
            10000);
    }

    void setupRollsBackTheBoardThatFails()
    {
        const QByteArray before3 = onBoard(3, QStringLiteral("cat /etc/docker/daemon.json"));
        const Run r = hivelab({QStringLiteral("remote"), QStringLiteral("setup"), m_file});
        QCOMPARE(r.exitCode, 1); // one board failed
        const QString line1 = boardLine(r.out, QStringLiteral("pine64-1"));
        const QString line3 = boardLine(r.out, QStringLiteral("pine64-3"));
        QVERIFY2(line1.contains(QLatin1String("ok")) && line1.contains(QLatin1String("2376")),
                 (r.out + r.err).constData());
        QVERIFY2(boardLine(r.out, QStringLiteral("pine64-2")).contains(QLatin1String(" ok ")),
                 r.out.constData());
        // Rolled back and reported, with the engine's own reason.
        QVERIFY2(line3.contains(QLatin1String("FAILED")) &&
                     line3.contains(QLatin1String("restored")) &&
                     line3.contains(QLatin1String("address already in use")),
                 (r.out + r.err).constData());
        QVERIFY2(r.out.contains("client certificate valid until"), r.out.constData());
        m_setUp = true;

        // Boards 1 and 2: TLS in daemon.json, key 0600 root, the engine answers.
        for (int k : {1, 2}) {
            const QByteArray json = onBoard(k, QStringLiteral("cat /etc/docker/daemon.json"));
            QVERIFY2(json.contains("\"tlsverify\": true") && json.contains("2376") &&
                         !json.contains("2375"),
                     json.constData());
            QCOMPARE(onBoard(k, QStringLiteral("stat -c '%a %U' "
                                               "/etc/docker/hivelab/server-key.pem")),
                     QByteArray("600 root"));
            QCOMPARE(HivelabTest::onLabBoard(k, QStringLiteral("docker info >/dev/null")).code, 0);
        }
        // Board 3: as before, and its engine runs again (without TLS).
        QCOMPARE(onBoard(3, QStringLiteral("cat /etc/docker/daemon.json")), before3);
        QCOMPARE(HivelabTest::onLabBoard(3, QStringLiteral("docker info >/dev/null")).code, 0);
        // The CA key stayed on the laptop.
        QCOMPARE(HivelabTest::onLabBoard(
                     1, QStringLiteral("grep -rl 'PRIVATE KEY' /etc/docker/hivelab | wc -l"))
                     .out.trimmed(),
                 QByteArray("1"));
    }

    void contextWorksOverTls()
    {
        QVERIFY(m_setUp);
        const Run r = hivelab({QStringLiteral("context"), m_file});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("DOCKER_HOST=tcp://" + m_boards.at(0).ip.toUtf8() + ":2376"),
                 r.out.constData());
        QVERIFY(r.out.contains("DOCKER_TLS_VERIFY=1"));
        for (const QByteArray &line : r.out.split('\n')) {
            if (line.startsWith("DOCKER_CERT_PATH="))
                m_certDir = QString::fromUtf8(line.mid(17));
        }
        QVERIFY(QFileInfo::exists(m_certDir + QStringLiteral("/key.pem")));

        const QString docker = QStandardPaths::findExecutable(QStringLiteral("docker"));
        QVERIFY(!docker.isEmpty());
        QByteArray out;
        QCOMPARE(tool(docker,
                      {QStringLiteral("--context"), QStringLiteral("hivelab-remote-lab"),
                       QStringLiteral("info"), QStringLiteral("--format"),
                       QStringLiteral("{{.Name}}")},
                      &out),
                 0);
        QCOMPARE(out.trimmed(), QByteArray("pine64-1"));

        // The swarm, formed over SSH, seen from the laptop over TLS.
        const Run form = hivelab({QStringLiteral("swarm"), QStringLiteral("form"), m_file});
        QVERIFY2(form.exitCode == 0, (form.out + form.err).constData());
        QCOMPARE(tool(docker,
                      {QStringLiteral("--context"), QStringLiteral("hivelab-remote-lab"),
                       QStringLiteral("node"), QStringLiteral("ls"), QStringLiteral("--format"),
                       QStringLiteral("{{.Hostname}} {{.Status}}")},
                      &out),
                 0);
        QVERIFY2(out.contains("pine64-1 Ready") && out.contains("pine64-2 Ready") &&
                     out.contains("pine64-3 Ready"),
                 out.constData());

        // The same through the environment, on board 2.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("tcp://%1:2376").arg(m_boards.at(1).ip));
        env.insert(QStringLiteral("DOCKER_TLS_VERIFY"), QStringLiteral("1"));
        env.insert(QStringLiteral("DOCKER_CERT_PATH"), m_certDir);
        QCOMPARE(tool(docker, {QStringLiteral("info"), QStringLiteral("--format"),
                               QStringLiteral("{{.Name}}")},
                      &out, env),
                 0);
        QCOMPARE(out.trimmed(), QByteArray("pine64-2"));
    }

    void clientWithoutCertificateIsRefused()
    {
        QVERIFY(!m_certDir.isEmpty());
        const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
        if (curl.isEmpty())
            QSKIP("curl is not installed");
        const QString url = QStringLiteral("https://%1:2376/version").arg(m_boards.at(0).ip);
        QByteArray out;
        // The server's certificate checks out against the lab's CA (hostname by IP SAN)…
        QCOMPARE(tool(curl,
                      {QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10"),
                       QStringLiteral("--cacert"), m_certDir + QStringLiteral("/ca.pem"),
                       QStringLiteral("--cert"), m_certDir + QStringLiteral("/cert.pem"),
                       QStringLiteral("--key"), m_certDir + QStringLiteral("/key.pem"), url},
                      &out),
                 0);
        QVERIFY2(out.contains("\"ApiVersion\""), out.constData());
        // …but without a client certificate the handshake fails.
        const int refused =
            tool(curl,
                 {QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("10"),
                  QStringLiteral("--cacert"), m_certDir + QStringLiteral("/ca.pem"), url},
                 &out);
        QVERIFY2(refused != 0 && !out.contains("ApiVersion"), out.constData());
        // And nothing plain on 2375.
        QVERIFY(tool(curl,
                     {QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("5"),
                      QStringLiteral("http://%1:2375/version").arg(m_boards.at(0).ip)},
                     &out) != 0);
    }

    void statusShowsExpiryAndRenewRedeploys()
    {
        QVERIFY(m_setUp);
        // Board 3 again, its port free now: set up; boards 1 and 2 are left as they are.
        QCOMPARE(HivelabTest::onLabBoard(3, QStringLiteral("kill $(cat /run/hl-blocker.pid)"))
                     .code,
                 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            HivelabTest::onLabBoard(
                3, QStringLiteral("grep -qE ':0948 [0-9A-F:]+ 0A ' /proc/net/tcp"))
                    .code != 0,
            10000);
        Run r = hivelab({QStringLiteral("remote"), QStringLiteral("setup"), m_file});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(boardLine(r.out, QStringLiteral("pine64-1")).contains(QLatin1String("already")),
                 r.out.constData());

        r = hivelab({QStringLiteral("remote"), QStringLiteral("status"), m_file,
                     QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        const QJsonObject status = QJsonDocument::fromJson(r.out).object();
        const QJsonObject certs = status.value(QLatin1String("certificates")).toObject();
        const QJsonObject cert1 =
            certs.value(QLatin1String("boards")).toObject().value(QLatin1String("pine64-1"))
                .toObject();
        QVERIFY2(cert1.value(QLatin1String("daysLeft")).toInt() >= 364, r.out.constData());
        QVERIFY(certs.value(QLatin1String("client")).toObject().contains(QLatin1String("notAfter")));
        for (const QJsonValue &b : status.value(QLatin1String("boards")).toArray())
            QVERIFY2(b.toObject().value(QLatin1String("message")).toString().contains(
                         QLatin1String("valid until")),
                     r.out.constData());

        // A renewal window longer than the validity: due everywhere.
        r = hivelab({QStringLiteral("remote"), QStringLiteral("status"), m_file,
                     QStringLiteral("--renew-before"), QStringLiteral("400")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("renewal due"), r.out.constData());

        const QByteArray oldSum =
            onBoard(2, QStringLiteral("sha256sum </etc/docker/hivelab/server-cert.pem"));
        r = hivelab({QStringLiteral("remote"), QStringLiteral("renew"), m_file,
                     QStringLiteral("--valid-days"), QStringLiteral("500")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY(onBoard(2, QStringLiteral("sha256sum </etc/docker/hivelab/server-cert.pem")) !=
                oldSum);
        r = hivelab({QStringLiteral("remote"), QStringLiteral("status"), m_file,
                     QStringLiteral("--renew-before"), QStringLiteral("400")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());

        // The renewed engine and client certificate work together.
        QByteArray out;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DOCKER_HOST"),
                   QStringLiteral("tcp://%1:2376").arg(m_boards.at(2).ip));
        env.insert(QStringLiteral("DOCKER_TLS_VERIFY"), QStringLiteral("1"));
        env.insert(QStringLiteral("DOCKER_CERT_PATH"), m_certDir);
        QCOMPARE(tool(QStandardPaths::findExecutable(QStringLiteral("docker")),
                      {QStringLiteral("info"), QStringLiteral("--format"),
                       QStringLiteral("{{.Name}}")},
                      &out, env),
                 0);
        QCOMPARE(out.trimmed(), QByteArray("pine64-3"));
    }

    void sshContextAddsTheUserToTheDockerGroup()
    {
        const HivelabTest::LabBoard &b2 = m_boards.at(1);
        QVERIFY(!onBoard(2, QStringLiteral("id -nG %1").arg(b2.user)).split(' ').contains("docker"));
        const Run r = hivelab({QStringLiteral("context"), m_file, QStringLiteral("pine64-2"),
                               QStringLiteral("--ssh"), QStringLiteral("--add-to-docker-group")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains(QStringLiteral("DOCKER_HOST=ssh://%1@%2").arg(b2.user, b2.ip).toUtf8()),
                 r.out.constData());
        QVERIFY(onBoard(2, QStringLiteral("id -nG %1").arg(b2.user)).split(' ').contains("docker"));
        QByteArray out;
        QCOMPARE(tool(QStandardPaths::findExecutable(QStringLiteral("docker")),
                      {QStringLiteral("context"), QStringLiteral("inspect"),
                       QStringLiteral("hivelab-remote-lab-ssh"), QStringLiteral("--format"),
                       QStringLiteral("{{.Endpoints.docker.Host}}")},
                      &out),
                 0);
        QCOMPARE(out.trimmed(), QStringLiteral("ssh://%1@%2").arg(b2.user, b2.ip).toUtf8());
    }

    void pushAsRootWritesRootOwnedFiles()
    {
        // The same root write the certificates took, through `hivelab push --as-root`.
        const QString local = m_dir.filePath(QStringLiteral("secret.conf"));
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("token = it's a secret\n");
        f.close();
        const Run r = hivelab({QStringLiteral("push"), m_file, local,
                               QStringLiteral("/etc/hivelab-test/secret.conf"),
                               QStringLiteral("pine64-2"), QStringLiteral("--as-root"),
                               QStringLiteral("--mode"), QStringLiteral("0600")});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QCOMPARE(onBoard(2, QStringLiteral("stat -c '%a %U' /etc/hivelab-test/secret.conf; "
                                           "cat /etc/hivelab-test/secret.conf; "
                                           "ls -A /etc/hivelab-test | wc -l")),
                 QByteArray("600 root\ntoken = it's a secret\n1"));
        QCOMPARE(HivelabTest::onLabBoard(2, QStringLiteral("rm -r /etc/hivelab-test")).code, 0);
    }

    void cleanupTestCase()
    {
        if (!m_boards.isEmpty())
            HivelabTest::onLabBoard(3, QStringLiteral("[ -s /run/hl-blocker.pid ] && kill "
                                                      "$(cat /run/hl-blocker.pid) 2>/dev/null"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteLab)
#include "tst_remote_lab.moc"
