// SPDX-License-Identifier: GPL-3.0-or-later
// STUB: replaced by the JSON-backed catalog.
#include "boardcatalog.h"

namespace Hivelab {

const BoardCatalog &BoardCatalog::builtin()
{
    static const BoardCatalog catalog;
    return catalog;
}

std::optional<BoardCatalog> BoardCatalog::fromJson(const QByteArray &, QString *error)
{
    *error = QStringLiteral("not implemented");
    return std::nullopt;
}

const BoardModelInfo *BoardCatalog::model(const QString &) const { return nullptr; }
const BoardModelInfo *BoardCatalog::modelForMac(const QString &) const { return nullptr; }
const BoardModelInfo *BoardCatalog::modelForHardwareName(const QString &) const { return nullptr; }

} // namespace Hivelab
