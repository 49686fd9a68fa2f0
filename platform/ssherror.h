// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// Why an SSH operation failed. Plain value type, any thread.
enum class SshError {
    None,
    HostNotFound,       // name does not resolve
    HostUnreachable,    // no route / network down
    ConnectionRefused,  // nothing listens on the port
    Timeout,            // connect, handshake, auth or command deadline passed
    ProtocolMismatch,   // not an SSH server, or no common kex/cipher/host-key algorithm
    HostKeyUnknown,     // first contact: fingerprint must be accepted by the user
    HostKeyMismatch,    // known host presents another key: hard refusal
    AuthFailed,         // every method we could try was rejected
    KeyRejectedRsaSha1, // RSA user key, OpenSSH >= 8.8 and a libssh2 that only signs ssh-rsa
    KeyFileError,       // identity file unreadable, or wrong passphrase
    ChannelFailed,      // server refused a channel, exec, pty or subsystem
    Disconnected,       // connection lost after it was up
    TransferFailed,     // file upload/download problem (local or remote)
    Cancelled,
    Internal,
};

/// Stable English name of an error code, for logs and tests.
QString sshErrorName(SshError error);

/// An error code with everything a user needs to act on it. Plain value type, any thread.
struct SshErrorInfo
{
    SshError code = SshError::None;
    QString message;            // translated, human readable, names cause and fix
    QStringList offeredMethods; // AuthFailed: what the server accepts ("publickey", …)
    QStringList triedMethods;   // AuthFailed: what we tried
    QString fingerprint;        // HostKey*: "SHA256:…" of the presented key
    QString hostKeyType;        // HostKey*: "ssh-ed25519", …
    QString knownHostsFile;     // HostKeyMismatch: file holding the old key
    int knownHostsLine = 0;     // HostKeyMismatch: 1-based line of the old key

    bool isError() const { return code != SshError::None; }
};

} // namespace Hivelab

Q_DECLARE_METATYPE(Hivelab::SshErrorInfo)
