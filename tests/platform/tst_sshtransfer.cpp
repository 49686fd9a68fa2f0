// SPDX-License-Identifier: GPL-3.0-or-later
// SshTransfer round trips against real sshd and Dropbear.
#include "sshcommand.h"
#include "sshsession.h"
#include "sshtesthelpers.h"
#include "sshtestserver.h"
#include "sshtransfer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
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
    std::unique_ptr<SshTestServer> m_openssh;
    std::unique_ptr<SshTestServer> m_dropbear;
    std::unique_ptr<SshTestUser> m_user;
    QTemporaryDir m_local;

    std::unique_ptr<SshSession> open(const QString &which)
    {
        SshConnectOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = (which == QLatin1String("openssh") ? m_openssh : m_dropbear)->port();
        o.knownHostsPath = m_local.path() + QStringLiteral("/known_hosts");
        o.acceptNewHostKey = true;
        SshAuth a;
        a.user = m_user->name();
        a.password = m_user->password();
        a.useAgent = false;
        auto s = std::make_unique<SshSession>();
        s->connectToHost(o, a);
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
        const QString why = SshTestServer::whyUnavailable();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        QString error;
        m_user = std::make_unique<SshTestUser>();
        QVERIFY2(m_user->create(&error), qPrintable(error));
        m_openssh = std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh);
        QVERIFY2(m_openssh->start(&error), qPrintable(error));
        m_dropbear = std::make_unique<SshTestServer>(SshTestServer::Kind::Dropbear);
        QVERIFY2(m_dropbear->start(&error), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_openssh.reset();
        m_dropbear.reset();
        m_user.reset();
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("serverName");
        QTest::addColumn<int>("size");
        QTest::newRow("openssh-empty") << QStringLiteral("openssh") << 0;
        QTest::newRow("openssh-6MiB") << QStringLiteral("openssh") << 6 * 1024 * 1024 + 7;
        QTest::newRow("dropbear-6MiB") << QStringLiteral("dropbear") << 6 * 1024 * 1024 + 7;
    }

    void roundTrip()
    {
        QFETCH(QString, serverName);
        QFETCH(int, size);
        QByteArray data(size, Qt::Uninitialized);
        for (char &c : data)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString src = m_local.path() + QStringLiteral("/src-") + serverName;
        QFile f(src);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
        f.close();
        const QByteArray sum = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();

        auto session = open(serverName);
        const QString remote = m_user->home() + QStringLiteral("/dir with space/file 'q'.bin");
        QVERIFY(!waitCommand(
                     session->exec(QStringLiteral("mkdir -p %1")
                                       .arg(SshSession::shellQuote(
                                           m_user->home() + QStringLiteral("/dir with space")))))
                     .error.isError());
        SshTransfer *up = SshTransfer::upload(session.get(), src, remote, 0640, this);
        QSignalSpy progress(up, &SshTransfer::progressChanged);
        const SshErrorInfo upError = waitTransfer(up);
        QVERIFY2(!upError.isError(), qPrintable(upError.message));
        QCOMPARE(up->sha256(), sum);
        if (size > 0)
            QCOMPARE(progress.last().at(0).toLongLong(), qint64(size));

        // Board side: same bytes, requested mode, no temporary file left behind.
        const SshRunResult check = waitCommand(session->exec(
            QStringLiteral("stat -c %a %1; sha256sum < %1; ls -a %2 | wc -l")
                .arg(SshSession::shellQuote(remote),
                     SshSession::shellQuote(m_user->home() + QStringLiteral("/dir with space")))));
        const QList<QByteArray> lines = check.out.split('\n');
        QCOMPARE(lines.value(0), QByteArray("640"));
        QCOMPARE(lines.value(1).left(64), sum);
        QCOMPARE(lines.value(2).trimmed(), QByteArray("3")); // ., .. and the file

        const QString back = m_local.path() + QStringLiteral("/back-") + serverName;
        SshTransfer *down = SshTransfer::download(session.get(), remote, back, this);
        const SshErrorInfo downError = waitTransfer(down);
        QVERIFY2(!downError.isError(), qPrintable(downError.message));
        QCOMPARE(down->sha256(), sum);
        QFile b(back);
        QVERIFY(b.open(QIODevice::ReadOnly));
        QCOMPARE(QCryptographicHash::hash(b.readAll(), QCryptographicHash::Sha256).toHex(), sum);
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
        QFile f(src);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\n");
        f.close();
        SshTransfer *t =
            SshTransfer::upload(session.get(), src, QStringLiteral("/root/denied"), 0644, this);
        const SshErrorInfo e = waitTransfer(t);
        QCOMPARE(sshErrorName(e.code), sshErrorName(SshError::TransferFailed));
        QVERIFY2(e.message.contains(QLatin1String("denied")), qPrintable(e.message));
    }
};

QTEST_GUILESS_MAIN(TestSshTransfer)
#include "tst_sshtransfer.moc"
