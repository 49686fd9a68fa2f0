// SPDX-License-Identifier: GPL-3.0-or-later
// STUB: replaced by the real strict reader/writer.
#include "labfile.h"

namespace Hivelab {

QString LabFileError::toString() const
{
    QString s = file.isEmpty() ? QString() : file + QStringLiteral(": ");
    if (!jsonPath.isEmpty())
        s += QStringLiteral("at %1: ").arg(jsonPath);
    return s + message;
}

std::optional<Lab> LabFile::load(const QString &path, LabFileError *error)
{
    error->file = path;
    error->message = QStringLiteral("not implemented");
    return std::nullopt;
}

std::optional<Lab> LabFile::fromJson(const QByteArray &, LabFileError *error, const QString &fileName)
{
    error->file = fileName;
    error->message = QStringLiteral("not implemented");
    return std::nullopt;
}

QByteArray LabFile::toJson(const Lab &) { return {}; }

bool LabFile::save(const Lab &, const QString &path, LabFileError *error)
{
    error->file = path;
    error->message = QStringLiteral("not implemented");
    return false;
}

} // namespace Hivelab
