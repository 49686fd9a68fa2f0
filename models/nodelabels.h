// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// Swarm node labels a board's place in the plan calls for, and how a node's labels differ from
/// them. Pure; any thread.
///
/// Hivelab owns the `hivelab.` namespace: `hivelab.rack` (rack ID: stable when a rack is
/// renamed), `hivelab.psu` (supply ID), `hivelab.switch` (switch ID), `hivelab.circuit` (the
/// supply's mains circuit), `hivelab.storage` ("yes" when the board has storage) and
/// `hivelab.storage.devices` (storage names, comma separated). A label is left out when the
/// plan does not say (no rack: no `hivelab.rack`). Besides these, the swarm's default labels,
/// the board's own labels and `arch` (board labels win over defaults, `arch` only when the user
/// gave none). The computed `hivelab.` labels win over a user label of the same key.
class NodeLabels
{
public:
    static QString prefix() { return QStringLiteral("hivelab."); }
    static bool isOwned(const QString &key) { return key.startsWith(prefix()); }

    /// Every label the plan gives the board (empty for an unknown board). `fallbackArch` is used
    /// when the plan names no architecture (e.g. what the engine reported).
    static QMap<QString, QString> planned(const Lab &lab, const QString &boardId,
                                          const QString &fallbackArch = QString());

    /// What to change on a node whose labels are `current` to match `planned`: labels to set
    /// (missing or with another value) and `hivelab.` labels to remove (not planned any more).
    /// Labels outside the namespace that the plan does not name are never removed: a user may
    /// have set them by hand.
    struct Diff
    {
        QMap<QString, QString> set;
        QStringList remove;
        bool isEmpty() const { return set.isEmpty() && remove.isEmpty(); }
        /// `current` with the difference applied.
        QMap<QString, QString> applied(const QMap<QString, QString> &current) const;
        /// "hivelab.rack=rack-2, -hivelab.psu": for logs and --check reports.
        QString describe() const;
    };
    static Diff diff(const QMap<QString, QString> &current, const QMap<QString, QString> &planned);
};

} // namespace Hivelab
