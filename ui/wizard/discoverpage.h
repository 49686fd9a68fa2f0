// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace Hivelab {

class DiscoveryService;
class SetupWizard;
struct DiscoveredHost;
struct Board;
struct Lab;

/// Step 2: find the boards (network scan when this build has one) or add them by hand.
class DiscoverPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiscoverPage)
public:
    explicit DiscoverPage(SetupWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    /// Starts a scan of the entered range (never on its own: only this, from the Scan button).
    void startScan();
    void cancelScan();
    bool isScanning() const;
    /// Merges the ticked scan results into the lab (new boards placed in free slots).
    void addSelectedHosts();

    /// Largest range a scan accepts: a /16.
    static constexpr qint64 MaxScanAddresses = 65536;
    /// Number of addresses in "10.0.0.0/24", "10.0.0.10-10.0.0.20" or "10.0.0.10-20";
    /// -1 with *error set when the text is not a usable range.
    static qint64 scanRangeSize(const QString &text, QString *error);
    /// Puts a new board into a free slot of the emptiest rack (plan order on ties), with that
    /// rack's PSU and a free port of its switch.
    static void placeInFreeSlot(const Lab &lab, Board *board);

private:
    void refreshBoards();
    void updateMessages();
    void onModelChanged();
    void onAddBoard();
    void onRemoveBoards();
    QString manualProblem() const;
    void onHostFound(const DiscoveredHost &host);
    void onScanFinished();
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
