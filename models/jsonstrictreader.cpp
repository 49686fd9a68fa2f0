// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonstrictreader.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace Hivelab {

qint64 lenientInt64(const QJsonValue &v, qint64 fallback)
{
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().trimmed().toLongLong(&ok);
        return ok ? n : fallback;
    }
    const double d = v.toDouble(std::numeric_limits<double>::quiet_NaN());
    if (!std::isfinite(d) || std::fabs(d) > JsonStrictReader::MaxExactInteger)
        return fallback;
    return qint64(d);
}

namespace {
int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1);
    QList<int> cur(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (int j = 1; j <= b.size(); ++j) {
            const int subst =
                prev[j - 1] + (a.at(i - 1).toLower() == b.at(j - 1).toLower() ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString quotedList(const QStringList &items)
{
    QStringList q;
    for (const QString &s : items)
        q.append(quoted(s));
    return q.join(QStringLiteral(", "));
}

bool isTruncation(QJsonParseError::ParseError e)
{
    switch (e) {
    case QJsonParseError::UnterminatedObject:
    case QJsonParseError::UnterminatedArray:
    case QJsonParseError::UnterminatedString:
    case QJsonParseError::MissingObject:
    case QJsonParseError::IllegalValue:
    case QJsonParseError::IllegalNumber:
    case QJsonParseError::MissingNameSeparator:
    case QJsonParseError::MissingValueSeparator:
        return true;
    default:
        return false;
    }
}
/// A JSON string's text as Qt reads it. Only called on text Qt already parsed, so escapes are
/// well formed; \uXXXX units are appended as they are, which also rebuilds surrogate pairs.
QString decodeJsonString(const QByteArray &raw)
{
    QString out;
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) != '\\')
            continue;
        out += QString::fromUtf8(raw.constData() + runStart, i - runStart);
        const char e = i + 1 < raw.size() ? raw.at(i + 1) : '\\';
        i += 1;
        switch (e) {
        case 'b':
            out += QLatin1Char('\b');
            break;
        case 'f':
            out += QLatin1Char('\f');
            break;
        case 'n':
            out += QLatin1Char('\n');
            break;
        case 'r':
            out += QLatin1Char('\r');
            break;
        case 't':
            out += QLatin1Char('\t');
            break;
        case 'u': {
            out += QChar(char16_t(raw.mid(i + 1, 4).toUShort(nullptr, 16)));
            i += 4;
            break;
        }
        default:
            out += QLatin1Char(e);
            break; // " \\ /
        }
        runStart = i + 1;
    }
    return out + QString::fromUtf8(raw.constData() + runStart, raw.size() - runStart);
}

/// What QJsonDocument lets through but a strict reader must not: a key given twice in one object
/// (Qt keeps one value without a word, so a pasted block would silently lose data; compared
/// after decoding escapes, so "b\u006fards" is "boards") and raw control characters inside
/// strings (RFC 8259 wants them escaped; Qt accepts even NUL). Scans text that already parsed.
class RawTextScan
{
public:
    explicit RawTextScan(const QByteArray &data)
        : m_data(data)
    {}

    /// Finds the first problem in document order; false when there is none.
    bool findProblem(QString *path, QString *message)
    {
        for (qsizetype i = 0; i < m_data.size(); ++i) {
            const char c = m_data.at(i);
            if (c == '"') {
                const qsizetype start = ++i;
                while (i < m_data.size() && m_data.at(i) != '"')
                    i += m_data.at(i) == '\\' ? 2 : 1;
                if (string(start, i, path, message))
                    return true;
            } else if (c == '{' || c == '[') {
                Frame f;
                f.isObject = c == '{';
                f.expectKey = f.isObject;
                m_stack.append(f);
            } else if (c == '}' || c == ']') {
                if (!m_stack.isEmpty())
                    m_stack.removeLast();
            } else if (c == ',' && !m_stack.isEmpty()) {
                if (m_stack.last().isObject)
                    m_stack.last().expectKey = true;
                else
                    ++m_stack.last().index;
            }
        }
        return false;
    }

private:
    struct Frame
    {
        bool isObject = false;
        bool expectKey = false;
        int index = 0;
        QString key;
        QSet<QString> keys;
    };

    /// Path of the innermost open container.
    QString containerPath() const
    {
        QString p = QStringLiteral("$");
        for (qsizetype f = 0; f + 1 < m_stack.size(); ++f)
            p = m_stack.at(f).isObject ? JsonStrictReader::child(p, m_stack.at(f).key)
                                       : JsonStrictReader::element(p, m_stack.at(f).index);
        return p;
    }

    /// The string between the quotes at [start, end).
    bool string(qsizetype start, qsizetype end, QString *path, QString *message)
    {
        const bool isKey =
            !m_stack.isEmpty() && m_stack.last().isObject && m_stack.last().expectKey;
        QString key;
        if (isKey) {
            key = decodeJsonString(m_data.mid(start, end - start));
            m_stack.last().expectKey = false;
            m_stack.last().key = key;
        }
        const char *raw = m_data.constData();
        const auto control =
            std::find_if(raw + start, raw + end, [](char ch) { return uchar(ch) < 0x20; });
        if (control != raw + end) {
            // A key with a control character has no readable path of its own: name its object.
            *path = isKey ? containerPath() : valuePath();
            int line = 0;
            int column = 0;
            JsonStrictReader::lineColumn(m_data, control - raw, &line, &column);
            *message = JsonStrictReader::tr(
                           "raw control character U+%1 inside a string at line %2, column %3 "
                           "(byte offset %4); JSON needs it escaped, e.g. \\u%1")
                           .arg(QString::number(uchar(*control), 16)
                                    .rightJustified(4, QLatin1Char('0'))
                                    .toUpper())
                           .arg(line)
                           .arg(column)
                           .arg(control - raw);
            return true;
        }
        if (!isKey)
            return false;
        Frame &top = m_stack.last();
        if (top.keys.contains(key)) {
            *path = valuePath();
            *message = JsonStrictReader::tr("this key appears more than once in the same object; "
                                            "only one of the values would be used");
            return true;
        }
        top.keys.insert(key);
        return false;
    }

    /// Path of the value being read in the innermost container.
    QString valuePath() const
    {
        if (m_stack.isEmpty())
            return QStringLiteral("$");
        const Frame &top = m_stack.last();
        return top.isObject ? JsonStrictReader::child(containerPath(), top.key)
                            : JsonStrictReader::element(containerPath(), top.index);
    }

    const QByteArray &m_data;
    QList<Frame> m_stack;
};
} // namespace

bool JsonStrictReader::fail(const QString &path, const QString &message)
{
    if (!m_failed) {
        m_failed = true;
        m_errorPath = path;
        m_errorMessage = message;
    }
    return false;
}

QString JsonStrictReader::child(const QString &path, const QString &key)
{
    return path + QLatin1Char('.') + elided(key);
}

QString JsonStrictReader::elided(const QString &text)
{
    if (text.size() <= MaxQuotedLength)
        return text;
    return text.left(MaxQuotedLength - 24) + QChar(0x2026) + tr("(%1 characters)").arg(text.size());
}

QString JsonStrictReader::element(const QString &path, int index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QString JsonStrictReader::numberText(double d)
{
    if (d == std::floor(d) && std::fabs(d) <= MaxExactInteger)
        return QString::number(qint64(d));
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

QString JsonStrictReader::describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return tr("null");
    case QJsonValue::Bool:
        return tr("a boolean (%1)")
            .arg(v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == std::floor(d) ? tr("an integer (%1)").arg(numberText(d))
                                  : tr("a number (%1)").arg(numberText(d));
    }
    case QJsonValue::String:
        return tr("a string (\"%1\")").arg(v.toString().left(40));
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return tr("nothing");
}

void JsonStrictReader::lineColumn(const QByteArray &data, qint64 offset, int *line, int *column)
{
    offset = std::clamp<qint64>(offset, 0, data.size());
    int l = 1;
    qint64 lineStart = 0;
    for (qint64 i = 0; i < offset; ++i) {
        if (data.at(i) == '\n') {
            ++l;
            lineStart = i + 1;
        }
    }
    *line = l;
    *column = int(offset - lineStart) + 1;
}

bool JsonStrictReader::parseObject(const QByteArray &data, QJsonObject *out)
{
    const QByteArray trimmed = data.trimmed();
    if (trimmed.isEmpty())
        return fail(QString(), tr("the file is empty"));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
    if (pe.error != QJsonParseError::NoError) {
        int line = 0;
        int column = 0;
        lineColumn(data, pe.offset, &line, &column);
        // Qt reports running out of input at (or just past) the last significant byte.
        qint64 end = data.size();
        while (end > 0 && std::isspace(static_cast<unsigned char>(data.at(end - 1))))
            --end;
        if (isTruncation(pe.error) && pe.offset >= end - 1)
            return fail(QStringLiteral("$"),
                        tr("the file is truncated: it ends at line %1, column %2 (byte offset %3) "
                           "in the middle of the JSON document (%4)")
                            .arg(line)
                            .arg(column)
                            .arg(pe.offset)
                            .arg(pe.errorString()));
        return fail(QStringLiteral("$"),
                    tr("malformed JSON at line %1, column %2 (byte offset %3): %4")
                        .arg(line)
                        .arg(column)
                        .arg(pe.offset)
                        .arg(pe.errorString()));
    }
    if (!doc.isObject())
        return fail(QStringLiteral("$"), tr("expected a JSON object at the top level, got %1")
                                             .arg(doc.isArray() ? tr("an array") : tr("a value")));
    QString problemPath;
    QString problem;
    if (RawTextScan(data).findProblem(&problemPath, &problem))
        return fail(problemPath, problem);
    *out = doc.object();
    return true;
}

bool JsonStrictReader::checkKeys(const QJsonObject &o, const QString &path,
                                 const QStringList &required, const QStringList &optional)
{
    if (m_failed)
        return false;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &key = it.key();
        if (required.contains(key) || optional.contains(key))
            continue;
        QString best;
        int bestDistance = 3; // suggest only near misses (typos), not arbitrary keys
        for (const QString &candidate : required + optional) {
            // The distance is at least the length difference: a long key costs no table.
            if (std::abs(key.size() - candidate.size()) >= bestDistance)
                continue;
            const int d = editDistance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        const QString msg = best.isEmpty()
                                ? tr("unknown key \"%1\"; expected one of %2")
                                      .arg(elided(key), quotedList(required + optional))
                                : tr("unknown key \"%1\" (did you mean \"%2\"?)").arg(key, best);
        return fail(child(path, key), msg);
    }
    for (const QString &key : required) {
        if (!o.contains(key))
            return fail(child(path, key), tr("missing required key \"%1\"").arg(key));
    }
    return true;
}

bool JsonStrictReader::readString(const QJsonObject &o, const QString &path, const QString &key,
                                  QString *out)
{
    if (m_failed)
        return false;
    const auto it = o.constFind(key);
    if (it == o.constEnd())
        return true;
    if (!it->isString())
        return fail(child(path, key), tr("expected a string, got %1").arg(describe(*it)));
    *out = it->toString();
    return true;
}

bool JsonStrictReader::readInt(const QJsonObject &o, const QString &path, const QString &key,
                               qint64 min, qint64 max, qint64 *out)
{
    if (m_failed)
        return false;
    const auto it = o.constFind(key);
    if (it == o.constEnd())
        return true;
    const double d = it->toDouble();
    if (!it->isDouble() || d != std::floor(d))
        return fail(child(path, key), tr("expected an integer, got %1").arg(describe(*it)));
    // Compared as doubles: converting 1e30 to qint64 first would be undefined behaviour.
    if (d < double(min) || d > double(max) || std::fabs(d) > MaxExactInteger)
        return fail(
            child(path, key),
            tr("expected an integer from %1 to %2, got %3").arg(min).arg(max).arg(numberText(d)));
    *out = qint64(d);
    return true;
}

bool JsonStrictReader::readInt(const QJsonObject &o, const QString &path, const QString &key,
                               int min, int max, int *out)
{
    qint64 v = *out;
    if (!readInt(o, path, key, qint64(min), qint64(max), &v))
        return false;
    *out = int(v);
    return true;
}

bool JsonStrictReader::readNumber(const QJsonObject &o, const QString &path, const QString &key,
                                  double min, double max, double *out)
{
    if (m_failed)
        return false;
    const auto it = o.constFind(key);
    if (it == o.constEnd())
        return true;
    if (!it->isDouble())
        return fail(child(path, key), tr("expected a number, got %1").arg(describe(*it)));
    const double d = it->toDouble();
    if (d < min && min == 0)
        return fail(child(path, key), tr("must not be negative, got %1").arg(numberText(d)));
    if (d < min || d > max)
        return fail(child(path, key), tr("expected a number from %1 to %2, got %3")
                                          .arg(numberText(min), numberText(max), numberText(d)));
    *out = d;
    return true;
}

bool JsonStrictReader::readEnum(const QJsonObject &o, const QString &path, const QString &key,
                                const QStringList &allowed, QString *out)
{
    QString v = *out;
    if (!readString(o, path, key, &v))
        return false;
    if (!o.contains(key))
        return true;
    if (!allowed.contains(v))
        return fail(child(path, key),
                    tr("expected one of %1, got \"%2\"").arg(quotedList(allowed), elided(v)));
    *out = v;
    return true;
}

bool JsonStrictReader::readStringList(const QJsonObject &o, const QString &path, const QString &key,
                                      QStringList *out)
{
    QJsonArray a;
    if (!readArray(o, path, key, &a))
        return false;
    if (!o.contains(key))
        return true;
    QStringList list;
    for (int i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString())
            return fail(element(child(path, key), i),
                        tr("expected a string, got %1").arg(describe(a.at(i))));
        list.append(a.at(i).toString());
    }
    *out = list;
    return true;
}

bool JsonStrictReader::readStringMap(const QJsonObject &o, const QString &path, const QString &key,
                                     QMap<QString, QString> *out)
{
    QJsonObject m;
    if (!readObject(o, path, key, &m))
        return false;
    if (!o.contains(key))
        return true;
    QMap<QString, QString> map;
    for (auto it = m.begin(); it != m.end(); ++it) {
        const QString p = child(child(path, key), it.key());
        if (it.key().trimmed().isEmpty())
            return fail(p, tr("label keys must not be empty"));
        if (!it->isString())
            return fail(p, tr("expected a string, got %1").arg(describe(*it)));
        map.insert(it.key(), it->toString());
    }
    *out = map;
    return true;
}

bool JsonStrictReader::readArray(const QJsonObject &o, const QString &path, const QString &key,
                                 QJsonArray *out)
{
    if (m_failed)
        return false;
    const auto it = o.constFind(key);
    if (it == o.constEnd())
        return true;
    if (!it->isArray())
        return fail(child(path, key), tr("expected an array, got %1").arg(describe(*it)));
    *out = it->toArray();
    return true;
}

bool JsonStrictReader::readObject(const QJsonObject &o, const QString &path, const QString &key,
                                  QJsonObject *out)
{
    if (m_failed)
        return false;
    const auto it = o.constFind(key);
    if (it == o.constEnd())
        return true;
    if (!it->isObject())
        return fail(child(path, key), tr("expected an object, got %1").arg(describe(*it)));
    *out = it->toObject();
    return true;
}

bool JsonStrictReader::objectAt(const QJsonArray &a, const QString &path, int i, QJsonObject *out)
{
    if (m_failed)
        return false;
    if (!a.at(i).isObject())
        return fail(element(path, i), tr("expected an object, got %1").arg(describe(a.at(i))));
    *out = a.at(i).toObject();
    return true;
}

} // namespace Hivelab
