// SPDX-License-Identifier: GPL-3.0-or-later
#include "firstbootplan.h"
#include "labfile.h"
#include "testdata.h"

#include <QTest>

using namespace Hivelab;

namespace {

Board staticBoard(const QString &id, const QString &ip = QString())
{
    Board b;
    b.id = id;
    b.hostname = id;
    b.addressing = Addressing::Static;
    b.ip = ip;
    return b;
}

Lab plannedLab()
{
    Lab lab;
    lab.name = QStringLiteral("plan");
    lab.network.subnet = QStringLiteral("10.77.0.0/24");
    lab.network.gateway = QStringLiteral("10.77.0.1");
    lab.network.dns = {QStringLiteral("10.77.0.2")};
    lab.network.loginUser = QStringLiteral("pi");
    lab.network.timezone = QStringLiteral("Europe/Berlin");
    lab.network.locale = QStringLiteral("en_GB.UTF-8");
    return lab;
}

} // namespace

class TestFirstBootPlan : public QObject
{
    Q_OBJECT
private slots:
    void identityFallsBackToLabDefaults()
    {
        Lab lab = plannedLab();
        Board b = staticBoard(QStringLiteral("node-1"), QStringLiteral("10.77.0.10"));
        lab.boards.append(b);
        BoardIdentity id = FirstBootPlan::identity(lab, b);
        QCOMPARE(id.user, QStringLiteral("pi"));
        QCOMPARE(id.prefixLength, 24);
        QCOMPARE(id.gateway, QStringLiteral("10.77.0.1"));
        QCOMPARE(id.dns, QStringList{QStringLiteral("10.77.0.2")});
        QCOMPARE(id.timezone, QStringLiteral("Europe/Berlin"));
        QVERIFY(FirstBootPlan::problems(lab, b).isEmpty());

        b.sshUser = QStringLiteral("admin");
        b.firstBoot.prefixLength = 16;
        b.firstBoot.gateway = QStringLiteral("10.77.3.1");
        b.firstBoot.dns = {QStringLiteral("1.1.1.1")};
        b.firstBoot.timezone = QStringLiteral("UTC");
        b.firstBoot.locale = QStringLiteral("C.UTF-8");
        id = FirstBootPlan::identity(lab, b);
        QCOMPARE(id.user, QStringLiteral("admin"));
        QCOMPARE(id.prefixLength, 16);
        QCOMPARE(id.gateway, QStringLiteral("10.77.3.1"));
        QCOMPARE(id.dns, QStringList{QStringLiteral("1.1.1.1")});
        QCOMPARE(id.timezone, QStringLiteral("UTC"));
        QCOMPARE(id.locale, QStringLiteral("C.UTF-8"));
        QCOMPARE(id.sshServer, SshServer::OpenSsh); // no choice in the plan: OpenSSH
        b.firstBoot.sshServer = SshServer::Dropbear;
        QCOMPARE(FirstBootPlan::identity(lab, b).sshServer, SshServer::Dropbear);
        b.firstBoot.sshServer = SshServer::OpenSsh;
        QCOMPARE(FirstBootPlan::identity(lab, b).sshServer, SshServer::OpenSsh);

        Board dhcp = b;
        dhcp.addressing = Addressing::Dhcp;
        id = FirstBootPlan::identity(lab, dhcp);
        QVERIFY(id.address.isEmpty());
        QVERIFY(id.gateway.isEmpty());
    }

    void problems_data()
    {
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("hostname");
        QTest::addColumn<int>("code");
        using C = IdentityProblem::Code;
        QTest::newRow("no address") << QString() << "n" << int(C::NoAddress);
        QTest::newRow("ipv6") << "fd00::5" << "n" << int(C::NotIpv4);
        QTest::newRow("outside") << "10.78.0.5" << "n" << int(C::OutsideSubnet);
        QTest::newRow("gateway") << "10.77.0.1" << "n" << int(C::IsGateway);
        QTest::newRow("network") << "10.77.0.0" << "n" << int(C::NetworkOrBroadcast);
        QTest::newRow("broadcast") << "10.77.0.255" << "n" << int(C::NetworkOrBroadcast);
        QTest::newRow("taken") << "10.77.0.20" << "n" << int(C::AddressTaken);
        QTest::newRow("hostname taken") << "10.77.0.21" << "OTHER" << int(C::HostnameTaken);
        QTest::newRow("no hostname") << "10.77.0.21" << "" << int(C::NoHostname);
    }

    void problems()
    {
        QFETCH(QString, ip);
        QFETCH(QString, hostname);
        QFETCH(int, code);
        Lab lab = plannedLab();
        lab.boards.append(staticBoard(QStringLiteral("other"), QStringLiteral("10.77.0.20")));
        Board b = staticBoard(QStringLiteral("b"), ip);
        b.hostname = hostname;
        lab.boards.append(b);
        const QList<IdentityProblem> found = FirstBootPlan::problems(lab, b);
        QVERIFY(!found.isEmpty());
        QCOMPARE(int(found.first().code), code);
        QVERIFY(!found.first().message().isEmpty());
        // An address outside the subnet is also outside the gateway's network; nothing else
        // adds a second finding.
        QCOMPARE(found.size(), code == int(IdentityProblem::Code::OutsideSubnet) ? 2 : 1);
    }

    void allocationSkipsGatewayDnsAndTakenAddresses()
    {
        Lab lab = plannedLab();
        lab.boards.append(staticBoard(QStringLiteral("a")));
        lab.boards.append(staticBoard(QStringLiteral("b"), QStringLiteral("10.77.0.3")));
        lab.boards.append(staticBoard(QStringLiteral("c")));
        Board dhcp = staticBoard(QStringLiteral("d"));
        dhcp.addressing = Addressing::Dhcp;
        lab.boards.append(dhcp);
        QStringList assigned;
        QString error;
        QVERIFY(FirstBootPlan::allocateAddresses(&lab, {}, &assigned, &error));
        QCOMPARE(assigned, (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
        // .1 gateway, .2 DNS, .3 board b
        QCOMPARE(lab.boards.at(0).ip, QStringLiteral("10.77.0.4"));
        QCOMPARE(lab.boards.at(2).ip, QStringLiteral("10.77.0.5"));
        QVERIFY(lab.boards.at(3).ip.isEmpty());
        for (const Board &b : std::as_const(lab.boards))
            QVERIFY2(FirstBootPlan::problems(lab, b).isEmpty(), qPrintable(b.id));
        // Nothing left to do: a second run changes nothing.
        const Lab before = lab;
        QVERIFY(FirstBootPlan::allocateAddresses(&lab, {}, &assigned, &error));
        QVERIFY(assigned.isEmpty());
        QCOMPARE(lab, before);
    }

    void allocationHonoursPoolStartAndSelection()
    {
        Lab lab = plannedLab();
        lab.network.poolStart = QStringLiteral("10.77.0.100");
        lab.boards.append(staticBoard(QStringLiteral("a")));
        lab.boards.append(staticBoard(QStringLiteral("b")));
        QStringList assigned;
        QString error;
        QVERIFY(FirstBootPlan::allocateAddresses(&lab, {QStringLiteral("b")}, &assigned, &error));
        QCOMPARE(assigned, QStringList{QStringLiteral("b")});
        QVERIFY(lab.boards.at(0).ip.isEmpty());
        QCOMPARE(lab.boards.at(1).ip, QStringLiteral("10.77.0.100"));
    }

    void allocationFailsWithoutRoomAndChangesNothing()
    {
        Lab lab = plannedLab();
        lab.network.subnet = QStringLiteral("10.77.0.0/30"); // hosts .1 (gateway) and .2 (DNS)
        lab.boards.append(staticBoard(QStringLiteral("a")));
        const Lab before = lab;
        QStringList assigned;
        QString error;
        QVERIFY(!FirstBootPlan::allocateAddresses(&lab, {}, &assigned, &error));
        QVERIFY2(error.contains(QLatin1String("no free address")), qPrintable(error));
        QCOMPARE(lab, before);
        lab.network.subnet.clear();
        QVERIFY(!FirstBootPlan::allocateAddresses(&lab, {}, &assigned, &error));
        QVERIFY2(error.contains(QLatin1String("subnet")), qPrintable(error));
    }

    void instanceIds()
    {
        const QString id = FirstBootPlan::makeInstanceId(QStringLiteral("pine64-3"), 0xbeef);
        QCOMPARE(id, QStringLiteral("hivelab-pine64-3-0000beef"));
        QVERIFY(FirstBootPlan::isValidInstanceId(id));
        QVERIFY(!FirstBootPlan::isValidInstanceId(QStringLiteral("a b")));
    }

    void labFileRoundTrip()
    {
        Lab lab = plannedLab();
        lab.network.poolStart = QStringLiteral("10.77.0.50");
        Board b = staticBoard(QStringLiteral("a"), QStringLiteral("10.77.0.50"));
        b.firstBoot.prefixLength = 24;
        b.firstBoot.gateway = QStringLiteral("10.77.0.254");
        b.firstBoot.dns = {QStringLiteral("9.9.9.9"), QStringLiteral("fd00::53")};
        b.firstBoot.timezone = QStringLiteral("America/Argentina/Buenos_Aires");
        b.firstBoot.locale = QStringLiteral("de_DE.UTF-8@euro");
        b.firstBoot.instanceId = QStringLiteral("hivelab-a-00000001");
        b.firstBoot.sshServer = SshServer::Dropbear;
        lab.boards.append(b);
        Board openssh = staticBoard(QStringLiteral("o"), QStringLiteral("10.77.0.52"));
        openssh.firstBoot.sshServer = SshServer::OpenSsh;
        lab.boards.append(openssh);
        lab.boards.append(staticBoard(QStringLiteral("plain"), QStringLiteral("10.77.0.51")));
        const QByteArray json = LabFile::toJson(lab);
        LabFileError error;
        const std::optional<Lab> back = LabFile::fromJson(json, &error);
        QVERIFY2(back, qPrintable(error.toString()));
        QCOMPARE(*back, lab);
        QCOMPARE(json.count("\"firstBoot\""), 2); // omitted for the board without one
        QCOMPARE(json.count("\"sshServer\": \"dropbear\""), 1);
        QCOMPARE(json.count("\"sshServer\": \"openssh\""), 1);
        QCOMPARE(json.count("\"sshServer\""), 2); // not written when not chosen
    }

    void labFileWithoutFirstBootKeepsItsBytes()
    {
        // Files from before first-boot plans load, and save back byte for byte.
        const QByteArray old = HivelabTest::testData(QStringLiteral("labs/valid-full.hivelab"));
        LabFileError error;
        const std::optional<Lab> lab = LabFile::fromJson(old, &error);
        QVERIFY2(lab, qPrintable(error.toString()));
        QVERIFY(lab->network.isEmpty());
        const QByteArray again = LabFile::toJson(*lab);
        QVERIFY(!again.contains("\"network\""));
        QVERIFY(!again.contains("\"firstBoot\""));
        QCOMPARE(LabFile::fromJson(again, &error), lab);
    }

    void strictReaderRefuses_data()
    {
        QTest::addColumn<QByteArray>("fragment");
        QTest::addColumn<QString>("path");
        QTest::newRow("subnet") << QByteArray(R"("network":{"subnet":"10.77.0.0/33"})")
                                << "$.network.subnet";
        QTest::newRow("ipv6 subnet") << QByteArray(R"("network":{"subnet":"fd00::/64"})")
                                     << "$.network.subnet";
        QTest::newRow("gateway outside")
            << QByteArray(R"("network":{"subnet":"10.77.0.0/24","gateway":"10.78.0.1"})")
            << "$.network.gateway";
        QTest::newRow("dns") << QByteArray(R"("network":{"dns":["1.1.1.1","nope"]})")
                             << "$.network.dns[1]";
        QTest::newRow("user") << QByteArray(R"("network":{"loginUser":"Root"})")
                              << "$.network.loginUser";
        QTest::newRow("timezone") << QByteArray(R"("network":{"timezone":"../etc/passwd"})")
                                  << "$.network.timezone";
        QTest::newRow("locale") << QByteArray(R"("network":{"locale":"en GB"})")
                                << "$.network.locale";
        QTest::newRow("unknown key") << QByteArray(R"("network":{"subnets":"x"})")
                                     << "$.network";
        QTest::newRow("prefix") << QByteArray(R"("boards":[{"id":"a","firstBoot":{"prefixLength":40}}])")
                                << "$.boards[0].firstBoot.prefixLength";
        QTest::newRow("board gateway")
            << QByteArray(R"("boards":[{"id":"a","firstBoot":{"gateway":"fd00::1"}}])")
            << "$.boards[0].firstBoot.gateway";
        QTest::newRow("duplicate instance")
            << QByteArray(R"("boards":[{"id":"a","firstBoot":{"instanceId":"i-1"}},)"
                          R"({"id":"b","firstBoot":{"instanceId":"i-1"}}])")
            << "$.boards[1].firstBoot.instanceId";
        QTest::newRow("ssh server")
            << QByteArray(R"("boards":[{"id":"a","firstBoot":{"sshServer":"OpenSSH"}}])")
            << "$.boards[0].firstBoot.sshServer";
        QTest::newRow("ssh server type")
            << QByteArray(R"("boards":[{"id":"a","firstBoot":{"sshServer":-1}}])")
            << "$.boards[0].firstBoot.sshServer";
    }

    void strictReaderRefuses()
    {
        QFETCH(QByteArray, fragment);
        QFETCH(QString, path);
        LabFileError error;
        const QByteArray json =
            R"({"format":"hivelab-lab","schemaVersion":1,"name":"x",)" + fragment + "}";
        QVERIFY(!LabFile::fromJson(json, &error));
        QVERIFY2(error.jsonPath.startsWith(path), qPrintable(error.toString()));
        if (path.endsWith(QLatin1String("sshServer")) && fragment.contains("\"OpenSSH\""))
            QVERIFY2(error.message.contains(QLatin1String("\"openssh\", \"dropbear\"")),
                     qPrintable(error.toString()));
    }
};

QTEST_GUILESS_MAIN(TestFirstBootPlan)
#include "tst_firstbootplan.moc"
