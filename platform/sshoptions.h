// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// Credentials for one login. Filled by the caller (keychain, prompt, CLI); never logged or
/// persisted by the SSH layer. Plain value type, any thread.
struct SshAuth
{
    QString user;
    /// Used for "password" and for password prompts of "keyboard-interactive". Empty: not tried.
    QString password;
    /// Passphrase for encrypted identity files (the same one is tried for every file).
    QString passphrase;
    /// Private key files tried in order (the ".pub" next to them is not needed).
    QStringList identityFiles;
    /// Ask the ssh-agent at $SSH_AUTH_SOCK (when set) before identity files.
    bool useAgent = true;
};

/// Where and how to connect. Plain value type, any thread.
struct SshConnectOptions
{
    QString host;
    quint16 port = 22;
    /// TCP connect + SSH handshake deadline.
    int connectTimeoutMs = 10000;
    /// Deadline for all authentication attempts together.
    int authTimeoutMs = 20000;
    /// OpenSSH-format known_hosts of the app; empty = KnownHosts::defaultPath().
    QString knownHostsPath;
    /// Further known_hosts files, read only: the user's OpenSSH ones (KnownHosts::openSshFiles),
    /// so a board `ssh` already trusts is trusted too, and a changed key there is refused.
    QStringList readOnlyKnownHostsPaths;
    /// Trust on first use: store an unknown host key. Never overrides a changed key.
    bool acceptNewHostKey = false;
    /// With acceptNewHostKey: trust only the key with this "SHA256:…" fingerprint (the one the
    /// user was shown); another unknown key fails as HostKeyUnknown. Empty: any new key.
    QString acceptHostKeyFingerprint;
    /// Seconds between keepalive probes on an idle connection (0 = off).
    int keepaliveSeconds = 30;
};

/// How to run one remote command. Plain value type, any thread.
struct SshExecOptions
{
    /// Request a pseudo-terminal (merges stderr into stdout on the server; sshd sends SIGHUP to
    /// the command when the channel closes).
    bool pty = false;
    QByteArray ptyTerm = "xterm";
    /// Sent as "env" channel requests; servers only honour names they allow (OpenSSH AcceptEnv,
    /// Dropbear none), so commands needing variables for sure should set them in the command.
    QList<QPair<QByteArray, QByteArray>> environment;
    /// Whole-command deadline (0 = none).
    int timeoutMs = 0;
    /// Written to stdin before anything passed to writeStdin().
    QByteArray stdinData;
    /// Send EOF on stdin right after stdinData (commands like `cat` wait for it otherwise).
    bool closeStdin = false;
    /// The "command" names a subsystem (e.g. "sftp") instead of a shell command.
    bool subsystem = false;
};

/// Where key setup puts its OpenSSH drop-in and how sshd is checked and reloaded (Debian
/// defaults). Plain value type, any thread.
struct SshHardening
{
    QString dropInFile = QStringLiteral("/etc/ssh/sshd_config.d/50-hivelab.conf");
    QString sshdConfig = QStringLiteral("/etc/ssh/sshd_config");
    QString reloadCommand = QStringLiteral(
        "if [ -r /run/sshd.pid ]; then kill -HUP \"$(cat /run/sshd.pid)\"; "
        "elif command -v systemctl >/dev/null; then systemctl reload ssh || systemctl "
        "reload sshd; else service ssh reload; fi");
};

} // namespace Hivelab
