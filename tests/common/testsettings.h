// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For tests of code that keeps settings or files in standard places (recent files, window
// state, known_hosts).

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

namespace HivelabTest {

/// QStandardPaths' test mode and settings of this test's own, emptied: a test never reads or
/// writes the user's. Call first, in initTestCase().
inline void isolateSettings(const QString &testName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("HivelabTest"));
    QCoreApplication::setApplicationName(testName);
    QSettings().clear();
}

} // namespace HivelabTest
