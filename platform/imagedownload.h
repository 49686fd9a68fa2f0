// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imagecache.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace Hivelab {

class Sha256;

/// Downloads one OS image into the ImageCache with Qt Network: SHA-256 computed as the bytes
/// arrive, a dropped connection resumed with an HTTP Range request (bounded), a partial file
/// from an earlier run re-hashed and resumed, a stalled server timed out, a checksum mismatch
/// an error that discards the file (never retried). A cached file that matches is used as is.
/// Asynchronous, on the thread that owns it (usually the GUI thread; no worker thread: reads
/// are small and the hash of a partial file is computed in slices between events).
class ImageDownload : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        BadUrl,           // not http(s), or no file name to cache it under
        Network,          // connection refused, reset, DNS, TLS … (the partial file is kept)
        HttpStatus,       // the server answered with an error status
        Stalled,          // no byte for stallTimeout (the partial file is kept)
        ChecksumFile,     // the checksum file could not be fetched or names no hash for the image
        ChecksumMismatch, // the image's SHA-256 differs: the file is discarded
        SizeMismatch,     // the server's size differs from the catalog's: nothing kept
        Disk,             // cannot write the cache
        Cancelled,        // cancel(): the partial file is kept for a later resume
    };
    Q_ENUM(Error)

    struct Request
    {
        QUrl url;
        QByteArray sha256; // expected, lower-case hex; empty: see sha256Url
        QUrl sha256Url;    // a checksum file ("HEX  NAME" lines, or just HEX) to fetch first
        qint64 size = -1;  // expected size in bytes, when the catalog knows it
    };

    /// The request for a catalog image ID (its URL, size and checksum) or an http(s):// URL;
    /// `label` gets "NAME VERSION" or the URL. Nothing, with *error, for anything else.
    static std::optional<Request> requestFor(const QString &source, QString *label, QString *error);

    static constexpr int DefaultStallTimeoutMs = 30000;
    static constexpr int DefaultMaxResumes = 3;
    static constexpr qint64 MaxChecksumFileBytes = 1024 * 1024;

    explicit ImageDownload(const ImageCache &cache, QObject *parent = nullptr);
    ~ImageDownload() override;
    Q_DISABLE_COPY_MOVE(ImageDownload)

    void setStallTimeout(int ms) { m_stallTimeoutMs = ms; }
    /// How often one run resumes after a dropped connection before it gives up.
    void setMaxResumes(int n) { m_maxResumes = n; }

    /// Starts; finished() follows exactly once (also on a bad request).
    void start(const Request &request);
    /// Thread-safe. The download stops with Error::Cancelled.
    void cancel();

    Error error() const { return m_error; }
    /// What went wrong, in words, with the data (URL, status, both hashes).
    QString errorString() const { return m_errorString; }
    /// The cached image once finished without error.
    QString path() const { return m_path; }
    QByteArray sha256() const { return m_actualSha256; }
    /// A checksum was known (given or from the checksum file) and matched.
    bool verified() const { return m_verified; }
    /// The image was already in the cache: nothing downloaded.
    bool fromCache() const { return m_fromCache; }
    /// The image's mark in the cache (taken at start): while anyone holds it, no other
    /// process evicts the file being downloaded or used. Keep it until done with path().
    std::shared_ptr<ImageCache::InUse> inUse() const { return m_inUse; }
    /// HTTP requests made for the image (checksum file not counted).
    int requests() const { return m_requests; }

signals:
    /// Image bytes in the cache so far and the total (-1 while unknown).
    void progressChanged(qint64 done, qint64 total);
    /// One line for a log: resuming, checking a partial file, evicted files.
    void message(const QString &text);
    void finished(bool ok);

private Q_SLOTS:
    // QNetworkReply's own signals, connected by name, SIGNAL()/SLOT(): a member-pointer connect
    // makes the binary refer to QNetworkReply's meta-object, which would load Qt Network before
    // the window's first frame (app/lazyload/lazyload.cpp).
    void onChecksumFileDone();
    void onMetaData();
    void onReplyFinished();

private:
    void fetchChecksumFile();
    void checkCachedFile();
    void preparePartial();
    void sendRequest();
    void onReadyRead();
    void onStalled();
    void complete();
    void fail(Error error, const QString &text);
    void hashFileThen(const QString &path, std::function<void()> next);
    void hashSlice();
    void restartFromZero();
    void doCancel();
    bool writeChunk(const QByteArray &data);

    ImageCache m_cache;
    QNetworkAccessManager *m_manager;
    QPointer<QNetworkReply> m_reply;
    QTimer m_stallTimer;
    QTimer m_sliceTimer;
    int m_stallTimeoutMs = DefaultStallTimeoutMs;
    int m_maxResumes = DefaultMaxResumes;

    Request m_request;
    QString m_path;
    std::shared_ptr<ImageCache::InUse> m_inUse;
    QFile m_part;
    QFile m_hashing;
    std::function<void()> m_afterHash;
    std::unique_ptr<Sha256> m_sha;
    QByteArray m_validator; // ETag or Last-Modified of the partial file's source
    qint64 m_offset = 0;    // bytes in the partial file
    qint64 m_total = -1;
    qint64 m_receivedThisRequest = 0;
    int m_resumes = 0;
    int m_requests = 0;
    bool m_stalled = false;
    bool m_cancelled = false;
    bool m_finished = false;
    bool m_restartRequested = false;
    bool m_resumeRequested = false;

    Error m_error = Error::None;
    QString m_errorString;
    QByteArray m_actualSha256;
    bool m_verified = false;
    bool m_fromCache = false;
};

} // namespace Hivelab
