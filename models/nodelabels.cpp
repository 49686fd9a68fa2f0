// SPDX-License-Identifier: GPL-3.0-or-later
#include "nodelabels.h"

namespace Hivelab {

QMap<QString, QString> NodeLabels::planned(const Lab &lab, const QString &boardId,
                                           const QString &fallbackArch)
{
    const Board *b = lab.board(boardId);
    if (!b)
        return {};
    QMap<QString, QString> labels = lab.swarm.defaultLabels;
    for (auto it = b->labels.begin(); it != b->labels.end(); ++it)
        labels.insert(it.key(), it.value());
    const QString arch = !b->arch.isEmpty() ? b->arch : fallbackArch;
    if (!arch.isEmpty() && !labels.contains(QStringLiteral("arch")))
        labels.insert(QStringLiteral("arch"), arch);

    // The namespace is Hivelab's: a user label inside it that the plan does not produce would
    // be removed by the next run anyway, so only computed values stay.
    for (auto it = labels.begin(); it != labels.end();)
        it = isOwned(it.key()) ? labels.erase(it) : std::next(it);
    auto put = [&labels](const char *key, const QString &value) {
        if (!value.isEmpty())
            labels.insert(prefix() + QLatin1String(key), value);
    };
    if (lab.rack(b->rackId))
        put("rack", b->rackId);
    if (const PowerSupply *psu = lab.powerSupply(b->psuId)) {
        put("psu", psu->id);
        put("circuit", psu->circuit);
    }
    if (lab.networkSwitch(b->switchId))
        put("switch", b->switchId);
    if (b->hasStorage()) {
        put("storage", QStringLiteral("yes"));
        QStringList names;
        for (const StorageDevice &d : b->storage)
            names << (d.name.isEmpty() ? d.device : d.name);
        names.removeAll(QString());
        put("storage.devices", names.join(QLatin1Char(',')));
    }
    return labels;
}

NodeLabels::Diff NodeLabels::diff(const QMap<QString, QString> &current,
                                  const QMap<QString, QString> &planned)
{
    Diff d;
    for (auto it = planned.begin(); it != planned.end(); ++it) {
        if (!current.contains(it.key()) || current.value(it.key()) != it.value())
            d.set.insert(it.key(), it.value());
    }
    for (auto it = current.begin(); it != current.end(); ++it) {
        if (isOwned(it.key()) && !planned.contains(it.key()))
            d.remove << it.key();
    }
    return d;
}

QMap<QString, QString> NodeLabels::Diff::applied(const QMap<QString, QString> &current) const
{
    QMap<QString, QString> out = current;
    for (const QString &key : remove)
        out.remove(key);
    for (auto it = set.begin(); it != set.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QString NodeLabels::Diff::describe() const
{
    QStringList parts;
    for (auto it = set.begin(); it != set.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    for (const QString &key : remove)
        parts << QLatin1Char('-') + key;
    return parts.join(QStringLiteral(", "));
}

} // namespace Hivelab
