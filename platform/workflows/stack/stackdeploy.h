// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stackplacement.h"
#include "swarmstatus.h"

#include <QByteArray>

namespace Hivelab {

/// `hivelab stack deploy` and Lab ▸ Deploy Stack: deploys a Compose file as a swarm stack
/// through a planned manager that answers (docs/STACKS.md). Before deploying, each service's
/// image is looked up by that manager's engine in its registry (engine API
/// `GET /distribution/{image}/json`: the manifest list's platforms) and the file is amended
/// where it says nothing itself: `spread: node.labels.hivelab.rack` so replicas spread over
/// racks, and `node.platform.arch` constraints for the architectures the image is published
/// for. A service whose image runs on none of the swarm's boards stops the deploy (unless
/// forced). The amended file reaches `docker stack deploy --compose-file -` on the manager
/// through the SSH channel's stdin: no file is left on the board, nothing lands in an argv.
/// The job's one board is the manager used. Async job, GUI thread.
class StackDeploy : public SwarmStatus
{
    Q_OBJECT
public:
    explicit StackDeploy(LabDocument *document, QObject *parent = nullptr);

    /// The Compose file's contents and the stack's name (letters, digits, '_', '.', '-';
    /// empty: the file's top-level `name:`). Before start().
    void setCompose(const QByteArray &yaml, const QString &stackName);
    /// Deploy even when a service's image runs on none of the swarm's boards.
    void setForce(bool force) { m_force = force; }
    /// Check and amend only: nothing is deployed (the manager is still asked).
    void setDryRun(bool dryRun) { m_dryRun = dryRun; }

    /// What was decided for one service.
    struct ServicePlan
    {
        QString service;
        QString image;
        QStringList platforms; // the image's, empty when unknown
        QString checkError;    // why the image could not be looked up
        bool spreadAdded = false;
        QStringList constraintsAdded;
        StackPlacement::ArchitectureFit fit; // over the swarm's active, Ready nodes
        bool checked() const { return !platforms.isEmpty(); }
    };
    QList<ServicePlan> plans() const { return m_plans; }
    QString stackName() const { return m_name; }
    /// The file as sent to the manager (after the checks).
    QByteArray amendedCompose() const { return m_amended; }
    /// Warnings in words (services that run only on some boards, images not checked).
    QStringList warnings() const { return m_warnings; }

    /// Whether `name` is a valid stack name.
    static bool isValidStackName(const QString &name);

protected:
    void begin() override;
    void report() override;

private:
    void inspect(int index);
    void deploy();

    QByteArray m_compose;
    QString m_name;
    bool m_force = false;
    bool m_dryRun = false;
    QList<ServicePlan> m_plans;
    QStringList m_nodeArchs;
    QByteArray m_amended;
    QStringList m_warnings;
};

} // namespace Hivelab
