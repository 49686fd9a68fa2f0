// SPDX-License-Identifier: GPL-3.0-or-later
#include "dietpiconfig.h"
#include "testdata.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Hivelab;

namespace {

BoardIdentity identity()
{
    BoardIdentity id;
    id.boardId = QStringLiteral("pine64-3");
    id.hostname = QStringLiteral("pine64-3");
    id.user = QStringLiteral("dietpi");
    id.addressing = Addressing::Static;
    id.address = QStringLiteral("192.168.1.23");
    id.prefixLength = 22;
    id.gateway = QStringLiteral("192.168.1.1");
    id.dns = {QStringLiteral("192.168.1.1"), QStringLiteral("9.9.9.9")};
    id.timezone = QStringLiteral("Europe/Berlin");
    id.locale = QStringLiteral("de_DE.UTF-8");
    return id;
}

QList<QByteArray> lines(const QByteArray &text)
{
    return text.split('\n');
}

} // namespace

class TestDietPiConfig : public QObject
{
    Q_OBJECT
private slots:
    void editSetsWhatDietPiReads()
    {
        const QByteArray original = HivelabTest::testData(QStringLiteral("firstboot/dietpi.txt"));
        const QStringList keys = {QStringLiteral("ssh-ed25519 AAAAone laptop"),
                                  QStringLiteral("ssh-ed25519 AAAAtwo backup")};
        QByteArray edited;
        QString error;
        QVERIFY(DietPiConfig::edit(
            original, DietPiConfig::settings(identity(), keys, DietPiConfig::SshServer::OpenSsh),
            &edited, &error));
        auto v = [&edited](const char *key) {
            return DietPiConfig::value(edited, QLatin1String(key));
        };
        QCOMPARE(v("AUTO_SETUP_NET_HOSTNAME"), QStringLiteral("pine64-3"));
        QCOMPARE(v("AUTO_SETUP_NET_USESTATIC"), QStringLiteral("1"));
        QCOMPARE(v("AUTO_SETUP_NET_STATIC_IP"), QStringLiteral("192.168.1.23"));
        QCOMPARE(v("AUTO_SETUP_NET_STATIC_MASK"), QStringLiteral("255.255.252.0"));
        QCOMPARE(v("AUTO_SETUP_NET_STATIC_GATEWAY"), QStringLiteral("192.168.1.1"));
        QCOMPARE(v("AUTO_SETUP_NET_STATIC_DNS"), QStringLiteral("192.168.1.1 9.9.9.9"));
        QCOMPARE(v("AUTO_SETUP_SSH_SERVER_INDEX"), QStringLiteral("-2"));
        QCOMPARE(v("AUTO_SETUP_TIMEZONE"), QStringLiteral("Europe/Berlin"));
        QCOMPARE(v("AUTO_SETUP_LOCALE"), QStringLiteral("de_DE.UTF-8"));
        QCOMPARE(v("AUTO_SETUP_AUTOMATED"), QStringLiteral("1"));
        QCOMPARE(DietPiConfig::values(edited, QStringLiteral("AUTO_SETUP_SSH_PUBKEY")), keys);
        // The indented first hostname line keeps its indentation; the second one is untouched.
        QVERIFY(edited.contains("\n  AUTO_SETUP_NET_HOSTNAME=pine64-3\n"));
        QVERIFY(edited.contains("\nAUTO_SETUP_NET_HOSTNAME=ignored\n"));
        QVERIFY(edited.contains("\n\tAUTO_SETUP_TIMEZONE=Europe/Berlin\n"));
    }

    void untouchedLinesStayByteIdentical()
    {
        const QByteArray original = HivelabTest::testData(QStringLiteral("firstboot/dietpi.txt"));
        QByteArray edited;
        QString error;
        QVERIFY(DietPiConfig::edit(
            original,
            DietPiConfig::settings(identity(), {QStringLiteral("ssh-ed25519 AAAAk")},
                                   DietPiConfig::SshServer::Dropbear),
            &edited, &error));
        // Every original line whose key was not set appears in the result, in order.
        const QList<QByteArray> before = lines(original);
        const QList<QByteArray> after = lines(edited);
        const QSet<QByteArray> setKeys = {"AUTO_SETUP_NET_ETHERNET_ENABLED",
                                          "AUTO_SETUP_NET_USESTATIC",
                                          "AUTO_SETUP_NET_STATIC_IP",
                                          "AUTO_SETUP_NET_STATIC_MASK",
                                          "AUTO_SETUP_NET_STATIC_GATEWAY",
                                          "AUTO_SETUP_NET_STATIC_DNS",
                                          "AUTO_SETUP_NET_HOSTNAME",
                                          "AUTO_SETUP_LOCALE",
                                          "AUTO_SETUP_TIMEZONE",
                                          "AUTO_SETUP_SSH_SERVER_INDEX",
                                          "AUTO_SETUP_AUTOMATED"};
        int j = 0;
        int kept = 0;
        QSet<QByteArray> replaced;
        for (const QByteArray &line : before) {
            const QByteArray key = line.trimmed().split('=').first();
            const bool firstOfSetKey = setKeys.contains(key) && !replaced.contains(key);
            if (firstOfSetKey) {
                replaced.insert(key);
                continue;
            }
            while (j < after.size() && after.at(j) != line)
                ++j;
            QVERIFY2(j < after.size(), line.constData());
            ++j;
            ++kept;
        }
        QCOMPARE(kept, before.size() - setKeys.size());
        // The key DietPi had no line for is appended at the end.
        QVERIFY(edited.endsWith("AUTO_SETUP_SSH_PUBKEY=ssh-ed25519 AAAAk\n"));
        QCOMPARE(DietPiConfig::value(edited, QStringLiteral("AUTO_SETUP_SSH_SERVER_INDEX")),
                 QStringLiteral("-1"));
        // Editing again with the same settings changes nothing.
        QByteArray twice;
        QVERIFY(DietPiConfig::edit(
            edited,
            DietPiConfig::settings(identity(), {QStringLiteral("ssh-ed25519 AAAAk")},
                                   DietPiConfig::SshServer::Dropbear),
            &twice, &error));
        QCOMPARE(twice, edited);
    }

    void crlfAndMissingFinalNewline()
    {
        const QByteArray original = "# c\r\nAUTO_SETUP_NET_HOSTNAME=DietPi\r\nX=1";
        QByteArray edited;
        QString error;
        QVERIFY(DietPiConfig::edit(original,
                                   {{QStringLiteral("AUTO_SETUP_NET_HOSTNAME"), QStringLiteral("a")},
                                    {QStringLiteral("AUTO_SETUP_AUTOMATED"), QStringLiteral("1")}},
                                   &edited, &error));
        QCOMPARE(edited, QByteArray("# c\r\nAUTO_SETUP_NET_HOSTNAME=a\r\nX=1\r\n"
                                    "AUTO_SETUP_AUTOMATED=1\r\n"));
    }

    void refusesLineBreaksInValues()
    {
        QByteArray edited = "unchanged";
        QString error;
        QVERIFY(!DietPiConfig::edit("A=1\n",
                                    {{QStringLiteral("AUTO_SETUP_NET_HOSTNAME"),
                                      QStringLiteral("a\nAUTO_SETUP_AUTOMATED=1")}},
                                    &edited, &error));
        QVERIFY(error.contains(QLatin1String("line break")));
        QCOMPARE(edited, QByteArray("unchanged"));
        QVERIFY(!DietPiConfig::edit("A=1\n", {{QStringLiteral("bad key"), QStringLiteral("x")}},
                                    &edited, &error));
    }

    void loginReplacesTheImagePassword()
    {
        // As in DietPi's own dietpi.txt: the well-known default, SSH password logins on.
        const QByteArray original = "# Initial user and default software installation password\n"
                                    "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\n"
                                    "#AUTO_SETUP_GLOBAL_PASSWORD=commented\n"
                                    "SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=0\n";
        const QString password = DietPiConfig::randomPassword();
        QByteArray edited;
        QString error;
        QVERIFY(
            DietPiConfig::edit(original, DietPiConfig::loginSettings(password), &edited, &error));
        QCOMPARE(edited, "# Initial user and default software installation password\n"
                         "AUTO_SETUP_GLOBAL_PASSWORD=" +
                             password.toLatin1() +
                             "\n#AUTO_SETUP_GLOBAL_PASSWORD=commented\n"
                             "SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1\n");
        // The way DietPi's first boot reads it: sed -n '/^[[:blank:]]*KEY=/{s/^[^=]*=//p;q}'.
        QCOMPARE(DietPiConfig::value(edited, QStringLiteral("AUTO_SETUP_GLOBAL_PASSWORD")),
                 password);
    }

    void randomPasswordsAreLongAndPlain()
    {
        static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9]{24}$"));
        QSet<QString> seen;
        for (int i = 0; i < 50; ++i) {
            const QString p = DietPiConfig::randomPassword();
            QVERIFY2(plain.match(p).hasMatch(), qPrintable(p));
            seen.insert(p);
        }
        QCOMPARE(seen.size(), 50);
    }

    void sshServerIndex_data()
    {
        QTest::addColumn<SshServer>("server");
        QTest::addColumn<QString>("index");
        // dietpi.txt: 0 none, -1 Dropbear, -2 OpenSSH; a plan without a choice gets OpenSSH.
        QTest::newRow("default") << SshServer::Default << QStringLiteral("-2");
        QTest::newRow("openssh") << SshServer::OpenSsh << QStringLiteral("-2");
        QTest::newRow("dropbear") << SshServer::Dropbear << QStringLiteral("-1");
    }

    void sshServerIndex()
    {
        QFETCH(SshServer, server);
        QFETCH(QString, index);
        QByteArray edited;
        QString error;
        QVERIFY(DietPiConfig::edit(HivelabTest::testData(QStringLiteral("firstboot/dietpi.txt")),
                                   DietPiConfig::settings(identity(), {}, server), &edited,
                                   &error));
        QCOMPARE(DietPiConfig::value(edited, QStringLiteral("AUTO_SETUP_SSH_SERVER_INDEX")), index);
        QCOMPARE(edited.count("AUTO_SETUP_SSH_SERVER_INDEX="), 1);
    }

    void commentedLinesDoNotCount()
    {
        const QByteArray text = "#AUTO_SETUP_SSH_PUBKEY=commented\n AUTO_SETUP_SSH_PUBKEY=real\n";
        QCOMPARE(DietPiConfig::values(text, QStringLiteral("AUTO_SETUP_SSH_PUBKEY")),
                 QStringList{QStringLiteral("real")});
        QVERIFY(DietPiConfig::value(text, QStringLiteral("MISSING")).isNull());
    }
};

QTEST_GUILESS_MAIN(TestDietPiConfig)
#include "tst_dietpiconfig.moc"
