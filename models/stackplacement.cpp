// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackplacement.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace Hivelab {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

QStringList sortedUnique(QStringList words)
{
    words.removeAll(QString());
    words.sort();
    words.removeDuplicates();
    return words;
}

} // namespace

bool ImagePlatforms::isIndex() const
{
    return mediaType.contains(QLatin1String("manifest.list")) ||
           mediaType.contains(QLatin1String("image.index"));
}

ImagePlatforms ImagePlatforms::parseDistribution(const QByteArray &json)
{
    ImagePlatforms result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        result.error = QStringLiteral("not a JSON object (%1)").arg(parseError.errorString());
        return result;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1String("message")) && !o.contains(QLatin1String("Descriptor"))) {
        result.error = str(o, "message");
        return result;
    }
    const QJsonObject descriptor = o.value(QLatin1String("Descriptor")).toObject();
    result.mediaType = str(descriptor, "mediaType");
    result.digest = str(descriptor, "digest");
    const QJsonArray platforms = o.value(QLatin1String("Platforms")).toArray();
    for (const QJsonValue &v : platforms) {
        const QJsonObject p = v.toObject();
        const QString os = str(p, "os");
        const QString arch = str(p, "architecture");
        if (os.isEmpty() || arch.isEmpty())
            continue;
        QString word = os + QLatin1Char('/') + arch;
        if (!str(p, "variant").isEmpty())
            word += QLatin1Char('/') + str(p, "variant");
        if (!result.platforms.contains(word))
            result.platforms << word;
    }
    if (result.digest.isEmpty() || result.platforms.isEmpty())
        result.error = QStringLiteral("the answer names no platforms");
    return result;
}

namespace StackPlacement {

QString normalNodeArchitecture(const QString &word)
{
    const QString a = word.trimmed().toLower();
    if (a == QLatin1String("amd64") || a == QLatin1String("x86-64"))
        return QStringLiteral("x86_64");
    if (a == QLatin1String("arm64"))
        return QStringLiteral("aarch64");
    if (a == QLatin1String("armhf") || a == QLatin1String("arm"))
        return QStringLiteral("armv7l");
    if (a == QLatin1String("386"))
        return QStringLiteral("i686");
    return a;
}

QString planArchitecture(const QString &nodeArch)
{
    const QString a = normalNodeArchitecture(nodeArch);
    if (a == QLatin1String("x86_64"))
        return QStringLiteral("amd64");
    if (a == QLatin1String("aarch64"))
        return QStringLiteral("arm64");
    if (a.startsWith(QLatin1String("armv7")) || a.startsWith(QLatin1String("armv6")))
        return QStringLiteral("armhf");
    return a;
}

QString nodeArchitecture(const QString &imagePlatform)
{
    QStringList parts = imagePlatform.toLower().split(QLatin1Char('/'));
    // "amd64" alone means Linux; "linux/arm/v7" and "arm/v7" both name the variant.
    static const QStringList oses = {QStringLiteral("linux"), QStringLiteral("windows"),
                                     QStringLiteral("darwin"), QStringLiteral("freebsd")};
    if (oses.contains(parts.first())) {
        if (parts.first() != QLatin1String("linux"))
            return {};
        parts.removeFirst();
    }
    const QString arch = parts.value(0);
    const QString variant = parts.value(1);
    if (arch == QLatin1String("arm"))
        return variant == QLatin1String("v6") || variant == QLatin1String("v5")
                   ? QStringLiteral("armv6l")
                   : QStringLiteral("armv7l");
    return normalNodeArchitecture(arch);
}

bool runsOn(const QStringList &platforms, const QString &nodeArch)
{
    const QString node = normalNodeArchitecture(nodeArch);
    for (const QString &p : platforms) {
        const QString a = nodeArchitecture(p);
        if (a == node || (a == QLatin1String("armv6l") && node == QLatin1String("armv7l")))
            return true;
    }
    return false;
}

QStringList architectureConstraints(const QStringList &platforms, const QStringList &swarmArchs)
{
    QStringList archs;
    for (const QString &p : platforms)
        archs << nodeArchitecture(p);
    archs = sortedUnique(archs);
    if (archs.isEmpty())
        return {};
    const QString key = QStringLiteral("node.platform.arch");
    // One architecture says exactly where: it also holds for boards that join later.
    if (archs.size() == 1 && archs.first() != QLatin1String("armv6l"))
        return {QStringLiteral("%1 == %2").arg(key, archs.first())};
    QStringList constraints;
    QStringList nodes;
    for (const QString &a : swarmArchs)
        nodes << normalNodeArchitecture(a);
    for (const QString &a : sortedUnique(nodes)) {
        if (!runsOn(platforms, a))
            constraints << QStringLiteral("%1 != %2").arg(key, a);
    }
    return constraints;
}

bool constrainsArchitecture(const QStringList &constraints)
{
    for (const QString &c : constraints) {
        const QString t = c.simplified().remove(QLatin1Char(' '));
        if (t.startsWith(QLatin1String("node.platform.arch")) ||
            t.startsWith(QLatin1String("node.labels.arch")))
            return true;
    }
    return false;
}

ArchitectureFit fit(const QStringList &platforms, const QStringList &nodeArchs)
{
    ArchitectureFit f;
    f.total = int(nodeArchs.size());
    for (const QString &a : nodeArchs) {
        if (runsOn(platforms, a)) {
            ++f.runnable;
            f.runnableArchs << planArchitecture(a);
        } else {
            f.missingArchs << planArchitecture(a);
        }
    }
    f.runnableArchs = sortedUnique(f.runnableArchs);
    f.missingArchs = sortedUnique(f.missingArchs);
    return f;
}

QList<ServiceTask> parseTasks(const QByteArray &tasksJson, const QByteArray &servicesJson)
{
    QHash<QString, QString> names;
    const QJsonArray services = QJsonDocument::fromJson(servicesJson).array();
    for (const QJsonValue &v : services) {
        const QJsonObject s = v.toObject();
        names.insert(str(s, "ID"), str(s.value(QLatin1String("Spec")).toObject(), "Name"));
    }
    QList<ServiceTask> tasks;
    const QJsonArray list = QJsonDocument::fromJson(tasksJson).array();
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        ServiceTask t;
        t.id = str(o, "ID");
        t.serviceId = str(o, "ServiceID");
        if (t.id.isEmpty() || t.serviceId.isEmpty())
            continue;
        t.service = names.value(t.serviceId, t.serviceId);
        t.slot = o.value(QLatin1String("Slot")).toInt();
        t.nodeId = str(o, "NodeID");
        const QJsonObject status = o.value(QLatin1String("Status")).toObject();
        t.state = str(status, "State");
        t.message = !str(status, "Err").isEmpty() ? str(status, "Err") : str(status, "Message");
        t.desiredState = str(o, "DesiredState");
        t.updatedAt = str(o, "UpdatedAt");
        const QJsonObject container = o.value(QLatin1String("Spec"))
                                          .toObject()
                                          .value(QLatin1String("ContainerSpec"))
                                          .toObject();
        t.image = str(container, "Image").section(QLatin1Char('@'), 0, 0);
        t.stack =
            str(container.value(QLatin1String("Labels")).toObject(), "com.docker.stack.namespace");
        tasks << t;
    }
    std::sort(tasks.begin(), tasks.end(), [](const ServiceTask &a, const ServiceTask &b) {
        if (a.service != b.service)
            return a.service < b.service;
        if (a.slot != b.slot)
            return a.slot < b.slot;
        return a.updatedAt > b.updatedAt; // the newest attempt of a slot first
    });
    return tasks;
}

QList<ReplicaConcentration> concentratedServices(const Lab &lab, const QList<ServiceTask> &tasks)
{
    QMap<QString, QList<const Board *>> byService;
    for (const ServiceTask &t : tasks) {
        if (!t.isRunning())
            continue;
        if (const Board *b = lab.board(t.boardId))
            byService[t.service] << b;
    }
    QList<ReplicaConcentration> result;
    for (auto it = byService.cbegin(); it != byService.cend(); ++it) {
        const QList<const Board *> &boards = it.value();
        if (boards.size() < 2)
            continue;
        QSet<QString> racks, psus;
        for (const Board *b : boards) {
            racks.insert(b->rackId);
            psus.insert(b->psuId);
        }
        ReplicaConcentration c;
        c.service = it.key();
        c.replicas = int(boards.size());
        if (racks.size() == 1 && !boards.first()->rackId.isEmpty()) {
            c.kind = ObjectKind::Rack;
            c.domainId = boards.first()->rackId;
            result << c;
        } else if (psus.size() == 1 && !boards.first()->psuId.isEmpty()) {
            c.kind = ObjectKind::PowerSupply;
            c.domainId = boards.first()->psuId;
            result << c;
        }
    }
    return result;
}

} // namespace StackPlacement

} // namespace Hivelab
