// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For tests that check a helper program in a child process (a probe, a keychain client).

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QString>

namespace HivelabTest {

/// Waits at most `timeoutMs` for a started process; kills it (and reaps it) when it is late.
/// False when it had to be killed.
inline bool finishWithin(QProcess &p, int timeoutMs)
{
    if (p.waitForFinished(timeoutMs))
        return true;
    p.kill();
    p.waitForFinished();
    return false;
}

/// The exit code of a finished process, -1 when it crashed.
inline int exitCodeOf(const QProcess &p)
{
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

/// The "key=value" lines of a child's output (other lines are ignored).
inline QHash<QString, QString> keyValueLines(const QByteArray &output)
{
    QHash<QString, QString> facts;
    for (const QByteArray &line : output.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            facts.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return facts;
}

} // namespace HivelabTest
