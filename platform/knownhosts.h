// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// The app's own OpenSSH-format known_hosts file (plain and hashed "|1|salt|hash" names,
/// "[host]:port" for non-22 ports, "!negation" and "*?" patterns, @revoked markers).
/// Synchronous file IO, any thread; appends from several threads are serialised.
class KnownHosts
{
public:
    enum class Status { Known, Unknown, Changed, Revoked };

    struct Check
    {
        Status status = Status::Unknown;
        int line = 0;           // Known/Changed/Revoked: 1-based line of the matching entry
                                // (Changed: a same-type line if any, else the first one)
        QStringList knownTypes; // key types on file for this host (any status)
        QString path;           // checkAll: the file that decided (Known/Changed/Revoked)
    };

    explicit KnownHosts(const QString &path = defaultPath());

    /// <XDG data dir>/<org>/<app>/known_hosts (HOME/XDG_DATA_HOME isolate it).
    static QString defaultPath();
    QString path() const { return m_path; }

    /// Looks the presented key (SSH wire blob) up. A missing file means "Unknown". Changed:
    /// no line holds this key but the host has keys on file, of this type or another one
    /// (OpenSSH refuses both, also under StrictHostKeyChecking=accept-new).
    Check check(const QString &host, quint16 port, const QByteArray &keyBlob) const;
    /// The key looked up in several files, as OpenSSH does with its user and global files: a
    /// revoked entry anywhere refuses, else a matching key anywhere is Known, else a different
    /// key anywhere is Changed. knownTypes gathers all files'. Missing files are skipped.
    static Check checkAll(const QStringList &paths, const QString &host, quint16 port,
                          const QByteArray &keyBlob);
    /// OpenSSH's default files of keys the user already trusts (~/.ssh/known_hosts and
    /// known_hosts2, /etc/ssh/ssh_known_hosts and ssh_known_hosts2). Hivelab reads them and
    /// never writes them.
    static QStringList openSshFiles();

    /// Appends an entry (hashed like OpenSSH's HashKnownHosts when asked). Creates the file
    /// and its directory (0700) when missing.
    bool add(const QString &host, quint16 port, const QByteArray &keyBlob, bool hashed,
             QString *error = nullptr) const;

    /// "SHA256:" + unpadded base64 of the SHA-256 of the key blob, like `ssh-keygen -l`.
    static QString fingerprintSha256(const QByteArray &keyBlob);
    /// Algorithm name stored at the start of an SSH key blob ("ssh-ed25519", …).
    static QString keyType(const QByteArray &keyBlob);
    /// Host name as OpenSSH writes it in known_hosts: "host" or "[host]:port".
    static QString hostEntryName(const QString &host, quint16 port);
    /// OpenSSH glob: '*' any run, '?' one char, case-insensitive.
    static bool matchGlob(const QString &text, const QString &pattern);
    /// OpenSSH pattern list (a known_hosts host field, a `Host` line): true when a pattern
    /// matches and no negated one ("!pattern") does.
    static bool matchPatternList(const QString &text, const QStringList &patterns);

private:
    QString m_path;
};

} // namespace Hivelab
