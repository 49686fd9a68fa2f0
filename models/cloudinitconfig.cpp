// SPDX-License-Identifier: GPL-3.0-or-later
#include "cloudinitconfig.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Hivelab {

QByteArray CloudInitConfig::quoted(const QString &text)
{
    // JSON's escapes (\" \\ \n \uXXXX) are a subset of YAML's double-quoted ones.
    const QByteArray a = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

QByteArray CloudInitConfig::userData(const BoardIdentity &id, const QStringList &authorizedKeys)
{
    QByteArray out = "#cloud-config\n";
    out += "# Written by Hivelab for board " + quoted(id.boardId) + ".\n";
    out += "hostname: " + quoted(id.hostname) + "\n";
    out += "preserve_hostname: false\n";
    out += "manage_etc_hosts: true\n";
    out += "users:\n";
    out += "  - name: " + quoted(id.user) + "\n";
    out += "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n";
    out += "    shell: \"/bin/bash\"\n";
    out += "    lock_passwd: true\n";
    out += "    ssh_authorized_keys:\n";
    for (const QString &key : authorizedKeys)
        out += "      - " + quoted(key.trimmed()) + "\n";
    out += "ssh_pwauth: false\n";
    if (!id.timezone.isEmpty())
        out += "timezone: " + quoted(id.timezone) + "\n";
    if (!id.locale.isEmpty())
        out += "locale: " + quoted(id.locale) + "\n";
    return out;
}

QByteArray CloudInitConfig::metaData(const BoardIdentity &id)
{
    return "instance-id: " + quoted(id.instanceId) + "\nlocal-hostname: " + quoted(id.hostname) +
           "\n";
}

QByteArray CloudInitConfig::networkConfig(const BoardIdentity &id, const QString &interface)
{
    QByteArray out = "version: 2\nethernets:\n  " + quoted(interface) + ":\n";
    if (id.addressing != Addressing::Static) {
        out += "    dhcp4: true\n";
        return out;
    }
    out += "    dhcp4: false\n";
    out += "    addresses:\n      - " +
           quoted(id.address + QLatin1Char('/') + QString::number(id.prefixLength)) + "\n";
    if (!id.gateway.isEmpty()) {
        out += "    routes:\n";
        out += "      - to: \"0.0.0.0/0\"\n";
        out += "        via: " + quoted(id.gateway) + "\n";
    }
    if (!id.dns.isEmpty()) {
        out += "    nameservers:\n      addresses:\n";
        for (const QString &dns : id.dns)
            out += "        - " + quoted(dns) + "\n";
    }
    return out;
}

} // namespace Hivelab
