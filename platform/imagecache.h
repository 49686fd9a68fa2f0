// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace Hivelab {

/// Downloaded OS images under the XDG cache directory (~/.cache/hivelab/images), kept up to a
/// size limit: the least recently used files go first, never one named as in use. A download
/// in progress is NAME.part (with NAME.part.meta holding the server's validator for resuming);
/// a file without .part is complete and was checked against its checksum when one was known.
/// Several processes may share the cache: a file one of them holds with markInUse() is never
/// evicted or cleared by another (file locks in DIR/.locks). Synchronous file operations; any
/// thread, one instance per thread.
class ImageCache
{
public:
    static constexpr qint64 DefaultSizeLimit = 16LL * 1024 * 1024 * 1024;

    struct Entry
    {
        QString path;
        QString fileName;
        qint64 size = 0;
        QDateTime lastUsed; // the file's modification time: set on download, bumped on each use
        bool partial = false;
    };

    /// The default directory and, unless `sizeLimit` > 0, the limit stored by setStoredSizeLimit.
    ImageCache();
    ImageCache(const QString &directory, qint64 sizeLimit);

    /// QStandardPaths::CacheLocation + "/images".
    static QString defaultDirectory();
    /// The limit the user set (`hivelab image cache --limit`), else DefaultSizeLimit.
    static qint64 storedSizeLimit();
    static void setStoredSizeLimit(qint64 bytes);

    QString directory() const { return m_directory; }
    qint64 sizeLimit() const { return m_sizeLimit; }

    /// Where the image at `url` is cached: its file name prefixed with a short hash of the whole
    /// URL, so two vendors' "image.img.xz" do not collide. Empty for a URL without a file name.
    QString pathFor(const QUrl &url) const;
    static QString partialPath(const QString &path) { return path + QStringLiteral(".part"); }
    static QString metaPath(const QString &path) { return path + QStringLiteral(".part.meta"); }

    /// Everything in the cache, most recently used first. Creates nothing.
    QList<Entry> entries() const;
    qint64 totalSize() const;
    /// While alive, no ImageCache in any process evicts or clears the image (nor its .part).
    class InUse;
    /// Takes a shared lock for `path` (its download and its use); waits while another process is
    /// evicting that very file. Null with *error when the lock file cannot be made.
    std::shared_ptr<InUse> markInUse(const QString &path, QString *error) const;

    /// Marks a cached file as just used (its modification time), for the LRU order.
    static void touch(const QString &path);
    /// Removes least recently used files (complete or partial) until the cache plus `incoming`
    /// bytes fits the limit, never a path in `keep` (nor its .part) nor one another process
    /// marked in use. One process evicts at a time. Returns the removed paths.
    QStringList evict(qint64 incoming, const QStringList &keep) const;
    /// Removes every file but those in `keep` and those in use; false with *error on the first
    /// that cannot go.
    bool clear(const QStringList &keep, QString *error) const;

private:
    QString lockPath(const QString &path) const;
    QString m_directory;
    qint64 m_sizeLimit;
};

} // namespace Hivelab
