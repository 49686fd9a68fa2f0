// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QWizardPage>

class QListWidget;
class QTextBrowser;

namespace Hivelab {

class SetupWizard;
struct Board;

/// Step 3: what to put on each board's boot medium and what to preconfigure (guidance only).
class FlashPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlashPage)
public:
    explicit FlashPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;

    /// The guidance for one board as HTML (selectable text, commands in <pre>).
    static QString guidanceHtml(const Board &board);

private:
    void showBoard();

    SetupWizard *m_wizard;
    QListWidget *m_list;
    QTextBrowser *m_text;
};

} // namespace Hivelab
