// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab card prepare` and `hivelab flash --lab` on real FAT boot partitions and ext4 roots:
// an image file (no root needed) and a loop device (root). Files are read back with mtools or
// debugfs, the FAT is checked with fsck.fat -n, the ext4 with e2fsck -fn. DietPi's console
// password is read back from the real keychain (gnome-keyring under tests/test-session.sh).
#include "childprocess.h"
#include "credentialstore.h"
#include "hivelabrun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using HivelabTest::CliRun;

namespace {

constexpr qint64 BootOffset = 2048 * 512;
// DietPi's images for boards other than the Raspberry Pi: the root partition from 4 MiB.
constexpr qint64 RootOffset = 8192 * 512;

using Sh = HivelabTest::ShellRun;

Sh sh(const QString &command)
{
    return HivelabTest::cardShell(command);
}

const char *const kLab = R"({"format": "hivelab-lab", "schemaVersion": 1, "name": "cards",
    "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
                "poolStart": "10.77.0.10", "loginUser": "hive", "timezone": "Europe/Berlin",
                "locale": "C.UTF-8"},
    "boards": [
        {"id": "node-1", "hostname": "node-1", "addressing": "static"},
        {"id": "node-2", "hostname": "node-2", "addressing": "static", "ip": "10.77.0.10"},
        {"id": "bad", "hostname": "bad", "addressing": "static", "ip": "10.77.0.1"}]})";

} // namespace

class TestCmdCard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
    QString m_key;
    QString m_loop;
    QStringList m_loops; // attachLoop()
    bool m_keychain = false;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// A 40 MiB card image: FAT16 boot partition at 1 MiB (16 MiB), Linux partition after it.
    QString makeImage(const QString &name, bool withFat = true)
    {
        const QString img = path(name);
        const QString table =
            withFat ? QStringLiteral("2048,32768,c\\n,,83") : QStringLiteral("2048,,83");
        Sh r = sh(QStringLiteral("truncate -s 40M %1 && printf 'label: dos\\n%2\\n' | sfdisk -q %1")
                      .arg(img, table));
        if (r.exitCode != 0)
            qWarning("%s", r.out.constData());
        if (withFat)
            r = sh(QStringLiteral("mkfs.fat -F 16 -n BOOT --offset 2048 %1 16384").arg(img));
        return r.exitCode == 0 ? img : QString();
    }

    /// A card shaped like DietPi's images for the Pine64 and other boards without a FAT boot
    /// partition (DietPi's .build/images/dietpi-build: MBR, one ext4 root partition from 4 MiB):
    /// /boot/other.txt, and /boot/dietpi.txt (mode 0640, owner 1234:4321) unless `dietpiTxt`
    /// is null.
    QString makeExtImage(const QString &name, const QByteArray &dietpiTxt)
    {
        const QString img = path(name);
        const QString root = path(name + QStringLiteral(".root"));
        if (!QDir().mkpath(root + QStringLiteral("/boot")))
            return {};
        QFile other(root + QStringLiteral("/boot/other.txt"));
        if (!other.open(QIODevice::WriteOnly) || other.write("left alone\n") != 11)
            return {};
        other.close();
        if (!dietpiTxt.isNull()) {
            QFile f(root + QStringLiteral("/boot/dietpi.txt"));
            if (!f.open(QIODevice::WriteOnly) || f.write(dietpiTxt) != dietpiTxt.size())
                return {};
        }
        Sh r = sh(QStringLiteral("truncate -s 64M %1 && printf 'label: dos\\n8192,,83\\n' | "
                                 "sfdisk -q %1 && mkfs.ext4 -q -E offset=%2 -d %3 %1 60M")
                      .arg(img)
                      .arg(RootOffset)
                      .arg(root));
        if (r.exitCode == 0 && !dietpiTxt.isNull()) {
            for (const char *field : {"mode 0100640", "uid 1234", "gid 4321"}) {
                r = sh(QStringLiteral("debugfs -w -R 'sif /boot/dietpi.txt %1' '%2?offset=%3'")
                           .arg(QLatin1String(field), img)
                           .arg(RootOffset));
            }
        }
        if (r.exitCode != 0)
            qWarning("%s", r.out.constData());
        return r.exitCode == 0 ? img : QString();
    }

    QByteArray extCat(const QString &img, const QString &file)
    {
        return sh(QStringLiteral("debugfs -R 'cat %1' '%2?offset=%3' 2>/dev/null")
                      .arg(file, img)
                      .arg(RootOffset))
            .out;
    }

    QByteArray fileSha(const QString &file)
    {
        QFile f(file);
        QCryptographicHash h(QCryptographicHash::Sha256);
        return f.open(QIODevice::ReadOnly) && h.addData(&f) ? h.result() : QByteArray();
    }

    QByteArray fileBytes(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// What the keychain holds for `account` (the CLI's service, "Hivelab"); empty when nothing.
    QString keychainSecret(const QString &account)
    {
        Hivelab::CredentialStore store;
        QSignalSpy read(&store, &Hivelab::CredentialStore::secretRead);
        QSignalSpy failed(&store, &Hivelab::CredentialStore::failed);
        store.read(account);
        if (!QTest::qWaitFor([&] { return read.count() + failed.count() > 0; }, 10000) ||
            read.isEmpty())
            return {};
        return read.first().at(1).toString();
    }

    /// Stores or removes an entry of the CLI's service; true once the keychain said so.
    bool keychainChange(const std::function<void(Hivelab::CredentialStore &)> &call)
    {
        Hivelab::CredentialStore store;
        QSignalSpy stored(&store, &Hivelab::CredentialStore::stored);
        QSignalSpy removed(&store, &Hivelab::CredentialStore::removed);
        QSignalSpy failed(&store, &Hivelab::CredentialStore::failed);
        call(store);
        return QTest::qWaitFor(
                   [&] { return stored.count() + removed.count() + failed.count() > 0; }, 30000) &&
               failed.isEmpty() && (removed.count() == 1 || stored.value(0).value(1).toBool());
    }

    /// The keychain the CLI will use answers (gnome-keyring of tests/test-session.sh).
    bool keychainWorks()
    {
        Hivelab::CredentialStore store;
        QSignalSpy changed(&store, &Hivelab::CredentialStore::backendChanged);
        store.probe();
        return changed.wait(10000) && store.isPersistent();
    }

    static QString passwordIn(const QByteArray &dietpiTxt)
    {
        static const QRegularExpression line(
            QStringLiteral("(?m)^[ \\t]*AUTO_SETUP_GLOBAL_PASSWORD=(.*)$"));
        return line.match(QString::fromUtf8(dietpiTxt)).captured(1);
    }

    /// The CLI's environment without a D-Bus session: no keychain.
    QProcessEnvironment withoutKeychain() const
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + path(QStringLiteral("no-bus")));
        return env;
    }

    CliRun hivelab(const QStringList &args)
    {
        return HivelabTest::runHivelab(args, m_env, {}, 60000);
    }

    QByteArray mtype(const QString &target, const QString &file)
    {
        return sh(QStringLiteral("mtype -i %1@@%2 ::/%3").arg(target).arg(BootOffset).arg(file))
            .out;
    }

    QJsonObject board(const QString &lab, int i)
    {
        QFile f(lab);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll())
            .object()
            .value(QLatin1String("boards"))
            .toArray()
            .at(i)
            .toObject();
    }

    /// A loop device over `img`, detached by cleanupTestCase(); empty without root.
    QString attachLoop(const QString &img)
    {
        if (::geteuid() != 0)
            return {};
        const QString loop =
            QString::fromLatin1(sh(QStringLiteral("losetup -f --show ") + img).out.trimmed());
        if (!loop.startsWith(QLatin1String("/dev/loop")))
            return {};
        m_loops << loop;
        return loop;
    }

    /// Runs `args` with `sfdisk` (the card step's first read of the card) held at a gate in
    /// `dir`, no keychain and a TMPDIR of its own (dir/tmp). While sfdisk waits there, Ctrl-C
    /// (SIGINT), and once the command said it stops, Ctrl-C again; once it said so again, or
    /// ended, the gate opens.
    CliRun interruptWhileReading(const QStringList &args, const QString &dir)
    {
        CliRun r;
        const QString sfdisk = QStandardPaths::findExecutable(QStringLiteral("sfdisk"));
        const QString gate = dir + QStringLiteral("/go");
        QFile script(dir + QStringLiteral("/sfdisk"));
        if (sfdisk.isEmpty() || !QDir().mkpath(dir + QStringLiteral("/tmp")) ||
            ::mkfifo(QFile::encodeName(gate).constData(), 0600) != 0 ||
            !script.open(QIODevice::WriteOnly) ||
            script.write(QStringLiteral("#!/bin/sh\nif [ ! -e %1/reading ]; then : >%1/reading; "
                                        "read _ <%2; fi\nexec %3 \"$@\"\n")
                             .arg(dir, gate, sfdisk)
                             .toUtf8()) < 0 ||
            !script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner))
            return r;
        script.close();
        QProcessEnvironment env = withoutKeychain();
        env.insert(QStringLiteral("PATH"), dir + ':' + env.value(QStringLiteral("PATH")));
        env.insert(QStringLiteral("TMPDIR"), dir + QStringLiteral("/tmp"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(qEnvironmentVariable("HIVELAB_BIN"), args);
        if (!p.waitForStarted())
            return r;
        const pid_t pid = pid_t(p.processId());
        const auto ended = [&p] { return p.state() == QProcess::NotRunning; };
        const auto said = [&](const char *what) {
            return QTest::qWaitFor(
                [&] {
                    r.err += p.readAllStandardError();
                    return r.err.contains(what) || ended();
                },
                60000);
        };
        const bool held = QTest::qWaitFor(
            [&] { return QFile::exists(dir + QStringLiteral("/reading")) || ended(); }, 60000);
        if (held && !ended()) {
            ::kill(pid, SIGINT);
            if (said("Interrupted") && !ended()) {
                ::kill(pid, SIGINT);
                said("Still stopping");
            }
        }
        // Open the gate, whatever happened (a held sfdisk would wait for ever): a writer opens
        // without blocking once sfdisk's shell has the FIFO open for reading.
        const bool opened = QTest::qWaitFor(
            [&] {
                const int fd = ::open(QFile::encodeName(gate).constData(), O_WRONLY | O_NONBLOCK);
                if (fd < 0)
                    return !QFile::exists(dir + QStringLiteral("/reading"));
                const bool sent = ::write(fd, "\n", 1) == 1;
                ::close(fd);
                return sent;
            },
            60000);
        if (!opened)
            qWarning("the gate at %s did not open", qPrintable(gate));
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err += p.readAllStandardError();
        return r;
    }

    QString writeLab(const QString &name)
    {
        QFile f(path(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(kLab);
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const char *tool : {"mcopy", "mtype", "mmove", "mdel", "sfdisk", "mkfs.fat",
                                 "fsck.fat", "mkfs.ext4", "debugfs", "e2fsck"}) {
            if (sh(QStringLiteral("command -v ") + QLatin1String(tool)).exitCode != 0)
                QSKIP("mtools, fdisk, dosfstools or e2fsprogs missing");
        }
        m_keychain = keychainWorks();
        m_key = path(QStringLiteral("id_ed25519"));
        QCOMPARE(sh(QStringLiteral("ssh-keygen -q -t ed25519 -N '' -C card-test -f %1").arg(m_key))
                     .exitCode,
                 0);
        m_env.insert(QStringLiteral("HOME"), m_dir.path());
    }

    void cleanupTestCase()
    {
        if (!m_loop.isEmpty())
            sh(QStringLiteral("losetup -d ") + m_loop);
        for (const QString &loop : std::as_const(m_loops))
            sh(QStringLiteral("losetup -d ") + loop);
    }

    void preparesAnImageForCloudInit()
    {
        const QString img = makeImage(QStringLiteral("cloud.img"));
        QVERIFY(!img.isEmpty());
        const QString lab = writeLab(QStringLiteral("cloud.hivelab"));
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-1"), QStringLiteral("--image"), img,
                                  QStringLiteral("--key"), m_key, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        // .10 is node-2's: the next free address from poolStart on.
        QCOMPARE(report.value(QLatin1String("address")).toString(),
                 QStringLiteral("10.77.0.11/24"));
        QCOMPARE(report.value(QLatin1String("flavour")).toString(), QStringLiteral("cloud-init"));

        const QJsonObject planned = board(lab, 0);
        QCOMPARE(planned.value(QLatin1String("ip")).toString(), QStringLiteral("10.77.0.11"));
        const QString instance = planned.value(QLatin1String("firstBoot"))
                                     .toObject()
                                     .value(QLatin1String("instanceId"))
                                     .toString();
        QVERIFY(instance.startsWith(QLatin1String("hivelab-node-1-")));

        const QByteArray meta = mtype(img, QStringLiteral("meta-data"));
        QVERIFY2(meta.contains(instance.toUtf8()), meta.constData());
        const QByteArray user = mtype(img, QStringLiteral("user-data"));
        QVERIFY2(user.startsWith("#cloud-config\n"), user.constData());
        QVERIFY(user.contains("name: \"hive\""));
        QFile pub(m_key + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QVERIFY(user.contains(pub.readAll().trimmed()));
        QVERIFY(!user.contains("PRIVATE KEY"));
        QVERIFY(mtype(img, QStringLiteral("network-config")).contains("\"10.77.0.11/24\""));

        const Sh fsck = sh(QStringLiteral("dd if=%1 of=%1.p1 bs=1M skip=1 count=16 status=none && "
                                          "fsck.fat -n %1.p1")
                               .arg(img));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());

        // Preparing again: a new instance, so cloud-init runs again on that card.
        const CliRun again = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                      QStringLiteral("node-1"), QStringLiteral("--image"), img,
                                      QStringLiteral("--key"), m_key});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QString second = board(lab, 0)
                                   .value(QLatin1String("firstBoot"))
                                   .toObject()
                                   .value(QLatin1String("instanceId"))
                                   .toString();
        QVERIFY(second != instance);
        QVERIFY(mtype(img, QStringLiteral("meta-data")).contains(second.toUtf8()));
    }

    void editsDietPiInPlace()
    {
        const QString img = makeImage(QStringLiteral("dietpi.img"));
        QVERIFY(!img.isEmpty());
        QCOMPARE(sh(QStringLiteral("printf '# keep me\\nAUTO_SETUP_NET_HOSTNAME=DietPi\\n"
                                   "AUTO_SETUP_AUTOMATED=0\\n' > %1/dietpi.txt && "
                                   "mcopy -i %2@@%3 %1/dietpi.txt ::/dietpi.txt")
                        .arg(m_dir.path(), img)
                        .arg(BootOffset))
                     .exitCode,
                 0);
        if (!m_keychain)
            QSKIP("no keychain: run under tests/test-session.sh (gnome-keyring)");
        const QString lab = writeLab(QStringLiteral("dietpi.hivelab"));
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-2"), QStringLiteral("--image"), img,
                                  QStringLiteral("--key"), m_key});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray txt = mtype(img, QStringLiteral("dietpi.txt"));
        QVERIFY2(
            txt.startsWith("# keep me\nAUTO_SETUP_NET_HOSTNAME=node-2\nAUTO_SETUP_AUTOMATED=1\n"),
            txt.constData());
        QVERIFY(txt.contains("\nAUTO_SETUP_NET_STATIC_IP=10.77.0.10\n"));
        QVERIFY(txt.contains("\nAUTO_SETUP_SSH_PUBKEY=ssh-ed25519 "));
        QVERIFY(txt.contains("\nSOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1\n"));
        QVERIFY(mtype(img, QStringLiteral("user-data")).contains("not found"));
        // The console password on the card is the keychain's, and nowhere else.
        const QString password = keychainSecret(Hivelab::CredentialStore::secretKey(
            QStringLiteral("cards"), QStringLiteral("node-2"), QStringLiteral("root")));
        QCOMPARE(password.size(), 24);
        QCOMPARE(passwordIn(txt), password);
        QVERIFY2(r.out.contains("Console password for root and dietpi: in the keychain, service "
                                "Hivelab, account lab:cards/board:node-2/user:root/password."),
                 r.out.constData());
        for (const QByteArray &elsewhere : {r.out, r.err, fileBytes(lab)})
            QVERIFY(!elsewhere.contains(password.toLatin1()));
        // The plan's login user ("hive") does not exist on DietPi: the board logs in as dietpi.
        const QJsonArray boards =
            QJsonDocument::fromJson(fileBytes(lab)).object().value("boards").toArray();
        QCOMPARE(boards.at(1).toObject().value("sshUser").toString(), QStringLiteral("dietpi"));
    }

    void editsDietPiOnAnExt4Root()
    {
        if (!m_keychain)
            QSKIP("no keychain: run under tests/test-session.sh (gnome-keyring)");
        const QByteArray original = "# keep me\n"
                                    "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\n"
                                    "  AUTO_SETUP_NET_HOSTNAME=DietPi\n"
                                    "\t# an indented comment\n"
                                    "AUTO_SETUP_AUTOMATED=0\n"
                                    "SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=0\n"
                                    "CONFIG_KEEP=two  blanks, trailing blank \n";
        const QString img = makeExtImage(QStringLiteral("pine64.img"), original);
        QVERIFY(!img.isEmpty());
        const QString lab = writeLab(QStringLiteral("pine64.hivelab"));
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-2"), QStringLiteral("--image"), img,
                                  QStringLiteral("--key"), m_key, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(report.value(QLatin1String("flavour")).toString(), QStringLiteral("dietpi"));
        QCOMPARE(report.value(QLatin1String("files")).toArray(),
                 QJsonArray{QStringLiteral("/boot/dietpi.txt")});
        const QJsonObject console = report.value(QLatin1String("consolePassword")).toObject();
        QVERIFY(console.value(QLatin1String("kept")).toBool());
        QCOMPARE(console.value(QLatin1String("keychainService")).toString(),
                 QStringLiteral("Hivelab"));
        const QString password =
            keychainSecret(console.value(QLatin1String("keychainAccount")).toString());
        QCOMPARE(password.size(), 24);

        // Exactly the lines DietPi reads changed; every other byte as it was; the rest appended.
        const QByteArray txt = extCat(img, QStringLiteral("/boot/dietpi.txt"));
        const QByteArray expected = "# keep me\n"
                                    "AUTO_SETUP_GLOBAL_PASSWORD=" +
                                    password.toLatin1() +
                                    "\n"
                                    "  AUTO_SETUP_NET_HOSTNAME=node-2\n"
                                    "\t# an indented comment\n"
                                    "AUTO_SETUP_AUTOMATED=1\n"
                                    "SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1\n"
                                    "CONFIG_KEEP=two  blanks, trailing blank \n";
        QVERIFY2(txt.startsWith(expected), txt.constData());
        QVERIFY(txt.mid(expected.size()).contains("AUTO_SETUP_NET_STATIC_IP=10.77.0.10\n"));
        QVERIFY(txt.mid(expected.size()).contains("AUTO_SETUP_SSH_PUBKEY=ssh-ed25519 "));

        // Owner and mode kept, the neighbour untouched, no staged file left, e2fsck clean.
        const QByteArray stat = sh(QStringLiteral("debugfs -R 'stat /boot/dietpi.txt' "
                                                  "'%1?offset=%2' 2>/dev/null")
                                       .arg(img)
                                       .arg(RootOffset))
                                    .out;
        QVERIFY2(stat.contains("Type: regular    Mode:  0640"), stat.constData());
        QVERIFY2(QRegularExpression(QStringLiteral("User:\\s+1234\\s+Group:\\s+4321\\b"))
                     .match(QString::fromLatin1(stat))
                     .hasMatch(),
                 stat.constData());
        QCOMPARE(extCat(img, QStringLiteral("/boot/other.txt")), QByteArray("left alone\n"));
        const QByteArray listing =
            sh(QStringLiteral("debugfs -R 'ls /boot' '%1?offset=%2' 2>/dev/null")
                   .arg(img)
                   .arg(RootOffset))
                .out;
        QVERIFY2(listing.contains("dietpi.txt") && !listing.contains(".hivelab-"),
                 listing.constData());
        const Sh fsck = sh(QStringLiteral("e2fsck -fn '%1?offset=%2'").arg(img).arg(RootOffset));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());
        for (const QByteArray &elsewhere : {r.out, r.err, fileBytes(lab)})
            QVERIFY(!elsewhere.contains(password.toLatin1()));

        // Prepared again: the file is replaced once more, still one inode, still clean.
        const CliRun again = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                      QStringLiteral("node-2"), QStringLiteral("--image"), img,
                                      QStringLiteral("--key"), m_key});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QString second =
            keychainSecret(console.value(QLatin1String("keychainAccount")).toString());
        QVERIFY(second != password);
        QCOMPARE(passwordIn(extCat(img, QStringLiteral("/boot/dietpi.txt"))), second);
        QCOMPARE(sh(QStringLiteral("e2fsck -fn '%1?offset=%2'").arg(img).arg(RootOffset)).exitCode,
                 0);
    }

    void refusesAnExt4RootWithoutDietPiTxt()
    {
        // An ext4-only card that is not DietPi (e.g. Armbian without cloud-init).
        const QString img = makeExtImage(QStringLiteral("armbian.img"), QByteArray());
        QVERIFY(!img.isEmpty());
        const QByteArray before = fileSha(img);
        const QString lab = writeLab(QStringLiteral("armbian.hivelab"));
        const QByteArray labBefore = fileBytes(lab);
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-1"), QStringLiteral("--image"), img,
                                  QStringLiteral("--key"), m_key});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no FAT boot partition") && r.err.contains("dietpi.txt"),
                 r.err.constData());
        QCOMPARE(fileSha(img), before);
        QCOMPARE(fileBytes(lab), labBefore);
    }

    void withoutDebugfs()
    {
        // PATH with the partition and FAT tools only.
        const QString bin = path(QStringLiteral("no-debugfs"));
        QVERIFY(QDir().mkpath(bin));
        for (const char *tool : {"sfdisk", "mcopy", "mtype", "mmove", "mdel"}) {
            QCOMPARE(
                sh(QStringLiteral("ln -s \"$(command -v %1)\" %2/%1").arg(QLatin1String(tool), bin))
                    .exitCode,
                0);
        }
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("PATH"), bin);

        // A DietPi card on ext4 cannot be read: the error says what to install, nothing changes.
        const QString dietpi =
            makeExtImage(QStringLiteral("nodebugfs.img"), "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\n");
        QVERIFY(!dietpi.isEmpty());
        const QByteArray before = fileSha(dietpi);
        const QString lab = writeLab(QStringLiteral("nodebugfs.hivelab"));
        CliRun r = HivelabTest::runHivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                            QStringLiteral("node-1"), QStringLiteral("--image"),
                                            dietpi, QStringLiteral("--key"), m_key},
                                           env, {}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("install e2fsprogs"), r.err.constData());
        QCOMPARE(fileSha(dietpi), before);

        // A cloud-init card with an ext4 root needs no debugfs: written as before.
        const QString cloud = makeImage(QStringLiteral("cloud-ext4.img"));
        QVERIFY(!cloud.isEmpty());
        QCOMPARE(sh(QStringLiteral("mkfs.ext4 -q -E offset=%1 %2 20M").arg(34816 * 512).arg(cloud))
                     .exitCode,
                 0);
        r = HivelabTest::runHivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                     QStringLiteral("node-1"), QStringLiteral("--image"), cloud,
                                     QStringLiteral("--key"), m_key},
                                    env, {}, 60000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(mtype(cloud, QStringLiteral("user-data")).startsWith("#cloud-config\n"));
        // With debugfs, its root (no dietpi.txt) is looked at and the card stays cloud-init.
        r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                     QStringLiteral("node-1"), QStringLiteral("--image"), cloud,
                     QStringLiteral("--key"), m_key, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"flavour\": \"cloud-init\""), r.out.constData());
        QCOMPARE(
            sh(QStringLiteral("e2fsck -fn '%1?offset=%2'").arg(cloud).arg(34816 * 512)).exitCode,
            0);
    }

    void refusesDietPiWithoutAKeychain()
    {
        const QString img =
            makeExtImage(QStringLiteral("nokeychain.img"), "AUTO_SETUP_GLOBAL_PASSWORD=dietpi\n");
        QVERIFY(!img.isEmpty());
        const QByteArray before = fileSha(img);
        const QString lab = writeLab(QStringLiteral("nokeychain.hivelab"));
        const QByteArray labBefore = fileBytes(lab);
        const QProcessEnvironment env = withoutKeychain();
        const QStringList args = {QStringLiteral("card"),
                                  QStringLiteral("prepare"),
                                  lab,
                                  QStringLiteral("node-1"),
                                  QStringLiteral("--image"),
                                  img,
                                  QStringLiteral("--key"),
                                  m_key,
                                  QStringLiteral("--json")};
        CliRun r = HivelabTest::runHivelab(args, env, {}, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("No keychain") && r.err.contains("--no-console-password"),
                 r.err.constData());
        QCOMPARE(fileSha(img), before);
        QCOMPARE(fileBytes(lab), labBefore);

        // Asked for: a random password nobody is told, still never DietPi's default.
        r = HivelabTest::runHivelab(args + QStringList{QStringLiteral("--no-console-password")},
                                    env, {}, 60000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject console = QJsonDocument::fromJson(r.out)
                                        .object()
                                        .value(QLatin1String("consolePassword"))
                                        .toObject();
        QCOMPARE(console.value(QLatin1String("kept")), QJsonValue(false));
        QVERIFY(!console.contains(QLatin1String("keychainAccount")));
        const QByteArray txt = extCat(img, QStringLiteral("/boot/dietpi.txt"));
        const QString password = passwordIn(txt);
        QCOMPARE(password.size(), 24);
        QVERIFY(!r.out.contains(password.toLatin1()) && !r.err.contains(password.toLatin1()));
    }

    // dietpi.txt cannot be written (a full FAT) after the new password went to the keychain:
    // what was there before comes back, an entry or none, and the lab file is unchanged.
    void aFailedDietPiCardGetsTheOldEntryBack()
    {
        if (!m_keychain)
            QSKIP("no keychain: run under tests/test-session.sh (gnome-keyring)");
        const QString img = makeImage(QStringLiteral("full-dietpi.img"));
        QVERIFY(!img.isEmpty());
        QFile txt(path(QStringLiteral("full-dietpi.txt")));
        QVERIFY(txt.open(QIODevice::WriteOnly));
        txt.write("AUTO_SETUP_GLOBAL_PASSWORD=dietpi\n# " + QByteArray(1900, 'x') + "\n");
        txt.close();
        QCOMPARE(sh(QStringLiteral("mcopy -i %1@@%2 %3 ::/dietpi.txt")
                        .arg(img)
                        .arg(BootOffset)
                        .arg(txt.fileName()))
                     .exitCode,
                 0);
        const QByteArray txtBefore = fileBytes(txt.fileName());
        QVERIFY(HivelabTest::fillFat(img, BootOffset));
        const QString lab = writeLab(QStringLiteral("full-dietpi.hivelab"));
        const QByteArray labBefore = fileBytes(lab);
        const QString account = Hivelab::CredentialStore::secretKey(
            QStringLiteral("cards"), QStringLiteral("node-2"), QStringLiteral("root"));
        const QStringList args = {QStringLiteral("card"),
                                  QStringLiteral("prepare"),
                                  lab,
                                  QStringLiteral("node-2"),
                                  QStringLiteral("--image"),
                                  img,
                                  QStringLiteral("--key"),
                                  m_key};
        QVERIFY(keychainChange([&](Hivelab::CredentialStore &s) { s.store(account, "old-one"); }));
        CliRun r = hivelab(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Disk full"), r.err.constData());
        QCOMPARE(keychainSecret(account), QStringLiteral("old-one"));
        QCOMPARE(fileBytes(lab), labBefore);
        // The card keeps its dietpi.txt as it was (the new one did not fit beside it).
        const Sh card = sh(QStringLiteral("mtype -i %1@@%2 ::/dietpi.txt; mdir -b -i %1@@%2 ::/")
                               .arg(img)
                               .arg(BootOffset));
        QVERIFY2(card.out.startsWith(txtBefore), card.out.constData());
        QVERIFY2(!card.out.contains(".hivelab-new"), card.out.constData());

        QVERIFY(keychainChange([&](Hivelab::CredentialStore &s) { s.remove(account); }));
        r = hivelab(args);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(keychainSecret(account), QString());
    }

    void writesRaspberryPiOsFirstRun()
    {
        // A Raspberry Pi OS 12 boot partition: cmdline.txt (one line), no cloud-init seed.
        const QString img = makeImage(QStringLiteral("raspios.img"));
        QVERIFY(!img.isEmpty());
        const QByteArray cmdline = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 "
                                   "rootfstype=ext4 fsck.repair=yes rootwait quiet "
                                   "init=/usr/lib/raspberrypi-sys-mods/firstboot\n";
        QFile c(path(QStringLiteral("cmdline.txt")));
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write(cmdline);
        c.close();
        QCOMPARE(sh(QStringLiteral("mcopy -i %1@@%2 %3 ::/cmdline.txt")
                        .arg(img)
                        .arg(BootOffset)
                        .arg(c.fileName()))
                     .exitCode,
                 0);
        const QString lab = writeLab(QStringLiteral("raspios.hivelab"));
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-2"), QStringLiteral("--image"), img,
                                  QStringLiteral("--key"), m_key, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"raspios-userconf\""), r.out.constData());
        QCOMPARE(mtype(img, QStringLiteral("cmdline.txt")),
                 cmdline.chopped(1) + " systemd.run=/boot/firmware/firstrun.sh "
                                      "systemd.run_success_action=reboot "
                                      "systemd.unit=kernel-command-line.target\n");
        QCOMPARE(mtype(img, QStringLiteral("ssh")), QByteArray());
        const QByteArray userconf = mtype(img, QStringLiteral("userconf.txt"));
        QVERIFY2(userconf.startsWith("hive:$6$") && userconf.endsWith("\n") &&
                     userconf.count(':') == 1,
                 userconf.constData());
        const QByteArray firstrun = mtype(img, QStringLiteral("firstrun.sh"));
        QVERIFY(firstrun.contains("set_hostname 'node-2'"));
        QVERIFY(firstrun.contains("address1=10.77.0.10/24,10.77.0.1\n"));
        QFile pub(m_key + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QVERIFY(firstrun.contains("'" + pub.readAll().trimmed() + "'"));
        QVERIFY(mtype(img, QStringLiteral("user-data")).contains("not found"));
        const Sh fsck = sh(QStringLiteral("dd if=%1 of=%1.p1 bs=1M skip=1 count=16 status=none && "
                                          "fsck.fat -n %1.p1")
                               .arg(img));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());
    }

    void refusesWithoutChangingAnything()
    {
        const QString lab = writeLab(QStringLiteral("refuse.hivelab"));
        QFile f(lab);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();

        const QString noFat = makeImage(QStringLiteral("nofat.img"), false);
        QVERIFY(!noFat.isEmpty());
        CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                            QStringLiteral("node-1"), QStringLiteral("--image"), noFat,
                            QStringLiteral("--key"), m_key});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no FAT boot partition"), r.err.constData());

        const QString img = makeImage(QStringLiteral("refuse.img"));
        r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab, QStringLiteral("bad"),
                     QStringLiteral("--image"), img, QStringLiteral("--key"), m_key});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("gateway"), r.err.constData());
        QVERIFY(mtype(img, QStringLiteral("user-data")).contains("not found"));

        r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                     QStringLiteral("node-1"), QStringLiteral("--image"), img,
                     QStringLiteral("--key"), path(QStringLiteral("missing"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("No SSH public key"), r.err.constData());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void generatesAKeyWhenThereIsNone()
    {
        // HOME is the test's folder: no ~/.ssh key yet, so one is made with OpenSSH's modes.
        const QString img = makeImage(QStringLiteral("newkey.img"));
        const QString lab = writeLab(QStringLiteral("newkey.hivelab"));
        const CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                                  QStringLiteral("node-2"), QStringLiteral("--image"), img});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString key = path(QStringLiteral(".ssh/id_ed25519"));
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(key).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(::stat(QFile::encodeName(key + QStringLiteral(".pub")).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0644u);
        QFile pub(key + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        QVERIFY(mtype(img, QStringLiteral("user-data")).contains(pub.readAll().trimmed()));
    }

    void sshServerChoice()
    {
        // The plan's firstBoot.sshServer reaches dietpi.txt; a card that cannot honour Dropbear
        // (cloud-init) is refused, and neither the card nor the lab file changes.
        QString lab = writeLab(QStringLiteral("dropbear.hivelab"));
        QFile f(lab);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray json = f.readAll();
        json.replace(R"("id": "node-2", "hostname": "node-2", "addressing": "static",)",
                     R"("id": "node-2", "hostname": "node-2", "addressing": "static",
                        "firstBoot": {"sshServer": "dropbear"},)");
        QVERIFY(json.contains("dropbear"));
        QVERIFY(f.resize(0));
        QVERIFY(f.write(json) == json.size());
        f.close();

        const QString dietpi = makeImage(QStringLiteral("dropbear-dietpi.img"));
        QCOMPARE(sh(QStringLiteral("printf 'AUTO_SETUP_SSH_SERVER_INDEX=-2\\n' > %1/d.txt && "
                                   "mcopy -i %2@@%3 %1/d.txt ::/dietpi.txt")
                        .arg(m_dir.path(), dietpi)
                        .arg(BootOffset))
                     .exitCode,
                 0);
        CliRun r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                            QStringLiteral("node-2"), QStringLiteral("--image"), dietpi,
                            QStringLiteral("--key"), m_key});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(mtype(dietpi, QStringLiteral("dietpi.txt"))
                     .startsWith("AUTO_SETUP_SSH_SERVER_INDEX=-1\n"),
                 mtype(dietpi, QStringLiteral("dietpi.txt")).constData());
        QCOMPARE(board(lab, 1)
                     .value(QLatin1String("firstBoot"))
                     .toObject()
                     .value(QLatin1String("sshServer"))
                     .toString(),
                 QStringLiteral("dropbear"));

        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        const QString cloud = makeImage(QStringLiteral("dropbear-cloud.img"));
        r = hivelab({QStringLiteral("card"), QStringLiteral("prepare"), lab,
                     QStringLiteral("node-2"), QStringLiteral("--image"), cloud,
                     QStringLiteral("--key"), m_key});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("Dropbear") && r.err.contains("cloud-init"), r.err.constData());
        QVERIFY(mtype(cloud, QStringLiteral("user-data")).contains("not found"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    // Ctrl-C while a DietPi card is read (to tell its flavour, before the keychain is asked),
    // and again meanwhile: the job is cancelled, the command stops before writing (130), and
    // the card and the lab file are unchanged.
    void prepareStopsOnCtrlC()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a loop device");
        const QString img = makeImage(QStringLiteral("ctrlc-dietpi.img"));
        QVERIFY(!img.isEmpty());
        QCOMPARE(sh(QStringLiteral("printf 'AUTO_SETUP_GLOBAL_PASSWORD=dietpi\\n' | "
                                   "mcopy -i %1@@%2 - ::/dietpi.txt")
                        .arg(img)
                        .arg(BootOffset))
                     .exitCode,
                 0);
        const QString card = attachLoop(img);
        QVERIFY(!card.isEmpty());
        const QByteArray before = fileSha(img);
        const QString lab = writeLab(QStringLiteral("ctrlc.hivelab"));
        const QByteArray labBefore = fileBytes(lab);
        const QString dir = path(QStringLiteral("ctrlc"));
        const CliRun r = interruptWhileReading(
            {QStringLiteral("card"), QStringLiteral("prepare"), lab, QStringLiteral("node-1"),
             QStringLiteral("--device"), card, QStringLiteral("--key"), m_key},
            dir);
        QVERIFY2(r.exitCode == 130, r.err.constData());
        QVERIFY2(r.err.contains("Still stopping") &&
                     r.err.contains("Interrupted before writing: nothing was written."),
                 r.err.constData());
        QCOMPARE(
            QDir(dir + QStringLiteral("/tmp")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
            QStringList());
        QCOMPARE(fileSha(img), before);
        QCOMPARE(fileBytes(lab), labBefore);
    }

    // Ctrl-C while a cloud-init card is read before it is written, and again meanwhile: the
    // card is finished, never half written, and the lab file records its instance.
    void prepareFinishesTheCardOnCtrlC()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a loop device");
        const QString img = makeImage(QStringLiteral("ctrlc-cloud.img"));
        QVERIFY(!img.isEmpty());
        const QString card = attachLoop(img);
        QVERIFY(!card.isEmpty());
        const QString lab = writeLab(QStringLiteral("ctrlc-cloud.hivelab"));
        const QString dir = path(QStringLiteral("ctrlc-cloud"));
        const CliRun r = interruptWhileReading(
            {QStringLiteral("card"), QStringLiteral("prepare"), lab, QStringLiteral("node-1"),
             QStringLiteral("--device"), card, QStringLiteral("--key"), m_key},
            dir);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("Interrupted: stopping after the step running now") &&
                     r.err.contains("Still stopping"),
                 r.err.constData());
        QCOMPARE(
            QDir(dir + QStringLiteral("/tmp")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
            QStringList());
        const QString instance = board(lab, 0)
                                     .value(QLatin1String("firstBoot"))
                                     .toObject()
                                     .value(QLatin1String("instanceId"))
                                     .toString();
        QVERIFY(instance.startsWith(QLatin1String("hivelab-node-1-")));
        QVERIFY(mtype(card, QStringLiteral("meta-data")).contains(instance.toUtf8()));
    }

    void flashesALoopDeviceWithItsIdentity()
    {
        if (::geteuid() != 0)
            QSKIP("needs root for a loop device");
        const QString source = makeImage(QStringLiteral("os.img"));
        QVERIFY(!source.isEmpty());
        QCOMPARE(
            sh(QStringLiteral("truncate -s 64M %1").arg(path(QStringLiteral("card")))).exitCode, 0);
        m_loop = QString::fromLatin1(
            sh(QStringLiteral("losetup -f --show %1").arg(path(QStringLiteral("card"))))
                .out.trimmed());
        QVERIFY(m_loop.startsWith(QLatin1String("/dev/loop")));
        const QString lab = writeLab(QStringLiteral("flash.hivelab"));
        const CliRun r = hivelab({QStringLiteral("flash"), source, QStringLiteral("--device"),
                                  m_loop, QStringLiteral("--yes"), QStringLiteral("--lab"), lab,
                                  QStringLiteral("--board"), QStringLiteral("node-1"),
                                  QStringLiteral("--key"), m_key, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray prepared =
            QJsonDocument::fromJson(r.out).object().value(QLatin1String("firstBoot")).toArray();
        QCOMPARE(prepared.size(), 1);
        const QString instance = board(lab, 0)
                                     .value(QLatin1String("firstBoot"))
                                     .toObject()
                                     .value(QLatin1String("instanceId"))
                                     .toString();
        QCOMPARE(prepared.at(0).toObject().value(QLatin1String("instanceId")).toString(), instance);
        QVERIFY(mtype(m_loop, QStringLiteral("meta-data")).contains(instance.toUtf8()));
        // fsck.fat on a read-only loop device over the boot partition alone.
        const Sh fsck = sh(QStringLiteral("p=$(losetup -f --show -r -o %1 --sizelimit %2 %3) && "
                                          "fsck.fat -n $p; rc=$?; losetup -d $p; exit $rc")
                               .arg(BootOffset)
                               .arg(16 * 1024 * 1024)
                               .arg(m_loop));
        QVERIFY2(fsck.exitCode == 0, fsck.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCmdCard)
#include "tst_cmd_card.moc"
