// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Hivelab {

/// What an SSH server's identification string ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3") tells
/// before any login. Pure parser; any thread.
class SshBanner
{
public:
    /// Parses the first "SSH-" line of the bytes a server sent; lines before it are allowed by
    /// RFC 4253. Returns an invalid banner (isValid() false) for anything else.
    static SshBanner parse(const QByteArray &data);

    bool isValid() const { return !m_protocol.isEmpty(); }
    QString line() const { return m_line; }         // the identification line, trimmed
    QString protocol() const { return m_protocol; } // "2.0"
    QString software() const { return m_software; } // "OpenSSH", "Dropbear", or as sent
    QString version() const { return m_version; }   // "9.2p1", "2022.83"
    QString comment() const { return m_comment; }   // "Debian-2+deb12u3"
    /// Best guess at the OS ("Debian 12", "Ubuntu 22.04", "Windows"), or empty.
    QString osHint() const { return m_osHint; }
    /// One human sentence about the server ("Dropbear: typical of DietPi …"), or empty.
    QString note() const { return m_note; }
    bool isWindows() const { return m_windows; }
    bool isDropbear() const { return m_software == QLatin1String("Dropbear"); }

private:
    QString m_line, m_protocol, m_software, m_version, m_comment, m_osHint, m_note;
    bool m_windows = false;
};

} // namespace Hivelab
