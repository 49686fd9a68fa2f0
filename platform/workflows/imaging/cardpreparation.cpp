// SPDX-License-Identifier: GPL-3.0-or-later
#include "cardpreparation.h"

#include "blockdevice.h"
#include "boardcatalog.h"
#include "firstbootplan.h"
#include "imagesource.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace Hivelab::CardPreparation {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CardPreparation", text);
}

QString addressOf(const BoardIdentity &id)
{
    if (id.addressing != Addressing::Static)
        return QStringLiteral("dhcp");
    return id.prefixLength >= 0 ? QStringLiteral("%1/%2").arg(id.address).arg(id.prefixLength)
                                : id.address;
}

} // namespace

QString Result::addressText() const
{
    return addressOf(identity);
}

QString Result::flavourName() const
{
    return FirstBootCard::flavourName(flavour);
}

namespace {

std::optional<FirstBootCard::Written> writeCard(const QString &target, const BoardIdentity &id,
                                                const QString &publicKey, Access access,
                                                std::optional<FirstBootCard::Flavour> flavour,
                                                const FirstBootCard::ConsolePassword &console,
                                                QString *error)
{
    const BlockDevice::Target t = BlockDevice::inspect(target);
    const bool direct = BlockDevice::canOpenDirectly(target);
    if (!t.isBlock || (access == Access::Auto && direct))
        return FirstBootCard::write(target, id, {publicKey}, error, flavour, console);
    bool odirect = false;
    const int fd = direct ? ::open(target.toLocal8Bit().constData(), O_RDWR | O_EXCL | O_CLOEXEC)
                          : BlockDevice::openAuthorized(target, true, &odirect, error);
    if (fd < 0) {
        if (direct)
            *error =
                tr("cannot open %1: %2").arg(target, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    const qint64 size = ::lseek(fd, 0, SEEK_END);
    auto written =
        FirstBootCard::writeThrough(fd, size, target, id, {publicKey}, error, flavour, console);
    ::close(fd);
    return written;
}

} // namespace

std::optional<FirstBootCard::Flavour> catalogFlavour(const QString &source)
{
    const ImageDownloadInfo *d = BoardCatalog::builtin().download(source);
    return d ? FirstBootCard::flavourFromName(d->firstBoot) : std::nullopt;
}

bool isRawImage(const QString &image)
{
    ImageSource source;
    QString error;
    return source.open(image, &error) && source.kind() == QLatin1String("raw");
}

std::optional<FirstBootCard::Flavour> imageFlavour(const QString &image, QString *error,
                                                   const std::atomic_bool *cancelled)
{
    ImageSource source;
    if (!source.open(image, error))
        return std::nullopt;
    if (source.kind() == QLatin1String("raw"))
        return FirstBootCard::flavourOf(image, error);
    QTemporaryDir dir;
    QFile scratch(dir.filePath(QStringLiteral("head.img")));
    if (!dir.isValid() || !scratch.open(QIODevice::ReadWrite)) {
        *error = tr("cannot make a scratch file to look into %1").arg(image);
        return std::nullopt;
    }
    // Decompressed bytes up to `end`; blocks of zeros stay holes, as on the card.
    constexpr qint64 Block = 1024 * 1024;
    QByteArray buffer(Block, Qt::Uninitialized);
    const QByteArray zeros(Block, '\0');
    qint64 copied = 0;
    auto copyTo = [&](qint64 end) {
        while (copied < end) {
            if (cancelled && cancelled->load()) {
                *error = tr("cancelled while decompressing %1").arg(image);
                return false;
            }
            const qint64 n = source.read(buffer.data(), qMin(Block, end - copied));
            if (n < 0) {
                *error = source.errorString();
                return false;
            }
            if (n == 0)
                break;
            const bool hole = std::memcmp(buffer.constData(), zeros.constData(), size_t(n)) == 0;
            if (!scratch.seek(copied) || (!hole && scratch.write(buffer.constData(), n) != n)) {
                *error = scratch.errorString();
                return false;
            }
            copied += n;
        }
        return scratch.resize(copied);
    };
    // The partition table (MBR, or GPT's header and entries) lies in the first MiB.
    if (!copyTo(Block))
        return std::nullopt;
    const auto table = FirstBootCard::partitionTable(scratch.fileName(), error);
    if (!table)
        return std::nullopt;
    const PartitionTable::Partition *boot = table->bootPartition();
    const qint64 end = boot ? table->byteOffset(*boot) + boot->size * table->sectorSize : 0;
    if (!boot || end > HeadLimit) {
        *error = tr("%1 has no FAT boot partition within its first %2 MiB")
                     .arg(image)
                     .arg(HeadLimit >> 20);
        return std::nullopt;
    }
    if (!copyTo(end))
        return std::nullopt;
    QString why;
    if (FirstBootCard::readFile(scratch.fileName(), table->byteOffset(*boot),
                                QStringLiteral("dietpi.txt"), &why))
        return FirstBootCard::Flavour::DietPi;
    *error = tr("%1 holds no dietpi.txt on its boot FAT").arg(image);
    return std::nullopt;
}

Result prepare(const Lab &lab, const QString &boardId, const QString &target,
               const QString &publicKey, Access access,
               std::optional<FirstBootCard::Flavour> flavour,
               const FirstBootCard::ConsolePassword &console)
{
    Result result;
    result.lab = lab;
    QStringList assigned;
    QString error;
    if (!FirstBootPlan::allocateAddresses(&result.lab, {boardId}, &assigned, &error)) {
        result.errors << QStringLiteral("%1: %2").arg(boardId, error);
        return result;
    }
    Board *board = result.lab.board(boardId);
    if (!board) {
        result.errors << tr("No board %1 in the lab.").arg(boardId);
        return result;
    }
    board->firstBoot.instanceId =
        FirstBootPlan::makeInstanceId(boardId, QRandomGenerator::system()->generate());
    const QList<IdentityProblem> problems = FirstBootPlan::problems(result.lab, *board);
    for (const IdentityProblem &p : problems)
        result.errors << QStringLiteral("%1: %2").arg(boardId, p.message());
    if (!problems.isEmpty())
        return result;
    result.identity = FirstBootPlan::identity(result.lab, *board);
    // The user the card creates is the one the app logs in as from then on (provision, swarm),
    // also when the plan took it from the lab-wide default.
    if (board->sshUser.isEmpty())
        board->sshUser = result.identity.user;
    const auto written =
        writeCard(target, result.identity, publicKey, access, flavour, console, &error);
    if (!written) {
        result.errors << error;
        return result;
    }
    result.flavour = written->flavour;
    // DietPi has two logins, root and dietpi, and authorizes the key for both: a planned user
    // of another name is never created on the board, so its user is dietpi.
    if (written->flavour == FirstBootCard::Flavour::DietPi &&
        board->sshUser != QLatin1String("root") && board->sshUser != QLatin1String("dietpi")) {
        board->sshUser = QStringLiteral("dietpi");
        result.identity.user = board->sshUser;
    }
    result.files = written->files;
    result.ok = true;
    return result;
}

QString preview(const Lab &lab, const QString &boardId)
{
    const Board *board = lab.board(boardId);
    if (!board)
        return {};
    const BoardIdentity id = FirstBootPlan::identity(lab, *board);
    const QString address = id.addressing == Addressing::Static && id.address.isEmpty()
                                ? tr("address from the pool")
                                : addressOf(id);
    return QStringLiteral("%1 · %2 · %3")
        .arg(id.hostname, address, id.user.isEmpty() ? tr("no user") : id.user);
}

} // namespace Hivelab::CardPreparation
