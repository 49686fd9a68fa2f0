// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hostfacts.h"
#include "workflowjob.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace Hivelab {

/// Signs in to boards of the lab and identifies each with one compound command
/// (HostFacts::compoundCommand(): hostname, model, arch, OS, cores, memory, disks, Docker), as
/// the login user, without sudo. The one sign-in job of the wizard's Connect step and of
/// `hivelab discover --login`. It leaves the lab alone: front ends apply facts() themselves
/// (LabMerge::fillIn; an undoable edit in the GUI). Boards that are members of a running swarm
/// also get their node labels (HostFacts::swarmNodeLabels), which only a manager lists: one
/// `GET /nodes` over the engine API on a signed-in manager per swarm, as the login user like
/// the identification; members wait for it. A board counts as signed in once the
/// command ran, whatever it printed; SSH failures end the board with their outcome code
/// (HostKeyUnknown, HostKeyChanged, AuthFailed, Unreachable) and the SSH error's data. Async on
/// the owner thread (WorkflowJob).
class IdentifyWorkflow : public WorkflowJob
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdentifyWorkflow)
public:
    explicit IdentifyWorkflow(LabDocument *document, QObject *parent = nullptr);

    /// What a signed-in board reported; nullopt for boards that did not sign in.
    std::optional<HostFacts> facts(const QString &boardId) const;
    /// "pine64-1, Pine64 A64-LTS, arm64, Debian 12, Docker 20.10" (empty when nothing known).
    static QString summary(const HostFacts &facts);

protected:
    void begin() override;

private:
    void identified(const QString &boardId, const Remote &remote);
    /// Asks the next manager whose swarm was not listed yet for the nodes' labels; finishes
    /// the waiting members once no manager is left to ask.
    void readNodeLabels();
    void finishSignedIn(const QString &boardId);

    QHash<QString, HostFacts> m_facts;
    QStringList m_members;  // signed-in swarm members waiting for their labels
    QSet<QString> m_asked;  // managers asked for the node list
    QSet<QString> m_listed; // node IDs some manager listed
};

} // namespace Hivelab
