// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "discoveredhost.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

class QTcpSocket;

namespace Hivelab {

class MdnsQuery;

struct DiscoveryOptions
{
    QStringList targets;     // expanded hosts (ScanTargets::parse); nothing else is ever probed
    QStringList likely;      // targets probed first (a lab's planned boards); others are not added
    QList<int> sshPorts{22}; // 22 plus user-added SSH ports; banners are read on these
    QList<int> otherPorts{DiscoveredHost::DockerPlain, DiscoveredHost::DockerTls,
                          DiscoveredHost::WinRmHttp, DiscoveredHost::WinRmHttps,
                          DiscoveredHost::Rdp};
    int maxInFlight = 256;      // concurrent TCP connects
    int probeTimeoutMs = 600;   // per connect attempt
    int bannerTimeoutMs = 1500; // waiting for an SSH identification line
    int dnsTimeoutMs = 1000;    // per reverse/forward lookup
    int deadlineMs = 120000;    // whole scan; then it stops and reports what it has
    bool reverseDns = true;
    bool mdns = false; // multicast DNS query on the scanned network's interface
    int mdnsTimeoutMs = 1500;
};

/// Finds hosts by parallel non-blocking TCP connects and identifies them without logging in
/// (SSH banner, MAC from the neighbour table, OUI vendor, reverse DNS, optional mDNS).
/// Asynchronous job living in its owner's thread (GUI or CLI main thread); no threads of its
/// own. Probes only options.targets. A host counts as present when any port connects or is
/// refused (RST); when the first probe gets no answer, the neighbour table decides for on-link
/// addresses (an ARP answer means the host exists but filters), so an absent host costs one
/// probe timeout instead of one per port.
class DiscoveryService : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscoveryService)
public:
    enum class Outcome { Completed, Cancelled, DeadlineExceeded };
    Q_ENUM(Outcome)

    explicit DiscoveryService(QObject *parent = nullptr);
    ~DiscoveryService() override;

    /// Starts a scan; returns false with *error if one is running or options are unusable.
    bool start(const DiscoveryOptions &options, QString *error = nullptr);
    /// Stops probing; finished(Cancelled) follows from the event loop. Owner thread only.
    void cancel();
    bool isRunning() const { return m_running; }

    const QList<DiscoveredHost> &results() const { return m_results; }
    /// Targets that were probed and gave no sign of life.
    QStringList absentHosts() const { return m_absent; }
    /// Host-name targets that did not resolve (or whose lookup timed out); also in absentHosts().
    QStringList unresolvedNames() const { return m_unresolved; }
    /// Most connects that were ever in flight at once (never above maxInFlight).
    int peakInFlight() const { return m_peakInFlight; }
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }

Q_SIGNALS:
    /// As soon as a host is known (its probes, banner, MAC and names are in).
    void hostFound(const Hivelab::DiscoveredHost &host);
    void progressChanged(qint64 done, qint64 total);
    void message(const QString &text);
    void finished(Hivelab::DiscoveryService::Outcome outcome);

private Q_SLOTS:
    // A probe's socket signals. They are connected by name, SIGNAL()/SLOT(): a member-pointer
    // connect makes the binary refer to QAbstractSocket's meta-object, which would load Qt
    // Network before the window's first frame (app/lazyload/lazyload.cpp).
    void onSocketConnected();
    void onSocketError();
    void onSocketDisconnected();

private:
    struct Host
    {
        QString target;
        QHostAddress address;
        std::deque<int> ports; // not yet probed
        int inFlight = 0;
        int banners = 0;      // banner reads in progress
        int firstPort = 0;    // port of the first probe
        bool started = false; // first probe launched
        bool alive = false;
        bool firstDone = false;
        bool onLink = false;
        bool resolving = false;
        bool finishing = false;
        bool done = false;
        int dnsLookupId = -1;
        DiscoveredHost result;
    };

    void pump();
    void startProbe(int hostIndex, int port);
    void onProbeDone(QTcpSocket *socket, bool connected, bool refused);
    void readBanner(int hostIndex, int port, QTcpSocket *socket);
    void afterFirstProbe(int hostIndex);
    void maybeFinishHost(int hostIndex);
    void finishHost(int hostIndex);
    void emitHost(int hostIndex);
    void markDone(int hostIndex);
    void resolveNames();
    void stop(Outcome outcome);
    bool isOnLink(const QHostAddress &address) const;
    QString neighbourMac(const QString &ip, bool rereadIfMissing = false);
    void onMdnsFinished();
    void orderHosts();

    DiscoveryOptions m_options;
    QList<Host> m_hosts;
    QList<int> m_order; // host indices in probing order: likely answers first
    std::deque<std::pair<int, int>> m_followUps; // (host, port), served before new hosts
    int m_nextHost = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    qint64 m_done = 0;
    bool m_running = false;
    quint64 m_generation = 0; // bumps on start/stop so stale callbacks do nothing
    bool m_stopping = false;
    bool m_pumpQueued = false; // pump() runs again on the next event-loop turn
    int m_startedThisTurn = 0; // new hosts started since the last queued pump()
    bool m_reportedFirst = false;
    bool m_reportedConnect = false;
    int m_startedHosts = 0;
    QSet<QString> m_localAddresses;
    QList<QPair<quint32, quint32>> m_onLinkNets; // (network, mask) of local IPv4 interfaces
    QList<DiscoveredHost> m_results;
    QStringList m_absent;
    QStringList m_unresolved;
    struct Probe
    {
        int hostIndex = -1;
        int port = 0;
        bool done = false;                // its connect answered, was refused or timed out
        std::function<void()> bannerDone; // while its SSH banner is read; then it leaves
    };
    QHash<QTcpSocket *, Probe> m_sockets; // probes in flight
    QTimer m_deadline;
    QElapsedTimer m_clock;
    QElapsedTimer m_arpAge;
    QHash<QString, QString> m_arpMacs; // complete entries only
    MdnsQuery *m_mdns = nullptr;
    bool m_mdnsDone = true;
    QHash<QString, QString> m_mdnsNames;
    QList<int> m_waitingForMdns;
};

} // namespace Hivelab
