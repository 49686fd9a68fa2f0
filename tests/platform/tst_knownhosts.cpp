// SPDX-License-Identifier: GPL-3.0-or-later
#include "knownhosts.h"
#include "sshtestserver.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestKnownHosts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_blobA;
    QByteArray m_blobB;
    QByteArray m_rsa;
    QString m_pubA;

    static QByteArray blobOf(const QString &pubFile)
    {
        QFile f(pubFile);
        f.open(QIODevice::ReadOnly);
        return QByteArray::fromBase64(f.readAll().split(' ').value(1));
    }
    QString write(const QByteArray &text)
    {
        const QString path = m_dir.path() + QStringLiteral("/kh%1").arg(++m_files);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(text);
        return path;
    }
    int m_files = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (!QFile::exists(QStringLiteral("/usr/bin/ssh-keygen")))
            QSKIP("ssh-keygen (openssh-client) is missing");
        for (const char *name : {"a", "b", "r"}) {
            int rc = 0;
            SshTestServer::run(QStringLiteral("ssh-keygen"),
                               {QStringLiteral("-q"), QStringLiteral("-t"),
                                QLatin1String(name) == QLatin1String("r")
                                    ? QStringLiteral("rsa")
                                    : QStringLiteral("ed25519"),
                                QStringLiteral("-N"), QString(), QStringLiteral("-f"),
                                m_dir.path() + QLatin1Char('/') + QLatin1String(name)},
                               &rc);
            QCOMPARE(rc, 0);
        }
        m_pubA = m_dir.path() + QStringLiteral("/a.pub");
        m_blobA = blobOf(m_pubA);
        m_blobB = blobOf(m_dir.path() + QStringLiteral("/b.pub"));
        m_rsa = blobOf(m_dir.path() + QStringLiteral("/r.pub"));
    }

    void fingerprintLikeSshKeygen()
    {
        const QByteArray out =
            SshTestServer::run(QStringLiteral("ssh-keygen"), {QStringLiteral("-lf"), m_pubA});
        QCOMPARE(KnownHosts::fingerprintSha256(m_blobA), QString::fromLatin1(out.split(' ').at(1)));
        QVERIFY(!KnownHosts::fingerprintSha256(m_blobA).endsWith(QLatin1Char('=')));
        QCOMPARE(KnownHosts::keyType(m_blobA), QStringLiteral("ssh-ed25519"));
        QCOMPARE(KnownHosts::keyType(m_rsa), QStringLiteral("ssh-rsa"));
    }

    void hostEntryName()
    {
        QCOMPARE(KnownHosts::hostEntryName(QStringLiteral("pi"), 22), QStringLiteral("pi"));
        QCOMPARE(KnownHosts::hostEntryName(QStringLiteral("10.0.0.5"), 2222),
                 QStringLiteral("[10.0.0.5]:2222"));
    }

    void glob_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("match");
        QTest::newRow("star") << "pine64-3"
                              << "pine64-*" << true;
        QTest::newRow("question") << "node7"
                                  << "node?" << true;
        QTest::newRow("question-too-short") << "node"
                                            << "node?" << false;
        QTest::newRow("case") << "Board.LAN"
                              << "board.lan" << true;
        QTest::newRow("middle") << "a.b.c"
                                << "a*c" << true;
        QTest::newRow("no") << "rock"
                            << "pine*" << false;
        QTest::newRow("all") << ""
                             << "*" << true;
        QTest::newRow("backtrack") << "aXbYbZc"
                                   << "a*b*c" << true;
        QTest::newRow("backtrack-no") << "aXbYbZ"
                                      << "a*b*c" << false;
        QTest::newRow("stars") << "pine"
                               << "**p**e**" << true;
        QTest::newRow("star-question") << "ab"
                                       << "*?*?*" << true;
        QTest::newRow("star-question-no") << "a"
                                          << "*?*?*" << false;
    }

    // A crafted "Host *a*a*a…b" line once took minutes (exponential recursion); the matcher
    // must answer on the spot for any pattern a ~/.ssh/config or known_hosts line can hold.
    void globManyStars()
    {
        const QString text(64, QLatin1Char('a'));
        QString pattern;
        for (int i = 0; i < 2000; ++i)
            pattern += QLatin1String("*a");
        QVERIFY(!KnownHosts::matchGlob(text, pattern + QLatin1Char('b')));
        QVERIFY(!KnownHosts::matchGlob(text, pattern));
        QVERIFY(KnownHosts::matchGlob(text, QString(pattern.left(64)) + QLatin1Char('*')));
    }

    void glob()
    {
        QFETCH(QString, text);
        QFETCH(QString, pattern);
        QFETCH(bool, match);
        QCOMPARE(KnownHosts::matchGlob(text, pattern), match);
    }

    void plainEntries()
    {
        const QByteArray a = m_blobA.toBase64();
        const QString path = write("# comment\n\n"
                                   "other.lan ssh-ed25519 " +
                                   m_blobB.toBase64() +
                                   "\n"
                                   "pi.lan,10.0.0.5 ssh-ed25519 " +
                                   a +
                                   "\n"
                                   "[10.0.0.5]:2222 ssh-ed25519 " +
                                   m_blobB.toBase64() +
                                   "\n"
                                   "node*,!node9 ssh-ed25519 " +
                                   a + "\n");
        const KnownHosts kh(path);
        QCOMPARE(kh.check(QStringLiteral("pi.lan"), 22, m_blobA).status, KnownHosts::Status::Known);
        QCOMPARE(kh.check(QStringLiteral("10.0.0.5"), 22, m_blobA).line, 4);
        QCOMPARE(kh.check(QStringLiteral("10.0.0.5"), 2222, m_blobB).status,
                 KnownHosts::Status::Known);
        const KnownHosts::Check changed = kh.check(QStringLiteral("10.0.0.5"), 2222, m_blobA);
        QCOMPARE(changed.status, KnownHosts::Status::Changed);
        QCOMPARE(changed.line, 5);
        QCOMPARE(kh.check(QStringLiteral("node3"), 22, m_blobA).status, KnownHosts::Status::Known);
        QCOMPARE(kh.check(QStringLiteral("node9"), 22, m_blobA).status,
                 KnownHosts::Status::Unknown);
        // Only a key of another type on file: changed too, like OpenSSH's "Offending ED25519
        // key" (the handshake asks for the types on file first, so the server lost that key).
        const KnownHosts::Check rsa = kh.check(QStringLiteral("pi.lan"), 22, m_rsa);
        QCOMPARE(rsa.status, KnownHosts::Status::Changed);
        QCOMPARE(rsa.line, 4);
        QCOMPARE(rsa.knownTypes, QStringList{QStringLiteral("ssh-ed25519")});
        QCOMPARE(kh.check(QStringLiteral("elsewhere.lan"), 22, m_rsa).status,
                 KnownHosts::Status::Unknown);
        QCOMPARE(KnownHosts(m_dir.path() + QStringLiteral("/missing"))
                     .check(QStringLiteral("pi.lan"), 22, m_blobA)
                     .status,
                 KnownHosts::Status::Unknown);
    }

    void severalFilesLikeOpenSsh()
    {
        const QString own = write("");
        const QString user = write("pi ssh-ed25519 " + m_blobA.toBase64() + "\n");
        const QString stale = write("pi ssh-ed25519 " + m_blobB.toBase64() + "\n");
        const QString revoked = write("@revoked * ssh-ed25519 " + m_blobA.toBase64() + "\n");
        const QString missing = m_dir.path() + QStringLiteral("/none");
        const QString pi = QStringLiteral("pi");

        // Found in a later file: known, and that file is named.
        KnownHosts::Check c = KnownHosts::checkAll({own, missing, user}, pi, 22, m_blobA);
        QCOMPARE(c.status, KnownHosts::Status::Known);
        QCOMPARE(c.path, user);
        QCOMPARE(c.line, 1);
        // A match anywhere wins over a different key elsewhere, in either order.
        QCOMPARE(KnownHosts::checkAll({stale, user}, pi, 22, m_blobA).status,
                 KnownHosts::Status::Known);
        QCOMPARE(KnownHosts::checkAll({user, stale}, pi, 22, m_blobA).status,
                 KnownHosts::Status::Known);
        // Only a different key: changed, naming the file that holds it.
        c = KnownHosts::checkAll({own, stale}, pi, 22, m_blobA);
        QCOMPARE(c.status, KnownHosts::Status::Changed);
        QCOMPARE(c.path, stale);
        QCOMPARE(c.knownTypes, QStringList{QStringLiteral("ssh-ed25519")});
        // Revoked anywhere refuses, even when another file trusts the key.
        c = KnownHosts::checkAll({user, revoked}, pi, 22, m_blobA);
        QCOMPARE(c.status, KnownHosts::Status::Revoked);
        QCOMPARE(c.path, revoked);
        QCOMPARE(KnownHosts::checkAll({own, missing}, pi, 22, m_blobA).status,
                 KnownHosts::Status::Unknown);
        QVERIFY(KnownHosts::openSshFiles().contains(QDir::homePath() +
                                                    QStringLiteral("/.ssh/known_hosts")));
    }

    void revoked()
    {
        const QString path = write("@revoked * ssh-ed25519 " + m_blobA.toBase64() +
                                   "\npi ssh-ed25519 " + m_blobA.toBase64() + "\n");
        const KnownHosts::Check c = KnownHosts(path).check(QStringLiteral("pi"), 22, m_blobA);
        QCOMPARE(c.status, KnownHosts::Status::Revoked);
        QCOMPARE(c.line, 1);
    }

    void hashedBySshKeygen()
    {
        // ssh-keygen -H hashes the names; our lookup must find them like OpenSSH does.
        const QString path = write("pi.lan ssh-ed25519 " + m_blobA.toBase64() +
                                   "\n"
                                   "[10.1.2.3]:2200 ssh-ed25519 " +
                                   m_blobB.toBase64() + "\n");
        int rc = 0;
        SshTestServer::run(QStringLiteral("ssh-keygen"),
                           {QStringLiteral("-H"), QStringLiteral("-f"), path}, &rc);
        QCOMPARE(rc, 0);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("|1|"));
        QVERIFY(!text.contains("pi.lan"));
        const KnownHosts kh(path);
        QCOMPARE(kh.check(QStringLiteral("pi.lan"), 22, m_blobA).status, KnownHosts::Status::Known);
        QCOMPARE(kh.check(QStringLiteral("10.1.2.3"), 2200, m_blobB).status,
                 KnownHosts::Status::Known);
        QCOMPARE(kh.check(QStringLiteral("10.1.2.3"), 2200, m_blobA).status,
                 KnownHosts::Status::Changed);
        QCOMPARE(kh.check(QStringLiteral("pi.lan2"), 22, m_blobA).status,
                 KnownHosts::Status::Unknown);
    }

    void addThenFindWithSshKeygen()
    {
        const QString path = m_dir.path() + QStringLiteral("/sub/dir/known_hosts");
        const KnownHosts kh(path);
        QString error;
        QVERIFY2(kh.add(QStringLiteral("10.0.0.7"), 2222, m_blobA, true, &error),
                 qPrintable(error));
        QVERIFY(kh.add(QStringLiteral("plain.lan"), 22, m_blobB, false, &error));
        QCOMPARE(kh.check(QStringLiteral("10.0.0.7"), 2222, m_blobA).status,
                 KnownHosts::Status::Known);
        QCOMPARE(kh.check(QStringLiteral("plain.lan"), 22, m_blobB).line, 2);
        // OpenSSH itself must read what we wrote (ssh-keygen -F looks a host up).
        int rc = 0;
        const QByteArray found = SshTestServer::run(
            QStringLiteral("ssh-keygen"),
            {QStringLiteral("-F"), QStringLiteral("[10.0.0.7]:2222"), QStringLiteral("-f"), path},
            &rc);
        QCOMPARE(rc, 0);
        QVERIFY(found.contains(m_blobA.toBase64()));
    }

    void defaultPathUnderXdgData()
    {
        const QByteArray old = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", m_dir.path().toUtf8() + "/xdg");
        QVERIFY(KnownHosts::defaultPath().startsWith(m_dir.path() + QStringLiteral("/xdg/")));
        QVERIFY(KnownHosts::defaultPath().endsWith(QStringLiteral("/known_hosts")));
        qputenv("XDG_DATA_HOME", old);
    }
};

QTEST_GUILESS_MAIN(TestKnownHosts)
#include "tst_knownhosts.moc"
