// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <functional>

class QObject;

namespace Hivelab {

/// Runs one command on a host through the system's OpenSSH client (`ssh`, BatchMode: keys and
/// agent only, never a password prompt). A stand-in for discovery's identification until the
/// libssh2 session layer is wired in. Asynchronous; callbacks on the context's thread.
class OpenSshClient
{
    Q_DECLARE_TR_FUNCTIONS(OpenSshClient)
public:
    struct Options
    {
        QString user; // empty: whatever ~/.ssh/config says
        int port = 22;
        int timeoutMs = 15000;         // whole command, connect included
        bool acceptNewHostKey = false; // otherwise unknown hosts fail (StrictHostKeyChecking=yes)
        QString knownHostsFile;        // empty: the app's own file under its data directory
        QString identityFile;          // empty: the user's default keys and agent
        qint64 maxOutputBytes = 1024 * 1024;
    };
    using Done = std::function<void(const QByteArray &out, int exitCode, const QString &error)>;

    /// done is called exactly once, unless context is destroyed first.
    static void run(QObject *context, const QString &host, const QString &command,
                    const Options &options, Done done);
    static QString defaultKnownHostsFile();
};

} // namespace Hivelab
