// SPDX-License-Identifier: GPL-3.0-or-later
#include "firstbootcard.h"

#include "cloudinitconfig.h"
#include "dietpiconfig.h"

#include <QFile>
#include <QProcess>
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
    const ToolRun r = runTool(QStringLiteral("mtype"),
                              {QStringLiteral("-i"), imageArg(target, offset),
                               QStringLiteral("::/") + name});
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
                              {QStringLiteral("-o"), QStringLiteral("-i"),
                               imageArg(target, offset), f.fileName(),
                               QStringLiteral("::/") + name});
    if (!r.ok) {
        *error = tr("cannot write %1 onto the boot partition of %2: %3").arg(name, target, r.error);
        return false;
    }
    return true;
}

std::optional<FirstBootCard::Written> FirstBootCard::write(const QString &target,
                                                           const BoardIdentity &id,
                                                           const QStringList &authorizedKeys,
                                                           QString *error)
{
    const auto offset = bootPartitionOffset(target, error);
    if (!offset)
        return std::nullopt;
    Written written;
    written.offset = *offset;
    QList<QPair<QString, QByteArray>> files;
    QString why;
    const auto dietpi = readFile(target, *offset, QStringLiteral("dietpi.txt"), &why);
    if (dietpi) {
        written.flavour = Flavour::DietPi;
        // OpenSSH: the server the rest of Hivelab (SFTP, sshd drop-ins) works best with.
        QByteArray edited;
        if (!DietPiConfig::edit(*dietpi,
                                DietPiConfig::settings(id, authorizedKeys,
                                                       DietPiConfig::SshServer::OpenSsh),
                                &edited, error))
            return std::nullopt;
        files.append({QStringLiteral("dietpi.txt"), edited});
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

} // namespace Hivelab
