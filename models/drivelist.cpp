// SPDX-License-Identifier: GPL-3.0-or-later
#include "drivelist.h"

#include "jsonstrictreader.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DriveRules", text);
}

// lsblk prints booleans as true/false (2.37+) or "0"/"1" (older), sizes as numbers or strings.
bool flag(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool();
    return v.toString() == QLatin1String("1") || v.toInt() == 1;
}

void collectMounts(const QJsonObject &node, QStringList *out)
{
    const QJsonValue many = node.value(QLatin1String("mountpoints"));
    QJsonArray points = many.toArray();
    if (!many.isArray())
        points.append(node.value(QLatin1String("mountpoint")));
    for (const QJsonValue &p : std::as_const(points)) {
        const QString s = p.toString();
        if (!s.isEmpty() && !out->contains(s))
            out->append(s);
    }
    for (const QJsonValue &child : node.value(QLatin1String("children")).toArray())
        collectMounts(child.toObject(), out);
}

} // namespace

bool Drive::isCardLike() const
{
    return removable || hotplug || transport == QLatin1String("usb") ||
           transport == QLatin1String("mmc") || name.startsWith(QLatin1String("mmcblk"));
}

namespace DriveRules {

QList<Drive> fromLsblkJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const QJsonValue devices = doc.object().value(QLatin1String("blockdevices"));
    if (doc.isNull() || !devices.isArray()) {
        if (error)
            *error = doc.isNull() ? parseError.errorString()
                                  : tr("no \"blockdevices\" list in lsblk's output");
        return {};
    }
    QList<Drive> drives;
    for (const QJsonValue &v : devices.toArray()) {
        const QJsonObject o = v.toObject();
        Drive d;
        d.name = o.value(QLatin1String("name")).toString();
        d.path = o.value(QLatin1String("path")).toString();
        if (d.path.isEmpty() && !d.name.isEmpty())
            d.path = QStringLiteral("/dev/") + d.name;
        d.model = (o.value(QLatin1String("vendor")).toString().trimmed() + QLatin1Char(' ') +
                   o.value(QLatin1String("model")).toString().trimmed())
                      .trimmed();
        d.transport = o.value(QLatin1String("tran")).toString();
        d.type = o.value(QLatin1String("type")).toString();
        d.size = lenientInt64(o.value(QLatin1String("size")));
        d.removable = flag(o.value(QLatin1String("rm")));
        d.hotplug = flag(o.value(QLatin1String("hotplug")));
        d.readOnly = flag(o.value(QLatin1String("ro")));
        collectMounts(o, &d.mountpoints);
        if (!d.name.isEmpty())
            drives.append(d);
    }
    return drives;
}

bool isUserMount(const QString &mountpoint)
{
    for (const char *prefix : {"/media/", "/run/media/", "/mnt/"}) {
        if (mountpoint.startsWith(QLatin1String(prefix)))
            return true;
    }
    return false;
}

bool isOffered(const Drive &drive, const QStringList &systemDisks)
{
    return refusal(drive, systemDisks).isEmpty() &&
           (drive.isCardLike() || drive.type == QLatin1String("loop"));
}

QString refusal(const Drive &drive, const QStringList &systemDisks)
{
    if (systemDisks.contains(drive.path))
        return tr("it holds the running system (/, /boot or swap)");
    for (const QString &m : drive.mountpoints) {
        if (m == QLatin1String("/") || m == QLatin1String("/boot") ||
            m.startsWith(QLatin1String("/boot/")) || m == QLatin1String("[SWAP]"))
            return tr("it holds the running system (%1)").arg(m);
    }
    for (const QString &m : drive.mountpoints) {
        if (!isUserMount(m))
            return tr("the system uses a filesystem on it (mounted at %1)").arg(m);
    }
    if (drive.type != QLatin1String("disk") && drive.type != QLatin1String("loop"))
        return tr("it is a %1, not a whole disk").arg(drive.type);
    if (drive.name.startsWith(QLatin1String("zram")))
        return tr("it is compressed memory, not a disk");
    if (drive.readOnly)
        return tr("it is read-only (a card's lock switch?)");
    if (drive.size <= 0)
        return tr("there is no medium in it");
    return {};
}

} // namespace DriveRules

} // namespace Hivelab
