// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QWizardPage>

class QListWidget;
class QTextBrowser;

namespace Hivelab {

class CardWriterWidget;
class SetupWizard;
struct Board;

/// Step 3: writes each board's card (image + first-boot identity) with CardWriterWidget, and
/// keeps the by-hand guidance for what cannot be written (ISO installers, Windows).
class FlashPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlashPage)
public:
    explicit FlashPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;
    /// Leaving the step while cards are written is refused (Cancel first).
    bool validatePage() override;
    CardWriterWidget *writer() const { return m_writer; }

    /// The guidance for one board as HTML (selectable text, commands in <pre>).
    static QString guidanceHtml(const Board &board);

private:
    void showBoard();

    SetupWizard *m_wizard;
    CardWriterWidget *m_writer;
    QListWidget *m_list;
    QTextBrowser *m_text;
};

} // namespace Hivelab
