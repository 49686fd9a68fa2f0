// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "cli.h"
#include "imagecache.h"
#include "imagedownload.h"
#include "interruptguard.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

constexpr int DefaultStallSeconds = ImageDownload::DefaultStallTimeoutMs / 1000;
constexpr int MaxStallSeconds = 3600;

bool isUrl(const QString &source)
{
    return source.startsWith(QLatin1String("https://")) ||
           source.startsWith(QLatin1String("http://"));
}

void printJson(const QJsonValue &v)
{
    const QJsonDocument doc =
        v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    printOut(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed());
}

int listImages(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("The catalog's downloadable OS images. \"unverified\": "
                                        "the vendor publishes no checksum."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("list"), tr("Subcommand"));
    const QCommandLineOption board(QStringLiteral("board"), tr("Only images for this board model"),
                                   QStringLiteral("MODEL"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output"));
    parser.addOptions({board, json});
    if (auto done = parseOrFinish(parser, args))
        return *done;
    const BoardCatalog &catalog = BoardCatalog::builtin();
    if (parser.isSet(board) && !catalog.model(parser.value(board))) {
        printErr(tr("No board model \"%1\" in the catalog.").arg(parser.value(board)));
        return ExitUsage;
    }
    const ImageCache imageCache;
    QJsonArray out;
    for (const ImageDownloadInfo &d : catalog.downloads()) {
        if (parser.isSet(board) && !d.boards.contains(parser.value(board)))
            continue;
        const bool cached = QFileInfo(imageCache.pathFor(QUrl(d.url))).isFile();
        if (parser.isSet(json)) {
            out.append(QJsonObject{{QStringLiteral("id"), d.id},
                                   {QStringLiteral("name"), d.name},
                                   {QStringLiteral("version"), d.version},
                                   {QStringLiteral("arch"), d.arch},
                                   {QStringLiteral("boards"), QJsonArray::fromStringList(d.boards)},
                                   {QStringLiteral("url"), d.url},
                                   {QStringLiteral("size"), double(d.size)},
                                   {QStringLiteral("sha256"), d.sha256},
                                   {QStringLiteral("sha256Url"), d.sha256Url},
                                   {QStringLiteral("verified"), d.isVerifiable()},
                                   {QStringLiteral("cached"), cached}});
            continue;
        }
        printOut(QStringLiteral("%1  %2 %3  %4%5%6")
                     .arg(d.id, -26)
                     .arg(d.name, d.version, d.arch)
                     .arg(d.isVerifiable() ? QString() : tr("  unverified"))
                     .arg(cached ? tr("  cached") : QString()));
    }
    if (parser.isSet(json))
        printJson(out);
    return ExitOk;
}

int fetchCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Download an OS image into the image cache (resumed, SHA-256 checked) and print its "
           "path. IMAGE: a catalog image ID (hivelab image list) or an http(s):// URL."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("fetch"), tr("Subcommand"));
    parser.addPositionalArgument(QStringLiteral("IMAGE"), tr("Catalog image ID or URL"));
    const QCommandLineOption sha(QStringLiteral("sha256"), tr("Expected SHA-256 of the file"),
                                 QStringLiteral("HEX"));
    const QCommandLineOption stall(
        QStringLiteral("stall-timeout"),
        tr("Give up when no data comes for this long (seconds, %1; default %2)")
            .arg(rangeText(1, MaxStallSeconds))
            .arg(DefaultStallSeconds),
        QStringLiteral("S"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output"));
    parser.addOptions({sha, stall, json});
    if (auto done = parseOrFinish(parser, args))
        return *done;
    if (parser.positionalArguments().size() != 2) {
        printErr(tr("Usage: hivelab image fetch IMAGE [--sha256 HEX]"));
        return ExitUsage;
    }
    int stallSeconds = DefaultStallSeconds;
    if (parser.isSet(stall)) {
        const std::optional<int> s = intOption(parser, stall, 1, MaxStallSeconds);
        if (!s)
            return ExitUsage;
        stallSeconds = *s;
    }
    int code = ExitOk;
    const std::optional<FetchedImage> image =
        fetchImage(parser.positionalArguments().at(1), parser.value(sha).toLatin1(), stallSeconds,
                   parser.isSet(json), &code);
    if (!image)
        return code;
    if (parser.isSet(json)) {
        printJson(QJsonObject{{QStringLiteral("path"), image->path},
                              {QStringLiteral("sha256"), image->sha256},
                              {QStringLiteral("verified"), image->verified},
                              {QStringLiteral("fromCache"), image->fromCache}});
    } else {
        printOut(image->path);
    }
    return ExitOk;
}

int cacheCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("The image cache: where it is, its size limit and what it holds. When a download "
           "would pass the limit, the least recently used images go first."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("cache"), tr("Subcommand"));
    const QCommandLineOption clear(QStringLiteral("clear"), tr("Remove every cached image"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   tr("Set the size limit in MiB (%1; 0: the default, %2 MiB)")
                                       .arg(rangeText(0, 1024 * 1024))
                                       .arg(ImageCache::DefaultSizeLimit / (1024 * 1024)),
                                   QStringLiteral("MIB"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output"));
    parser.addOptions({clear, limit, json});
    if (auto done = parseOrFinish(parser, args))
        return *done;
    if (parser.isSet(limit)) {
        const std::optional<int> mib = intOption(parser, limit, 0, 1024 * 1024);
        if (!mib)
            return ExitUsage;
        ImageCache::setStoredSizeLimit(qint64(*mib) * 1024 * 1024);
        const ImageCache c;
        const QStringList removed = c.evict(0, {});
        for (const QString &r : removed)
            printErr(tr("Removed %1 (over the limit).").arg(QFileInfo(r).fileName()));
    }
    const ImageCache c;
    if (parser.isSet(clear)) {
        QString error;
        if (!c.clear({}, &error)) {
            printErr(tr("Cannot clear the image cache: %1").arg(error));
            return ExitFindings;
        }
    }
    const QList<ImageCache::Entry> entries = c.entries();
    if (parser.isSet(json)) {
        QJsonArray files;
        for (const ImageCache::Entry &e : entries)
            files.append(
                QJsonObject{{QStringLiteral("path"), e.path},
                            {QStringLiteral("size"), double(e.size)},
                            {QStringLiteral("lastUsed"), e.lastUsed.toUTC().toString(Qt::ISODate)},
                            {QStringLiteral("partial"), e.partial}});
        printJson(QJsonObject{{QStringLiteral("directory"), c.directory()},
                              {QStringLiteral("sizeLimit"), double(c.sizeLimit())},
                              {QStringLiteral("size"), double(c.totalSize())},
                              {QStringLiteral("files"), files}});
        return ExitOk;
    }
    printOut(tr("%1: %2 of %3").arg(c.directory(), dataSize(c.totalSize()), dataSize(c.sizeLimit())));
    for (const ImageCache::Entry &e : entries)
        printOut(QStringLiteral("  %1  %2  %3%4")
                     .arg(dataSize(e.size), 9)
                     .arg(e.lastUsed.toString(QStringLiteral("yyyy-MM-dd HH:mm")), e.fileName)
                     .arg(e.partial ? tr("  (partial)") : QString()));
    return ExitOk;
}

} // namespace

bool isImageDownload(const QString &source)
{
    if (isUrl(source) || source.contains(QLatin1String("://")))
        return true;
    return !QFileInfo::exists(source) && BoardCatalog::builtin().download(source);
}

QString imageDownloadProblem(const QString &source)
{
    QString label;
    QString error;
    ImageDownload::requestFor(source, &label, &error);
    return error;
}

std::optional<FetchedImage> fetchImage(const QString &source, const QByteArray &sha256,
                                       int stallSeconds, bool quiet, int *exitCode)
{
    FetchedImage result;
    const QByteArray expected = sha256.trimmed().toLower();
    if (!expected.isEmpty() &&
        (expected.size() != 64 || QByteArray::fromHex(expected).toHex() != expected)) {
        printErr(tr("--sha256 must be 64 hex digits."));
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    QString error;
    std::optional<ImageDownload::Request> found =
        ImageDownload::requestFor(source, &result.label, &error);
    if (!found) {
        printErr(error);
        *exitCode = ExitUsage;
        return std::nullopt;
    }
    ImageDownload::Request request = *found;
    if (!expected.isEmpty()) {
        request.sha256 = expected;
        request.sha256Url.clear();
    }
    if (request.sha256.isEmpty() && request.sha256Url.isEmpty() && !quiet)
        printErr(tr("%1 is unverified: no checksum is known for it (pass --sha256 HEX when the "
                    "vendor publishes one).")
                     .arg(result.label));

    ImageDownload download{ImageCache()};
    download.setStallTimeout(stallSeconds * 1000);
    InterruptGuard guard([&download] { download.cancel(); });
    QElapsedTimer clock;
    clock.start();
    qint64 lastPrint = -10000;
    QObject::connect(&download, &ImageDownload::message, &download, [quiet](const QString &text) {
        if (!quiet)
            printErr(text);
    });
    QObject::connect(
        &download, &ImageDownload::progressChanged, &download, [&](qint64 done, qint64 total) {
            if (quiet || clock.elapsed() - lastPrint < 2000)
                return;
            lastPrint = clock.elapsed();
            printErr(tr("downloading  %1 of %2")
                         .arg(dataSize(done), total >= 0 ? dataSize(total) : QStringLiteral("?")));
        });
    QEventLoop loop;
    QObject::connect(&download, &ImageDownload::finished, &loop, &QEventLoop::quit);
    download.start(request);
    loop.exec();
    if (download.error() != ImageDownload::Error::None) {
        printErr(download.errorString());
        *exitCode = guard.interrupted()                                ? ExitInterrupted
                    : download.error() == ImageDownload::Error::BadUrl ? ExitUsage
                                                                       : ExitFindings;
        return std::nullopt;
    }
    result.path = download.path();
    result.sha256 = QString::fromLatin1(download.sha256());
    result.verified = download.verified();
    result.fromCache = download.fromCache();
    result.inUse = download.inUse();
    if (!quiet)
        printErr(
            result.fromCache
                ? tr("%1: in the cache%2.")
                      .arg(result.label, result.verified ? tr(", checksum matches") : QString())
                : tr("%1: downloaded%2.")
                      .arg(result.label,
                           result.verified ? tr(", checksum matches") : tr(", unverified")));
    return result;
}

int cmdImage(const QStringList &args)
{
    // args[0] is "image": the parsers see "list"/"fetch"/"cache" as their first positional.
    const QString sub = args.value(1);
    if (sub == QLatin1String("list"))
        return listImages(args);
    if (sub == QLatin1String("fetch"))
        return fetchCommand(args);
    if (sub == QLatin1String("cache"))
        return cacheCommand(args);
    if (sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        printOut(tr("Usage: hivelab image list [--board MODEL] [--json]\n"
                    "       hivelab image fetch IMAGE [--sha256 HEX] [--stall-timeout S] [--json]\n"
                    "       hivelab image cache [--clear] [--limit MIB] [--json]"));
        return ExitOk;
    }
    printErr(tr("Usage: hivelab image list|fetch|cache … (hivelab image --help)"));
    return ExitUsage;
}

} // namespace Hivelab::Cli
