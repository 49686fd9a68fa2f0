// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI's card writer (CardWriting) on DietPi images, written to image files (no root, no
// loop device), with the real keychain (gnome-keyring under tests/test-session.sh): the console
// password on the card is the one the keychain holds, and it is in no message, log line or lab
// file; a card that fails after the password was stored gets the old entry back (or none); the
// check before writing finds a DietPi image file (raw or compressed) and probes the keychain
// with a throwaway account, never reading or writing the card's own entry, also when it is
// cancelled between writing the probe entry and removing it.
#include "cardwriting.h"
#include "childprocess.h"
#include "credentialstore.h"
#include "labfile.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Hivelab;
using HivelabTest::cardShell;

namespace {

constexpr qint64 BootOffset = 2048 * 512;

const char *const kLab = R"({"format": "hivelab-lab", "schemaVersion": 1, "name": "writing",
    "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "poolStart": "10.77.0.10",
                "loginUser": "hive", "dns": ["10.77.0.1"], "locale": "C.UTF-8"},
    "boards": [
        {"id": "node-1", "hostname": "node-1", "addressing": "static"},
        {"id": "node-2", "hostname": "node-2", "addressing": "static", "ip": "10.77.0.10"}]})";

// Every line Qt logs while the test runs (the password must be in none).
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void collect(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log << message;
    g_previousHandler(type, context, message);
}

} // namespace

class TestCardWriting : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_key;
    Lab m_lab;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// A 40 MiB DietPi image for the Raspberry Pi: FAT16 boot partition at 1 MiB holding
    /// dietpi.txt with DietPi's default password. `full`: dietpi.txt takes almost a whole
    /// cluster and the FAT has no free one left, so the edited (longer) file cannot be written.
    QString makeDietPiImage(const QString &name, bool full)
    {
        const QString img = path(name);
        QByteArray txt = "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\nAUTO_SETUP_NET_HOSTNAME=DietPi\n";
        if (full)
            txt += "# " + QByteArray(1900, 'x') + "\n";
        QFile f(path(name + QStringLiteral(".dietpi.txt")));
        if (!f.open(QIODevice::WriteOnly) || f.write(txt) != txt.size())
            return {};
        f.close();
        const HivelabTest::ShellRun r = cardShell(
            QStringLiteral("truncate -s 40M %1 && printf 'label: dos\\n2048,32768,c\\n,,83\\n' | "
                           "sfdisk -q %1 && mkfs.fat -F 16 -n BOOT --offset 2048 %1 16384 && "
                           "mcopy -i %1@@%2 %3 ::/dietpi.txt")
                .arg(img)
                .arg(BootOffset)
                .arg(f.fileName()));
        if (r.exitCode != 0) {
            qWarning("%s", r.out.constData());
            return {};
        }
        if (full && !HivelabTest::fillFat(img, BootOffset))
            return {};
        return img;
    }

    QByteArray mtype(const QString &target, const QString &file)
    {
        return cardShell(
                   QStringLiteral("mtype -i %1@@%2 ::/%3").arg(target).arg(BootOffset).arg(file))
            .out;
    }

    static QString passwordIn(const QByteArray &dietpiTxt)
    {
        static const QRegularExpression line(
            QStringLiteral("(?m)^[ \\t]*AUTO_SETUP_GLOBAL_PASSWORD=(.*)$"));
        return line.match(QString::fromUtf8(dietpiTxt)).captured(1);
    }

    static QString account(const QString &board)
    {
        return CredentialStore::secretKey(QStringLiteral("writing"), board, QStringLiteral("root"));
    }

    /// What the keychain holds for `key` (service "Hivelab"); nullopt when nothing.
    std::optional<QString> keychainSecret(const QString &key)
    {
        CredentialStore store;
        QSignalSpy read(&store, &CredentialStore::secretRead);
        QSignalSpy failed(&store, &CredentialStore::failed);
        store.read(key);
        if (!QTest::qWaitFor([&] { return read.count() + failed.count() > 0; }, 30000) ||
            read.isEmpty())
            return std::nullopt;
        return read.first().at(1).toString();
    }

    bool keychainDo(const std::function<void(CredentialStore &)> &call)
    {
        CredentialStore store;
        QSignalSpy stored(&store, &CredentialStore::stored);
        QSignalSpy removed(&store, &CredentialStore::removed);
        QSignalSpy failed(&store, &CredentialStore::failed);
        call(store);
        return QTest::qWaitFor(
                   [&] { return stored.count() + removed.count() + failed.count() > 0; }, 30000) &&
               failed.isEmpty() && (removed.count() == 1 || stored.value(0).value(1).toBool());
    }

    /// Writes `source` to a new image file for `board` and prepares it; waits until done.
    std::unique_ptr<CardWriting> write(const QString &board, const QString &source,
                                       const QString &target)
    {
        auto job = std::make_unique<CardWriting>();
        job->setKeyPath(m_key);
        QSignalSpy finished(job.get(), &CardWriting::finished);
        job->start(m_lab, {CardWriting::Card{board, source, BlockDevice::inspect(target)}});
        [&] { QVERIFY(finished.wait(120000)); }();
        return job;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *tool : {"mcopy", "mtype", "mmove", "mdel", "mdir", "sfdisk", "mkfs.fat"}) {
            if (cardShell(QStringLiteral("command -v ") + QLatin1String(tool)).exitCode != 0)
                QSKIP("mtools, fdisk or dosfstools missing");
        }
        if (qgetenv("HIVELAB_TEST_KEYRING") != "1")
            QSKIP("run under tests/test-session.sh: it starts a private gnome-keyring and sets "
                  "HIVELAB_TEST_KEYRING=1 (never your own keyring)");
        CredentialStore probe;
        QSignalSpy changed(&probe, &CredentialStore::backendChanged);
        probe.probe();
        QVERIFY(changed.wait(30000));
        QVERIFY2(probe.isPersistent(), qPrintable(probe.backendMessage()));
        m_key = path(QStringLiteral("id_ed25519"));
        QCOMPARE(
            cardShell(
                QStringLiteral("ssh-keygen -q -t ed25519 -N '' -C writing-test -f %1").arg(m_key))
                .exitCode,
            0);
        LabFileError error;
        const std::optional<Lab> lab = LabFile::fromJson(QByteArray(kLab), &error);
        QVERIFY2(lab, qPrintable(error.toString()));
        m_lab = *lab;
        g_previousHandler = qInstallMessageHandler(collect);
    }

    void cleanupTestCase()
    {
        if (g_previousHandler)
            qInstallMessageHandler(g_previousHandler);
    }

    void keepsTheDietPiPasswordInTheKeychain()
    {
        const QString source = makeDietPiImage(QStringLiteral("dietpi.img"), false);
        QVERIFY(!source.isEmpty());
        QVERIFY(keychainDo([&](CredentialStore &s) { s.store(account("node-2"), "old-one"); }));
        const QString target = path(QStringLiteral("card-node-2.img"));
        const auto job = write(QStringLiteral("node-2"), source, target);
        QVERIFY(job);
        QCOMPARE(job->stage(0), CardWriting::Stage::Done);
        QCOMPARE(job->preparedBoards(), QStringList{QStringLiteral("node-2")});
        QVERIFY2(job->message(0).endsWith(
                     QLatin1String("Console password for root and dietpi: in the keychain, "
                                   "service Hivelab, account "
                                   "lab:writing/board:node-2/user:root/password.")),
                 qPrintable(job->message(0)));
        QCOMPARE(job->consolePasswordPlace(0),
                 qMakePair(QStringLiteral("Hivelab"), account("node-2")));

        // The keychain's password is the one on the card (the old entry replaced), and it is
        // in no message, log line or lab file.
        const std::optional<QString> password = keychainSecret(account("node-2"));
        QVERIFY(password);
        QCOMPARE(password->size(), 24);
        const QByteArray txt = mtype(target, QStringLiteral("dietpi.txt"));
        QCOMPARE(passwordIn(txt), *password);
        QVERIFY(txt.contains("\nSOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1\n"));
        QVERIFY(!job->message(0).contains(*password));
        QVERIFY(!LabFile::toJson(job->lab()).contains(password->toUtf8()));
        QVERIFY(!g_log.join(QLatin1Char('\n')).contains(*password));
    }

    // dietpi.txt cannot be written (a full FAT) after the new password went to the keychain:
    // what was there before comes back, an entry or none.
    void aFailedCardGetsTheOldEntryBack()
    {
        const QString source = makeDietPiImage(QStringLiteral("full.img"), true);
        QVERIFY(!source.isEmpty());
        QVERIFY(keychainDo([&](CredentialStore &s) { s.store(account("node-1"), "old-one"); }));
        auto job = write(QStringLiteral("node-1"), source, path(QStringLiteral("card-full.img")));
        QVERIFY(job);
        QCOMPARE(job->stage(0), CardWriting::Stage::Failed);
        QVERIFY2(job->message(0).contains(QLatin1String("first-boot files failed")) &&
                     job->message(0).contains(QLatin1String("Disk full")),
                 qPrintable(job->message(0)));
        QVERIFY(!job->refusedForKeychain(0));
        QCOMPARE(job->consolePasswordPlace(0), qMakePair(QString(), QString()));
        QCOMPARE(keychainSecret(account("node-1")).value_or(QStringLiteral("(none)")),
                 QStringLiteral("old-one"));

        QVERIFY(keychainDo([&](CredentialStore &s) { s.remove(account("node-1")); }));
        job = write(QStringLiteral("node-1"), source, path(QStringLiteral("card-full.img")));
        QVERIFY(job);
        QCOMPARE(job->stage(0), CardWriting::Stage::Failed);
        QCOMPARE(keychainSecret(account("node-1")).value_or(QStringLiteral("(none)")),
                 QStringLiteral("(none)"));
        QVERIFY(job->preparedBoards().isEmpty());
    }

    // Before the image is written (CardWriting, `flash --lab`): the image file tells DietPi,
    // the keychain takes a write to the card's account, and its entry stays as it was.
    void checkBeforeWritingLeavesTheKeychainAsItWas_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addColumn<bool>("entry");
        QTest::newRow("raw, an entry") << false << true;
        QTest::newRow("raw, none") << false << false;
        QTest::newRow("xz, an entry") << true << true;
    }

    void checkBeforeWritingLeavesTheKeychainAsItWas()
    {
        QFETCH(bool, compressed);
        QFETCH(bool, entry);
        QString image = makeDietPiImage(QStringLiteral("check.img"), false);
        QVERIFY(!image.isEmpty());
        if (compressed) {
            QCOMPARE(cardShell(QStringLiteral("xz -f -T2 %1").arg(image)).exitCode, 0);
            image += QStringLiteral(".xz");
        }
        QVERIFY(keychainDo([&](CredentialStore &s) {
            if (entry)
                s.store(account("node-1"), "old-one");
            else
                s.remove(account("node-1"));
        }));
        CredentialStore store;
        QSignalSpy stored(&store, &CredentialStore::stored);
        QSignalSpy read(&store, &CredentialStore::secretRead);
        QSignalSpy failed(&store, &CredentialStore::failed);
        QSignalSpy removed(&store, &CredentialStore::removed);
        CardPreparationJob job(&store);
        QSignalSpy finished(&job, &CardPreparationJob::finished);
        CardPreparationJob::Request request;
        request.lab = m_lab;
        request.boardId = QStringLiteral("node-1");
        request.target = path(QStringLiteral("never-written.img"));
        job.check(request, image);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(job.error(), CardPreparationJob::Error::None);
        // One write and one removal, both of a throwaway account; the card's own account is
        // neither read nor written (an interruption could not leave it changed).
        QCOMPARE(stored.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(read.count() + failed.count(), 0);
        const QString probe = stored.first().first().toString();
        QVERIFY2(probe.startsWith(QLatin1String(CardPreparationJob::ProbeAccountPrefix)),
                 qPrintable(probe));
        QCOMPARE(removed.first().first().toString(), probe);
        QVERIFY(!keychainSecret(probe));
        // A compressed image is decompressed to look at it only when the keychain cannot keep
        // the password (tst_cmd_flash: refused up front); otherwise the card is read later.
        if (compressed)
            QVERIFY(!job.flavour());
        else
            QVERIFY(job.flavour() == FirstBootCard::Flavour::DietPi);
        QCOMPARE(keychainSecret(account("node-1")).value_or(QStringLiteral("(none)")),
                 entry ? QStringLiteral("old-one") : QStringLiteral("(none)"));
        QVERIFY(!QFile::exists(request.target));
    }

    // Cancelled (Ctrl-C in `flash --lab`, the GUI's Cancel) just after the probe entry was
    // written: it is removed before the job ends, and the card's entry was never touched.
    void cancelDuringTheProbeLeavesNoEntry()
    {
        QVERIFY(keychainDo([&](CredentialStore &s) { s.store(account("node-1"), "old-one"); }));
        CredentialStore store;
        CardPreparationJob job(&store);
        QStringList keys;
        // Connected before the job's own handler: cancel() comes between the write's answer
        // and the job's next step.
        connect(&store, &CredentialStore::stored, &job, [&](const QString &key) {
            keys << key;
            job.cancel();
        });
        QSignalSpy removed(&store, &CredentialStore::removed);
        QSignalSpy finished(&job, &CardPreparationJob::finished);
        CardPreparationJob::Request request;
        request.lab = m_lab;
        request.boardId = QStringLiteral("node-1");
        request.target = path(QStringLiteral("never-written.img"));
        request.flavour = FirstBootCard::Flavour::DietPi; // straight to the probe
        job.check(request, QString());
        QVERIFY(finished.wait(120000));
        QCOMPARE(job.error(), CardPreparationJob::Error::Cancelled);
        QCOMPARE(keys.size(), 1);
        QVERIFY(keys.first().startsWith(QLatin1String(CardPreparationJob::ProbeAccountPrefix)));
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.first().first().toString(), keys.first());
        QVERIFY(!keychainSecret(keys.first()));
        QCOMPARE(keychainSecret(account("node-1")).value_or(QStringLiteral("(none)")),
                 QStringLiteral("old-one"));
        QVERIFY(!QFile::exists(request.target));
    }

    // Told to (the GUI's unticked box, the CLI's --no-console-password): random, not kept.
    void randomPasswordTouchesNoKeychain()
    {
        const QString source = makeDietPiImage(QStringLiteral("random.img"), false);
        QVERIFY(!source.isEmpty());
        QVERIFY(keychainDo([&](CredentialStore &s) { s.remove(account("node-1")); }));
        CardWriting job;
        job.setKeyPath(m_key);
        job.setConsolePassword(CardPreparationJob::ConsolePassword::Random);
        QSignalSpy finished(&job, &CardWriting::finished);
        const QString target = path(QStringLiteral("card-random.img"));
        job.start(m_lab, {CardWriting::Card{QStringLiteral("node-1"), source,
                                            BlockDevice::inspect(target)}});
        QVERIFY(finished.wait(120000));
        QCOMPARE(job.stage(0), CardWriting::Stage::Done);
        QVERIFY2(
            job.message(0).endsWith(QLatin1String("random and not kept; log in with the key.")),
            qPrintable(job.message(0)));
        QCOMPARE(passwordIn(mtype(target, QStringLiteral("dietpi.txt"))).size(), 24);
        QCOMPARE(keychainSecret(account("node-1")).value_or(QStringLiteral("(none)")),
                 QStringLiteral("(none)"));
    }
};

QTEST_GUILESS_MAIN(TestCardWriting)
#include "tst_cardwriting.moc"
