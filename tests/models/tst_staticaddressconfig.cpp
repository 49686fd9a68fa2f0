// SPDX-License-Identifier: GPL-3.0-or-later
#include "staticaddressconfig.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

namespace {

BoardIdentity identity()
{
    BoardIdentity id;
    id.boardId = QStringLiteral("node-1");
    id.addressing = Addressing::Static;
    id.address = QStringLiteral("192.168.1.23");
    id.prefixLength = 24;
    id.gateway = QStringLiteral("192.168.1.1");
    id.dns = {QStringLiteral("192.168.1.1"), QStringLiteral("9.9.9.9")};
    return id;
}

// What cloud-init 22.4's ifupdown renderer writes for a static card (Debian 12).
const QByteArray kCloudInit = "auto lo\n"
                              "iface lo inet loopback\n"
                              "\n"
                              "auto eth0\n"
                              "iface eth0 inet static\n"
                              "    address 10.77.0.101/24\n"
                              "    dns-nameservers 10.77.0.1\n"
                              "    post-up route add default gw 10.77.0.1 || true\n"
                              "    pre-down route del default gw 10.77.0.1 || true\n"
                              "\n"
                              "# keep me\n"
                              "iface eth0 inet6 auto\n";

int runShell(const QString &script, QByteArray *out = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    if (!p.waitForFinished(30000))
        return -1;
    if (out)
        *out = p.readAll();
    return p.exitCode();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TestStaticAddressConfig : public QObject
{
    Q_OBJECT
private slots:
    void ifupdownReplacesOnlyTheStanza()
    {
        bool found = false;
        const QByteArray out = StaticAddressConfig::ifupdownEdited(
            kCloudInit, QStringLiteral("eth0"), identity(), &found);
        QVERIFY(found);
        QCOMPARE(out, QByteArray("auto lo\n"
                                 "iface lo inet loopback\n"
                                 "\n"
                                 "auto eth0\n"
                                 "iface eth0 inet static\n"
                                 "    address 192.168.1.23/24\n"
                                 "    gateway 192.168.1.1\n"
                                 "    dns-nameservers 192.168.1.1 9.9.9.9\n"
                                 "\n"
                                 "# keep me\n"
                                 "iface eth0 inet6 auto\n"));
    }

    void ifupdownAppendsWhenMissing()
    {
        bool found = true;
        const QByteArray text = "auto lo\niface lo inet loopback"; // no final newline
        const QByteArray out =
            StaticAddressConfig::ifupdownEdited(text, QStringLiteral("end0"), identity(), &found);
        QVERIFY(!found);
        QVERIFY(out.startsWith(text + "\n\nauto end0\niface end0 inet static\n"));
        // An interface whose name only starts like another one's is not it.
        const QByteArray other = "iface eth0.5 inet dhcp\n";
        StaticAddressConfig::ifupdownEdited(other, QStringLiteral("eth0"), identity(), &found);
        QVERIFY(!found);
    }

    void ifupdownChangeKeepsOneStanza()
    {
        NetworkFacts facts;
        facts.stack = NetworkStack::Ifupdown;
        facts.interface = QStringLiteral("eth0");
        facts.cloudInit = true;
        facts.files.insert(QStringLiteral("/etc/network/interfaces"),
                           "source /etc/network/interfaces.d/*\nauto eth0\niface eth0 inet dhcp\n");
        facts.files.insert(QStringLiteral("/etc/network/interfaces.d/50-cloud-init"), kCloudInit);
        StaticAddressChange c;
        QString error;
        QVERIFY2(StaticAddressConfig::change(facts, identity(), &c, &error), qPrintable(error));
        QCOMPARE(c.writes.size(), 3);
        // Map order: the main file first, so the stanza lands there and leaves the drop-in.
        QCOMPARE(c.writes[0].path, QStringLiteral("/etc/network/interfaces"));
        QVERIFY(
            c.writes[0].content.contains("iface eth0 inet static\n    address 192.168.1.23/24"));
        QVERIFY(!c.writes[1].content.contains("iface eth0 inet static"));
        QVERIFY(c.writes[1].content.contains("iface lo inet loopback"));
        QVERIFY(c.writes[1].content.contains("iface eth0 inet6 auto"));
        QCOMPARE(c.writes[2].path, StaticAddressConfig::cloudInitDisablePath());
        QVERIFY(c.downOld.startsWith(QLatin1String("ifdown 'eth0'")));
        QCOMPARE(c.upNew, QStringLiteral("ifup 'eth0'"));
    }

    void netplanParses()
    {
        const QByteArray yaml =
            StaticAddressConfig::netplanFile(QStringLiteral("eth0"), identity());
        QByteArray out;
        QFile f(QDir::temp().filePath(
            QStringLiteral("tst_staticaddress_%1.yaml").arg(QCoreApplication::applicationPid())));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(yaml);
        f.close();
        const int rc = runShell(
            QStringLiteral("python3 -c 'import sys, yaml; e = yaml.safe_load(open(sys.argv[1]))"
                           "[\"network\"][\"ethernets\"][\"eth0\"]; print(e[\"dhcp4\"], "
                           "e[\"addresses\"], e[\"routes\"][0][\"to\"], e[\"routes\"][0][\"via\"], "
                           "e[\"nameservers\"][\"addresses\"])' %1")
                .arg(f.fileName()),
            &out);
        f.remove();
        if (rc != 0 && out.contains("No module named"))
            QSKIP("PyYAML is not installed");
        QCOMPARE(rc, 0);
        QCOMPARE(out.trimmed(), QByteArray("False ['192.168.1.23/24'] 0.0.0.0/0 192.168.1.1 "
                                           "['192.168.1.1', '9.9.9.9']"));
        NetworkFacts facts;
        facts.stack = NetworkStack::Netplan;
        facts.interface = QStringLiteral("eth0");
        StaticAddressChange c;
        QString error;
        QVERIFY(StaticAddressConfig::change(facts, identity(), &c, &error));
        QCOMPARE(c.writes.size(), 1);
        QCOMPARE(c.writes[0].path, QStringLiteral("/etc/netplan/90-hivelab-eth0.yaml"));
        QCOMPARE(c.upNew, QStringLiteral("netplan apply"));
    }

    void dhcpcdEdit()
    {
        const QByteArray text = "hostname\n"
                                "interface eth0\n"
                                "static ip_address=192.168.1.50/24\n"
                                "metric 200\n"
                                "interface wlan0\n"
                                "static ip_address=192.168.1.60/24\n";
        const QByteArray once =
            StaticAddressConfig::dhcpcdEdited(text, QStringLiteral("eth0"), identity());
        QCOMPARE(once, QByteArray("hostname\n"
                                  "interface eth0\n"
                                  "#hivelab# static ip_address=192.168.1.50/24\n"
                                  "metric 200\n"
                                  "interface wlan0\n"
                                  "static ip_address=192.168.1.60/24\n"
                                  "# hivelab: begin\n"
                                  "interface eth0\n"
                                  "static ip_address=192.168.1.23/24\n"
                                  "static routers=192.168.1.1\n"
                                  "static domain_name_servers=192.168.1.1 9.9.9.9\n"
                                  "# hivelab: end\n"));
        // Applying again replaces our block instead of adding a second one.
        BoardIdentity other = identity();
        other.address = QStringLiteral("192.168.1.24");
        const QByteArray twice =
            StaticAddressConfig::dhcpcdEdited(once, QStringLiteral("eth0"), other);
        QCOMPARE(twice.count("# hivelab: begin"), 1);
        QVERIFY(twice.contains("static ip_address=192.168.1.24/24"));
        QVERIFY(!twice.contains("192.168.1.23/24"));
    }

    void networkManagerQuotesAndRestores()
    {
        NetworkFacts facts;
        facts.stack = NetworkStack::NetworkManager;
        facts.interface = QStringLiteral("eth0");
        facts.nmConnection = QStringLiteral("Wired 'office'");
        facts.nmOld = {QStringLiteral("auto"), QString(), QString(), QString()};
        StaticAddressChange c;
        QString error;
        QVERIFY(StaticAddressConfig::change(facts, identity(), &c, &error));
        QVERIFY(c.writes.isEmpty());
        QCOMPARE(c.upNew,
                 QStringLiteral("nmcli connection modify 'Wired '\\''office'\\''' "
                                "ipv4.method manual ipv4.addresses '192.168.1.23/24' "
                                "ipv4.gateway '192.168.1.1' ipv4.dns '192.168.1.1,9.9.9.9' "
                                "&& nmcli connection up 'Wired '\\''office'\\'''"));
        QVERIFY(c.upOld.contains(QLatin1String("ipv4.method 'auto' ipv4.addresses '' ")));
        // The quoted name reaches the shell as one word.
        QByteArray out;
        QCOMPARE(runShell(QStringLiteral("printf '%s|' ") + c.upNew.section(QLatin1Char(' '), 3, 4),
                          &out),
                 0);
        QCOMPARE(out, QByteArray("Wired 'office'|"));
        facts.nmOld.clear();
        QVERIFY(!StaticAddressConfig::change(facts, identity(), &c, &error));
    }

    void refusals()
    {
        NetworkFacts facts;
        facts.stack = NetworkStack::Unknown;
        facts.interface = QStringLiteral("eth0");
        StaticAddressChange c;
        QString error;
        QVERIFY(!StaticAddressConfig::change(facts, identity(), &c, &error));
        QVERIFY(error.contains(QLatin1String("ifupdown")));
        facts.stack = NetworkStack::Ifupdown;
        BoardIdentity dhcp = identity();
        dhcp.addressing = Addressing::Dhcp;
        QVERIFY(!StaticAddressConfig::change(facts, dhcp, &c, &error));
        facts.interface = QStringLiteral("eth0;reboot");
        QVERIFY(!StaticAddressConfig::change(facts, identity(), &c, &error));
    }

    void parseProbe()
    {
        NetworkFacts facts;
        QString error;
        const QByteArray out = "interface=eth0\ncloudinit=1\nstack=ifupdown\nfile "
                               "/etc/network/interfaces " +
                               kCloudInit.toBase64() + "\n";
        QVERIFY2(StaticAddressConfig::parseProbe(out, &facts, &error), qPrintable(error));
        QCOMPARE(facts.stack, NetworkStack::Ifupdown);
        QCOMPARE(facts.interface, QStringLiteral("eth0"));
        QVERIFY(facts.cloudInit);
        QCOMPARE(facts.files.value(QStringLiteral("/etc/network/interfaces")), kCloudInit);
        QVERIFY(!StaticAddressConfig::parseProbe("error=no interface holds 10.0.0.1\n", &facts,
                                                 &error));
        QCOMPARE(error, QStringLiteral("no interface holds 10.0.0.1"));
        error.clear();
        QVERIFY(!StaticAddressConfig::parseProbe("interface=eth0\nerror=\nstack=ifupdown\n", &facts,
                                                 &error));
        QVERIFY(!error.isEmpty()); // fuzz_networkprobe found a failure without a reason
        QVERIFY(!StaticAddressConfig::parseProbe("stack=ifupdown\n", &facts, &error));
        QVERIFY(
            !StaticAddressConfig::parseProbe("interface=a b\nstack=ifupdown\n", &facts, &error));
        QVERIFY(!StaticAddressConfig::parseProbe("garbage", &facts, &error));
    }

    // The probe on this machine: the loopback address is held by `lo`.
    void probeFindsTheInterface()
    {
        if (runShell(QStringLiteral("command -v ip >/dev/null")) != 0)
            QSKIP("no ip command");
        QByteArray out;
        QCOMPARE(runShell(StaticAddressConfig::probeScript(QStringLiteral("127.0.0.1")), &out), 0);
        NetworkFacts facts;
        QString error;
        QVERIFY2(StaticAddressConfig::parseProbe(out, &facts, &error), out.constData());
        QCOMPARE(facts.interface, QStringLiteral("lo"));
        QCOMPARE(runShell(StaticAddressConfig::probeScript(QStringLiteral("192.0.2.77")), &out), 0);
        QVERIFY(!StaticAddressConfig::parseProbe(out, &facts, &error));
    }

    // The board-side mechanism for real, in a folder instead of /etc and /run: stage, switch,
    // then either confirm (the new files stay) or let the watchdog fire (the old ones return,
    // a file the change created goes away).
    void stageSwitchConfirmOrRollBack_data()
    {
        QTest::addColumn<bool>("confirm");
        QTest::addColumn<int>("seconds");
        QTest::newRow("confirmed") << true << 5;
        QTest::newRow("rolled back") << false << 1;
    }
    void stageSwitchConfirmOrRollBack()
    {
        QFETCH(bool, confirm);
        QFETCH(int, seconds);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString existing = dir.filePath(QStringLiteral("interfaces"));
        const QString created = dir.filePath(QStringLiteral("sub dir/new.cfg"));
        const QString log = dir.filePath(QStringLiteral("log"));
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("old\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        StaticAddressChange c;
        c.writes = {{existing, "new\n"}, {created, "created\n"}};
        c.downOld = QStringLiteral("echo down-old >> '%1'").arg(log);
        c.upNew = QStringLiteral("echo up-new >> '%1'").arg(log);
        c.downNew = QStringLiteral("echo down-new >> '%1'").arg(log);
        c.upOld = QStringLiteral("echo up-old >> '%1'").arg(log);
        const QString state = dir.filePath(QStringLiteral("state"));
        const QString run = QStringLiteral("r1");
        QByteArray out;
        QCOMPARE(runShell(StaticAddressConfig::stageScript(c, run, seconds, state), &out), 0);
        QCOMPARE(out.trimmed(), QByteArray("staged"));
        QCOMPARE(readFile(existing), QByteArray("old\n")); // nothing changed yet
        QVERIFY(runShell(StaticAddressConfig::stageScript(c, run, seconds, state)) !=
                0); // run IDs once
        if (confirm) {
            QCOMPARE(runShell(StaticAddressConfig::startCommand(run, state)), 0);
            QTRY_COMPARE(readFile(log), QByteArray("down-old\nup-new\n"));
            QCOMPARE(runShell(StaticAddressConfig::confirmCommand(run, state)), 0);
            QVERIFY(runShell(StaticAddressConfig::confirmCommand(run, state)) != 0);
            // Once the watchdog is done, the change stays: the confirmation took the mark.
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(state + QStringLiteral("/r1/expired")), 15000);
            QCOMPARE(readFile(existing), QByteArray("new\n"));
            QCOMPARE(readFile(created), QByteArray("created\n"));
            QCOMPARE(QFile(existing).permissions() & QFileDevice::ReadOther, 0);
            QCOMPARE(readFile(log), QByteArray("down-old\nup-new\n"));
            QVERIFY(runShell(StaticAddressConfig::rolledBackCommand(run, state)) != 0);
        } else {
            QCOMPARE(runShell(StaticAddressConfig::startCommand(run, state)), 0);
            QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(state + QStringLiteral("/r1/expired")), 15000);
            QCOMPARE(readFile(log), QByteArray("down-old\nup-new\ndown-new\nup-old\n"));
            QCOMPARE(readFile(existing), QByteArray("old\n"));
            QVERIFY(!QFile::exists(created));
            QCOMPARE(runShell(StaticAddressConfig::rolledBackCommand(run, state)), 0);
            QVERIFY(runShell(StaticAddressConfig::confirmCommand(run, state)) != 0); // too late
        }
    }
};

QTEST_GUILESS_MAIN(TestStaticAddressConfig)
#include "tst_staticaddressconfig.moc"
