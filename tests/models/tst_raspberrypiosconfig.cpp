// SPDX-License-Identifier: GPL-3.0-or-later
#include "raspberrypiosconfig.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

namespace {

BoardIdentity identity()
{
    BoardIdentity id;
    id.boardId = QStringLiteral("pi-2");
    id.hostname = QStringLiteral("pi-2");
    id.user = QStringLiteral("hive");
    id.addressing = Addressing::Static;
    id.address = QStringLiteral("192.168.1.22");
    id.prefixLength = 24;
    id.gateway = QStringLiteral("192.168.1.1");
    id.dns = {QStringLiteral("192.168.1.1"), QStringLiteral("9.9.9.9")};
    id.timezone = QStringLiteral("Europe/Berlin");
    return id;
}

// A Raspberry Pi OS 12 (bookworm) cmdline.txt as the image ships it.
const QByteArray Bookworm = "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 "
                            "rootfstype=ext4 fsck.repair=yes rootwait quiet "
                            "init=/usr/lib/raspberrypi-sys-mods/firstboot\n";
const QByteArray Tokens = "systemd.run=/boot/firmware/firstrun.sh "
                          "systemd.run_success_action=reboot "
                          "systemd.unit=kernel-command-line.target";

QByteArray run(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return "failed: " + p.readAllStandardError();
    return p.readAllStandardOutput();
}

} // namespace

class TestRaspberryPiOsConfig : public QObject
{
    Q_OBJECT
private slots:
    void cryptMatchesGlibc()
    {
        // The published test vector of the SHA-512 crypt specification.
        QCOMPARE(RaspberryPiOsConfig::cryptSha512("Hello world!", "saltstring"),
                 QByteArray("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJue"
                            "sI68u4OTLiBFdcbYEdFCoEOfaS35inz1"));
        // Salts are cut at 16 characters, as crypt(3) does.
        QCOMPARE(RaspberryPiOsConfig::cryptSha512("pw", "0123456789abcdefXYZ").left(20),
                 QByteArray("$6$0123456789abcdef$"));
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("no openssl to compare with");
        for (const QByteArray &pw :
             {QByteArray("x"), QByteArray(200, 'p'), QByteArray("with space:and colon\xc3\xa9")}) {
            const QByteArray ours = RaspberryPiOsConfig::cryptSha512(pw, "Ab./9zQ");
            QCOMPARE(ours + '\n',
                     run(QStringLiteral("openssl"),
                         {QStringLiteral("passwd"), QStringLiteral("-6"), QStringLiteral("-salt"),
                          QStringLiteral("Ab./9zQ"), QStringLiteral("-stdin")},
                         pw + '\n'));
        }
    }

    void userconfIsUserColonHash()
    {
        const QByteArray hash = RaspberryPiOsConfig::cryptSha512("secret", "s4lt");
        const QByteArray text = RaspberryPiOsConfig::userconf(QStringLiteral("hive"), hash);
        QVERIFY(text.endsWith('\n'));
        const QList<QByteArray> fields = text.trimmed().split(':');
        QCOMPARE(fields.size(), 2);
        QCOMPARE(fields.at(0), QByteArray("hive"));
        QCOMPARE(fields.at(1), hash);
        QVERIFY(!text.contains("secret"));
    }

    void cmdlineKeepsEveryOtherByte_data()
    {
        QTest::addColumn<QByteArray>("original");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("bookworm") << Bookworm << Bookworm.chopped(1) + ' ' + Tokens + '\n';
        QTest::newRow("no newline") << QByteArray("a=1  b=2") << QByteArray("a=1  b=2 ") + Tokens;
        QTest::newRow("crlf") << QByteArray("root=/dev/x quiet\r\n")
                              << QByteArray("root=/dev/x quiet ") + Tokens + "\r\n";
        QTest::newRow("trailing blank")
            << QByteArray("root=/dev/x \n\n") << QByteArray("root=/dev/x ") + Tokens + "\n\n";
        // fuzz_cmdline: with two blanks at the end, preparing again dropped one of them.
        QTest::newRow("two trailing blanks")
            << QByteArray("root=/dev/x  \n") << QByteArray("root=/dev/x  ") + Tokens + "\n";
        QTest::newRow("not UTF-8") << QByteArray("\xb4H root=/dev/x\f\n")
                                   << QByteArray("\xb4H root=/dev/x\f ") + Tokens + "\n";
        QTest::newRow("prepared before")
            << QByteArray("root=/dev/x quiet systemd.run=/boot/firstrun.sh "
                          "systemd.run_success_action=reboot "
                          "systemd.unit=kernel-command-line.target\n")
            << QByteArray("root=/dev/x quiet ") + Tokens + '\n';
    }
    void cmdlineKeepsEveryOtherByte()
    {
        QFETCH(QByteArray, original);
        QFETCH(QByteArray, expected);
        QByteArray out;
        QString error;
        QVERIFY2(RaspberryPiOsConfig::editCmdline(
                     original, QStringLiteral("/boot/firmware/firstrun.sh"), &out, &error),
                 qPrintable(error));
        QCOMPARE(out, expected);
        // Twice gives the same: a card prepared again carries the entries once.
        QByteArray again;
        QVERIFY(RaspberryPiOsConfig::editCmdline(out, QStringLiteral("/boot/firmware/firstrun.sh"),
                                                 &again, &error));
        QCOMPARE(again, out);
        // What the script's own clean-up (Imager's sed) leaves is the original line.
        QByteArray cleaned = out;
        cleaned.replace(QByteArray(" ") + Tokens, QByteArray());
        if (!original.contains("systemd.run") &&
            !original.left(original.indexOf('\n')).endsWith(' '))
            QCOMPARE(cleaned, original);
    }

    void cmdlineRefusesWhatIsNoKernelCommandLine()
    {
        QByteArray out = "untouched";
        QString error;
        QVERIFY(!RaspberryPiOsConfig::editCmdline("", QStringLiteral("/boot/firstrun.sh"), &out,
                                                  &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!RaspberryPiOsConfig::editCmdline(
            "root=/dev/x\nsecond line\n", QStringLiteral("/boot/firstrun.sh"), &out, &error));
        QCOMPARE(out, QByteArray("untouched"));
    }

    void bootMountPointByRelease()
    {
        QCOMPARE(RaspberryPiOsConfig::bootMountPoint(Bookworm), QStringLiteral("/boot/firmware"));
        QCOMPARE(RaspberryPiOsConfig::bootMountPoint(
                     "console=tty1 root=PARTUUID=x-02 init=/usr/lib/raspi-config/init_resize.sh\n"),
                 QStringLiteral("/boot"));
    }

    void firstRunScriptParsesAndCarriesTheIdentity()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty())
            QSKIP("no bash");
        const QStringList keys = {QStringLiteral("ssh-ed25519 AAAAC3Nza laptop"),
                                  QStringLiteral("ssh-ed25519 AAAAC3Nzb it's: mine")};
        const QByteArray script =
            RaspberryPiOsConfig::firstRunScript(identity(), keys, QStringLiteral("/boot/firmware"));
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("firstrun.sh")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(script);
        f.close();
        QCOMPARE(run(QStringLiteral("bash"), {QStringLiteral("-n"), f.fileName()}), QByteArray());
        QVERIFY(script.startsWith("#!/bin/bash\n"));
        QVERIFY(script.contains("imager_custom set_hostname 'pi-2'\n"));
        QVERIFY(script.contains("enable_ssh -k 'ssh-ed25519 AAAAC3Nza laptop' "
                                "'ssh-ed25519 AAAAC3Nzb it'\\''s: mine'\n"));
        QVERIFY(script.contains("address1=192.168.1.22/24,192.168.1.1\n"));
        QVERIFY(script.contains("dns=192.168.1.1;9.9.9.9;\n"));
        QVERIFY(script.contains("static ip_address=192.168.1.22/24\n"));
        QVERIFY(script.contains("set_timezone 'Europe/Berlin'"));
        QVERIFY(script.contains("rm -f '/boot/firmware'/firstrun.sh\n"));
        QVERIFY(script.contains("sed -i 's| systemd.run.*||g' '/boot/firmware'/cmdline.txt\n"));
        // The key lines the fallback branch writes, as the shell expands them.
        const QByteArray printed = run(
            QStringLiteral("bash"),
            {QStringLiteral("-c"), QStringLiteral("printf '%s\\n'") +
                                       QString::fromUtf8(script.mid(
                                           script.indexOf("enable_ssh -k") + 13,
                                           script.indexOf('\n', script.indexOf("enable_ssh -k")) -
                                               script.indexOf("enable_ssh -k") - 13))});
        QCOMPARE(printed, keys.join(QLatin1Char('\n')).toUtf8() + '\n');

        BoardIdentity dhcp = identity();
        dhcp.addressing = Addressing::Dhcp;
        dhcp.timezone.clear();
        const QByteArray plain =
            RaspberryPiOsConfig::firstRunScript(dhcp, keys, QStringLiteral("/boot"));
        QVERIFY(!plain.contains("NetworkManager"));
        QVERIFY(!plain.contains("timezone"));
        QVERIFY(plain.contains("rm -f '/boot'/firstrun.sh\n"));
    }
};

QTEST_GUILESS_MAIN(TestRaspberryPiOsConfig)
#include "tst_raspberrypiosconfig.moc"
