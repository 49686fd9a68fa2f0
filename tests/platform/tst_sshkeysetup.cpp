// SPDX-License-Identifier: GPL-3.0-or-later
// Key setup against real servers: generate, install over a password login, verify, harden.
#include "sshkeysetup.h"
#include "sshsession.h"
#include "sshtesthelpers.h"
#include "sshtestserver.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestSshKeySetup : public QObject
{
    Q_OBJECT

private:
    SshTestServers m_servers;
    QTemporaryDir m_local;

    SshConnectOptions options(const SshTestServer *s) const
    {
        return s->loopbackOptions(m_local.filePath(QStringLiteral("known_hosts")));
    }
    SshAuth passwordAuth() const { return m_servers.user->passwordAuth(); }
    SshAuth keyAuth(const QString &key, const QString &passphrase) const
    {
        SshAuth a;
        a.user = m_servers.user->name();
        a.identityFiles = {key};
        a.passphrase = passphrase;
        a.useAgent = false;
        return a;
    }
    static SshErrorInfo waitSetup(SshKeySetup *setup)
    {
        QSignalSpy spy(setup, &SshKeySetup::finished);
        if (!spy.wait(30000))
            return SshErrorInfo{
                SshError::Internal, QStringLiteral("test: no finished()"), {}, {}, {}, {}, {}, 0};
        return spy.first().first().value<SshErrorInfo>();
    }
    QString generateKey(const QString &name, const QString &passphrase)
    {
        SshKeySetup gen;
        const QString path = m_local.path() + QStringLiteral("/keys/") + name;
        gen.generate(path, QStringLiteral("hivelab-test"), passphrase);
        const SshErrorInfo e = waitSetup(&gen);
        return e.isError() ? QString() : path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        // This sshd reads a drop-in directory like Debian's and can be reloaded by pid.
        QVERIFY2(m_servers.start(&error, QStringLiteral("Include %DIR%/conf.d/*.conf\n"
                                                        "PidFile %DIR%/sshd.pid\n"
                                                        "AuthorizedKeysFile .ssh/authorized_keys")),
                 qPrintable(error));
        QVERIFY(m_servers.user->allowSudo(false));
    }

    void cleanupTestCase() { m_servers.stop(); }

    void generateKeepsPassphraseOffCommandLine()
    {
        const QString key = generateKey(QStringLiteral("locked"), QStringLiteral("lab pass 1"));
        QVERIFY(!key.isEmpty());
        QVERIFY(SshKeySetup::publicKeyLine(key).startsWith("ssh-ed25519 "));
        QFile f(key);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        QVERIFY(before.contains("OPENSSH PRIVATE KEY"));
        QCOMPARE(int(f.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)), 0);
        // Encrypted: without the passphrase ssh-keygen cannot derive the public key.
        int rc = 0;
        SshTestServer::run(
            QStringLiteral("ssh-keygen"),
            {QStringLiteral("-y"), QStringLiteral("-P"), QString(), QStringLiteral("-f"), key},
            &rc);
        QVERIFY(rc != 0);
        // A second run never overwrites an existing key.
        QCOMPARE(generateKey(QStringLiteral("locked"), QStringLiteral("other")), key);
        f.seek(0);
        QCOMPARE(f.readAll(), before);
    }

    void installVerifyAndDisablePasswordOpenSsh()
    {
        const QString key = generateKey(QStringLiteral("lab_ed25519"), QStringLiteral("pp"));
        QVERIFY(!key.isEmpty());
        SshSession session;
        session.connectToHost(options(m_servers.openssh.get()), passwordAuth());
        QVERIFY2(!waitConnected(&session).isError(), qPrintable(session.lastError().message));

        SshHardening hardening;
        hardening.dropInFile = m_servers.openssh->dir() + QStringLiteral("/conf.d/50-hivelab.conf");
        hardening.sshdConfig = m_servers.openssh->dir() + QStringLiteral("/sshd_config");
        hardening.reloadCommand =
            QStringLiteral("kill -HUP \"$(cat %1/sshd.pid)\"").arg(m_servers.openssh->dir());
        for (int round = 0; round < 2; ++round) { // idempotent
            SshKeySetup setup;
            QSignalSpy steps(&setup, &SshKeySetup::stepChanged);
            setup.install(&session, options(m_servers.openssh.get()), key, QStringLiteral("pp"),
                          round == 1, m_servers.user->password(), hardening);
            const SshErrorInfo e = waitSetup(&setup);
            QVERIFY2(!e.isError(), qPrintable(e.message));
            QCOMPARE(steps.last().first().value<SshKeySetup::Step>(), SshKeySetup::Step::Done);
        }
        const SshRunResult files = waitCommand(
            session.exec(QStringLiteral("stat -c %a ~/.ssh ~/.ssh/authorized_keys; "
                                        "grep -c hivelab-test ~/.ssh/authorized_keys")));
        QCOMPARE(files.out, QByteArray("700\n600\n1\n"));

        // After the reload: passwords are refused, the key still works.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&]() {
                SshSession probe;
                probe.connectToHost(options(m_servers.openssh.get()), passwordAuth());
                const SshErrorInfo e = waitConnected(&probe);
                return e.code == SshError::AuthFailed &&
                       !e.offeredMethods.contains(QLatin1String("password"));
            }(),
            10000);
        SshSession keyOnly;
        keyOnly.connectToHost(options(m_servers.openssh.get()), keyAuth(key, QStringLiteral("pp")));
        QVERIFY2(!waitConnected(&keyOnly).isError(), qPrintable(keyOnly.lastError().message));
        // The way back: remove the drop-in, reload, passwords work again.
        QVERIFY(QFile::remove(hardening.dropInFile));
        int rc = 0;
        SshTestServer::run(QStringLiteral("sh"), {QStringLiteral("-c"), hardening.reloadCommand},
                           &rc);
        QCOMPARE(rc, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&]() {
                SshSession probe;
                probe.connectToHost(options(m_servers.openssh.get()), passwordAuth());
                return !waitConnected(&probe).isError();
            }(),
            10000);
    }

    void dropbearInstallsButKeepsPasswords()
    {
        const QString key = generateKey(QStringLiteral("db_ed25519"), QString());
        QVERIFY(!key.isEmpty());
        SshSession session;
        session.connectToHost(options(m_servers.dropbear.get()), passwordAuth());
        QVERIFY(!waitConnected(&session).isError());
        SshKeySetup setup;
        setup.install(&session, options(m_servers.dropbear.get()), key, QString(), true,
                      m_servers.user->password());
        const SshErrorInfo e = waitSetup(&setup);
        QCOMPARE(sshErrorName(e.code), sshErrorName(SshError::ChannelFailed));
        QVERIFY2(e.message.contains(QLatin1String("Dropbear")), qPrintable(e.message));
        QCOMPARE(setup.step(), SshKeySetup::Step::DisablePassword); // verified before refusing
        SshSession keyOnly;
        keyOnly.connectToHost(options(m_servers.dropbear.get()), keyAuth(key, QString()));
        QVERIFY(!waitConnected(&keyOnly).isError());
    }

    void verifyFailureKeepsPasswordLogin()
    {
        // The key gets installed, but the login with it fails (wrong passphrase given): the
        // job must stop before touching the server's password setting.
        const QString key = generateKey(QStringLiteral("mismatch"), QStringLiteral("right"));
        QVERIFY(!key.isEmpty());
        SshSession session;
        session.connectToHost(options(m_servers.openssh.get()), passwordAuth());
        QVERIFY(!waitConnected(&session).isError());
        SshKeySetup setup;
        setup.install(&session, options(m_servers.openssh.get()), key, QStringLiteral("wrong"),
                      true, m_servers.user->password());
        const SshErrorInfo e = waitSetup(&setup);
        QVERIFY(e.isError());
        QCOMPARE(setup.step(), SshKeySetup::Step::Verify);
        QVERIFY2(e.message.contains(QLatin1String("password login stays on")),
                 qPrintable(e.message));
        SshSession again;
        again.connectToHost(options(m_servers.openssh.get()), passwordAuth());
        QVERIFY(!waitConnected(&again).isError());
    }
};

QTEST_GUILESS_MAIN(TestSshKeySetup)
#include "tst_sshkeysetup.moc"
