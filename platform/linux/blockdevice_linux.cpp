// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockdevice.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace Hivelab::BlockDevice {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("BlockDevice", text);
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

// /sys/dev/block/MAJ:MIN → the whole disks under it: a partition's parent; for dm/md devices,
// the disks of every slave.
void disksOf(const QString &sysPath, QStringList *out, int depth = 0)
{
    if (depth > 8)
        return;
    const QString real = QFileInfo(sysPath).canonicalFilePath();
    if (real.isEmpty())
        return;
    const QStringList slaves = QDir(real + QStringLiteral("/slaves")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &s : slaves)
        disksOf(real + QStringLiteral("/slaves/") + s, out, depth + 1);
    if (!slaves.isEmpty())
        return;
    const QString disk = QFile::exists(real + QStringLiteral("/partition"))
                             ? QFileInfo(real).path()
                             : real;
    const QString dev = QStringLiteral("/dev/") + QFileInfo(disk).fileName();
    if (!out->contains(dev))
        out->append(dev);
}

void disksOfDevNumber(dev_t dev, QStringList *out)
{
    if (major(dev) == 0) // tmpfs, overlay, …: no block device behind it
        return;
    disksOf(QStringLiteral("/sys/dev/block/%1:%2").arg(major(dev)).arg(minor(dev)), out);
}

} // namespace

QList<Drive> listDrives(QString *error)
{
    QProcess lsblk;
    lsblk.start(QStringLiteral("lsblk"),
                {QStringLiteral("--json"), QStringLiteral("--bytes"), QStringLiteral("--tree"),
                 QStringLiteral("--output"),
                 QStringLiteral("NAME,PATH,SIZE,MODEL,VENDOR,TRAN,RM,HOTPLUG,RO,TYPE,MOUNTPOINTS")});
    if (!lsblk.waitForFinished(10000) || lsblk.exitCode() != 0) {
        *error = tr("lsblk failed: %1")
                     .arg(lsblk.error() == QProcess::FailedToStart
                              ? tr("not installed (util-linux)")
                              : QString::fromLocal8Bit(lsblk.readAllStandardError()).trimmed());
        return {};
    }
    return DriveRules::fromLsblkJson(lsblk.readAllStandardOutput(), error);
}

QStringList systemDisks()
{
    QStringList out;
    for (const char *mount : {"/", "/boot", "/boot/efi", "/usr", "/var"}) {
        struct stat st {};
        if (::stat(mount, &st) == 0)
            disksOfDevNumber(st.st_dev, &out);
    }
    QFile swaps(QStringLiteral("/proc/swaps"));
    if (swaps.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = swaps.readAll().split('\n');
        for (int i = 1; i < lines.size(); ++i) {
            const QByteArray dev = lines.at(i).split(' ').value(0);
            struct stat st {};
            if (!dev.isEmpty() && ::stat(dev.constData(), &st) == 0 && S_ISBLK(st.st_mode))
                disksOfDevNumber(st.st_rdev, &out);
        }
    }
    return out;
}

Target inspect(const QString &path)
{
    Target t;
    const QFileInfo info(path);
    t.path = info.exists() ? info.canonicalFilePath() : info.absoluteFilePath();
    struct stat st {};
    if (::stat(t.path.toLocal8Bit().constData(), &st) != 0) {
        if (!QFileInfo(info.absolutePath()).isDir())
            t.refusal = tr("the folder %1 does not exist").arg(info.absolutePath());
        return t; // a new image file
    }
    t.exists = true;
    if (S_ISREG(st.st_mode)) {
        t.size = st.st_size;
        t.readOnly = ::access(t.path.toLocal8Bit().constData(), W_OK) != 0;
        if (t.readOnly)
            t.refusal = tr("the file is not writable");
        return t;
    }
    if (!S_ISBLK(st.st_mode)) {
        t.refusal = S_ISDIR(st.st_mode) ? tr("it is a folder") : tr("it is not a disk or a file");
        return t;
    }
    t.isBlock = true;
    QString error;
    const QList<Drive> drives = listDrives(&error);
    const QString name = QFileInfo(t.path).fileName();
    for (const Drive &d : drives) {
        if (d.path == t.path || d.name == name)
            t.drive = d;
    }
    if (t.drive.name.isEmpty()) {
        // Not a whole disk (a partition) or lsblk failed: refuse rather than guess.
        t.refusal = error.isEmpty() ? tr("it is not a whole disk (a partition?)") : error;
        return t;
    }
    // Device numbers first: lsblk's mountpoints come from this mount namespace only.
    QStringList system = systemDisks();
    struct stat rootSt {};
    if (::stat("/", &rootSt) == 0 && rootSt.st_dev == st.st_rdev)
        system << t.path;
    t.size = t.drive.size;
    t.readOnly = t.drive.readOnly;
    t.refusal = DriveRules::refusal(t.drive, system);
    return t;
}

int openForWrite(const Target &target, bool *direct, QString *error)
{
    const QByteArray p = target.path.toLocal8Bit();
    const int base = target.isBlock ? (O_WRONLY | O_EXCL | O_CLOEXEC)
                                    : (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
    int fd = ::open(p.constData(), base | O_DIRECT, 0644);
    *direct = fd >= 0;
    if (fd < 0 && errno == EINVAL)
        fd = ::open(p.constData(), base, 0644);
    if (fd < 0 && (errno == EACCES || errno == EPERM) && target.isBlock && ::geteuid() != 0)
        return openAuthorized(target.path, true, direct, error);
    if (fd < 0) {
        const int err = errno;
        *error = err == EBUSY ? tr("%1 is in use (mounted or opened by another program)").arg(target.path)
                 : err == EACCES || err == EPERM
                     ? tr("no permission to write %1 (run as root, or use the app's authorised "
                          "writer)")
                           .arg(target.path)
                 : err == EROFS ? tr("%1 is read-only").arg(target.path)
                                : tr("cannot open %1: %2").arg(target.path, errnoText(err));
        return -1;
    }
    return fd;
}

int openForVerify(const Target &target, bool *direct, QString *error)
{
    const QByteArray p = target.path.toLocal8Bit();
    int fd = ::open(p.constData(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    *direct = fd >= 0;
    if (fd < 0 && errno == EINVAL)
        fd = ::open(p.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EPERM) && target.isBlock && ::geteuid() != 0)
        fd = openAuthorized(target.path, false, direct, error);
    else if (fd < 0)
        *error = tr("cannot read back %1: %2").arg(target.path, errnoText(errno));
    if (fd >= 0)
        dropCaches(fd, target.isBlock);
    return fd;
}

void dropCaches(int fd, bool isBlock)
{
    if (isBlock)
        ::ioctl(fd, BLKFLSBUF, 0);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

int writeAt(int fd, const char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size_t(size), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? ENOSPC : errno;
        data += n;
        size -= n;
        offset += n;
    }
    return 0;
}

int zeroRange(int fd, qint64 offset, qint64 length)
{
    quint64 range[2] = {quint64(offset), quint64(length)};
    if (::ioctl(fd, BLKZEROOUT, range) == 0)
        return 0;
    // No write-zeroes support: write them. O_DIRECT wants an aligned buffer.
    static constexpr qint64 Piece = qint64(1) << 20;
    void *zeros = nullptr;
    if (posix_memalign(&zeros, 4096, Piece) != 0)
        return ENOMEM;
    std::memset(zeros, 0, Piece);
    int err = 0;
    for (qint64 pos = offset; pos < offset + length && !err; pos += Piece)
        err = writeAt(fd, static_cast<const char *>(zeros), qMin(Piece, offset + length - pos), pos);
    std::free(zeros);
    return err;
}

bool unmount(const QString &mountpoint, QString *error)
{
    QProcess umount;
    umount.start(QStringLiteral("umount"), {mountpoint});
    if (!umount.waitForFinished(30000) || umount.exitCode() != 0) {
        *error = QString::fromLocal8Bit(umount.readAllStandardError()).trimmed();
        if (error->isEmpty())
            *error = tr("umount %1 failed").arg(mountpoint);
        return false;
    }
    return true;
}

} // namespace Hivelab::BlockDevice
