// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab image list|fetch|cache` and `hivelab flash URL` end to end: the built binary against a
// real HTTP server on 127.0.0.1 (tests/common/httptestserver.h), with a private cache folder.

#include "httptestserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using HivelabTest::HttpTestServer;

class TestCmdImage : public QObject
{
    Q_OBJECT

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    QTemporaryDir m_home;
    QByteArray m_body;
    QByteArray m_sha;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const char *v :
             {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            e.remove(QString::fromLatin1(v));
        e.insert(QStringLiteral("HOME"), m_home.path());
        e.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
        e.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
        return e;
    }
    QString imageDir() const
    {
        return m_home.filePath(QStringLiteral("cache/Hivelab/hivelab/images"));
    }
    QStringList cacheFiles() const
    {
        return QDir(imageDir()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }
    // Runs the binary while this process's event loop keeps serving HTTP.
    Run run(const QStringList &args) const
    {
        QProcess p;
        p.setProcessEnvironment(env());
        QSignalSpy done(&p, &QProcess::finished);
        p.start(qEnvironmentVariable("HIVELAB_BIN"), args);
        p.closeWriteChannel();
        Run r;
        if (!done.wait(60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        m_body.resize(2 * 1024 * 1024);
        QRandomGenerator gen(12);
        for (char &c : m_body)
            c = char(gen.generate());
        m_sha = QCryptographicHash::hash(m_body, QCryptographicHash::Sha256).toHex();
    }

    void listShowsCatalogAndUnverified()
    {
        const Run r =
            run({QStringLiteral("image"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QStringList verified, unverified;
        for (const QJsonValue &v : list)
            (v[QStringLiteral("verified")].toBool() ? verified : unverified)
                << v[QStringLiteral("id")].toString();
        QVERIFY(verified.contains(QStringLiteral("raspios-lite-arm64")));
        QVERIFY(unverified.contains(QStringLiteral("dietpi-rpi-arm64")));
        const Run text = run({QStringLiteral("image"), QStringLiteral("list"),
                              QStringLiteral("--board"), QStringLiteral("pine64-a64")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("dietpi-pine64") && text.out.contains("unverified"));
        QVERIFY(!text.out.contains("raspios"));
    }

    void fetchDownloadsThenUsesCache()
    {
        HttpTestServer server;
        server.setFile("/img/test.img", m_body);
        const QString url = server.url("/img/test.img").toString();
        const Run r =
            run({QStringLiteral("image"), QStringLiteral("fetch"), url, QStringLiteral("--sha256"),
                 QString::fromLatin1(m_sha), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o[QStringLiteral("verified")].toBool());
        QVERIFY(!o[QStringLiteral("fromCache")].toBool());
        const QString path = o[QStringLiteral("path")].toString();
        QVERIFY2(path.startsWith(imageDir()), qPrintable(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), m_body);

        const Run again =
            run({QStringLiteral("image"), QStringLiteral("fetch"), url, QStringLiteral("--sha256"),
                 QString::fromLatin1(m_sha), QStringLiteral("--json")});
        QCOMPARE(again.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(again.out).object()[QStringLiteral("fromCache")].toBool());
        QCOMPARE(server.requests().size(), 1);
    }

    void badChecksumFailsAndKeepsNothing()
    {
        HttpTestServer server;
        server.setFile("/other.img", m_body);
        const QString url = server.url("/other.img").toString();
        const QStringList before = cacheFiles();
        const Run r = run({QStringLiteral("image"), QStringLiteral("fetch"), url,
                           QStringLiteral("--sha256"), QString(64, QLatin1Char('0'))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Checksum mismatch") && r.err.contains(m_sha), r.err.constData());
        QCOMPARE(cacheFiles(), before);
        QCOMPARE(server.requests().size(), 1);
    }

    void flashFromUrl()
    {
        HttpTestServer server;
        server.setFile("/flash/card.img", m_body);
        const QString target = m_home.filePath(QStringLiteral("card.img"));
        const Run r = run({QStringLiteral("flash"), server.url("/flash/card.img").toString(),
                           QStringLiteral("--device"), target, QStringLiteral("--yes"),
                           QStringLiteral("--sha256"), QString::fromLatin1(m_sha)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), m_body);
        QVERIFY(r.out.contains(m_sha));
    }

    void badSources()
    {
        const Run ftp = run({QStringLiteral("image"), QStringLiteral("fetch"),
                             QStringLiteral("ftp://127.0.0.1/x.img")});
        QCOMPARE(ftp.exitCode, 2);
        QVERIFY(ftp.err.contains("http"));
        const Run unknown = run(
            {QStringLiteral("flash"), QStringLiteral("no-such-image"), QStringLiteral("--device"),
             m_home.filePath(QStringLiteral("x.img")), QStringLiteral("--yes")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("no-such-image"));
    }

    void cacheLimitAndClear()
    {
        QVERIFY(!cacheFiles().isEmpty());
        const Run shown =
            run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--json")});
        QCOMPARE(shown.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(shown.out).object();
        QCOMPARE(o[QStringLiteral("directory")].toString(), imageDir());
        QCOMPARE(o[QStringLiteral("files")].toArray().size(), cacheFiles().size());
        // 1 MiB: every 2 MiB image is over the limit and goes.
        const Run limited =
            run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--limit"),
                 QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(limited.exitCode, 0);
        QCOMPARE(
            QJsonDocument::fromJson(limited.out).object()[QStringLiteral("sizeLimit")].toDouble(),
            1048576.0);
        QCOMPARE(cacheFiles(), QStringList());
        QCOMPARE(run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--limit"),
                      QStringLiteral("0")})
                     .exitCode,
                 0);
        QCOMPARE(run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--clear")})
                     .exitCode,
                 0);
        QCOMPARE(cacheFiles(), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestCmdImage)
#include "tst_cmd_image.moc"
