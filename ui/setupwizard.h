// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizard>

class QLabel;
class QRadioButton;

namespace Hivelab {

class LabDocument;

/// Setup wizard: plan → discover → flash → connect → Docker → managers → swarm → summary.
/// Steps whose backend is not in this build say so instead of pretending. GUI thread.
class SetupWizard : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupWizard)
public:
    enum PageId {
        PlanPage,
        DiscoverPage,
        FlashPage,
        ConnectPage,
        DockerPage,
        ManagersPage,
        SwarmPage,
        SummaryPage
    };

    explicit SetupWizard(LabDocument *document, QWidget *parent = nullptr);

    QRadioButton *useDemoButton() const { return m_useDemo; }

Q_SIGNALS:
    /// The user chose to start from the demo lab on the plan page.
    void demoRequested();

protected:
    void initializePage(int id) override;
    bool validateCurrentPage() override;

private:
    QWizardPage *makePage(const QString &title, const QString &subtitle, QLabel **body);
    QString flashGuidance() const;
    QString managersText() const;
    QString summaryText() const;

    LabDocument *m_document;
    QRadioButton *m_useCurrent = nullptr;
    QRadioButton *m_useDemo = nullptr;
    QLabel *m_planError = nullptr;
    QLabel *m_flashBody = nullptr;
    QLabel *m_managersBody = nullptr;
    QLabel *m_summaryBody = nullptr;
};

} // namespace Hivelab
