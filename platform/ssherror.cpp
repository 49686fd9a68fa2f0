// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssherror.h"

namespace Hivelab {

QString sshErrorName(SshError error)
{
    switch (error) {
    case SshError::None:
        return QStringLiteral("None");
    case SshError::HostNotFound:
        return QStringLiteral("HostNotFound");
    case SshError::HostUnreachable:
        return QStringLiteral("HostUnreachable");
    case SshError::ConnectionRefused:
        return QStringLiteral("ConnectionRefused");
    case SshError::Timeout:
        return QStringLiteral("Timeout");
    case SshError::ProtocolMismatch:
        return QStringLiteral("ProtocolMismatch");
    case SshError::HostKeyUnknown:
        return QStringLiteral("HostKeyUnknown");
    case SshError::HostKeyMismatch:
        return QStringLiteral("HostKeyMismatch");
    case SshError::AuthFailed:
        return QStringLiteral("AuthFailed");
    case SshError::KeyRejectedRsaSha1:
        return QStringLiteral("KeyRejectedRsaSha1");
    case SshError::KeyFileError:
        return QStringLiteral("KeyFileError");
    case SshError::ChannelFailed:
        return QStringLiteral("ChannelFailed");
    case SshError::Disconnected:
        return QStringLiteral("Disconnected");
    case SshError::TransferFailed:
        return QStringLiteral("TransferFailed");
    case SshError::Cancelled:
        return QStringLiteral("Cancelled");
    case SshError::Internal:
        return QStringLiteral("Internal");
    }
    return QStringLiteral("Unknown");
}

} // namespace Hivelab
