// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For lab tests: runs a shell command as root on lab board K through the lab tool, so what the
// app did is checked independently of the app's own SSH. Needs HIVELAB_LAB_TOOL defined.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace HivelabTest {

struct BoardOutput
{
    int code = -1;  // -1: timed out or crashed
    QByteArray out; // stdout, as printed
};

inline BoardOutput onLabBoard(int k, const QString &command, int timeoutMs = 30000)
{
    QProcess p;
    p.start(QStringLiteral(HIVELAB_LAB_TOOL),
            {QStringLiteral("board"), QString::number(k), QStringLiteral("--"),
             QStringLiteral("sh"), QStringLiteral("-c"), command});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            p.readAllStandardOutput()};
}

} // namespace HivelabTest
