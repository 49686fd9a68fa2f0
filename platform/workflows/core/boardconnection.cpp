// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardconnection.h"

#include "boardcatalog.h"

#include "knownhosts.h"
#include "sshconfig.h"

#include <QDir>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace Hivelab {

QStringList BoardConnection::defaultIdentityFiles()
{
    QStringList files;
    for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa"})
        files << QDir::homePath() + QStringLiteral("/.ssh/") + QLatin1String(name);
    return files;
}

QString BoardConnection::localUser()
{
    QString user = qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"));
#ifdef Q_OS_UNIX
    // Like OpenSSH, which asks the password database: environments without USER (services,
    // sudo -i, namespaces) still log in as someone.
    if (user.isEmpty()) {
        if (const passwd *pw = ::getpwuid(::geteuid()))
            user = QString::fromLocal8Bit(pw->pw_name);
    }
#endif
    return user;
}

SshLogin BoardConnection::forDestination(const QString &host, const QString &user, quint16 port,
                                         const ConnectionSettings &settings,
                                         const SshConfig *config)
{
    SshHostConfig resolved;
    resolved.hostName = host;
    if (config)
        resolved = config->resolve(host, localUser());

    SshLogin login;
    login.options.host = resolved.hostName.isEmpty() ? host : resolved.hostName;
    login.options.port = port ? port : (resolved.port ? resolved.port : 22);
    login.options.connectTimeoutMs = settings.connectTimeoutMs;
    login.options.acceptNewHostKey = settings.acceptNewHostKeys;
    login.options.acceptHostKeyFingerprint = settings.acceptHostKeyFingerprint;
    login.options.knownHostsPath =
        settings.knownHostsPath.isEmpty() ? KnownHosts::defaultPath() : settings.knownHostsPath;
    // Boards `ssh` already trusts are trusted too (read only, like the ssh config): the files
    // ssh resolves for this host, else OpenSSH's defaults.
    if (!settings.ignoreSshConfig) {
        login.options.readOnlyKnownHostsPaths = resolved.knownHostsFiles.isEmpty()
                                                    ? KnownHosts::openSshFiles()
                                                    : resolved.knownHostsFiles;
        login.options.readOnlyKnownHostsPaths.removeAll(login.options.knownHostsPath);
    }

    login.auth.user = !user.isEmpty()            ? user
                      : !resolved.user.isEmpty() ? resolved.user
                                                 : localUser();
    login.auth.identityFiles = settings.identityFiles + resolved.identityFiles;
    // Like OpenSSH: the default identities are tried only when nothing names a key.
    if (login.auth.identityFiles.isEmpty())
        login.auth.identityFiles = defaultIdentityFiles();
    login.auth.identityFiles.removeDuplicates();
    login.auth.useAgent = settings.useAgent && !resolved.identitiesOnly;
    return login;
}

SshLogin BoardConnection::forBoard(const Board &board, const ConnectionSettings &settings,
                                   const QString &password, const SshConfig *config)
{
    QString user = board.sshUser;
    // A plan without a user: ~/.ssh/config's for that host, else the catalog's for its image.
    // Asked with the local user, which is what `ssh -G` prints when nothing sets one.
    if (user.isEmpty() &&
        !(config && !config->resolve(board.sshTarget(), localUser()).user.isEmpty()))
        user = BoardCatalog::builtin().defaultLoginUser(board);
    const quint16 port = board.sshPort > 0 && board.sshPort <= 65535 ? quint16(board.sshPort) : 0;
    SshLogin login = forDestination(board.sshTarget(), user, port, settings, config);
    login.auth.password = password;
    return login;
}

QPair<QString, QString> BoardConnection::configLookup(const Board &board)
{
    return qMakePair(board.sshTarget(), localUser());
}

QString BoardConnection::loginUser(const Board &board, const ConnectionSettings &settings)
{
    SshConfig config;
    loadConfig(settings, &config, nullptr);
    return forBoard(board, settings, QString(), &config).auth.user;
}

bool BoardConnection::loadConfig(const ConnectionSettings &settings, SshConfig *config,
                                 QString *warning)
{
    if (settings.ignoreSshConfig)
        return true;
    const QString path =
        settings.sshConfigPath.isEmpty() ? SshConfig::defaultPath() : settings.sshConfigPath;
    QString error;
    if (config->load(path, &error))
        return true;
    *config = SshConfig();
    if (warning)
        *warning = tr("Cannot read %1: %2").arg(path, error);
    return false;
}

} // namespace Hivelab
