// SPDX-License-Identifier: GPL-3.0-or-later
#include "firstbootcard.h"

#include "blockdevice.h"
#include "cloudinitconfig.h"
#include "dietpiconfig.h"
#include "raspberrypiosconfig.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace Hivelab {

namespace {

constexpr int ToolTimeoutMs = 30000;

struct ToolRun
{
    bool ok = false;
    QByteArray out;
    QString error; // the tool's stderr or why it did not run
};

ToolRun runTool(const QString &program, const QStringList &args)
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
        r.error = FirstBootCard::tr("cannot run %1 (install %2)")
                      .arg(program, program == QLatin1String("sfdisk") ? QStringLiteral("fdisk")
                                                                       : QStringLiteral("mtools"));
        return r;
    }
    if (!p.waitForFinished(ToolTimeoutMs)) {
        p.kill();
        p.waitForFinished(ToolTimeoutMs);
        r.error = FirstBootCard::tr("%1 did not finish within %2 s")
                      .arg(program)
                      .arg(ToolTimeoutMs / 1000);
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!r.ok)
        r.error = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    return r;
}

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

std::optional<qint64> FirstBootCard::bootPartitionOffset(const QString &target, QString *error)
{
    const auto table = partitionTable(target, error);
    if (!table)
        return std::nullopt;
    const PartitionTable::Partition *boot = table->bootPartition();
    if (!boot) {
        *error = tr("%1 has no FAT boot partition: write the OS image first").arg(target);
        return std::nullopt;
    }
    return table->byteOffset(*boot);
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
    // mcopy copies files: the bytes go through a private temporary folder (public keys and
    // settings only, never a secret).
    QTemporaryDir dir;
    QFile f(dir.filePath(name));
    if (!dir.isValid() || !f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) {
        *error = tr("cannot stage %1 in a temporary folder").arg(name);
        return false;
    }
    f.close();
    const ToolRun r = runTool(QStringLiteral("mcopy"),
                              {QStringLiteral("-o"), QStringLiteral("-i"), imageArg(target, offset),
                               f.fileName(), QStringLiteral("::/") + name});
    if (!r.ok) {
        *error = tr("cannot write %1 onto the boot partition of %2: %3").arg(name, target, r.error);
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

std::optional<FirstBootCard::Written> FirstBootCard::write(const QString &target,
                                                           const BoardIdentity &id,
                                                           const QStringList &authorizedKeys,
                                                           QString *error,
                                                           std::optional<Flavour> flavour)
{
    const auto offset = bootPartitionOffset(target, error);
    if (!offset)
        return std::nullopt;
    Written written;
    written.offset = *offset;
    QList<QPair<QString, QByteArray>> files;
    QString why;
    const auto dietpi = readFile(target, *offset, QStringLiteral("dietpi.txt"), &why);
    const auto cmdline = readFile(target, *offset, QStringLiteral("cmdline.txt"), &why);
    if (!flavour) {
        // Raspberry Pi firmware's boot partition without a cloud-init seed: Raspberry Pi OS
        // before cloud-init (Debian 12 and earlier). Images with cloud-init ship user-data.
        flavour = dietpi ? Flavour::DietPi
                  : cmdline && !readFile(target, *offset, QStringLiteral("user-data"), &why)
                      ? Flavour::RaspberryPiOs
                      : Flavour::CloudInit;
    }
    if ((*flavour == Flavour::DietPi && !dietpi) ||
        (*flavour == Flavour::RaspberryPiOs && !cmdline)) {
        *error = tr("%1 holds no %2 on its boot partition: not a %3 image")
                     .arg(target,
                          *flavour == Flavour::DietPi ? QStringLiteral("dietpi.txt")
                                                      : QStringLiteral("cmdline.txt"),
                          flavourName(*flavour));
        return std::nullopt;
    }
    written.flavour = *flavour;
    if (*flavour == Flavour::DietPi) {
        // OpenSSH: the server the rest of Hivelab (SFTP, sshd drop-ins) works best with.
        QByteArray edited;
        if (!DietPiConfig::edit(
                *dietpi,
                DietPiConfig::settings(id, authorizedKeys, DietPiConfig::SshServer::OpenSsh),
                &edited, error))
            return std::nullopt;
        files.append({QStringLiteral("dietpi.txt"), edited});
    } else if (*flavour == Flavour::RaspberryPiOs) {
        const QString boot = RaspberryPiOsConfig::bootMountPoint(*cmdline);
        QByteArray edited;
        if (!RaspberryPiOsConfig::editCmdline(*cmdline, boot + QStringLiteral("/firstrun.sh"),
                                              &edited, error))
            return std::nullopt;
        files.append({QStringLiteral("ssh"), QByteArray()});
        files.append({QStringLiteral("userconf.txt"),
                      RaspberryPiOsConfig::userconf(id.user, lockedPasswordHash())});
        files.append({QStringLiteral("firstrun.sh"),
                      RaspberryPiOsConfig::firstRunScript(id, authorizedKeys, boot)});
        files.append({QStringLiteral("cmdline.txt"), edited});
    } else {
        files.append({QStringLiteral("user-data"), CloudInitConfig::userData(id, authorizedKeys)});
        files.append({QStringLiteral("meta-data"), CloudInitConfig::metaData(id)});
        files.append({QStringLiteral("network-config"), CloudInitConfig::networkConfig(id)});
    }
    for (const auto &[name, data] : std::as_const(files)) {
        if (!writeFile(target, *offset, name, data, error))
            return std::nullopt;
    }
    if (!flush(target, error))
        return std::nullopt;
    for (const auto &[name, data] : std::as_const(files)) {
        const auto back = readFile(target, *offset, name, &why);
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
                            std::optional<Flavour> flavour)
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
    const PartitionTable::Partition *boot = table->bootPartition();
    if (!boot) {
        *error = tr("%1 has no FAT boot partition: write the OS image first").arg(label);
        return std::nullopt;
    }
    const qint64 offset = table->byteOffset(*boot);
    const qint64 length = boot->size * table->sectorSize;
    if (offset < 0 || length <= 0 || offset + length > size) {
        *error = tr("%1's boot partition lies outside the card").arg(label);
        return std::nullopt;
    }
    if (!copyRange(fd, copy, offset, length, false, &unused)) {
        *error = tr("cannot read %1's boot partition: %2")
                     .arg(label, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    std::optional<Written> written = write(scratch.fileName(), id, authorizedKeys, error, flavour);
    if (!written)
        return std::nullopt;
    qint64 changed = 0;
    if (!copyRange(copy, fd, offset, length, true, &changed) || ::fsync(fd) != 0) {
        *error = tr("cannot write %1's boot partition: %2")
                     .arg(label, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    // Read back: the card's boot partition must now equal the scratch copy (a block that
    // differs is counted; the scratch copy is discarded either way).
    qint64 differing = 0;
    BlockDevice::dropCaches(fd, true);
    if (!copyRange(fd, copy, offset, length, true, &differing) || differing != 0) {
        *error = tr("%1's boot partition does not read back as written").arg(label);
        return std::nullopt;
    }
    return written;
}

} // namespace Hivelab
