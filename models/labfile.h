// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QCoreApplication>
#include <QMap>

#include <functional>
#include <optional>

class QJsonObject;

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
///
/// Layout: {"format": "hivelab-lab", "schemaVersion": 1, "name", "racks", "powerSupplies",
/// "switches", "boards", "swarm"}; every field of labtypes.h is written, in a fixed key order,
/// so files diff well. Slots are 0-based in the file (as in Board::slot), switch ports 1-based,
/// -1 means "none" for both.
class LabFile
{
    Q_DECLARE_TR_FUNCTIONS(LabFile)
public:
    static constexpr int CurrentSchemaVersion = 1;
    static constexpr qint64 MaxFileBytes = 16 * 1024 * 1024;
    static constexpr const char *FileSuffix = "hivelab";
    static constexpr const char *FormatName = "hivelab-lab";
    static constexpr int MaxSlotsPerRack = 256;
    static constexpr int MaxSwitchPorts = 1024;

    /// One schema upgrade step: rewrites a document of schema version N (the table key) into
    /// version N+1 in place; the runner then sets "schemaVersion" to N+1. On failure it returns
    /// false with a user-facing reason.
    using MigrationStep = std::function<bool(QJsonObject &root, QString *error)>;
    using MigrationTable = QMap<int, MigrationStep>;
    /// The steps this build knows (empty while CurrentSchemaVersion is 1).
    static const MigrationTable &migrations();

    static std::optional<Lab> load(const QString &path, LabFileError *error);
    static std::optional<Lab> fromJson(const QByteArray &data, LabFileError *error,
                                       const QString &fileName = QString());
    /// As fromJson(), with an explicit migration table (tests feed a fake older version).
    static std::optional<Lab> fromJson(const QByteArray &data, LabFileError *error,
                                       const QString &fileName, const MigrationTable &migrations);
    static QByteArray toJson(const Lab &lab);
    /// Cross-object rules a loaded file must satisfy (unique IDs, references that exist, slots
    /// in range and not shared, ratings not negative, well-formed addresses). The JSON path
    /// names the offending field as it would appear in the saved file.
    static bool validate(const Lab &lab, LabFileError *error);
    /// A Docker swarm node ID: 25 lower-case letters and digits (base 36).
    static bool isValidNodeId(const QString &id);
    /// Validates, then replaces the file through AtomicFileWriter (keeps owner and mode, flushes
    /// file and folder): a lab that would not load again is refused, and on any failure the
    /// previous file stays untouched.
    static bool save(const Lab &lab, const QString &path, LabFileError *error);
};

} // namespace Hivelab
