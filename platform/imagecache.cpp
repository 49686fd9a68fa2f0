// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagecache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace Hivelab {

namespace {
const QString kLimitKey = QStringLiteral("images/cacheSizeLimit");

bool isPartial(const QString &name)
{
    return name.endsWith(QLatin1String(".part")) || name.endsWith(QLatin1String(".part.meta"));
}

// The complete file's path for a cache file name (NAME, NAME.part or NAME.part.meta).
QString basePath(const QString &path)
{
    if (path.endsWith(QLatin1String(".part.meta")))
        return path.chopped(10);
    if (path.endsWith(QLatin1String(".part")))
        return path.chopped(5);
    return path;
}
} // namespace

ImageCache::ImageCache()
    : ImageCache(defaultDirectory(), storedSizeLimit())
{}

ImageCache::ImageCache(const QString &directory, qint64 sizeLimit)
    : m_directory(directory)
    , m_sizeLimit(sizeLimit > 0 ? sizeLimit : DefaultSizeLimit)
{}

QString ImageCache::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
           QStringLiteral("/images");
}

qint64 ImageCache::storedSizeLimit()
{
    bool ok = false;
    const qint64 v = QSettings().value(kLimitKey).toLongLong(&ok);
    return ok && v > 0 ? v : DefaultSizeLimit;
}

void ImageCache::setStoredSizeLimit(qint64 bytes)
{
    QSettings settings;
    if (bytes > 0)
        settings.setValue(kLimitKey, bytes);
    else
        settings.remove(kLimitKey);
}

QString ImageCache::pathFor(const QUrl &url) const
{
    const QString name = url.fileName();
    if (name.isEmpty() || name.startsWith(QLatin1Char('.')) || isPartial(name))
        return {};
    const QByteArray key = QCryptographicHash::hash(url.toString(QUrl::FullyEncoded).toUtf8(),
                                                    QCryptographicHash::Sha256)
                               .toHex()
                               .left(10);
    return m_directory + QLatin1Char('/') + QString::fromLatin1(key) + QLatin1Char('-') + name;
}

QList<ImageCache::Entry> ImageCache::entries() const
{
    QList<Entry> out;
    const QFileInfoList files =
        QDir(m_directory).entryInfoList(QDir::Files | QDir::NoSymLinks | QDir::Hidden, QDir::Time);
    for (const QFileInfo &fi : files) {
        Entry e;
        e.path = fi.absoluteFilePath();
        e.fileName = fi.fileName();
        e.size = fi.size();
        e.lastUsed = fi.lastModified();
        e.partial = isPartial(e.fileName);
        out << e;
    }
    return out;
}

qint64 ImageCache::totalSize() const
{
    qint64 total = 0;
    for (const Entry &e : entries())
        total += e.size;
    return total;
}

void ImageCache::touch(const QString &path)
{
    QFile file(path);
    if (file.open(QIODevice::ReadWrite))
        file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
}

QStringList ImageCache::evict(qint64 incoming, const QStringList &keep) const
{
    QStringList kept;
    for (const QString &k : keep)
        kept << QFileInfo(k).absoluteFilePath();
    QList<Entry> all = entries();
    qint64 total = incoming;
    for (const Entry &e : std::as_const(all))
        total += e.size;
    QStringList removed;
    // entries() is newest first: remove from the back.
    for (auto it = all.crbegin(); it != all.crend() && total > m_sizeLimit; ++it) {
        if (kept.contains(basePath(it->path)))
            continue;
        if (QFile::remove(it->path)) {
            total -= it->size;
            removed << it->path;
        }
    }
    return removed;
}

bool ImageCache::clear(const QStringList &keep, QString *error) const
{
    QStringList kept;
    for (const QString &k : keep)
        kept << QFileInfo(k).absoluteFilePath();
    for (const Entry &e : entries()) {
        if (kept.contains(basePath(e.path)))
            continue;
        QFile file(e.path);
        if (!file.remove()) {
            *error = QStringLiteral("%1: %2").arg(e.path, file.errorString());
            return false;
        }
    }
    return true;
}

} // namespace Hivelab
