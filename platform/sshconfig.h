// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

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
/// `ssh HOST`. One short process per host, its answer reused for a few seconds. Any thread;
/// the answers an SshConfigLookup gets are kept by the object it was made for (so use that
/// object on the lookup's thread). Without load() nothing is configured and no process runs.
/// "~" is $HOME, as everywhere in Hivelab: when $HOME is not the account's home,
/// $HOME/.ssh/config is passed with -F.
class SshConfig
{
public:
    /// Bounds one `ssh -G` (it runs Match exec commands of the user's config).
    static constexpr int TimeoutMs = 10000;

    /// ~/.ssh/config
    static QString defaultPath();

    /// Resolves with this user config: defaultPath() means ssh's own files (user and system),
    /// another path is passed as `ssh -F PATH`. A missing file is an empty config (returns
    /// true); an unreadable one, or no `ssh` installed, returns false with the reason.
    bool load(const QString &path, QString *error = nullptr);

    /// Resolves an alias like `ssh ALIAS` would. localUser fills %u and tells ssh's default user
    /// apart from a configured one. Blocks for one `ssh -G` (bounded) unless answered() is
    /// true: code on the GUI thread asks an SshConfigLookup first.
    SshHostConfig resolve(const QString &alias, const QString &localUser = QString()) const;
    /// resolve() would answer at once: no process is needed (not loaded, an option-looking
    /// alias), or this object or the recent shared answers have it.
    bool answered(const QString &alias, const QString &localUser = QString()) const;

    /// Reads `ssh -G` output (lower-case "key value" lines). Values that are only OpenSSH's
    /// defaults count as unset: the local user, port 22.
    static SshHostConfig fromResolved(const QByteArray &output, const QString &alias,
                                      const QString &localUser);

private:
    friend class SshConfigLookup;
    enum class Mode { None, SshDefaults, File, Empty };
    QString cacheKey(const QString &alias, const QString &localUser) const;
    bool asksSsh(const QString &alias) const;
    std::optional<SshHostConfig> known(const QString &key) const;
    /// `ssh -G` with its arguments for this alias.
    QString program() const { return m_ssh; }
    QStringList arguments(const QString &alias) const;
    /// The answer for one local user from what `ssh -G` printed, or its error when `ok` is
    /// false (`output` is then its stderr); stored in the shared answers.
    SshHostConfig answer(bool ok, const QByteArray &output, const QString &alias,
                         const QString &localUser) const;
    Mode m_mode = Mode::None;
    QString m_path;
    QString m_ssh;
    QString m_accountHome; // the password database's home when it is not $HOME
    // What lookups answered for this object, kept for its life (a job's run sees one config).
    QHash<QString, SshHostConfig> m_answers;
};

} // namespace Hivelab
