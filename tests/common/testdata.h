// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Inputs in tests/data (captured board output, lab files, discovery replies), and input files
// a test writes itself.

#include <QByteArray>
#include <QFile>
#include <QString>

namespace HivelabTest {

/// The bytes of tests/data/PATH; aborts the test binary when the file cannot be read (the tree
/// is incomplete, nothing a test could check).
inline QByteArray testData(const QString &path)
{
    QFile f(QStringLiteral(HIVELAB_TEST_DATA "/") + path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return f.readAll();
}

/// Writes `bytes` to `path` (replacing it); false when it cannot.
inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace HivelabTest
