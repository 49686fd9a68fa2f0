// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Hivelab {

/// The platforms an image is published for, as a Docker engine reports them from the image's
/// registry (engine API `GET /distribution/{image}/json`: the manifest list / OCI index, or
/// the single manifest's config). Plain value type, any thread.
struct ImagePlatforms
{
    QString mediaType; // of the descriptor: a manifest list / OCI index, or one manifest
    QString digest;
    QStringList platforms; // "linux/amd64", "linux/arm/v7", in the registry's order
    QString error;         // why there is no answer (then platforms is empty)

    bool isValid() const { return error.isEmpty(); }
    bool isIndex() const;
    /// Parses the engine's answer; an engine error object ({"message": …}) or anything that is
    /// not a descriptor with platforms becomes `error`.
    static ImagePlatforms parseDistribution(const QByteArray &json);
};

/// Placement rules Hivelab adds to a stack's services (docs/STACKS.md). Pure; any thread.
namespace StackPlacement {

/// The node label a service's replicas are spread over: the board's rack.
inline QString rackSpreadDescriptor()
{
    return QStringLiteral("node.labels.hivelab.rack");
}

/// The node architecture word (Description.Platform.Architecture, as in `node.platform.arch`:
/// `uname -m` of the board: x86_64, aarch64, armv7l) for an image platform ("linux/arm64",
/// "arm/v7", "amd64"); empty for a platform of another OS than Linux.
QString nodeArchitecture(const QString &imagePlatform);
/// The `uname -m` word for an engine's or the plan's architecture word ("amd64" → x86_64,
/// "arm64" → aarch64, "armhf" → armv7l; x86_64 stays).
QString normalNodeArchitecture(const QString &word);
/// The plan's word for a `uname -m` word (x86_64 → amd64, aarch64 → arm64, armv7l → armhf):
/// what messages say.
QString planArchitecture(const QString &nodeArch);

/// Whether an image published for `platforms` runs on a node of architecture `nodeArch`
/// (`uname -m` word). An armv7l board also runs arm/v6 images.
bool runsOn(const QStringList &platforms, const QString &nodeArch);

/// The `node.platform.arch` constraints keeping a service's tasks on boards its image runs on:
/// an image for one architecture gets `node.platform.arch == WORD`; one for several gets
/// `node.platform.arch != WORD` for each architecture among `swarmArchs` (`uname -m` words of
/// the swarm's nodes) it lacks (swarm constraints cannot say "one of"). Empty when no
/// constraint is needed or the platforms are unknown.
QStringList architectureConstraints(const QStringList &platforms, const QStringList &swarmArchs);

/// Whether `constraints` (a service's own) already say something about the architecture.
bool constrainsArchitecture(const QStringList &constraints);

/// How many of the swarm's nodes a service's image runs on.
struct ArchitectureFit
{
    int runnable = 0;
    int total = 0;
    QStringList runnableArchs; // plan words (arm64, amd64), sorted, without repeats
    QStringList missingArchs;  // architectures of the swarm the image lacks (plan words)
    bool fitsAll() const { return runnable == total; }
};
/// `nodeArchs`: the `uname -m` word of each node (one entry per node).
ArchitectureFit fit(const QStringList &platforms, const QStringList &nodeArchs);

/// One task of a swarm service as the live status sees it: where it runs and in what state.
struct ServiceTask
{
    QString id;
    QString serviceId;
    QString service; // the service's name ("web_nginx")
    QString stack;   // com.docker.stack.namespace, empty outside a stack
    int slot = 0;    // replica number, 0 for global services
    QString nodeId;
    QString boardId; // the lab board the node is (empty: not a board of the lab)
    QString state;   // Status.State: "running", "pending", "failed", …
    QString desiredState;
    QString message; // Status.Err, else Status.Message
    QString image;   // without the @sha256 pin
    QString updatedAt;

    bool isRunning() const { return state == QLatin1String("running"); }
    bool operator==(const ServiceTask &o) const
    {
        return id == o.id && service == o.service && boardId == o.boardId && state == o.state &&
               desiredState == o.desiredState && message == o.message && slot == o.slot;
    }
};
/// Tasks from the engine's `GET /tasks` answer, named from its `GET /services` answer. Tasks
/// of services the service list does not name keep the service ID as name.
QList<ServiceTask> parseTasks(const QByteArray &tasksJson, const QByteArray &servicesJson);

/// A service whose running replicas all share one fault domain.
struct ReplicaConcentration
{
    QString service;
    int replicas = 0;
    ObjectKind kind = ObjectKind::Rack; // Rack or PowerSupply
    QString domainId;                   // the rack or supply they share
};
/// Services with at least two running replicas that all sit in one rack, or (in different
/// racks or on boards without one) on one power supply. `boardOf` task → board comes from
/// ServiceTask::boardId; tasks on boards outside the lab do not count.
QList<ReplicaConcentration> concentratedServices(const Lab &lab, const QList<ServiceTask> &tasks);

} // namespace StackPlacement

} // namespace Hivelab
