// SPDX-License-Identifier: GPL-3.0-or-later
// Scans only 127.0.0.0/8: real listening sockets in this process play the hosts.
#include "discoveryservice.h"
#include "networksuggestions.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Hivelab;

namespace {

// A real TCP server answering with a fixed greeting (or nothing) on each connection.
class GreetingServer : public QTcpServer
{
public:
    explicit GreetingServer(QByteArray greeting)
        : m_greeting(std::move(greeting))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                ++connections;
                if (!m_greeting.isEmpty())
                    s->write(m_greeting);
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    int connections = 0;

private:
    QByteArray m_greeting;
};

quint16 closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 p = s.serverPort();
    s.close(); // nothing listens there any more: connects get RST
    return p;
}

} // namespace

// A service and spies on what it reports.
struct WatchedScan
{
    DiscoveryService service;
    QSignalSpy found{&service, &DiscoveryService::hostFound};
    QSignalSpy progress{&service, &DiscoveryService::progressChanged};
    QSignalSpy finished{&service, &DiscoveryService::finished};
};

class TestDiscoveryService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void findsOpenPortsAndBanner();
    void manyHostsStreamWithProgress();
    void likelyHostsAreProbedFirst();
    void cancelMidScan();
    void deadlineStopsAndReportsKnownHosts();
    void boundedInFlight();
    void refusesBadOptions();
    void resolvesHostNames();
    void suggestionsNarrowLargeNetworks();

private:
    // Probes `targets` on these ports only, without reverse DNS.
    static DiscoveryOptions scan(const QStringList &targets, const QList<int> &sshPorts,
                                 const QList<int> &otherPorts = {})
    {
        DiscoveryOptions o;
        o.targets = targets;
        o.sshPorts = sshPorts;
        o.otherPorts = otherPorts;
        o.reverseDns = false;
        return o;
    }

    std::unique_ptr<GreetingServer> m_plain;
    std::unique_ptr<GreetingServer> m_ssh;
    std::unique_ptr<GreetingServer> m_silent;
    quint16 m_closed = 0;
};

void TestDiscoveryService::initTestCase()
{
    qRegisterMetaType<DiscoveredHost>();
    m_plain = std::make_unique<GreetingServer>(QByteArray());
    m_ssh = std::make_unique<GreetingServer>("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7\r\n");
    m_silent = std::make_unique<GreetingServer>(QByteArray());
    // Any address: every 127.x.y.z reaches these servers.
    QVERIFY(m_plain->listen(QHostAddress::AnyIPv4, 0));
    QVERIFY(m_ssh->listen(QHostAddress::AnyIPv4, 0));
    QVERIFY(m_silent->listen(QHostAddress::LocalHost, 0));
    m_closed = closedPort();
    QVERIFY(m_closed != 0);
}

void TestDiscoveryService::findsOpenPortsAndBanner()
{
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    DiscoveryOptions o;
    o.targets = {QStringLiteral("127.0.0.1")};
    o.sshPorts = {22, m_ssh->serverPort()};
    o.otherPorts = {m_plain->serverPort(), m_closed};
    o.reverseDns = true; // 127.0.0.1 -> localhost from /etc/hosts
    QString error;
    QVERIFY2(service.start(o, &error), qPrintable(error));
    QVERIFY(service.isRunning());
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().value<DiscoveryService::Outcome>(),
             DiscoveryService::Outcome::Completed);
    QCOMPARE(found.size(), 1);
    const auto h = found.first().first().value<DiscoveredHost>();
    QCOMPARE(h.ip, QStringLiteral("127.0.0.1"));
    QList<int> expected{m_ssh->serverPort(), m_plain->serverPort()};
    std::sort(expected.begin(), expected.end());
    QVERIFY(!h.openPorts.contains(m_closed));
    for (int p : expected)
        QVERIFY(h.openPorts.contains(p));
    QCOMPARE(h.sshPort, int(m_ssh->serverPort()));
    QCOMPARE(h.sshBanner, QStringLiteral("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7"));
    QCOMPARE(h.osHint, QStringLiteral("Debian 12"));
    QCOMPARE(h.reverseName, QStringLiteral("localhost"));
    QVERIFY(h.mac.isEmpty()); // loopback has no neighbour entry
    QCOMPARE(progress.last().at(0).toLongLong(), 1);
    QCOMPARE(progress.last().at(1).toLongLong(), 1);
    QCOMPARE(service.results().size(), 1);
    QVERIFY(!service.isRunning());
}

void TestDiscoveryService::manyHostsStreamWithProgress()
{
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    QStringList targets;
    for (int i = 1; i <= 40; ++i)
        targets << QStringLiteral("127.0.1.%1").arg(i);
    DiscoveryOptions o = scan(targets, {m_ssh->serverPort()}, {m_closed});
    o.maxInFlight = 8;
    QVERIFY(service.start(o));
    // The first host arrives well before the scan ends.
    QVERIFY(found.wait(5000));
    QVERIFY(finished.isEmpty());
    QVERIFY(finished.wait(10000));
    QCOMPARE(found.size(), 40);
    QCOMPARE(progress.size(), 41); // (0, 40) then one per host
    qint64 last = -1;
    for (const auto &p : progress) {
        QVERIFY(p.at(0).toLongLong() > last);
        last = p.at(0).toLongLong();
        QCOMPARE(p.at(1).toLongLong(), 40);
    }
    QSet<QString> ips;
    for (const auto &f : found) {
        const auto h = f.first().value<DiscoveredHost>();
        ips.insert(h.ip);
        QCOMPARE(h.openPorts, QList<int>{m_ssh->serverPort()});
        QVERIFY(h.sshBanner.startsWith(QStringLiteral("SSH-2.0-OpenSSH")));
    }
    QCOMPARE(ips.size(), 40);
    QVERIFY(service.absentHosts().isEmpty());
}

void TestDiscoveryService::likelyHostsAreProbedFirst()
{
    // One connect at a time: hosts are reported in the order they are probed. The lab's planned
    // boards (likely) go first, in their scan order; the others follow in theirs; none is lost.
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    QStringList targets;
    for (int i = 1; i <= 30; ++i)
        targets << QStringLiteral("127.0.2.%1").arg(i);
    DiscoveryOptions o = scan(targets, {}, {m_closed});
    o.maxInFlight = 1;
    o.likely = {QStringLiteral("127.0.2.30"), QStringLiteral("127.0.2.17"),
                QStringLiteral("10.9.9.9")}; // not a target: never probed
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(10000));
    QStringList order;
    for (const auto &f : found)
        order << f.first().value<DiscoveredHost>().ip;
    QCOMPARE(order.size(), 30);
    QCOMPARE(order.mid(0, 2), (QStringList{"127.0.2.17", "127.0.2.30"}));
    QCOMPARE(order.at(2), QStringLiteral("127.0.2.1"));
    QVERIFY(!order.contains(QStringLiteral("10.9.9.9")));
}

void TestDiscoveryService::cancelMidScan()
{
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    QString error;
    QStringList targets;
    for (int i = 1; i <= 254; ++i)
        targets << QStringLiteral("127.0.2.%1").arg(i);
    DiscoveryOptions o = scan(targets, {m_ssh->serverPort()});
    o.maxInFlight = 1;
    QVERIFY(service.start(o));
    QVERIFY(found.wait(5000));
    service.cancel();
    QVERIFY(finished.wait(2000));
    QCOMPARE(finished.first().first().value<DiscoveryService::Outcome>(),
             DiscoveryService::Outcome::Cancelled);
    const qsizetype atCancel = found.size();
    QVERIFY(atCancel < 254);
    // Nothing trickles in after finished.
    QTest::qWait(200);
    QCOMPARE(found.size(), atCancel);
    QVERIFY(!service.isRunning());
    // The service can run again after a cancel.
    o.targets = {QStringLiteral("127.0.0.1")};
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(5000));
}

void TestDiscoveryService::deadlineStopsAndReportsKnownHosts()
{
    // The silent server accepts but never sends a banner: only the deadline ends the wait.
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    DiscoveryOptions o = scan({QStringLiteral("127.0.0.1")}, {m_silent->serverPort()});
    o.bannerTimeoutMs = 30000;
    o.deadlineMs = 300;
    QElapsedTimer t;
    t.start();
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(5000));
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    QVERIFY(t.elapsed() >= 250);
    QCOMPARE(finished.first().first().value<DiscoveryService::Outcome>(),
             DiscoveryService::Outcome::DeadlineExceeded);
    QCOMPARE(found.size(), 1); // present, reported without a banner
    const auto h = found.first().first().value<DiscoveredHost>();
    QCOMPARE(h.openPorts, QList<int>{m_silent->serverPort()});
    QVERIFY(h.sshBanner.isEmpty());
}

void TestDiscoveryService::boundedInFlight()
{
    // Every port of every host is probed exactly once, never more than maxInFlight at a time.
    GreetingServer counter{QByteArray()};
    QVERIFY(counter.listen(QHostAddress::AnyIPv4, 0));
    DiscoveryService service;
    QSignalSpy finished(&service, &DiscoveryService::finished);
    DiscoveryOptions o = scan(
        {QStringLiteral("127.0.3.1"), QStringLiteral("127.0.3.2"), QStringLiteral("127.0.3.3")},
        {m_closed}, {counter.serverPort()});
    o.maxInFlight = 2;
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(5000));
    QTRY_COMPARE(counter.connections, 3);
    QCOMPARE(service.results().size(), 3);
    QCOMPARE(service.peakInFlight(), 2);

    // 30 hosts x 2 ports with a cap of 5.
    o.targets.clear();
    for (int i = 1; i <= 30; ++i)
        o.targets << QStringLiteral("127.0.4.%1").arg(i);
    o.maxInFlight = 5;
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(5000));
    QCOMPARE(service.peakInFlight(), 5);
    QCOMPARE(counter.connections, 33);
}

void TestDiscoveryService::refusesBadOptions()
{
    DiscoveryService service;
    QString error;
    QVERIFY(!service.start(DiscoveryOptions{}, &error));
    QVERIFY(error.contains(QStringLiteral("no targets")));
    DiscoveryOptions o;
    o.targets = {QStringLiteral("127.0.0.1")};
    o.maxInFlight = 0;
    QVERIFY(!service.start(o, &error));
    o.maxInFlight = 4;
    o.reverseDns = false;
    QVERIFY(service.start(o, &error));
    QVERIFY(!service.start(o, &error)); // already running
    QVERIFY(error.contains(QStringLiteral("already running")));
    QSignalSpy finished(&service, &DiscoveryService::finished);
    QVERIFY(finished.wait(5000));
}

void TestDiscoveryService::resolvesHostNames()
{
    // "localhost" comes from /etc/hosts: no DNS server is asked.
    WatchedScan watched;
    auto &[service, found, progress, finished] = watched;
    const DiscoveryOptions o = scan({QStringLiteral("localhost")}, {m_ssh->serverPort()});
    QVERIFY(service.start(o));
    QVERIFY(finished.wait(5000));
    QCOMPARE(found.size(), 1);
    const auto h = found.first().first().value<DiscoveredHost>();
    QCOMPARE(h.ip, QStringLiteral("127.0.0.1"));
    QCOMPARE(h.reverseName, QStringLiteral("localhost"));
    QVERIFY(h.isThisMachine);
    QCOMPARE(h.sshPort, int(m_ssh->serverPort()));
}

void TestDiscoveryService::suggestionsNarrowLargeNetworks()
{
    // Pure computation on given numbers: no interface is touched.
    const auto s24 = NetworkSuggestions::suggest(QStringLiteral("eth0"), 0xC0A8012A, 24);
    QCOMPARE(s24.cidr, QStringLiteral("192.168.1.0/24"));
    QCOMPARE(s24.hostCount, 254);
    QVERIFY(s24.note.isEmpty());
    const auto s8 = NetworkSuggestions::suggest(QStringLiteral("eth0"), 0x0A01022A, 8);
    QCOMPARE(s8.cidr, QStringLiteral("10.1.2.0/24"));
    QVERIFY(!s8.note.isEmpty());
    const auto s16 = NetworkSuggestions::suggest(QStringLiteral("eth0"), 0xAC10FF01, 16);
    QCOMPARE(s16.cidr, QStringLiteral("172.16.0.0/16"));
    QCOMPARE(s16.hostCount, 65534);
}

QTEST_GUILESS_MAIN(TestDiscoveryService)
#include "tst_discoveryservice.moc"
