// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blockdevice.h"
#include "blockmap.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace Hivelab {

/// Writes one OS image to one or more cards at once: one decompression, one writer thread per
/// card (O_DIRECT, 4 MiB aligned writes from a reused buffer pool), blocks skipped that a .bmap
/// calls unused (a raw image's other blocks are not even read), all-zero blocks and a sparse
/// file's holes zeroed by the device (not sent), SHA-256 of what is written computed while
/// writing, the first MiB written
/// last (zeroed first) so an interrupted or cancelled write never leaves a card that half-boots,
/// then an O_DIRECT read-back of every written range compared by hash.
/// Async: start() returns at once; signals come on the thread that owns the job.
class FlashJob : public QObject
{
    Q_OBJECT
public:
    enum class Phase { Waiting, Writing, Verifying, Done, Failed, Cancelled };
    Q_ENUM(Phase)

    struct Options
    {
        QString source;    // image file (.img, .xz, .gz, .zst, .bz2, .zip, .7z)
        QString bmapPath;  // optional bmaptool map
        QByteArray sha256; // optional expected hex SHA-256 of the source file
        /// `sha256` was checked against the file moments ago (a download into the image cache
        /// hashes every byte it stores): a raw image is then not read whole again to hash it.
        bool sha256Checked = false;
        bool verify = true;
        /// All-zero blocks are zeroed by the device (a write-zeroes request: free on loop and
        /// NVMe, the kernel writes zeros on card readers) instead of sent. Never skipped: a
        /// zero block may be metadata that must read as zero (a FAT, a bitmap).
        bool zeroOut = true;
        /// Called on the writer's thread once target `index` is written and synced, before the
        /// read-back. Tests damage a card here to prove the verification catches it.
        std::function<void(int index)> afterWrite;
    };

    struct TargetResult
    {
        BlockDevice::Target target;
        Phase phase = Phase::Waiting;
        QString error;
        qint64 written = 0;  // bytes of the image written (mapped ranges)
        bool direct = false; // O_DIRECT achieved
        double writeSeconds = 0;
        double verifySeconds = 0;
    };

    explicit FlashJob(QObject *parent = nullptr);
    /// Cancels without waiting: threads still busy finish their current write on their own.
    ~FlashJob() override;
    Q_DISABLE_COPY_MOVE(FlashJob)

    /// Targets must have been checked with BlockDevice::inspect() and have no refusal.
    void start(const Options &options, const QList<BlockDevice::Target> &targets);
    /// Thread-safe. Writers stop after their current write; every card keeps a zeroed first MiB.
    void cancel();

    bool isFinished() const { return m_finished; }
    QList<TargetResult> results() const;
    /// Source problems (unreadable, damaged, checksum mismatch); empty when the image was fine.
    QString sourceError() const;
    /// The image file's SHA-256: always for a compressed image (it is read whole anyway); for a
    /// raw one only when Options::sha256 was given, so a .bmap's free space is never read.
    QByteArray sourceSha256() const;
    qint64 imageSize() const;
    /// Bytes written as data, and bytes zeroed by the device (known once the image was read).
    qint64 mappedBytes() const;
    qint64 zeroedBytes() const;
    /// "xz", "7z: DietPi.img", …
    QString sourceDescription() const;

    /// A .bmap next to the image, as bmaptool finds it: IMAGE.bmap, or the name without its
    /// compression suffix plus .bmap. Empty when there is none.
    static QString siblingBmap(const QString &source);

    static constexpr qint64 ChunkBytes = qint64(4) << 20;
    static constexpr qint64 HeadBytes = qint64(1) << 20;

Q_SIGNALS:
    /// Per target: image bytes done in this phase and the total (an estimate while a compressed
    /// image of unknown size streams). Emitted about ten times a second.
    void progressChanged(int target, Hivelab::FlashJob::Phase phase, qint64 done, qint64 total);
    void finished();

private:
    struct Shared;
    void poll();

    std::shared_ptr<Shared> d;
    QTimer m_poll;
    bool m_finished = false;
};

} // namespace Hivelab
