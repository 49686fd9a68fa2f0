// SPDX-License-Identifier: GPL-3.0-or-later
#include "staticaddressconfig.h"

#include "scantargets.h"

#include <QRegularExpression>

namespace Hivelab {

namespace {

QString quoted(const QString &text)
{
    QString t = text;
    t.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + t + QLatin1Char('\'');
}

// Interface names and NetworkManager connection names reach the board's shell only quoted;
// interface names are checked too, since they also go into the files.
bool validInterface(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.:@-]{1,15}$"));
    return re.match(name).hasMatch();
}

QString addressWithPrefix(const BoardIdentity &id)
{
    return QStringLiteral("%1/%2").arg(id.address).arg(id.prefixLength);
}

const QStringList &stanzaKeywords()
{
    static const QStringList words{QStringLiteral("iface"),      QStringLiteral("mapping"),
                                   QStringLiteral("auto"),       QStringLiteral("source"),
                                   QStringLiteral("source-dir"), QStringLiteral("source-directory"),
                                   QStringLiteral("rename"),     QStringLiteral("no-auto-down"),
                                   QStringLiteral("no-scripts")};
    return words;
}

QString firstWord(const QByteArray &line)
{
    const QString t = QString::fromUtf8(line).trimmed();
    return t.section(QRegularExpression(QStringLiteral("\\s+")), 0, 0);
}

bool isStanzaStart(const QByteArray &line)
{
    const QString w = firstWord(line);
    return stanzaKeywords().contains(w) || w.startsWith(QLatin1String("allow-"));
}

bool isIfaceOf(const QByteArray &line, const QString &interface)
{
    const QStringList w = QString::fromUtf8(line).trimmed().split(
        QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    return w.size() >= 3 && w[0] == QLatin1String("iface") && w[1] == interface &&
           w[2] == QLatin1String("inet");
}

QByteArray ifupdownStanza(const QString &interface, const BoardIdentity &id)
{
    QString s = QStringLiteral("iface %1 inet static\n    address %2\n")
                    .arg(interface, addressWithPrefix(id));
    if (!id.gateway.isEmpty())
        s += QStringLiteral("    gateway %1\n").arg(id.gateway);
    if (!id.dns.isEmpty())
        s += QStringLiteral("    dns-nameservers %1\n").arg(id.dns.join(QLatin1Char(' ')));
    return s.toUtf8();
}

// Replaces (or with an empty `stanza`, drops) the interface's inet stanza: the iface line up to
// its last option line before the next stanza; comments and blank lines after it stay.
QByteArray replaceStanza(const QByteArray &text, const QString &interface, const QByteArray &stanza,
                         bool *found)
{
    QList<QByteArray> lines = text.split('\n');
    const bool trailingNewline = text.endsWith('\n');
    if (trailingNewline)
        lines.removeLast();
    *found = false;
    QList<QByteArray> out;
    for (int i = 0; i < lines.size(); ++i) {
        if (*found || !isIfaceOf(lines[i], interface)) {
            out.append(lines[i]);
            continue;
        }
        *found = true;
        int last = i;
        int j = i + 1;
        for (; j < lines.size() && !isStanzaStart(lines[j]); ++j) {
            const QByteArray t = lines[j].trimmed();
            if (!t.isEmpty() && !t.startsWith('#'))
                last = j;
        }
        if (!stanza.isEmpty()) {
            QList<QByteArray> add = stanza.split('\n');
            add.removeLast();
            out.append(add);
        }
        i = last;
    }
    QByteArray result = out.join('\n');
    if (trailingNewline)
        result += '\n';
    return result;
}

// clang-format off
// Order matters: Ubuntu desktops run NetworkManager under netplan (netplan owns the files),
// Raspberry Pi OS 12 still ships dhcpcd's binary but runs NetworkManager, and Debian images with
// NetworkManager keep /etc/network/interfaces for loopback.
const char kProbeScript[] = R"SH(a=%1
dev=$(ip -o -4 addr show 2>/dev/null | awk -v a="$a" '{split($4,p,"/"); if (p[1]==a) {print $2; exit}}')
dev=${dev%%@*}
[ -n "$dev" ] || { echo "error=no interface holds $a"; exit 0; }
echo "interface=$dev"
command -v cloud-init >/dev/null 2>&1 && echo cloudinit=1
emit() { [ -f "$1" ] && printf 'file %s %s\n' "$1" "$(base64 < "$1" | tr -d '\n')"; }
if command -v netplan >/dev/null 2>&1 && ls /etc/netplan/*.yaml >/dev/null 2>&1; then
    echo stack=netplan
    for f in /etc/netplan/*.yaml; do emit "$f"; done
elif command -v nmcli >/dev/null 2>&1 && [ "$(nmcli -t -g RUNNING general 2>/dev/null)" = running ] &&
     c=$(nmcli -g GENERAL.CONNECTION device show "$dev" 2>/dev/null) && [ -n "$c" ]; then
    echo stack=networkmanager
    printf 'nmconnection %s\n' "$(printf %s "$c" | base64 | tr -d '\n')"
    printf 'nmold %s\n' "$(nmcli -g ipv4.method,ipv4.addresses,ipv4.gateway,ipv4.dns connection show "$c" | base64 | tr -d '\n')"
elif command -v dhcpcd >/dev/null 2>&1 && [ -f /etc/dhcpcd.conf ] &&
     { pidof dhcpcd >/dev/null 2>&1 || systemctl is-active -q dhcpcd 2>/dev/null; }; then
    echo stack=dhcpcd
    emit /etc/dhcpcd.conf
elif command -v ifup >/dev/null 2>&1 && [ -f /etc/network/interfaces ]; then
    echo stack=ifupdown
    emit /etc/network/interfaces
    for f in /etc/network/interfaces.d/*; do
        [ -f "$f" ] && grep -qE "^[[:space:]]*iface[[:space:]]+$dev[[:space:]]" "$f" && emit "$f"
    done
else
    echo stack=unknown
fi
exit 0
)SH";
// clang-format on

QByteArray b64(const QByteArray &data)
{
    return data.toBase64();
}

} // namespace

QString StaticAddressConfig::stackName(NetworkStack stack)
{
    switch (stack) {
    case NetworkStack::Ifupdown:
        return QStringLiteral("ifupdown");
    case NetworkStack::Netplan:
        return QStringLiteral("netplan");
    case NetworkStack::NetworkManager:
        return QStringLiteral("NetworkManager");
    case NetworkStack::Dhcpcd:
        return QStringLiteral("dhcpcd");
    case NetworkStack::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

bool StaticAddressConfig::isValidRunId(const QString &runId)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9-]{1,32}$"));
    return re.match(runId).hasMatch();
}

QString StaticAddressConfig::probeScript(const QString &address)
{
    return QString::fromLatin1(kProbeScript).arg(quoted(address));
}

bool StaticAddressConfig::parseProbe(const QByteArray &output, NetworkFacts *facts, QString *error)
{
    NetworkFacts f;
    bool sawStack = false;
    for (const QByteArray &raw : output.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.startsWith("error=")) {
            // A failure always comes with a reason, even when the board gave none.
            *error = QString::fromUtf8(line.mid(6)).trimmed();
            if (error->isEmpty())
                *error = tr("The board's network probe failed without saying why.");
            return false;
        }
        if (line.startsWith("interface=")) {
            f.interface = QString::fromUtf8(line.mid(10));
        } else if (line == "cloudinit=1") {
            f.cloudInit = true;
        } else if (line.startsWith("stack=")) {
            sawStack = true;
            const QByteArray s = line.mid(6);
            f.stack = s == "ifupdown"         ? NetworkStack::Ifupdown
                      : s == "netplan"        ? NetworkStack::Netplan
                      : s == "networkmanager" ? NetworkStack::NetworkManager
                      : s == "dhcpcd"         ? NetworkStack::Dhcpcd
                                              : NetworkStack::Unknown;
        } else if (line.startsWith("file ")) {
            const QList<QByteArray> parts = line.split(' ');
            if (parts.size() < 2 || !parts[1].startsWith('/')) {
                *error = tr("The board's answer has a malformed file line.");
                return false;
            }
            f.files.insert(QString::fromUtf8(parts[1]),
                           parts.size() > 2 ? QByteArray::fromBase64(parts[2]) : QByteArray());
        } else if (line.startsWith("nmconnection ")) {
            f.nmConnection = QString::fromUtf8(QByteArray::fromBase64(line.mid(13)));
        } else if (line.startsWith("nmold ")) {
            f.nmOld = QString::fromUtf8(QByteArray::fromBase64(line.mid(6))).split(QLatin1Char('\n'));
        }
    }
    if (!sawStack || f.interface.isEmpty()) {
        *error = tr("The board did not say which interface and network stack it uses.");
        return false;
    }
    if (!validInterface(f.interface)) {
        *error = tr("Unexpected interface name \"%1\".").arg(f.interface);
        return false;
    }
    *facts = f;
    return true;
}

QByteArray StaticAddressConfig::ifupdownEdited(const QByteArray &text, const QString &interface,
                                               const BoardIdentity &identity, bool *found)
{
    const QByteArray stanza = ifupdownStanza(interface, identity);
    QByteArray out = replaceStanza(text, interface, stanza, found);
    if (*found)
        return out;
    if (!out.isEmpty() && !out.endsWith('\n'))
        out += '\n';
    return out + "\nauto " + interface.toUtf8() + '\n' + stanza;
}

QByteArray StaticAddressConfig::netplanFile(const QString &interface, const BoardIdentity &identity)
{
    // Quoted scalars (JSON escapes are YAML's), `to: 0.0.0.0/0` rather than `default` (older
    // netplan). A file of its own, read after the image's 50-cloud-init.yaml: netplan merges
    // files, the later one wins for dhcp4, and lists (addresses) are joined.
    auto q = [](const QString &s) { return QStringLiteral("\"%1\"").arg(s); };
    QString y = QStringLiteral("# Written by Hivelab (hivelab network apply).\n"
                               "network:\n  version: 2\n  ethernets:\n    %1:\n"
                               "      dhcp4: false\n      addresses: [%2]\n")
                    .arg(q(interface), q(addressWithPrefix(identity)));
    if (!identity.gateway.isEmpty())
        y += QStringLiteral("      routes:\n        - to: \"0.0.0.0/0\"\n          via: %1\n")
                 .arg(q(identity.gateway));
    if (!identity.dns.isEmpty()) {
        QStringList dns;
        for (const QString &d : identity.dns)
            dns << q(d);
        y += QStringLiteral("      nameservers:\n        addresses: [%1]\n")
                 .arg(dns.join(QStringLiteral(", ")));
    }
    return y.toUtf8();
}

QByteArray StaticAddressConfig::dhcpcdEdited(const QByteArray &text, const QString &interface,
                                             const BoardIdentity &identity)
{
    static const QByteArray begin = "# hivelab: begin";
    static const QByteArray end = "# hivelab: end";
    QList<QByteArray> lines = text.split('\n');
    if (text.endsWith('\n'))
        lines.removeLast();
    QList<QByteArray> out;
    bool ours = false;
    bool inBlock = false; // inside the interface's own `interface IF` block
    for (const QByteArray &line : lines) {
        const QByteArray t = line.trimmed();
        if (t == begin) {
            ours = true;
            continue;
        }
        if (ours) {
            ours = t != end;
            continue;
        }
        const QStringList w = QString::fromUtf8(t).split(QRegularExpression(QStringLiteral("\\s+")),
                                                          Qt::SkipEmptyParts);
        if (!w.isEmpty() && (w[0] == QLatin1String("interface") || w[0] == QLatin1String("ssid")))
            inBlock = w[0] == QLatin1String("interface") && w.value(1) == interface;
        if (inBlock && !w.isEmpty() && w[0] == QLatin1String("static")) {
            out.append("#hivelab# " + line);
            continue;
        }
        out.append(line);
    }
    QByteArray result = out.join('\n');
    if (!result.isEmpty())
        result += '\n';
    QString block = QStringLiteral("%1\ninterface %2\nstatic ip_address=%3\n")
                        .arg(QString::fromUtf8(begin), interface, addressWithPrefix(identity));
    if (!identity.gateway.isEmpty())
        block += QStringLiteral("static routers=%1\n").arg(identity.gateway);
    if (!identity.dns.isEmpty())
        block += QStringLiteral("static domain_name_servers=%1\n")
                     .arg(identity.dns.join(QLatin1Char(' ')));
    block += QString::fromUtf8(end) + QLatin1Char('\n');
    return result + block.toUtf8();
}

QString StaticAddressConfig::nmcliModify(const QString &connection, const BoardIdentity &identity)
{
    return QStringLiteral("nmcli connection modify %1 ipv4.method manual ipv4.addresses %2 "
                          "ipv4.gateway %3 ipv4.dns %4")
        .arg(quoted(connection), quoted(addressWithPrefix(identity)), quoted(identity.gateway),
             quoted(identity.dns.join(QLatin1Char(','))));
}

QString StaticAddressConfig::cloudInitDisablePath()
{
    return QStringLiteral("/etc/cloud/cloud.cfg.d/99-hivelab-network.cfg");
}

QByteArray StaticAddressConfig::cloudInitDisable()
{
    return "# Written by Hivelab (hivelab network apply): the address is static now, so\n"
           "# cloud-init must not render the network from its seed again.\n"
           "network: {config: disabled}\n";
}

bool StaticAddressConfig::change(const NetworkFacts &facts, const BoardIdentity &identity,
                                 StaticAddressChange *out, QString *error)
{
    if (identity.addressing != Addressing::Static || identity.address.isEmpty() ||
        !ScanTargets::parseIPv4(identity.address) || identity.prefixLength < 0 ||
        identity.prefixLength > 32) {
        *error = tr("The board has no planned static IPv4 address with a prefix length.");
        return false;
    }
    if (!validInterface(facts.interface)) {
        *error = tr("Unexpected interface name \"%1\".").arg(facts.interface);
        return false;
    }
    StaticAddressChange c;
    const QString dev = quoted(facts.interface);
    switch (facts.stack) {
    case NetworkStack::Ifupdown: {
        // ifdown reads the stanza it takes down, so it runs while the old files are in place.
        bool placed = false;
        for (auto it = facts.files.cbegin(); it != facts.files.cend(); ++it) {
            bool found = false;
            const QByteArray edited =
                placed ? replaceStanza(it.value(), facts.interface, {}, &found)
                       : replaceStanza(it.value(), facts.interface,
                                       ifupdownStanza(facts.interface, identity), &found);
            if (found) {
                c.writes.append({it.key(), edited});
                placed = true;
            }
        }
        if (!placed) {
            const QString main = QStringLiteral("/etc/network/interfaces");
            bool found = false;
            c.writes.append(
                {main, ifupdownEdited(facts.files.value(main), facts.interface, identity, &found)});
        }
        const QString down = QStringLiteral("ifdown %1; ip -4 addr flush dev %1").arg(dev);
        c.downOld = c.downNew = down;
        c.upNew = c.upOld = QStringLiteral("ifup %1").arg(dev);
        break;
    }
    case NetworkStack::Netplan:
        c.writes.append({QStringLiteral("/etc/netplan/90-hivelab-%1.yaml").arg(facts.interface),
                         netplanFile(facts.interface, identity)});
        c.upNew = c.upOld = QStringLiteral("netplan apply");
        break;
    case NetworkStack::NetworkManager: {
        if (facts.nmConnection.isEmpty() || facts.nmOld.size() < 4) {
            *error = tr("NetworkManager did not say which connection holds %1.").arg(facts.interface);
            return false;
        }
        const QString con = quoted(facts.nmConnection);
        c.upNew = nmcliModify(facts.nmConnection, identity) +
                  QStringLiteral(" && nmcli connection up %1").arg(con);
        c.upOld = QStringLiteral("nmcli connection modify %1 ipv4.method %2 ipv4.addresses %3 "
                                 "ipv4.gateway %4 ipv4.dns %5; nmcli connection up %1")
                      .arg(con, quoted(facts.nmOld[0]), quoted(facts.nmOld[1]),
                           quoted(facts.nmOld[2]), quoted(facts.nmOld[3]));
        break;
    }
    case NetworkStack::Dhcpcd: {
        const QString path = QStringLiteral("/etc/dhcpcd.conf");
        c.writes.append({path, dhcpcdEdited(facts.files.value(path), facts.interface, identity)});
        const QString restart =
            QStringLiteral("ip -4 addr flush dev %1; if command -v systemctl >/dev/null 2>&1 && "
                           "systemctl is-active -q dhcpcd; then systemctl restart dhcpcd; "
                           "else dhcpcd -n %1; fi")
                .arg(dev);
        c.upNew = c.upOld = restart;
        break;
    }
    case NetworkStack::Unknown:
        *error = tr("No supported network stack (ifupdown, netplan, NetworkManager, dhcpcd) "
                    "configures %1.")
                     .arg(facts.interface);
        return false;
    }
    if (facts.cloudInit)
        c.writes.append({cloudInitDisablePath(), cloudInitDisable()});
    *out = c;
    return true;
}

QString StaticAddressConfig::stageScript(const StaticAddressChange &change, const QString &runId,
                                         int timeoutSeconds, const QString &stateDir)
{
    const QString d = quoted(stateDir + QLatin1Char('/') + runId);
    // Every file and script travels base64-encoded: no quoting of its content on the way.
    QString apply = QStringLiteral("d=%1\n%2\n").arg(d, change.downOld);
    QString rollback = QStringLiteral("d=%1\n%2\n").arg(d, change.downNew);
    QString stage = QStringLiteral("set -eu\numask 077\nd=%1\nmkdir -p %2\nmkdir \"$d\"\n")
                        .arg(d, quoted(stateDir));
    for (int i = 0; i < change.writes.size(); ++i) {
        const ConfigWrite &w = change.writes[i];
        const QString path = quoted(w.path);
        stage += QStringLiteral("if [ -e %1 ]; then cp -p %1 \"$d/old.%2\"; fi\n"
                                "printf %s '%3' | base64 -d > \"$d/new.%2\"\n")
                     .arg(path)
                     .arg(i)
                     .arg(QString::fromLatin1(b64(w.content)));
        // `cat >` keeps an existing file's owner and mode; new files get 0644, netplan's 0600.
        const QString mode = w.path.startsWith(QLatin1String("/etc/netplan/"))
                                 ? QStringLiteral("600")
                                 : QStringLiteral("644");
        apply += QStringLiteral("if [ -e %1 ]; then cat \"$d/new.%2\" > %1; else mkdir -p "
                                "\"$(dirname %1)\"; install -m %3 \"$d/new.%2\" %1; fi\n")
                     .arg(path)
                     .arg(i)
                     .arg(mode);
        rollback += QStringLiteral("if [ -e \"$d/old.%2\" ]; then cat \"$d/old.%2\" > %1; "
                                   "else rm -f %1; fi\n")
                        .arg(path)
                        .arg(i);
    }
    apply += change.upNew + QStringLiteral("\necho applied\n");
    rollback += change.upOld + QStringLiteral("\necho rolled back\n");
    const QString watchdog =
        QStringLiteral("d=%1\nsleep %2\nif mv \"$d/pending\" \"$d/rolledback\" 2>/dev/null; then "
                       "sh \"$d/rollback.sh\" > \"$d/rollback.log\" 2>&1; fi\n: > \"$d/expired\"\n")
            .arg(d)
            .arg(timeoutSeconds);
    auto put = [&stage](const QString &name, const QString &text) {
        stage += QStringLiteral("printf %s '%1' | base64 -d > \"$d/%2\"\n")
                     .arg(QString::fromLatin1(b64(text.toUtf8())), name);
    };
    put(QStringLiteral("apply.sh"), apply);
    put(QStringLiteral("rollback.sh"), rollback);
    put(QStringLiteral("watchdog.sh"), watchdog);
    stage += QStringLiteral(": > \"$d/pending\"\n"
                            "setsid sh \"$d/watchdog.sh\" </dev/null >/dev/null 2>&1 &\n"
                            "echo staged\n");
    return stage;
}

QString StaticAddressConfig::startCommand(const QString &runId, const QString &stateDir)
{
    return QStringLiteral("d=%1; setsid sh \"$d/apply.sh\" </dev/null >\"$d/apply.log\" 2>&1 & "
                          "echo started")
        .arg(quoted(stateDir + QLatin1Char('/') + runId));
}

QString StaticAddressConfig::confirmCommand(const QString &runId, const QString &stateDir)
{
    return QStringLiteral("d=%1; mv \"$d/pending\" \"$d/confirmed\"")
        .arg(quoted(stateDir + QLatin1Char('/') + runId));
}

QString StaticAddressConfig::rolledBackCommand(const QString &runId, const QString &stateDir)
{
    return QStringLiteral("test -e %1").arg(quoted(stateDir + QLatin1Char('/') + runId +
                                                   QStringLiteral("/rolledback")));
}

} // namespace Hivelab
