// SPDX-License-Identifier: GPL-3.0-or-later
// The contract lab tests rely on, checked from a Qt test that runs the way they do (label
// `lab` → inside `hivelab-lab run`): the environment parses, every powered board's SSH port
// answers with its own server, a powered-off board does not, the laptop has its key but no
// known_hosts yet.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

class TestLabEnvironment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void boardsParse();
    void laptopHome();
    void sshPorts_data();
    void sshPorts();

private:
    QStringList m_boards;
};

void TestLabEnvironment::initTestCase()
{
    m_boards =
        qEnvironmentVariable("HIVELAB_LAB_BOARDS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (m_boards.isEmpty())
        QSKIP("not inside a lab: run through `hivelab-lab run` (ctest fixture `lab`)");
}

void TestLabEnvironment::boardsParse()
{
    const QString subnet = qEnvironmentVariable("HIVELAB_LAB_SUBNET");
    QVERIFY(!subnet.isEmpty());
    const QString prefix = subnet.section(QLatin1Char('.'), 0, 2) + QLatin1Char('.');
    for (const QString &entry : std::as_const(m_boards)) {
        const QString k = entry.section(QLatin1Char('='), 0, 0);
        const QStringList f = entry.section(QLatin1Char('='), 1).split(QLatin1Char(':'));
        QCOMPARE(f.size(), 8);
        QVERIFY2(f[0].startsWith(prefix), qPrintable(entry));
        QVERIFY(f[1].toInt() > 0);
        QVERIFY(f[2] == QLatin1String("dropbear") || f[2] == QLatin1String("openssh"));
        QCOMPARE(f[3], QStringLiteral("pine64-") + k);
        QVERIFY(f[5] == QLatin1String("docker") || f[5] == QLatin1String("nodocker"));
        QVERIFY(f[6] == QLatin1String("key") || f[6] == QLatin1String("password"));
        QVERIFY(f[7] == QLatin1String("on") || f[7] == QLatin1String("off") ||
                f[7] == QLatin1String("nossh"));
    }
    QVERIFY(!qEnvironmentVariable("HIVELAB_LAB_PASSWORD").isEmpty());
}

void TestLabEnvironment::laptopHome()
{
    const QString ssh = QDir::homePath() + QStringLiteral("/.ssh/");
    QCOMPARE(qEnvironmentVariable("HIVELAB_LAB_KEY"), ssh + QStringLiteral("id_ed25519"));
    QVERIFY(QFile::exists(ssh + QStringLiteral("id_ed25519")));
    QVERIFY(QFile::exists(ssh + QStringLiteral("id_ed25519.pub")));
    QVERIFY2(!QFile::exists(ssh + QStringLiteral("known_hosts")),
             "a fresh lab home must not trust any host key yet");
}

void TestLabEnvironment::sshPorts_data()
{
    QTest::addColumn<QString>("ip");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("power");
    for (const QString &entry : std::as_const(m_boards)) {
        const QStringList f = entry.section(QLatin1Char('='), 1).split(QLatin1Char(':'));
        QTest::newRow(qPrintable(f[3])) << f[0] << f[1].toInt() << f[2] << f[7];
    }
}

void TestLabEnvironment::sshPorts()
{
    QFETCH(QString, ip);
    QFETCH(int, port);
    QFETCH(QString, server);
    QFETCH(QString, power);
    QTcpSocket socket;
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    QSignalSpy errors(&socket, &QTcpSocket::errorOccurred);
    socket.connectToHost(ip, quint16(port));
    if (power != QLatin1String("on")) {
        // Off: ARP goes unanswered; nossh: refused. Either way no connection within 2 s.
        QVERIFY(!connected.wait(2000));
        return;
    }
    QVERIFY2(connected.wait(5000), qPrintable(socket.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(socket.canReadLine(), 5000);
    const QByteArray banner = socket.readLine();
    QVERIFY2(banner.startsWith(server == QLatin1String("dropbear") ? "SSH-2.0-dropbear"
                                                                   : "SSH-2.0-OpenSSH"),
             banner.constData());
    QCOMPARE(errors.count(), 0);
}

QTEST_GUILESS_MAIN(TestLabEnvironment)
#include "tst_labenvironment.moc"
