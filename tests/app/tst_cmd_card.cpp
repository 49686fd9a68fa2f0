// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab card prepare` and `hivelab flash --lab` on real FAT boot partitions: an image file
// (no root needed) and a loop device (root). Files are read back with mtools and the FAT is
// checked with fsck.fat -n.
#include "childprocess.h"
#include "hivelabrun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using HivelabTest::CliRun;

namespace {

constexpr qint64 BootOffset = 2048 * 512;

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
        for (const char *tool : {"mcopy", "mtype", "sfdisk", "mkfs.fat", "fsck.fat"}) {
            if (sh(QStringLiteral("command -v ") + QLatin1String(tool)).exitCode != 0)
                QSKIP("mtools, fdisk or dosfstools missing");
        }
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
        QVERIFY(mtype(img, QStringLiteral("user-data")).contains("not found"));
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
