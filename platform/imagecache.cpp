// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagecache.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <cstring>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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

// Opens (creating) a lock file and flocks it; -1 when it cannot be made or, with LOCK_NB, when
// another open file (this process's or another's) holds a conflicting lock.
int lockFile(const QString &path, int operation)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int r = 0;
    while ((r = ::flock(fd, operation)) != 0 && errno == EINTR) {
    }
    if (r != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Runs `remove` for a file only while holding its name's lock exclusively: never while another
// process has it in use (markInUse), and no one can start using it halfway through.
template <typename Remove> bool removeUnlessInUse(const QString &lock, Remove remove)
{
    const int fd = lockFile(lock, LOCK_EX | LOCK_NB);
    if (fd < 0)
        return false;
    const bool removed = remove();
    ::close(fd);
    return removed;
}
} // namespace

class ImageCache::InUse
{
public:
    explicit InUse(int fd)
        : m_fd(fd)
    {}
    ~InUse() { ::close(m_fd); }
    Q_DISABLE_COPY_MOVE(InUse)

private:
    int m_fd;
};

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

QString ImageCache::lockPath(const QString &path) const
{
    // Lock files live beside the images, outside entries(), and are never deleted: a deleted
    // one could be locked by one process while another locks its replacement.
    return m_directory + QStringLiteral("/.locks/") + QFileInfo(basePath(path)).fileName();
}

std::shared_ptr<ImageCache::InUse> ImageCache::markInUse(const QString &path, QString *error) const
{
    const QString lock = lockPath(path);
    const int fd = QDir().mkpath(QFileInfo(lock).path()) ? lockFile(lock, LOCK_SH) : -1;
    if (fd < 0) {
        *error = QStringLiteral("%1: %2").arg(lock, QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    }
    return std::make_shared<InUse>(fd);
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
    // One evicting process at a time, so two do not both make the same room.
    if (!QFileInfo(m_directory).isDir() || !QDir().mkpath(m_directory + QStringLiteral("/.locks")))
        return {};
    const int serial = lockFile(m_directory + QStringLiteral("/.locks/.evict"), LOCK_EX);
    QList<Entry> all = entries();
    qint64 total = incoming;
    for (const Entry &e : std::as_const(all))
        total += e.size;
    QStringList removed;
    // entries() is newest first: remove from the back.
    for (auto it = all.crbegin(); it != all.crend() && total > m_sizeLimit; ++it) {
        if (kept.contains(basePath(it->path)))
            continue;
        if (removeUnlessInUse(lockPath(it->path), [&] { return QFile::remove(it->path); })) {
            total -= it->size;
            removed << it->path;
        }
    }
    if (serial >= 0)
        ::close(serial);
    return removed;
}

bool ImageCache::clear(const QStringList &keep, QString *error) const
{
    QStringList kept;
    for (const QString &k : keep)
        kept << QFileInfo(k).absoluteFilePath();
    const QList<Entry> all = entries();
    if (!all.isEmpty() && !QDir().mkpath(m_directory + QStringLiteral("/.locks"))) {
        *error = QStringLiteral("%1: cannot create %2").arg(m_directory, QStringLiteral(".locks"));
        return false;
    }
    for (const Entry &e : all) {
        if (kept.contains(basePath(e.path)))
            continue;
        QFile file(e.path);
        bool inUse = true;
        const bool removed = removeUnlessInUse(lockPath(e.path), [&] {
            inUse = false;
            return file.remove();
        });
        if (!removed && !inUse) {
            *error = QStringLiteral("%1: %2").arg(e.path, file.errorString());
            return false;
        }
    }
    return true;
}

} // namespace Hivelab
