// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QStringList>

namespace Hivelab {

/// DietPi's dietpi.txt, edited in place. Pure; any thread.
///
/// DietPi's first-boot script reads a setting from the first line that starts, after blanks,
/// with `KEY=` (commented lines `#KEY=` do not count); AUTO_SETUP_SSH_PUBKEY is read from every
/// such line, one key per line. The edit replaces exactly those first lines, appends keys the
/// file does not have at its end, and leaves every other byte as it was.
class DietPiConfig
{
public:
    using Setting = QPair<QString, QString>;
    using SshServer = Hivelab::SshServer; // Default: OpenSSH

    /// The settings that give a board its identity: hostname, static or DHCP networking,
    /// SSH server (AUTO_SETUP_SSH_SERVER_INDEX: -1 Dropbear, -2 OpenSSH), the keys (one
    /// AUTO_SETUP_SSH_PUBKEY each), unattended setup, time zone and locale when planned.
    static QList<Setting> settings(const BoardIdentity &id, const QStringList &authorizedKeys,
                                   SshServer server);
    /// Login: `password` as AUTO_SETUP_GLOBAL_PASSWORD (DietPi's first boot sets it for root
    /// and dietpi, then dietpi-software encrypts it and blanks the line), and SSH password
    /// logins off (SOFTWARE_DISABLE_SSH_PASSWORD_LOGINS=1): the keys are the way in over the
    /// network, the password is for a console.
    static QList<Setting> loginSettings(const QString &password);
    /// 24 random letters and digits (about 143 bits) from the system's generator: none of the
    /// characters DietPi warns about ($ " | \), well under Dropbear's 100 bytes.
    static QString randomPassword();
    /// `original` with `settings` applied. A key given several times (the public keys) takes
    /// the first such line and lines inserted right after it. False with `error` when a value
    /// holds a line break or a key is not A-Z, 0-9 and '_' (nothing is changed then).
    static bool edit(const QByteArray &original, const QList<Setting> &settings, QByteArray *out,
                     QString *error);
    /// The value DietPi reads for `key` (first matching line), or a null QString.
    static QString value(const QByteArray &text, const QString &key);
    /// Every value of a key read from all its lines (AUTO_SETUP_SSH_PUBKEY).
    static QStringList values(const QByteArray &text, const QString &key);
};

} // namespace Hivelab
