// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab exec` end to end: the real binary against a real sshd, with HOME and XDG_* isolated.
#include "hivelabrun.h"
#include "sshtestserver.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestCmdExec : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SshTestServer> m_server;
    std::unique_ptr<SshTestUser> m_user;
    QTemporaryDir m_home;

    using Run = HivelabTest::CliRun;
    // `hivelab exec ARGS…` with this test's HOME and XDG folders and no agent.
    Run hivelab(const QStringList &args, const QByteArray &input = QByteArray())
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), m_home.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + QStringLiteral("/data"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + QStringLiteral("/config"));
        env.remove(QStringLiteral("SSH_AUTH_SOCK"));
        return HivelabTest::runHivelab(QStringList{QStringLiteral("exec")} + args, env, input);
    }
    QString port() const { return QString::number(m_server->port()); }
    QString missing() const { return m_home.path() + QStringLiteral("/missing"); }
    // A valid key no server authorizes.
    QString strangerKey() const { return m_home.path() + QStringLiteral("/stranger"); }
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    QString knownHosts() const
    {
        return m_home.path() + QStringLiteral("/data/Hivelab/hivelab/known_hosts");
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("HIVELAB_BIN"))
            QSKIP("HIVELAB_BIN not set (run through ctest)");
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        const QString ssh = m_home.path() + QStringLiteral("/.ssh");
        QVERIFY(QDir().mkpath(ssh));
        for (const QString &file : {ssh + QStringLiteral("/id_ed25519"), strangerKey()})
            QVERIFY(SshTestServer::generateKey(file));
        QFile pub(ssh + QStringLiteral("/id_ed25519.pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        const QByteArray key = pub.readAll();
        m_user = std::make_unique<SshTestUser>();
        QString error;
        QVERIFY2(m_user->create(&error), qPrintable(error));
        m_server = std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh);
        QVERIFY2(m_server->start(&error), qPrintable(error));
        QVERIFY(m_server->setAuthorizedKeys(m_user->name(), key));
        QVERIFY(HivelabTest::writeFile(
            ssh + QStringLiteral("/config"),
            QStringLiteral("Host board1\n  HostName 127.0.0.1\n  Port %1\n  User %2\n")
                .arg(port(), m_user->name())
                .toUtf8()));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_user.reset();
    }

    void unknownHostKeyRefused()
    {
        QFile::remove(knownHosts());
        const Run r = hivelab({m_user->name() + QStringLiteral("@127.0.0.1"), QStringLiteral("-p"),
                               port(), QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(r.err.contains(m_server->hostKeyFingerprint().toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("--accept-new-host-key"));
        QVERIFY(!QFile::exists(knownHosts()));
    }

    void acceptNewThenExitStatus()
    {
        const Run r =
            hivelab({m_user->name() + QStringLiteral("@127.0.0.1"), QStringLiteral("-p"), port(),
                     QStringLiteral("--accept-new-host-key"), QStringLiteral("--"),
                     QStringLiteral("echo out; echo err >&2; exit 3")});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.out, QByteArray("out\n"));
        QCOMPARE(r.err, QByteArray("err\n"));
        QVERIFY(QFile::exists(knownHosts()));
        // Known now: no flag needed.
        const Run again =
            hivelab({m_user->name() + QStringLiteral("@127.0.0.1"), QStringLiteral("-p"), port(),
                     QStringLiteral("--"), QStringLiteral("exit"), QStringLiteral("0")});
        QCOMPARE(again.exitCode, 0);
    }

    void sshConfigAliasAndStdin()
    {
        // The workflow commands' spelling works here too.
        const Run r = hivelab({QStringLiteral("--accept-new-host-keys"), QStringLiteral("board1"),
                               QStringLiteral("--"), QStringLiteral("tr"), QStringLiteral("a-z"),
                               QStringLiteral("A-Z")},
                              "forwarded stdin\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("FORWARDED STDIN\n"));
    }

    void passwordStdin()
    {
        const Run r =
            hivelab({QStringLiteral("--accept-new-host-key"), QStringLiteral("--password-stdin"),
                     QStringLiteral("-i"), strangerKey(),
                     QStringLiteral("-p"), port(), m_user->name() + QStringLiteral("@127.0.0.1"),
                     QStringLiteral("--"), QStringLiteral("cat")},
                    m_user->password().toUtf8() + "\nrest of stdin\n");
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("rest of stdin\n"));
    }

    void signalExit()
    {
        const Run r = hivelab(
            {QStringLiteral("board1"), QStringLiteral("--"), QStringLiteral("kill -KILL $$")});
        QCOMPARE(r.exitCode, 128 + 9);
    }

    void authFailure()
    {
        const Run r = hivelab({QStringLiteral("--accept-new-host-key"), QStringLiteral("-p"),
                               port(), QStringLiteral("nobody-here@127.0.0.1"),
                               QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(r.err.contains("Authentication"), r.err.constData());
        QVERIFY(r.err.contains("publickey"));
    }

    void connectionRefused()
    {
        const Run r =
            hivelab({QStringLiteral("-p"), QString::number(SshTestServer::freePort()),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(r.err.contains("refused"), r.err.constData());
    }

    void hostKeyChanged()
    {
        QString error;
        QVERIFY2(m_server->restartWithNewHostKey(&error), qPrintable(error));
        const Run r = hivelab({QStringLiteral("--accept-new-host-key"), QStringLiteral("board1"),
                               QStringLiteral("--"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(r.err.contains("CHANGED"), r.err.constData());
        QVERIFY(r.err.contains(knownHosts().toUtf8()));
    }

    void hostKeyOfAnotherTypeRefused()
    {
        // The board's only host key changes type: --accept-new-host-key must not store it.
        SshTestServer server(SshTestServer::Kind::OpenSsh);
        QString error;
        QVERIFY2(server.start(&error, QStringLiteral("ecdsa")), qPrintable(error));
        QFile pub(m_home.path() + QStringLiteral("/.ssh/id_ed25519.pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QVERIFY(server.setAuthorizedKeys(m_user->name(), pub.readAll()));
        const QString file = m_home.path() + QStringLiteral("/type_known_hosts");
        const QStringList args{QStringLiteral("--accept-new-host-key"), QStringLiteral("--known-hosts"),
                               file, QStringLiteral("-p"), QString::number(server.port()),
                               m_user->name() + QStringLiteral("@127.0.0.1"), QStringLiteral("--"),
                               QStringLiteral("true")};
        QCOMPARE(hivelab(args).exitCode, 0);
        const QByteArray trusted = readFile(file);
        QVERIFY(trusted.contains("ecdsa-sha2-nistp256"));
        QVERIFY2(server.restartWithNewHostKey(&error, QStringLiteral("ed25519")), qPrintable(error));
        const Run r = hivelab(args);
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(r.err.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), r.err.constData());
        QVERIFY(r.err.contains(file.toUtf8() + ":1"));
        QVERIFY(r.err.contains(server.hostKeyFingerprint().toUtf8()));
        QCOMPARE(readFile(file), trusted);
    }

    void badInputNamedBeforeConnecting_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("expected");
        QTest::addRow("missing key") << QStringList{QStringLiteral("-i"), QStringLiteral("/missing/key")}
                                     << QStringLiteral("/missing/key: No such file or directory");
        QTest::addRow("known_hosts folder missing")
            << QStringList{QStringLiteral("--known-hosts"), missing() + QStringLiteral("/dir/kh")}
            << QStringLiteral("the folder %1/dir does not exist").arg(missing());
        // 4294968 s is 704 ms once multiplied into an int.
        QTest::addRow("timeout overflow")
            << QStringList{QStringLiteral("--connect-timeout"), QStringLiteral("4294968")}
            << QStringLiteral("--connect-timeout must be a whole number from 1 to 600");
        QTest::addRow("timeout zero")
            << QStringList{QStringLiteral("--connect-timeout"), QStringLiteral("0")}
            << QStringLiteral("--connect-timeout must be a whole number from 1 to 600");
        QTest::addRow("port") << QStringList{QStringLiteral("-p"), QStringLiteral("65536")}
                              << QStringLiteral("--port must be a whole number from 1 to 65535");
    }

    void badInputNamedBeforeConnecting()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, expected);
        QFile::remove(knownHosts());
        // The server would accept the login: only the bad option may stop it.
        const Run r = hivelab(options + QStringList{QStringLiteral("--accept-new-host-key"),
                                                    QStringLiteral("board1"), QStringLiteral("--"),
                                                    QStringLiteral("true")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QVERIFY(!QFile::exists(knownHosts())); // never connected
        QVERIFY(!QFileInfo::exists(missing()));
    }

    void usage()
    {
        QCOMPARE(hivelab({QStringLiteral("onlyhost")}).exitCode, 2);
        QCOMPARE(hivelab({QStringLiteral("-p"), QStringLiteral("x"), QStringLiteral("h"),
                          QStringLiteral("--"), QStringLiteral("true")})
                     .exitCode,
                 2);
        const Run help = hivelab({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--accept-new-host-key"));
        QVERIFY(help.out.contains("1-65535"));
        QVERIFY(help.out.contains("1-600"));
    }
};

QTEST_GUILESS_MAIN(TestCmdExec)
#include "tst_cmd_exec.moc"
