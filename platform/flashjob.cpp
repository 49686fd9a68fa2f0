// SPDX-License-Identifier: GPL-3.0-or-later
#include "flashjob.h"
#include "imagesource.h"
#include "sha256.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlashJob", text);
}

constexpr qint64 Align = 4096;  // buffer alignment
constexpr qint64 Sector = 512;  // O_DIRECT transfer granularity (lengths are padded to it)
constexpr qint64 ZeroBlock = 4096; // granularity of the computed map
constexpr int MaxQueued = 4;       // chunks waiting per writer (4 × 4 MiB)

qint64 roundUp(qint64 v, qint64 to)
{
    return (v + to - 1) / to * to;
}

// Page-aligned, zero-initialised memory for O_DIRECT.
struct AlignedBuffer
{
    char *data = nullptr;
    explicit AlignedBuffer(qint64 size)
    {
        if (posix_memalign(reinterpret_cast<void **>(&data), Align, size_t(size)) != 0)
            data = nullptr;
        else
            std::memset(data, 0, size_t(size));
    }
    ~AlignedBuffer() { std::free(data); }
    AlignedBuffer(const AlignedBuffer &) = delete;
    AlignedBuffer &operator=(const AlignedBuffer &) = delete;
};

struct Chunk
{
    qint64 offset = 0;
    qint64 length = 0;
    AlignedBuffer buffer{FlashJob::ChunkBytes};
    QList<QPair<qint64, qint64>> segments; // image offset, length: the data to write
    QList<QPair<qint64, qint64>> zeros;    // all-zero runs: zeroed by the device, not sent
};

// Data is written; Zero is zeroed by the device (BLKZEROOUT); Free is skipped, only where a
// .bmap says nothing uses it. Zero blocks or holes of a sparse file are never skipped: `xz -d`
// and `cp --sparse` turn any zero run into a hole, FAT tables and bitmaps included, and stale
// data there corrupts the filesystem.
enum class Kind { Data, Zero, Free };

bool allZero(const char *p, qint64 n)
{
    const auto *w = reinterpret_cast<const quint64 *>(p);
    for (qint64 i = 0; i < n / 8; ++i) {
        if (w[i])
            return false;
    }
    return true;
}

// pread that resumes after partial reads; -1 on an error.
qint64 readAll(int fd, char *data, qint64 size, qint64 offset)
{
    qint64 total = 0;
    while (total < size) {
        const ssize_t n = ::pread(fd, data + total, size_t(size - total), offset + total);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        total += n;
    }
    return total;
}

QString writeError(int err, const QString &path)
{
    if (err == ENOSPC || err == EFBIG)
        return tr("the image does not fit on %1").arg(path);
    if (err == ENODEV || err == ENXIO || err == ENOMEDIUM)
        return tr("%1 was removed while writing").arg(path);
    if (err == EIO)
        return tr("%1 reported an input/output error (a failing card or reader?)").arg(path);
    return tr("writing %1 failed: %2").arg(path, QString::fromLocal8Bit(std::strerror(err)));
}

} // namespace

struct FlashJob::Shared
{
    FlashJob::Options options;
    std::atomic<bool> cancel{false};

    std::mutex mutex;
    std::condition_variable changed;
    struct Writer
    {
        FlashJob::TargetResult result;
        std::deque<std::shared_ptr<Chunk>> queue;
        int index = 0;
        bool alive = true;
        std::atomic<int> phase{int(FlashJob::Phase::Waiting)};
        std::atomic<qint64> done{0};
        std::thread thread;
    };
    std::deque<Writer> writers;
    bool readerDone = false;
    QString sourceError;
    QString sourceDescription;
    QByteArray sourceSha256;
    QByteArray mappedSha256;
    BlockMap map;
    std::shared_ptr<AlignedBuffer> head;
    std::atomic<qint64> imageSize{-1};
    qint64 zeroedBytes = 0;
    std::atomic<qint64> sourceRead{0};
    std::atomic<qint64> sourceFileSize{0};
    std::atomic<qint64> imageRead{0};
    std::atomic<int> running{0};
    std::thread reader;

    void read();
    void write(Writer &w);
    void verify(Writer &w);
    void fail(Writer &w, const QString &why)
    {
        std::lock_guard lock(mutex);
        w.result.error = why;
        w.alive = false;
        w.queue.clear();
        w.phase = int(FlashJob::Phase::Failed);
        changed.notify_all();
    }
    // Waits until the writer has something to do; returns null at the end (or when cancelled).
    std::shared_ptr<Chunk> next(Writer &w)
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return cancel || !w.queue.empty() || readerDone; });
        if (cancel || w.queue.empty())
            return nullptr;
        auto c = w.queue.front();
        w.queue.pop_front();
        changed.notify_all();
        return c;
    }
};

void FlashJob::Shared::read()
{
    ImageSource source;
    QString error;
    BlockMap given;
    if (!options.bmapPath.isEmpty()) {
        QFile f(options.bmapPath);
        if (!f.open(QIODevice::ReadOnly))
            error = tr("Cannot read the block map %1: %2").arg(options.bmapPath, f.errorString());
        else if (given = BlockMap::fromBmap(f.readAll(), &error); given.isEmpty())
            error = tr("The block map %1 is not usable: %2").arg(options.bmapPath, error);
    }
    if (error.isEmpty() && source.open(options.source, &error)) {
        sourceFileSize = source.fileSize();
        imageSize = !given.isEmpty() ? given.imageSize() : source.imageSize();
        std::lock_guard lock(mutex);
        sourceDescription = source.entryName().isEmpty()
                                ? source.kind()
                                : source.kind() + QStringLiteral(": ") + source.entryName();
    }
    const qint64 block = given.isEmpty() ? ZeroBlock : given.blockSize();
    BlockMap built(0, int(block));
    int rangeIndex = 0;
    Sha256 mappedHash;
    qint64 offset = 0;
    qint64 zeroBytes = 0;
    while (error.isEmpty() && !cancel) {
        auto chunk = std::make_shared<Chunk>();
        if (!chunk->buffer.data) {
            error = tr("Out of memory for write buffers");
            break;
        }
        const qint64 n = source.read(chunk->buffer.data, ChunkBytes);
        sourceRead = source.fileBytesRead();
        if (n < 0) {
            error = tr("Reading %1 failed: %2").arg(options.source, source.errorString());
            break;
        }
        if (n == 0)
            break;
        chunk->offset = offset;
        chunk->length = n;
        for (qint64 b = 0; b < n; b += block) {
            const qint64 len = qMin(block, n - b);
            const qint64 blockNo = (offset + b) / block;
            Kind kind = Kind::Data;
            if (!given.isEmpty()) {
                const auto &ranges = given.ranges();
                while (rangeIndex < ranges.size() && ranges.at(rangeIndex).last < blockNo)
                    ++rangeIndex;
                if (rangeIndex >= ranges.size() || ranges.at(rangeIndex).first > blockNo)
                    kind = Kind::Free;
            } else if (options.zeroOut && allZero(chunk->buffer.data + b, roundUp(len, 8))) {
                kind = Kind::Zero;
            }
            if (kind == Kind::Free)
                continue;
            if (kind == Kind::Data) {
                built.addBlock(blockNo);
                mappedHash.add(chunk->buffer.data + b, len);
            } else {
                zeroBytes += len;
            }
            auto &list = kind == Kind::Data ? chunk->segments : chunk->zeros;
            if (!list.isEmpty() && list.last().first + list.last().second == offset + b)
                list.last().second += len;
            else
                list.append({offset + b, len});
        }
        if (offset == 0) {
            head = std::make_shared<AlignedBuffer>(HeadBytes);
            std::memcpy(head->data, chunk->buffer.data, size_t(qMin(n, HeadBytes)));
        }
        offset += n;
        imageRead = offset;
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] {
            if (cancel)
                return true;
            for (const Writer &w : writers) {
                if (w.alive && w.queue.size() >= MaxQueued)
                    return false;
            }
            return true;
        });
        bool anyAlive = false;
        for (Writer &w : writers) {
            if (w.alive)
                w.queue.push_back(chunk);
            anyAlive = anyAlive || w.alive;
        }
        changed.notify_all();
        if (!anyAlive)
            break; // every card failed: no reason to decompress the rest
    }
    if (error.isEmpty() && !cancel) {
        if (!given.isEmpty() && given.imageSize() != offset)
            error = tr("The block map is for another image (%1 bytes, the image has %2)")
                        .arg(given.imageSize())
                        .arg(offset);
        const QByteArray expected = options.sha256.trimmed().toLower();
        if (error.isEmpty() && !expected.isEmpty() && expected != source.fileSha256())
            error = tr("Checksum mismatch: %1 has SHA-256 %2, expected %3 (damaged or wrong "
                       "download)")
                        .arg(options.source, QString::fromLatin1(source.fileSha256()),
                             QString::fromLatin1(expected));
        if (offset == 0 && error.isEmpty())
            error = tr("%1 holds no data").arg(options.source);
    }
    built.setImageSize(offset);
    std::lock_guard lock(mutex);
    if (!error.isEmpty() && sourceError.isEmpty())
        sourceError = error;
    imageSize = offset;
    map = built;
    mappedSha256 = mappedHash.hexDigest();
    zeroedBytes = zeroBytes;
    sourceSha256 = source.fileSha256();
    readerDone = true;
    changed.notify_all();
}

void FlashJob::Shared::write(Writer &w)
{
    const QString path = w.result.target.path;
    QString error;
    bool direct = false;
    const int fd = BlockDevice::openForWrite(w.result.target, &direct, &error);
    if (fd < 0) {
        fail(w, error);
        return;
    }
    w.result.direct = direct;
    w.phase = int(FlashJob::Phase::Writing);
    QElapsedTimer timer;
    timer.start();
    // Zero the first MiB before anything else: partition table and boot code come last.
    AlignedBuffer zeros(HeadBytes);
    int err = BlockDevice::writeAt(fd, zeros.data, HeadBytes, 0);
    if (err == 0 && ::fdatasync(fd) != 0)
        err = errno;
    while (err == 0) {
        std::shared_ptr<Chunk> c = next(w);
        if (!c)
            break;
        for (const auto &[segOffset, segLength] : std::as_const(c->segments)) {
            qint64 start = qMax(segOffset, HeadBytes);
            const qint64 end = segOffset + segLength;
            if (start >= end)
                continue;
            // O_DIRECT wants whole sectors: the image's last block is padded with zeros.
            err = BlockDevice::writeAt(fd, c->buffer.data + (start - c->offset), roundUp(end - start, Sector),
                           start);
            if (err)
                break;
            w.result.written += end - start;
        }
        for (const auto &[zeroOffset, zeroLength] : std::as_const(c->zeros)) {
            const qint64 start = qMax(zeroOffset, HeadBytes);
            const qint64 end = zeroOffset + zeroLength;
            if (err || start >= end || !w.result.target.isBlock)
                continue; // a new image file is all holes already
            err = BlockDevice::zeroRange(fd, start, roundUp(end - start, Sector));
        }
        w.done = c->offset + c->length;
    }
    if (err) {
        // Let the reader go on for the other cards before anything else.
        ::close(fd);
        fail(w, writeError(err, path));
        return;
    }
    bool sourceOk = false;
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return readerDone || cancel; });
        sourceOk = readerDone && sourceError.isEmpty();
    }
    const bool ok = !cancel && sourceOk;
    if (ok) {
        const qint64 size = imageSize;
        const qint64 headLength = qMin(size, HeadBytes);
        if (::fdatasync(fd) != 0)
            err = errno;
        if (!err)
            err = BlockDevice::writeAt(fd, head->data, roundUp(headLength, Sector), 0);
        if (!err && !w.result.target.isBlock && ::ftruncate(fd, size) != 0)
            err = errno;
        if (!err && ::fdatasync(fd) != 0)
            err = errno;
        w.result.written += headLength;
    }
    ::close(fd);
    w.result.writeSeconds = timer.elapsed() / 1000.0;
    if (err) {
        fail(w, writeError(err, path));
    } else if (cancel) {
        std::lock_guard lock(mutex);
        w.result.error = tr("Cancelled; the first MiB of %1 is zeroed, so it will not boot "
                            "half-written")
                             .arg(path);
        w.phase = int(FlashJob::Phase::Cancelled);
    } else if (!ok) {
        fail(w, tr("Nothing usable was written to %1: the source failed (its first MiB is "
                   "zeroed)")
                    .arg(path));
    } else if (options.verify) {
        if (options.afterWrite)
            options.afterWrite(w.index);
        verify(w);
    } else {
        w.phase = int(FlashJob::Phase::Done);
    }
}

void FlashJob::Shared::verify(Writer &w)
{
    w.phase = int(FlashJob::Phase::Verifying);
    w.done = 0;
    QElapsedTimer timer;
    timer.start();
    QString error;
    bool direct = false;
    const int fd = BlockDevice::openForVerify(w.result.target, &direct, &error);
    if (fd < 0) {
        fail(w, error);
        return;
    }
    AlignedBuffer buffer(ChunkBytes);
    Sha256 hash;
    const qint64 size = imageSize;
    const qint64 block = map.blockSize();
    qint64 verified = 0;
    for (const BlockMap::Range &r : map.ranges()) {
        qint64 pos = r.first * block;
        const qint64 end = qMin((r.last + 1) * block, size);
        while (pos < end && !cancel) {
            const qint64 len = qMin(ChunkBytes, end - pos);
            const qint64 got = readAll(fd, buffer.data, roundUp(len, Sector), pos);
            if (got < len) {
                error = got < 0 ? tr("reading %1 back failed: %2")
                                      .arg(w.result.target.path,
                                           QString::fromLocal8Bit(std::strerror(errno)))
                                : tr("%1 ends before the image does").arg(w.result.target.path);
                break;
            }
            hash.add(buffer.data, len);
            pos += len;
            verified += len;
            w.done = verified;
        }
        if (!error.isEmpty() || cancel)
            break;
    }
    ::close(fd);
    w.result.verifySeconds = timer.elapsed() / 1000.0;
    if (cancel) {
        std::lock_guard lock(mutex);
        w.result.error = tr("Verification cancelled; %1 was written but not checked")
                             .arg(w.result.target.path);
        w.phase = int(FlashJob::Phase::Cancelled);
    } else if (!error.isEmpty()) {
        fail(w, error);
    } else if (hash.hexDigest() != mappedSha256) {
        fail(w, tr("Verification failed: %1 returned different data than was written (a "
                   "failing card, reader or fake-capacity card?)")
                    .arg(w.result.target.path));
    } else {
        w.phase = int(FlashJob::Phase::Done);
    }
}

QString FlashJob::siblingBmap(const QString &source)
{
    QString base = source;
    for (const char *ext : {".xz", ".gz", ".zst", ".bz2", ".zip", ".7z"}) {
        if (base.endsWith(QLatin1String(ext))) {
            base.chop(int(qstrlen(ext)));
            break;
        }
    }
    for (const QString &candidate :
         {source + QStringLiteral(".bmap"), base + QStringLiteral(".bmap")}) {
        if (QFileInfo(candidate).isFile())
            return candidate;
    }
    return {};
}

FlashJob::FlashJob(QObject *parent)
    : QObject(parent)
    , d(std::make_shared<Shared>())
{
    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &FlashJob::poll);
}

FlashJob::~FlashJob()
{
    // Never wait here (the GUI thread may own the job): a write to a dying card reader can
    // block in the kernel for minutes. The threads hold the shared state, stop at their next
    // check and free it.
    cancel();
    if (d->reader.joinable())
        d->reader.detach();
    for (Shared::Writer &w : d->writers) {
        if (w.thread.joinable())
            w.thread.detach();
    }
}

void FlashJob::start(const Options &options, const QList<BlockDevice::Target> &targets)
{
    d->options = options;
    for (const BlockDevice::Target &t : targets) {
        Shared::Writer &w = d->writers.emplace_back();
        w.result.target = t;
        w.index = int(d->writers.size()) - 1;
    }
    d->running = int(targets.size()) + 1;
    d->reader = std::thread([s = d] {
        s->read();
        --s->running;
    });
    for (Shared::Writer &w : d->writers) {
        w.thread = std::thread([s = d, &w] {
            s->write(w);
            --s->running;
        });
    }
    m_poll.start();
}

void FlashJob::cancel()
{
    d->cancel = true;
    std::lock_guard lock(d->mutex);
    d->changed.notify_all();
}

void FlashJob::poll()
{
    const qint64 size = d->imageSize;
    const qint64 read = d->sourceRead;
    // Compressed images of unknown size: estimate from the compression ratio so far.
    const qint64 estimate =
        size >= 0 ? size : (read > 0 ? d->imageRead * d->sourceFileSize / read : 0);
    qint64 mapped = -1;
    {
        std::lock_guard lock(d->mutex);
        if (d->readerDone)
            mapped = d->map.mappedBytes();
    }
    int i = 0;
    for (const Shared::Writer &w : d->writers) {
        const auto phase = Phase(w.phase.load());
        const qint64 total = phase == Phase::Verifying ? mapped : estimate;
        Q_EMIT progressChanged(i++, phase, w.done, total);
    }
    if (d->running == 0 && !m_finished) {
        m_poll.stop();
        d->reader.join();
        for (Shared::Writer &w : d->writers)
            w.thread.join();
        m_finished = true;
        Q_EMIT finished();
    }
}

QList<FlashJob::TargetResult> FlashJob::results() const
{
    std::lock_guard lock(d->mutex);
    QList<TargetResult> out;
    for (const Shared::Writer &w : d->writers) {
        TargetResult r = w.result;
        r.phase = Phase(w.phase.load());
        out << r;
    }
    return out;
}

QString FlashJob::sourceError() const
{
    std::lock_guard lock(d->mutex);
    return d->sourceError;
}

QByteArray FlashJob::sourceSha256() const
{
    std::lock_guard lock(d->mutex);
    return d->sourceSha256;
}

qint64 FlashJob::imageSize() const
{
    return d->imageSize;
}

qint64 FlashJob::mappedBytes() const
{
    std::lock_guard lock(d->mutex);
    return d->map.mappedBytes();
}

qint64 FlashJob::zeroedBytes() const
{
    std::lock_guard lock(d->mutex);
    return d->zeroedBytes;
}

QString FlashJob::sourceDescription() const
{
    std::lock_guard lock(d->mutex);
    return d->sourceDescription;
}

} // namespace Hivelab
