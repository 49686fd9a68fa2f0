// SPDX-License-Identifier: GPL-3.0-or-later
// AtomicFileWriter (and LabFile::save through it) on real filesystems. As root the test runs in
// a private mount namespace, so its tmpfs and bind mounts vanish with the process.
#include "atomicfilewriter.h"
#include "demolab.h"
#include "labfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace Hivelab;

namespace {

bool g_privateMounts = false;

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

struct stat statOf(const QString &path)
{
    struct stat st = {};
    ::stat(QFile::encodeName(path).constData(), &st);
    return st;
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestAtomicFileWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void replacesContentsAndLeavesNothingElse()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
        QVERIFY(writeAll(path, "old"));
        QVERIFY(AtomicFileWriter::write(path, "new").ok());
        QCOMPARE(readAll(path), QByteArray("new"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("lab.hivelab")});
    }

    void newFileFollowsTheUmask()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("new.hivelab"));
        const mode_t old = ::umask(027);
        const AtomicFileWriter::Result r = AtomicFileWriter::write(path, "x");
        ::umask(old);
        QVERIFY(r.ok());
        QCOMPARE(statOf(path).st_mode & 07777, mode_t(0640));
    }

    void exactModeWhenAsked()
    {
        // A private key: 0600 whatever the umask, and also over a world-readable old file.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("key.pem"));
        const mode_t old = ::umask(0);
        const AtomicFileWriter::Result created = AtomicFileWriter::write(path, "k1", 0600);
        ::umask(old);
        QVERIFY(created.ok());
        QCOMPARE(statOf(path).st_mode & 07777, mode_t(0600));
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
        QVERIFY(AtomicFileWriter::write(path, "k2", 0600).ok());
        QCOMPARE(statOf(path).st_mode & 07777, mode_t(0600));
        QCOMPARE(readAll(path), QByteArray("k2"));
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("key.pem")});
    }

    void keepsOwnerAndMode()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to own files as someone else");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
        QVERIFY(writeAll(path, "old"));
        const QByteArray name = QFile::encodeName(path);
        QCOMPARE(::chown(name.constData(), 65534, 65534), 0);
        QCOMPARE(::chmod(name.constData(), 0444), 0);
        QVERIFY(AtomicFileWriter::write(path, "new").ok());
        const struct stat st = statOf(path);
        QCOMPARE(readAll(path), QByteArray("new"));
        QCOMPARE(st.st_mode & 07777, mode_t(0444));
        QCOMPARE(st.st_uid, uid_t(65534));
        QCOMPARE(st.st_gid, gid_t(65534));
    }

    void followsSymlink()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("real.hivelab"));
        const QString link = dir.filePath(QStringLiteral("link.hivelab"));
        QVERIFY(writeAll(target, "old"));
        QVERIFY(QFile::link(target, link));
        QVERIFY(AtomicFileWriter::write(link, "new").ok());
        QCOMPARE(readAll(target), QByteArray("new"));
        QVERIFY(QFileInfo(link).isSymLink());
    }

    void fullDiskSaysSoAndLosesNothing()
    {
        if (!g_privateMounts)
            QSKIP("needs root (a private mount namespace for a small tmpfs)");
        QTemporaryDir dir;
        const QByteArray mountPoint = QFile::encodeName(dir.path());
        QCOMPARE(::mount("tmpfs", mountPoint.constData(), "tmpfs", 0, "size=64k"), 0);
        auto unmount = qScopeGuard([&] { ::umount2(mountPoint.constData(), MNT_DETACH); });
        const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
        QVERIFY(writeAll(path, "old lab"));
        // Fill the filesystem up to one free page: the next write is cut short, which
        // QSaveFile reported as "Unknown error".
        QFile filler(dir.filePath(QStringLiteral("filler")));
        QVERIFY(filler.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        const QByteArray block(4096, 'x');
        const auto freeBytes = [&] {
            struct statvfs fs = {};
            ::statvfs(mountPoint.constData(), &fs);
            return qint64(fs.f_bavail) * qint64(fs.f_frsize);
        };
        for (int i = 0; i < 64 && freeBytes() > 4096; ++i)
            QCOMPARE(filler.write(block), block.size());
        filler.close();
        QCOMPARE(freeBytes(), 4096);

        const AtomicFileWriter::Result r = AtomicFileWriter::write(path, QByteArray(12288, 'y'));
        QVERIFY(!r.ok());
        QCOMPARE(r.errorCode, ENOSPC);
        QCOMPARE(r.errorText(), QStringLiteral("No space left on device"));
        LabFileError error;
        QVERIFY(!LabFile::save(demoLab(), path, &error));
        QVERIFY2(error.message.contains(QLatin1String("No space left on device")),
                 qPrintable(error.message));
        QVERIFY(!error.message.contains(QLatin1String("Unknown error")));
        QCOMPARE(readAll(path), QByteArray("old lab"));
        QCOMPARE(entries(dir.path()), (QStringList{QStringLiteral("filler"),
                                                   QStringLiteral("lab.hivelab")}));
    }

    void failedRenameLeavesNoTemporary()
    {
        if (!g_privateMounts)
            QSKIP("needs root (a private mount namespace for a bind mount)");
        // The kernel refuses to rename over a mount point (EBUSY): the save fails at its
        // very last step.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.hivelab"));
        const QString other = dir.filePath(QStringLiteral("other"));
        QVERIFY(writeAll(path, "old lab"));
        QVERIFY(writeAll(other, "mounted"));
        const QByteArray mountPoint = QFile::encodeName(path);
        QCOMPARE(::mount(QFile::encodeName(other).constData(), mountPoint.constData(), nullptr,
                         MS_BIND, nullptr),
                 0);
        auto unmount = qScopeGuard([&] { ::umount2(mountPoint.constData(), MNT_DETACH); });
        const AtomicFileWriter::Result r = AtomicFileWriter::write(path, "new lab");
        const QStringList left = entries(dir.path());
        const QByteArray contents = readAll(path);
        QCOMPARE(int(r.failedStep), int(AtomicFileWriter::Step::Replace));
        QCOMPARE(r.errorCode, EBUSY);
        QCOMPARE(contents, QByteArray("mounted"));
        QCOMPARE(left, (QStringList{QStringLiteral("lab.hivelab"), QStringLiteral("other")}));
    }

    void folderOrSpecialFileInTheWay()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("lab.hivelab")));
        const AtomicFileWriter::Result r =
            AtomicFileWriter::write(dir.filePath(QStringLiteral("lab.hivelab")), "x");
        QCOMPARE(int(r.failedStep), int(AtomicFileWriter::Step::NotRegularFile));
        QCOMPARE(r.errorCode, EISDIR);
        const AtomicFileWriter::Result missing =
            AtomicFileWriter::write(dir.filePath(QStringLiteral("no/such/lab.hivelab")), "x");
        QCOMPARE(int(missing.failedStep), int(AtomicFileWriter::Step::OpenFolder));
        QCOMPARE(missing.errorCode, ENOENT);
        QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("lab.hivelab")});
    }
};

int main(int argc, char **argv)
{
    // Before any thread exists (unshare(CLONE_NEWNS) needs a single-threaded process).
    if (::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0)
        g_privateMounts = ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
    QCoreApplication app(argc, argv);
    TestAtomicFileWriter test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_atomicfilewriter.moc"
