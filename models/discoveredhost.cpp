// SPDX-License-Identifier: GPL-3.0-or-later
#include "discoveredhost.h"
#include "boardcatalog.h"
#include "modelidentification.h"
#include "ouitable.h"
#include "sshbanner.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace Hivelab {

namespace {
QString tr(const char *s)
{
    return QCoreApplication::translate("DiscoveredHost", s);
}
} // namespace

QString DiscoveredHost::hostname() const
{
    if (facts && !facts->hostname.isEmpty())
        return facts->hostname;
    if (!mdnsName.isEmpty())
        return mdnsName;
    return reverseName;
}

QString DiscoveredHost::shortHostname() const
{
    QString h = hostname().toLower();
    if (h.endsWith(QLatin1Char('.')))
        h.chop(1);
    return h.section(QLatin1Char('.'), 0, 0);
}

void DiscoveredHost::deriveHints(const OuiTable &oui)
{
    hints.clear();
    warnings.clear();
    osHint.clear();
    if (isThisMachine)
        hints << tr("This machine.");
    if (!mac.isEmpty()) {
        vendor = oui.vendor(mac);
        if (vendor.isEmpty() && OuiTable::isLocallyAdministered(mac))
            hints << tr("Random (locally administered) MAC: typical of Pine64/Allwinner boards; "
                        "log in to identify the model.");
        else if (vendor == QLatin1String("Raspberry Pi"))
            hints << tr("Raspberry Pi network interface.");
    }
    if (!sshBanner.isEmpty()) {
        const SshBanner b = SshBanner::parse(sshBanner.toLatin1());
        osHint = b.osHint();
        if (!b.note().isEmpty())
            hints << b.note();
    }
    if (sshPort > 0 && sshPort != Ssh)
        hints << tr("SSH on non-standard port %1.").arg(sshPort);
    const bool winrm = hasPort(WinRmHttp) || hasPort(WinRmHttps);
    if (winrm)
        hints << tr("WinRM open: Windows remote management.");
    if (hasPort(Rdp))
        hints << tr("RDP open: Windows remote desktop.");
    if ((winrm || hasPort(Rdp)) && osHint.isEmpty())
        osHint = QStringLiteral("Windows");
    if (hasPort(DockerPlain))
        warnings << tr("Docker API exposed without TLS on port 2375: anyone on this network can "
                       "take over the host.");
    if (hasPort(DockerTls))
        hints << tr("Docker API over TLS on port 2376.");
}

QJsonObject DiscoveredHost::toJson() const
{
    QJsonObject o{{QStringLiteral("ip"), ip}};
    const auto put = [&o](const char *k, const QString &v) {
        if (!v.isEmpty())
            o.insert(QLatin1String(k), v);
    };
    put("mac", mac);
    put("vendor", vendor);
    put("hostname", hostname());
    put("reverseName", reverseName);
    put("mdnsName", mdnsName);
    QJsonArray ports;
    for (int p : openPorts)
        ports.append(p);
    o.insert(QStringLiteral("openPorts"), ports);
    if (sshPort)
        o.insert(QStringLiteral("sshPort"), sshPort);
    put("sshBanner", sshBanner);
    put("osHint", osHint);
    if (!hints.isEmpty())
        o.insert(QStringLiteral("hints"), QJsonArray::fromStringList(hints));
    if (!warnings.isEmpty())
        o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(warnings));
    // The catalog model, measured or only guessed from the MAC; a guess the board contradicts
    // is reported as rejected, never as the model.
    const ModelIdentification model =
        ModelIdentification::identify(mac, facts ? &*facts : nullptr, BoardCatalog::builtin());
    if (!model.modelId.isEmpty()) {
        o.insert(QStringLiteral("model"), model.modelId);
        o.insert(QStringLiteral("modelSource"),
                 model.source == ModelIdentification::Source::Measured ? QStringLiteral("measured")
                                                                       : QStringLiteral("mac"));
    }
    if (!model.rejectedModelId.isEmpty()) {
        o.insert(QStringLiteral("rejectedModel"),
                 QJsonObject{{QStringLiteral("model"), model.rejectedModelId},
                             {QStringLiteral("reason"),
                              model.conflict == ModelIdentification::Conflict::Architecture
                                  ? QStringLiteral("architecture")
                                  : QStringLiteral("hardware-name")}});
    }
    if (facts)
        o.insert(QStringLiteral("identification"), facts->toJson());
    put("loginError", loginError);
    if (isThisMachine)
        o.insert(QStringLiteral("thisMachine"), true);
    return o;
}

} // namespace Hivelab
