// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// What ~/.ssh/config says about one host alias. Plain value type, any thread.
struct SshHostConfig
{
    QString hostName;          // real host (alias itself when not set)
    QString user;              // empty: not set
    quint16 port = 0;          // 0: not set
    QStringList identityFiles; // ~ and %d %u %h %r %% expanded, in file order
    bool identitiesOnly = false;
};

/// Parser for OpenSSH client config files: "Host" blocks with '*', '?' and '!' patterns, first
/// value wins, IdentityFile accumulates, "Key Value" and "Key=Value", quoted arguments.
/// "Match" blocks are skipped (treated as not matching) and "Include" is not followed.
/// Synchronous, any thread.
class SshConfig
{
public:
    /// ~/.ssh/config
    static QString defaultPath();

    /// Reads a file; a missing file is an empty config (returns true).
    bool load(const QString &path, QString *error = nullptr);
    void parse(const QByteArray &text);

    /// Resolves an alias like `ssh ALIAS` would. localUser fills %u.
    SshHostConfig resolve(const QString &alias, const QString &localUser = QString()) const;

private:
    struct Block
    {
        QStringList patterns; // empty = global section before the first Host
        bool isMatch = false;
        QList<QPair<QString, QString>> options; // lower-case key, raw value
    };
    QList<Block> m_blocks;
};

} // namespace Hivelab
