// SPDX-License-Identifier: GPL-3.0-or-later
// ImageDownload and ImageCache against a real HTTP server on 127.0.0.1 (httptestserver.h):
// hashing, resuming with Range, a wrong checksum, a stall, eviction by size, cancel.

#include "httptestserver.h"
#include "imagecache.h"
#include "imagedownload.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;
using HivelabTest::HttpTestServer;

class TestImageDownload : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 Mib = 1024 * 1024;
    QByteArray m_body;
    QByteArray m_sha;
    std::unique_ptr<QTemporaryDir> m_dir;

    ImageCache cache(qint64 limit = 64 * Mib) const { return ImageCache(m_dir->path(), limit); }
    QStringList cacheFiles() const
    {
        return QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }
    // Runs a download to its end (bounded) and returns whether it succeeded.
    static bool run(ImageDownload &d, const ImageDownload::Request &r, int timeoutMs = 20000)
    {
        QSignalSpy done(&d, &ImageDownload::finished);
        d.start(r);
        if (done.isEmpty() && !done.wait(timeoutMs))
            return false;
        return done.first().first().toBool();
    }
    QByteArray fileData(const QString &path) const
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        // Loopback only: no proxy may be asked to reach 127.0.0.1.
        for (const char *v :
             {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
            qunsetenv(v);
        m_body.resize(3 * Mib + 123);
        QRandomGenerator gen(10);
        for (char &c : m_body)
            c = char(gen.generate());
        m_sha = QCryptographicHash::hash(m_body, QCryptographicHash::Sha256).toHex();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void fullDownloadHashesAndCaches()
    {
        HttpTestServer server;
        server.setFile("/os/board.img.xz", m_body);
        ImageDownload d(cache());
        QSignalSpy progress(&d, &ImageDownload::progressChanged);
        QVERIFY2(run(d, {server.url("/os/board.img.xz"), m_sha, {}, m_body.size()}),
                 qPrintable(d.errorString()));
        QCOMPARE(d.sha256(), m_sha);
        QVERIFY(d.verified());
        QVERIFY(!d.fromCache());
        QCOMPARE(d.requests(), 1);
        QVERIFY(!server.requests().first().headers.contains("range"));
        QCOMPARE(server.requests().first().headers.value("accept-encoding"),
                 QByteArray("identity"));
        QVERIFY(d.path().endsWith(QLatin1String("-board.img.xz")));
        QCOMPARE(fileData(d.path()), m_body);
        QCOMPARE(cacheFiles(), QStringList{QFileInfo(d.path()).fileName()});
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(m_body.size()));

        // Again: served from the cache after checking its hash, no request.
        ImageDownload again(cache());
        QVERIFY(run(again, {server.url("/os/board.img.xz"), m_sha, {}, -1}));
        QVERIFY(again.fromCache());
        QCOMPARE(again.requests(), 0);
        QCOMPARE(server.requests().size(), 1);
    }

    void resumesAfterDroppedConnection()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        server.setFault(HttpTestServer::Fault::Drop, Mib);
        ImageDownload d(cache());
        QSignalSpy messages(&d, &ImageDownload::message);
        QVERIFY2(run(d, {server.url("/img.raw"), m_sha, {}, -1}), qPrintable(d.errorString()));
        // Ours: the request and one resuming with a Range. Qt may put one in between: after an
        // early close it re-sends an idempotent GET by itself (no Range), which is aborted
        // as soon as its headers show it starting over.
        const QList<HttpTestServer::Request> &requests = server.requests();
        QVERIFY2(requests.size() == 2 || requests.size() == 3,
                 qPrintable(QString::number(requests.size())));
        for (int i = 0; i + 1 < requests.size(); ++i)
            QVERIFY(!requests.at(i).headers.contains("range"));
        const QByteArray range = requests.last().headers.value("range");
        QVERIFY2(range.startsWith("bytes=") && range.mid(6).chopped(1).toLongLong() > 0,
                 range.constData());
        QVERIFY(requests.last().headers.contains("if-range"));
        QCOMPARE(d.sha256(), m_sha);
        QCOMPARE(fileData(d.path()), m_body);
        bool resumedMessage = false;
        for (const QList<QVariant> &m : messages)
            resumedMessage =
                resumedMessage || m.first().toString().contains(QLatin1String("resuming"));
        QVERIFY(resumedMessage);
    }

    void resumesPartialFileOfAnEarlierRun()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        server.setFault(HttpTestServer::Fault::Drop, 2 * Mib);
        {
            ImageDownload first(cache());
            first.setMaxResumes(0);
            QVERIFY(!run(first, {server.url("/img.raw"), {}, {}, -1}));
            QCOMPARE(first.error(), ImageDownload::Error::Network);
        }
        const QString part = ImageCache::partialPath(cache().pathFor(server.url("/img.raw")));
        QCOMPARE(QFileInfo(part).size(), 2 * Mib);

        ImageDownload second(cache());
        QVERIFY2(run(second, {server.url("/img.raw"), m_sha, {}, -1}),
                 qPrintable(second.errorString()));
        // (A third request, without Range, is Qt re-sending the first by itself.)
        QVERIFY(server.requests().size() == 2 || server.requests().size() == 3);
        QVERIFY(!server.requests().first().headers.contains("range"));
        QCOMPARE(server.requests().last().headers.value("range"), QByteArray("bytes=2097152-"));
        QCOMPARE(second.sha256(), m_sha); // the partial file was hashed before resuming
        QCOMPARE(fileData(second.path()), m_body);
        QVERIFY(!QFileInfo::exists(part));
    }

    void serverWithoutValidatorStartsOver()
    {
        HttpTestServer server;
        server.setSendValidator(false);
        server.setFile("/img.raw", m_body);
        server.setFault(HttpTestServer::Fault::Drop, Mib);
        ImageDownload first(cache());
        first.setMaxResumes(0);
        QVERIFY(!run(first, {server.url("/img.raw"), {}, {}, -1}));
        ImageDownload second(cache());
        QVERIFY2(run(second, {server.url("/img.raw"), {}, {}, -1}),
                 qPrintable(second.errorString()));
        for (const HttpTestServer::Request &r : server.requests())
            QVERIFY(!r.headers.contains("range"));
        QCOMPARE(fileData(second.path()), m_body);
        QVERIFY(!second.verified());
    }

    void badChecksumIsAnErrorAndLeavesNothing()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        ImageDownload d(cache());
        const QByteArray wrong(64, 'a');
        QVERIFY(!run(d, {server.url("/img.raw"), wrong, {}, -1}));
        QCOMPARE(d.error(), ImageDownload::Error::ChecksumMismatch);
        QVERIFY(d.errorString().contains(QString::fromLatin1(m_sha)));
        QVERIFY(d.path().isEmpty());
        QCOMPARE(cacheFiles(), QStringList());
        QCOMPARE(server.requests().size(), 1); // no retry
    }

    void checksumFile()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        server.setFile("/SHA256SUMS",
                       QByteArray(64, 'b') + "  other.img\n" + m_sha + " *img.raw\n");
        server.setFile("/WRONG", QByteArray(64, 'b') + "  other.img\n");
        ImageDownload d(cache());
        QVERIFY2(run(d, {server.url("/img.raw"), {}, server.url("/SHA256SUMS"), -1}),
                 qPrintable(d.errorString()));
        QVERIFY(d.verified());
        QCOMPARE(d.sha256(), m_sha);

        // A checksum file whose hash for the image is wrong: an error, and the file is gone.
        HttpTestServer other;
        other.setFile("/img.raw", m_body);
        other.setFile("/SHA256SUMS", QByteArray(64, 'c') + "  img.raw\n");
        ImageDownload wrong(cache());
        QVERIFY(!run(wrong, {other.url("/img.raw"), {}, other.url("/SHA256SUMS"), -1}));
        QCOMPARE(wrong.error(), ImageDownload::Error::ChecksumMismatch);
        QVERIFY(!QFileInfo::exists(cache().pathFor(other.url("/img.raw"))));
        QVERIFY(!QFileInfo::exists(ImageCache::partialPath(cache().pathFor(other.url("/img.raw")))));

        ImageDownload missing(cache());
        QVERIFY(!run(missing, {server.url("/img.raw"), {}, server.url("/WRONG"), -1}));
        QCOMPARE(missing.error(), ImageDownload::Error::ChecksumFile);
    }

    void stalledServerTimesOut()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        server.setFault(HttpTestServer::Fault::Stall, 64 * 1024);
        ImageDownload d(cache());
        d.setStallTimeout(700);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!run(d, {server.url("/img.raw"), m_sha, {}, -1}, 10000));
        QCOMPARE(d.error(), ImageDownload::Error::Stalled);
        QVERIFY2(clock.elapsed() >= 600 && clock.elapsed() < 5000,
                 qPrintable(QString::number(clock.elapsed())));
        QVERIFY(d.errorString().contains(QLatin1String("stalled")));
        QCOMPARE(server.requests().size(), 1);
        QVERIFY(!QFileInfo::exists(cache().pathFor(server.url("/img.raw"))));
    }

    void errorStatusAndSizeMismatch()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        ImageDownload missing(cache());
        QVERIFY(!run(missing, {server.url("/nothing.img"), {}, {}, -1}));
        QCOMPARE(missing.error(), ImageDownload::Error::HttpStatus);
        QVERIFY(missing.errorString().contains(QLatin1String("404")));

        ImageDownload sized(cache());
        QVERIFY(!run(sized, {server.url("/img.raw"), {}, {}, 1000}));
        QCOMPARE(sized.error(), ImageDownload::Error::SizeMismatch);
        QCOMPARE(cacheFiles(), QStringList());

        ImageDownload bad(cache());
        QVERIFY(!run(bad, {QUrl(QStringLiteral("ftp://127.0.0.1/x.img")), {}, {}, -1}));
        QCOMPARE(bad.error(), ImageDownload::Error::BadUrl);
    }

    void evictsLeastRecentlyUsedBySize()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        int age = 3;
        for (const char *name : {"old.img", "older-than-new.img", "newest.img"}) {
            QFile f(m_dir->filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(Mib, 'x'));
            // old.img 3 h ago, older-than-new.img 2 h, newest.img 1 h.
            QVERIFY(f.setFileTime(now.addSecs(-3600 * age--), QFileDevice::FileModificationTime));
        }
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        // 3 MiB + 123 B coming in, 3 MiB there, 5.5 MiB allowed: only the oldest has to go.
        ImageDownload d(cache(5 * Mib + Mib / 2));
        QVERIFY2(run(d, {server.url("/img.raw"), m_sha, {}, m_body.size()}),
                 qPrintable(d.errorString()));
        QStringList expected{QStringLiteral("newest.img"), QStringLiteral("older-than-new.img"),
                             QFileInfo(d.path()).fileName()};
        expected.sort();
        QCOMPARE(cacheFiles(), expected);
        QVERIFY(cache().totalSize() <= 5 * Mib + Mib / 2);

        // A limit below the image itself: everything else goes, never the file in use — named
        // in `keep`, or marked in use by a download still holding it (a lock any process sees).
        const QStringList removed = cache(Mib).evict(0, {d.path()});
        QCOMPARE(removed.size(), 2);
        QCOMPARE(cacheFiles(), QStringList{QFileInfo(d.path()).fileName()});
        QVERIFY(d.inUse());
        QCOMPARE(cache(Mib).evict(0, {}), QStringList());
        QString error;
        QVERIFY(cache().clear({}, &error));
        QCOMPARE(cacheFiles(), QStringList{QFileInfo(d.path()).fileName()});
    }

    void evictsOnceNoLongerInUse()
    {
        QFile f(m_dir->filePath(QStringLiteral("kept.img")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(Mib, 'x'));
        f.close();
        QString error;
        std::shared_ptr<ImageCache::InUse> held = cache().markInUse(f.fileName(), &error);
        QVERIFY2(held, qPrintable(error));
        QCOMPARE(cache(Mib / 2).evict(0, {}), QStringList());
        QVERIFY(f.exists());
        held.reset();
        QCOMPARE(cache(Mib / 2).evict(0, {}), QStringList{f.fileName()});
        QVERIFY(cache().clear({}, &error));
        QCOMPARE(cacheFiles(), QStringList());
    }

    void cancel()
    {
        HttpTestServer server;
        server.setFile("/img.raw", m_body);
        server.setFault(HttpTestServer::Fault::Stall, Mib);
        ImageDownload d(cache());
        QSignalSpy progress(&d, &ImageDownload::progressChanged);
        QSignalSpy done(&d, &ImageDownload::finished);
        d.start({server.url("/img.raw"), m_sha, {}, -1});
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() >= Mib,
                                 10000);
        QElapsedTimer clock;
        clock.start();
        d.cancel();
        QVERIFY(done.wait(5000));
        QVERIFY(clock.elapsed() < 2000);
        QCOMPARE(done.first().first().toBool(), false);
        QCOMPARE(d.error(), ImageDownload::Error::Cancelled);
        QVERIFY(!QFileInfo::exists(cache().pathFor(server.url("/img.raw"))));
        // The bytes so far stay for a later resume.
        QCOMPARE(QFileInfo(ImageCache::partialPath(cache().pathFor(server.url("/img.raw")))).size(),
                 Mib);
    }
};

QTEST_GUILESS_MAIN(TestImageDownload)
#include "tst_imagedownload.moc"
