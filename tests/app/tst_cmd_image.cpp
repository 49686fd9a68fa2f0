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

    // Two hivelab processes share the cache: one downloading (stalled half-way, its .part open),
    // the other finishing a download that puts the cache over its limit. The second evicts the
    // old unused file but never the first's .part, and the first then completes.
    void evictionSparesAnotherProcessesDownload()
    {
        const auto randomBody = [](int size, quint32 seed) {
            QByteArray b(size, Qt::Uninitialized);
            QRandomGenerator gen(seed);
            for (char &c : b)
                c = char(gen.generate());
            return b;
        };
        const QByteArray a = randomBody(3 * 1024 * 1024, 31);
        const QByteArray b = randomBody(3 * 1024 * 1024, 32);
        const auto sha = [](const QByteArray &d) {
            return QString::fromLatin1(
                QCryptographicHash::hash(d, QCryptographicHash::Sha256).toHex());
        };
        HttpTestServer server;
        server.setFile("/a.img", a);
        server.setFile("/b.img", b);
        QCOMPARE(run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--clear"),
                      QStringLiteral("--limit"), QStringLiteral("3")})
                     .exitCode,
                 0);
        // An old image nobody uses: the one eviction must take.
        QVERIFY(QDir().mkpath(imageDir()));
        QFile old(imageDir() + QStringLiteral("/0123456789-old.img"));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(QByteArray(1024 * 1024, 'o'));
        QVERIFY(old.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600),
                                QFileDevice::FileModificationTime));
        old.close();

        server.setFault(HttpTestServer::Fault::Stall, 1024 * 1024);
        QProcess first;
        first.setProcessEnvironment(env());
        QSignalSpy firstDone(&first, &QProcess::finished);
        first.start(qEnvironmentVariable("HIVELAB_BIN"),
                    {QStringLiteral("image"), QStringLiteral("fetch"),
                     server.url("/a.img").toString(), QStringLiteral("--sha256"), sha(a),
                     QStringLiteral("--stall-timeout"), QStringLiteral("60")});
        first.closeWriteChannel();
        const auto partOfA = [this] {
            const QStringList parts =
                QDir(imageDir()).entryList({QStringLiteral("*-a.img.part")}, QDir::Files);
            return parts.isEmpty() ? QFileInfo()
                                   : QFileInfo(imageDir() + QLatin1Char('/') + parts.first());
        };
        QTRY_COMPARE_WITH_TIMEOUT(partOfA().size(), 1024 * 1024, 30000);
        QVERIFY(firstDone.isEmpty());

        // 1 MiB old + 1 MiB of a + 3 MiB of b > 3 MiB: the second process must make room.
        const Run second =
            run({QStringLiteral("image"), QStringLiteral("fetch"), server.url("/b.img").toString(),
                 QStringLiteral("--sha256"), sha(b)});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY2(!old.exists(), "the unused old image was not evicted");
        QVERIFY2(partOfA().exists(), "the other process's download was evicted");
        QCOMPARE(partOfA().size(), 1024 * 1024);

        // The stalled connection drops: the first process resumes and completes.
        server.closeAll();
        QVERIFY(firstDone.wait(60000));
        QVERIFY2(first.exitCode() == 0, first.readAllStandardError().constData());
        const QString fileA = QString::fromUtf8(first.readAllStandardOutput()).trimmed();
        QFile done(fileA);
        QVERIFY2(done.open(QIODevice::ReadOnly), qPrintable(fileA));
        QCOMPARE(sha(done.readAll()), sha(a));
        QCOMPARE(run({QStringLiteral("image"), QStringLiteral("cache"), QStringLiteral("--limit"),
                      QStringLiteral("0")})
                     .exitCode,
                 0);
    }
};

QTEST_GUILESS_MAIN(TestCmdImage)
#include "tst_cmd_image.moc"
