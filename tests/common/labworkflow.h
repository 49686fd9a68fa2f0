// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For lab tests that drive workflow jobs: lab boards as the app records them, and the
// connection settings the jobs use in the lab.

#include "boardconnection.h"
#include "labboard.h"
#include "labtypes.h"

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

} // namespace HivelabTest
