// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// A tool's JSON number (or numeric string, as older lsblk prints) as a 64-bit integer, for
/// output of programs Hivelab runs, where a missing or odd value is not an error: anything
/// that is not a finite number within +-2^53 gives `fallback`.
qint64 lenientInt64(const QJsonValue &v, qint64 fallback = 0);

/// Strict reader for hand-editable JSON files (lab files, the board catalog): every accessor
/// checks type, range and allowed keys, and the first failure is kept with its JSON path
/// ("$.boards[3].slot"). Later calls after a failure are no-ops returning false.
/// Synchronous; any thread (one instance per document).
class JsonStrictReader
{
    Q_DECLARE_TR_FUNCTIONS(JsonStrictReader)
public:
    /// Largest magnitude up to which every integer is exact in a double (2^53); integer reads
    /// refuse anything beyond it.
    static constexpr double MaxExactInteger = 9007199254740992.0;

    bool failed() const { return m_failed; }
    QString errorPath() const { return m_errorPath; }
    QString errorMessage() const { return m_errorMessage; }
    /// Records an error unless one is already recorded. Always returns false.
    bool fail(const QString &path, const QString &message);

    /// Parses a whole document that must be a JSON object. Empty input, truncation and syntax
    /// errors (with line, column and byte offset) are reported at path "$".
    bool parseObject(const QByteArray &data, QJsonObject *out);

    /// Fails on a key outside required + optional (naming the closest allowed key) or a missing
    /// required key.
    bool checkKeys(const QJsonObject &o, const QString &path, const QStringList &required,
                   const QStringList &optional);

    // Typed reads of o[key]. An absent key leaves *out unchanged and succeeds (checkKeys
    // enforces presence).
    bool readString(const QJsonObject &o, const QString &path, const QString &key, QString *out);
    bool readInt(const QJsonObject &o, const QString &path, const QString &key, qint64 min,
                 qint64 max, qint64 *out);
    bool readInt(const QJsonObject &o, const QString &path, const QString &key, int min, int max,
                 int *out);
    bool readNumber(const QJsonObject &o, const QString &path, const QString &key, double min,
                    double max, double *out);
    bool readEnum(const QJsonObject &o, const QString &path, const QString &key,
                  const QStringList &allowed, QString *out);
    bool readStringList(const QJsonObject &o, const QString &path, const QString &key,
                        QStringList *out);
    bool readStringMap(const QJsonObject &o, const QString &path, const QString &key,
                       QMap<QString, QString> *out);
    bool readArray(const QJsonObject &o, const QString &path, const QString &key, QJsonArray *out);
    bool readObject(const QJsonObject &o, const QString &path, const QString &key,
                    QJsonObject *out);
    /// Element i of an array that must be an object.
    bool objectAt(const QJsonArray &a, const QString &path, int i, QJsonObject *out);

    /// Paths name long keys by their start only (see elided()).
    static QString child(const QString &path, const QString &key);
    static QString element(const QString &path, int index);
    /// User text for a message or a path: as is up to MaxQuotedLength characters, else its
    /// start, "…" and its length, so a megabyte key never floods an error.
    static QString elided(const QString &text);
    static constexpr int MaxQuotedLength = 64;
    /// A JSON number as written for people: integers in full up to 2^53, else the shortest
    /// round-trip form ("1e+30", "2.5").
    static QString numberText(double d);
    /// "a string", "an integer", "null", … for messages.
    static QString describe(const QJsonValue &v);
    /// Line/column (1-based) of a byte offset in data.
    static void lineColumn(const QByteArray &data, qint64 offset, int *line, int *column);

private:
    bool m_failed = false;
    QString m_errorPath;
    QString m_errorMessage;
};

} // namespace Hivelab
