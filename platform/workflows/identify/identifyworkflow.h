// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hostfacts.h"
#include "workflowjob.h"

#include <QHash>

#include <optional>

namespace Hivelab {

/// Signs in to boards of the lab and identifies each with one compound command
/// (HostFacts::compoundCommand(): hostname, model, arch, OS, cores, memory, disks, Docker), as
/// the login user, without sudo. The one sign-in job of the wizard's Connect step and of
/// `hivelab discover --login`. It leaves the lab alone: front ends apply facts() themselves
/// (LabMerge::fillIn; an undoable edit in the GUI). A board counts as signed in once the
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
    QHash<QString, HostFacts> m_facts;
};

} // namespace Hivelab
