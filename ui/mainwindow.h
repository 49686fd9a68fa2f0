// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardconnection.h"
#include "labcheck.h"
#include "swarmjobcontroller.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <functional>

class QAction;
class QDialog;
class QLabel;
class QMenu;
class QProgressBar;
class QTableView;
class QTimer;
class QUndoCommand;
class QToolBar;
class QToolButton;
class QUndoStack;

namespace Hivelab {

class CardWriterWidget;
class CheckResultsWidget;
class DocumentController;
class GearActions;
class InspectorWidget;
class InventoryProxyModel;
class LabDocument;
class LiveStatusController;
class LogConsole;
class SetupWizard;
class TopologyScene;
class TopologyView;
class WorkflowJob;

/// Main window over one LabDocument: canvas in the centre, inventory, inspector, check results
/// and log docks, menus, actions and dialogs. Behaviour lives in controllers the window wires:
/// DocumentController (files, recent files), SwarmJobController (swarm jobs, logins, the SSH
/// pool) and LiveStatusController (periodic status). GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(LabDocument *document, QWidget *parent = nullptr);
    ~MainWindow() override;

    void openDemo();
    /// Opens a lab file; shows a message box on failure.
    bool openFile(const QString &path);
    /// Replaces the open lab with the file's content without any dialog.
    bool loadFile(const QString &path, QString *error);
    /// Writes the lab to path without any dialog; on success it becomes the document's path.
    bool saveToFile(const QString &path, QString *error);
    /// Asks what to do with unsaved changes; true when it is fine to go on.
    bool maybeSave();
    void newLab();
    bool exportPng(const QString &path);
    bool exportSvg(const QString &path);
    void setDarkTheme(bool dark);

    /// Replaces the Save/Discard/Cancel message box (tests, scripted use).
    using UnsavedPrompt = std::function<QMessageBox::StandardButton()>;
    void setUnsavedPrompt(UnsavedPrompt prompt) { m_unsavedPrompt = std::move(prompt); }

    TopologyScene *scene() const { return m_scene; }
    TopologyView *view() const { return m_view; }
    QUndoStack *undoStack() const { return m_undoStack; }
    QTableView *inventoryView() const { return m_inventoryView; }
    InventoryProxyModel *inventoryModel() const { return m_inventoryModel; }
    InspectorWidget *inspector() const { return m_inspector; }
    CheckResultsWidget *checkResults() const { return m_checkResults; }
    LogConsole *logConsole() const { return m_log; }
    QStringList recentFiles() const;
    /// Runs the fault-domain check now instead of on the next event-loop turn (the first one
    /// too: the constructor leaves it to the event loop).
    void runCheckNow();
    /// Context menu for the given boards (caller owns it).
    QMenu *createBoardMenu(const QStringList &boardIds);
    /// Runs the board menu's action objectName (e.g. "promote") on the selected boards, as its
    /// keyboard shortcut does; false when it is disabled or nothing is selected.
    bool triggerBoardAction(const QString &objectName);
    QAction *formSwarmAction() const { return m_formSwarm; }
    QAction *refreshSwarmAction() const { return m_refreshSwarm; }
    QAction *applyPlacementAction() const { return m_applyPlacement; }
    /// Lab ▸ Set up Key Login…: asks, then installs the user's SSH key on the selected boards
    /// (none selected: every board) and verifies key-only login (KeyLoginSetup).
    QAction *keyLoginAction() const { return m_keyLogin; }
    /// Lab ▸ Identify Boards: the selected boards (none selected: all).
    QAction *identifyAction() const { return m_identify; }
    /// Lab ▸ Set up Remote Access (TLS)…: asks, then switches the selected boards' engines (none
    /// selected: every board) to TLS on 2376 with client certificates (RemoteAccess).
    QAction *remoteAccessAction() const { return m_remoteAccess; }
    /// Lab ▸ Apply Planned Addresses…: lists each board's move (current address → planned static
    /// one), asks, then runs AddressApply on the selected boards (none selected: every board
    /// with a planned static address).
    QAction *applyAddressesAction() const { return m_applyAddresses; }
    /// Lab ▸ Write Cards…: the card writer in a dialog (one at a time); nullptr when closed.
    QAction *writeCardsAction() const { return m_writeCards; }
    void openCardWriter();
    CardWriterWidget *cardWriter() const;
    /// Lab ▸ Deploy Stack…: asks for a Compose file and a stack name, then deploys it through
    /// a manager (StackDeploy: spread over racks, architecture constraints).
    QAction *deployStackAction() const { return m_deployStack; }
    /// Lab ▸ Live Status (checkable, off by default): asks the managers every
    /// liveIntervalMs() over SSH and keeps the LEDs current. Opening another lab turns it off.
    QAction *liveStatusAction() const { return m_liveStatus; }
    void setLiveStatus(bool on);
    void setLiveIntervalMs(int ms);
    int liveIntervalMs() const;
    /// Cancels the running swarm job (the status bar's Cancel button).
    QAction *cancelJobAction() const { return m_cancelJob; }
    /// The swarm job in progress, if any (null when idle).
    WorkflowJob *currentJob() const;
    /// How swarm jobs log in. Default: like OpenSSH (~/.ssh/config, agent, default keys) and
    /// only host keys trusted before (known_hosts); tests point it elsewhere.
    void setConnectionSettings(const ConnectionSettings &settings);
    /// Whether jobs read the board passwords the wizard's Connect step remembered in the
    /// keychain (default on; tests without a Secret Service turn it off).
    void setKeychainEnabled(bool enabled);
    DocumentController *documentController() const { return m_files; }
    SwarmJobController *swarmJobs() const { return m_jobs; }
    LiveStatusController *liveStatus() const { return m_live; }
    GearActions *gear() const { return m_gear; }
    /// Lab ▸ Form Swarm: every planned board; async, progress in the status bar and the log.
    void formSwarm();
    void refreshSwarmStatus();
    /// Brings the swarm's node labels in line with the plan (SwarmLabels).
    void applyPlacement();
    void joinSwarm(const QStringList &boardIds);
    void leaveSwarm(const QStringList &boardIds);
    /// Drain (tasks move away) or activate boards in the running swarm.
    void setBoardsDrained(const QStringList &boardIds, bool drain);
    /// Installs the user's SSH key on these boards (empty: every board); async like formSwarm().
    void setUpKeyLogin(const QStringList &boardIds);
    /// Signs in to the boards (empty: all) and records what they report (IdentifyWorkflow) as
    /// one undoable edit, with LabMerge's rules.
    void identifyBoards(const QStringList &boardIds);
    /// Deploys the Compose file at `composePath` as stack `name` (StackDeploy); async like
    /// formSwarm(). False (and a log line saying why) when the file cannot be read or a job runs.
    bool deployStack(const QString &composePath, const QString &name);
    /// Opens the confirmation of Apply Planned Addresses for these boards (empty: all with a
    /// planned static address): each board's move, and why named boards cannot move. Accepted:
    /// starts AddressApply. Async (a window-modal message box, objectName "applyAddressesAsk").
    void confirmApplyAddresses(const QStringList &boardIds);
Q_SIGNALS:
    /// A live status refresh ended (ok: a manager answered with the node list).
    void liveStatusUpdated(bool ok);

public:
    /// Presses on a board and moves it towards a rack slot without releasing, through real
    /// mouse events on the canvas (screenshots of a drag in progress).
    bool startDragPreview(const QString &boardId, const QString &rackId, int slot);
    /// Opens the setup wizard (non-modal) on `startPage` (a SetupWizard::PageId; -1: the
    /// first step) and returns it.
    SetupWizard *openSetupWizard(int startPage = -1);

protected:
    void closeEvent(QCloseEvent *event) override;
    /// Starts drawing the toolbar's icons on the thread pool (first show).
    void showEvent(QShowEvent *event) override;
    /// Sets the window's icon after its first frame (see the definition).
    bool event(QEvent *event) override;

private:
    void createActions();
    void createSwarmActions();
    void wireControllers();
    void addSwarmMenuActions(QMenu *menu, const QStringList &boardIds);
    void fillBoardMenu(QMenu *menu, const QStringList &boardIds);
    /// Window-wide shortcuts for the board menu's actions (shown in the menus).
    void createBoardShortcuts();
    void createMenus();
    void createDocks();
    void createStatusBar();
    QAction *makeAction(const QString &icon, const QString &text, const QKeySequence &shortcut,
                        const QString &tip);
    void refreshIcons();
    void updateTitle();
    void updateStatus();
    void updateActions();
    /// Columns from..to sized to their content (growOnly: only ever wider).
    void fitInventoryColumns(int from, int to, bool growOnly);
    void rebuildRecentMenu();
    void onSave();
    void onSaveAs();
    void onOpen();
    void onExport(bool svg);
    void onDelete();
    void onAbout();
    void onBoardSelection(const QStringList &boardIds);
    void onTableSelection();
    void onFindingActivated(const QStringList &objectIds);
    void onContextMenu(const QStringList &boardIds, const QPoint &screenPos);
    void onUndoIndexChanged(int index);
    void onSetupWizard();
    void pushEdit(QUndoCommand *command);
    void log(const QString &text, const QStringList &boardIds = {},
             Severity severity = Severity::Info);
    void refreshLogBoards();
    static QString jobTitle(SwarmJobController::Operation operation);
    /// Wires a starting job to the log and the status bar.
    void onJobStarted(SwarmJobController::Operation operation, WorkflowJob *job);
    void onJobFinished(SwarmJobController::Operation operation, WorkflowJob *job);
    void onLiveAnswer(bool ok, int ready, int total, const QString &error);
    void applyIdentified(const WorkflowJob *job);

    LabDocument *m_document;
    DocumentController *m_files;
    SwarmJobController *m_jobs;
    LiveStatusController *m_live;
    GearActions *m_gear = nullptr;
    QUndoStack *m_undoStack;
    TopologyScene *m_scene;
    TopologyView *m_view;
    InventoryProxyModel *m_inventoryModel = nullptr;
    QTableView *m_inventoryView = nullptr;
    InspectorWidget *m_inspector = nullptr;
    CheckResultsWidget *m_checkResults = nullptr;
    LogConsole *m_log = nullptr;
    QTimer *m_checkTimer;
    CheckReport m_report;
    bool m_checked = false; // m_report is the lab's (the first check has run)
    bool m_iconPending = true; // the window icon waits for the first frame
    bool m_toolBarIconsPending = true; // drawn ahead at the first show
    QToolBar *m_toolBar = nullptr;
    bool m_syncingSelection = false;
    int m_lastUndoIndex = 0;
    UnsavedPrompt m_unsavedPrompt;

    QAction *m_new = nullptr;
    QAction *m_open = nullptr;
    QAction *m_openDemo = nullptr;
    QAction *m_save = nullptr;
    QAction *m_saveAs = nullptr;
    QAction *m_exportPng = nullptr;
    QAction *m_exportSvg = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_undo = nullptr;
    QAction *m_redo = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_zoomIn = nullptr;
    QAction *m_zoomOut = nullptr;
    QAction *m_zoomFit = nullptr;
    QAction *m_dark = nullptr;
    QAction *m_check = nullptr;
    QAction *m_wizard = nullptr;
    QAction *m_formSwarm = nullptr;
    QAction *m_refreshSwarm = nullptr;
    QAction *m_applyPlacement = nullptr;
    QAction *m_keyLogin = nullptr;
    QAction *m_identify = nullptr;
    QAction *m_remoteAccess = nullptr;
    QAction *m_applyAddresses = nullptr;
    QAction *m_writeCards = nullptr;
    QPointer<QDialog> m_cardWriter;
    QAction *m_deployStack = nullptr;
    QAction *m_liveStatus = nullptr;
    QAction *m_cancelJob = nullptr;
    QAction *m_about = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QLabel *m_statusBoards = nullptr;
    QLabel *m_statusQuorum = nullptr;
    QLabel *m_inventoryHint = nullptr;
    QLabel *m_emptyHint = nullptr;
    QLabel *m_statusCheckIcon = nullptr;
    QLabel *m_statusCheck = nullptr;
    QLabel *m_statusZoom = nullptr;
    QProgressBar *m_jobProgress = nullptr;
    QToolButton *m_jobCancel = nullptr;
};

} // namespace Hivelab
