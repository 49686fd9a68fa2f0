// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootplan.h"

#include <QByteArray>
#include <QStringList>

namespace Hivelab {

/// First boot of Raspberry Pi OS before cloud-init (Debian 12 and earlier), as Raspberry Pi
/// Imager prepares it: an empty `ssh` file (sshswitch turns the server on), `userconf.txt`
/// (`user:crypt-hash`, read by userconf-pi, which renames the image's first user), and
/// `firstrun.sh`, run once through `systemd.run=` on the kernel command line in cmdline.txt:
/// hostname, the keys, password login off, static address, time zone; it then removes itself
/// and its cmdline.txt entries. Pure; any thread.
class RaspberryPiOsConfig
{
public:
    /// Tokens added to cmdline.txt (after the script path) and removed again by the script.
    static QStringList cmdlineTokens(const QString &scriptPath);
    /// Where the image mounts its boot partition: /boot/firmware from Debian 12 on (its
    /// cmdline.txt starts raspberrypi-sys-mods' firstboot), /boot before.
    static QString bootMountPoint(const QByteArray &cmdline);
    /// cmdline.txt with the first-run entries appended to its one line: every other byte stays
    /// as it was, except earlier first-run entries (a card prepared twice), which are replaced.
    /// False with `error` for a file that is not one line of text.
    static bool editCmdline(const QByteArray &original, const QString &scriptPath, QByteArray *out,
                            QString *error);
    /// `user:hash\n`. The hash is a crypt(3) string (cryptSha512()), never a password.
    static QByteArray userconf(const QString &user, const QByteArray &cryptHash);
    /// The first-run script (bash, as Imager's) for `id`, with `authorizedKeys`.
    static QByteArray firstRunScript(const BoardIdentity &id, const QStringList &authorizedKeys,
                                     const QString &bootMountPoint);
    /// glibc's SHA-512 crypt ("$6$salt$…", 5000 rounds), what userconf-pi and chpasswd -e take.
    /// `salt`: at most 16 characters of [./0-9A-Za-z].
    static QByteArray cryptSha512(const QByteArray &password, const QByteArray &salt);
    /// A single-quoted shell word.
    static QByteArray shellQuoted(const QString &text);
};

} // namespace Hivelab
