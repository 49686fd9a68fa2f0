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

// A new object with a fresh ID and the next free "stem n" name among `existing`.
template <typename T>
T fresh(const Lab &lab, const QList<T> &existing, const char *idPrefix, const QString &stem)
{
    QStringList names;
    for (const T &o : existing)
        names.append(o.name);
    T object;
    object.id = lab.uniqueId(QLatin1String(idPrefix));
    object.name = nextFreeName(names, stem);
    return object;
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
    return fresh(lab, lab.racks, "rack", tr("Rack"));
}

PowerSupply newPowerSupply(const Lab &lab, const QString &rackId)
{
    PowerSupply psu = fresh(lab, lab.powerSupplies, "psu", tr("PSU"));
    psu.rackId = rackId;
    const LabIndex index(lab);
    psu.circuit = index.circuits().value(0);
    return psu;
}

NetworkSwitch newSwitch(const Lab &lab, const QString &rackId)
{
    NetworkSwitch sw = fresh(lab, lab.switches, "switch", tr("Switch"));
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
