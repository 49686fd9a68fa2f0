// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace Hivelab {

class SetupWizard;
struct Lab;

/// Step 8: what was done and what failed per board, and how to use the swarm from the laptop.
class SummaryPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SummaryPage)
public:
    explicit SummaryPage(SetupWizard *wizard);

    void initializePage() override;

    /// `docker context` commands (and the DOCKER_HOST alternative) for the lab's first manager.
    static QString dockerContextCommands(const Lab &lab);

private:
    void updateSaveState();
    void save();

    SetupWizard *m_wizard;
    QTextBrowser *m_report;
    QPlainTextEdit *m_commands;
    QLabel *m_saveNote;
    QPushButton *m_save;
};

} // namespace Hivelab
