// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For CLI tests: runs the built `hivelab` binary ($HIVELAB_BIN, set by ctest) to the end.

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace HivelabTest {

struct CliRun
{
    int exitCode = -1; // -1: timed out or crashed
    QByteArray out;
    QByteArray err;
};

/// `input` goes to stdin (e.g. a --password-stdin line: never in argv), then stdin closes.
inline CliRun runHivelab(const QStringList &args, const QProcessEnvironment &env,
                         const QByteArray &input = {}, int timeoutMs = 30000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("HIVELAB_BIN"), args);
    p.write(input);
    p.closeWriteChannel();
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace HivelabTest
