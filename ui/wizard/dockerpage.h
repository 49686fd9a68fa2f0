// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remotesteppage.h"

class QCheckBox;

namespace Hivelab {

/// Step 5: Docker on every board (install instructions, then a check over SSH).
class DockerPage : public RemoteStepPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DockerPage)
public:
    explicit DockerPage(SetupWizard *wizard);

protected:
    QString instructionsHtml() const override;
    QString skipReason(const Board &board) const override;
    WorkflowJob *createJob() override;
    QString doneText() const override;

private:
    QCheckBox *m_install = nullptr;
};

} // namespace Hivelab
