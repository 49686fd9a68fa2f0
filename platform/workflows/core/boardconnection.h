// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"
#include "sshoptions.h"

#include <QCoreApplication>
#include <QPair>
#include <QString>
#include <QStringList>

namespace Hivelab {

class SshConfig;

/// How workflows log in to boards; the same for every board of one run. Plain value type.
struct ConnectionSettings
{
    /// OpenSSH-format known_hosts of the app; empty = KnownHosts::defaultPath().
    QString knownHostsPath;
    /// Trust host keys seen for the first time (the CLI's --accept-new-host-keys, or a user who
    /// accepted the fingerprints in the wizard). A changed key is always refused.
    bool acceptNewHostKeys = false;
    /// With acceptNewHostKeys: trust only the key with this fingerprint (the one a user
    /// confirmed), so a key that changed meanwhile is not trusted unseen.
    QString acceptHostKeyFingerprint;
    int connectTimeoutMs = 10000;
    /// Extra private keys tried before ~/.ssh/config's IdentityFile and the default ones.
    QStringList identityFiles;
    bool useAgent = true;
    /// ~/.ssh/config for Host aliases, User, Port, IdentityFile; empty = SshConfig::defaultPath().
    QString sshConfigPath;
    /// Do not read any ssh config (tests, or boards that must be reached exactly as planned).
    bool ignoreSshConfig = false;
};

/// Where and as whom to log in. Plain value type. The password is a secret: it is used for the
/// login and for sudo, and must never be logged.
struct SshLogin
{
    SshConnectOptions options;
    SshAuth auth;
};

/// Turns "[user@]host [-p port]" or a planned Board into SSH options the way OpenSSH would:
/// ~/.ssh/config (Host aliases, HostName, User, Port, IdentityFile, IdentitiesOnly), the agent
/// and the default identities ~/.ssh/id_ed25519, id_ecdsa, id_rsa. Synchronous (reads small
/// files; runs `ssh -G` unless the config already answered, see SshConfigLookup), any thread.
class BoardConnection
{
    Q_DECLARE_TR_FUNCTIONS(BoardConnection)
public:
    /// ~/.ssh/id_ed25519, id_ecdsa, id_rsa (whether they exist or not: missing files are skipped
    /// by the SSH layer).
    static QStringList defaultIdentityFiles();
    /// The local user name ($USER, else $LOGNAME, else the password database), OpenSSH's
    /// default login user.
    static QString localUser();

    /// Login for a destination as typed by a user: `host` may be a ~/.ssh/config alias.
    /// `user` empty: from the config, else the local user; `port` 0: from the config, else 22.
    /// `config` may be null (no ssh config).
    static SshLogin forDestination(const QString &host, const QString &user, quint16 port,
                                   const ConnectionSettings &settings, const SshConfig *config);

    /// Login for a planned board: Board::sshTarget(), sshPort, sshUser (empty: config, else
    /// BoardCatalog::defaultLoginUser(): the image's default user, Administrator, or root).
    /// `password` (may be empty) is used for password/keyboard-interactive logins.
    static SshLogin forBoard(const Board &board, const ConnectionSettings &settings,
                             const QString &password, const SshConfig *config);

    /// The ssh config lookup forBoard() needs (alias, local user): once an SshConfigLookup
    /// answered it, forBoard() runs no process.
    static QPair<QString, QString> configLookup(const Board &board);
    /// Loads the ssh config named by settings (or nothing when ignored). On a read error the
    /// config is empty and `warning` says why.
    static bool loadConfig(const ConnectionSettings &settings, SshConfig *config, QString *warning);
    /// The user forBoard() logs in as, with the ssh config named by settings.
    static QString loginUser(const Board &board, const ConnectionSettings &settings);
};

} // namespace Hivelab
