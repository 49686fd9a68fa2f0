// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagedownload.h"

#include "boardcatalog.h"

#include "sha256.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace Hivelab {

namespace {
constexpr qint64 HashSliceBytes = 8 * 1024 * 1024;
constexpr qint64 ReadBufferBytes = 4 * 1024 * 1024;

bool isHex64(const QByteArray &s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re.match(QString::fromLatin1(s)).hasMatch();
}

QNetworkRequest makeRequest(const QUrl &url)
{
    QNetworkRequest req(url);
    // Qt would otherwise ask for gzip and inflate it: the bytes hashed must be the file's.
    req.setRawHeader("Accept-Encoding", "identity");
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::NoLessSafeRedirectPolicy);
    req.setMaximumRedirectsAllowed(5);
    req.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Hivelab"));
    return req;
}

// "bytes 100-199/1000" -> start 100, total 1000 (-1 for "*").
bool parseContentRange(const QByteArray &value, qint64 *start, qint64 *total)
{
    static const QRegularExpression re(QStringLiteral("^bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)$"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(value.trimmed()));
    if (!m.hasMatch())
        return false;
    *start = m.captured(1).toLongLong();
    *total = m.captured(3) == QLatin1String("*") ? -1 : m.captured(3).toLongLong();
    return true;
}
} // namespace

std::optional<ImageDownload::Request> ImageDownload::requestFor(const QString &source,
                                                                QString *label, QString *error)
{
    Request request;
    if (const ImageDownloadInfo *d = BoardCatalog::builtin().download(source)) {
        request.url = QUrl(d->url);
        request.sha256 = d->sha256.toLatin1();
        request.sha256Url = QUrl(d->sha256Url);
        request.size = d->size;
        *label = QStringLiteral("%1 %2").arg(d->name, d->version);
        return request;
    }
    if (source.startsWith(QLatin1String("https://")) || source.startsWith(QLatin1String("http://"))) {
        request.url = QUrl(source, QUrl::StrictMode);
        *label = source;
        return request;
    }
    *error = source.contains(QLatin1String("://"))
                 ? tr("Only http:// and https:// addresses can be downloaded, not %1.").arg(source)
                 : tr("No image file or catalog image \"%1\" (hivelab image list shows the "
                      "catalog).")
                       .arg(source);
    return std::nullopt;
}

ImageDownload::ImageDownload(const ImageCache &cache, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
    , m_manager(new QNetworkAccessManager(this))
    , m_sha(std::make_unique<Sha256>())
{
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &ImageDownload::onStalled);
    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &ImageDownload::hashSlice);
}

ImageDownload::~ImageDownload()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ImageDownload::start(const Request &request)
{
    m_request = request;
    m_request.sha256 = request.sha256.trimmed().toLower();
    const QString scheme = request.url.scheme();
    if (!request.url.isValid() || request.url.host().isEmpty() ||
        (scheme != QLatin1String("https") && scheme != QLatin1String("http"))) {
        fail(Error::BadUrl, tr("%1 is not an http(s) address.").arg(request.url.toDisplayString()));
        return;
    }
    if (!m_request.sha256.isEmpty() && !isHex64(m_request.sha256)) {
        fail(Error::BadUrl, tr("The expected SHA-256 is not 64 hex digits."));
        return;
    }
    m_path = m_cache.pathFor(request.url);
    if (m_path.isEmpty()) {
        fail(Error::BadUrl, tr("%1 names no file to download.").arg(request.url.toDisplayString()));
        return;
    }
    if (!QDir().mkpath(m_cache.directory())) {
        fail(Error::Disk, tr("Cannot create the image cache %1.").arg(m_cache.directory()));
        return;
    }
    QString lockError;
    m_inUse = m_cache.markInUse(m_path, &lockError);
    if (!m_inUse) {
        fail(Error::Disk, tr("Cannot lock %1 in the image cache: %2").arg(m_path, lockError));
        return;
    }
    if (m_request.sha256.isEmpty() && m_request.sha256Url.isValid() &&
        !m_request.sha256Url.isEmpty())
        fetchChecksumFile();
    else
        checkCachedFile();
}

void ImageDownload::cancel()
{
    QMetaObject::invokeMethod(this, &ImageDownload::doCancel, Qt::QueuedConnection);
}

void ImageDownload::doCancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort(); // onReplyFinished reports it
    else
        fail(Error::Cancelled, tr("Download cancelled."));
}

void ImageDownload::fetchChecksumFile()
{
    const QString scheme = m_request.sha256Url.scheme();
    if (scheme != QLatin1String("https") && scheme != QLatin1String("http")) {
        fail(Error::ChecksumFile, tr("The checksum file %1 is not an http(s) address.")
                                      .arg(m_request.sha256Url.toDisplayString()));
        return;
    }
    emit message(tr("Fetching the checksum from %1").arg(m_request.sha256Url.toDisplayString()));
    m_reply = m_manager->get(makeRequest(m_request.sha256Url));
    m_reply->setReadBufferSize(MaxChecksumFileBytes + 1);
    connect(m_reply, SIGNAL(finished()), this, SLOT(onChecksumFileDone()));
    connect(m_reply, &QIODevice::readyRead, this, [this] {
        m_stallTimer.start(m_stallTimeoutMs);
        if (m_reply && m_reply->bytesAvailable() > MaxChecksumFileBytes)
            m_reply->abort();
    });
    m_stallTimer.start(m_stallTimeoutMs);
}

void ImageDownload::onChecksumFileDone()
{
    m_stallTimer.stop();
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_cancelled) {
        fail(Error::Cancelled, tr("Download cancelled."));
        return;
    }
    if (m_stalled) {
        fail(Error::Stalled, tr("The checksum file %1 stalled: no data for %2 s.")
                                 .arg(m_request.sha256Url.toDisplayString())
                                 .arg(m_stallTimeoutMs / 1000.0));
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError || status != 200 ||
        body.size() > MaxChecksumFileBytes) {
        fail(Error::ChecksumFile,
             tr("Cannot fetch the checksum file %1: %2.")
                 .arg(m_request.sha256Url.toDisplayString(),
                      body.size() > MaxChecksumFileBytes ? tr("larger than 1 MiB")
                      : status > 0                       ? tr("HTTP status %1").arg(status)
                                                         : reply->errorString()));
        return;
    }
    // sha256sum's format: "HEX  NAME" or "HEX *NAME" per line; a file with one hash and no name
    // (some vendors) names nothing. A line must name this image when names are given.
    const QString wanted = m_request.url.fileName();
    QByteArray found;
    int unnamed = 0;
    for (const QByteArray &raw : body.split('\n')) {
        const QByteArray line = raw.trimmed();
        const qsizetype space = line.indexOf(' ');
        const QByteArray hex = (space < 0 ? line : line.left(space)).toLower();
        if (!isHex64(hex))
            continue;
        QByteArray name = space < 0 ? QByteArray() : line.mid(space).trimmed();
        if (name.startsWith('*'))
            name.remove(0, 1);
        if (name.isEmpty()) {
            ++unnamed;
            found = hex;
        } else if (QFileInfo(QString::fromUtf8(name)).fileName() == wanted) {
            found = hex;
            unnamed = 0;
            break;
        }
    }
    if (found.isEmpty() || unnamed > 1) {
        fail(Error::ChecksumFile, tr("The checksum file %1 has no SHA-256 for %2.")
                                      .arg(m_request.sha256Url.toDisplayString(), wanted));
        return;
    }
    m_request.sha256 = found;
    checkCachedFile();
}

void ImageDownload::checkCachedFile()
{
    if (!QFileInfo(m_path).isFile()) {
        preparePartial();
        return;
    }
    if (m_request.sha256.isEmpty()) {
        // Nothing to check against: it was stored after a complete download.
        m_fromCache = true;
        m_actualSha256.clear();
        complete();
        return;
    }
    emit message(tr("Checking the cached %1").arg(QFileInfo(m_path).fileName()));
    hashFileThen(m_path, [this] {
        const QByteArray hex = m_sha->hexDigest();
        if (hex == m_request.sha256) {
            m_fromCache = true;
            m_actualSha256 = hex;
            complete();
            return;
        }
        emit message(tr("The cached copy does not match its checksum: downloading it again."));
        QFile::remove(m_path);
        preparePartial();
    });
}

void ImageDownload::preparePartial()
{
    const QString part = ImageCache::partialPath(m_path);
    QFile meta(ImageCache::metaPath(m_path));
    m_validator.clear();
    if (meta.open(QIODevice::ReadOnly))
        m_validator = meta.read(4096).trimmed();
    const QStringList removed = m_cache.evict(qMax<qint64>(0, m_request.size), {m_path});
    for (const QString &r : removed)
        emit message(tr("Cache full: removed %1").arg(QFileInfo(r).fileName()));
    if (QFileInfo(part).isFile() && QFileInfo(part).size() > 0 && !m_validator.isEmpty()) {
        emit message(tr("Checking the %1 already downloaded")
                         .arg(QLocale::c().formattedDataSize(QFileInfo(part).size())));
        hashFileThen(part, [this, part] {
            m_part.setFileName(part);
            if (!m_part.open(QIODevice::ReadWrite | QIODevice::Append)) {
                fail(Error::Disk, tr("Cannot write %1: %2").arg(part, m_part.errorString()));
                return;
            }
            m_offset = m_part.size();
            sendRequest();
        });
        return;
    }
    // A partial file without a validator cannot be resumed safely.
    m_part.setFileName(part);
    if (!m_part.open(QIODevice::ReadWrite | QIODevice::Truncate)) {
        fail(Error::Disk, tr("Cannot write %1: %2").arg(part, m_part.errorString()));
        return;
    }
    m_offset = 0;
    sendRequest();
}

void ImageDownload::hashFileThen(const QString &path, std::function<void()> next)
{
    m_hashing.setFileName(path);
    if (!m_hashing.open(QIODevice::ReadOnly)) {
        fail(Error::Disk, tr("Cannot read %1: %2").arg(path, m_hashing.errorString()));
        return;
    }
    m_sha = std::make_unique<Sha256>();
    m_afterHash = std::move(next);
    m_sliceTimer.start();
}

void ImageDownload::hashSlice()
{
    if (m_cancelled) {
        m_hashing.close();
        fail(Error::Cancelled, tr("Download cancelled."));
        return;
    }
    const QByteArray chunk = m_hashing.read(HashSliceBytes);
    if (chunk.isEmpty()) {
        const bool ok = m_hashing.error() == QFileDevice::NoError;
        const QString why = m_hashing.errorString();
        m_hashing.close();
        if (!ok) {
            fail(Error::Disk, tr("Cannot read %1: %2").arg(m_hashing.fileName(), why));
            return;
        }
        std::function<void()> next = std::move(m_afterHash);
        m_afterHash = nullptr;
        next();
        return;
    }
    m_sha->add(chunk.constData(), chunk.size());
    emit progressChanged(m_hashing.pos(), m_hashing.size());
    m_sliceTimer.start();
}

void ImageDownload::sendRequest()
{
    QNetworkRequest req = makeRequest(m_request.url);
    if (m_offset > 0) {
        req.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + '-');
        if (!m_validator.isEmpty())
            req.setRawHeader("If-Range", m_validator);
        emit message(tr("Resuming %1 at %2")
                         .arg(m_request.url.fileName(), QLocale::c().formattedDataSize(m_offset)));
    }
    ++m_requests;
    m_receivedThisRequest = 0;
    m_stalled = false;
    m_restartRequested = false;
    m_resumeRequested = false;
    m_reply = m_manager->get(req);
    m_reply->setReadBufferSize(ReadBufferBytes);
    connect(m_reply, SIGNAL(metaDataChanged()), this, SLOT(onMetaData()));
    connect(m_reply, &QIODevice::readyRead, this, &ImageDownload::onReadyRead);
    connect(m_reply, SIGNAL(finished()), this, SLOT(onReplyFinished()));
    m_stallTimer.start(m_stallTimeoutMs);
}

void ImageDownload::onMetaData()
{
    m_stallTimer.start(m_stallTimeoutMs);
    QNetworkReply *reply = m_reply;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300 && status < 400)
        return; // a redirect: Qt follows it
    if (m_receivedThisRequest > 0) {
        // Qt re-sent the request by itself after the server closed the connection early; its
        // answer would start over from the first byte again. Resume from what is written.
        m_resumeRequested = true;
        reply->abort();
        return;
    }
    if (status == 206 && m_offset > 0) {
        qint64 start = -1;
        qint64 total = -1;
        if (!parseContentRange(reply->rawHeader("Content-Range"), &start, &total) ||
            start != m_offset) {
            m_restartRequested = true;
            reply->abort();
            return;
        }
        m_total = total;
    } else if (status == 200) {
        if (m_offset > 0) {
            // The server ignored the Range or the file changed (If-Range): start over.
            emit message(tr("The server sent the whole file: starting over."));
            m_part.resize(0);
            m_part.seek(0);
            m_offset = 0;
            m_sha = std::make_unique<Sha256>();
        }
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        m_total = length.isValid() ? length.toLongLong() : -1;
    } else {
        return; // an error status: onReplyFinished reports it
    }
    if (m_request.size > 0 && m_total >= 0 && m_total != m_request.size) {
        const qint64 got = m_total;
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
        m_part.remove();
        QFile::remove(ImageCache::metaPath(m_path));
        fail(Error::SizeMismatch, tr("%1 is %2 bytes, the catalog says %3.")
                                      .arg(m_request.url.toDisplayString())
                                      .arg(got)
                                      .arg(m_request.size));
        return;
    }
    QByteArray validator = reply->rawHeader("ETag");
    if (validator.isEmpty() || validator.startsWith("W/"))
        validator = reply->rawHeader("Last-Modified");
    if (validator != m_validator) {
        m_validator = validator;
        QFile meta(ImageCache::metaPath(m_path));
        if (validator.isEmpty())
            meta.remove();
        else if (meta.open(QIODevice::WriteOnly | QIODevice::Truncate))
            meta.write(validator + '\n');
    }
    emit progressChanged(m_offset, m_total);
}

bool ImageDownload::writeChunk(const QByteArray &data)
{
    if (data.isEmpty())
        return true;
    if (m_total >= 0 && m_offset + data.size() > m_total) {
        m_part.remove();
        QFile::remove(ImageCache::metaPath(m_path));
        fail(Error::SizeMismatch, tr("%1 sent more than the %2 bytes it announced. The file was "
                                     "discarded.")
                                      .arg(m_request.url.toDisplayString())
                                      .arg(m_total));
        return false;
    }
    if (m_part.write(data) != data.size()) {
        fail(Error::Disk, tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()));
        return false;
    }
    m_sha->add(data.constData(), data.size());
    m_offset += data.size();
    m_receivedThisRequest += data.size();
    return true;
}

void ImageDownload::onReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206) {
        reply->readAll(); // an error page: not the image
        return;
    }
    m_stallTimer.start(m_stallTimeoutMs);
    if (!writeChunk(reply->readAll())) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        m_reply = nullptr;
        return;
    }
    emit progressChanged(m_offset, m_total);
}

void ImageDownload::onStalled()
{
    m_stalled = true;
    if (m_reply)
        m_reply->abort();
}

void ImageDownload::onReplyFinished()
{
    m_stallTimer.stop();
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if ((status == 200 || status == 206) && !m_cancelled && !m_stalled && !m_restartRequested &&
        !m_resumeRequested && !writeChunk(reply->readAll()))
        return;
    m_part.flush();
    const QString url = m_request.url.toDisplayString();
    if (m_cancelled) {
        fail(Error::Cancelled, tr("Download cancelled; %1 kept to resume later.")
                                   .arg(QLocale::c().formattedDataSize(m_offset)));
        return;
    }
    if (m_stalled) {
        fail(Error::Stalled, tr("%1 stalled: no data for %2 s (%3 kept to resume later).")
                                 .arg(url)
                                 .arg(m_stallTimeoutMs / 1000.0)
                                 .arg(QLocale::c().formattedDataSize(m_offset)));
        return;
    }
    if (m_restartRequested) {
        restartFromZero();
        return;
    }
    if (m_resumeRequested) {
        if (m_resumes >= m_maxResumes) {
            fail(Error::Network,
                 tr("Download of %1 failed: the connection kept closing early.").arg(url));
            return;
        }
        ++m_resumes;
        if (m_validator.isEmpty() && m_request.sha256.isEmpty())
            restartFromZero(); // nothing would tell whether the pieces belong together
        else
            sendRequest();
        return;
    }
    if (status == 416 && m_offset > 0) {
        // The partial file is as long as the image, or the image changed: fetch it whole.
        restartFromZero();
        return;
    }
    if (reply->error() != QNetworkReply::NoError && status != 0 && status != 200 && status != 206) {
        m_part.close();
        if (m_offset == 0)
            m_part.remove();
        fail(Error::HttpStatus,
             tr("%1: HTTP status %2 %3.")
                 .arg(url)
                 .arg(status)
                 .arg(QString::fromLatin1(
                     reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray())));
        return;
    }
    const bool shortBody = m_total >= 0 && m_offset < m_total;
    if (reply->error() != QNetworkReply::NoError || shortBody) {
        const QString why = reply->error() != QNetworkReply::NoError
                                ? reply->errorString()
                                : tr("the connection ended early");
        // Resuming needs a way to know the bytes belong together: the server's validator
        // (If-Range), or at least the checksum that is compared at the end.
        const bool resumable = !m_validator.isEmpty() || !m_request.sha256.isEmpty();
        if (m_receivedThisRequest > 0 && m_resumes < m_maxResumes && resumable) {
            ++m_resumes;
            emit message(tr("Connection lost (%1); resuming (%2 of %3).")
                             .arg(why)
                             .arg(m_resumes)
                             .arg(m_maxResumes));
            sendRequest();
            return;
        }
        fail(Error::Network,
             tr("Download of %1 failed: %2 (%3 of %4 kept to resume later).")
                 .arg(url, why, QLocale::c().formattedDataSize(m_offset),
                      m_total >= 0 ? QLocale::c().formattedDataSize(m_total) : tr("unknown size")));
        return;
    }
    m_part.close();
    m_actualSha256 = m_sha->hexDigest();
    if (!m_request.sha256.isEmpty() && m_actualSha256 != m_request.sha256) {
        m_part.remove();
        QFile::remove(ImageCache::metaPath(m_path));
        fail(Error::ChecksumMismatch,
             tr("Checksum mismatch for %1: expected SHA-256 %2, got %3. The file was discarded.")
                 .arg(url, QString::fromLatin1(m_request.sha256),
                      QString::fromLatin1(m_actualSha256)));
        return;
    }
    if (m_request.size > 0 && m_offset != m_request.size) {
        m_part.remove();
        QFile::remove(ImageCache::metaPath(m_path));
        fail(Error::SizeMismatch, tr("%1 is %2 bytes, the catalog says %3. The file was discarded.")
                                      .arg(url)
                                      .arg(m_offset)
                                      .arg(m_request.size));
        return;
    }
    QFile::remove(m_path);
    if (!QFile::rename(m_part.fileName(), m_path)) {
        fail(Error::Disk, tr("Cannot move %1 into place.").arg(m_part.fileName()));
        return;
    }
    QFile::remove(ImageCache::metaPath(m_path));
    complete();
}

void ImageDownload::restartFromZero()
{
    if (m_requests > m_maxResumes + 2) {
        fail(Error::HttpStatus, tr("%1: the server does not answer range requests consistently.")
                                    .arg(m_request.url.toDisplayString()));
        return;
    }
    emit message(tr("Cannot resume: downloading %1 from the start.").arg(m_request.url.fileName()));
    m_part.resize(0);
    m_part.seek(0);
    m_offset = 0;
    m_validator.clear();
    QFile::remove(ImageCache::metaPath(m_path));
    m_sha = std::make_unique<Sha256>();
    sendRequest();
}

void ImageDownload::complete()
{
    m_verified = !m_request.sha256.isEmpty();
    ImageCache::touch(m_path);
    const QStringList removed = m_cache.evict(0, {m_path});
    for (const QString &r : removed)
        emit message(tr("Cache full: removed %1").arg(QFileInfo(r).fileName()));
    const qint64 size = QFileInfo(m_path).size();
    emit progressChanged(size, size);
    m_finished = true;
    emit finished(true);
}

void ImageDownload::fail(Error error, const QString &text)
{
    if (m_finished)
        return;
    m_stallTimer.stop();
    m_sliceTimer.stop();
    if (m_part.isOpen())
        m_part.close();
    m_error = error;
    m_errorString = text;
    m_finished = true;
    m_path.clear();
    m_inUse.reset();
    emit finished(false);
}

} // namespace Hivelab
