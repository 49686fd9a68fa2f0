// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

class QProcess;

namespace Hivelab {

/// What OpenSSH's client configuration says about one host. Plain value type, any thread.
struct SshHostConfig
{
    QString hostName;          // real host (alias itself when not set)
    QString user;              // empty: not set (or set to the local user, ssh's default)
    quint16 port = 0;          // 0: not set (or 22)
    QStringList identityFiles; // ~ and %d %u %h %r %% expanded; only files that exist
    bool identitiesOnly = false;
    QStringList knownHostsFiles; // UserKnownHostsFile + GlobalKnownHostsFile, ~ expanded
    QString error;               // why ssh could not resolve the host (then all else is unset)
};

/// The client configuration as OpenSSH itself resolves it: `ssh -G [-F FILE] HOST`, so
/// Include, Match, CanonicalizeHostname and /etc/ssh/ssh_config count exactly as they do for
/// `ssh HOST`. One short process per host, its answer reused for a few seconds. Any thread.
/// Without load() nothing is configured and no process runs. "~" is $HOME, as everywhere in
/// Hivelab: when $HOME is not the account's home, $HOME/.ssh/config is passed with -F.
class SshConfig
{
public:
    /// ~/.ssh/config
    static QString defaultPath();

    /// Resolves with this user config: defaultPath() means ssh's own files (user and system),
    /// another path is passed as `ssh -F PATH`. A missing file is an empty config (returns
    /// true); an unreadable one, or no `ssh` installed, returns false with the reason.
    bool load(const QString &path, QString *error = nullptr);

    /// Resolves an alias like `ssh ALIAS` would. localUser fills %u and tells ssh's default user
    /// apart from a configured one.
    SshHostConfig resolve(const QString &alias, const QString &localUser = QString()) const;

    /// Resolves several (alias, localUser) pairs at once, their `ssh -G` side by side, into the
    /// answers resolve() reuses: a job about to log in to N boards waits for one process
    /// instead of N in a row. Blocks until all answered (bounded like resolve()).
    void resolveAhead(const QList<QPair<QString, QString>> &hosts) const;

    /// Reads `ssh -G` output (lower-case "key value" lines). Values that are only OpenSSH's
    /// defaults count as unset: the local user, port 22.
    static SshHostConfig fromResolved(const QByteArray &output, const QString &alias,
                                      const QString &localUser);

private:
    enum class Mode { None, SshDefaults, File, Empty };
    QString cacheKey(const QString &alias, const QString &localUser) const;
    bool asksSsh(const QString &alias) const;
    static std::optional<SshHostConfig> cached(const QString &key);
    void startSsh(QProcess *ssh, const QString &alias) const;
    /// The answer of a started `ssh -G` (an error when it did not finish), cached.
    SshHostConfig takeAnswer(QProcess *ssh, bool finished, const QString &alias,
                             const QString &localUser) const;
    Mode m_mode = Mode::None;
    QString m_path;
    QString m_ssh;
    QString m_accountHome; // the password database's home when it is not $HOME
};

} // namespace Hivelab
