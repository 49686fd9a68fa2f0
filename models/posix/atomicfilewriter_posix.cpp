// SPDX-License-Identifier: GPL-3.0-or-later
#include "atomicfilewriter.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Hivelab {

namespace {

using Step = AtomicFileWriter::Step;

AtomicFileWriter::Result failure(Step step, int code)
{
    return AtomicFileWriter::Result{step, code};
}

bool writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return false;
        }
        done += n;
    }
    return true;
}

// Holds Ctrl-C, SIGTERM, SIGHUP and SIGQUIT back in this thread while it lives: an interrupted
// save then ends with the new file in place or the temporary one removed, never with a stray
// temporary file (SIGKILL cannot be held back).
class InterruptionDeferral
{
public:
    InterruptionDeferral()
    {
        sigset_t set;
        sigemptyset(&set);
        for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            sigaddset(&set, sig);
        pthread_sigmask(SIG_BLOCK, &set, &m_old);
    }
    ~InterruptionDeferral() { pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }
    Q_DISABLE_COPY_MOVE(InterruptionDeferral)

private:
    sigset_t m_old;
};

// Closes fd and removes the temporary file, keeping errno for the caller.
void discard(int dirFd, int fd, const QByteArray &tempName)
{
    const int saved = errno;
    if (fd >= 0)
        ::close(fd);
    ::unlinkat(dirFd, tempName.constData(), 0);
    ::close(dirFd);
    errno = saved;
}

} // namespace

QString AtomicFileWriter::Result::errorText() const
{
    return qt_error_string(errorCode);
}

AtomicFileWriter::Result AtomicFileWriter::write(const QString &path, const QByteArray &data,
                                                int mode)
{
    const QFileInfo given(path);
    // Replace what a link points to, not the link (like QSaveFile).
    const QFileInfo info(given.isSymLink() && given.exists() ? given.canonicalFilePath()
                                                              : given.absoluteFilePath());
    const QByteArray folder = QFile::encodeName(info.absolutePath());
    const QByteArray name = QFile::encodeName(info.fileName());

    const InterruptionDeferral deferral;
    const int dirFd = ::open(folder.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        return failure(Step::OpenFolder, errno);
    struct stat old = {};
    const bool exists = ::fstatat(dirFd, name.constData(), &old, 0) == 0;
    if (exists && !S_ISREG(old.st_mode)) {
        ::close(dirFd);
        return failure(Step::NotRegularFile, S_ISDIR(old.st_mode) ? EISDIR : EINVAL);
    }

    // A hidden name next to the target: same filesystem, so the rename is atomic. Private (0600)
    // until it has the old file's owner and mode; a new file gets 0666 minus the umask.
    int fd = -1;
    QByteArray tempName;
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tempName = '.' + name + ".save-" +
                   QByteArray::number(QRandomGenerator::global()->generate(), 16);
        fd = ::openat(dirFd, tempName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      exists || mode >= 0 ? 0600 : 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        const int code = errno;
        ::close(dirFd);
        return failure(Step::CreateTemporary, code);
    }
    if (!writeAll(fd, data)) {
        discard(dirFd, fd, tempName);
        return failure(Step::Write, errno);
    }
    if (exists) {
        // Owner first: chown clears set-user-ID bits; the mode is restored either way.
        if (::fchown(fd, old.st_uid, old.st_gid) != 0) {
            // Not root: we may not give the file away. Keep at least the group when allowed;
            // the new file is then ours, as with any editor's save-by-rename.
            const int groupOnly = ::fchown(fd, uid_t(-1), old.st_gid);
            Q_UNUSED(groupOnly)
        }
        if (::fchmod(fd, old.st_mode & 07777) != 0) {
            discard(dirFd, fd, tempName);
            return failure(Step::Write, errno);
        }
    }
    if (mode >= 0 && ::fchmod(fd, mode_t(mode & 07777)) != 0) {
        discard(dirFd, fd, tempName);
        return failure(Step::Write, errno);
    }
    // Data on disk before the name points at it: a crash leaves the old or the new contents.
    if (::fsync(fd) != 0) {
        discard(dirFd, fd, tempName);
        return failure(Step::Write, errno);
    }
    const int closeRc = ::close(fd);
    fd = -1;
    if (closeRc != 0) {
        discard(dirFd, fd, tempName);
        return failure(Step::Write, errno);
    }
    if (::renameat(dirFd, tempName.constData(), dirFd, name.constData()) != 0) {
        discard(dirFd, fd, tempName);
        return failure(Step::Replace, errno);
    }
    // The rename itself is durable only once the folder is flushed. EINVAL: the filesystem
    // cannot sync folders (nothing more to do there).
    const int syncRc = ::fsync(dirFd);
    const int syncErr = errno;
    ::close(dirFd);
    if (syncRc != 0 && syncErr != EINVAL)
        return failure(Step::SyncFolder, syncErr);
    return Result{};
}

} // namespace Hivelab
