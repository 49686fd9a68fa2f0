// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// The identity one board boots with, resolved from the board and the lab's network defaults.
struct BoardIdentity
{
    QString boardId;
    QString hostname;
    QString user; // created on first boot, sudo without password, the laptop's key
    Addressing addressing = Addressing::Dhcp;
    QString address; // static only
    int prefixLength = -1;
    QString gateway;
    QStringList dns;
    QString timezone; // empty: the image's default
    QString locale;   // empty: the image's default
    QString instanceId;
};

/// Why a board's identity cannot be written onto a card yet: a code plus the data it names.
struct IdentityProblem
{
    enum class Code {
        NoHostname,
        NoUser,
        NoAddress,          // static, but no planned address
        NotIpv4,            // static addresses are IPv4 (value: the address)
        NoPrefix,           // neither the board nor the lab subnet give one
        OutsideSubnet,      // value: the address, other: the subnet
        IsGateway,          // value: the address
        NetworkOrBroadcast, // value: the address
        AddressTaken,       // value: the address, other: the board that has it
        GatewayOutsideNetwork, // value: the gateway
        HostnameTaken,      // value: the hostname, other: the board that has it
    };
    Code code;
    QString value;
    QString other;
    QString message() const;
    /// The planned static address is at fault (not the hostname or user).
    bool concernsAddress() const
    {
        return code != Code::NoHostname && code != Code::NoUser && code != Code::HostnameTaken;
    }
};

/// First-boot plans: each board's identity, lab-wide defaults, clash-free address allocation.
/// Pure functions on a Lab; any thread.
class FirstBootPlan
{
    Q_DECLARE_TR_FUNCTIONS(FirstBootPlan)
public:
    /// The board's identity: its own values first, then the lab's network settings.
    static BoardIdentity identity(const Lab &lab, const Board &board);
    /// Everything that keeps the board's identity from being written (empty: ready).
    static QList<IdentityProblem> problems(const Lab &lab, const Board &board);
    /// Gives each board of `boardIds` (all boards when empty) that is static without an address
    /// the lowest free host address of the lab subnet from poolStart on: never the network or
    /// broadcast address, the gateway, a DNS server or an address another board has. Returns
    /// the IDs of boards that got one; false with `error` when the subnet is missing or full
    /// (then the lab is unchanged).
    static bool allocateAddresses(Lab *lab, const QStringList &boardIds, QStringList *assigned,
                                  QString *error);
    /// "hivelab-<boardId>-<8 hex digits of nonce>": unique per card written, so cloud-init
    /// treats every prepared card as a new instance and discovery can match the board back.
    static QString makeInstanceId(const QString &boardId, quint32 nonce);

    // Syntax of the lab file's first-boot fields (the strict reader uses these).
    /// Linux login name: lower-case letter or '_', then up to 31 of a-z 0-9 _ -.
    static bool isValidUserName(const QString &user);
    /// tz database name ("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires").
    static bool isValidTimezone(const QString &tz);
    /// POSIX locale name ("en_GB.UTF-8", "C.UTF-8").
    static bool isValidLocale(const QString &locale);
    /// 1–128 of A-Z a-z 0-9 . _ : -
    static bool isValidInstanceId(const QString &id);
};

} // namespace Hivelab
