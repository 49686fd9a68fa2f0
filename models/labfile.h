// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <optional>

namespace Hivelab {

/// Where and why a lab file could not be read or written.
struct LabFileError
{
    QString file;     // path as given (may be empty for in-memory data)
    QString jsonPath; // e.g. "$.boards[3].slot" (empty when the whole file is at fault)
    QString message;  // what was expected / what went wrong, user-facing (tr)
    /// "FILE: at $.boards[3].slot: expected an integer, got a string"
    QString toString() const;
};

/// Versioned JSON lab files (".hivelab"). Strict reader, atomic writer. Synchronous; any thread
/// (files are small: the reader refuses anything above MaxFileBytes).
class LabFile
{
public:
    static constexpr int CurrentSchemaVersion = 1;
    static constexpr qint64 MaxFileBytes = 16 * 1024 * 1024;
    static constexpr const char *FileSuffix = "hivelab";

    static std::optional<Lab> load(const QString &path, LabFileError *error);
    static std::optional<Lab> fromJson(const QByteArray &data, LabFileError *error,
                                       const QString &fileName = QString());
    static QByteArray toJson(const Lab &lab);
    /// Writes through QSaveFile: on any failure the previous file stays untouched.
    static bool save(const Lab &lab, const QString &path, LabFileError *error);
};

} // namespace Hivelab
