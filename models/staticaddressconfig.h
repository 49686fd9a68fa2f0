// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// What configures a running board's network, as StaticAddressConfig::probeScript() finds it.
enum class NetworkStack {
    Unknown,
    Ifupdown,       // /etc/network/interfaces (Debian, DietPi)
    Netplan,        // /etc/netplan/*.yaml (Ubuntu)
    NetworkManager, // nmcli (Raspberry Pi OS 12 and later)
    Dhcpcd,         // /etc/dhcpcd.conf (Raspberry Pi OS 11 and earlier)
};

/// What the probe reported about the interface that carries the SSH connection.
struct NetworkFacts
{
    NetworkStack stack = NetworkStack::Unknown;
    QString interface;    // e.g. eth0
    QString nmConnection; // NetworkManager: the interface's active connection
    QStringList nmOld;    // NetworkManager: ipv4.method, addresses, gateway, dns before the change
    bool cloudInit = false; // cloud-init installed: it would rewrite the network at next boot
    QMap<QString, QByteArray> files; // config files the change edits: path -> content
};

/// One file the change writes: its new content (the old one is saved on the board first).
struct ConfigWrite
{
    QString path;
    QByteArray content;
};

/// The change for one board: which files, and how the stack takes down / brings up the
/// interface with the old and the new configuration.
struct StaticAddressChange
{
    QList<ConfigWrite> writes;
    QString downOld; // before the new files are in place (ifupdown deconfigures from them)
    QString upNew;
    QString downNew; // rollback: before the old files are back
    QString upOld;
};

/// Switching a running board to its planned static address with a rollback that runs on the
/// board (like `netplan try`): the laptop probes the stack, stages the change with a watchdog
/// that restores the old files unless confirmed within a bound, starts the change detached from
/// the SSH session, then confirms over a new connection to the new address. Pure functions:
/// the scripts run on the board through `sh -s` as root; any thread.
class StaticAddressConfig
{
    Q_DECLARE_TR_FUNCTIONS(StaticAddressConfig)
public:
    /// Finds the interface holding `address` (where the laptop's SSH connection arrived) and the
    /// stack that configures it; prints `key=value` lines and `file PATH BASE64` lines.
    static QString probeScript(const QString &address);
    /// Reads probeScript()'s output; false with `error` when it is not that output or names no
    /// interface.
    static bool parseProbe(const QByteArray &output, NetworkFacts *facts, QString *error);

    /// The change that gives `facts.interface` the identity's static address. False with
    /// `error` for an unknown stack or an identity without a static address.
    static bool change(const NetworkFacts &facts, const BoardIdentity &identity,
                       StaticAddressChange *out, QString *error);

    /// Script that saves the files the change touches under STATEDIR/RUN, writes the
    /// new ones there, arms the watchdog (after `timeoutSeconds` it restores the old files and
    /// configuration unless confirmCommand() ran first) and prints "staged".
    /// `stateDir` is where runs keep their files (tests use a folder of their own).
    static QString stageScript(const StaticAddressChange &change, const QString &runId,
                               int timeoutSeconds, const QString &stateDir = defaultStateDir());
    /// Starts the staged change detached from the SSH session (the old address goes away).
    static QString startCommand(const QString &runId, const QString &stateDir = defaultStateDir());
    /// Atomically takes the pending mark from the watchdog; exit 0 only when it was still
    /// pending (the change is kept), 1 when the board has begun rolling back.
    static QString confirmCommand(const QString &runId,
                                  const QString &stateDir = defaultStateDir());
    /// Exit 0 once the watchdog took the pending mark (the board rolled back, or is doing so).
    static QString rolledBackCommand(const QString &runId,
                                     const QString &stateDir = defaultStateDir());
    /// /run/hivelab-network: a tmpfs, so a reboot forgets a run (the files stay as they are).
    static QString defaultStateDir() { return QStringLiteral("/run/hivelab-network"); }
    /// Run IDs are 1-32 of [A-Za-z0-9-] (they name a directory on the board).
    static bool isValidRunId(const QString &runId);
    /// "ifupdown", "netplan", "NetworkManager", "dhcpcd", "unknown".
    static QString stackName(NetworkStack stack);

    // The per-stack edits (exposed for tests).
    /// /etc/network/interfaces (or a file of interfaces.d): the `iface IF inet …` stanza and its
    /// option lines replaced by a static one, every other line kept. `found` says whether the
    /// file had one; without one the text comes back with `auto IF` and the stanza appended.
    static QByteArray ifupdownEdited(const QByteArray &text, const QString &interface,
                                     const BoardIdentity &identity, bool *found);
    /// A netplan file of its own that configures only the interface.
    static QByteArray netplanFile(const QString &interface, const BoardIdentity &identity);
    /// /etc/dhcpcd.conf: an earlier block of ours dropped, `static` lines of the interface's
    /// own block commented out, a new `interface IF` block with the static settings appended.
    static QByteArray dhcpcdEdited(const QByteArray &text, const QString &interface,
                                   const BoardIdentity &identity);
    /// The nmcli command that sets the connection to the identity's address.
    static QString nmcliModify(const QString &connection, const BoardIdentity &identity);
    /// cloud-init drop-in that stops it from rewriting the network from its seed at next boot.
    static QByteArray cloudInitDisable();
    static QString cloudInitDisablePath();
};

} // namespace Hivelab
