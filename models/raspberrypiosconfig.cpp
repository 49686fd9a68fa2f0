// SPDX-License-Identifier: GPL-3.0-or-later
#include "raspberrypiosconfig.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRegularExpression>

namespace Hivelab {

namespace {

QString tr(const char *s)
{
    return QCoreApplication::translate("RaspberryPiOsConfig", s);
}

QByteArray sha512(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha512);
}

// `digest` repeated to `length` bytes.
QByteArray stretched(const QByteArray &digest, int length)
{
    QByteArray out;
    while (out.size() + digest.size() <= length)
        out += digest;
    return out + digest.left(length - out.size());
}

QString netmaskLine(const BoardIdentity &id)
{
    return QStringLiteral("%1/%2").arg(id.address).arg(id.prefixLength);
}

} // namespace

QStringList RaspberryPiOsConfig::cmdlineTokens(const QString &scriptPath)
{
    // Imager's tokens: the one-shot target reboots into the normal boot once the script ran.
    return {QStringLiteral("systemd.run=") + scriptPath,
            QStringLiteral("systemd.run_success_action=reboot"),
            QStringLiteral("systemd.unit=kernel-command-line.target")};
}

QString RaspberryPiOsConfig::bootMountPoint(const QByteArray &cmdline)
{
    return cmdline.contains("raspberrypi-sys-mods/firstboot") ? QStringLiteral("/boot/firmware")
                                                              : QStringLiteral("/boot");
}

bool RaspberryPiOsConfig::editCmdline(const QByteArray &original, const QString &scriptPath,
                                      QByteArray *out, QString *error)
{
    qsizetype end = original.indexOf('\n');
    if (end < 0)
        end = original.size();
    if (end > 0 && original.at(end - 1) == '\r')
        --end;
    const QByteArray rest = original.mid(end);
    if (!rest.trimmed().isEmpty()) {
        *error = tr("cmdline.txt holds more than one line: not a Raspberry Pi OS kernel command "
                    "line");
        return false;
    }
    // Latin-1 both ways: every byte comes back as it was, whatever the encoding.
    QString line = QString::fromLatin1(original.left(end));
    if (line.trimmed().isEmpty()) {
        *error = tr("cmdline.txt is empty: write the OS image first");
        return false;
    }
    // A card prepared before: its first-run entries go, each with the blank after it, the rest
    // (the blanks before them too) stays, so preparing it again gives the same bytes.
    static const QRegularExpression earlier(
        QStringLiteral("(?<![^ \\t])(systemd\\.run(_success_action)?=\\S*|"
                       "systemd\\.unit=kernel-command-line\\.target)([ \\t]|$)"));
    line.remove(earlier);
    // The same blanks the pattern above separates entries by.
    if (!line.isEmpty() && line.back() != QLatin1Char(' ') && line.back() != QLatin1Char('\t'))
        line += QLatin1Char(' ');
    *out = line.toLatin1() + cmdlineTokens(scriptPath).join(QLatin1Char(' ')).toUtf8() + rest;
    return true;
}

QByteArray RaspberryPiOsConfig::userconf(const QString &user, const QByteArray &cryptHash)
{
    return user.toUtf8() + ':' + cryptHash + '\n';
}

QByteArray RaspberryPiOsConfig::shellQuoted(const QString &text)
{
    QByteArray t = text.toUtf8();
    t.replace('\'', "'\\''");
    return '\'' + t + '\'';
}

QByteArray RaspberryPiOsConfig::firstRunScript(const BoardIdentity &id,
                                               const QStringList &authorizedKeys,
                                               const QString &bootMountPoint)
{
    const QByteArray host = shellQuoted(id.hostname);
    QByteArray keys;
    for (const QString &k : authorizedKeys)
        keys += ' ' + shellQuoted(k.trimmed());
    QByteArray s =
        "#!/bin/bash\n"
        "# Written by Hivelab: first boot of Raspberry Pi OS (Debian 12 and earlier), run "
        "once\n# through systemd.run= in cmdline.txt, as Raspberry Pi Imager's "
        "firstrun.sh.\nset +e\n\n";
    s += "CURRENT_HOSTNAME=$(tr -d ' \\t\\n\\r' </etc/hostname)\n"
         "if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then\n"
         "   /usr/lib/raspberrypi-sys-mods/imager_custom set_hostname " +
         host +
         "\nelse\n"
         "   echo " +
         host +
         " >/etc/hostname\n"
         "   sed -i \"s/127.0.1.1.*$CURRENT_HOSTNAME/127.0.1.1\\t\"" +
         host + "/g /etc/hosts\nfi\n";
    // The keys go to the image's first user; userconf-pi renames it (and moves its home) to
    // the planned user from userconf.txt.
    s += "FIRSTUSER=$(getent passwd 1000 | cut -d: -f1)\n"
         "FIRSTUSERHOME=$(getent passwd 1000 | cut -d: -f6)\n"
         "if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then\n"
         "   /usr/lib/raspberrypi-sys-mods/imager_custom enable_ssh -k" +
         keys +
         "\nelse\n"
         "   install -o \"$FIRSTUSER\" -m 700 -d \"$FIRSTUSERHOME/.ssh\"\n"
         "   printf '%s\\n'" +
         keys +
         " >\"$FIRSTUSERHOME/.ssh/authorized_keys\"\n"
         "   chown \"$FIRSTUSER:\" \"$FIRSTUSERHOME/.ssh/authorized_keys\"\n"
         "   chmod 600 \"$FIRSTUSERHOME/.ssh/authorized_keys\"\n"
         "   echo 'PasswordAuthentication no' >>/etc/ssh/sshd_config\n"
         "   systemctl enable ssh\nfi\n";
    if (id.addressing == Addressing::Static && !id.address.isEmpty()) {
        // Debian 12's Raspberry Pi OS networks with NetworkManager, older ones with dhcpcd.
        const QByteArray cidr = netmaskLine(id).toUtf8();
        QByteArray nm = "[connection]\nid=hivelab-eth0\ntype=ethernet\ninterface-name=eth0\n"
                        "autoconnect-priority=100\n\n[ipv4]\nmethod=manual\naddress1=" +
                        cidr + (id.gateway.isEmpty() ? QByteArray() : ',' + id.gateway.toUtf8()) +
                        '\n';
        if (!id.dns.isEmpty())
            nm += "dns=" + id.dns.join(QLatin1Char(';')).toUtf8() + ";\n";
        nm += "\n[ipv6]\nmethod=auto\n";
        QByteArray dhcpcd = "\ninterface eth0\nstatic ip_address=" + cidr + '\n';
        if (!id.gateway.isEmpty())
            dhcpcd += "static routers=" + id.gateway.toUtf8() + '\n';
        if (!id.dns.isEmpty())
            dhcpcd += "static domain_name_servers=" + id.dns.join(QLatin1Char(' ')).toUtf8() + '\n';
        s += "NM=/etc/NetworkManager/system-connections\n"
             "if [ -d \"$NM\" ]; then\n"
             "   install -m 600 /dev/null \"$NM/hivelab-eth0.nmconnection\"\n"
             "   cat >\"$NM/hivelab-eth0.nmconnection\" <<'HIVELAB_NM'\n" +
             nm +
             "HIVELAB_NM\n"
             "elif [ -f /etc/dhcpcd.conf ]; then\n"
             "   cat >>/etc/dhcpcd.conf <<'HIVELAB_DHCPCD'\n" +
             dhcpcd + "HIVELAB_DHCPCD\nfi\n";
    }
    if (!id.timezone.isEmpty()) {
        const QByteArray tz = shellQuoted(id.timezone);
        s += "if [ -f /usr/lib/raspberrypi-sys-mods/imager_custom ]; then\n"
             "   /usr/lib/raspberrypi-sys-mods/imager_custom set_timezone " +
             tz +
             "\nelse\n"
             "   rm -f /etc/localtime\n"
             "   echo " +
             tz +
             " >/etc/timezone\n"
             "   dpkg-reconfigure -f noninteractive tzdata\nfi\n";
    }
    const QByteArray boot = shellQuoted(bootMountPoint);
    s += "rm -f " + boot + "/firstrun.sh\nsed -i 's| systemd.run.*||g' " + boot +
         "/cmdline.txt\nexit 0\n";
    return s;
}

QByteArray RaspberryPiOsConfig::cryptSha512(const QByteArray &password, const QByteArray &salt)
{
    // Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" (glibc, libxcrypt), default rounds.
    const QByteArray s = salt.left(16);
    const QByteArray &p = password;
    const int rounds = 5000;
    const QByteArray b = sha512(p + s + p);
    QByteArray a = p + s + stretched(b, int(p.size()));
    for (qsizetype n = p.size(); n > 0; n >>= 1)
        a += (n & 1) ? b : p;
    QByteArray c = sha512(a);
    const QByteArray pBytes = stretched(sha512(p.repeated(p.size())), int(p.size()));
    const QByteArray sBytes = stretched(sha512(s.repeated(16 + quint8(c.at(0)))), int(s.size()));
    for (int i = 0; i < rounds; ++i) {
        QByteArray r = (i & 1) ? pBytes : c;
        if (i % 3)
            r += sBytes;
        if (i % 7)
            r += pBytes;
        r += (i & 1) ? c : pBytes;
        c = sha512(r);
    }
    static const char itoa64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray out = "$6$" + s + '$';
    const auto put = [&out, &c](int x, int y, int z, int n) {
        quint32 w =
            (quint32(quint8(c.at(x))) << 16) | (quint32(quint8(c.at(y))) << 8) | quint8(c.at(z));
        for (int k = 0; k < n; ++k, w >>= 6)
            out += itoa64[w & 0x3f];
    };
    static const int order[21][3] = {
        {0, 21, 42},  {22, 43, 1},  {44, 2, 23},  {3, 24, 45},  {25, 46, 4},  {47, 5, 26},
        {6, 27, 48},  {28, 49, 7},  {50, 8, 29},  {9, 30, 51},  {31, 52, 10}, {53, 11, 32},
        {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38},
        {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};
    for (const auto &t : order)
        put(t[0], t[1], t[2], 4);
    quint32 w = quint8(c.at(63));
    for (int k = 0; k < 2; ++k, w >>= 6)
        out += itoa64[w & 0x3f];
    return out;
}

} // namespace Hivelab
