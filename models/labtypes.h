// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

/// Plain value types of a lab plan. No IO, no signals; any thread.
/// Objects refer to each other by string IDs (stable across saves), never by pointer.
namespace Hivelab {
Q_NAMESPACE

enum class Role { Unassigned, Manager, Worker };
Q_ENUM_NS(Role)

enum class Addressing { Dhcp, Static };
Q_ENUM_NS(Addressing)

/// The SSH server a board's first boot starts (DietPi images offer both). Default: the card
/// writer's own choice, OpenSSH.
enum class SshServer { Default, OpenSsh, Dropbear };
Q_ENUM_NS(SshServer)

enum class ObjectKind { Rack, PowerSupply, Switch, Board };
Q_ENUM_NS(ObjectKind)

/// Runtime state of a board as last seen; never saved in lab files.
enum class NodeState { Unknown, Offline, Reachable, DockerReady, SwarmReady, SwarmDown };
Q_ENUM_NS(NodeState)

struct Rack
{
    QString id;
    QString name;
    int slotCount = 4;
    bool operator==(const Rack &o) const
    {
        return id == o.id && name == o.name && slotCount == o.slotCount;
    }
};

struct PowerSupply
{
    QString id;
    QString name;
    QString rackId;  // rack it sits in (empty: outside any rack)
    QString circuit; // mains circuit / wall socket feeding it
    double ratingWatts = 0;
    double ratingAmps = 0; // alternative rating: amps at volts
    double volts = 0;
    /// Usable rating in watts, from watts or amps x volts.
    double effectiveWatts() const { return ratingWatts > 0 ? ratingWatts : ratingAmps * volts; }
    bool operator==(const PowerSupply &o) const
    {
        return id == o.id && name == o.name && rackId == o.rackId && circuit == o.circuit
               && ratingWatts == o.ratingWatts && ratingAmps == o.ratingAmps && volts == o.volts;
    }
};

struct NetworkSwitch
{
    QString id;
    QString name;
    QString rackId;
    QString psuId;          // powered by (empty: own wall adapter)
    int ports = 8;
    double watts = 5;       // its own draw on psuId
    QString uplinkSwitchId; // upstream switch inside the lab, if any
    QString uplink;         // free-text description of the uplink (e.g. "home router")
    bool operator==(const NetworkSwitch &o) const
    {
        return id == o.id && name == o.name && rackId == o.rackId && psuId == o.psuId
               && ports == o.ports && watts == o.watts && uplinkSwitchId == o.uplinkSwitchId
               && uplink == o.uplink;
    }
};

struct StorageDevice
{
    QString name;   // e.g. "usb-2tb"
    QString device; // e.g. /dev/sda (may be empty until discovered)
    qint64 sizeBytes = 0;
    QString mountPoint;
    double peakWatts = 0; // draw added to the board's supply (bus-powered disks)
    bool operator==(const StorageDevice &o) const
    {
        return name == o.name && device == o.device && sizeBytes == o.sizeBytes
               && mountPoint == o.mountPoint && peakWatts == o.peakWatts;
    }
};

/// Per-board first-boot settings written onto the board's card; empty values fall back to the
/// lab's NetworkSettings (FirstBootPlan::identity() resolves them).
struct FirstBoot
{
    int prefixLength = -1; // static address prefix, -1: the lab subnet's
    QString gateway;
    QStringList dns;
    QString timezone;   // e.g. "Europe/Berlin"
    QString locale;     // e.g. "en_GB.UTF-8"
    QString instanceId; // marker on the last card prepared for this board (cloud-init meta-data)
    SshServer sshServer = SshServer::Default; // DietPi cards only: "dropbear" or "openssh"
    bool isEmpty() const { return *this == FirstBoot(); }
    bool operator==(const FirstBoot &o) const
    {
        return prefixLength == o.prefixLength && gateway == o.gateway && dns == o.dns &&
               timezone == o.timezone && locale == o.locale && instanceId == o.instanceId &&
               sshServer == o.sshServer;
    }
};

struct Board
{
    QString id;
    QString name;
    QString hostname;
    QString model; // board catalog id, e.g. "pine64-a64-lts"
    QString arch;  // "arm64", "amd64", "armhf"
    QString os;    // e.g. "DietPi 9", "Ubuntu 16.04", "Windows Server 2019"
    QString mac;   // upper-case, colon separated
    QString ip;
    Addressing addressing = Addressing::Dhcp;
    QString sshHost; // defaults to ip, then hostname
    int sshPort = 22;
    QString sshUser;
    Role role = Role::Unassigned;
    QString rackId;
    int slot = -1; // 0-based, -1: not placed
    QString psuId;
    QString switchId;
    int switchPort = -1; // 1-based, -1: unknown
    QMap<QString, QString> labels;
    QList<StorageDevice> storage;
    QString notes;
    QString nodeId; // swarm node ID once the board joined (Docker's 25-character ID)
    FirstBoot firstBoot;

    bool isWindows() const { return os.contains(QLatin1String("Windows"), Qt::CaseInsensitive); }
    bool hasStorage() const { return !storage.isEmpty(); }
    /// Where to reach this board over SSH: explicit host, else IP, else hostname.
    QString sshTarget() const
    {
        return !sshHost.isEmpty() ? sshHost : (!ip.isEmpty() ? ip : hostname);
    }
    bool operator==(const Board &o) const
    {
        return id == o.id && name == o.name && hostname == o.hostname && model == o.model &&
               arch == o.arch && os == o.os && mac == o.mac && ip == o.ip &&
               addressing == o.addressing && sshHost == o.sshHost && sshPort == o.sshPort &&
               sshUser == o.sshUser && role == o.role && rackId == o.rackId && slot == o.slot &&
               psuId == o.psuId && switchId == o.switchId && switchPort == o.switchPort &&
               labels == o.labels && storage == o.storage && notes == o.notes && nodeId == o.nodeId &&
               firstBoot == o.firstBoot;
    }
    bool operator!=(const Board &o) const { return !(*this == o); }
};

struct SwarmSettings
{
    QString advertiseNetwork; // CIDR the managers advertise on, e.g. 10.77.0.0/24
    QMap<QString, QString> defaultLabels;
    bool operator==(const SwarmSettings &o) const
    {
        return advertiseNetwork == o.advertiseNetwork && defaultLabels == o.defaultLabels;
    }
};

/// Lab-wide defaults of the identity boards boot with (FirstBoot holds per-board overrides).
struct NetworkSettings
{
    QString subnet;    // IPv4 network planned static addresses come from, e.g. 192.168.1.0/24
    QString gateway;   // default route of static boards
    QStringList dns;   // name servers of static boards
    QString poolStart; // first address handed out (empty: the subnet's first host address)
    QString loginUser; // user created on first boot when a board has no sshUser
    QString timezone;
    QString locale;
    bool isEmpty() const { return *this == NetworkSettings(); }
    bool operator==(const NetworkSettings &o) const
    {
        return subnet == o.subnet && gateway == o.gateway && dns == o.dns &&
               poolStart == o.poolStart && loginUser == o.loginUser && timezone == o.timezone &&
               locale == o.locale;
    }
};

/// A whole lab plan: what a .hivelab file holds.
struct Lab
{
    QString name;
    QList<Rack> racks; // in display order
    QList<PowerSupply> powerSupplies;
    QList<NetworkSwitch> switches;
    QList<Board> boards;
    SwarmSettings swarm;
    NetworkSettings network;

    const Rack *rack(const QString &id) const;
    const PowerSupply *powerSupply(const QString &id) const;
    const NetworkSwitch *networkSwitch(const QString &id) const;
    const Board *board(const QString &id) const;
    Board *board(const QString &id);
    int rackIndex(const QString &id) const;
    int boardIndex(const QString &id) const;
    /// Board in the given rack slot, or nullptr.
    const Board *boardAt(const QString &rackId, int slot) const;
    QList<const Board *> managers() const;
    /// A new ID with the given prefix not used by any object ("board-7").
    QString uniqueId(const QString &prefix) const;

    bool operator==(const Lab &o) const
    {
        return name == o.name && racks == o.racks && powerSupplies == o.powerSupplies
               && switches == o.switches && boards == o.boards && swarm == o.swarm
               && network == o.network;
    }
};

QString roleName(Role role);
bool roleFromName(const QString &name, Role *role);

} // namespace Hivelab

Q_DECLARE_METATYPE(Hivelab::Board)
