// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab flash` as users run it, on real loop devices (root). The system-disk check runs with
// --dry-run on top of the refusal: nothing here ever opens this machine's disk for writing.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr qint64 MiB = 1 << 20;

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run hivelab(const QStringList &args,
            const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice()); // not a terminal: no questions asked
    p.start(qEnvironmentVariable("HIVELAB_BIN"), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray sh(const QString &command)
{
    QProcess p;
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), command});
    p.waitForFinished(60000);
    return p.readAllStandardOutput().trimmed();
}

QByteArray fileHead(const QString &path, qint64 size)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly | QIODevice::Unbuffered) ? f.read(size) : QByteArray();
}

} // namespace

class TestCmdFlash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_image;
    QString m_loop;

    /// The card's first 16 MiB hashed: a refused or interrupted run leaves them as they were.
    QByteArray cardHash() const
    {
        return QCryptographicHash::hash(fileHead(m_loop, 16 * MiB), QCryptographicHash::Sha256);
    }

    /// This process's environment without a D-Bus session: no keychain.
    QProcessEnvironment withoutKeychain() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=") + m_dir.filePath(QStringLiteral("no-bus")));
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0) {
            QTest::qSkip("needs root for loop devices", __FILE__, __LINE__);
            ::_exit(77);
        }
        m_image = m_dir.filePath(QStringLiteral("os.img"));
        QFile f(m_image);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray data(int(6 * MiB), '\0');
        QRandomGenerator(5).fillRange(reinterpret_cast<quint32 *>(data.data() + 2 * MiB), int(MiB / 4));
        data[0] = 'H';
        f.write(data);
        f.close();
        sh(QStringLiteral("head -c 16777216 /dev/urandom > %1/card && xz -k -T2 %2").arg(m_dir.path(), m_image));
        m_loop = QString::fromLatin1(sh(QStringLiteral("losetup -f --show %1/card").arg(m_dir.path())));
        QVERIFY(m_loop.startsWith(QLatin1String("/dev/loop")));
    }

    void cleanupTestCase()
    {
        if (!m_loop.isEmpty())
            sh(QStringLiteral("losetup -d ") + m_loop);
    }

    void listsLoopDevicesAndProtectsTheSystem()
    {
        const Run r = hivelab({QStringLiteral("flash"), QStringLiteral("--list-devices"), QStringLiteral("--all"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray drives = QJsonDocument::fromJson(r.out).array();
        bool sawLoop = false;
        for (const QJsonValue &v : drives) {
            const QJsonObject d = v.toObject();
            if (d.value(QLatin1String("path")).toString() == m_loop) {
                sawLoop = true;
                QVERIFY(d.value(QLatin1String("offered")).toBool());
            }
            if (d.value(QLatin1String("mountpoints")).toArray().contains(QStringLiteral("/")))
                QVERIFY(!d.value(QLatin1String("offered")).toBool());
        }
        QVERIFY2(sawLoop, r.out.constData());
    }

    void refusesTheSystemDisk()
    {
        const QByteArray root = sh(QStringLiteral("lsblk -n -o PKNAME \"$(findmnt -n -o SOURCE /)\" 2>/dev/null | head -1"));
        if (root.isEmpty())
            QSKIP("/ is not on a block device here");
        const QString disk = QStringLiteral("/dev/") + QString::fromLatin1(root);
        const Run r = hivelab({QStringLiteral("flash"), m_image, QStringLiteral("--device"), disk, QStringLiteral("--dry-run"), QStringLiteral("--yes")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("Refusing to write"), r.err.constData());
    }

    void asksBeforeErasing()
    {
        const QByteArray before = fileHead(m_loop, MiB);
        const Run r = hivelab({QStringLiteral("flash"), m_image, QStringLiteral("--device"), m_loop});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--yes"), r.err.constData());
        QCOMPARE(fileHead(m_loop, MiB), before);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no device") << QStringList{"flash", "x.img"} << QByteArray("Usage");
        QTest::newRow("missing image") << QStringList{"flash", "/nonexistent.img", "--device", "/tmp/x"} << QByteArray("No image file");
        QTest::newRow("bad sha") << QStringList{"flash", "IMAGE", "--device", "/tmp/x", "--sha256", "abc"} << QByteArray("64 hex");
        // Downloads are tested in tst_cmd_image (a server on 127.0.0.1); nothing here goes out.
        QTest::newRow("ftp url") << QStringList{"flash", "ftp://127.0.0.1/x.img.xz", "--device", "/tmp/x"} << QByteArray("Only http:// and https://");
        QTest::newRow("unknown catalog image") << QStringList{"flash", "no-such-image", "--device", "/tmp/x"} << QByteArray("No image file or catalog image");
        QTest::newRow("folder") << QStringList{"flash", "IMAGE", "--device", "/tmp", "--yes"} << QByteArray("folder");
        QTest::newRow("twice") << QStringList{"flash", "IMAGE", "--device", "LOOP", "--device", "LOOP", "--yes"} << QByteArray("twice");
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        args.replaceInStrings(QStringLiteral("IMAGE"), m_image);
        args.replaceInStrings(QStringLiteral("LOOP"), m_loop);
        const Run r = hivelab(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
    }

    void writesAndVerifies()
    {
        const QByteArray expected = QCryptographicHash::hash(fileHead(m_image, 6 * MiB), QCryptographicHash::Sha256);
        const QByteArray fileSha = QCryptographicHash::hash(fileHead(m_image + QStringLiteral(".xz"), 64 * MiB), QCryptographicHash::Sha256).toHex();
        const Run r = hivelab({QStringLiteral("flash"), m_image + QStringLiteral(".xz"), QStringLiteral("--device"), m_loop, QStringLiteral("--yes"), QStringLiteral("--json"), QStringLiteral("--sha256"), QString::fromLatin1(fileSha)});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("format")).toString(), QStringLiteral("xz"));
        QCOMPARE(o.value(QLatin1String("sha256")).toString().toLatin1(), fileSha);
        const QJsonObject t = o.value(QLatin1String("targets")).toArray().first().toObject();
        QCOMPARE(t.value(QLatin1String("result")).toString(), QStringLiteral("done"));
        QCOMPARE(QCryptographicHash::hash(fileHead(m_loop, 6 * MiB), QCryptographicHash::Sha256), expected);
    }

    // A DietPi image (known from the file, raw or compressed) and no keychain for its console
    // password: refused before a byte of the card is erased, as `card prepare` refuses.
    void labRefusesDietPiWithoutAKeychainBeforeErasing_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("raw") << QString();
        QTest::newRow("xz") << QStringLiteral(".xz");
    }

    void labRefusesDietPiWithoutAKeychainBeforeErasing()
    {
        QFETCH(QString, suffix);
        const QString dietpi = m_dir.filePath(QStringLiteral("dietpi.img"));
        if (!QFile::exists(dietpi)) {
            QFile txt(m_dir.filePath(QStringLiteral("dietpi.txt")));
            QVERIFY(txt.open(QIODevice::WriteOnly));
            txt.write("AUTO_SETUP_GLOBAL_PASSWORD=dietpi\nAUTO_SETUP_NET_HOSTNAME=DietPi\n");
            txt.close();
            sh(QStringLiteral("truncate -s 12M %1 && printf 'label: dos\\n2048,16384,c\\n,,83\\n' "
                              "| sfdisk -q %1 && "
                              "mkfs.fat --offset 2048 %1 8192 >/dev/null && mcopy -i %1@@1048576 "
                              "%2 ::/dietpi.txt && xz -k -T2 %1")
                   .arg(dietpi, txt.fileName()));
            QVERIFY(QFile::exists(dietpi + QStringLiteral(".xz")));
            QFile lab(m_dir.filePath(QStringLiteral("lab.hivelab")));
            QVERIFY(lab.open(QIODevice::WriteOnly));
            lab.write(R"({"format": "hivelab-lab", "schemaVersion": 1, "name": "flashlab",
                "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "poolStart": "10.77.0.10",
                            "loginUser": "hive", "dns": ["10.77.0.1"], "locale": "C.UTF-8"},
                "boards": [{"id": "node-1", "hostname": "node-1", "addressing": "static"}]})");
            lab.close();
            sh(QStringLiteral("ssh-keygen -q -t ed25519 -N '' -C flash-test -f %1")
                   .arg(m_dir.filePath(QStringLiteral("id_ed25519"))));
        }
        const QString labFile = m_dir.filePath(QStringLiteral("lab.hivelab"));
        const QByteArray labBefore = fileHead(labFile, MiB);
        const QByteArray before = cardHash();
        QProcessEnvironment env = withoutKeychain();
        const QStringList args = {QStringLiteral("flash"),
                                  dietpi + suffix,
                                  QStringLiteral("--device"),
                                  m_loop,
                                  QStringLiteral("--yes"),
                                  QStringLiteral("--lab"),
                                  labFile,
                                  QStringLiteral("--board"),
                                  QStringLiteral("node-1"),
                                  QStringLiteral("--key"),
                                  m_dir.filePath(QStringLiteral("id_ed25519"))};
        Run r = hivelab(args, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("No keychain") && r.err.contains("nothing was written") &&
                     r.err.contains("--no-console-password"),
                 r.err.constData());
        QCOMPARE(cardHash(), before);
        QCOMPARE(fileHead(labFile, MiB), labBefore);

        // Asked for: a random password nobody is told; the card is written and prepared.
        r = hivelab(args + QStringList{QStringLiteral("--no-console-password")}, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("random and not kept"), r.out.constData());
        QVERIFY(fileHead(labFile, MiB) != labBefore);
        QFile lab(labFile);
        QVERIFY(lab.open(QIODevice::WriteOnly));
        lab.write(labBefore);
    }

    // Ctrl-C while the check before erasing decompresses a DietPi image (no keychain: it looks
    // whether the image needs one): the check stops, the command ends as interrupted (130),
    // the card and the lab file are unchanged and the scratch file is gone.
    void labCheckStopsOnCtrlC()
    {
        const QString labFile = m_dir.filePath(QStringLiteral("lab.hivelab"));
        if (!QFile::exists(labFile))
            QSKIP("needs labRefusesDietPiWithoutAKeychainBeforeErasing's lab and key");
        // A boot FAT of 1016 MiB (just under the check's 1 GiB limit) holding 300 MiB of data:
        // the decompression takes a while, and the check polls between MiBs.
        const QString big = m_dir.filePath(QStringLiteral("big-dietpi.img"));
        sh(QStringLiteral("truncate -s 1020M %1 && printf 'label: dos\\n2048,2080768,c\\n,,83\\n' "
                          "| sfdisk -q %1 && mkfs.fat -F 32 --offset 2048 %1 1040384 >/dev/null "
                          "2>&1 && export MTOOLS_SKIP_CHECK=1 && mcopy -i %1@@1048576 %2 "
                          "::/dietpi.txt && yes hivelab | head -c 300M | mcopy -i %1@@1048576 - "
                          "::/fill && gzip -1 %1")
               .arg(big, m_dir.filePath(QStringLiteral("dietpi.txt"))));
        QVERIFY(QFile::exists(big + QStringLiteral(".gz")));
        const QString scratch = m_dir.filePath(QStringLiteral("tmp"));
        QVERIFY(QDir().mkpath(scratch));
        const QByteArray labBefore = fileHead(labFile, MiB);
        const QByteArray before = cardHash();
        QProcessEnvironment env = withoutKeychain();
        env.insert(QStringLiteral("TMPDIR"), scratch);
        QProcess p;
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(qEnvironmentVariable("HIVELAB_BIN"),
                {QStringLiteral("flash"), big + QStringLiteral(".gz"), QStringLiteral("--device"),
                 m_loop, QStringLiteral("--yes"), QStringLiteral("--lab"), labFile,
                 QStringLiteral("--board"), QStringLiteral("node-1"), QStringLiteral("--key"),
                 m_dir.filePath(QStringLiteral("id_ed25519"))});
        QVERIFY(p.waitForStarted());
        // The decompression has made its scratch file: the check is unpacking.
        const auto unpacking = [&] {
            const QStringList dirs = QDir(scratch).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
            return !dirs.isEmpty() && QFile::exists(scratch + '/' + dirs.first() + "/head.img");
        };
        QTRY_VERIFY_WITH_TIMEOUT(unpacking() || p.state() == QProcess::NotRunning, 120000);
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(::kill(pid_t(p.processId()), SIGINT), 0);
        QVERIFY(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 130, err.constData());
        QVERIFY2(err.contains("Interrupted before writing"), err.constData());
        QCOMPARE(QDir(scratch).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
        QCOMPARE(cardHash(), before);
        QCOMPARE(fileHead(labFile, MiB), labBefore);
    }
};

QTEST_GUILESS_MAIN(TestCmdFlash)
#include "tst_cmd_flash.moc"
