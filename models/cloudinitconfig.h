// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"

#include <QByteArray>
#include <QStringList>

namespace Hivelab {

/// cloud-init NoCloud seed files for one board (user-data, meta-data, network-config v2), as
/// the image's cloud-init reads them from the card's boot partition. Pure; any thread.
///
/// Every string is written as a double-quoted scalar with JSON escapes, which YAML reads back
/// unchanged whatever it contains (a hostname "on", a key comment with ": "). The network config
/// uses only forms cloud-init 22.4 (Debian 12) accepts as well as current releases: the default
/// route is `to: 0.0.0.0/0`, never `to: default`.
class CloudInitConfig
{
public:
    /// The interface the static address goes to when the board does not name another.
    static constexpr const char *DefaultInterface = "eth0";

    /// "#cloud-config": hostname, the login user with passwordless sudo and the keys, password
    /// login off, time zone and locale when planned.
    static QByteArray userData(const BoardIdentity &id, const QStringList &authorizedKeys);
    /// instance-id (the marker discovery matches the board back by) and local-hostname.
    static QByteArray metaData(const BoardIdentity &id);
    /// Network config version 2: DHCP, or the static address, default route and name servers.
    static QByteArray networkConfig(const BoardIdentity &id,
                                    const QString &interface = QLatin1String(DefaultInterface));
    /// A YAML double-quoted scalar with JSON escapes.
    static QByteArray quoted(const QString &text);
};

} // namespace Hivelab
