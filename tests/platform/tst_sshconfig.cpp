// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshconfig.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestSshConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolve()
    {
        SshConfig config;
        config.parse("# lab boards\n"
                     "Host pi-? !pi-9\n"
                     "    HostName 10.0.0.1%h\n"
                     "    User dietpi\n"
                     "    IdentityFile ~/.ssh/lab_ed25519\n"
                     "Host pi-*\n"
                     "    User ignored-second-match\n"
                     "    Port 2222\n"
                     "    IdentityFile %d/.ssh/second\n"
                     "Host \"quoted host\" other\n"
                     "  HostName=other.lan\n"
                     "  Port = 2200\n"
                     "Match exec \"false\"\n"
                     "  User from-match\n"
                     "Host *\n"
                     "    User fallback\n"
                     "    IdentitiesOnly yes\n"
                     "    IdentityFile ~/.ssh/id_%r_%u\n");
        const QString home = QDir::homePath();

        const SshHostConfig pi = config.resolve(QStringLiteral("pi-3"), QStringLiteral("me"));
        QCOMPARE(pi.hostName, QStringLiteral("10.0.0.1pi-3"));
        QCOMPARE(pi.user, QStringLiteral("dietpi")); // first match wins
        QCOMPARE(pi.port, quint16(2222));
        QCOMPARE(pi.identityFiles, QStringList({home + QStringLiteral("/.ssh/lab_ed25519"),
                                                home + QStringLiteral("/.ssh/second"),
                                                home + QStringLiteral("/.ssh/id_dietpi_me")}));
        QVERIFY(pi.identitiesOnly);

        const SshHostConfig nine = config.resolve(QStringLiteral("pi-9"));
        QCOMPARE(nine.hostName, QStringLiteral("pi-9")); // negated in the first block
        QCOMPARE(nine.user, QStringLiteral("ignored-second-match"));

        const SshHostConfig longName = config.resolve(QStringLiteral("pi-10"));
        QCOMPARE(longName.hostName, QStringLiteral("pi-10")); // '?' is exactly one character
        QCOMPARE(longName.port, quint16(2222));

        const SshHostConfig other = config.resolve(QStringLiteral("other"));
        QCOMPARE(other.hostName, QStringLiteral("other.lan"));
        QCOMPARE(other.port, quint16(2200));
        QCOMPARE(other.user, QStringLiteral("fallback"));
        QCOMPARE(config.resolve(QStringLiteral("quoted host")).port, quint16(2200));

        const SshHostConfig none = config.resolve(QStringLiteral("unrelated"));
        QCOMPARE(none.hostName, QStringLiteral("unrelated"));
        QCOMPARE(none.port, quint16(0));
        QCOMPARE(none.user, QStringLiteral("fallback"));
    }

    void globalSectionAndCase()
    {
        SshConfig config;
        config.parse("PORT 2022\nuser early\nHost x\n  User late\n  PoRt 1\n");
        const SshHostConfig x = config.resolve(QStringLiteral("x"));
        QCOMPARE(x.port, quint16(2022));
        QCOMPARE(x.user, QStringLiteral("early"));
    }

    void loadFile()
    {
        QTemporaryDir dir;
        SshConfig config;
        QVERIFY(config.load(dir.path() + QStringLiteral("/missing")));
        QCOMPARE(config.resolve(QStringLiteral("a")).hostName, QStringLiteral("a"));
        const QString file = dir.path() + QStringLiteral("/config");
        QVERIFY(HivelabTest::writeFile(file, "Host board\n  HostName 127.0.0.1\n  Port 2201\n"));
        QVERIFY(config.load(file));
        QCOMPARE(config.resolve(QStringLiteral("board")).port, quint16(2201));
    }

    void defaultPathFollowsHome()
    {
        QVERIFY(SshConfig::defaultPath().startsWith(QDir::homePath()));
        QVERIFY(SshConfig::defaultPath().endsWith(QStringLiteral("/.ssh/config")));
    }
};

QTEST_GUILESS_MAIN(TestSshConfig)
#include "tst_sshconfig.moc"
