// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stepoutcome.h"

#include <QElapsedTimer>
#include <QWizardPage>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace Hivelab {

class DiscoveryService;
class SetupWizard;
struct DiscoveredHost;

/// Step 2: find the boards (network scan when this build has one) or add them by hand.
class DiscoverPage : public QWizardPage, public WizardStep
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscoverPage)
public:
    explicit DiscoverPage(SetupWizard *wizard);

    StepOutcome outcome() const override;

    void initializePage() override;
    bool isComplete() const override;

    /// Starts a scan of the entered range (never on its own: only this, from the Scan button).
    void startScan();
    void cancelScan();
    bool isScanning() const;
    /// Merges the ticked scan results into the lab with LabMerge (the CLI's `discover --into`
    /// rules: address order, free rack slots), as one undoable edit.
    void addSelectedHosts();

private:
    QGroupBox *createScanBox(QWidget *parent);
    QGroupBox *createBoardsBox(QWidget *parent);
    void connectWidgets();
    /// Why the entered targets or ports cannot be scanned (ScanTargets' message); empty: fine.
    QString scanProblem() const;
    void refreshBoards();
    void updateMessages();
    void onModelChanged();
    void onAddBoard();
    void onRemoveBoards();
    QString manualProblem() const;
    void onHostFound(const DiscoveredHost &host);
    void onScanFinished();
    bool eventFilter(QObject *watched, QEvent *event) override;
    void updateScanButtons();

    SetupWizard *m_wizard;
    QLineEdit *m_range;
    QPushButton *m_scan;
    QPushButton *m_cancelScan;
    QPushButton *m_addFound;
    QComboBox *m_suggestions;
    QLineEdit *m_ports;
    QTableWidget *m_found;
    QStringList m_scanned;
    DiscoveryService *m_scanner;
    // Since Scan, for the hivelab.wizard debug lines (first row inserted, then painted).
    QElapsedTimer m_sinceScan;
    bool m_firstRowPainted = false;
    QLabel *m_scanNote;
    QLineEdit *m_name;
    QLineEdit *m_ip;
    QComboBox *m_model;
    QComboBox *m_os;
    QPushButton *m_add;
    QPushButton *m_remove;
    QTreeWidget *m_boards;
    QLabel *m_message;
};

} // namespace Hivelab
