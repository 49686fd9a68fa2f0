// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>

namespace Hivelab {

/// An OS image read as one stream of raw disk bytes, decompressed on the fly and never unpacked
/// to disk: .img as is; .xz, .gz, .zst, .bz2 as one compressed stream; .zip and .7z (DietPi
/// ships .7z) as the archive's disk image entry. The kind is told by the file's magic bytes, not
/// its name. While reading, the SHA-256 of the file's own bytes (what vendors publish) is
/// computed. Blocking reads: use it from one worker thread; progress getters are thread-safe.
class ImageSource
{
public:
    ImageSource();
    ~ImageSource();
    Q_DISABLE_COPY_MOVE(ImageSource)

    bool open(const QString &path, QString *error);
    /// Up to `size` decompressed bytes; 0 at the end, -1 on an error (errorString()).
    qint64 read(char *buffer, qint64 size);
    QString errorString() const { return m_error; }

    /// "raw", "xz", "gzip", "zstd", "bzip2", "zip", "7z".
    QString kind() const { return m_kind; }
    /// For archives, the entry being read ("DietPi_PINE64-ARMv8-Bookworm.img").
    QString entryName() const { return m_entry; }
    /// Size of the decompressed image when the format says (raw files, zip/7z entries), else -1.
    qint64 imageSize() const { return m_imageSize; }
    qint64 fileSize() const { return m_fileSize; }
    /// Bytes of the file consumed so far (compressed side); thread-safe.
    qint64 fileBytesRead() const { return m_fileRead.load(); }
    /// Hex SHA-256 of the whole file; valid once read() returned 0.
    QByteArray fileSha256() const { return m_fileSha256; }

    struct Archive; // libarchive state (private; public for its C callbacks)

private:
    qint64 readRaw(char *buffer, qint64 size);
    bool hashRestOfFile();

    QString m_kind;
    QString m_entry;
    QString m_error;
    qint64 m_imageSize = -1;
    qint64 m_fileSize = 0;
    qint64 m_produced = 0;
    std::atomic<qint64> m_fileRead{0};
    QByteArray m_fileSha256;
    std::unique_ptr<Archive> m_archive;
    bool m_ended = false;
};

} // namespace Hivelab
