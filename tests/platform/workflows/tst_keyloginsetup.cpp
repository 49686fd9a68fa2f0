// SPDX-License-Identifier: GPL-3.0-or-later
// Key login setup without boards: which key a run uses, a key made when the user has none
// (modes as OpenSSH wants them), and what happens before any board is reached. Loopback only.
#include "keyloginsetup.h"
#include "labdocument.h"
#include "labworkflow.h"
#include "loopback.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Hivelab;

class TestKeyLoginSetup : public QObject
{
    Q_OBJECT
private:
    static int modeOf(const QString &path)
    {
        struct stat st = {};
        return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
    }
    quint16 closedPort() { return HivelabTest::closedPort(this); }
    static Board board(const QString &id, quint16 port, const QString &os = {})
    {
        Board b = HivelabTest::loopbackBoard(id, port, Role::Worker, QStringLiteral("nobody"));
        b.os = os;
        return b;
    }
    ConnectionSettings settings() const
    {
        return HivelabTest::loopbackSettings(m_dir.path(), 3000);
    }
    // A lab of this one board.
    void useBoard(const Board &b)
    {
        Lab lab;
        lab.boards << b;
        m_doc.setLab(lab);
    }
    // Runs the job to its end; false when it did not end in time or ended more than once.
    bool run(KeyLoginSetup *job, const ConnectionSettings &s, int timeoutMs = 30000)
    {
        job->setConnectionSettings(s);
        QSignalSpy finished(job, &WorkflowJob::finished);
        job->start();
        return finished.wait(timeoutMs) && finished.size() == 1;
    }

    QTemporaryDir m_dir;
    QByteArray m_oldHome;
    LabDocument m_doc;

private Q_SLOTS:
    void initTestCase()
    {
        // Never the real user's ~/.ssh: every default identity lives in this test's HOME.
        m_oldHome = qgetenv("HOME");
        qputenv("HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("home"))));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("home"))));
        QCOMPARE(QDir::homePath(), m_dir.filePath(QStringLiteral("home")));
    }
    void cleanupTestCase() { qputenv("HOME", m_oldHome); }

    void chooseKey_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<QStringList>("existing");
        QTest::addColumn<QString>("expected");
        QTest::newRow("given wins") << "/k/mine" << QStringList{"id_ed25519"} << "/k/mine";
        QTest::newRow("ed25519 first") << "" << QStringList{"id_rsa", "id_ed25519"} << "id_ed25519";
        QTest::newRow("ecdsa before rsa") << "" << QStringList{"id_rsa", "id_ecdsa"} << "id_ecdsa";
        QTest::newRow("rsa only") << "" << QStringList{"id_rsa"} << "id_rsa";
        QTest::newRow("none: ed25519 to make") << "" << QStringList{} << "id_ed25519";
    }
    void chooseKey()
    {
        QFETCH(QString, requested);
        QFETCH(QStringList, existing);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QStringList candidates;
        for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa"})
            candidates << dir.filePath(QLatin1String(name));
        for (const QString &name : existing) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        const QString want =
            expected.startsWith(QLatin1Char('/')) ? expected : dir.filePath(expected);
        QCOMPARE(KeyLoginSetup::chooseKey(requested, candidates), want);
    }

    void windowsOnlyLabNeedsNoKey()
    {
        useBoard(board(QStringLiteral("win"), closedPort(), QStringLiteral("Windows Server 2019")));
        KeyLoginSetup job(&m_doc);
        QVERIFY(run(&job, settings()));
        QCOMPARE(job.result(QStringLiteral("win")).outcome, BoardResult::Outcome::NotSupported);
        QVERIFY(!QFile::exists(QDir::homePath() + QStringLiteral("/.ssh/id_ed25519")));
    }

    void missingGivenKeyFailsTheJob()
    {
        useBoard(board(QStringLiteral("a"), closedPort()));
        KeyLoginSetup job(&m_doc);
        job.setKeyPath(m_dir.filePath(QStringLiteral("no-such-key")));
        QVERIFY(run(&job, settings()));
        QVERIFY(!job.succeeded());
        QVERIFY(job.errorString().contains(QLatin1String("no-such-key")));
        QCOMPARE(job.result(QStringLiteral("a")).ok, false);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("no-such-key"))));
    }

    void makesAKeyWhenTheUserHasNone()
    {
        useBoard(board(QStringLiteral("a"), closedPort()));
        KeyLoginSetup job(&m_doc);
        QVERIFY(run(&job, settings()));
        const QString key = QDir::homePath() + QStringLiteral("/.ssh/id_ed25519");
        QCOMPARE(job.keyPath(), key);
        QVERIFY(job.generatedKey());
        QCOMPARE(modeOf(key), 0600);
        QCOMPARE(modeOf(key + QStringLiteral(".pub")), 0644);
        QCOMPARE(modeOf(QDir::homePath() + QStringLiteral("/.ssh")), 0700);
        QFile pub(key + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QVERIFY(pub.readAll().startsWith("ssh-ed25519 "));
        // The board itself is refused: reported as such, with the key already made.
        QCOMPARE(job.result(QStringLiteral("a")).outcome, BoardResult::Outcome::Unreachable);

        // A second run keeps the key it finds.
        QFile made(key);
        QVERIFY(made.open(QIODevice::ReadOnly));
        const QByteArray before = made.readAll();
        KeyLoginSetup again(&m_doc);
        QVERIFY(run(&again, settings()));
        QVERIFY(!again.generatedKey());
        QFile f(key);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void cancelWhileRunningReportsCancelled()
    {
        // The board is in flight (its handshake hangs) when cancel() comes.
        HivelabTest::SilentServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        useBoard(board(QStringLiteral("a"), silent.serverPort()));
        KeyLoginSetup job(&m_doc);
        job.setConnectionSettings(settings());
        QVERIFY(HivelabTest::cancelOnceConnected(&job, silent));
        QCOMPARE(job.result(QStringLiteral("a")).outcome, BoardResult::Outcome::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestKeyLoginSetup)
#include "tst_keyloginsetup.moc"
