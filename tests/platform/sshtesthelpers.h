// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sshcommand.h"
#include "sshsession.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

namespace Hivelab {

/// Outcome of one command, collected through the job's signals. Test-only.
struct SshRunResult
{
    bool finished = false;
    int status = -1;
    QString signal;
    QByteArray out;
    QByteArray err;
    SshErrorInfo error;
};

/// Waits (event loop, bounded) for the session to connect or fail.
inline SshErrorInfo waitConnected(SshSession *session, int timeoutMs = 15000)
{
    if (session->state() == SshSession::State::Ready)
        return SshErrorInfo();
    if (session->state() == SshSession::State::Failed)
        return session->lastError();
    QSignalSpy ok(session, &SshSession::connected);
    QSignalSpy bad(session, &SshSession::failed);
    QDeadlineTimer deadline(timeoutMs);
    while (ok.isEmpty() && bad.isEmpty() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (ok.isEmpty() && bad.isEmpty() && session->state() != SshSession::State::Ready) {
        SshErrorInfo e;
        e.code = SshError::Internal;
        e.message = QStringLiteral("test: no connected/failed signal in time");
        return e;
    }
    if (!bad.isEmpty())
        return bad.first().first().value<SshErrorInfo>();
    return SshErrorInfo();
}

/// Waits (event loop, bounded) for a command and collects its output.
inline SshRunResult waitCommand(SshCommand *cmd, int timeoutMs = 20000, bool collect = true)
{
    SshRunResult r;
    if (cmd->isFinished()) {
        r.finished = true;
        r.status = cmd->exitStatus();
        r.signal = cmd->exitSignal();
        r.error = cmd->error();
        return r;
    }
    if (collect) {
        QObject::connect(cmd, &SshCommand::stdoutData, cmd,
                         [&r](const QByteArray &d) { r.out += d; });
        QObject::connect(cmd, &SshCommand::stderrData, cmd,
                         [&r](const QByteArray &d) { r.err += d; });
    }
    QObject::connect(cmd, &SshCommand::finished, cmd,
                     [&r](int status, const QString &signal, const SshErrorInfo &error) {
                         r.finished = true;
                         r.status = status;
                         r.signal = signal;
                         r.error = error;
                     });
    QDeadlineTimer deadline(timeoutMs);
    while (!r.finished && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    QObject::disconnect(cmd, nullptr, cmd, nullptr);
    return r;
}

} // namespace Hivelab
