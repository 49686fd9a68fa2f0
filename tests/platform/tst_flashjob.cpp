// SPDX-License-Identifier: GPL-3.0-or-later
// FlashJob on real loop block devices (root). Images are made here with the tools a vendor uses
// (sfdisk, mkfs.vfat, mtools, xz, gzip, zstd, bzip2, zip, 7z); targets are pre-filled with
// random bytes so nothing passes by accident.
#include "blockdevice.h"
#include "flashjob.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Hivelab;

namespace {

constexpr qint64 MiB = 1 << 20;
constexpr qint64 ImageBytes = 24 * MiB;

QByteArray run(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    else if (p.exitCode() != 0)
        qWarning() << program << args << p.readAllStandardError();
    return p.readAllStandardOutput();
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray out(int(size), Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32 *>(out.data()), int(size / 4));
    return out;
}

bool writeAt(const QString &path, qint64 offset, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek(offset))
        return false;
    return f.write(data) == data.size();
}

// Bytes this process has read through read()/pread() so far, its threads included.
qint64 bytesRead()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

QByteArray readAt(const QString &path, qint64 offset, qint64 size)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered) || !f.seek(offset))
        return {};
    return f.read(size);
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// A loop device over a file of `size` random bytes; detached on destruction.
struct Loop
{
    QString file;
    QString device;
    Loop(const QString &dir, const QString &name, qint64 size, bool readOnly = false)
        : file(dir + QLatin1Char('/') + name)
    {
        QFile f(file);
        if (f.open(QIODevice::WriteOnly))
            f.write(randomBytes(size, quint32(qHash(name))));
        f.close();
        QStringList args{QStringLiteral("-f"), QStringLiteral("--show")};
        if (readOnly)
            args << QStringLiteral("-r");
        device = QString::fromLatin1(run(QStringLiteral("losetup"), args << file).trimmed());
    }
    ~Loop()
    {
        if (!device.isEmpty())
            run(QStringLiteral("losetup"), {QStringLiteral("-d"), device});
    }
    QByteArray content(qint64 size) const { return readAt(device, 0, size); }
};

} // namespace

class TestFlashJob : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_image; // raw image: MBR, a FAT partition with a file, random data, zeros
    QByteArray m_imageData;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static BlockDevice::Target target(const QString &device)
    {
        return BlockDevice::inspect(device);
    }

    // Runs a job to the end; returns its results.
    static QList<FlashJob::TargetResult> flash(FlashJob &job, const FlashJob::Options &options,
                                               const QList<BlockDevice::Target> &targets)
    {
        QSignalSpy done(&job, &FlashJob::finished);
        job.start(options, targets);
        if (!done.wait(120000))
            return {};
        return job.results();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0) {
            // Loop devices need root; ctest counts exit code 77 as skipped.
            QTest::qSkip("needs root for loop devices", __FILE__, __LINE__);
            ::_exit(77);
        }
        QVERIFY(m_dir.isValid());
        m_image = path(QStringLiteral("board.img"));
        QFile f(m_image);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(ImageBytes));
        f.close();
        int code = 0;
        QProcess sfdisk;
        sfdisk.start(QStringLiteral("sfdisk"), {QStringLiteral("-q"), m_image});
        sfdisk.write("label: dos\n,8M,c\n,,83\n");
        sfdisk.closeWriteChannel();
        QVERIFY(sfdisk.waitForFinished(30000) && sfdisk.exitCode() == 0);
        run(QStringLiteral("mkfs.vfat"),
            {QStringLiteral("--offset"), QStringLiteral("2048"), m_image, QStringLiteral("8192")},
            &code);
        QCOMPARE(code, 0);
        const QString hello = path(QStringLiteral("user-data"));
        QFile u(hello);
        QVERIFY(u.open(QIODevice::WriteOnly));
        u.write("#cloud-config\nhostname: pine64-1\n");
        u.close();
        run(QStringLiteral("mcopy"),
            {QStringLiteral("-i"), m_image + QStringLiteral("@@1M"), hello,
             QStringLiteral("::/user-data")},
            &code);
        QCOMPARE(code, 0);
        QVERIFY(writeAt(m_image, 12 * MiB, randomBytes(3 * MiB + 1234, 7)));
        m_imageData = readAt(m_image, 0, ImageBytes);
        QCOMPARE(m_imageData.size(), ImageBytes);
    }

    void formatsRoundTrip_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("output");
        QTest::newRow("img") << QString() << QStringList() << QStringLiteral("board.img");
        QTest::newRow("xz") << "xz" << QStringList{"-k", "-T2", "-f"} << "board.img.xz";
        QTest::newRow("gz") << "gzip" << QStringList{"-k", "-f"} << "board.img.gz";
        QTest::newRow("zst") << "zstd" << QStringList{"-q", "-k", "-f"} << "board.img.zst";
        QTest::newRow("bz2") << "bzip2" << QStringList{"-k", "-f"} << "board.img.bz2";
        QTest::newRow("zip") << "zip" << QStringList{"-q", "-j", "board.zip"} << "board.zip";
        QTest::newRow("7z") << "7z" << QStringList{"a", "-bd", "board.7z"} << "board.7z";
    }

    void formatsRoundTrip()
    {
        QFETCH(QString, tool);
        QFETCH(QStringList, args);
        QFETCH(QString, output);
        if (!tool.isEmpty()) {
            QProcess p;
            p.setWorkingDirectory(m_dir.path());
            p.start(tool, args << m_image);
            QVERIFY(p.waitForFinished(120000));
            QCOMPARE(p.exitCode(), 0);
        }
        Loop loop(m_dir.path(), QStringLiteral("card-") + output, 32 * MiB);
        QVERIFY(!loop.device.isEmpty());
        const BlockDevice::Target t = target(loop.device);
        QVERIFY2(t.refusal.isEmpty(), qPrintable(t.refusal));
        // The vendor's checksum is of the file itself.
        QFile src(path(output));
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray fileSha = sha256(src.readAll());
        FlashJob job;
        FlashJob::Options options;
        options.source = path(output);
        options.sha256 = fileSha;
        const auto results = flash(job, options, {t});
        QCOMPARE(results.size(), 1);
        QVERIFY2(results.first().phase == FlashJob::Phase::Done, qPrintable(results.first().error));
        QVERIFY(job.sourceError().isEmpty());
        QCOMPARE(job.imageSize(), ImageBytes);
        QVERIFY(results.first().direct);
        // Byte-exact, zero blocks included (the card was random before).
        QCOMPARE(sha256(loop.content(ImageBytes)), sha256(m_imageData));
        // The FAT is intact and its file reads back.
        int code = 0;
        const QByteArray text = run(QStringLiteral("mtype"),
                                    {QStringLiteral("-i"), loop.device + QStringLiteral("@@1M"),
                                     QStringLiteral("::/user-data")},
                                    &code);
        QCOMPARE(code, 0);
        QVERIFY(text.contains("hostname: pine64-1"));
        QCOMPARE(job.sourceSha256(), fileSha);
    }

    // bmaptool's map of the image (with its per-range SHA-256); empty without bmaptool.
    QString bmapOfImage() const
    {
        const QString bmap = path(QStringLiteral("board.bmap"));
        int code = 0;
        if (!QFile::exists(bmap))
            run(QStringLiteral("bmaptool"),
                {QStringLiteral("create"), QStringLiteral("-o"), bmap, m_image}, &code);
        return code == 0 && QFile::exists(bmap) ? bmap : QString();
    }

    void blockMapSkipsUnusedBlocks()
    {
        // bmaptool's map of the image: only mapped ranges are read and reach the card.
        const QString bmap = bmapOfImage();
        if (bmap.isEmpty())
            QSKIP("bmaptool is not installed");
        Loop loop(m_dir.path(), QStringLiteral("card-bmap"), 32 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = m_image;
        options.bmapPath = bmap;
        const qint64 readBefore = bytesRead();
        const auto results = flash(job, options, {target(loop.device)});
        const qint64 readDuring = bytesRead() - readBefore;
        QCOMPARE(results.size(), 1);
        QVERIFY2(results.first().phase == FlashJob::Phase::Done, qPrintable(results.first().error));
        // The mapped ranges once from the image, once back from the card (plus the first MiB),
        // never the image's free space; and no whole-file hash nobody asked for.
        QVERIFY2(readBefore >= 0 && readDuring < 2 * job.mappedBytes() + 2 * MiB,
                 qPrintable(QStringLiteral("%1 bytes read").arg(readDuring)));
        QVERIFY(job.sourceSha256().isEmpty());
        QVERIFY(job.mappedBytes() < ImageBytes / 4);
        QCOMPARE(job.zeroedBytes(), 0);
        QVERIFY(results.first().written < ImageBytes / 4);
        const QByteArray card = loop.content(ImageBytes);
        QCOMPARE(card.mid(12 * MiB, 3 * MiB), m_imageData.mid(12 * MiB, 3 * MiB));
        QCOMPARE(card.left(MiB), m_imageData.left(MiB));
    }

    // A raw image is read by ranges, but every check still happens before the first MiB:
    // the .bmap's per-range SHA-256 and a requested whole-file SHA-256 (hashed in parallel).
    void rawImageChecks_data()
    {
        QTest::addColumn<bool>("withMap");
        QTest::addColumn<bool>("damaged");
        QTest::addColumn<bool>("wrongSha");
        QTest::addColumn<QString>("word");
        QTest::newRow("damaged range") << true << true << false << "does not match its block map";
        QTest::newRow("wrong sha, map") << true << false << true << "Checksum mismatch";
        QTest::newRow("wrong sha, no map") << false << false << true << "Checksum mismatch";
    }

    void rawImageChecks()
    {
        QFETCH(bool, withMap);
        QFETCH(bool, damaged);
        QFETCH(bool, wrongSha);
        QFETCH(QString, word);
        const QString bmap = bmapOfImage();
        if (withMap && bmap.isEmpty())
            QSKIP("bmaptool is not installed");
        const QString image = path(QStringLiteral("checked.img"));
        QFile::remove(image);
        QVERIFY(QFile::copy(m_image, image));
        if (damaged) { // one byte inside the mapped random data
            QByteArray byte = readAt(image, 13 * MiB + 5, 1);
            byte[0] = char(byte.at(0) ^ 0x01);
            QVERIFY(writeAt(image, 13 * MiB + 5, byte));
        }
        Loop loop(m_dir.path(), QStringLiteral("card-checked"), 32 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = image;
        options.bmapPath = withMap ? bmap : QString();
        if (wrongSha) {
            options.sha256 = sha256(m_imageData);
            options.sha256[0] = options.sha256.at(0) == '0' ? '1' : '0';
        }
        const auto results = flash(job, options, {target(loop.device)});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().phase, FlashJob::Phase::Failed);
        QVERIFY2(job.sourceError().contains(word), qPrintable(job.sourceError()));
        QCOMPARE(loop.content(MiB), QByteArray(int(MiB), '\0'));
        // The right checksum passes on the same path.
        if (wrongSha) {
            FlashJob again;
            options.sha256 = sha256(m_imageData);
            const auto ok = flash(again, options, {target(loop.device)});
            QCOMPARE(ok.size(), 1);
            QVERIFY2(ok.first().phase == FlashJob::Phase::Done, qPrintable(ok.first().error));
            QCOMPARE(again.sourceSha256(), sha256(m_imageData));
            QCOMPARE(loop.content(MiB), m_imageData.left(MiB));
        }
        QFile::remove(image);
    }

    void severalCardsAtOnce()
    {
        Loop a(m_dir.path(), QStringLiteral("multi-a"), 32 * MiB);
        Loop b(m_dir.path(), QStringLiteral("multi-b"), 40 * MiB);
        const QString file = path(QStringLiteral("copy.img")); // an image file as a target
        FlashJob job;
        FlashJob::Options options;
        options.source = path(QStringLiteral("board.img.xz"));
        QVERIFY(QFile::exists(options.source));
        const auto results =
            flash(job, options, {target(a.device), target(b.device), target(file)});
        QCOMPARE(results.size(), 3);
        for (const auto &r : results)
            QVERIFY2(r.phase == FlashJob::Phase::Done, qPrintable(r.target.path + r.error));
        QCOMPARE(sha256(a.content(ImageBytes)), sha256(m_imageData));
        QCOMPARE(sha256(b.content(ImageBytes)), sha256(m_imageData));
        QCOMPARE(sha256(readAt(file, 0, ImageBytes + 1)), sha256(m_imageData));
    }

    void damagedWriteIsCaught()
    {
        Loop loop(m_dir.path(), QStringLiteral("card-damaged"), 32 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = m_image;
        const QString device = loop.device;
        // One byte flipped on the medium between writing and reading back.
        options.afterWrite = [device](int) {
            QByteArray byte = readAt(device, 13 * MiB + 17, 1);
            byte[0] = char(byte.at(0) ^ 0x40);
            QFile f(device);
            if (f.open(QIODevice::ReadWrite) && f.seek(13 * MiB + 17))
                f.write(byte);
            f.flush();
            ::fsync(f.handle());
        };
        const auto results = flash(job, options, {target(loop.device)});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().phase, FlashJob::Phase::Failed);
        QVERIFY2(results.first().error.contains(QLatin1String("Verification failed")),
                 qPrintable(results.first().error));
    }

    void badSourcesLeaveTheCardUnbootable_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("word");
        QTest::newRow("corrupt xz") << "flip"
                                    << "damaged";
        QTest::newRow("truncated xz") << "truncate"
                                      << "";
        QTest::newRow("checksum mismatch") << "checksum"
                                           << "Checksum mismatch";
    }

    void badSourcesLeaveTheCardUnbootable()
    {
        QFETCH(QString, damage);
        QFETCH(QString, word);
        const QString bad = path(QStringLiteral("bad-") + damage + QStringLiteral(".img.xz"));
        QFile::remove(bad);
        QVERIFY(QFile::copy(path(QStringLiteral("board.img.xz")), bad));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::ReadWrite));
        if (damage == QLatin1String("flip")) {
            QVERIFY(f.seek(f.size() / 2));
            QByteArray b = f.peek(1);
            b[0] = char(b.at(0) ^ 0xFF);
            f.write(b);
        } else if (damage == QLatin1String("truncate")) {
            QVERIFY(f.resize(f.size() / 2));
        }
        f.close();
        Loop loop(m_dir.path(), QStringLiteral("card-") + damage, 32 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = bad;
        if (damage == QLatin1String("checksum"))
            options.sha256 = QByteArray(64, 'a');
        const auto results = flash(job, options, {target(loop.device)});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().phase, FlashJob::Phase::Failed);
        QVERIFY(!job.sourceError().isEmpty());
        QVERIFY2(job.sourceError().contains(word), qPrintable(job.sourceError()));
        // Partition table and boot code never arrived: the card cannot half-boot.
        QCOMPARE(loop.content(MiB), QByteArray(int(MiB), '\0'));
    }

    void cancelZeroesTheFirstMiB()
    {
        // A larger image so the cancel lands mid-write.
        const QString big = path(QStringLiteral("big.img"));
        QVERIFY(writeAt(big, 0, randomBytes(160 * MiB, 3)));
        Loop loop(m_dir.path(), QStringLiteral("card-cancel"), 192 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = big;
        QSignalSpy done(&job, &FlashJob::finished);
        connect(&job, &FlashJob::progressChanged, &job,
                [&job](int, FlashJob::Phase phase, qint64 bytes, qint64) {
                    if (phase == FlashJob::Phase::Writing && bytes >= 8 * MiB)
                        job.cancel();
                });
        job.start(options, {target(loop.device)});
        QVERIFY(done.wait(120000));
        const auto results = job.results();
        QCOMPARE(results.first().phase, FlashJob::Phase::Cancelled);
        QVERIFY(results.first().error.contains(QLatin1String("zeroed")));
        QCOMPARE(loop.content(MiB), QByteArray(int(MiB), '\0'));
        QFile::remove(big);
    }

    void tooSmallCard()
    {
        Loop loop(m_dir.path(), QStringLiteral("card-small"), 16 * MiB);
        FlashJob job;
        FlashJob::Options options;
        options.source = path(QStringLiteral("board.img.gz"));
        const auto results = flash(job, options, {target(loop.device)});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.first().phase, FlashJob::Phase::Failed);
        QVERIFY2(results.first().error.contains(QLatin1String("does not fit")),
                 qPrintable(results.first().error));
    }

    void protection()
    {
        Loop locked(m_dir.path(), QStringLiteral("card-locked"), 8 * MiB, true);
        QVERIFY(target(locked.device).refusal.contains(QLatin1String("read-only")));
        QVERIFY(target(m_dir.path()).refusal.contains(QLatin1String("folder")));
        QVERIFY(!target(QStringLiteral("/dev/null")).refusal.isEmpty());
        // This machine's own system disk: enumeration only, nothing is opened for writing.
        const QStringList system = BlockDevice::systemDisks();
        if (system.isEmpty())
            QSKIP("/ is not on a block device here (container?)");
        for (const QString &disk : system) {
            const BlockDevice::Target t = target(disk);
            QVERIFY2(!t.refusal.isEmpty(), qPrintable(disk));
        }
    }
};

QTEST_GUILESS_MAIN(TestFlashJob)
#include "tst_flashjob.moc"
