// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For tests that drive workflow jobs: lab boards as the app records them, and the connection
// settings the jobs use in the lab or on boards at 127.0.0.1.

#include "boardconnection.h"
#include "labboard.h"
#include "labtypes.h"
#include "loopback.h"
#include "workflowjob.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

namespace HivelabTest {

/// Lab board `l` as a lab file would hold it: ID and name are its host name; logs in as `user`.
inline Hivelab::Board asBoard(const LabBoard &l, const QString &user)
{
    Hivelab::Board b;
    b.hostname = l.hostname;
    b.id = b.name = b.hostname;
    b.ip = l.ip;
    b.sshPort = l.port;
    b.sshUser = user;
    return b;
}

/// Host keys go to `knownHostsPath` and are trusted when new (every lab run has fresh ones); the
/// user's ~/.ssh/config is never read.
inline Hivelab::ConnectionSettings labSettings(const QString &knownHostsPath, int connectTimeoutMs)
{
    Hivelab::ConnectionSettings s;
    s.knownHostsPath = knownHostsPath;
    s.acceptNewHostKeys = true;
    s.connectTimeoutMs = connectTimeoutMs;
    s.ignoreSshConfig = true;
    return s;
}

/// For boards on 127.0.0.1: host keys in `dir`/known_hosts (never trusted when new), no
/// ~/.ssh/config, no agent, and only `key` (default: a file that does not exist, so no key of
/// whoever runs the tests is tried).
inline Hivelab::ConnectionSettings loopbackSettings(const QString &dir, int connectTimeoutMs,
                                                    const QString &key = QString())
{
    Hivelab::ConnectionSettings s;
    s.knownHostsPath = QDir(dir).filePath(QStringLiteral("known_hosts"));
    s.ignoreSshConfig = true;
    s.identityFiles = {key.isEmpty() ? QDir(dir).filePath(QStringLiteral("no-such-key")) : key};
    s.useAgent = false;
    s.connectTimeoutMs = connectTimeoutMs;
    return s;
}

/// Starts `job` on boards behind `silent` (their SSH handshake hangs; only cancel() may end the
/// job, so the connect timeout is raised to a minute) and cancels it once a connection is held:
/// true when the job then finished once, within 5 s.
inline bool cancelOnceConnected(Hivelab::WorkflowJob *job, const SilentServer &silent)
{
    Hivelab::ConnectionSettings s = job->connectionSettings();
    s.connectTimeoutMs = 60000;
    job->setConnectionSettings(s);
    QSignalSpy finished(job, &Hivelab::WorkflowJob::finished);
    job->start();
    if (!QTest::qWaitFor([&silent]() { return silent.held() >= 1; }, 10000))
        return false;
    QElapsedTimer clock;
    clock.start();
    job->cancel();
    return finished.wait(5000) && clock.elapsed() < 5000 && finished.size() == 1;
}

} // namespace HivelabTest
