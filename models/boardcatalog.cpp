// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"

#include "addressrules.h"
#include "jsonstrictreader.h"

#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace Hivelab {

namespace {
Q_LOGGING_CATEGORY(lcCatalog, "hivelab.catalog")

const QString kRoot = QStringLiteral("$");

OsImage parseImage(JsonStrictReader &r, const QJsonObject &o, const QString &p)
{
    OsImage img;
    r.checkKeys(o, p,
                {QStringLiteral("name"), QStringLiteral("defaultUser"),
                 QStringLiteral("defaultPassword"), QStringLiteral("sshServer")},
                {QStringLiteral("url"), QStringLiteral("notes")});
    r.readString(o, p, QStringLiteral("name"), &img.name);
    r.readString(o, p, QStringLiteral("url"), &img.url);
    r.readString(o, p, QStringLiteral("defaultUser"), &img.defaultUser);
    r.readString(o, p, QStringLiteral("defaultPassword"), &img.defaultPassword);
    r.readEnum(o, p, QStringLiteral("sshServer"),
               {QStringLiteral("openssh"), QStringLiteral("dropbear")}, &img.sshServer);
    r.readString(o, p, QStringLiteral("notes"), &img.notes);
    if (!r.failed() && img.name.trimmed().isEmpty())
        r.fail(JsonStrictReader::child(p, QStringLiteral("name")),
               BoardCatalog::tr("an image needs a name"));
    return img;
}

BoardModelInfo parseModel(JsonStrictReader &r, const QJsonObject &o, const QString &p)
{
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    static const QRegularExpression ouiPattern(
        QStringLiteral("^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$"));
    static const QStringList media = {QStringLiteral("microSD"), QStringLiteral("eMMC"),
                                      QStringLiteral("USB"),     QStringLiteral("NVMe"),
                                      QStringLiteral("SATA"),    QStringLiteral("SPI"),
                                      QStringLiteral("PXE")};
    const auto child = &JsonStrictReader::child;
    BoardModelInfo m;
    r.checkKeys(o, p,
                {QStringLiteral("id"), QStringLiteral("vendor"), QStringLiteral("name"),
                 QStringLiteral("arch"), QStringLiteral("volts"), QStringLiteral("typicalAmps"),
                 QStringLiteral("peakAmps"), QStringLiteral("bootMedia"), QStringLiteral("images"),
                 QStringLiteral("ouiPrefixes"), QStringLiteral("hardwareNames")},
                {QStringLiteral("notes")});
    r.readString(o, p, QStringLiteral("id"), &m.id);
    if (!r.failed() && !idPattern.match(m.id).hasMatch())
        r.fail(child(p, QStringLiteral("id")),
               BoardCatalog::tr("expected a lower-case ID like \"rpi-4b\", got \"%1\"").arg(m.id));
    r.readString(o, p, QStringLiteral("vendor"), &m.vendor);
    r.readString(o, p, QStringLiteral("name"), &m.name);
    r.readEnum(o, p, QStringLiteral("arch"),
               {QStringLiteral("arm64"), QStringLiteral("amd64"), QStringLiteral("armhf")},
               &m.arch);
    r.readNumber(o, p, QStringLiteral("volts"), 1, 60, &m.volts);
    r.readNumber(o, p, QStringLiteral("typicalAmps"), 0, 20, &m.typicalAmps);
    r.readNumber(o, p, QStringLiteral("peakAmps"), 0, 20, &m.peakAmps);
    if (!r.failed() && m.peakAmps < m.typicalAmps)
        r.fail(child(p, QStringLiteral("peakAmps")),
               BoardCatalog::tr("peak current %1 A is below the typical %2 A")
                   .arg(m.peakAmps)
                   .arg(m.typicalAmps));
    r.readStringList(o, p, QStringLiteral("bootMedia"), &m.bootMedia);
    for (int i = 0; i < m.bootMedia.size() && !r.failed(); ++i) {
        if (!media.contains(m.bootMedia.at(i)))
            r.fail(JsonStrictReader::element(child(p, QStringLiteral("bootMedia")), i),
                   BoardCatalog::tr("expected one of %1, got \"%2\"")
                       .arg(media.join(QStringLiteral(", ")), m.bootMedia.at(i)));
    }
    QJsonArray images;
    r.readArray(o, p, QStringLiteral("images"), &images);
    const QString ip = child(p, QStringLiteral("images"));
    for (int i = 0; i < images.size() && !r.failed(); ++i) {
        QJsonObject io;
        if (r.objectAt(images, ip, i, &io))
            m.images.append(parseImage(r, io, JsonStrictReader::element(ip, i)));
    }
    if (!r.failed() && m.images.isEmpty())
        r.fail(ip, BoardCatalog::tr("list at least one recommended OS image"));
    r.readStringList(o, p, QStringLiteral("ouiPrefixes"), &m.ouiPrefixes);
    for (int i = 0; i < m.ouiPrefixes.size() && !r.failed(); ++i) {
        if (!ouiPattern.match(m.ouiPrefixes.at(i)).hasMatch())
            r.fail(JsonStrictReader::element(child(p, QStringLiteral("ouiPrefixes")), i),
                   BoardCatalog::tr("expected an upper-case OUI like \"B8:27:EB\", got \"%1\"")
                       .arg(m.ouiPrefixes.at(i)));
    }
    r.readStringList(o, p, QStringLiteral("hardwareNames"), &m.deviceTreeModels);
    r.readString(o, p, QStringLiteral("notes"), &m.notes);
    return m;
}
ImageDownloadInfo parseDownload(JsonStrictReader &r, const QJsonObject &o, const QString &p,
                                const QSet<QString> &modelIds)
{
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    static const QRegularExpression shaPattern(QStringLiteral("^[0-9a-f]{64}$"));
    const auto child = &JsonStrictReader::child;
    ImageDownloadInfo d;
    r.checkKeys(o, p,
                {QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("version"),
                 QStringLiteral("arch"), QStringLiteral("boards"), QStringLiteral("url")},
                {QStringLiteral("size"), QStringLiteral("sha256"), QStringLiteral("sha256Url"),
                 QStringLiteral("notes"), QStringLiteral("firstBoot")});
    r.readString(o, p, QStringLiteral("id"), &d.id);
    if (!r.failed() && !idPattern.match(d.id).hasMatch())
        r.fail(child(p, QStringLiteral("id")),
               BoardCatalog::tr("expected a lower-case ID like \"raspios-lite-arm64\", got \"%1\"")
                   .arg(JsonStrictReader::elided(d.id)));
    r.readString(o, p, QStringLiteral("name"), &d.name);
    r.readString(o, p, QStringLiteral("version"), &d.version);
    r.readEnum(o, p, QStringLiteral("arch"),
               {QStringLiteral("arm64"), QStringLiteral("amd64"), QStringLiteral("armhf")},
               &d.arch);
    r.readStringList(o, p, QStringLiteral("boards"), &d.boards);
    for (int i = 0; i < d.boards.size() && !r.failed(); ++i) {
        if (!modelIds.contains(d.boards.at(i)))
            r.fail(JsonStrictReader::element(child(p, QStringLiteral("boards")), i),
                   BoardCatalog::tr("no board model \"%1\" in the catalog")
                       .arg(JsonStrictReader::elided(d.boards.at(i))));
    }
    if (!r.failed() && d.boards.isEmpty())
        r.fail(child(p, QStringLiteral("boards")),
               BoardCatalog::tr("list the board models the image boots on"));
    const auto readHttps = [&](const QString &key, QString *out) {
        r.readString(o, p, key, out);
        if (!r.failed() && !out->isEmpty()) {
            const QUrl url(*out, QUrl::StrictMode);
            if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty() ||
                url.fileName().isEmpty())
                r.fail(child(p, key),
                       BoardCatalog::tr("expected an https:// address of a file, got \"%1\"")
                           .arg(JsonStrictReader::elided(*out)));
        }
    };
    readHttps(QStringLiteral("url"), &d.url);
    if (!r.failed() && d.url.isEmpty())
        r.fail(child(p, QStringLiteral("url")), BoardCatalog::tr("an image needs its address"));
    r.readInt(o, p, QStringLiteral("size"), qint64(1), qint64(JsonStrictReader::MaxExactInteger),
              &d.size);
    r.readString(o, p, QStringLiteral("sha256"), &d.sha256);
    if (!r.failed() && !d.sha256.isEmpty() && !shaPattern.match(d.sha256).hasMatch())
        r.fail(child(p, QStringLiteral("sha256")),
               BoardCatalog::tr("expected 64 lower-case hex digits, got \"%1\"")
                   .arg(JsonStrictReader::elided(d.sha256)));
    readHttps(QStringLiteral("sha256Url"), &d.sha256Url);
    r.readString(o, p, QStringLiteral("notes"), &d.notes);
    r.readString(o, p, QStringLiteral("firstBoot"), &d.firstBoot);
    static const QStringList firstBoots = {QStringLiteral("cloud-init"), QStringLiteral("dietpi"),
                                           QStringLiteral("raspios-userconf")};
    if (!r.failed() && !d.firstBoot.isEmpty() && !firstBoots.contains(d.firstBoot))
        r.fail(
            child(p, QStringLiteral("firstBoot")),
            BoardCatalog::tr("expected one of %1, got \"%2\"")
                .arg(firstBoots.join(QStringLiteral(", ")), JsonStrictReader::elided(d.firstBoot)));
    if (!r.failed() && (d.name.trimmed().isEmpty() || d.version.trimmed().isEmpty()))
        r.fail(child(p, d.name.trimmed().isEmpty() ? QStringLiteral("name")
                                                   : QStringLiteral("version")),
               BoardCatalog::tr("an image needs a name and a version"));
    return d;
}
} // namespace

const BoardCatalog &BoardCatalog::builtin()
{
    static const BoardCatalog catalog = [] {
        QFile file(QString::fromLatin1(ResourcePath));
        if (!file.open(QIODevice::ReadOnly)) {
            qCCritical(lcCatalog) << "built-in board catalog missing:" << file.errorString();
            return BoardCatalog();
        }
        QString error;
        std::optional<BoardCatalog> c = fromJson(file.readAll(), &error);
        if (!c) {
            qCCritical(lcCatalog).noquote() << "built-in board catalog is broken:" << error;
            return BoardCatalog();
        }
        return *c;
    }();
    return catalog;
}

std::optional<BoardCatalog> BoardCatalog::fromJson(const QByteArray &data, QString *error)
{
    JsonStrictReader r;
    QJsonObject root;
    BoardCatalog catalog;
    if (r.parseObject(data, &root) &&
        r.checkKeys(
            root, kRoot,
            {QStringLiteral("format"), QStringLiteral("schemaVersion"), QStringLiteral("boards")},
            {QStringLiteral("notes"), QStringLiteral("downloads")})) {
        if (root.value(QStringLiteral("format")).toString() != QLatin1String(FormatName))
            r.fail(QStringLiteral("$.format"),
                   tr("not a Hivelab board catalog: expected \"%1\", got %2")
                       .arg(QLatin1String(FormatName),
                            JsonStrictReader::describe(root.value(QStringLiteral("format")))));
        int version = 0;
        r.readInt(root, kRoot, QStringLiteral("schemaVersion"), 1, std::numeric_limits<int>::max(),
                  &version);
        if (!r.failed() && version > CurrentSchemaVersion)
            r.fail(QStringLiteral("$.schemaVersion"),
                   tr("this board catalog was made by a newer Hivelab (schema version %1; this "
                      "version reads up to %2)")
                       .arg(version)
                       .arg(CurrentSchemaVersion));
        QJsonArray boards;
        r.readArray(root, kRoot, QStringLiteral("boards"), &boards);
        QSet<QString> ids;
        for (int i = 0; i < boards.size() && !r.failed(); ++i) {
            const QString p = JsonStrictReader::element(QStringLiteral("$.boards"), i);
            QJsonObject o;
            if (!r.objectAt(boards, QStringLiteral("$.boards"), i, &o))
                break;
            const BoardModelInfo m = parseModel(r, o, p);
            if (!r.failed() && ids.contains(m.id))
                r.fail(JsonStrictReader::child(p, QStringLiteral("id")),
                       tr("duplicate board model ID \"%1\"").arg(m.id));
            ids.insert(m.id);
            catalog.m_models.append(m);
        }
        QJsonArray downloads;
        r.readArray(root, kRoot, QStringLiteral("downloads"), &downloads);
        QSet<QString> downloadIds;
        for (int i = 0; i < downloads.size() && !r.failed(); ++i) {
            const QString p = JsonStrictReader::element(QStringLiteral("$.downloads"), i);
            QJsonObject o;
            if (!r.objectAt(downloads, QStringLiteral("$.downloads"), i, &o))
                break;
            const ImageDownloadInfo d = parseDownload(r, o, p, ids);
            if (!r.failed() && downloadIds.contains(d.id))
                r.fail(JsonStrictReader::child(p, QStringLiteral("id")),
                       tr("duplicate image ID \"%1\"").arg(d.id));
            downloadIds.insert(d.id);
            catalog.m_downloads.append(d);
        }
    }
    if (r.failed()) {
        const QString at = r.errorPath().isEmpty() ? QString() : tr("at %1: ").arg(r.errorPath());
        *error = at + r.errorMessage();
        return std::nullopt;
    }
    error->clear();
    return catalog;
}

const OsImage *BoardCatalog::image(const QString &modelId, const QString &os) const
{
    const BoardModelInfo *info = model(modelId);
    if (!info)
        return nullptr;
    for (const OsImage &img : info->images) {
        if (img.name == os)
            return &img;
    }
    const QString firstWord = os.section(QLatin1Char(' '), 0, 0);
    if (firstWord.isEmpty())
        return nullptr;
    for (const OsImage &img : info->images) {
        if (img.name.startsWith(firstWord, Qt::CaseInsensitive))
            return &img;
    }
    return nullptr;
}

QString BoardCatalog::defaultLoginUser(const Board &board) const
{
    if (const OsImage *img = image(board.model, board.os); img && !img->defaultUser.isEmpty())
        return img->defaultUser;
    return board.isWindows() ? QStringLiteral("Administrator") : QStringLiteral("root");
}

const ImageDownloadInfo *BoardCatalog::download(const QString &id) const
{
    for (const ImageDownloadInfo &d : m_downloads) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

QList<const ImageDownloadInfo *> BoardCatalog::downloadsForModel(const QString &modelId) const
{
    QList<const ImageDownloadInfo *> out;
    for (const ImageDownloadInfo &d : m_downloads) {
        if (d.boards.contains(modelId))
            out << &d;
    }
    return out;
}

const BoardModelInfo *BoardCatalog::model(const QString &id) const
{
    for (const BoardModelInfo &m : m_models) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

QList<const BoardModelInfo *> BoardCatalog::modelsForMac(const QString &mac) const
{
    QList<const BoardModelInfo *> out;
    const QString n = AddressRules::normalizeMac(mac);
    if (n.isEmpty())
        return out;
    const QString oui = n.left(8);
    for (const BoardModelInfo &m : m_models) {
        if (m.ouiPrefixes.contains(oui))
            out.append(&m);
    }
    return out;
}

const BoardModelInfo *BoardCatalog::modelForMac(const QString &mac) const
{
    const QList<const BoardModelInfo *> all = modelsForMac(mac);
    return all.size() == 1 ? all.first() : nullptr;
}

QString BoardCatalog::displayName(const QString &id) const
{
    const BoardModelInfo *m = model(id);
    return m ? m->name : id;
}

const BoardModelInfo *BoardCatalog::modelForHardwareName(const QString &name) const
{
    const BoardModelInfo *best = nullptr;
    qsizetype bestLength = 0;
    for (const BoardModelInfo &m : m_models) {
        for (const QString &needle : m.deviceTreeModels) {
            if (needle.size() > bestLength && name.contains(needle, Qt::CaseInsensitive)) {
                best = &m;
                bestLength = needle.size();
            }
        }
    }
    return best;
}

} // namespace Hivelab
