// SPDX-License-Identifier: GPL-3.0-or-later
#include "discoveryservice.h"
#include "mdnsquery.h"
#include "neighbourtable.h"
#include "ouitable.h"
#include "sshbanner.h"

#include <QDateTime>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QNetworkInterface>
#include <QNetworkProxy>
#include <QPointer>
#include <QTcpSocket>

#include <algorithm>
#include <memory>

namespace Hivelab {

namespace {
constexpr int MaxBannerBytes = 1024; // RFC 4253 caps the line at 255; pre-banner text is rarer
constexpr qint64 ArpCacheMs = 50;    // re-read /proc/net/arp at most this often
constexpr int StartsPerTurn = 16;    // new hosts probed per event-loop turn

// Milestones with wall-clock times, to line up with a launcher's clock:
// QT_LOGGING_RULES=hivelab.discovery.debug=true
Q_LOGGING_CATEGORY(lcDiscovery, "hivelab.discovery", QtWarningMsg)

qint64 epochMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

DiscoveryService::DiscoveryService(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { stop(Outcome::DeadlineExceeded); });
}

DiscoveryService::~DiscoveryService()
{
    for (Host &h : m_hosts) {
        if (h.dnsLookupId >= 0)
            QHostInfo::abortHostLookup(h.dnsLookupId);
    }
}

bool DiscoveryService::start(const DiscoveryOptions &options, QString *error)
{
    const auto fail = [error](const QString &e) {
        if (error)
            *error = e;
        return false;
    };
    if (m_running)
        return fail(tr("A scan is already running."));
    if (options.targets.isEmpty())
        return fail(tr("Nothing to scan: no targets given."));
    if (options.sshPorts.isEmpty() && options.otherPorts.isEmpty())
        return fail(tr("Nothing to scan: no ports given."));
    if (options.maxInFlight < 1 || options.probeTimeoutMs < 1 || options.deadlineMs < 1)
        return fail(tr("Invalid scan limits."));

    m_options = options;
    m_hosts.clear();
    m_followUps.clear();
    m_results.clear();
    m_absent.clear();
    m_unresolved.clear();
    m_nextHost = 0;
    m_order.clear();
    m_pumpQueued = false;
    m_startedThisTurn = 0;
    m_reportedFirst = false;
    m_reportedConnect = false;
    m_startedHosts = 0;
    m_inFlight = 0;
    m_peakInFlight = 0;
    m_done = 0;
    m_stopping = false;
    m_arpAge.invalidate();
    m_mdnsNames.clear();
    m_waitingForMdns.clear();

    m_onLinkNets.clear();
    m_localAddresses.clear();
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &iface : interfaces) {
        for (const QNetworkAddressEntry &e : iface.addressEntries()) {
            m_localAddresses.insert(e.ip().toString());
            if (e.ip().protocol() != QAbstractSocket::IPv4Protocol || e.prefixLength() < 0)
                continue;
            const quint32 mask = e.prefixLength() == 0 ? 0 : ~quint32(0) << (32 - e.prefixLength());
            m_onLinkNets.append({e.ip().toIPv4Address() & mask, mask});
        }
    }

    QList<int> ports;
    for (int p : m_options.sshPorts + m_options.otherPorts) {
        if (p > 0 && p < 65536 && !ports.contains(p))
            ports << p;
    }
    m_hosts.reserve(options.targets.size());
    bool needResolve = false;
    for (const QString &t : options.targets) {
        Host h;
        h.target = t;
        h.address = QHostAddress(t);
        h.resolving = h.address.isNull();
        needResolve |= h.resolving;
        h.ports = std::deque<int>(ports.cbegin(), ports.cend());
        h.result.ip = h.address.isNull() ? QString() : h.address.toString();
        if (!h.address.isNull())
            h.onLink = isOnLink(h.address);
        m_hosts.append(h);
    }

    orderHosts();

    ++m_generation;
    m_running = true;
    m_clock.start();
    qCDebug(lcDiscovery, "scan of %lld targets started at %lld ms since the epoch",
            qint64(m_hosts.size()), epochMs());
    m_deadline.start(options.deadlineMs);
    Q_EMIT progressChanged(0, m_hosts.size());

    m_mdnsDone = true;
    if (options.mdns) {
        // Ask on the interface whose network holds the first IPv4 target, and only there.
        QHostAddress local;
        for (const Host &h : std::as_const(m_hosts)) {
            if (h.address.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            for (const QNetworkInterface &iface : interfaces) {
                for (const QNetworkAddressEntry &e : iface.addressEntries()) {
                    if (e.ip().protocol() == QAbstractSocket::IPv4Protocol &&
                        !(iface.flags() & QNetworkInterface::IsLoopBack) &&
                        h.address.isInSubnet(e.ip(), e.prefixLength()))
                        local = e.ip();
                }
            }
            break;
        }
        if (local.isNull()) {
            Q_EMIT message(tr("mDNS skipped: the scanned network is not on a local interface."));
        } else {
            m_mdns = new MdnsQuery(this);
            connect(m_mdns, &MdnsQuery::finished, this, &DiscoveryService::onMdnsFinished);
            m_mdnsDone = !m_mdns->start(local, MdnsQuery::defaultServices(), options.mdnsTimeoutMs);
            if (m_mdnsDone)
                Q_EMIT message(tr("mDNS query could not be sent: %1").arg(m_mdns->errorString()));
        }
    }
    if (needResolve)
        resolveNames();
    // Leave start() before the first signal so callers can connect after starting.
    QTimer::singleShot(0, this, &DiscoveryService::pump);
    // The vendor table is parsed (~1 ms) while the first probes are in flight, not when the
    // first board has answered and waits to be reported.
    QTimer::singleShot(0, this, [] { OuiTable::builtin(); });
    return true;
}

void DiscoveryService::orderHosts()
{
    // Addresses likely to answer are probed first, so the first board is reported while the
    // connects to empty addresses are still being opened: the lab's planned boards, then
    // addresses the neighbour table knows (answered ARP lately), then the rest in order.
    // Only the order changes; every target is probed.
    const QSet<QString> likely(m_options.likely.cbegin(), m_options.likely.cend());
    QList<int> planned, known, rest;
    for (int i = 0; i < m_hosts.size(); ++i) {
        const QString &ip = m_hosts[i].result.ip;
        if (likely.contains(m_hosts[i].target) || (!ip.isEmpty() && likely.contains(ip)))
            planned << i;
        else if (!ip.isEmpty() && m_hosts[i].onLink && !neighbourMac(ip).isEmpty())
            known << i;
        else
            rest << i;
    }
    m_order = planned + known + rest;
}

void DiscoveryService::resolveNames()
{
    for (int i = 0; i < m_hosts.size(); ++i) {
        if (!m_hosts[i].resolving)
            continue;
        QPointer<DiscoveryService> self(this);
        m_hosts[i].dnsLookupId = QHostInfo::lookupHost(
            m_hosts[i].target, this, [this, i, gen = m_generation](const QHostInfo &info) {
                if (gen != m_generation)
                    return;
                Host &h = m_hosts[i];
                if (!h.resolving)
                    return;
                h.resolving = false;
                h.dnsLookupId = -1;
                for (const QHostAddress &a : info.addresses()) {
                    if (a.protocol() == QAbstractSocket::IPv4Protocol || h.address.isNull())
                        h.address = a;
                    if (a.protocol() == QAbstractSocket::IPv4Protocol)
                        break;
                }
                if (h.address.isNull()) {
                    Q_EMIT message(tr("%1: name not resolved.").arg(h.target));
                    m_unresolved << h.target;
                    h.ports.clear();
                } else {
                    h.result.ip = h.address.toString();
                    h.result.reverseName = h.target;
                    h.onLink = isOnLink(h.address);
                }
                pump();
            });
        QTimer::singleShot(m_options.dnsTimeoutMs, this, [this, i, gen = m_generation] {
            if (gen != m_generation)
                return;
            Host &h = m_hosts[i];
            if (!h.resolving)
                return;
            QHostInfo::abortHostLookup(h.dnsLookupId);
            h.resolving = false;
            h.dnsLookupId = -1;
            h.ports.clear();
            m_unresolved << h.target;
            Q_EMIT message(tr("%1: name lookup timed out.").arg(h.target));
            pump();
        });
    }
}

bool DiscoveryService::isOnLink(const QHostAddress &address) const
{
    if (address.protocol() != QAbstractSocket::IPv4Protocol)
        return false;
    const quint32 a = address.toIPv4Address();
    for (const auto &net : m_onLinkNets) {
        if ((a & net.second) == net.first)
            return true;
    }
    return false;
}

void DiscoveryService::pump()
{
    // New hosts start in batches, one per event-loop turn: opening all 254 connects of a /24 in
    // one go kept the loop from seeing the first answers (and so from reporting the first board)
    // for a few hundred milliseconds. The batch is per turn, not per call: every answer calls
    // pump(), and ten boards answering in one turn each started a batch of their own (160
    // connects) before their banners were read. Follow-up probes of live hosts are not counted.
    while (m_running && !m_stopping && m_inFlight < m_options.maxInFlight) {
        if (!m_followUps.empty()) {
            const auto [hostIndex, port] = m_followUps.front();
            m_followUps.pop_front();
            startProbe(hostIndex, port);
            continue;
        }
        while (m_nextHost < m_order.size() && m_hosts[m_order[m_nextHost]].started)
            ++m_nextHost;
        int pick = -1;
        for (int o = m_nextHost; o < m_order.size(); ++o) { // names still resolving wait
            const int i = m_order[o];
            if (!m_hosts[i].started && !m_hosts[i].resolving) {
                pick = i;
                break;
            }
        }
        if (pick < 0)
            break;
        if (m_startedThisTurn == StartsPerTurn) {
            if (!m_pumpQueued) {
                m_pumpQueued = true;
                QTimer::singleShot(0, this, [this, gen = m_generation] {
                    if (gen != m_generation)
                        return; // start() resets both for a new scan
                    m_pumpQueued = false;
                    m_startedThisTurn = 0;
                    pump();
                });
            }
            break;
        }
        ++m_startedThisTurn;
        Host &h = m_hosts[pick];
        h.started = true;
        const bool last = ++m_startedHosts == m_hosts.size();
        if (h.ports.empty()) { // unresolvable name
            h.firstDone = true;
            h.done = true;
            m_absent << h.target;
            markDone(pick);
            continue;
        }
        const int port = h.ports.front();
        h.ports.pop_front();
        h.firstPort = port;
        startProbe(pick, port);
        if (last)
            qCDebug(lcDiscovery, "last host's first probe sent at %lld ms since the epoch",
                    epochMs());
    }
}

void DiscoveryService::startProbe(int hostIndex, int port)
{
    Host &h = m_hosts[hostIndex];
    auto *socket = new QTcpSocket(this);
    // A LAN probe never goes through a proxy, and asking for one costs: Qt consults the system
    // proxy configuration (libproxy, in a thread of its own that parses /etc/services) for every
    // connect, about half the CPU time of a /24 scan.
    socket->setProxy(QNetworkProxy::NoProxy);
    m_sockets.insert(socket, Probe{hostIndex, port, false, {}});
    ++m_inFlight;
    m_peakInFlight = qMax(m_peakInFlight, m_inFlight);
    ++h.inFlight;
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, socket] { onProbeDone(socket, false, false); });
    connect(socket, SIGNAL(connected()), this, SLOT(onSocketConnected()));
    connect(socket, SIGNAL(errorOccurred(QAbstractSocket::SocketError)), this,
            SLOT(onSocketError()));
    // Exactly the timeout: a coarse timer may fire 5 % early and cut a slow board short.
    timer->setTimerType(Qt::PreciseTimer);
    timer->start(m_options.probeTimeoutMs);
    socket->connectToHost(h.address, quint16(port));
}

void DiscoveryService::onSocketConnected()
{
    onProbeDone(static_cast<QTcpSocket *>(sender()), true, false);
}

void DiscoveryService::onSocketError()
{
    auto *socket = static_cast<QTcpSocket *>(sender());
    onProbeDone(socket, false, socket->error() == QAbstractSocket::ConnectionRefusedError);
}

void DiscoveryService::onSocketDisconnected()
{
    const auto it = m_sockets.constFind(static_cast<QTcpSocket *>(sender()));
    if (it != m_sockets.cend() && it->bannerDone) {
        const std::function<void()> done = it->bannerDone; // it removes the socket
        done();
    }
}

void DiscoveryService::onProbeDone(QTcpSocket *socket, bool connected, bool refused)
{
    const auto probe = m_sockets.find(socket);
    if (probe == m_sockets.end() || probe->done)
        return;
    probe->done = true;
    const int hostIndex = probe->hostIndex;
    const int port = probe->port;
    --m_inFlight;
    Host &h = m_hosts[hostIndex];
    --h.inFlight;
    if (connected || refused)
        h.alive = true;
    if (connected) {
        if (!m_reportedConnect) {
            m_reportedConnect = true;
            qCDebug(lcDiscovery, "first connect (%s:%d) at %lld ms since the epoch",
                    qPrintable(h.result.ip), port, epochMs());
        }
        h.result.openPorts.append(port);
        std::sort(h.result.openPorts.begin(), h.result.openPorts.end());
        if (m_options.sshPorts.contains(port) && h.result.sshBanner.isEmpty() && !m_stopping) {
            readBanner(hostIndex, port, socket);
        } else {
            m_sockets.remove(socket);
            socket->abort();
            socket->deleteLater();
        }
    } else {
        m_sockets.remove(socket);
        socket->abort();
        socket->deleteLater();
    }
    if (m_stopping)
        return;
    if (!h.firstDone) { // only the first probe runs before firstDone
        h.firstDone = true;
        afterFirstProbe(hostIndex);
    }
    maybeFinishHost(hostIndex);
    pump();
}

void DiscoveryService::afterFirstProbe(int hostIndex)
{
    Host &h = m_hosts[hostIndex];
    bool probeRest = h.alive;
    if (!probeRest) {
        // No answer on the first port. On the local link an ARP answer proves the host exists
        // (a firewall drops the SYN); no ARP answer means nobody is there. Off-link there is
        // no such shortcut, so every port is tried.
        if (!h.onLink)
            probeRest = true;
        else
            probeRest = !neighbourMac(h.result.ip).isEmpty();
    }
    if (!probeRest) {
        h.ports.clear();
        return;
    }
    // The host answered ARP but not the first connect in time: on a cold neighbour entry that
    // connect needed two round trips (ARP, then SYN), now it needs one. Ask the first port again
    // so a slow board (300-600 ms) is found with its SSH banner, not only by a refused port.
    if (!h.alive && h.onLink)
        m_followUps.emplace_back(hostIndex, h.firstPort);
    for (int p : h.ports)
        m_followUps.emplace_back(hostIndex, p);
    h.ports.clear();
}

void DiscoveryService::readBanner(int hostIndex, int port, QTcpSocket *socket)
{
    Host &h = m_hosts[hostIndex];
    ++h.banners;
    auto buffer = std::make_shared<QByteArray>();
    const quint64 gen = m_generation;
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    const auto done = [=] {
        if (gen != m_generation || !m_sockets.contains(socket))
            return; // read already, or the scan stopped
        Host &host = m_hosts[hostIndex];
        --host.banners;
        const SshBanner b = SshBanner::parse(*buffer);
        if (b.isValid() && host.result.sshBanner.isEmpty()) {
            host.result.sshBanner = b.line();
            host.result.sshPort = port;
        }
        m_sockets.remove(socket);
        socket->abort();
        socket->deleteLater();
        if (!m_stopping) {
            maybeFinishHost(hostIndex);
            pump();
        }
    };
    connect(timer, &QTimer::timeout, this, done);
    m_sockets[socket].bannerDone = done;
    connect(socket, SIGNAL(disconnected()), this, SLOT(onSocketDisconnected()));
    connect(socket, &QTcpSocket::readyRead, this, [=] {
        if (!m_sockets.contains(socket))
            return;
        buffer->append(socket->read(MaxBannerBytes - buffer->size()));
        const int ssh = buffer->indexOf("SSH-");
        if ((ssh >= 0 && buffer->indexOf('\n', ssh) >= 0) || buffer->size() >= MaxBannerBytes)
            done();
    });
    timer->start(m_options.bannerTimeoutMs);
}

void DiscoveryService::maybeFinishHost(int hostIndex)
{
    Host &h = m_hosts[hostIndex];
    if (h.done || h.finishing || !h.firstDone || h.inFlight > 0 || h.banners > 0 ||
        !h.ports.empty())
        return;
    for (const auto &f : m_followUps) {
        if (f.first == hostIndex)
            return;
    }
    if (!h.alive) {
        h.done = true;
        m_absent << h.target;
        markDone(hostIndex);
        return;
    }
    finishHost(hostIndex);
}

void DiscoveryService::finishHost(int hostIndex)
{
    Host &h = m_hosts[hostIndex];
    h.finishing = true;
    h.result.mac = h.onLink ? neighbourMac(h.result.ip, true) : QString();
    if (!m_options.reverseDns || !h.result.reverseName.isEmpty()) {
        emitHost(hostIndex);
        return;
    }
    h.dnsLookupId = QHostInfo::lookupHost(
        h.result.ip, this, [this, hostIndex, gen = m_generation](const QHostInfo &info) {
            if (gen != m_generation)
                return;
            Host &host = m_hosts[hostIndex];
            if (host.dnsLookupId < 0)
                return;
            host.dnsLookupId = -1;
            // Without a PTR record Qt returns the address itself as the name.
            if (info.error() == QHostInfo::NoError && info.hostName() != host.result.ip)
                host.result.reverseName = info.hostName();
            emitHost(hostIndex);
        });
    QTimer::singleShot(m_options.dnsTimeoutMs, this, [this, hostIndex, gen = m_generation] {
        if (gen != m_generation)
            return;
        Host &host = m_hosts[hostIndex];
        if (host.dnsLookupId < 0)
            return;
        QHostInfo::abortHostLookup(host.dnsLookupId);
        host.dnsLookupId = -1;
        emitHost(hostIndex);
    });
}

void DiscoveryService::emitHost(int hostIndex)
{
    if (!m_running || m_stopping)
        return;
    if (!m_mdnsDone) {
        m_waitingForMdns << hostIndex;
        return;
    }
    Host &h = m_hosts[hostIndex];
    if (h.done)
        return;
    h.done = true;
    h.result.mdnsName = m_mdnsNames.value(h.result.ip);
    h.result.isThisMachine = m_localAddresses.contains(h.result.ip);
    h.result.deriveHints(OuiTable::builtin());
    m_results << h.result;
    if (!m_reportedFirst) {
        m_reportedFirst = true;
        qCDebug(lcDiscovery, "first host (%s) reported at %lld ms since the epoch",
                qPrintable(h.result.ip), epochMs());
    }
    Q_EMIT hostFound(h.result);
    markDone(hostIndex);
}

void DiscoveryService::onMdnsFinished()
{
    m_mdnsDone = true;
    m_mdnsNames = m_mdns->namesByAddress();
    const QList<int> waiting = std::exchange(m_waitingForMdns, {});
    for (int i : waiting)
        emitHost(i);
}

void DiscoveryService::markDone(int /*hostIndex*/)
{
    ++m_done;
    Q_EMIT progressChanged(m_done, m_hosts.size());
    if (m_done >= m_hosts.size())
        stop(Outcome::Completed);
}

QString DiscoveryService::neighbourMac(const QString &ip, bool rereadIfMissing)
{
    // Hundreds of absent hosts time out together: re-reading the table for each would cost
    // seconds. An ARP answer arrives within milliseconds of the SYN, long before a probe times
    // out, so a table a few milliseconds old already holds it. A host that answered may have
    // done so after the last read, though: its MAC is worth one more read.
    const bool stale = !m_arpAge.isValid() || m_arpAge.elapsed() > ArpCacheMs;
    if (stale || (rereadIfMissing && !m_arpMacs.contains(ip))) {
        m_arpMacs.clear();
        const auto table = NeighbourTable::read();
        for (auto it = table.cbegin(); it != table.cend(); ++it) {
            if (it->complete)
                m_arpMacs.insert(it.key(), it->mac);
        }
        m_arpAge.start();
    }
    return m_arpMacs.value(ip);
}

void DiscoveryService::cancel()
{
    if (m_running)
        stop(Outcome::Cancelled);
}

void DiscoveryService::stop(Outcome outcome)
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    ++m_generation; // callbacks still queued from this scan become no-ops
    m_deadline.stop();
    for (auto it = m_sockets.keyBegin(); it != m_sockets.keyEnd(); ++it) {
        QTcpSocket *s = *it;
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
    m_sockets.clear();
    for (Host &h : m_hosts) {
        if (h.dnsLookupId >= 0) {
            QHostInfo::abortHostLookup(h.dnsLookupId);
            h.dnsLookupId = -1;
        }
    }
    if (m_mdns) {
        m_mdns->disconnect(this);
        m_mdns->deleteLater();
        m_mdns = nullptr;
    }
    m_inFlight = 0;
    m_followUps.clear();
    if (outcome == Outcome::DeadlineExceeded) {
        // Hosts already known to be there are reported with what is known so far.
        for (Host &h : m_hosts) {
            if (h.alive && !h.done) {
                h.done = true;
                h.result.mac = neighbourMac(h.result.ip);
                h.result.deriveHints(OuiTable::builtin());
                m_results << h.result;
                Q_EMIT hostFound(h.result);
            }
        }
    }
    // Report from the event loop: stop() may run inside a slot of a probe being torn down.
    qCDebug(lcDiscovery, "scan stopped (%s) at %lld ms since the epoch",
            QMetaEnum::fromType<Outcome>().valueToKey(int(outcome)), epochMs());
    QTimer::singleShot(0, this, [this, outcome] {
        m_running = false;
        Q_EMIT finished(outcome);
    });
}

} // namespace Hivelab
