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
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("FlashJob", text);
}

constexpr qint64 Align = 4096;     // buffer alignment
constexpr qint64 Sector = 512;     // O_DIRECT transfer granularity (lengths are padded to it)
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

// Chunk buffers reused for the whole job: the reader takes one per chunk, the last writer done
// with a chunk gives it back. A fresh 4 MiB allocation per chunk costs a thousand page faults
// (and the kernel's zeroing) every time. Grows when every buffer is in use (the queues bound
// that to MaxQueued + 2), so taking one never blocks.
class BufferPool : public std::enable_shared_from_this<BufferPool>
{
public:
    ~BufferPool()
    {
        for (char *p : m_free)
            std::free(p);
    }
    std::shared_ptr<char> take()
    {
        char *p = nullptr;
        {
            std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                p = m_free.back();
                m_free.pop_back();
            }
        }
        if (!p &&
            posix_memalign(reinterpret_cast<void **>(&p), Align, size_t(FlashJob::ChunkBytes)) != 0)
            return nullptr;
        std::weak_ptr<BufferPool> pool = weak_from_this();
        return std::shared_ptr<char>(p, [pool](char *q) {
            if (const auto self = pool.lock()) {
                std::lock_guard lock(self->m_mutex);
                self->m_free.push_back(q);
            } else {
                std::free(q);
            }
        });
    }

private:
    std::mutex m_mutex;
    std::vector<char *> m_free;
};

struct Chunk
{
    qint64 offset = 0;
    qint64 length = 0;
    std::shared_ptr<char> buffer;          // null for a chunk that is all zeroed ranges
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

// Sorts an image's blocks, in order, into data (sent, hashed for the read-back, recorded in the
// map), zeros (zeroed by the device) and free space (a .bmap's unmapped blocks: skipped), and
// checks the .bmap's per-range SHA-256 where it has them, as bmaptool does.
struct Classifier
{
    Classifier(const BlockMap &map, bool zeroOutBlocks)
        : given(map)
        , block(map.isEmpty() ? ZeroBlock : map.blockSize())
        , zeroOut(zeroOutBlocks)
        , built(0, int(block))
    {}
    const BlockMap &given;
    const qint64 block;
    const bool zeroOut;
    BlockMap built;
    Sha256 mappedHash;
    Sha256 rangeHash;
    qint64 zeroBytes = 0;
    int rangeIndex = 0;
    QString error;

    static void append(QList<QPair<qint64, qint64>> &list, qint64 offset, qint64 length)
    {
        if (!list.isEmpty() && list.last().first + list.last().second == offset)
            list.last().second += length;
        else
            list.append({offset, length});
    }

    // `data` holds the image bytes [offset, offset + n); offset is a multiple of the block size
    // and calls come in ascending order. Sets `error` when a range fails its checksum.
    void add(Chunk &c, const char *data, qint64 offset, qint64 n)
    {
        for (qint64 b = 0; b < n && error.isEmpty(); b += block) {
            const qint64 len = qMin(block, n - b);
            const qint64 blockNo = (offset + b) / block;
            const BlockMap::Range *range = nullptr;
            Kind kind = Kind::Data;
            if (!given.isEmpty()) {
                const auto &ranges = given.ranges();
                while (rangeIndex < ranges.size() && ranges.at(rangeIndex).last < blockNo)
                    ++rangeIndex;
                if (rangeIndex >= ranges.size() || ranges.at(rangeIndex).first > blockNo)
                    kind = Kind::Free;
                else
                    range = &ranges.at(rangeIndex);
            } else if (zeroOut && allZero(data + b, roundUp(len, 8))) {
                kind = Kind::Zero;
            }
            if (kind == Kind::Free)
                continue;
            if (kind == Kind::Data) {
                built.addBlock(blockNo);
                mappedHash.add(data + b, len);
                if (range && !range->sha256.isEmpty()) {
                    rangeHash.add(data + b, len);
                    if (blockNo == range->last)
                        checkRange(*range);
                }
            } else {
                zeroBytes += len;
            }
            append(kind == Kind::Data ? c.segments : c.zeros, offset + b, len);
        }
    }

    void addZeros(Chunk &c, qint64 offset, qint64 n)
    {
        zeroBytes += n;
        append(c.zeros, offset, n);
    }

    void checkRange(const BlockMap::Range &range)
    {
        const QByteArray got = rangeHash.hexDigest();
        if (got != range.sha256)
            error = tr("The image does not match its block map: blocks %1-%2 have SHA-256 %3, "
                       "the map says %4 (a damaged image, or a map for another one)")
                        .arg(range.first)
                        .arg(range.last)
                        .arg(QString::fromLatin1(got), QString::fromLatin1(range.sha256));
    }
};

// A chunk's buffer was filled with the image bytes [offset, offset + n): pads its last sector
// with zeros (buffers are reused) and sorts its blocks. False with *error on a range mismatch.
bool fillChunk(Chunk &c, Classifier &classifier, qint64 offset, qint64 n, QString *error)
{
    char *data = c.buffer.get();
    std::memset(data + n, 0, size_t(roundUp(n, Sector) - n));
    c.offset = offset;
    c.length = n;
    classifier.add(c, data, offset, n);
    if (!classifier.error.isEmpty())
        *error = classifier.error;
    return classifier.error.isEmpty();
}

// One stretch of a raw image file: read (and classified), or a hole zeroed without reading.
struct Extent
{
    qint64 start = 0;
    qint64 end = 0;
    bool read = true;
};

// The data extents and holes of a file (SEEK_DATA/SEEK_HOLE), holes shrunk to whole ZeroBlocks.
// A file system without them reports one data extent.
QList<Extent> fileExtents(int fd, qint64 size)
{
    QList<Extent> out;
    qint64 pos = 0;
    while (pos < size) {
        off_t data = ::lseek(fd, pos, SEEK_DATA);
        if (data < 0)
            data = errno == ENXIO ? size : pos;
        const qint64 dataStart = qMax(pos, qMin(qint64(data) / ZeroBlock * ZeroBlock, size));
        if (dataStart > pos)
            out.append({pos, dataStart, false});
        if (dataStart >= size)
            break;
        off_t hole = ::lseek(fd, data, SEEK_HOLE);
        if (hole < 0 || hole <= data)
            hole = size;
        const qint64 dataEnd = qMin(roundUp(hole, ZeroBlock), size);
        out.append({dataStart, dataEnd, true});
        pos = dataEnd;
    }
    return out;
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
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>();
    std::atomic<qint64> imageSize{-1};
    qint64 zeroedBytes = 0;
    std::atomic<qint64> sourceRead{0};
    std::atomic<qint64> sourceFileSize{0};
    std::atomic<qint64> imageRead{0};
    std::atomic<int> running{0};
    std::thread reader;

    void read();
    qint64 readStream(ImageSource &source, Classifier &classifier, QString *error);
    qint64 readRaw(const BlockMap &given, Classifier &classifier, QByteArray *fileSha,
                   QString *error);
    void hashFile(int fd, qint64 size, const std::atomic<bool> &stop, QByteArray *hex,
                  QString *error);
    bool push(const std::shared_ptr<Chunk> &chunk);
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
    Classifier classifier(given, options.zeroOut);
    qint64 size = 0;
    QByteArray fileSha;
    // A raw file is read where it matters only; a compressed one streams from its start.
    const bool raw = source.kind() == QLatin1String("raw");
    if (error.isEmpty() && raw) {
        size = readRaw(given, classifier, &fileSha, &error);
    } else if (error.isEmpty()) {
        size = readStream(source, classifier, &error);
        fileSha = source.fileSha256();
        if (error.isEmpty() && !cancel && !given.isEmpty() && given.imageSize() != size)
            error = tr("The block map is for another image (%1 bytes, the image has %2)")
                        .arg(given.imageSize())
                        .arg(size);
    }
    if (error.isEmpty() && !cancel) {
        const QByteArray expected = options.sha256.trimmed().toLower();
        if (!expected.isEmpty() && expected != fileSha)
            error = tr("Checksum mismatch: %1 has SHA-256 %2, expected %3 (damaged or wrong "
                       "download)")
                        .arg(options.source, QString::fromLatin1(fileSha),
                             QString::fromLatin1(expected));
        if (size == 0 && error.isEmpty())
            error = tr("%1 holds no data").arg(options.source);
    }
    classifier.built.setImageSize(size);
    std::lock_guard lock(mutex);
    if (!error.isEmpty() && sourceError.isEmpty())
        sourceError = error;
    imageSize = size;
    map = classifier.built;
    mappedSha256 = classifier.mappedHash.hexDigest();
    zeroedBytes = classifier.zeroBytes;
    sourceSha256 = fileSha;
    readerDone = true;
    changed.notify_all();
}

bool FlashJob::Shared::push(const std::shared_ptr<Chunk> &chunk)
{
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
    return anyAlive && !cancel; // every card failed: no reason to read the rest
}

// Compressed images: decompressed front to back (the file's SHA-256 comes along for free).
qint64 FlashJob::Shared::readStream(ImageSource &source, Classifier &classifier, QString *error)
{
    qint64 offset = 0;
    while (error->isEmpty() && !cancel) {
        auto chunk = std::make_shared<Chunk>();
        chunk->buffer = pool->take();
        if (!chunk->buffer) {
            *error = tr("Out of memory for write buffers");
            break;
        }
        char *data = chunk->buffer.get();
        const qint64 n = source.read(data, ChunkBytes);
        sourceRead = source.fileBytesRead();
        if (n < 0) {
            *error = tr("Reading %1 failed: %2").arg(options.source, source.errorString());
            break;
        }
        if (n == 0)
            break;
        if (!fillChunk(*chunk, classifier, offset, n, error))
            break;
        if (offset == 0) {
            head = std::make_shared<AlignedBuffer>(HeadBytes);
            std::memcpy(head->data, data, size_t(qMin(n, HeadBytes)));
        }
        offset += n;
        imageRead = offset;
        if (!push(chunk))
            break;
    }
    return offset;
}

// A raw image file is read only where it has to be, as bmaptool does: with a .bmap its mapped
// ranges (the rest is skipped); without, the file's data extents, its holes zeroed by the device
// unread. The whole file is read only when its SHA-256 is to be checked, by a second thread
// hashing it front to back while the writers write. Returns the image size.
qint64 FlashJob::Shared::readRaw(const BlockMap &given, Classifier &classifier, QByteArray *fileSha,
                                 QString *error)
{
    const int fd = ::open(QFile::encodeName(options.source).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st = {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        *error = tr("Cannot read %1: %2")
                     .arg(options.source, QString::fromLocal8Bit(std::strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        return 0;
    }
    const qint64 size = st.st_size;
    if (!given.isEmpty() && given.imageSize() != size) {
        *error = tr("The block map is for another image (%1 bytes, the image has %2)")
                     .arg(given.imageSize())
                     .arg(size);
        ::close(fd);
        return 0;
    }
    QList<Extent> extents;
    if (given.isEmpty()) {
        extents = fileExtents(fd, size);
        // --write-all: holes are sent as zeros like any data.
        for (Extent &e : extents)
            e.read = e.read || !options.zeroOut;
    } else {
        for (const BlockMap::Range &r : given.ranges())
            extents.append(
                {r.first * given.blockSize(), qMin((r.last + 1) * given.blockSize(), size), true});
    }
    const QByteArray expected = options.sha256.trimmed().toLower();
    std::thread hasher;
    QString hashError;
    std::atomic<bool> stopHashing{false};
    if (!expected.isEmpty() && !options.sha256Checked)
        hasher = std::thread([&] { hashFile(fd, size, stopHashing, fileSha, &hashError); });
    else if (!expected.isEmpty())
        *fileSha = expected;

    head = std::make_shared<AlignedBuffer>(HeadBytes);
    if (!head->data || readAll(fd, head->data, qMin(size, HeadBytes), 0) < qMin(size, HeadBytes))
        *error = tr("Reading %1 failed: %2")
                     .arg(options.source, QString::fromLocal8Bit(std::strerror(errno)));
    for (const Extent &e : std::as_const(extents)) {
        if (!error->isEmpty() || cancel)
            break;
        if (!e.read) {
            auto chunk = std::make_shared<Chunk>();
            chunk->offset = e.start;
            chunk->length = e.end - e.start;
            classifier.addZeros(*chunk, e.start, e.end - e.start);
            imageRead = e.end;
            if (!push(chunk))
                break;
            continue;
        }
        for (qint64 pos = e.start; pos < e.end && error->isEmpty() && !cancel;) {
            auto chunk = std::make_shared<Chunk>();
            chunk->buffer = pool->take();
            if (!chunk->buffer) {
                *error = tr("Out of memory for write buffers");
                break;
            }
            char *data = chunk->buffer.get();
            const qint64 len = qMin(ChunkBytes, e.end - pos);
            const qint64 got = readAll(fd, data, len, pos);
            if (got < len) {
                *error =
                    got < 0 ? tr("Reading %1 failed: %2")
                                  .arg(options.source, QString::fromLocal8Bit(std::strerror(errno)))
                            : tr("%1 became shorter while it was read").arg(options.source);
                break;
            }
            if (!fillChunk(*chunk, classifier, pos, len, error))
                break;
            pos += len;
            imageRead = pos;
            if (!push(chunk))
                break;
        }
    }
    stopHashing = !error->isEmpty(); // the source failed: its checksum no longer matters
    if (hasher.joinable())
        hasher.join();
    if (error->isEmpty())
        *error = hashError;
    ::close(fd);
    return size;
}

void FlashJob::Shared::hashFile(int fd, qint64 size, const std::atomic<bool> &stop, QByteArray *hex,
                                QString *error)
{
    Sha256 hash;
    AlignedBuffer buffer(ChunkBytes);
    static const QByteArray zeros(int(HeadBytes), '\0');
    if (!buffer.data) {
        *error = tr("Out of memory for write buffers");
        return;
    }
    // Holes are hashed as the zeros they read as, without a system call per MiB.
    for (const Extent &e : fileExtents(fd, size)) {
        for (qint64 pos = e.start; pos < e.end && !cancel && !stop;) {
            const qint64 len = qMin(e.read ? ChunkBytes : HeadBytes, e.end - pos);
            if (!e.read) {
                hash.add(zeros.constData(), len);
            } else if (readAll(fd, buffer.data, len, pos) != len) {
                *error = tr("Reading %1 failed: %2")
                             .arg(options.source, QString::fromLocal8Bit(std::strerror(errno)));
                return;
            } else {
                hash.add(buffer.data, len);
            }
            pos += len;
        }
    }
    *hex = hash.hexDigest();
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
            err = BlockDevice::writeAt(fd, c->buffer.get() + (start - c->offset),
                                       roundUp(end - start, Sector), start);
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
        w.result.error =
            tr("Verification cancelled; %1 was written but not checked").arg(w.result.target.path);
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
