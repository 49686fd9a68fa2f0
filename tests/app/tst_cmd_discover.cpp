// SPDX-License-Identifier: GPL-3.0-or-later
// Runs `hivelab discover` against loopback only: this process's own servers are the "boards".
#include "labfile.h"
#include "testdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace Hivelab;

class TestCmdDiscover : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonLinePerHost();
    void humanTable();
    void mergeIntoLabTwice();
    void refusesTooLargeAndEmpty_data();
    void refusesTooLargeAndEmpty();
    void help();
    void unresolvableNameFails();
    void loginIdentifiesThroughRealSshd();
    void ctrlCStopsAndLeavesTheLabFileAlone();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    // Runs the binary without blocking this thread, so the servers here keep answering;
    // through `wrapper` (a program and its first arguments) when given.
    Run run(const QStringList &args, const QStringList &wrapper = {});

    QString m_bin;
    QTemporaryDir m_dir;
    QTcpServer m_ssh;
};

void TestCmdDiscover::initTestCase()
{
    m_bin = qEnvironmentVariable("HIVELAB_BIN");
    QVERIFY2(QFileInfo::exists(m_bin), "HIVELAB_BIN not set (run through ctest)");
    QVERIFY(m_dir.isValid());
    // Any address so that every 127.x.y.z answers; nothing here connects outside loopback.
    QVERIFY(m_ssh.listen(QHostAddress::AnyIPv4, 0));
    connect(&m_ssh, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_ssh.nextPendingConnection()) {
            s->write("SSH-2.0-dropbear_2022.83\r\n");
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
}

TestCmdDiscover::Run TestCmdDiscover::run(const QStringList &args, const QStringList &wrapper)
{
    QProcess p;
    // Keep the app's known_hosts out of the real user's data directory.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("xdg-config")));
    p.setProcessEnvironment(env);
    QSignalSpy done(&p, &QProcess::finished);
    const QStringList command = QStringList{m_bin, QStringLiteral("discover")} + args;
    p.start(wrapper.isEmpty() ? m_bin : wrapper.first(),
            wrapper.isEmpty() ? command.mid(1) : wrapper.mid(1) + command);
    Run r;
    if (!done.wait(30000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

void TestCmdDiscover::jsonLinePerHost()
{
    const QString port = QString::number(m_ssh.serverPort());
    const Run r = run({"127.0.0.1-3", "--ports", port, "--json", "--no-dns"});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QSet<QString> ips;
    for (const QString &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        ips.insert(o.value("ip").toString());
        QVERIFY(o.value("openPorts").toArray().contains(m_ssh.serverPort()));
        if (o.value("ip").toString() == QLatin1String("127.0.0.1")) {
            QVERIFY(o.value("thisMachine").toBool());
            QCOMPARE(o.value("sshBanner").toString(), QStringLiteral("SSH-2.0-dropbear_2022.83"));
            QCOMPARE(o.value("sshPort").toInt(), int(m_ssh.serverPort()));
            QCOMPARE(o.value("osHint").toString(), QStringLiteral("DietPi?"));
        }
    }
    QCOMPARE(ips, (QSet<QString>{"127.0.0.1", "127.0.0.2", "127.0.0.3"}));
    QVERIFY2(r.err.contains(QStringLiteral("3 found, 0 absent")), qPrintable(r.err));
}

void TestCmdDiscover::humanTable()
{
    const Run r = run({"127.0.0.1", "--ports", QString::number(m_ssh.serverPort()), "--no-dns"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.startsWith(QStringLiteral("ADDRESS")));
    QVERIFY2(r.out.contains(QStringLiteral("dropbear_2022.83")), qPrintable(r.out));
}

void TestCmdDiscover::mergeIntoLabTwice()
{
    const QString file = m_dir.filePath(QStringLiteral("found.hivelab"));
    // 127.0.0.1 is this machine and never becomes a board; 127.0.0.7 plays one.
    const QStringList args{"127.0.0.1", "127.0.0.7", "--ports", QString::number(m_ssh.serverPort()),
                           "--no-dns",  "--into",    file};
    Run r = run(args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(QStringLiteral("1 added")), qPrintable(r.err));
    LabFileError error;
    auto lab = LabFile::load(file, &error);
    QVERIFY2(lab, qPrintable(error.toString()));
    QCOMPARE(lab->boards.size(), 1);
    QCOMPARE(lab->boards[0].ip, QStringLiteral("127.0.0.7"));
    QCOMPARE(lab->boards[0].sshPort, int(m_ssh.serverPort()));
    QCOMPARE(lab->boards[0].role, Role::Unassigned);
    QCOMPARE(lab->boards[0].slot, -1);

    r = run(args);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(QStringLiteral("0 added")), qPrintable(r.err));
    lab = LabFile::load(file, &error);
    QVERIFY(lab);
    QCOMPARE(lab->boards.size(), 1); // matched by IP, not duplicated
}

void TestCmdDiscover::refusesTooLargeAndEmpty_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("slash15") << QStringList{"127.0.0.0/15"} << "the limit is 65,536";
    QTest::newRow("no target") << QStringList{} << "No scan target";
    QTest::newRow("bad ports") << QStringList{"127.0.0.1", "--ports", "22,x"} << "--ports";
    QTest::newRow("bad timeout") << QStringList{"127.0.0.1", "--timeout", "0"} << "--timeout";
    // 4294970 s is 2704 ms once multiplied into an int: it must not slip through.
    QTest::newRow("deadline overflow")
        << QStringList{"127.0.0.1", "--deadline", "4294970"}
        << "--deadline must be a whole number from 1 to 3600";
    QTest::newRow("missing key") << QStringList{"127.0.0.1", "--login", "-i", "/missing/key"}
                                 << "/missing/key: No such file or directory";
    QTest::newRow("into a missing folder")
        << QStringList{"127.0.0.7", "--ports", QString::number(m_ssh.serverPort()), "--no-dns",
                       "--into", m_dir.filePath(QStringLiteral("nope/lab.hivelab"))}
        << QStringLiteral("the folder %1 does not exist").arg(m_dir.filePath(QStringLiteral("nope")));
}

void TestCmdDiscover::refusesTooLargeAndEmpty()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QSignalSpy probes(&m_ssh, &QTcpServer::newConnection);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty()); // refused before any probe: no table header either
    QVERIFY(!r.err.contains(QLatin1String("Scanned")));
    QCoreApplication::processEvents();
    QCOMPARE(probes.size(), 0);
}

void TestCmdDiscover::help()
{
    const Run r = run({"--help"});
    QCOMPARE(r.exitCode, 0);
    for (const char *opt : {"--ports", "--timeout", "--json", "--into", "--login", "--suggest"})
        QVERIFY2(r.out.contains(QLatin1String(opt)), opt);
}

void TestCmdDiscover::unresolvableNameFails()
{
    // The name must not reach a real DNS server: in a private mount namespace the resolver
    // is pointed at loopback, where nothing answers.
    if (::geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty())
        QSKIP("needs root and unshare (a private /etc/resolv.conf)");
    const QString resolv = m_dir.filePath(QStringLiteral("resolv.conf"));
    QVERIFY(HivelabTest::writeFile(resolv, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"));
    const QStringList wrapper{QStringLiteral("unshare"), QStringLiteral("--mount"),
                              QStringLiteral("--propagation"), QStringLiteral("private"),
                              QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("mount --bind \"$0\" /etc/resolv.conf && exec \"$@\""),
                              resolv};
    const Run r = run({"no-such-board.invalid", "127.0.0.7", "--ports",
                       QString::number(m_ssh.serverPort()), "--no-dns"},
                      wrapper);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("no-such-board.invalid")), qPrintable(r.err));
    // The other target was still scanned.
    QVERIFY2(r.out.contains(QLatin1String("127.0.0.7")), qPrintable(r.out));
}

void TestCmdDiscover::loginIdentifiesThroughRealSshd()
{
    // A real OpenSSH server on a loopback port, key login only, this machine as the "board".
    const QString sshd =
        QStandardPaths::findExecutable(QStringLiteral("sshd"), {QStringLiteral("/usr/sbin")});
    if (sshd.isEmpty() || QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
        QSKIP("needs openssh-server and openssh-client");
    if (::geteuid() != 0)
        QSKIP("needs root: sshd must switch users");
    const QString dir = m_dir.filePath(QStringLiteral("sshd"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QDir().mkpath(QStringLiteral("/run/sshd"))); // privilege separation directory
    const auto keygen = [](const QString &file) {
        return QProcess::execute(QStringLiteral("ssh-keygen"),
                                 {"-q", "-t", "ed25519", "-N", "", "-f", file});
    };
    QCOMPARE(keygen(dir + "/host"), 0);
    QCOMPARE(keygen(dir + "/client"), 0);
    QVERIFY(QFile::copy(dir + "/client.pub", dir + "/authorized_keys"));
    QTcpServer probe; // pick a free port
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QProcess server;
    const auto startServer = [&](const QString &hostKey) {
        server.start(sshd, {"-D", "-e",
                            "-f", "/dev/null",
                            "-o", "ListenAddress=127.0.0.1",
                            "-o", QStringLiteral("Port=%1").arg(port),
                            "-o", "HostKey=" + hostKey,
                            "-o", "AuthorizedKeysFile=" + dir + "/authorized_keys",
                            "-o", "StrictModes=no",
                            "-o", "UsePAM=no",
                            "-o", "PidFile=none",
                            "-o", "PermitRootLogin=prohibit-password"});
        return server.waitForStarted();
    };
    QVERIFY(startServer(dir + "/host"));
    auto stopServer = qScopeGuard([&server] {
        server.terminate();
        server.waitForFinished(3000);
    });
    const auto listening = [port] {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        return s.waitForConnected(200);
    };
    QTRY_VERIFY_WITH_TIMEOUT(listening(), 5000);

    QStringList args{
        "127.0.0.1", "--ports", QString::number(port), "--no-dns", "--json", "--login", "--user",
        "root",      "-i",      dir + "/client"};
    // Unknown host key without consent: login refused, host still reported.
    Run r = run(args);
    QCOMPARE(r.exitCode, 0);
    QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY2(!o.value("loginError").toString().isEmpty(), qPrintable(r.out));
    QVERIFY(!o.contains("identification"));

    r = run(args + QStringList{"--accept-new-host-key"});
    QCOMPARE(r.exitCode, 0);
    o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonObject id = o.value("identification").toObject();
    QVERIFY2(!id.isEmpty(), qPrintable(r.out + r.err));
    QCOMPARE(id.value("hostname").toString(), QSysInfo::machineHostName());
    QCOMPARE(id.value("cores").toInt(), QThread::idealThreadCount());
    QVERIFY(id.value("memBytes").toDouble() > 0);
    QVERIFY(!id.value("os").toString().isEmpty());
    QCOMPARE(o.value("hostname").toString(), QSysInfo::machineHostName());

    // The board now offers only an ECDSA key where its ED25519 key is on file: refused like a
    // changed key, even with --accept-new-host-key, and known_hosts stays as it was.
    const QString knownHosts = m_dir.filePath(QStringLiteral("xdg-data/Hivelab/hivelab/known_hosts"));
    QFile kh(knownHosts);
    QVERIFY(kh.open(QIODevice::ReadOnly));
    const QByteArray trusted = kh.readAll();
    kh.close();
    QCOMPARE(QProcess::execute(QStringLiteral("ssh-keygen"),
                               {"-q", "-t", "ecdsa", "-N", "", "-f", dir + "/host_ecdsa"}),
             0);
    server.terminate();
    QVERIFY(server.waitForFinished(3000));
    QVERIFY(startServer(dir + "/host_ecdsa"));
    QTRY_VERIFY_WITH_TIMEOUT(listening(), 5000);
    r = run(args + QStringList{"--accept-new-host-key"});
    o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY2(o.value("loginError").toString().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"),
             qPrintable(r.out));
    QVERIFY(!o.contains("identification"));
    QVERIFY(kh.open(QIODevice::ReadOnly));
    QCOMPARE(kh.readAll(), trusted);
}

void TestCmdDiscover::ctrlCStopsAndLeavesTheLabFileAlone()
{
    // The fake server sends a banner and then nothing: the login hangs in the key exchange
    // (10 s login timeout) until Ctrl-C.
    const QString file = m_dir.filePath(QStringLiteral("interrupted.hivelab"));
    QSignalSpy connections(&m_ssh, &QTcpServer::newConnection);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), m_dir.path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("xdg-data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("xdg-config")));
    env.remove(QStringLiteral("SSH_AUTH_SOCK"));
    p.setProcessEnvironment(env);
    QSignalSpy done(&p, &QProcess::finished);
    p.start(m_bin, {QStringLiteral("discover"), QStringLiteral("127.0.0.7"),
                    QStringLiteral("--ports"), QString::number(m_ssh.serverPort()),
                    QStringLiteral("--no-dns"), QStringLiteral("--login"),
                    QStringLiteral("--into"), file});
    QVERIFY(p.waitForStarted());
    // The port probe, then the login's own connection.
    QTRY_VERIFY_WITH_TIMEOUT(connections.size() >= 2, 10000);
    QVERIFY(done.isEmpty());
    QElapsedTimer clock;
    clock.start();
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(done.wait(5000));
    QVERIFY2(clock.elapsed() < 5000, "Ctrl-C did not stop the login promptly");
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("Interrupted")), qPrintable(err));
    // A partial scan would mark unreached boards missing: the lab file is not written.
    QVERIFY(!QFileInfo::exists(file));
}

QTEST_GUILESS_MAIN(TestCmdDiscover)
#include "tst_cmd_discover.moc"
