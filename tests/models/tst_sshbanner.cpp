// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshbanner.h"

#include <QTest>

using namespace Hivelab;

class TestSshBanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void preBannerLinesAndControlChars();
    void invalid_data();
    void invalid();
};

void TestSshBanner::parse_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("software");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("osHint");
    QTest::addColumn<bool>("windows");
    // Banners as sent by real servers (this machine's sshd/dropbear and common distributions).
    QTest::newRow("debian 12") << QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7\r\n")
                               << "OpenSSH"
                               << "9.2p1"
                               << "Debian 12" << false;
    QTest::newRow("debian 11") << QByteArray("SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3\r\n")
                               << "OpenSSH"
                               << "8.4p1"
                               << "Debian 11" << false;
    QTest::newRow("debian 12 no deb suffix")
        << QByteArray("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") << "OpenSSH"
        << "9.2p1"
        << "Debian 12" << false;
    QTest::newRow("raspbian") << QByteArray("SSH-2.0-OpenSSH_7.9p1 Raspbian-10+deb10u2\r\n")
                              << "OpenSSH"
                              << "7.9p1"
                              << "Raspberry Pi OS (Debian 10)" << false;
    QTest::newRow("ubuntu 22.04") << QByteArray("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n")
                                  << "OpenSSH"
                                  << "8.9p1"
                                  << "Ubuntu 22.04" << false;
    QTest::newRow("ubuntu 16.04") << QByteArray("SSH-2.0-OpenSSH_7.2p2 Ubuntu-4ubuntu2.10\r\n")
                                  << "OpenSSH"
                                  << "7.2p2"
                                  << "Ubuntu 16.04" << false;
    QTest::newRow("ubuntu unknown") << QByteArray("SSH-2.0-OpenSSH_9.9p1 Ubuntu-1\r\n") << "OpenSSH"
                                    << "9.9p1"
                                    << "Ubuntu" << false;
    QTest::newRow("dropbear") << QByteArray("SSH-2.0-dropbear_2022.83\r\n") << "Dropbear"
                              << "2022.83"
                              << "DietPi?" << false;
    QTest::newRow("dropbear bare") << QByteArray("SSH-2.0-dropbear\r\n") << "Dropbear"
                                   << ""
                                   << "DietPi?" << false;
    QTest::newRow("windows") << QByteArray("SSH-2.0-OpenSSH_for_Windows_8.1\r\n") << "OpenSSH"
                             << "8.1"
                             << "Windows" << true;
    QTest::newRow("upstream") << QByteArray("SSH-2.0-OpenSSH_9.6\r\n") << "OpenSSH"
                              << "9.6"
                              << "" << false;
    QTest::newRow("ssh 1.99 lf only") << QByteArray("SSH-1.99-Cisco-1.25\n") << "Cisco-1.25"
                                      << ""
                                      << "" << false;
}

void TestSshBanner::parse()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, software);
    QFETCH(QString, version);
    QFETCH(QString, osHint);
    QFETCH(bool, windows);
    const SshBanner b = SshBanner::parse(data);
    QVERIFY(b.isValid());
    QCOMPARE(b.software(), software);
    QCOMPARE(b.version(), version);
    QCOMPARE(b.osHint(), osHint);
    QCOMPARE(b.isWindows(), windows);
    QVERIFY(!b.line().endsWith(QLatin1Char('\r')));
}

void TestSshBanner::preBannerLinesAndControlChars()
{
    const SshBanner b = SshBanner::parse(
        "Welcome\r\nAuthorized use only\r\nSSH-2.0-OpenSSH_9.2p1\x1b[31m Debian-2\r\n");
    QVERIFY(b.isValid());
    QCOMPARE(b.line(), QStringLiteral("SSH-2.0-OpenSSH_9.2p1[31m Debian-2"));
    QCOMPARE(b.protocol(), QStringLiteral("2.0"));
}

void TestSshBanner::invalid_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("http") << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n");
    QTest::newRow("no version") << QByteArray("SSH-\r\n");
    QTest::newRow("no software") << QByteArray("SSH-2.0-\r\n");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4);
}

void TestSshBanner::invalid()
{
    QFETCH(QByteArray, data);
    const SshBanner b = SshBanner::parse(data);
    QVERIFY(!b.isValid());
    QVERIFY(b.software().isEmpty());
}

QTEST_GUILESS_MAIN(TestSshBanner)
#include "tst_sshbanner.moc"
