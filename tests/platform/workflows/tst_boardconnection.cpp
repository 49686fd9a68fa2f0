// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boardconnection.h"
#include "sshconfig.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestBoardConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void boardFromPlan()
    {
        Board b;
        b.ip = QStringLiteral("10.77.0.15");
        b.sshPort = 2222;
        b.sshUser = QStringLiteral("dietpi");
        ConnectionSettings s;
        s.knownHostsPath = QStringLiteral("/tmp/kh");
        s.acceptNewHostKeys = true;
        s.connectTimeoutMs = 3000;
        const SshLogin login = BoardConnection::forBoard(b, s, QStringLiteral("pw"), nullptr);
        QCOMPARE(login.options.host, QStringLiteral("10.77.0.15"));
        QCOMPARE(login.options.port, quint16(2222));
        QCOMPARE(login.options.knownHostsPath, QStringLiteral("/tmp/kh"));
        QVERIFY(login.options.acceptNewHostKey);
        QCOMPARE(login.options.connectTimeoutMs, 3000);
        QCOMPARE(login.auth.user, QStringLiteral("dietpi"));
        QCOMPARE(login.auth.password, QStringLiteral("pw"));
        QCOMPARE(login.auth.identityFiles, BoardConnection::defaultIdentityFiles());
        QVERIFY(login.auth.useAgent);
    }

    void planWithoutUserIsRoot()
    {
        Board b;
        b.hostname = QStringLiteral("pine64-1");
        const SshLogin login = BoardConnection::forBoard(b, {}, {}, nullptr);
        QCOMPARE(login.options.host, QStringLiteral("pine64-1"));
        QCOMPARE(login.options.port, quint16(22));
        QCOMPARE(login.auth.user, QStringLiteral("root"));
    }

    // The wizard's Connect step and the jobs log in as the same user: the catalog's default
    // for the board's image when the plan names nobody.
    void planWithoutUserTakesTheImagesDefault_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("os");
        QTest::addColumn<QString>("user");
        QTest::newRow("ubuntu on a pi") << "rpi-4b" << "Ubuntu 24.04.1 LTS" << "ubuntu";
        QTest::newRow("vendor image") << "orangepi-5" << "Orange Pi Debian (vendor)" << "orangepi";
        QTest::newRow("windows") << "up-board" << "Windows Server 2019" << "Administrator";
        QTest::newRow("no default user") << "rpi-4b" << "Raspberry Pi OS Lite (64-bit)" << "root";
        QTest::newRow("unknown os") << "rpi-4b" << "Debian GNU/Linux 12 (bookworm)" << "root";
        QTest::newRow("unknown model") << "" << "Ubuntu 24.04" << "root";
    }

    void planWithoutUserTakesTheImagesDefault()
    {
        QFETCH(QString, model);
        QFETCH(QString, os);
        QFETCH(QString, user);
        Board b;
        b.hostname = QStringLiteral("board-1");
        b.model = model;
        b.os = os;
        QCOMPARE(BoardConnection::forBoard(b, {}, {}, nullptr).auth.user, user);
        QCOMPARE(BoardCatalog::builtin().defaultLoginUser(b), user);
        b.sshUser = QStringLiteral("planned");
        QCOMPARE(BoardConnection::forBoard(b, {}, {}, nullptr).auth.user, b.sshUser);
    }

    void sshConfigLikeOpenSsh()
    {
        // What `ssh -G` resolves from this config (a real OpenSSH client answers).
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("OpenSSH's ssh (openssh-client) is missing");
        QTemporaryDir dir;
        const QString key = dir.filePath(QStringLiteral("lab"));
        const QString known = dir.filePath(QStringLiteral("known"));
        QFile keyFile(key);
        QVERIFY(keyFile.open(QIODevice::WriteOnly));
        keyFile.close();
        QFile file(dir.filePath(QStringLiteral("config")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Host rack1-*\n  User admin\n  Port 2200\n  IdentityFile " + key.toUtf8() +
                   "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + known.toUtf8() +
                   "\nHost rack1-a\n  HostName 10.0.0.5\n");
        file.close();
        SshConfig config;
        QVERIFY(config.load(file.fileName()));
        ConnectionSettings s;
        s.identityFiles = {QStringLiteral("/keys/cli")};
        const SshLogin alias =
            BoardConnection::forDestination(QStringLiteral("rack1-a"), {}, 0, s, &config);
        QCOMPARE(alias.options.host, QStringLiteral("10.0.0.5"));
        QCOMPARE(alias.options.port, quint16(2200));
        QCOMPARE(alias.auth.user, QStringLiteral("admin"));
        // Named keys replace the defaults; IdentitiesOnly turns the agent off.
        QCOMPARE(alias.auth.identityFiles, QStringList({QStringLiteral("/keys/cli"), key}));
        QVERIFY(!alias.auth.useAgent);
        // The hosts ssh trusts for it are trusted too, read only.
        QVERIFY(alias.options.readOnlyKnownHostsPaths.contains(known));
        QVERIFY(!alias.options.readOnlyKnownHostsPaths.contains(alias.options.knownHostsPath));

        // Explicit user and port beat the config; a board without a user takes the config's.
        const SshLogin explicitOnes = BoardConnection::forDestination(
            QStringLiteral("rack1-a"), QStringLiteral("pi"), 22, s, &config);
        QCOMPARE(explicitOnes.auth.user, QStringLiteral("pi"));
        QCOMPARE(explicitOnes.options.port, quint16(22));
        Board b;
        b.sshHost = QStringLiteral("rack1-a");
        QCOMPARE(BoardConnection::forBoard(b, {}, {}, &config).auth.user, QStringLiteral("admin"));
        // A host the config sets no user for: the image's default, as without a config (ssh's
        // own default, the local user, is not a configured one).
        Board ubuntu;
        ubuntu.sshHost = QStringLiteral("elsewhere");
        ubuntu.model = QStringLiteral("rpi-4b");
        ubuntu.os = QStringLiteral("Ubuntu 24.04.1 LTS");
        QCOMPARE(BoardConnection::forBoard(ubuntu, {}, {}, &config).auth.user,
                 QStringLiteral("ubuntu"));
        // Told to ignore ssh's settings: nothing read, no ssh files trusted.
        s.ignoreSshConfig = true;
        QVERIFY(BoardConnection::forDestination(QStringLiteral("rack1-a"), {}, 0, s, nullptr)
                    .options.readOnlyKnownHostsPaths.isEmpty());
    }

    void defaultIdentities()
    {
        const QStringList files = BoardConnection::defaultIdentityFiles();
        QCOMPARE(files.size(), 3);
        QCOMPARE(files.first(), QDir::homePath() + QStringLiteral("/.ssh/id_ed25519"));
    }
};

QTEST_GUILESS_MAIN(TestBoardConnection)
#include "tst_boardconnection.moc"
