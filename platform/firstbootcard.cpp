// SPDX-License-Identifier: GPL-3.0-or-later
#include "firstbootcard.h"

#include "blockdevice.h"
#include "cloudinitconfig.h"
#include "dietpiconfig.h"
#include "raspberrypiosconfig.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace Hivelab {

namespace {

constexpr int ToolTimeoutMs = 30000;

struct ToolRun
{
    bool ok = false;
    QByteArray out;
    QByteArray err;
    QString error; // the tool's stderr or why it did not run
};

QString packageOf(const QString &program)
{
    if (program == QLatin1String("sfdisk"))
        return QStringLiteral("fdisk");
    if (program == QLatin1String("debugfs"))
        return QStringLiteral("e2fsprogs");
    return QStringLiteral("mtools");
}

ToolRun runTool(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Card readers and loop devices report no floppy-like geometry: let mtools skip that check.
    env.insert(QStringLiteral("MTOOLS_SKIP_CHECK"), QStringLiteral("1"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    p.setProcessEnvironment(env);
    p.start(program, args);
    ToolRun r;
    if (!p.waitForStarted(ToolTimeoutMs)) {
        r.error = FirstBootCard::tr("cannot run %1 (install %2)").arg(program, packageOf(program));
        return r;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(ToolTimeoutMs)) {
        p.kill();
        p.waitForFinished(ToolTimeoutMs);
        r.error = FirstBootCard::tr("%1 did not finish within %2 s")
                      .arg(program)
                      .arg(ToolTimeoutMs / 1000);
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!r.ok)
        r.error = QString::fromLocal8Bit(r.err).trimmed();
    return r;
}

// Bytes a tool reads by name without them touching a disk: an anonymous memory file (memfd),
// opened by the tool as /proc/PID/fd/N, which only this user may open. dietpi.txt carries the
// console password, so it never goes through a temporary folder.
class MemoryFile
{
public:
    explicit MemoryFile(const QByteArray &data)
        : m_fd(::memfd_create("hivelab-card-file", MFD_CLOEXEC))
        , m_errno(m_fd < 0 ? errno : 0)
    {
        for (qsizetype done = 0; m_fd >= 0 && done < data.size();) {
            const ssize_t n = ::write(m_fd, data.constData() + done, size_t(data.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                m_errno = n < 0 ? errno : ENOSPC;
                ::close(m_fd);
                m_fd = -1;
            } else {
                done += n;
            }
        }
    }
    ~MemoryFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(MemoryFile)
    bool isValid() const { return m_fd >= 0; }
    /// Why it is not valid (an errno: close() in the constructor may have changed errno).
    QString errorString() const { return QString::fromLocal8Bit(std::strerror(m_errno)); }
    QString path() const { return QStringLiteral("/proc/%1/fd/%2").arg(::getpid()).arg(m_fd); }

private:
    int m_fd = -1;
    int m_errno = 0;
};

QString imageArg(const QString &target, qint64 offset)
{
    return QStringLiteral("%1@@%2").arg(target).arg(offset);
}

bool flush(const QString &target, QString *error)
{
    const int fd = ::open(QFile::encodeName(target).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        *error = FirstBootCard::tr("cannot flush %1 to the card: %2")
                     .arg(target, QString::fromLocal8Bit(strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}

// userconf.txt needs a password hash: that of a random password nobody is told and nothing
// keeps, so login is by key only (the image's first user has sudo without a password).
QByteArray lockedPasswordHash()
{
    static const char alphabet[] =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray password(32, Qt::Uninitialized), salt(16, Qt::Uninitialized);
    for (char &c : password)
        c = alphabet[QRandomGenerator::system()->bounded(64)];
    for (char &c : salt)
        c = alphabet[QRandomGenerator::system()->bounded(64)];
    return RaspberryPiOsConfig::cryptSha512(password, salt);
}

} // namespace

std::optional<PartitionTable> FirstBootCard::partitionTable(const QString &target, QString *error)
{
    const ToolRun r = runTool(QStringLiteral("sfdisk"), {QStringLiteral("-J"), target});
    if (!r.ok) {
        *error = tr("cannot read the partition table of %1: %2")
                     .arg(target, r.error.isEmpty() ? tr("no partition table") : r.error);
        return std::nullopt;
    }
    QString why;
    auto table = PartitionTable::fromSfdiskJson(r.out, &why);
    if (!table)
        *error = tr("%1: %2").arg(target, why);
    return table;
}

std::optional<QByteArray> FirstBootCard::readFile(const QString &target, qint64 offset,
                                                  const QString &name, QString *error)
{
    const ToolRun r =
        runTool(QStringLiteral("mtype"),
                {QStringLiteral("-i"), imageArg(target, offset), QStringLiteral("::/") + name});
    if (!r.ok) {
        *error = r.error;
        return std::nullopt;
    }
    return r.out;
}

bool FirstBootCard::writeFile(const QString &target, qint64 offset, const QString &name,
                              const QByteArray &data, QString *error)
{
    const MemoryFile file(data);
    if (!file.isValid()) {
        *error = tr("cannot stage %1 in memory: %2").arg(name, file.errorString());
        return false;
    }
    // `mcopy -o` deletes the old file before it writes the new one, so a full partition left
    // the card without the file at all. The new one is written beside it and moved over it.
    const QString image = imageArg(target, offset);
    const QString path = QStringLiteral("::/") + name;
    const QString staged = path + QStringLiteral(".hivelab-new");
    ToolRun r = runTool(QStringLiteral("mcopy"),
                        {QStringLiteral("-o"), QStringLiteral("-i"), image, file.path(), staged});
    if (r.ok)
        r = runTool(QStringLiteral("mmove"), {QStringLiteral("-D"), QStringLiteral("o"),
                                              QStringLiteral("-i"), image, staged, path});
    if (!r.ok) {
        runTool(QStringLiteral("mdel"), {QStringLiteral("-i"), image, staged});
        *error = tr("cannot write %1 onto the boot partition of %2: %3").arg(name, target, r.error);
        return false;
    }
    return true;
}

namespace {

QString extImage(const QString &target, qint64 offset)
{
    // e2fsprogs' unix I/O manager takes options after a '?': the filesystem's byte offset.
    return QStringLiteral("%1?offset=%2").arg(target).arg(offset);
}

// debugfs reports most failures on stderr and still exits 0; its first stderr line is its
// version banner.
QString debugfsMessage(const ToolRun &r)
{
    if (!r.error.isEmpty() && r.err.isEmpty())
        return r.error;
    QStringList lines;
    for (const QByteArray &line : r.err.split('\n')) {
        if (!line.trimmed().isEmpty() && !line.startsWith("debugfs "))
            lines << QString::fromLocal8Bit(line).trimmed();
    }
    return lines.isEmpty() ? FirstBootCard::tr("debugfs failed without saying why")
                           : lines.join(QStringLiteral("; "));
}

ToolRun debugfs(const QString &target, qint64 offset, const QString &request, bool writable = false)
{
    // Several requests go in on stdin (-f -): they run in one opening of the filesystem.
    if (writable)
        return runTool(QStringLiteral("debugfs"),
                       {QStringLiteral("-w"), QStringLiteral("-f"), QStringLiteral("-"),
                        extImage(target, offset)},
                       request.toUtf8());
    return runTool(QStringLiteral("debugfs"),
                   {QStringLiteral("-R"), request, extImage(target, offset)});
}

} // namespace

bool FirstBootCard::isExtFilesystem(const QString &target, qint64 offset)
{
    // The superblock starts 1024 bytes in; its magic number 0xEF53 (little-endian) 56 bytes later.
    QFile f(target);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered) || !f.seek(offset + 1024 + 56))
        return false;
    const QByteArray magic = f.read(2);
    return magic.size() == 2 && quint8(magic.at(0)) == 0x53 && quint8(magic.at(1)) == 0xEF;
}

std::optional<FirstBootCard::ExtFile> FirstBootCard::readExtFile(const QString &target,
                                                                 qint64 offset, const QString &path,
                                                                 QString *error)
{
    error->clear();
    if (target.contains(QLatin1Char('?'))) {
        *error = tr("debugfs cannot open %1: its name holds a '?'").arg(target);
        return std::nullopt;
    }
    const ToolRun stat = debugfs(target, offset, QStringLiteral("stat ") + path);
    static const QRegularExpression typeMode(
        QStringLiteral("Type:\\s+(\\S+)\\s+Mode:\\s+([0-7]+)"));
    static const QRegularExpression owner(QStringLiteral("User:\\s+(\\d+)\\s+Group:\\s+(\\d+)"));
    static const QRegularExpression size(QStringLiteral("\\bSize:\\s+(\\d+)"));
    const QString text = QString::fromUtf8(stat.out);
    const auto tm = typeMode.match(text);
    const auto ug = owner.match(text);
    const auto sz = size.match(text, ug.capturedEnd());
    if (!tm.hasMatch() || !ug.hasMatch() || !sz.hasMatch()) {
        if (stat.err.contains("File not found"))
            return std::nullopt;
        *error = tr("cannot read %1 on the ext4 filesystem at byte %2 of %3: %4")
                     .arg(path)
                     .arg(offset)
                     .arg(target, debugfsMessage(stat));
        return std::nullopt;
    }
    if (tm.captured(1) != QLatin1String("regular")) {
        *error = tr("%1 on %2 is a %3, not a regular file").arg(path, target, tm.captured(1));
        return std::nullopt;
    }
    ExtFile file;
    file.mode = tm.captured(2).toUInt(nullptr, 8) & 07777;
    file.uid = ug.captured(1).toUInt();
    file.gid = ug.captured(2).toUInt();
    const ToolRun cat = debugfs(target, offset, QStringLiteral("cat ") + path);
    if (!cat.ok || cat.out.size() != sz.captured(1).toLongLong()) {
        *error = tr("cannot read %1 on %2: %3").arg(path, target, debugfsMessage(cat));
        return std::nullopt;
    }
    file.data = cat.out;
    return file;
}

bool FirstBootCard::replaceExtFile(const QString &target, qint64 offset, const QString &path,
                                   const QByteArray &data, const ExtFile &keep, QString *error)
{
    const ToolRun features = debugfs(target, offset, QStringLiteral("features"));
    if (!features.out.contains("Filesystem features:")) {
        *error = tr("cannot open the ext4 filesystem at byte %1 of %2: %3")
                     .arg(offset)
                     .arg(target, debugfsMessage(features));
        return false;
    }
    if (features.out.contains("needs_recovery")) {
        *error = tr("the ext4 filesystem at byte %1 of %2 was not cleanly unmounted (its journal "
                    "needs recovery): check it with e2fsck first")
                     .arg(offset)
                     .arg(target);
        return false;
    }
    const MemoryFile source(data);
    if (!source.isValid()) {
        *error = tr("cannot stage %1 in memory: %2").arg(path, source.errorString());
        return false;
    }
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString staged = path.left(slash + 1) + QStringLiteral(".hivelab-") + path.mid(slash + 1);
    // debugfs' write takes the memory file's owner and mode: set the kept ones (uid and gid
    // set both 16-bit halves).
    const ToolRun write = debugfs(target, offset,
                                  QStringLiteral("rm %1\nwrite %2 %1\nsif %1 mode 0%3\n"
                                                 "sif %1 uid %4\nsif %1 gid %5\n")
                                      .arg(staged, source.path())
                                      .arg(0100000 | (keep.mode & 07777), 0, 8)
                                      .arg(keep.uid)
                                      .arg(keep.gid),
                                  true);
    QString why;
    const auto back = readExtFile(target, offset, staged, &why);
    if (!write.ok || !back || back->data != data || back->mode != (keep.mode & 07777) ||
        back->uid != keep.uid || back->gid != keep.gid) {
        debugfs(target, offset, QStringLiteral("rm %1\n").arg(staged), true);
        *error = tr("cannot write %1 on %2: %3")
                     .arg(path, target, why.isEmpty() ? debugfsMessage(write) : why);
        return false;
    }
    // The staged file takes the old one's name: rm frees the old inode, link/unlink move the
    // name without touching link counts (the staged inode keeps its one link).
    const ToolRun swap = debugfs(
        target, offset, QStringLiteral("rm %1\nlink %2 %1\nunlink %2\n").arg(path, staged), true);
    if (!swap.ok) {
        *error = tr("cannot write %1 on %2: %3").arg(path, target, debugfsMessage(swap));
        return false;
    }
    return true;
}

QString FirstBootCard::flavourName(Flavour flavour)
{
    switch (flavour) {
    case Flavour::DietPi:
        return QStringLiteral("dietpi");
    case Flavour::RaspberryPiOs:
        return QStringLiteral("raspios-userconf");
    case Flavour::CloudInit:
        break;
    }
    return QStringLiteral("cloud-init");
}

std::optional<FirstBootCard::Flavour> FirstBootCard::flavourFromName(const QString &name)
{
    for (Flavour f : {Flavour::CloudInit, Flavour::DietPi, Flavour::RaspberryPiOs}) {
        if (flavourName(f) == name)
            return f;
    }
    return std::nullopt;
}

namespace {

// Where a DietPi image without dietpi.txt on a FAT keeps it: /boot of its ext4 root (the images
// for boards other than the Raspberry Pi), or the top of an ext4 /boot partition.
struct ExtDietPi
{
    qint64 offset = 0;
    QString path;
    FirstBootCard::ExtFile file;
};

std::optional<ExtDietPi> findDietPiOnExt(const QString &target, const PartitionTable &table,
                                         QString *error)
{
    error->clear();
    for (const PartitionTable::Partition &p : table.partitions) {
        const qint64 offset = table.byteOffset(p);
        if (p.isFat() || !FirstBootCard::isExtFilesystem(target, offset))
            continue;
        for (const QString &path :
             {QStringLiteral("/boot/dietpi.txt"), QStringLiteral("/dietpi.txt")}) {
            auto file = FirstBootCard::readExtFile(target, offset, path, error);
            if (file)
                return ExtDietPi{offset, path, *file};
            if (!error->isEmpty())
                return std::nullopt;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<FirstBootCard::Flavour> FirstBootCard::flavourOf(const QString &target,
                                                               QString *error)
{
    const auto table = partitionTable(target, error);
    if (!table)
        return std::nullopt;
    const PartitionTable::Partition *boot = table->bootPartition();
    const qint64 offset = boot ? table->byteOffset(*boot) : 0;
    QString why;
    if (boot && readFile(target, offset, QStringLiteral("dietpi.txt"), &why))
        return Flavour::DietPi;
    const auto onExt = findDietPiOnExt(target, *table, error);
    if (onExt)
        return Flavour::DietPi;
    if (!boot) {
        if (error->isEmpty())
            *error = tr("%1 has no FAT boot partition nor a DietPi dietpi.txt on an ext4 "
                        "partition")
                         .arg(target);
        return std::nullopt;
    }
    error->clear();
    return readFile(target, offset, QStringLiteral("cmdline.txt"), &why) &&
                   !readFile(target, offset, QStringLiteral("user-data"), &why)
               ? Flavour::RaspberryPiOs
               : Flavour::CloudInit;
}

std::optional<FirstBootCard::Written>
FirstBootCard::write(const QString &target, const BoardIdentity &id,
                     const QStringList &authorizedKeys, QString *error,
                     std::optional<Flavour> flavour, const ConsolePassword &console)
{
    const auto table = partitionTable(target, error);
    if (!table)
        return std::nullopt;
    const PartitionTable::Partition *boot = table->bootPartition();
    const qint64 offset = boot ? table->byteOffset(*boot) : 0;
    Written written;
    written.offset = offset;
    QList<QPair<QString, QByteArray>> files;
    QString why;
    std::optional<QByteArray> dietpi, cmdline;
    if (boot) {
        dietpi = readFile(target, offset, QStringLiteral("dietpi.txt"), &why);
        cmdline = readFile(target, offset, QStringLiteral("cmdline.txt"), &why);
    }
    std::optional<ExtDietPi> onExt;
    if (!dietpi && (!flavour || *flavour == Flavour::DietPi)) {
        onExt = findDietPiOnExt(target, *table, error);
        // A card with a FAT can still be a cloud-init or Raspberry Pi OS one: an ext4 root that
        // cannot be read (no debugfs, a damaged filesystem) only matters when it must be DietPi.
        if (!onExt && !error->isEmpty() && (!boot || flavour == Flavour::DietPi))
            return std::nullopt;
        error->clear();
        if (onExt)
            dietpi = onExt->file.data;
    }
    if (!boot && !onExt && flavour != Flavour::DietPi) {
        *error = tr("%1 has no FAT boot partition nor a DietPi dietpi.txt on an ext4 partition: "
                    "write the OS image first")
                     .arg(target);
        return std::nullopt;
    }
    if (!flavour) {
        // Raspberry Pi firmware's boot partition without a cloud-init seed: Raspberry Pi OS
        // before cloud-init (Debian 12 and earlier). Images with cloud-init ship user-data.
        flavour = dietpi ? Flavour::DietPi
                  : cmdline && !readFile(target, offset, QStringLiteral("user-data"), &why)
                      ? Flavour::RaspberryPiOs
                      : Flavour::CloudInit;
    }
    if ((*flavour == Flavour::DietPi && !dietpi) ||
        (*flavour == Flavour::RaspberryPiOs && !cmdline)) {
        *error = tr("%1 holds no %2 on its boot partition%3: not a %4 image")
                     .arg(target,
                          *flavour == Flavour::DietPi ? QStringLiteral("dietpi.txt")
                                                      : QStringLiteral("cmdline.txt"),
                          *flavour == Flavour::DietPi ? tr(" nor in /boot of an ext4 partition")
                                                      : QString(),
                          flavourName(*flavour));
        return std::nullopt;
    }
    written.flavour = *flavour;
    // Only DietPi's first boot installs the server it is told; other images bring OpenSSH.
    if (*flavour != Flavour::DietPi && id.sshServer == SshServer::Dropbear) {
        *error = tr("%1: the plan asks for Dropbear, which only DietPi cards can be told to "
                    "start; this is a %2 card (set the board's firstBoot.sshServer to "
                    "\"openssh\" or remove it)")
                     .arg(id.boardId, flavourName(*flavour));
        return std::nullopt;
    }
    if (*flavour == Flavour::DietPi) {
        // The plan's server; OpenSSH unless it says Dropbear (SFTP, sshd drop-ins).
        QByteArray edited;
        if (!DietPiConfig::edit(*dietpi, DietPiConfig::settings(id, authorizedKeys, id.sshServer),
                                &edited, error))
            return std::nullopt;

        // Never the image's well-known default password: the one given, else one nobody knows.
        QByteArray withLogin;
        if (!DietPiConfig::edit(edited,
                                DietPiConfig::loginSettings(console.password.isEmpty()
                                                                ? DietPiConfig::randomPassword()
                                                                : console.password),
                                &withLogin, error) ||
            (console.keep && !console.keep(error)))
            return std::nullopt;
        if (onExt) {
            if (!replaceExtFile(target, onExt->offset, onExt->path, withLogin, onExt->file,
                                error) ||
                !flush(target, error))
                return std::nullopt;
            const auto back = readExtFile(target, onExt->offset, onExt->path, &why);
            if (!back || back->data != withLogin || back->mode != onExt->file.mode ||
                back->uid != onExt->file.uid || back->gid != onExt->file.gid) {
                *error = tr("%1 on %2 does not read back as written%3")
                             .arg(onExt->path, target,
                                  why.isEmpty() ? QString() : QStringLiteral(": ") + why);
                return std::nullopt;
            }
            written.offset = onExt->offset;
            written.files = QStringList{onExt->path};
            return written;
        }
        files.append({QStringLiteral("dietpi.txt"), withLogin});
    } else if (*flavour == Flavour::RaspberryPiOs) {
        const QString bootDir = RaspberryPiOsConfig::bootMountPoint(*cmdline);
        QByteArray edited;
        if (!RaspberryPiOsConfig::editCmdline(*cmdline, bootDir + QStringLiteral("/firstrun.sh"),
                                              &edited, error))
            return std::nullopt;
        files.append({QStringLiteral("ssh"), QByteArray()});
        files.append({QStringLiteral("userconf.txt"),
                      RaspberryPiOsConfig::userconf(id.user, lockedPasswordHash())});
        files.append({QStringLiteral("firstrun.sh"),
                      RaspberryPiOsConfig::firstRunScript(id, authorizedKeys, bootDir)});
        files.append({QStringLiteral("cmdline.txt"), edited});
    } else {
        files.append({QStringLiteral("user-data"), CloudInitConfig::userData(id, authorizedKeys)});
        files.append({QStringLiteral("meta-data"), CloudInitConfig::metaData(id)});
        files.append({QStringLiteral("network-config"), CloudInitConfig::networkConfig(id)});
    }
    for (const auto &[name, data] : std::as_const(files)) {
        if (!writeFile(target, offset, name, data, error))
            return std::nullopt;
    }
    if (!flush(target, error))
        return std::nullopt;
    for (const auto &[name, data] : std::as_const(files)) {
        const auto back = readFile(target, offset, name, &why);
        if (!back || *back != data) {
            *error = tr("%1 on %2 does not read back as written%3")
                         .arg(name, target, why.isEmpty() ? QString() : QStringLiteral(": ") + why);
            return std::nullopt;
        }
        written.files.append(name);
    }
    return written;
}

namespace {

constexpr qint64 CopyBlock = 64 * 1024;

bool readFull(int fd, char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pread(fd, data, size_t(size), offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
        offset += n;
    }
    return true;
}

// Copies [offset, offset+length) from `from` to `to` block by block. With `onlyChanged`, a
// block is read from `to` first and written only when it differs; *changed counts those.
bool copyRange(int from, int to, qint64 offset, qint64 length, bool onlyChanged, qint64 *changed)
{
    QByteArray a(int(CopyBlock), Qt::Uninitialized);
    QByteArray b(int(CopyBlock), Qt::Uninitialized);
    for (qint64 at = offset; at < offset + length; at += CopyBlock) {
        const qint64 n = qMin(CopyBlock, offset + length - at);
        if (!readFull(from, a.data(), n, at))
            return false;
        if (onlyChanged) {
            if (!readFull(to, b.data(), n, at))
                return false;
            if (std::memcmp(a.constData(), b.constData(), size_t(n)) == 0)
                continue;
            ++*changed;
        }
        if (const int err = BlockDevice::writeAt(to, a.constData(), n, at); err != 0) {
            errno = err;
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<FirstBootCard::Written>
FirstBootCard::writeThrough(int fd, qint64 size, const QString &label, const BoardIdentity &id,
                            const QStringList &authorizedKeys, QString *error,
                            std::optional<Flavour> flavour, const ConsolePassword &console)
{
    // Plain reads and writes here: drop O_DIRECT, which wants aligned buffers.
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_DIRECT))
        ::fcntl(fd, F_SETFL, flags & ~O_DIRECT);
    QTemporaryDir dir;
    if (!dir.isValid() || size <= 0) {
        *error = tr("cannot make a scratch copy of %1's boot partition").arg(label);
        return std::nullopt;
    }
    QFile scratch(dir.filePath(QStringLiteral("card.img")));
    if (!scratch.open(QIODevice::ReadWrite) || !scratch.resize(size)) {
        *error = tr("cannot make a scratch copy of %1's boot partition: %2")
                     .arg(label, scratch.errorString());
        return std::nullopt;
    }
    const int copy = scratch.handle();
    qint64 unused = 0;
    // The partition table (MBR, or GPT's header and entries) lies in the first MiB.
    const qint64 head = qMin<qint64>(size, 1024 * 1024);
    if (!copyRange(fd, copy, 0, head, false, &unused)) {
        *error = tr("cannot read %1: %2").arg(label, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    const auto table = partitionTable(scratch.fileName(), error);
    if (!table)
        return std::nullopt;
    // The partitions write() may change: the boot FAT, and for DietPi without dietpi.txt on a
    // FAT, every ext2/3/4 partition (copied whole: which blocks debugfs reads is not known).
    QList<QPair<qint64, qint64>> ranges;
    auto copyIn = [&](const PartitionTable::Partition &p) {
        const qint64 offset = table->byteOffset(p);
        const qint64 length = p.size * table->sectorSize;
        if (offset < 0 || length <= 0 || offset + length > size) {
            *error = tr("%1's partition %2 lies outside the card").arg(label, p.node);
            return false;
        }
        if (!copyRange(fd, copy, offset, length, false, &unused)) {
            *error = tr("cannot read %1's partition %2: %3")
                         .arg(label, p.node, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        ranges.append({offset, length});
        return true;
    };
    const PartitionTable::Partition *boot = table->bootPartition();
    if (boot && !copyIn(*boot))
        return std::nullopt;
    QString why;
    if ((!boot || flavour == Flavour::DietPi) &&
        !(boot && readFile(scratch.fileName(), table->byteOffset(*boot),
                           QStringLiteral("dietpi.txt"), &why))) {
        for (const PartitionTable::Partition &p : table->partitions) {
            char magic[2] = {};
            const qint64 at = table->byteOffset(p) + 1024 + 56;
            if (p.isFat() || at + 2 > size || !readFull(fd, magic, 2, at) ||
                quint8(magic[0]) != 0x53 || quint8(magic[1]) != 0xEF)
                continue;
            if (!copyIn(p))
                return std::nullopt;
        }
    }
    if (ranges.isEmpty()) {
        *error = tr("%1 has no FAT boot partition nor an ext4 partition: write the OS image first")
                     .arg(label);
        return std::nullopt;
    }
    std::optional<Written> written =
        write(scratch.fileName(), id, authorizedKeys, error, flavour, console);
    if (!written)
        return std::nullopt;
    for (const auto &[offset, length] : std::as_const(ranges)) {
        qint64 changed = 0;
        if (!copyRange(copy, fd, offset, length, true, &changed) || ::fsync(fd) != 0) {
            *error = tr("cannot write %1's partition at byte %2: %3")
                         .arg(label)
                         .arg(offset)
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return std::nullopt;
        }
    }
    // Read back: the card's partitions must now equal the scratch copy (a block that differs
    // is counted; the scratch copy is discarded either way).
    BlockDevice::dropCaches(fd, true);
    for (const auto &[offset, length] : std::as_const(ranges)) {
        qint64 differing = 0;
        if (!copyRange(fd, copy, offset, length, true, &differing) || differing != 0) {
            *error = tr("%1's partition at byte %2 does not read back as written")
                         .arg(label)
                         .arg(offset);
            return std::nullopt;
        }
    }
    return written;
}

} // namespace Hivelab
