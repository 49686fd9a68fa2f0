// SPDX-License-Identifier: GPL-3.0-or-later
#include "labfile.h"

#include "addressrules.h"
#include "atomicfilewriter.h"
#include "firstbootplan.h"
#include "jsonstrictreader.h"
#include "labindex.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace Hivelab {

namespace {

const QString kRoot = QStringLiteral("$");

QString addressingName(Addressing a)
{
    return a == Addressing::Static ? QStringLiteral("static") : QStringLiteral("dhcp");
}

const QStringList &roleNames()
{
    static const QStringList names = {roleName(Role::Manager), roleName(Role::Worker),
                                      roleName(Role::Unassigned)};
    return names;
}

/// Pretty JSON whose object keys keep the order they are written in (QJsonDocument sorts them),
/// so a lab file reads top-down like the struct and diffs line by line.
class JsonWriter
{
public:
    void beginObject(const QString &key = QString()) { open(key, '{'); }
    void endObject() { close('}'); }
    void beginArray(const QString &key = QString()) { open(key, '['); }
    void endArray() { close(']'); }
    void value(const QString &key, const QJsonValue &v)
    {
        item(key);
        m_out += scalar(v);
    }
    void stringMap(const QString &key, const QMap<QString, QString> &map)
    {
        beginObject(key);
        for (auto it = map.begin(); it != map.end(); ++it)
            value(it.key(), it.value());
        endObject();
    }
    QByteArray result() const { return m_out + '\n'; }

private:
    static QByteArray scalar(const QJsonValue &v)
    {
        // Reuse Qt's escaping and shortest round-trip number formatting.
        const QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        return a.mid(1, a.size() - 2);
    }
    void item(const QString &key)
    {
        if (!m_empty.isEmpty()) {
            if (!m_empty.last())
                m_out += ',';
            m_empty.last() = false;
            m_out += '\n' + QByteArray(m_empty.size() * 4, ' ');
        }
        if (!key.isNull())
            m_out += scalar(key) + ": ";
    }
    void open(const QString &key, char c)
    {
        item(key);
        m_out += c;
        m_empty.append(true);
    }
    void close(char c)
    {
        if (!m_empty.takeLast())
            m_out += '\n' + QByteArray(m_empty.size() * 4, ' ');
        m_out += c;
    }

    QByteArray m_out;
    QList<bool> m_empty; // per open container: nothing written into it yet
};

// Writers, one per object kind: the keys in the order parse* reads them (the file's order).

template <typename T, typename Fn>
void writeList(JsonWriter &w, const QString &key, const QList<T> &items, Fn write)
{
    w.beginArray(key);
    for (const T &item : items) {
        w.beginObject();
        write(w, item);
        w.endObject();
    }
    w.endArray();
}

void writeRack(JsonWriter &w, const Rack &r)
{
    w.value(QStringLiteral("id"), r.id);
    w.value(QStringLiteral("name"), r.name);
    w.value(QStringLiteral("slotCount"), r.slotCount);
}

void writePowerSupply(JsonWriter &w, const PowerSupply &p)
{
    w.value(QStringLiteral("id"), p.id);
    w.value(QStringLiteral("name"), p.name);
    w.value(QStringLiteral("rackId"), p.rackId);
    w.value(QStringLiteral("circuit"), p.circuit);
    w.value(QStringLiteral("ratingWatts"), p.ratingWatts);
    w.value(QStringLiteral("ratingAmps"), p.ratingAmps);
    w.value(QStringLiteral("volts"), p.volts);
}

void writeSwitch(JsonWriter &w, const NetworkSwitch &s)
{
    w.value(QStringLiteral("id"), s.id);
    w.value(QStringLiteral("name"), s.name);
    w.value(QStringLiteral("rackId"), s.rackId);
    w.value(QStringLiteral("psuId"), s.psuId);
    w.value(QStringLiteral("ports"), s.ports);
    w.value(QStringLiteral("watts"), s.watts);
    w.value(QStringLiteral("uplinkSwitchId"), s.uplinkSwitchId);
    w.value(QStringLiteral("uplink"), s.uplink);
}

void writeStorage(JsonWriter &w, const StorageDevice &d)
{
    w.value(QStringLiteral("name"), d.name);
    w.value(QStringLiteral("device"), d.device);
    w.value(QStringLiteral("sizeBytes"), d.sizeBytes);
    w.value(QStringLiteral("mountPoint"), d.mountPoint);
    w.value(QStringLiteral("peakWatts"), d.peakWatts);
}

void writeBoard(JsonWriter &w, const Board &b)
{
    w.value(QStringLiteral("id"), b.id);
    w.value(QStringLiteral("name"), b.name);
    w.value(QStringLiteral("hostname"), b.hostname);
    w.value(QStringLiteral("model"), b.model);
    w.value(QStringLiteral("arch"), b.arch);
    w.value(QStringLiteral("os"), b.os);
    w.value(QStringLiteral("mac"), b.mac);
    w.value(QStringLiteral("ip"), b.ip);
    w.value(QStringLiteral("addressing"), addressingName(b.addressing));
    w.value(QStringLiteral("sshHost"), b.sshHost);
    w.value(QStringLiteral("sshPort"), b.sshPort);
    w.value(QStringLiteral("sshUser"), b.sshUser);
    w.value(QStringLiteral("role"), roleName(b.role));
    w.value(QStringLiteral("rackId"), b.rackId);
    w.value(QStringLiteral("slot"), b.slot);
    w.value(QStringLiteral("psuId"), b.psuId);
    w.value(QStringLiteral("switchId"), b.switchId);
    w.value(QStringLiteral("switchPort"), b.switchPort);
    w.stringMap(QStringLiteral("labels"), b.labels);
    writeList(w, QStringLiteral("storage"), b.storage, writeStorage);
    w.value(QStringLiteral("notes"), b.notes);
    if (!b.nodeId.isEmpty())
        w.value(QStringLiteral("nodeId"), b.nodeId);
    if (!b.firstBoot.isEmpty()) {
        // Omitted when unset, so labs without first-boot plans keep their bytes.
        const FirstBoot &f = b.firstBoot;
        w.beginObject(QStringLiteral("firstBoot"));
        w.value(QStringLiteral("prefixLength"), f.prefixLength);
        w.value(QStringLiteral("gateway"), f.gateway);
        w.value(QStringLiteral("dns"), QJsonArray::fromStringList(f.dns));
        w.value(QStringLiteral("timezone"), f.timezone);
        w.value(QStringLiteral("locale"), f.locale);
        w.value(QStringLiteral("instanceId"), f.instanceId);
        // Omitted when not chosen, so files from before the choice keep their bytes.
        if (f.sshServer != SshServer::Default)
            w.value(QStringLiteral("sshServer"), f.sshServer == SshServer::Dropbear
                                                     ? QStringLiteral("dropbear")
                                                     : QStringLiteral("openssh"));
        w.endObject();
    }
}

void writeNetwork(JsonWriter &w, const NetworkSettings &n)
{
    w.value(QStringLiteral("subnet"), n.subnet);
    w.value(QStringLiteral("gateway"), n.gateway);
    w.value(QStringLiteral("dns"), QJsonArray::fromStringList(n.dns));
    w.value(QStringLiteral("poolStart"), n.poolStart);
    w.value(QStringLiteral("loginUser"), n.loginUser);
    w.value(QStringLiteral("timezone"), n.timezone);
    w.value(QStringLiteral("locale"), n.locale);
}

void writeSwarm(JsonWriter &w, const SwarmSettings &s)
{
    w.value(QStringLiteral("advertiseNetwork"), s.advertiseNetwork);
    w.stringMap(QStringLiteral("defaultLabels"), s.defaultLabels);
}

// Readers, one per object kind. Absent keys keep the struct's defaults.

/// The array `key` of the object `o` at `p`, each element read by `parse` (parseRack…).
template <typename T, typename Fn>
QList<T> parseList(JsonStrictReader &r, const QJsonObject &o, const QString &p, const QString &key,
                   Fn parse)
{
    QJsonArray a;
    r.readArray(o, p, key, &a);
    const QString ap = JsonStrictReader::child(p, key);
    QList<T> out;
    for (int i = 0; i < a.size() && !r.failed(); ++i) {
        QJsonObject element;
        T item;
        if (r.objectAt(a, ap, i, &element))
            parse(r, element, JsonStrictReader::element(ap, i), &item);
        out.append(item);
    }
    return out;
}

void parseRack(JsonStrictReader &r, const QJsonObject &o, const QString &p, Rack *out)
{
    r.checkKeys(o, p, {QStringLiteral("id")},
                {QStringLiteral("name"), QStringLiteral("slotCount")});
    r.readString(o, p, QStringLiteral("id"), &out->id);
    r.readString(o, p, QStringLiteral("name"), &out->name);
    r.readInt(o, p, QStringLiteral("slotCount"), 1, LabFile::MaxSlotsPerRack, &out->slotCount);
}

void parsePowerSupply(JsonStrictReader &r, const QJsonObject &o, const QString &p, PowerSupply *out)
{
    r.checkKeys(o, p, {QStringLiteral("id")},
                {QStringLiteral("name"), QStringLiteral("rackId"), QStringLiteral("circuit"),
                 QStringLiteral("ratingWatts"), QStringLiteral("ratingAmps"),
                 QStringLiteral("volts")});
    r.readString(o, p, QStringLiteral("id"), &out->id);
    r.readString(o, p, QStringLiteral("name"), &out->name);
    r.readString(o, p, QStringLiteral("rackId"), &out->rackId);
    r.readString(o, p, QStringLiteral("circuit"), &out->circuit);
    r.readNumber(o, p, QStringLiteral("ratingWatts"), 0, 1e6, &out->ratingWatts);
    r.readNumber(o, p, QStringLiteral("ratingAmps"), 0, 1e4, &out->ratingAmps);
    r.readNumber(o, p, QStringLiteral("volts"), 0, 1e4, &out->volts);
}

void parseSwitch(JsonStrictReader &r, const QJsonObject &o, const QString &p, NetworkSwitch *out)
{
    r.checkKeys(o, p, {QStringLiteral("id")},
                {QStringLiteral("name"), QStringLiteral("rackId"), QStringLiteral("psuId"),
                 QStringLiteral("ports"), QStringLiteral("watts"), QStringLiteral("uplinkSwitchId"),
                 QStringLiteral("uplink")});
    r.readString(o, p, QStringLiteral("id"), &out->id);
    r.readString(o, p, QStringLiteral("name"), &out->name);
    r.readString(o, p, QStringLiteral("rackId"), &out->rackId);
    r.readString(o, p, QStringLiteral("psuId"), &out->psuId);
    r.readInt(o, p, QStringLiteral("ports"), 1, LabFile::MaxSwitchPorts, &out->ports);
    r.readNumber(o, p, QStringLiteral("watts"), 0, 1e5, &out->watts);
    r.readString(o, p, QStringLiteral("uplinkSwitchId"), &out->uplinkSwitchId);
    r.readString(o, p, QStringLiteral("uplink"), &out->uplink);
}

void parseStorage(JsonStrictReader &r, const QJsonObject &o, const QString &p, StorageDevice *out)
{
    r.checkKeys(o, p, {QStringLiteral("name")},
                {QStringLiteral("device"), QStringLiteral("sizeBytes"),
                 QStringLiteral("mountPoint"), QStringLiteral("peakWatts")});
    r.readString(o, p, QStringLiteral("name"), &out->name);
    r.readString(o, p, QStringLiteral("device"), &out->device);
    r.readInt(o, p, QStringLiteral("sizeBytes"), qint64(0), qint64(1) << 53, &out->sizeBytes);
    r.readString(o, p, QStringLiteral("mountPoint"), &out->mountPoint);
    r.readNumber(o, p, QStringLiteral("peakWatts"), 0, 1e4, &out->peakWatts);
}

void parseBoard(JsonStrictReader &r, const QJsonObject &o, const QString &p, Board *out)
{
    r.checkKeys(
        o, p, {QStringLiteral("id")},
        {QStringLiteral("name"),     QStringLiteral("hostname"),   QStringLiteral("model"),
         QStringLiteral("arch"),     QStringLiteral("os"),         QStringLiteral("mac"),
         QStringLiteral("ip"),       QStringLiteral("addressing"), QStringLiteral("sshHost"),
         QStringLiteral("sshPort"),  QStringLiteral("sshUser"),    QStringLiteral("role"),
         QStringLiteral("rackId"),   QStringLiteral("slot"),       QStringLiteral("psuId"),
         QStringLiteral("switchId"), QStringLiteral("switchPort"), QStringLiteral("labels"),
         QStringLiteral("storage"),  QStringLiteral("notes"),      QStringLiteral("nodeId"),
         QStringLiteral("firstBoot")});
    r.readString(o, p, QStringLiteral("id"), &out->id);
    r.readString(o, p, QStringLiteral("name"), &out->name);
    r.readString(o, p, QStringLiteral("hostname"), &out->hostname);
    r.readString(o, p, QStringLiteral("model"), &out->model);
    r.readString(o, p, QStringLiteral("arch"), &out->arch);
    r.readString(o, p, QStringLiteral("os"), &out->os);
    r.readString(o, p, QStringLiteral("mac"), &out->mac);
    r.readString(o, p, QStringLiteral("ip"), &out->ip);
    QString addressing = addressingName(out->addressing);
    r.readEnum(o, p, QStringLiteral("addressing"),
               {QStringLiteral("dhcp"), QStringLiteral("static")}, &addressing);
    out->addressing = addressing == QLatin1String("static") ? Addressing::Static : Addressing::Dhcp;
    r.readString(o, p, QStringLiteral("sshHost"), &out->sshHost);
    r.readInt(o, p, QStringLiteral("sshPort"), 1, 65535, &out->sshPort);
    r.readString(o, p, QStringLiteral("sshUser"), &out->sshUser);
    QString role = roleName(out->role);
    r.readEnum(o, p, QStringLiteral("role"), roleNames(), &role);
    roleFromName(role, &out->role);
    r.readString(o, p, QStringLiteral("rackId"), &out->rackId);
    r.readInt(o, p, QStringLiteral("slot"), -1, LabFile::MaxSlotsPerRack - 1, &out->slot);
    r.readString(o, p, QStringLiteral("psuId"), &out->psuId);
    r.readString(o, p, QStringLiteral("switchId"), &out->switchId);
    r.readInt(o, p, QStringLiteral("switchPort"), -1, LabFile::MaxSwitchPorts, &out->switchPort);
    r.readStringMap(o, p, QStringLiteral("labels"), &out->labels);
    out->storage = parseList<StorageDevice>(r, o, p, QStringLiteral("storage"), parseStorage);
    r.readString(o, p, QStringLiteral("notes"), &out->notes);
    r.readString(o, p, QStringLiteral("nodeId"), &out->nodeId);
    if (!o.contains(QStringLiteral("firstBoot")) || r.failed())
        return;
    QJsonObject fo;
    r.readObject(o, p, QStringLiteral("firstBoot"), &fo);
    const QString fp = JsonStrictReader::child(p, QStringLiteral("firstBoot"));
    FirstBoot &f = out->firstBoot;
    r.checkKeys(fo, fp, {},
                {QStringLiteral("prefixLength"), QStringLiteral("gateway"), QStringLiteral("dns"),
                 QStringLiteral("timezone"), QStringLiteral("locale"), QStringLiteral("instanceId"),
                 QStringLiteral("sshServer")});
    r.readInt(fo, fp, QStringLiteral("prefixLength"), -1, 32, &f.prefixLength);
    r.readString(fo, fp, QStringLiteral("gateway"), &f.gateway);
    r.readStringList(fo, fp, QStringLiteral("dns"), &f.dns);
    r.readString(fo, fp, QStringLiteral("timezone"), &f.timezone);
    r.readString(fo, fp, QStringLiteral("locale"), &f.locale);
    r.readString(fo, fp, QStringLiteral("instanceId"), &f.instanceId);
    QString server;
    r.readEnum(fo, fp, QStringLiteral("sshServer"),
               {QStringLiteral("openssh"), QStringLiteral("dropbear")}, &server);
    f.sshServer = server == QLatin1String("dropbear")  ? SshServer::Dropbear
                  : server == QLatin1String("openssh") ? SshServer::OpenSsh
                                                       : SshServer::Default;
}

void parseNetwork(JsonStrictReader &r, const QJsonObject &o, const QString &p,
                  NetworkSettings *out)
{
    r.checkKeys(o, p, {},
                {QStringLiteral("subnet"), QStringLiteral("gateway"), QStringLiteral("dns"),
                 QStringLiteral("poolStart"), QStringLiteral("loginUser"),
                 QStringLiteral("timezone"), QStringLiteral("locale")});
    r.readString(o, p, QStringLiteral("subnet"), &out->subnet);
    r.readString(o, p, QStringLiteral("gateway"), &out->gateway);
    r.readStringList(o, p, QStringLiteral("dns"), &out->dns);
    r.readString(o, p, QStringLiteral("poolStart"), &out->poolStart);
    r.readString(o, p, QStringLiteral("loginUser"), &out->loginUser);
    r.readString(o, p, QStringLiteral("timezone"), &out->timezone);
    r.readString(o, p, QStringLiteral("locale"), &out->locale);
}

/// The "format" marker: false (the reader failed) when this is not a lab file.
bool checkFormat(JsonStrictReader &r, const QJsonObject &root)
{
    const QString formatPath = JsonStrictReader::child(kRoot, QStringLiteral("format"));
    const QJsonValue format = root.value(QStringLiteral("format"));
    if (format.isUndefined()) {
        r.fail(formatPath, LabFile::tr("not a Hivelab lab file: the \"format\" key is missing "
                                       "(expected \"%1\")")
                               .arg(QLatin1String(LabFile::FormatName)));
        return false;
    }
    if (format.toString() != QLatin1String(LabFile::FormatName)) {
        r.fail(formatPath,
               LabFile::tr("not a Hivelab lab file: expected \"%1\", got %2")
                   .arg(QLatin1String(LabFile::FormatName), JsonStrictReader::describe(format)));
        return false;
    }
    return true;
}

/// Upgrades `root` in place from its "schemaVersion" to LabFile::CurrentSchemaVersion, one step
/// of `steps` at a time: false (the reader failed) when the version is missing, newer than this
/// build or has no upgrade path.
bool migrate(JsonStrictReader &r, QJsonObject *root, const LabFile::MigrationTable &steps)
{
    constexpr int current = LabFile::CurrentSchemaVersion;
    const QString versionPath = JsonStrictReader::child(kRoot, QStringLiteral("schemaVersion"));
    if (!root->contains(QStringLiteral("schemaVersion"))) {
        r.fail(versionPath, LabFile::tr("missing required key \"schemaVersion\""));
        return false;
    }
    int version = 0;
    if (!r.readInt(*root, kRoot, QStringLiteral("schemaVersion"), 0,
                   std::numeric_limits<int>::max(), &version))
        return false;
    if (version > current) {
        r.fail(versionPath,
               LabFile::tr("this lab file was made by a newer Hivelab (schema version %1; this "
                           "version reads up to %2). Update Hivelab to open it.")
                   .arg(version)
                   .arg(current));
        return false;
    }
    for (int v = version; v < current; ++v) {
        const auto step = steps.constFind(v);
        if (step == steps.constEnd()) {
            r.fail(versionPath, LabFile::tr("cannot upgrade this lab file: no upgrade path from "
                                            "schema version %1 to %2")
                                    .arg(v)
                                    .arg(current));
            return false;
        }
        QString why;
        if (!(*step)(*root, &why)) {
            r.fail(versionPath,
                   LabFile::tr("cannot upgrade this lab file from schema version %1: %2")
                       .arg(v)
                       .arg(why));
            return false;
        }
        root->insert(QStringLiteral("schemaVersion"), v + 1);
    }
    return true;
}

void parseSwarm(JsonStrictReader &r, const QJsonObject &o, const QString &p, SwarmSettings *out)
{
    r.checkKeys(o, p, {}, {QStringLiteral("advertiseNetwork"), QStringLiteral("defaultLabels")});
    r.readString(o, p, QStringLiteral("advertiseNetwork"), &out->advertiseNetwork);
    r.readStringMap(o, p, QStringLiteral("defaultLabels"), &out->defaultLabels);
}

/// The lab in a document of the current schema version; not validated yet.
Lab parseLab(JsonStrictReader &r, const QJsonObject &root)
{
    r.checkKeys(root, kRoot,
                {QStringLiteral("format"), QStringLiteral("schemaVersion"), QStringLiteral("name")},
                {QStringLiteral("racks"), QStringLiteral("powerSupplies"),
                 QStringLiteral("switches"), QStringLiteral("boards"), QStringLiteral("swarm"),
                 QStringLiteral("network")});
    Lab lab;
    r.readString(root, kRoot, QStringLiteral("name"), &lab.name);
    lab.racks = parseList<Rack>(r, root, kRoot, QStringLiteral("racks"), parseRack);
    lab.powerSupplies =
        parseList<PowerSupply>(r, root, kRoot, QStringLiteral("powerSupplies"), parsePowerSupply);
    lab.switches =
        parseList<NetworkSwitch>(r, root, kRoot, QStringLiteral("switches"), parseSwitch);
    lab.boards = parseList<Board>(r, root, kRoot, QStringLiteral("boards"), parseBoard);
    QJsonObject swarm;
    r.readObject(root, kRoot, QStringLiteral("swarm"), &swarm);
    parseSwarm(r, swarm, JsonStrictReader::child(kRoot, QStringLiteral("swarm")), &lab.swarm);
    if (root.contains(QStringLiteral("network")) && !r.failed()) {
        QJsonObject network;
        r.readObject(root, kRoot, QStringLiteral("network"), &network);
        parseNetwork(r, network, JsonStrictReader::child(kRoot, QStringLiteral("network")),
                     &lab.network);
    }
    return lab;
}

bool setError(LabFileError *error, const QString &path, const QString &message)
{
    error->jsonPath = path;
    error->message = message;
    return false;
}

} // namespace

QString LabFileError::toString() const
{
    QString s = file.isEmpty() ? QString() : file + QStringLiteral(": ");
    if (!jsonPath.isEmpty())
        s += LabFile::tr("at %1: ").arg(jsonPath);
    return s + message;
}

const LabFile::MigrationTable &LabFile::migrations()
{
    // Add "{N, step}" here when CurrentSchemaVersion moves past N.
    static const MigrationTable table;
    return table;
}

std::optional<Lab> LabFile::load(const QString &path, LabFileError *error)
{
    *error = LabFileError();
    error->file = path;
    const QFileInfo info(path);
    if (!info.exists()) {
        error->message = tr("the file does not exist");
        return std::nullopt;
    }
    if (info.isDir()) {
        error->message = tr("this is a folder, not a lab file");
        return std::nullopt;
    }
    if (!info.isFile()) {
        // A FIFO or device would block or never end.
        error->message = tr("this is not a regular file");
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error->message = tr("cannot open the file: %1").arg(file.errorString());
        return std::nullopt;
    }
    if (file.size() > MaxFileBytes) {
        error->message = tr("the file is %1 bytes, larger than the %2 bytes a lab file may have; "
                            "refusing to read it")
                             .arg(file.size())
                             .arg(MaxFileBytes);
        return std::nullopt;
    }
    // Bounded read: pipes and device files report size 0.
    const QByteArray data = file.read(MaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        error->message = tr("cannot read the file: %1").arg(file.errorString());
        return std::nullopt;
    }
    return fromJson(data, error, path);
}

std::optional<Lab> LabFile::fromJson(const QByteArray &data, LabFileError *error,
                                     const QString &fileName)
{
    return fromJson(data, error, fileName, migrations());
}

std::optional<Lab> LabFile::fromJson(const QByteArray &data, LabFileError *error,
                                     const QString &fileName, const MigrationTable &steps)
{
    *error = LabFileError();
    error->file = fileName;
    if (data.size() > MaxFileBytes) {
        error->message = tr("the data is %1 bytes, larger than the %2 bytes a lab file may have")
                             .arg(data.size())
                             .arg(MaxFileBytes);
        return std::nullopt;
    }
    JsonStrictReader r;
    QJsonObject root;
    std::optional<Lab> lab;
    if (r.parseObject(data, &root) && checkFormat(r, root) && migrate(r, &root, steps))
        lab = parseLab(r, root);
    if (r.failed() || !lab) {
        error->jsonPath = r.errorPath();
        error->message = r.errorMessage();
        return std::nullopt;
    }
    if (!validate(*lab, error))
        return std::nullopt;
    for (Board &b : lab->boards)
        b.mac = AddressRules::normalizeMac(b.mac);
    return lab;
}

namespace {

/// Checks a lab's rules object by object and stops at the first one broken, reported in the
/// error with the JSON path of the value at fault. Pure; any thread.
class LabValidator
{
    Q_DECLARE_TR_FUNCTIONS(LabFile)
public:
    LabValidator(const Lab &lab, LabFileError *error)
        : m_lab(lab)
        , m_error(error)
    {}

    bool checkIds();
    // The checks below need unique IDs (checkIds() first): they look objects up by ID.
    bool checkPowerSupplies();
    bool checkSwitches(const LabIndex &index);
    bool checkBoards(const LabIndex &index);
    bool checkSwarm();
    bool checkNetwork();

private:
    bool fail(const QString &path, const QString &message)
    {
        return setError(m_error, path, message);
    }
    bool checkId(const QString &id, const QString &objectPath, ObjectKind kind);
    bool checkRef(const QString &id, const QString &p, ObjectKind kind, const QString &what);
    bool notNegative(double v, const QString &p);
    bool checkUplinkLoop(const LabIndex &index, int i, const QString &p);
    bool checkSlot(const LabIndex &index, int i, const QString &p);
    bool checkSwitchPort(const LabIndex &index, int i, const QString &p);
    bool checkAddresses(const Board &b, const QString &p);
    bool checkStorage(const Board &b, const QString &p);
    bool checkFirstBoot(const Board &b, const QString &p);
    bool checkIpv4(const QString &ip, const QString &p);
    bool checkDns(const QStringList &dns, const QString &p);
    bool checkTimeAndLocale(const QString &timezone, const QString &locale, const QString &p);

    static QString child(const QString &path, const QString &key)
    {
        return JsonStrictReader::child(path, key);
    }
    static QString element(const QString &path, int i)
    {
        return JsonStrictReader::element(path, i);
    }

    const Lab &m_lab;
    LabFileError *m_error;
    QHash<QString, QString> m_idPaths; // ID → path of its owner, for duplicate messages
    QHash<QString, ObjectKind> m_kinds;
    QHash<QPair<QString, int>, int> m_slotOwner;
    QHash<QPair<QString, int>, int> m_portOwner;
    const QString m_racksPath = child(kRoot, QStringLiteral("racks"));
    const QString m_psusPath = child(kRoot, QStringLiteral("powerSupplies"));
    const QString m_switchesPath = child(kRoot, QStringLiteral("switches"));
    const QString m_boardsPath = child(kRoot, QStringLiteral("boards"));
    const QString m_rackWord = tr("rack");
    const QString m_psuWord = tr("power supply");
    const QString m_switchWord = tr("switch");
};

bool LabValidator::checkId(const QString &id, const QString &objectPath, ObjectKind kind)
{
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"));
    const QString p = child(objectPath, QStringLiteral("id"));
    if (!idPattern.match(id).hasMatch())
        return fail(p, tr("expected an ID of 1–64 letters, digits, '.', '_', ':' or '-' "
                          "starting with a letter or digit, got \"%1\"")
                           .arg(JsonStrictReader::elided(id)));
    if (m_idPaths.contains(id))
        return fail(p, tr("duplicate ID \"%1\" (already used by %2)").arg(id, m_idPaths.value(id)));
    m_idPaths.insert(id, objectPath);
    m_kinds.insert(id, kind);
    return true;
}

bool LabValidator::checkRef(const QString &id, const QString &p, ObjectKind kind,
                            const QString &what)
{
    if (id.isEmpty() || (m_kinds.contains(id) && m_kinds.value(id) == kind))
        return true;
    if (m_kinds.contains(id))
        return fail(p, tr("no %1 with ID \"%2\" in this lab (%3 is not a %1)")
                           .arg(what, id, m_idPaths.value(id)));
    return fail(p, tr("no %1 with ID \"%2\" in this lab").arg(what, JsonStrictReader::elided(id)));
}

bool LabValidator::notNegative(double v, const QString &p)
{
    return v >= 0 ? true : fail(p, tr("must not be negative, got %1").arg(v));
}

bool LabValidator::checkIds()
{
    for (int i = 0; i < m_lab.racks.size(); ++i) {
        const Rack &rack = m_lab.racks.at(i);
        const QString p = element(m_racksPath, i);
        if (!checkId(rack.id, p, ObjectKind::Rack))
            return false;
        if (rack.slotCount < 1 || rack.slotCount > LabFile::MaxSlotsPerRack)
            return fail(child(p, QStringLiteral("slotCount")), tr("expected 1 to %1 slots, got %2")
                                                                   .arg(LabFile::MaxSlotsPerRack)
                                                                   .arg(rack.slotCount));
    }
    for (int i = 0; i < m_lab.powerSupplies.size(); ++i) {
        if (!checkId(m_lab.powerSupplies.at(i).id, element(m_psusPath, i), ObjectKind::PowerSupply))
            return false;
    }
    for (int i = 0; i < m_lab.switches.size(); ++i) {
        if (!checkId(m_lab.switches.at(i).id, element(m_switchesPath, i), ObjectKind::Switch))
            return false;
    }
    for (int i = 0; i < m_lab.boards.size(); ++i) {
        if (!checkId(m_lab.boards.at(i).id, element(m_boardsPath, i), ObjectKind::Board))
            return false;
    }
    return true;
}

bool LabValidator::checkPowerSupplies()
{
    for (int i = 0; i < m_lab.powerSupplies.size(); ++i) {
        const PowerSupply &psu = m_lab.powerSupplies.at(i);
        const QString p = element(m_psusPath, i);
        if (!checkRef(psu.rackId, child(p, QStringLiteral("rackId")), ObjectKind::Rack,
                      m_rackWord) ||
            !notNegative(psu.ratingWatts, child(p, QStringLiteral("ratingWatts"))) ||
            !notNegative(psu.ratingAmps, child(p, QStringLiteral("ratingAmps"))) ||
            !notNegative(psu.volts, child(p, QStringLiteral("volts"))))
            return false;
        if (psu.ratingAmps > 0 && psu.volts <= 0)
            return fail(child(p, QStringLiteral("volts")),
                        tr("a rating in amps needs the voltage it is given at"));
    }
    return true;
}

bool LabValidator::checkSwitches(const LabIndex &index)
{
    for (int i = 0; i < m_lab.switches.size(); ++i) {
        const NetworkSwitch &sw = m_lab.switches.at(i);
        const QString p = element(m_switchesPath, i);
        if (!checkRef(sw.rackId, child(p, QStringLiteral("rackId")), ObjectKind::Rack,
                      m_rackWord) ||
            !checkRef(sw.psuId, child(p, QStringLiteral("psuId")), ObjectKind::PowerSupply,
                      m_psuWord) ||
            !checkRef(sw.uplinkSwitchId, child(p, QStringLiteral("uplinkSwitchId")),
                      ObjectKind::Switch, m_switchWord) ||
            !notNegative(sw.watts, child(p, QStringLiteral("watts"))))
            return false;
        if (sw.ports < 1 || sw.ports > LabFile::MaxSwitchPorts)
            return fail(
                child(p, QStringLiteral("ports")),
                tr("expected 1 to %1 ports, got %2").arg(LabFile::MaxSwitchPorts).arg(sw.ports));
        if (!checkUplinkLoop(index, i, p))
            return false;
    }
    return true;
}

bool LabValidator::checkUplinkLoop(const LabIndex &index, int i, const QString &p)
{
    // A loop means no switch on it reaches the outside. Walked only for the switch at fault:
    // one walk per switch would make a long chain quadratic.
    if (!index.uplinkRunsIntoLoop(i))
        return true;
    const NetworkSwitch &sw = m_lab.switches.at(i);
    QSet<QString> seen{sw.id};
    const NetworkSwitch *up = index.networkSwitch(sw.uplinkSwitchId);
    while (up && !seen.contains(up->id)) {
        seen.insert(up->id);
        up = index.networkSwitch(up->uplinkSwitchId);
    }
    return fail(child(p, QStringLiteral("uplinkSwitchId")),
                tr("switch uplinks form a loop through \"%1\"").arg(up ? up->id : sw.id));
}

bool LabValidator::checkBoards(const LabIndex &index)
{
    QHash<QString, int> nodeIds; // swarm node ID -> board index: one node, one board
    QHash<QString, int> instanceIds; // the marker a booted board is matched back by
    for (int i = 0; i < m_lab.boards.size(); ++i) {
        const Board &b = m_lab.boards.at(i);
        const QString p = element(m_boardsPath, i);
        const QString instanceId = b.firstBoot.instanceId;
        if (!instanceId.isEmpty()) {
            if (instanceIds.contains(instanceId))
                return fail(child(child(p, QStringLiteral("firstBoot")),
                                  QStringLiteral("instanceId")),
                            tr("instance ID \"%1\" is already recorded for board \"%2\"")
                                .arg(JsonStrictReader::elided(instanceId),
                                     m_lab.boards.at(instanceIds.value(instanceId)).id));
            instanceIds.insert(instanceId, i);
        }        if (!b.nodeId.isEmpty()) {
            if (nodeIds.contains(b.nodeId))
                return fail(child(p, QStringLiteral("nodeId")),
                            tr("swarm node \"%1\" is already recorded for board \"%2\"")
                                .arg(b.nodeId, m_lab.boards.at(nodeIds.value(b.nodeId)).id));
            nodeIds.insert(b.nodeId, i);
        }
        if (!checkRef(b.rackId, child(p, QStringLiteral("rackId")), ObjectKind::Rack, m_rackWord) ||
            !checkRef(b.psuId, child(p, QStringLiteral("psuId")), ObjectKind::PowerSupply,
                      m_psuWord) ||
            !checkRef(b.switchId, child(p, QStringLiteral("switchId")), ObjectKind::Switch,
                      m_switchWord))
            return false;
        if (!checkSlot(index, i, p) || !checkSwitchPort(index, i, p) || !checkAddresses(b, p) ||
            !checkStorage(b, p) || !checkFirstBoot(b, p))
            return false;
    }
    return true;
}

bool LabValidator::checkSlot(const LabIndex &index, int i, const QString &p)
{
    const Board &b = m_lab.boards.at(i);
    const QString slotPath = child(p, QStringLiteral("slot"));
    if (b.rackId.isEmpty() && b.slot != -1)
        return fail(slotPath, tr("slot %1 is set but the board is in no rack (rackId is empty); "
                                 "use -1 for an unplaced board")
                                  .arg(b.slot));
    const Rack *rack = index.rack(b.rackId);
    if (!rack)
        return true;
    if (b.slot < -1 || b.slot >= rack->slotCount)
        return fail(slotPath, tr("slot %1 is out of range: rack \"%2\" has slots 0 to %3")
                                  .arg(b.slot)
                                  .arg(rack->id)
                                  .arg(rack->slotCount - 1));
    if (b.slot < 0)
        return true;
    const auto key = qMakePair(b.rackId, b.slot);
    if (m_slotOwner.contains(key)) {
        const Board &other = m_lab.boards.at(m_slotOwner.value(key));
        return fail(slotPath,
                    tr("slot %1 of rack \"%2\" is already taken by board \"%3\" (%4)")
                        .arg(b.slot)
                        .arg(b.rackId, other.id, element(m_boardsPath, m_slotOwner.value(key))));
    }
    m_slotOwner.insert(key, i);
    return true;
}

bool LabValidator::checkSwitchPort(const LabIndex &index, int i, const QString &p)
{
    const Board &b = m_lab.boards.at(i);
    const QString portPath = child(p, QStringLiteral("switchPort"));
    if (b.switchId.isEmpty() && b.switchPort != -1)
        return fail(portPath, tr("switch port %1 is set but switchId is empty").arg(b.switchPort));
    const NetworkSwitch *sw = index.networkSwitch(b.switchId);
    if (!sw)
        return true;
    if (b.switchPort != -1 && (b.switchPort < 1 || b.switchPort > sw->ports))
        return fail(portPath, tr("port %1 is out of range: switch \"%2\" has ports 1 to %3")
                                  .arg(b.switchPort)
                                  .arg(sw->id)
                                  .arg(sw->ports));
    if (b.switchPort <= 0)
        return true;
    const auto key = qMakePair(b.switchId, b.switchPort);
    if (m_portOwner.contains(key))
        return fail(portPath, tr("port %1 of switch \"%2\" is already used by board \"%3\"")
                                  .arg(b.switchPort)
                                  .arg(b.switchId, m_lab.boards.at(m_portOwner.value(key)).id));
    m_portOwner.insert(key, i);
    return true;
}

} // namespace

bool LabFile::isValidNodeId(const QString &id)
{
    if (id.size() != 25)
        return false;
    for (const QChar c : id) {
        if (!((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
              (c >= QLatin1Char('0') && c <= QLatin1Char('9'))))
            return false;
    }
    return true;
}

namespace {

bool LabValidator::checkAddresses(const Board &b, const QString &p)
{
    if (b.sshPort < 1 || b.sshPort > 65535)
        return fail(child(p, QStringLiteral("sshPort")),
                    tr("expected a TCP port from 1 to 65535, got %1").arg(b.sshPort));
    if (!b.mac.isEmpty() && AddressRules::normalizeMac(b.mac).isEmpty())
        return fail(child(p, QStringLiteral("mac")),
                    tr("expected a MAC address like \"02:BA:12:34:56:78\", got \"%1\"")
                        .arg(JsonStrictReader::elided(b.mac)));
    if (!b.ip.isEmpty() && !AddressRules::isValidIpAddress(b.ip))
        return fail(
            child(p, QStringLiteral("ip")),
            tr("expected an IPv4 or IPv6 address, got \"%1\"").arg(JsonStrictReader::elided(b.ip)));
    if (!b.hostname.isEmpty() && !AddressRules::isValidHostname(b.hostname))
        return fail(child(p, QStringLiteral("hostname")),
                    tr("expected a host name of letters, digits and inner hyphens "
                       "(RFC 1123), got \"%1\"")
                        .arg(JsonStrictReader::elided(b.hostname)));
    if (!b.nodeId.isEmpty() && !LabFile::isValidNodeId(b.nodeId))
        return fail(child(p, QStringLiteral("nodeId")),
                    tr("expected a swarm node ID of 25 lower-case letters and digits, got \"%1\"")
                        .arg(JsonStrictReader::elided(b.nodeId)));
    return true;
}

bool LabValidator::checkStorage(const Board &b, const QString &p)
{
    for (int s = 0; s < b.storage.size(); ++s) {
        const StorageDevice &d = b.storage.at(s);
        const QString sp = element(child(p, QStringLiteral("storage")), s);
        if (d.sizeBytes < 0)
            return fail(child(sp, QStringLiteral("sizeBytes")),
                        tr("must not be negative, got %1").arg(d.sizeBytes));
        if (!notNegative(d.peakWatts, child(sp, QStringLiteral("peakWatts"))))
            return false;
    }
    return true;
}

bool LabValidator::checkIpv4(const QString &ip, const QString &p)
{
    quint32 address = 0;
    if (ip.isEmpty() || AddressRules::parseIpv4(ip, &address))
        return true;
    return fail(p, tr("expected an IPv4 address like \"192.168.1.1\", got \"%1\"")
                       .arg(JsonStrictReader::elided(ip)));
}

bool LabValidator::checkDns(const QStringList &dns, const QString &p)
{
    for (int i = 0; i < dns.size(); ++i) {
        if (!AddressRules::isValidIpAddress(dns.at(i)))
            return fail(element(child(p, QStringLiteral("dns")), i),
                        tr("expected a name server's IP address, got \"%1\"")
                            .arg(JsonStrictReader::elided(dns.at(i))));
    }
    return true;
}

bool LabValidator::checkTimeAndLocale(const QString &timezone, const QString &locale,
                                      const QString &p)
{
    if (!timezone.isEmpty() && !FirstBootPlan::isValidTimezone(timezone))
        return fail(child(p, QStringLiteral("timezone")),
                    tr("expected a time zone like \"Europe/Berlin\" or \"UTC\", got \"%1\"")
                        .arg(JsonStrictReader::elided(timezone)));
    if (!locale.isEmpty() && !FirstBootPlan::isValidLocale(locale))
        return fail(child(p, QStringLiteral("locale")),
                    tr("expected a locale like \"en_GB.UTF-8\", got \"%1\"")
                        .arg(JsonStrictReader::elided(locale)));
    return true;
}

bool LabValidator::checkFirstBoot(const Board &b, const QString &boardPath)
{
    const FirstBoot &f = b.firstBoot;
    const QString p = child(boardPath, QStringLiteral("firstBoot"));
    if (f.prefixLength < -1 || f.prefixLength > 32)
        return fail(child(p, QStringLiteral("prefixLength")),
                    tr("expected a prefix length from 0 to 32 (-1: the lab subnet's), got %1")
                        .arg(f.prefixLength));
    if (!f.instanceId.isEmpty() && !FirstBootPlan::isValidInstanceId(f.instanceId))
        return fail(child(p, QStringLiteral("instanceId")),
                    tr("expected 1–128 letters, digits, '.', '_', ':' or '-', got \"%1\"")
                        .arg(JsonStrictReader::elided(f.instanceId)));
    return checkIpv4(f.gateway, child(p, QStringLiteral("gateway"))) && checkDns(f.dns, p) &&
           checkTimeAndLocale(f.timezone, f.locale, p);
}

bool LabValidator::checkNetwork()
{
    const NetworkSettings &n = m_lab.network;
    const QString p = child(kRoot, QStringLiteral("network"));
    quint32 network = 0;
    int prefix = 0;
    if (!n.subnet.isEmpty() && !AddressRules::parseIpv4Cidr(n.subnet, &network, &prefix))
        return fail(child(p, QStringLiteral("subnet")),
                    tr("expected an IPv4 network like \"192.168.1.0/24\", got \"%1\"")
                        .arg(JsonStrictReader::elided(n.subnet)));
    if (!n.loginUser.isEmpty() && !FirstBootPlan::isValidUserName(n.loginUser))
        return fail(child(p, QStringLiteral("loginUser")),
                    tr("expected a login name of lower-case letters, digits, '_' and '-', got "
                       "\"%1\"")
                        .arg(JsonStrictReader::elided(n.loginUser)));
    if (!checkIpv4(n.gateway, child(p, QStringLiteral("gateway"))) ||
        !checkIpv4(n.poolStart, child(p, QStringLiteral("poolStart"))) || !checkDns(n.dns, p) ||
        !checkTimeAndLocale(n.timezone, n.locale, p))
        return false;
    quint32 address = 0;
    if (!n.subnet.isEmpty()) {
        const quint32 mask = AddressRules::ipv4Mask(prefix);
        for (const QString &key : {QStringLiteral("gateway"), QStringLiteral("poolStart")}) {
            const QString value = key == QLatin1String("gateway") ? n.gateway : n.poolStart;
            if (AddressRules::parseIpv4(value, &address) && (address & mask) != network)
                return fail(child(p, key),
                            tr("%1 is outside the subnet %2").arg(value, n.subnet));
        }
    }
    return true;
}

bool LabValidator::checkSwarm()
{
    if (!m_lab.swarm.advertiseNetwork.isEmpty() &&
        !AddressRules::isValidCidr(m_lab.swarm.advertiseNetwork))
        return fail(QStringLiteral("$.swarm.advertiseNetwork"),
                    tr("expected a network like \"10.77.0.0/24\", got \"%1\"")
                        .arg(JsonStrictReader::elided(m_lab.swarm.advertiseNetwork)));
    return true;
}

} // namespace

bool LabFile::validate(const Lab &lab, LabFileError *error)
{
    LabValidator check(lab, error);
    if (!check.checkIds())
        return false;
    const LabIndex index(lab); // IDs are unique from here on
    return check.checkPowerSupplies() && check.checkSwitches(index) && check.checkBoards(index) &&
           check.checkSwarm() && check.checkNetwork();
}

QByteArray LabFile::toJson(const Lab &lab)
{
    JsonWriter w;
    w.beginObject();
    w.value(QStringLiteral("format"), QLatin1String(FormatName));
    w.value(QStringLiteral("schemaVersion"), CurrentSchemaVersion);
    w.value(QStringLiteral("name"), lab.name);
    writeList(w, QStringLiteral("racks"), lab.racks, writeRack);
    writeList(w, QStringLiteral("powerSupplies"), lab.powerSupplies, writePowerSupply);
    writeList(w, QStringLiteral("switches"), lab.switches, writeSwitch);
    writeList(w, QStringLiteral("boards"), lab.boards, writeBoard);
    w.beginObject(QStringLiteral("swarm"));
    writeSwarm(w, lab.swarm);
    w.endObject();
    if (!lab.network.isEmpty()) {
        w.beginObject(QStringLiteral("network"));
        writeNetwork(w, lab.network);
        w.endObject();
    }
    w.endObject();
    return w.result();
}

bool LabFile::save(const Lab &lab, const QString &path, LabFileError *error)
{
    *error = LabFileError();
    error->file = path;
    if (!validate(lab, error)) {
        error->message = tr("not saved, the lab is inconsistent: %1").arg(error->message);
        return false;
    }
    const AtomicFileWriter::Result written = AtomicFileWriter::write(path, toJson(lab));
    switch (written.failedStep) {
    case AtomicFileWriter::Step::None:
        return true;
    case AtomicFileWriter::Step::OpenFolder:
        error->message =
            tr("cannot write the file, its folder cannot be opened: %1").arg(written.errorText());
        break;
    case AtomicFileWriter::Step::NotRegularFile:
        error->message =
            tr("cannot write the file: a folder or special file of that name is in the way");
        break;
    case AtomicFileWriter::Step::CreateTemporary:
    case AtomicFileWriter::Step::Write:
    case AtomicFileWriter::Step::Replace:
        error->message =
            tr("cannot write the file: %1; nothing was changed").arg(written.errorText());
        break;
    case AtomicFileWriter::Step::SyncFolder:
        error->message = tr("the file was written, but flushing its folder to disk failed: %1")
                             .arg(written.errorText());
        break;
    }
    return false;
}

} // namespace Hivelab
