// SPDX-License-Identifier: GPL-3.0-or-later
// Cancelling the check before a card is written (CardPreparationJob::check, as CardWriting and
// `hivelab flash --lab` run it) while it decompresses a real compressed DietPi image: with no
// keychain (no session bus: the memory store does not count) the check decompresses the image
// to tell whether it is DietPi. Cancel stops it at its next MiB: the job ends Cancelled, the
// card is not touched and the scratch file is gone.
#include "cardwriting.h"
#include "childprocess.h"
#include "credentialstore.h"
#include "labfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;
using HivelabTest::cardShell;

namespace {

const char *const kLab = R"({"format": "hivelab-lab", "schemaVersion": 1, "name": "cancel",
    "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "poolStart": "10.77.0.10",
                "loginUser": "hive", "dns": ["10.77.0.1"], "locale": "C.UTF-8"},
    "boards": [{"id": "node-1", "hostname": "node-1", "addressing": "static"}]})";

} // namespace

class TestCardPreparationJob : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_image;   // gzip'd DietPi image, 1016 MiB to decompress for its boot FAT
    QString m_scratch; // TMPDIR of this process: where the decompression's scratch file goes
    QString m_key;
    Lab m_lab;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QStringList scratchEntries() const
    {
        return QDir(m_scratch).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    }

    /// Waits until the check's decompression has made its scratch file (it is unpacking).
    bool waitForUnpacking()
    {
        return QTest::qWaitFor(
            [this] {
                const QStringList dirs = scratchEntries();
                return !dirs.isEmpty() &&
                       QFile::exists(QDir(m_scratch).filePath(dirs.first() + "/head.img"));
            },
            120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *tool : {"mcopy", "sfdisk", "mkfs.fat", "gzip", "ssh-keygen"}) {
            if (cardShell(QStringLiteral("command -v ") + QLatin1String(tool)).exitCode != 0)
                QSKIP("mtools, fdisk, dosfstools, gzip or ssh-keygen missing");
        }
        // No Secret Service: the keychain cannot keep a password, so the check decompresses
        // the image to see whether it needs one. Never the developer's own session.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + path("no-bus").toLocal8Bit());
        m_scratch = path(QStringLiteral("tmp"));
        QVERIFY(QDir().mkpath(m_scratch));
        qputenv("TMPDIR", m_scratch.toLocal8Bit());

        const QString img = path(QStringLiteral("dietpi.img"));
        QFile txt(path(QStringLiteral("dietpi.txt")));
        QVERIFY(txt.open(QIODevice::WriteOnly));
        txt.write("AUTO_SETUP_GLOBAL_PASSWORD=dietpi\nAUTO_SETUP_NET_HOSTNAME=DietPi\n");
        txt.close();
        // A boot FAT of 1016 MiB (just under the 1 GiB the check decompresses at most) holding
        // 300 MiB of data: the decompression takes a while.
        const HivelabTest::ShellRun r = cardShell(
            QStringLiteral("truncate -s 1020M %1 && printf 'label: dos\\n2048,2080768,c\\n,,83\\n' "
                           "| sfdisk -q %1 && mkfs.fat -F 32 --offset 2048 %1 1040384 >/dev/null "
                           "2>&1 && mcopy -i %1@@1048576 %2 ::/dietpi.txt && yes hivelab | "
                           "head -c 300M | mcopy -i %1@@1048576 - ::/fill && gzip -1 %1")
                .arg(img, txt.fileName()));
        QVERIFY2(r.exitCode == 0, r.out.constData());
        m_image = img + QStringLiteral(".gz");
        m_key = path(QStringLiteral("id_ed25519"));
        QCOMPARE(
            cardShell(QStringLiteral("ssh-keygen -q -t ed25519 -N '' -f %1").arg(m_key)).exitCode,
            0);
        LabFileError error;
        const std::optional<Lab> lab = LabFile::fromJson(QByteArray(kLab), &error);
        QVERIFY2(lab, qPrintable(error.toString()));
        m_lab = *lab;
    }

    // The job's own cancel() (what `hivelab flash --lab`'s Ctrl-C calls).
    void cancelStopsTheDecompression()
    {
        CredentialStore store;
        CardPreparationJob job(&store);
        QSignalSpy finished(&job, &CardPreparationJob::finished);
        CardPreparationJob::Request request;
        request.lab = m_lab;
        request.boardId = QStringLiteral("node-1");
        request.target = path(QStringLiteral("never-written.img"));
        job.check(request, m_image);
        QVERIFY(waitForUnpacking());
        QVERIFY(finished.isEmpty());
        QElapsedTimer clock;
        clock.start();
        job.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        qInfo("finished %lld ms after cancel()", clock.elapsed());
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(job.error(), CardPreparationJob::Error::Cancelled);
        QVERIFY(!job.flavour());
        QVERIFY(!job.isRunning());
        QCOMPARE(scratchEntries(), QStringList());
        QVERIFY(!QFile::exists(request.target));

        // Not cancelled, the same check runs to its end: DietPi, and no keychain to keep its
        // password (the check above was stopped, not merely slow to say so).
        clock.restart();
        job.check(request, m_image);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
        qInfo("uncancelled, the check took %lld ms", clock.elapsed());
        QCOMPARE(job.error(), CardPreparationJob::Error::NoKeychain);
        QVERIFY(job.flavour() == FirstBootCard::Flavour::DietPi);
        QCOMPARE(scratchEntries(), QStringList());
    }

    // The GUI's Cancel (CardWriting::cancel) reaches the check of the card's image.
    void cardWritingCancelStopsTheCheck()
    {
        CardWriting writing;
        writing.setKeyPath(m_key);
        QSignalSpy finished(&writing, &CardWriting::finished);
        const QString target = path(QStringLiteral("card.img"));
        writing.start(m_lab, {CardWriting::Card{QStringLiteral("node-1"), m_image,
                                                BlockDevice::inspect(target)}});
        QVERIFY(waitForUnpacking());
        QVERIFY(finished.isEmpty());
        writing.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(writing.stage(0), CardWriting::Stage::Cancelled);
        QVERIFY2(writing.message(0).contains(QLatin1String("the card is unchanged")),
                 qPrintable(writing.message(0)));
        QVERIFY(!writing.refusedForKeychain(0));
        QCOMPARE(scratchEntries(), QStringList());
        QVERIFY(!QFile::exists(target));
    }
};

QTEST_GUILESS_MAIN(TestCardPreparationJob)
#include "tst_cardpreparationjob.moc"
