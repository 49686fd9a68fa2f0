// SPDX-License-Identifier: GPL-3.0-or-later
#include "hostfacts.h"

#include "jsonstrictreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace Hivelab {

namespace {

constexpr char Marker[] = "@@hl ";

QString valueString(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(lenientInt64(v));
    return {};
}

bool valueBool(const QJsonValue &v)
{
    if (v.isBool())
        return v.toBool();
    const QString s = valueString(v);
    return s == QLatin1String("1") || s == QLatin1String("true");
}

void collectMounts(const QJsonObject &dev, QStringList *out)
{
    for (const char *key : {"mountpoint", "mountpoints"}) {
        const QJsonValue v = dev.value(QLatin1String(key));
        if (v.isString() && !v.toString().isEmpty())
            out->append(v.toString());
        for (const QJsonValue &m : v.toArray()) {
            if (m.isString() && !m.toString().isEmpty())
                out->append(m.toString());
        }
    }
    for (const QJsonValue &c : dev.value(QLatin1String("children")).toArray())
        collectMounts(c.toObject(), out);
}

} // namespace

QString HostFacts::modelName() const
{
    if (!deviceTreeModel.isEmpty())
        return deviceTreeModel;
    // Generic firmware strings carry no information.
    static const QRegularExpression junk(
        QStringLiteral("^(To be filled by O\\.E\\.M\\.|Default string|System Product Name|None)$"),
        QRegularExpression::CaseInsensitiveOption);
    if (dmiProduct.isEmpty() || junk.match(dmiProduct).hasMatch())
        return {};
    if (dmiVendor.isEmpty() || junk.match(dmiVendor).hasMatch() ||
        dmiProduct.startsWith(dmiVendor, Qt::CaseInsensitive))
        return dmiProduct;
    return dmiVendor + QLatin1Char(' ') + dmiProduct;
}

QString HostFacts::debianArch() const
{
    static const QMap<QString, QString> map = {
        {QStringLiteral("aarch64"), QStringLiteral("arm64")},
        {QStringLiteral("arm64"), QStringLiteral("arm64")},
        {QStringLiteral("x86_64"), QStringLiteral("amd64")},
        {QStringLiteral("amd64"), QStringLiteral("amd64")},
        {QStringLiteral("armv7l"), QStringLiteral("armhf")},
        {QStringLiteral("armv6l"), QStringLiteral("armhf")},
        {QStringLiteral("i686"), QStringLiteral("i386")},
        {QStringLiteral("riscv64"), QStringLiteral("riscv64")},
    };
    return map.value(machine, machine);
}

QString HostFacts::swarmRole() const
{
    if (swarmState != QLatin1String("active"))
        return {};
    return swarmManager ? QStringLiteral("manager") : QStringLiteral("worker");
}

QJsonObject HostFacts::toJson() const
{
    QJsonObject o;
    const auto put = [&o](const char *k, const QString &v) {
        if (!v.isEmpty())
            o.insert(QLatin1String(k), v);
    };
    put("hostname", hostname);
    put("model", modelName());
    put("machine", machine);
    put("arch", debianArch());
    if (cores > 0)
        o.insert(QStringLiteral("cores"), cores);
    if (memTotalBytes > 0)
        o.insert(QStringLiteral("memBytes"), double(memTotalBytes));
    put("os", osPrettyName);
    put("osId", osId);
    put("osVersionId", osVersionId);
    QJsonArray disks;
    for (const DiskInfo &d : this->disks) {
        QJsonObject j{{QStringLiteral("name"), d.name},
                      {QStringLiteral("sizeBytes"), double(d.sizeBytes)},
                      {QStringLiteral("removable"), d.removable}};
        if (!d.transport.isEmpty())
            j.insert(QStringLiteral("transport"), d.transport);
        if (!d.model.isEmpty())
            j.insert(QStringLiteral("model"), d.model);
        if (!d.mountPoints.isEmpty())
            j.insert(QStringLiteral("mountPoints"), QJsonArray::fromStringList(d.mountPoints));
        disks.append(j);
    }
    if (!disks.isEmpty())
        o.insert(QStringLiteral("disks"), disks);
    put("dockerVersion", dockerVersion);
    put("swarmState", swarmState);
    put("swarmRole", swarmRole());
    put("swarmNodeId", swarmNodeId);
    put("instanceId", instanceId);
    if (!swarmNodeLabels.isEmpty()) {
        QJsonObject labels;
        for (auto it = swarmNodeLabels.cbegin(); it != swarmNodeLabels.cend(); ++it)
            labels.insert(it.key(), it.value());
        o.insert(QStringLiteral("swarmLabels"), labels);
    }
    if (!problems.isEmpty())
        o.insert(QStringLiteral("problems"), QJsonArray::fromStringList(problems));
    return o;
}

QString HostFacts::compoundCommand()
{
    // Plain POSIX sh so it runs under Dropbear/busybox logins too; stderr is dropped per probe so
    // a missing tool only leaves its section empty.
    return QStringLiteral(
        "LC_ALL=C; export LC_ALL; "
        "echo '@@hl hostname'; hostname 2>/dev/null || cat /proc/sys/kernel/hostname; "
        "echo '@@hl model'; cat /proc/device-tree/model 2>/dev/null | tr -d '\\000'; echo; "
        "echo '@@hl dmivendor'; cat /sys/class/dmi/id/sys_vendor 2>/dev/null; "
        "echo '@@hl dmiproduct'; cat /sys/class/dmi/id/product_name 2>/dev/null; "
        "echo '@@hl machine'; uname -m; "
        "echo '@@hl nproc'; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN; "
        "echo '@@hl meminfo'; grep MemTotal /proc/meminfo; "
        "echo '@@hl osrelease'; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release; "
        "echo '@@hl lsblk'; lsblk -J -b -o NAME,SIZE,TYPE,TRAN,MODEL,RM,MOUNTPOINT 2>/dev/null; "
        "echo '@@hl instanceid'; cat /var/lib/cloud/data/instance-id 2>/dev/null; "
        "echo '@@hl dockerinfo'; docker info --format '{{json .}}' 2>/dev/null; "
        "echo '@@hl end'");
}

HostFacts HostFacts::parseCompound(const QByteArray &output)
{
    QMap<QString, QByteArray> sections;
    QString current;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith(Marker)) {
            current = QString::fromUtf8(line.mid(int(sizeof(Marker)) - 1)).trimmed();
            sections.insert(current, {});
            continue;
        }
        if (!current.isEmpty())
            sections[current] += line + '\n';
    }
    HostFacts f;
    if (!sections.contains(QStringLiteral("end")))
        f.problems << QStringLiteral("output truncated (no end marker)");
    const auto text = [&](const char *name) {
        return QString::fromUtf8(sections.value(QLatin1String(name))).trimmed();
    };
    f.hostname = text("hostname").section(QLatin1Char('\n'), 0, 0);
    f.deviceTreeModel = parseDeviceTreeModel(sections.value(QStringLiteral("model")));
    f.dmiVendor = text("dmivendor");
    f.dmiProduct = text("dmiproduct");
    f.machine = text("machine");
    f.cores = text("nproc").toInt();
    f.memTotalBytes = parseMemTotal(sections.value(QStringLiteral("meminfo")));
    const auto os = parseOsRelease(sections.value(QStringLiteral("osrelease")));
    f.osId = os.value(QStringLiteral("ID"));
    f.osVersionId = os.value(QStringLiteral("VERSION_ID"));
    f.osPrettyName = os.value(QStringLiteral("PRETTY_NAME"), os.value(QStringLiteral("NAME")));
    f.instanceId = text("instanceid").section(QLatin1Char('\n'), 0, 0);
    const QByteArray lsblk = sections.value(QStringLiteral("lsblk")).trimmed();
    if (!lsblk.isEmpty()) {
        QString err;
        if (auto disks = parseLsblk(lsblk, &err))
            f.disks = *disks;
        else
            f.problems << QStringLiteral("lsblk: ") + err;
    }
    const QByteArray info = sections.value(QStringLiteral("dockerinfo")).trimmed();
    if (!info.isEmpty()) {
        QString err;
        if (!parseDockerInfo(info, &f, &err))
            f.problems << QStringLiteral("docker info: ") + err;
    }
    return f;
}

QMap<QString, QString> HostFacts::parseOsRelease(const QByteArray &data)
{
    QMap<QString, QString> out;
    static const QRegularExpression re(QStringLiteral("^([A-Z][A-Z0-9_]*)=(.*)$"));
    for (const QByteArray &raw : data.split('\n')) {
        const auto m = re.match(QString::fromUtf8(raw).trimmed());
        if (!m.hasMatch())
            continue;
        QString v = m.captured(2);
        // Shell-style quoting: strip one pair of matching quotes, undo backslash escapes.
        if (v.size() >= 2 && (v.front() == QLatin1Char('"') || v.front() == QLatin1Char('\'')) &&
            v.back() == v.front()) {
            v = v.mid(1, v.size() - 2);
            if (m.captured(2).front() == QLatin1Char('"')) {
                static const QRegularExpression esc(QStringLiteral("\\\\([\"\\\\$`])"));
                v.replace(esc, QStringLiteral("\\1"));
            }
        }
        out.insert(m.captured(1), v);
    }
    return out;
}

QString HostFacts::parseDeviceTreeModel(const QByteArray &data)
{
    QByteArray d = data;
    const int nul = d.indexOf('\0');
    if (nul >= 0)
        d.truncate(nul);
    return QString::fromUtf8(d).trimmed();
}

qint64 HostFacts::parseMemTotal(const QByteArray &meminfo)
{
    static const QRegularExpression re(QStringLiteral("^MemTotal:\\s+(\\d+)\\s*kB"),
                                       QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(meminfo));
    return m.hasMatch() ? m.captured(1).toLongLong() * 1024 : 0;
}

std::optional<QList<DiskInfo>> HostFacts::parseLsblk(const QByteArray &json, QString *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = pe.error != QJsonParseError::NoError ? pe.errorString()
                                                      : QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonValue devices = doc.object().value(QLatin1String("blockdevices"));
    if (!devices.isArray()) {
        *error = QStringLiteral("no \"blockdevices\" array");
        return std::nullopt;
    }
    QList<DiskInfo> out;
    for (const QJsonValue &v : devices.toArray()) {
        const QJsonObject dev = v.toObject();
        const QString name = dev.value(QLatin1String("name")).toString();
        // loop, rom, zram (compressed RAM): not storage a board can offer
        if (dev.value(QLatin1String("type")).toString() != QLatin1String("disk") ||
            name.startsWith(QLatin1String("zram")))
            continue;
        DiskInfo d;
        d.name = name;
        d.sizeBytes = lenientInt64(dev.value(QLatin1String("size")));
        d.transport = valueString(dev.value(QLatin1String("tran")));
        d.model = valueString(dev.value(QLatin1String("model"))).trimmed();
        d.removable = valueBool(dev.value(QLatin1String("rm")));
        collectMounts(dev, &d.mountPoints);
        if (!d.name.isEmpty())
            out.append(d);
    }
    return out;
}

bool HostFacts::parseDockerInfo(const QByteArray &json, HostFacts *facts, QString *error)
{
    // With the daemon down, older clients print a partial object plus text: take the first line.
    const QByteArray first = json.trimmed().split('\n').value(0);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(first, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = pe.error != QJsonParseError::NoError ? pe.errorString()
                                                      : QStringLiteral("not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    const QJsonArray serverErrors = o.value(QLatin1String("ServerErrors")).toArray();
    facts->dockerVersion = o.value(QLatin1String("ServerVersion")).toString();
    if (facts->dockerVersion.isEmpty()) {
        // The client is installed but its daemon did not answer.
        *error = serverErrors.isEmpty() ? QStringLiteral("Docker daemon not reachable")
                                        : serverErrors.first().toString();
        return false;
    }
    const QJsonObject swarm = o.value(QLatin1String("Swarm")).toObject();
    facts->swarmState = swarm.value(QLatin1String("LocalNodeState")).toString();
    facts->swarmManager = swarm.value(QLatin1String("ControlAvailable")).toBool();
    facts->swarmNodeId = swarm.value(QLatin1String("NodeID")).toString();
    if (facts->hostname.isEmpty())
        facts->hostname = o.value(QLatin1String("Name")).toString();
    if (facts->cores == 0)
        facts->cores =
            int(std::clamp<qint64>(lenientInt64(o.value(QLatin1String("NCPU"))), 0, 1 << 20));
    if (facts->memTotalBytes == 0)
        facts->memTotalBytes = lenientInt64(o.value(QLatin1String("MemTotal")));
    return true;
}

} // namespace Hivelab
