// SPDX-License-Identifier: GPL-3.0-or-later
// SshTransfer round trips against real sshd and Dropbear.
#include "sshcommand.h"
#include "sshsession.h"
#include "sshtesthelpers.h"
#include "sshtestserver.h"
#include "sshtransfer.h"
#include "testdata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

class TestSshTransfer : public QObject
{
    Q_OBJECT

private:
    SshTestServers m_servers;
    QTemporaryDir m_local;

    std::unique_ptr<SshSession> open(const QString &which, quint16 port = 0)
    {
        SshConnectOptions o = m_servers.byName(which)->loopbackOptions(
            m_local.filePath(QStringLiteral("known_hosts")));
        if (port)
            o.port = port;
        auto s = std::make_unique<SshSession>();
        s->connectToHost(o, m_servers.user->passwordAuth());
        return s;
    }
    static SshErrorInfo waitTransfer(SshTransfer *t)
    {
        QSignalSpy spy(t, &SshTransfer::finished);
        if (!t->isFinished())
            spy.wait(30000);
        return t->error();
    }

private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        QVERIFY2(m_servers.start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_servers.stop(); }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("serverName");
        QTest::addColumn<int>("size");
        QTest::addColumn<SshTransfer::Method>("method");
        QTest::addColumn<SshTransfer::Method>("expected");
        using M = SshTransfer::Method;
        const int big = 6 * 1024 * 1024 + 7;
        QTest::newRow("openssh-auto-empty") << QStringLiteral("openssh") << 0 << M::Auto << M::Sftp;
        QTest::newRow("openssh-auto") << QStringLiteral("openssh") << big << M::Auto << M::Sftp;
        QTest::newRow("openssh-exec") << QStringLiteral("openssh") << big << M::Exec << M::Exec;
        QTest::newRow("dropbear-exec") << QStringLiteral("dropbear") << big << M::Exec << M::Exec;
        // Dropbear serves SFTP only when OpenSSH's sftp-server sits where it looks for it.
        QTest::newRow("dropbear-auto")
            << QStringLiteral("dropbear") << big << M::Auto
            << (QFile::exists(QStringLiteral("/usr/lib/sftp-server")) ? M::Sftp : M::Exec);
    }

    void roundTrip()
    {
        QFETCH(QString, serverName);
        QFETCH(int, size);
        QFETCH(SshTransfer::Method, method);
        QFETCH(SshTransfer::Method, expected);
        QByteArray data(size, Qt::Uninitialized);
        for (char &c : data)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString src = m_local.path() + QStringLiteral("/src-") + serverName;
        QVERIFY(HivelabTest::writeFile(src, data));
        const QByteArray sum = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();

        auto session = open(serverName);
        const QString remote =
            m_servers.user->home() + QStringLiteral("/dir with space/file 'q'.bin");
        QVERIFY(!waitCommand(session->exec(QStringLiteral("mkdir -p %1")
                                               .arg(SshSession::shellQuote(
                                                   m_servers.user->home() +
                                                   QStringLiteral("/dir with space")))))
                     .error.isError());
        SshTransfer *up = SshTransfer::upload(session.get(), src, remote, 0640, this);
        up->setMethod(method);
        QSignalSpy progress(up, &SshTransfer::progressChanged);
        const SshErrorInfo upError = waitTransfer(up);
        QVERIFY2(!upError.isError(), qPrintable(upError.message));
        QCOMPARE(up->sha256(), sum);
        QCOMPARE(up->usedMethod(), expected);
        if (size > 0)
            QCOMPARE(progress.last().at(0).toLongLong(), qint64(size));

        // Board side: same bytes, requested mode, no temporary file left behind.
        const SshRunResult check = waitCommand(
            session->exec(QStringLiteral("stat -c %a %1; sha256sum < %1; ls -a %2 | wc -l")
                              .arg(SshSession::shellQuote(remote),
                                   SshSession::shellQuote(m_servers.user->home() +
                                                          QStringLiteral("/dir with space")))));
        const QList<QByteArray> lines = check.out.split('\n');
        QCOMPARE(lines.value(0), QByteArray("640"));
        QCOMPARE(lines.value(1).left(64), sum);
        QCOMPARE(lines.value(2).trimmed(), QByteArray("3")); // ., .. and the file

        const QString back = m_local.path() + QStringLiteral("/back-") + serverName;
        SshTransfer *down = SshTransfer::download(session.get(), remote, back, this);
        down->setMethod(method);
        const SshErrorInfo downError = waitTransfer(down);
        QVERIFY2(!downError.isError(), qPrintable(downError.message));
        QCOMPARE(down->sha256(), sum);
        QCOMPARE(down->usedMethod(), expected);
        QFile b(back);
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(QCryptographicHash::hash(b.readAll(), QCryptographicHash::Sha256).toHex(), sum);
    }

    void autoFallsBackWithoutSftpServer()
    {
        // An sshd whose sftp subsystem cannot start, like a board without an SFTP server.
        SshTestServer bare(SshTestServer::Kind::OpenSsh);
        QString err;
        QVERIFY2(bare.start(&err, QStringLiteral("ed25519"),
                            QStringLiteral("Subsystem sftp /nonexistent/sftp-server")),
                 qPrintable(err));
        auto session = open(QString(), bare.port());
        const QString src = m_local.path() + QStringLiteral("/fallback");
        QVERIFY(HivelabTest::writeFile(src, QByteArray(300000, 'x')));
        const QString remote = m_servers.user->home() + QStringLiteral("/fallback.bin");
        SshTransfer *up = SshTransfer::upload(session.get(), src, remote, 0600, this);
        const SshErrorInfo e = waitTransfer(up);
        QVERIFY2(!e.isError(), qPrintable(e.message));
        QCOMPARE(up->usedMethod(), SshTransfer::Method::Exec);
        SshTransfer *down =
            SshTransfer::download(session.get(), remote, src + QStringLiteral(".back"), this);
        QVERIFY(!waitTransfer(down).isError());
        QCOMPARE(down->usedMethod(), SshTransfer::Method::Exec);
        QCOMPARE(QFileInfo(src + QStringLiteral(".back")).size(), qint64(300000));

        // Forcing SFTP on such a server is an error, not a silent fallback.
        SshTransfer *forced = SshTransfer::upload(session.get(), src, remote, 0600, this);
        forced->setMethod(SshTransfer::Method::Sftp);
        QCOMPARE(sshErrorName(waitTransfer(forced).code), sshErrorName(SshError::TransferFailed));
    }

    void downloadMissingLeavesNoFile()
    {
        auto session = open(QStringLiteral("dropbear"));
        const QString local = m_local.path() + QStringLiteral("/never");
        SshTransfer *t =
            SshTransfer::download(session.get(), QStringLiteral("/nonexistent/x"), local, this);
        const SshErrorInfo e = waitTransfer(t);
        QCOMPARE(sshErrorName(e.code), sshErrorName(SshError::TransferFailed));
        QVERIFY(e.message.contains(QLatin1String("/nonexistent/x")));
        QVERIFY(!QFile::exists(local));
    }

    void uploadToUnwritableDirFails()
    {
        auto session = open(QStringLiteral("openssh"));
        const QString src = m_local.path() + QStringLiteral("/small");
        QVERIFY(HivelabTest::writeFile(src, "hello\n"));
        SshTransfer *t =
            SshTransfer::upload(session.get(), src, QStringLiteral("/root/denied"), 0644, this);
        const SshErrorInfo e = waitTransfer(t);
        QCOMPARE(sshErrorName(e.code), sshErrorName(SshError::TransferFailed));
        QVERIFY2(e.message.contains(QLatin1String("denied")), qPrintable(e.message));
    }
};

QTEST_GUILESS_MAIN(TestSshTransfer)
#include "tst_sshtransfer.moc"
