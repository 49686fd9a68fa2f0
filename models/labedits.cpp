// SPDX-License-Identifier: GPL-3.0-or-later
#include "labedits.h"

#include "labindex.h"

#include <QCoreApplication>

namespace Hivelab {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("LabEdits", text);
}

template <typename T> QStringList namesOf(const QList<T> &objects)
{
    QStringList names;
    for (const T &o : objects)
        names.append(o.name);
    return names;
}
} // namespace

QString nextFreeName(const QStringList &taken, const QString &stem)
{
    for (int n = 1;; ++n) {
        const QString name = stem + QLatin1Char(' ') + QString::number(n);
        if (!taken.contains(name, Qt::CaseInsensitive))
            return name;
    }
}

Rack newRack(const Lab &lab)
{
    Rack rack;
    rack.id = lab.uniqueId(QStringLiteral("rack"));
    rack.name = nextFreeName(namesOf(lab.racks), tr("Rack"));
    return rack;
}

PowerSupply newPowerSupply(const Lab &lab, const QString &rackId)
{
    PowerSupply psu;
    psu.id = lab.uniqueId(QStringLiteral("psu"));
    psu.name = nextFreeName(namesOf(lab.powerSupplies), tr("PSU"));
    psu.rackId = rackId;
    const LabIndex index(lab);
    psu.circuit = index.circuits().value(0);
    return psu;
}

NetworkSwitch newSwitch(const Lab &lab, const QString &rackId)
{
    NetworkSwitch sw;
    sw.id = lab.uniqueId(QStringLiteral("switch"));
    sw.name = nextFreeName(namesOf(lab.switches), tr("Switch"));
    sw.rackId = rackId;
    if (!rackId.isEmpty()) {
        const LabIndex index(lab);
        const QList<int> &supplies = index.suppliesInRack(rackId);
        if (!supplies.isEmpty())
            sw.psuId = lab.powerSupplies.at(supplies.first()).id;
    }
    return sw;
}

} // namespace Hivelab
