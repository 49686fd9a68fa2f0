// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's card writer (wizard Flash step, Lab ▸ Write Cards) on real loop block devices: two
// cards written from one image with their boards' first-boot identities, read back with
// mtools; the instance IDs and allocated address recorded as one undo step; bad choices
// refused before anything is erased; cancel records nothing; with no keychain a DietPi image
// is refused before anything is erased, in words that say what to do, and the tick box for a
// random console password then writes it. Needs root (losetup).
#include "blockdevice.h"
#include "cardpreparation.h"
#include "cardwriterwidget.h"
#include "cardwriting.h"
#include "childprocess.h"
#include "labdocument.h"
#include "labfile.h"
#include "mainwindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <unistd.h>

using namespace Hivelab;

namespace {

constexpr qint64 BootOffset = 2048 * 512;

using HivelabTest::cardShell;
using Sh = HivelabTest::ShellRun;

// Two static boards; node-2's address is taken, so node-1 gets the next one of the pool.
const char *const kLab = R"({"format": "hivelab-lab", "schemaVersion": 1, "name": "writer",
    "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "poolStart": "10.77.0.10",
                "loginUser": "hive", "dns": ["10.77.0.1"], "locale": "C.UTF-8"},
    "boards": [
        {"id": "node-1", "hostname": "node-1", "addressing": "static"},
        {"id": "node-2", "hostname": "node-2", "addressing": "static", "ip": "10.77.0.10"}]})";

} // namespace

class TestCardWriter : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_key;
    QString m_source;
    QStringList m_loops;
    LabDocument m_doc;
    QUndoStack m_undo;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QByteArray mtype(const QString &device, const QString &file)
    {
        return cardShell(QStringLiteral("mtype -i %1@@%2 ::/%3").arg(device).arg(BootOffset).arg(file)).out;
    }

    /// node-2's identity onto the second card as a user who may not open it would write it.
    CardPreparation::Result prepareNode2ThroughADescriptor()
    {
        const QByteArray pub = cardShell(QStringLiteral("cat %1.pub").arg(m_key)).out.trimmed();
        return CardPreparation::prepare(m_doc.lab(), QStringLiteral("node-2"), m_loops.at(1),
                                        QString::fromUtf8(pub), CardPreparation::Access::Descriptor);
    }

    std::unique_ptr<CardWriterWidget> makeWriter()
    {
        auto w = std::make_unique<CardWriterWidget>(
            &m_doc, [this](QUndoCommand *c) { m_undo.push(c); });
        w->setKeyPath(m_key);
        QSignalSpy listed(w.get(), &CardWriterWidget::drivesListed);
        w->reload();
        [&] { QVERIFY(listed.wait(20000)); }();
        return w;
    }

public:
    /// No session bus in this process, so no keychain (the keychain path with one is
    /// tst_cardwriting's): set before Qt or libsecret first looks for the bus.
    static void initMain()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/dev/null/no-session-bus");
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for loop devices");
        QVERIFY(m_dir.isValid());
        for (const char *tool :
             {"mcopy", "mtype", "mmove", "mdel", "sfdisk", "mkfs.fat", "fsck.fat", "losetup"}) {
            if (cardShell(QStringLiteral("command -v ") + QLatin1String(tool)).exitCode != 0)
                QSKIP("mtools, fdisk, dosfstools or losetup missing");
        }
        // No system bus here: asking UDisks2 must fail in words, never hang (set before Qt
        // first connects to the system bus).
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + path(QStringLiteral("no-bus")).toLocal8Bit());
        m_key = path(QStringLiteral("id_ed25519"));
        QCOMPARE(cardShell(QStringLiteral("ssh-keygen -q -t ed25519 -N '' -C writer-test -f %1").arg(m_key))
                     .exitCode,
                 0);
        // The OS image: a 40 MiB card with a FAT16 boot partition at 1 MiB and a Linux one.
        m_source = path(QStringLiteral("os.img"));
        QCOMPARE(cardShell(QStringLiteral("truncate -s 40M %1 && printf 'label: dos\\n2048,32768,c\\n,,83\\n' "
                                   "| sfdisk -q %1 && mkfs.fat -F 16 -n BOOT --offset 2048 %1 16384")
                        .arg(m_source))
                     .exitCode,
                 0);
        for (int i = 0; i < 2; ++i) {
            const QString backing = path(QStringLiteral("card%1").arg(i));
            const Sh r = cardShell(QStringLiteral("truncate -s 64M %1 && losetup -f --show %1").arg(backing));
            QCOMPARE(r.exitCode, 0);
            m_loops << QString::fromLatin1(r.out.trimmed());
            QVERIFY(m_loops.last().startsWith(QLatin1String("/dev/loop")));
        }
    }

    void cleanupTestCase()
    {
        for (const QString &loop : std::as_const(m_loops))
            cardShell(QStringLiteral("losetup -d ") + loop);
    }

    void init()
    {
        LabFileError error;
        const std::optional<Lab> lab = LabFile::fromJson(QByteArray(kLab), &error);
        QVERIFY2(lab, qPrintable(error.toString()));
        m_doc.setLab(*lab);
        m_undo.clear();
    }

    void writesCardsWithIdentitiesAsOneUndoStep()
    {
        auto w = makeWriter();
        QVERIFY(w);
        w->setImage(QStringLiteral("node-1"), m_source);
        w->setImage(QStringLiteral("node-2"), m_source);
        w->setCard(QStringLiteral("node-1"), m_loops.at(0));
        w->setCard(QStringLiteral("node-2"), m_loops.at(1));
        QString asked;
        w->setConfirmation([&asked](const QString &question, const QString &typeName) {
            asked = question;
            return typeName.isEmpty();
        });
        QSignalSpy finished(w.get(), &CardWriterWidget::finished);
        QVERIFY2(w->writeCards(), qPrintable(w->summary()));
        QVERIFY(asked.contains(m_loops.at(0)) && asked.contains(m_loops.at(1)));
        QVERIFY(w->isRunning());
        QVERIFY(finished.wait(120000));
        QVERIFY2(w->summary().startsWith(QLatin1String("2 of 2 cards")), qPrintable(w->summary()));

        const Board *b1 = m_doc.lab().board(QStringLiteral("node-1"));
        const Board *b2 = m_doc.lab().board(QStringLiteral("node-2"));
        QVERIFY(!b1->firstBoot.instanceId.isEmpty());
        QVERIFY(!b2->firstBoot.instanceId.isEmpty());
        QVERIFY(b1->firstBoot.instanceId != b2->firstBoot.instanceId);
        // node-2 has 10.77.0.10: node-1 gets the next free address of the pool.
        QCOMPARE(b1->ip, QStringLiteral("10.77.0.11"));
        QVERIFY2(w->resultFor(QStringLiteral("node-1")).contains(QLatin1String("10.77.0.11/24")),
                 qPrintable(w->resultFor(QStringLiteral("node-1"))));
        // What the cards carry: each its own board's instance ID and address.
        QVERIFY(mtype(m_loops.at(0), QStringLiteral("meta-data")).contains(b1->firstBoot.instanceId.toUtf8()));
        QVERIFY(mtype(m_loops.at(1), QStringLiteral("meta-data")).contains(b2->firstBoot.instanceId.toUtf8()));
        QVERIFY(mtype(m_loops.at(0), QStringLiteral("network-config")).contains("10.77.0.11"));
        QVERIFY(mtype(m_loops.at(0), QStringLiteral("user-data")).contains("writer-test"));

        QCOMPARE(m_undo.count(), 1);
        m_undo.undo();
        QVERIFY(m_doc.lab().board(QStringLiteral("node-1"))->firstBoot.instanceId.isEmpty());
        QVERIFY(m_doc.lab().board(QStringLiteral("node-1"))->ip.isEmpty());
        m_undo.redo();
        QCOMPARE(m_doc.lab().board(QStringLiteral("node-1"))->ip, QStringLiteral("10.77.0.11"));
    }

    void refusesBadChoicesBeforeErasing()
    {
        auto w = makeWriter();
        QVERIFY(w);
        bool asked = false;
        w->setConfirmation([&asked](const QString &, const QString &) { return asked = true; });
        QVERIFY(!w->writeCards());
        QVERIFY2(w->summary().contains(QLatin1String("Choose a card")), qPrintable(w->summary()));

        w->setCard(QStringLiteral("node-1"), m_loops.at(0));
        QVERIFY(!w->writeCards());
        QVERIFY2(w->summary().contains(QLatin1String("Choose an image for node-1")),
                 qPrintable(w->summary()));

        w->setImage(QStringLiteral("node-1"), m_source);
        w->setImage(QStringLiteral("node-2"), m_source);
        w->setCard(QStringLiteral("node-2"), m_loops.at(0));
        QVERIFY(!w->writeCards());
        QVERIFY2(w->summary().contains(QLatin1String("chosen for two boards")), qPrintable(w->summary()));

        // The system's own disk is never offered and refused when named.
        const QString root = QString::fromLatin1(
            cardShell(QStringLiteral("lsblk -npo PKNAME $(findmnt -nvo SOURCE /) | head -n1")).out.trimmed());
        if (root.startsWith(QLatin1String("/dev/"))) {
            auto *combo = w->findChild<QComboBox *>(QStringLiteral("card-node-1"));
            QVERIFY(combo);
            QCOMPARE(combo->findData(root), -1);
            w->setCard(QStringLiteral("node-2"), root);
            QVERIFY(!w->writeCards());
            QVERIFY2(w->summary().contains(root), qPrintable(w->summary()));
        }
        QVERIFY(!asked);
        QCOMPARE(m_undo.count(), 0);

        // Answering no writes nothing.
        w->setCard(QStringLiteral("node-2"), m_loops.at(1));
        w->setConfirmation([](const QString &, const QString &) { return false; });
        QVERIFY(!w->writeCards());
        QCOMPARE(w->summary(), QStringLiteral("Nothing written."));
    }

    void cancelRecordsNothing()
    {
        auto w = makeWriter();
        QVERIFY(w);
        w->setImage(QStringLiteral("node-1"), m_source);
        w->setCard(QStringLiteral("node-1"), m_loops.at(0));
        w->setConfirmation([](const QString &, const QString &) { return true; });
        QSignalSpy finished(w.get(), &CardWriterWidget::finished);
        QVERIFY(w->writeCards());
        // Cancelled while writing (before it, during the image's check, the card is unchanged).
        auto *job = w->findChild<CardWriting *>();
        QVERIFY(job);
        connect(job, &CardWriting::progressChanged, w.get(), [&w](int, CardWriting::Stage stage) {
            if (stage == CardWriting::Stage::Writing)
                w->cancel();
        });
        QVERIFY(finished.wait(60000));
        QVERIFY2(w->summary().startsWith(QLatin1String("0 of 1 cards")), qPrintable(w->summary()));
        QVERIFY(m_doc.lab().board(QStringLiteral("node-1"))->firstBoot.instanceId.isEmpty());
        QCOMPARE(m_undo.count(), 0);
        // A cancelled card does not boot half-written: its first MiB is zeros.
        QCOMPARE(cardShell(QStringLiteral("head -c 1048576 %1 | tr -d '\\000' | wc -c").arg(m_loops.at(0)))
                     .out.trimmed(),
                 QByteArray("0"));
    }

    // The path a user who may not open the card takes (a descriptor from UDisks2): the boot
    // partition goes through a scratch copy and only changed blocks come back. Forced here as
    // root with a descriptor opened directly; the FAT must stay clean.
    void throughADescriptorWritesOnlyTheBootPartition()
    {
        QCOMPARE(cardShell(QStringLiteral("dd if=%1 of=%2 bs=1M conv=fsync status=none && "
                                   "printf 'rootfs-marker' | dd of=%2 bs=1 seek=%3 conv=notrunc,fsync "
                                   "status=none")
                        .arg(m_source, m_loops.at(1))
                        .arg(36 * 1024 * 1024))
                     .exitCode,
                 0);
        const CardPreparation::Result r = prepareNode2ThroughADescriptor();
        QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QVERIFY(mtype(m_loops.at(1), QStringLiteral("meta-data"))
                    .contains(r.lab.board(QStringLiteral("node-2"))->firstBoot.instanceId.toUtf8()));
        QVERIFY(mtype(m_loops.at(1), QStringLiteral("network-config")).contains("10.77.0.10"));
        // Outside the boot partition nothing moved.
        QCOMPARE(cardShell(QStringLiteral("dd if=%1 bs=1 skip=%2 count=13 status=none")
                        .arg(m_loops.at(1))
                        .arg(36 * 1024 * 1024))
                     .out,
                 QByteArray("rootfs-marker"));
        const Sh fsck = cardShell(QStringLiteral("p=$(losetup -f --show -r -o %1 --sizelimit %2 %3) && "
                                          "fsck.fat -n $p; rc=$?; losetup -d $p; exit $rc")
                               .arg(BootOffset)
                               .arg(32768 * 512)
                               .arg(m_loops.at(1)));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());
    }

    // DietPi for the Pine64 and most other boards: no FAT, dietpi.txt in /boot of the ext4 root.
    // Through a descriptor the ext4 partition goes through the scratch copy whole.
    void throughADescriptorEditsDietPiOnAnExt4Root()
    {
        constexpr qint64 rootOffset = 8192 * 512;
        const QString root = path(QStringLiteral("dietpi-root"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/boot")));
        QFile txt(root + QStringLiteral("/boot/dietpi.txt"));
        QVERIFY(txt.open(QIODevice::WriteOnly));
        txt.write("AUTO_SETUP_GLOBAL_PASSWORD=dietpi\nAUTO_SETUP_NET_HOSTNAME=DietPi\n");
        txt.close();
        QCOMPARE(cardShell(QStringLiteral("truncate -s 64M %1 && printf 'label: dos\\n8192,,83\\n' | sfdisk -q %1 && "
                                          "mkfs.ext4 -q -E offset=%2 -d %3 %1 60M && dd if=%1 of=%4 bs=1M conv=fsync "
                                          "status=none")
                               .arg(path(QStringLiteral("dietpi-ext.img")))
                               .arg(rootOffset)
                               .arg(root, m_loops.at(1)))
                     .exitCode,
                 0);
        const CardPreparation::Result r = prepareNode2ThroughADescriptor();
        QVERIFY2(r.ok, qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.flavour, FirstBootCard::Flavour::DietPi);
        QCOMPARE(r.files, QStringList{QStringLiteral("/boot/dietpi.txt")});
        const QByteArray edited = cardShell(QStringLiteral("debugfs -R 'cat /boot/dietpi.txt' '%1?offset=%2' 2>/dev/null")
                                                .arg(m_loops.at(1))
                                                .arg(rootOffset))
                                      .out;
        QVERIFY2(edited.contains("\nAUTO_SETUP_NET_HOSTNAME=node-2\n") &&
                     edited.contains("\nSOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1\n"),
                 edited.constData());
        // Never DietPi's default: prepare() alone writes a random password nobody is told (the
        // keychain steps are CardPreparationJob's).
        QVERIFY(QRegularExpression(QStringLiteral("^AUTO_SETUP_GLOBAL_PASSWORD=[A-Za-z0-9]{24}\n"))
                    .match(QString::fromLatin1(edited))
                    .hasMatch());
        const Sh fsck = cardShell(QStringLiteral("e2fsck -fn '%1?offset=%2'").arg(m_loops.at(1)).arg(rootOffset));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());
    }

    void dietPiWithoutAKeychain()
    {
        const QString source = path(QStringLiteral("dietpi.img"));
        const QByteArray original =
            "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\nAUTO_SETUP_NET_HOSTNAME=DietPi\n";
        QFile txt(path(QStringLiteral("dietpi.txt")));
        QVERIFY(txt.open(QIODevice::WriteOnly));
        txt.write(original);
        txt.close();
        QCOMPARE(cardShell(QStringLiteral(
                               "truncate -s 40M %1 && printf 'label: dos\\n2048,32768,c\\n,,83\\n' "
                               "| sfdisk -q %1 && mkfs.fat -F 16 -n BOOT --offset 2048 %1 16384 && "
                               "mcopy -i %1@@%2 %3 ::/dietpi.txt")
                               .arg(source)
                               .arg(BootOffset)
                               .arg(txt.fileName()))
                     .exitCode,
                 0);
        auto w = makeWriter();
        QVERIFY(w);
        auto *keep = w->findChild<QCheckBox *>(QStringLiteral("keepConsolePasswords"));
        QVERIFY(keep && keep->isChecked());
        w->setImage(QStringLiteral("node-1"), source);
        w->setCard(QStringLiteral("node-1"), m_loops.at(0));
        w->setConfirmation([](const QString &, const QString &) { return true; });
        // Known DietPi from the image file: refused before the card is erased, so it never
        // holds the image with DietPi's well-known password.
        auto cardSha = [this]() {
            QFile card(m_loops.at(0));
            QCryptographicHash sha(QCryptographicHash::Sha256);
            return card.open(QIODevice::ReadOnly) && sha.addData(&card) ? sha.result()
                                                                        : QByteArray();
        };
        const QByteArray before = cardSha();
        QVERIFY(!before.isEmpty());
        QSignalSpy finished(w.get(), &CardWriterWidget::finished);
        QVERIFY(w->writeCards());
        QVERIFY(!keep->isEnabled());
        QVERIFY(finished.wait(120000));
        QVERIFY2(w->summary().startsWith(QLatin1String("0 of 1 cards")) &&
                     w->summary().contains(
                         QStringLiteral("untick “Keep DietPi console passwords in the keychain”")),
                 qPrintable(w->summary()));
        QVERIFY2(
            w->resultFor(QStringLiteral("node-1")).startsWith(QLatin1String("Not written")) &&
                w->resultFor(QStringLiteral("node-1"))
                    .contains(QLatin1String("no keychain to keep the DietPi console password")),
            qPrintable(w->resultFor(QStringLiteral("node-1"))));
        QVERIFY(m_doc.lab().board(QStringLiteral("node-1"))->firstBoot.instanceId.isEmpty());
        QCOMPARE(m_undo.count(), 0);
        QCOMPARE(cardSha(), before);

        keep->click();
        QVERIFY(!keep->isChecked());
        QVERIFY(w->writeCards());
        QVERIFY(finished.wait(120000));
        QVERIFY2(w->summary().startsWith(QLatin1String("1 of 1 cards")), qPrintable(w->summary()));
        QVERIFY2(w->resultFor(QStringLiteral("node-1"))
                     .endsWith(QLatin1String("random and not kept; log in with the key.")),
                 qPrintable(w->resultFor(QStringLiteral("node-1"))));
        const QRegularExpressionMatch password =
            QRegularExpression(QStringLiteral("(?m)AUTO_SETUP_GLOBAL_PASSWORD=([A-Za-z0-9]{24})$"))
                .match(QString::fromLatin1(mtype(m_loops.at(0), QStringLiteral("dietpi.txt"))));
        QVERIFY(password.hasMatch());
        QVERIFY(!w->summary().contains(password.captured(1)));
        QVERIFY(!w->resultFor(QStringLiteral("node-1")).contains(password.captured(1)));
        QCOMPARE(m_undo.count(), 1);
    }

    void withoutUDisksTheReasonIsClear()
    {
        bool direct = false;
        QString error;
        QCOMPARE(BlockDevice::openAuthorized(m_loops.at(0), true, &direct, &error), -1);
        QVERIFY2(error.contains(QLatin1String("UDisks2")) && error.contains(m_loops.at(0)),
                 qPrintable(error));
    }

    void mainWindowOpensTheWriter()
    {
        MainWindow window(&m_doc);
        QVERIFY(window.writeCardsAction()->isEnabled());
        window.writeCardsAction()->trigger();
        QVERIFY(window.cardWriter());
        QVERIFY(window.cardWriter()->findChild<QComboBox *>(QStringLiteral("card-node-2")));
    }
};

QTEST_MAIN(TestCardWriter)
#include "tst_cardwriter.moc"
