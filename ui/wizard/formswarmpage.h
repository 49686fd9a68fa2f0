// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remotesteppage.h"

namespace Hivelab {

/// Step 7: form the swarm (commands in order, then a check of every board's swarm state).
class FormSwarmPage : public RemoteStepPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FormSwarmPage)
public:
    explicit FormSwarmPage(SetupWizard *wizard);

    /// The commands that form the swarm of the document's lab, in order (plain text).
    static QString formationCommands(const Lab &lab);

protected:
    QString instructionsHtml() const override;
    QString skipReason(const Board &board) const override;
    WorkflowJob *createJob() override;
    QString doneText() const override;
};

} // namespace Hivelab
