// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For tests that check a helper program in a child process (a probe, a keychain client).

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QProcessEnvironment>
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

/// A shell command's exit code (-1: crashed or late) and its merged output.
struct ShellRun
{
    int exitCode = -1;
    QByteArray out;
};

/// Runs `sh -c command` (bounded: 60 s) with mtools' geometry check off, as the card tests
/// read and write FAT partitions of loop devices and image files with it.
inline ShellRun cardShell(const QString &command)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MTOOLS_SKIP_CHECK"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("sh"), {QStringLiteral("-c"), command});
    if (!finishWithin(p, 60000))
        return {};
    return {exitCodeOf(p), p.readAll()};
}

/// Fills the FAT at byte `offset` of `target` to its last cluster (a file named "filler"): a
/// file written there that needs one cluster more fails with mtools' "Disk full".
inline bool fillFat(const QString &target, qint64 offset)
{
    const QString dir = QStringLiteral("%1.fill").arg(target);
    return cardShell(QStringLiteral("mkdir -p '%1' && free=$(mdir -i '%2@@%3' :: 2>/dev/null | "
                                    "grep 'bytes free' | tr -dc 0-9) && truncate -s \"$free\" "
                                    "'%1/filler' && mcopy -i '%2@@%3' '%1/filler' ::/filler && "
                                    "mdir -i '%2@@%3' :: 2>/dev/null | grep -q ' 0 bytes free'")
                         .arg(dir, target)
                         .arg(offset))
               .exitCode == 0;
}

} // namespace HivelabTest
