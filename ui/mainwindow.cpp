// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "addressapply.h"
#include "plural.h"

#include "boardcatalog.h"
#include "boarditem.h"
#include "boardtablemodel.h"
#include "canvasmetrics.h"
#include "checkresultswidget.h"
#include "documentcontroller.h"
#include "gearactions.h"
#include "inspectorwidget.h"
#include "inventoryproxymodel.h"
#include "labcommands.h"
#include "labdocument.h"
#include "livestatuscontroller.h"
#include "logconsole.h"
#include "rackitem.h"
#include "setupwizard.h"
#include "shapedtextdelegate.h"
#include "sizecachedheaderview.h"
#include "workflowjob.h"
#include "theme.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "wholerowsview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMouseEvent>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QShowEvent>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <iterator>
#include <memory>

namespace Hivelab {

namespace {
const char *const IconProperty = "hivelabIcon";

// The board menu's keys. Delete is Edit ▸ Delete and Ctrl+I Lab ▸ Identify Boards; the
// others are window-wide actions on the selected boards (createBoardShortcuts()).
struct BoardKey
{
    const char *action; // the menu action's objectName
    QKeyCombination key;
};
constexpr BoardKey BoardKeys[] = {
    {"promote", Qt::CTRL | Qt::SHIFT | Qt::Key_M},
    {"demote", Qt::CTRL | Qt::SHIFT | Qt::Key_K},
    {"copySsh", Qt::CTRL | Qt::SHIFT | Qt::Key_C},
    {"connect", Qt::CTRL | Qt::SHIFT | Qt::Key_L},
    {"joinSwarm", Qt::CTRL | Qt::Key_J},
    {"leaveSwarm", Qt::CTRL | Qt::SHIFT | Qt::Key_J},
    {"drain", Qt::CTRL | Qt::Key_D},
    {"activate", Qt::CTRL | Qt::SHIFT | Qt::Key_A},
    {"moveUp", Qt::ALT | Qt::Key_Up},
    {"moveDown", Qt::ALT | Qt::Key_Down},
    {"movePreviousRack", Qt::ALT | Qt::Key_Left},
    {"moveNextRack", Qt::ALT | Qt::Key_Right},
};
// Keys the canvas (Alt+arrows) or another window action already handles.
bool keyHandledElsewhere(const char *action)
{
    return qstrncmp(action, "move", 4) == 0;
}

} // namespace

MainWindow::MainWindow(LabDocument *document, QWidget *parent)
    : QMainWindow(parent)
    , m_document(document)
    , m_files(new DocumentController(document, this))
    , m_jobs(new SwarmJobController(document, this))
    , m_live(new LiveStatusController(document, m_jobs, this))
    , m_undoStack(new QUndoStack(this))
    , m_scene(new TopologyScene(document, m_undoStack, this))
    , m_view(new TopologyView(m_scene, this))
    , m_checkTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(m_view);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    // Zero-interval single shot: a burst of model signals (a swap, a multi-drag) costs one check.
    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(0);
    connect(m_checkTimer, &QTimer::timeout, this, &MainWindow::runCheckNow);

    // An empty lab shows where to start instead of a blank canvas.
    m_emptyHint = new QLabel(m_view->viewport());
    m_emptyHint->setObjectName(QStringLiteral("emptyLabHint"));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_emptyHint->setText(
        tr("<h3>This lab is empty</h3><p><b>Lab ▸ Setup Wizard…</b> plans racks, power supplies "
           "and switches, finds your boards on the network and forms the swarm.</p><p>Or open a "
           "lab with <b>File ▸ Open…</b>, or look around the demo lab first (<b>File ▸ Open "
           "Demo Lab</b>).</p>"));
    auto *hintLayout = new QVBoxLayout(m_view->viewport());
    hintLayout->addWidget(m_emptyHint, 0, Qt::AlignCenter);
    m_emptyHint->setMaximumWidth(460);

    m_gear = new GearActions(m_document, m_undoStack, this, this);
    createActions();
    createDocks();
    createMenus();
    createStatusBar();
    wireControllers();

    connect(m_document, &LabDocument::reset, this, [this]() {
        m_undoStack->clear();
        m_lastUndoIndex = 0;
        refreshLogBoards();
        m_view->fitAll();
    });
    connect(m_document, &LabDocument::changed, m_checkTimer, qOverload<>(&QTimer::start));
    connect(m_document, &LabDocument::nodeStateChanged, m_checkTimer, qOverload<>(&QTimer::start));
    connect(m_document, &LabDocument::serviceTasksChanged, m_checkTimer,
            qOverload<>(&QTimer::start));
    connect(m_document, &LabDocument::changed, this, &MainWindow::updateStatus);
    connect(m_document, &LabDocument::objectAdded, this, &MainWindow::refreshLogBoards);
    connect(m_document, &LabDocument::objectRemoved, this, &MainWindow::refreshLogBoards);
    connect(m_document, &LabDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &LabDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &LabDocument::reset, this, &MainWindow::updateTitle);
    connect(m_document, &LabDocument::reset, this, &MainWindow::updateActions);
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { m_document->setModified(!clean); });
    connect(m_undoStack, &QUndoStack::indexChanged, this, &MainWindow::onUndoIndexChanged);
    connect(m_scene, &TopologyScene::boardSelectionChanged, this, &MainWindow::onBoardSelection);
    connect(m_scene, &TopologyScene::objectClicked, m_inspector, &InspectorWidget::showObject);
    connect(m_scene, &TopologyScene::boardContextMenuRequested, this, &MainWindow::onContextMenu);
    connect(m_scene, &TopologyScene::objectContextMenuRequested, this,
            [this](ObjectKind kind, const QString &id, const QPoint &screenPos) {
                auto *menu = new QMenu(this);
                menu->setObjectName(QStringLiteral("gearMenu"));
                menu->setAttribute(Qt::WA_DeleteOnClose);
                m_gear->addActions(menu, kind, id);
                menu->popup(screenPos);
            });
    connect(m_gear, &GearActions::objectAdded, m_inspector, &InspectorWidget::showObject);
    connect(m_scene, &TopologyScene::boardActivated, this, [this]() {
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("InspectorDock"))) {
            dock->show();
            dock->raise();
        }
        m_inspector->nameEdit()->setFocus();
    });
    connect(m_view, &TopologyView::zoomChanged, this, [this](qreal zoom) {
        m_statusZoom->setText(QStringLiteral("%1 %").arg(qRound(zoom * 100)));
    });

    QSettings settings;
    resize(1440, 900);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());

    updateTitle();
    updateStatus();
    // The first check runs on the event loop's first turn (before the first frame), as every
    // later one does: a lab opened right after construction (FILE, --demo) is checked once,
    // and the empty lab's report (its icons rendered, its text laid out) is not built only to
    // be replaced before anything is painted.
    m_checkTimer->start();
    m_view->setFocus(); // arrow keys walk the boards straight away
    statusBar()->showMessage(tr("Drag boards between racks · right-click a board for actions · "
                                "Ctrl+wheel zooms"),
                             15000);
    log(tr("Hivelab %1 ready. Open a lab or the demo lab to start.")
            .arg(QCoreApplication::applicationVersion()));
}

MainWindow::~MainWindow()
{
    // Children die after this body; their signals (undo stack clear, selection) must not reach
    // a half-destroyed window.
    m_undoStack->disconnect(this);
    m_scene->disconnect(this);
    m_document->disconnect(this);
    // Live status uses the jobs' pool: it goes first.
    delete m_live;
    delete m_jobs;
}

QAction *MainWindow::makeAction(const QString &icon, const QString &text,
                                const QKeySequence &shortcut, const QString &tip)
{
    auto *a = new QAction(text, this);
    if (!icon.isEmpty()) {
        a->setProperty(IconProperty, icon);
        a->setIcon(Theme::icon(icon));
    }
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    if (!tip.isEmpty()) {
        a->setToolTip(tip);
        a->setStatusTip(tip);
    }
    return a;
}

void MainWindow::refreshIcons()
{
    const auto actions = findChildren<QAction *>();
    for (QAction *a : actions) {
        const QString name = a->property(IconProperty).toString();
        if (!name.isEmpty())
            a->setIcon(Theme::icon(name));
    }
}

void MainWindow::createActions()
{
    m_new = makeAction(QStringLiteral("document-new"), tr("&New Lab"), QKeySequence::New,
                       tr("Start an empty lab"));
    connect(m_new, &QAction::triggered, this, &MainWindow::newLab);
    m_open = makeAction(QStringLiteral("document-open"), tr("&Open…"), QKeySequence::Open,
                        tr("Open a .hivelab file"));
    connect(m_open, &QAction::triggered, this, &MainWindow::onOpen);
    m_openDemo = makeAction(QString(), tr("Open &Demo Lab"), QKeySequence(),
                            tr("Open the built-in demo lab: 4 racks, 10 boards"));
    connect(m_openDemo, &QAction::triggered, this, [this]() {
        if (maybeSave())
            openDemo();
    });
    m_save = makeAction(QStringLiteral("document-save"), tr("&Save"), QKeySequence::Save,
                        tr("Save the lab"));
    connect(m_save, &QAction::triggered, this, &MainWindow::onSave);
    m_saveAs = makeAction(QStringLiteral("document-save-as"), tr("Save &As…"), QKeySequence::SaveAs,
                          tr("Save the lab under a new name"));
    connect(m_saveAs, &QAction::triggered, this, &MainWindow::onSaveAs);
    m_exportPng = makeAction(QStringLiteral("export-image"), tr("Export Canvas as &PNG…"),
                             QKeySequence(), tr("Save the topology canvas as a PNG image"));
    connect(m_exportPng, &QAction::triggered, this, [this]() { onExport(false); });
    m_exportSvg = makeAction(QString(), tr("Export Canvas as S&VG…"), QKeySequence(),
                             tr("Save the topology canvas as an SVG drawing"));
    connect(m_exportSvg, &QAction::triggered, this, [this]() { onExport(true); });
    m_quit = makeAction(QStringLiteral("application-exit"), tr("&Quit"), QKeySequence::Quit,
                        tr("Quit Hivelab"));
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    m_undo = m_undoStack->createUndoAction(this, tr("&Undo"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setProperty(IconProperty, QStringLiteral("edit-undo"));
    m_undo->setIcon(Theme::icon(QStringLiteral("edit-undo")));
    m_redo = m_undoStack->createRedoAction(this, tr("&Redo"));
    m_redo->setShortcut(QKeySequence::Redo);
    m_redo->setProperty(IconProperty, QStringLiteral("edit-redo"));
    m_redo->setIcon(Theme::icon(QStringLiteral("edit-redo")));
    m_delete = makeAction(QStringLiteral("edit-delete"), tr("&Delete"), QKeySequence::Delete,
                          tr("Remove the selected boards from the lab"));
    connect(m_delete, &QAction::triggered, this, &MainWindow::onDelete);

    m_zoomIn = makeAction(QStringLiteral("zoom-in"), tr("Zoom &In"), QKeySequence::ZoomIn,
                          tr("Zoom in (Ctrl+wheel)"));
    connect(m_zoomIn, &QAction::triggered, m_view, &TopologyView::zoomIn);
    m_zoomOut = makeAction(QStringLiteral("zoom-out"), tr("Zoom &Out"), QKeySequence::ZoomOut,
                           tr("Zoom out (Ctrl+wheel)"));
    connect(m_zoomOut, &QAction::triggered, m_view, &TopologyView::zoomOut);
    m_zoomFit = makeAction(QStringLiteral("zoom-fit"), tr("&Fit to Window"),
                           QKeySequence(Qt::CTRL | Qt::Key_0), tr("Show the whole lab"));
    connect(m_zoomFit, &QAction::triggered, m_view, &TopologyView::fitAll);
    m_dark = makeAction(QStringLiteral("theme-dark"), tr("&Dark Theme"),
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
                        tr("Switch between the light and dark palettes"));
    m_dark->setCheckable(true);
    m_dark->setChecked(Theme::isDark());
    connect(m_dark, &QAction::toggled, this, &MainWindow::setDarkTheme);

    m_check = makeAction(QStringLiteral("lab-check"), tr("&Check Lab"), QKeySequence(Qt::Key_F7),
                         tr("Run the fault-domain check: quorum, racks, PSUs, switches"));
    connect(m_check, &QAction::triggered, this, [this]() {
        runCheckNow();
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("CheckDock"))) {
            dock->show();
            dock->raise();
        }
        QString summary = m_checkResults->summaryText();
        summary.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
        log(tr("Check: %1").arg(summary));
    });
    m_wizard = makeAction(QStringLiteral("lab-wizard"), tr("Setup &Wizard…"),
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W),
                          tr("Plan, discover and provision the lab step by step"));
    connect(m_wizard, &QAction::triggered, this, &MainWindow::onSetupWizard);
    createSwarmActions();
    createBoardShortcuts();
    m_about =
        makeAction(QStringLiteral("help-about"), tr("&About Hivelab"), QKeySequence(), QString());
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, this, &MainWindow::onAbout);
}

void MainWindow::wireControllers()
{
    connect(m_files, &DocumentController::saved, m_undoStack, &QUndoStack::setClean);
    connect(m_jobs, &SwarmJobController::started, this, &MainWindow::onJobStarted);
    connect(m_jobs, &SwarmJobController::finished, this, &MainWindow::onJobFinished);
    connect(m_live, &LiveStatusController::enabledChanged, this, [this](bool on) {
        m_liveStatus->setChecked(on);
        if (on)
            log(tr("Live status on: asking the managers every %1 s").arg(m_live->intervalMs() / 1000));
        else
            log(tr("Live status off"));
    });
    connect(m_live, &LiveStatusController::answerChanged, this, &MainWindow::onLiveAnswer);
    connect(m_live, &LiveStatusController::labelsOutOfDateChanged, this,
            [this](const QStringList &boardIds) {
                if (!boardIds.isEmpty())
                    log(tr("Live status: node labels out of date on %1 (Lab ▸ Apply Placement to "
                           "Swarm)")
                            .arg(boardIds.join(QStringLiteral(", "))),
                        {}, Severity::Warning);
            });
    connect(m_live, &LiveStatusController::refreshed, this, &MainWindow::liveStatusUpdated);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_new);
    file->addAction(m_open);
    file->addAction(m_openDemo);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_saveAs);
    file->addSeparator();
    file->addAction(m_exportPng);
    file->addAction(m_exportSvg);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undo);
    edit->addAction(m_redo);
    edit->addSeparator();
    edit->addAction(m_delete);

    // The board context menu for the selection, with its keys: every board action without a
    // mouse (also Shift+F10 or the context-menu key on the canvas).
    QMenu *board = menuBar()->addMenu(tr("&Board"));
    board->setObjectName(QStringLiteral("boardBarMenu"));
    connect(board, &QMenu::aboutToShow, this, [this, board]() {
        // clear() leaves submenus (Move) alive: they go too.
        qDeleteAll(board->findChildren<QMenu *>(QString(), Qt::FindDirectChildrenOnly));
        board->clear();
        fillBoardMenu(board, m_scene->selectedBoardIds());
    });

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_zoomIn);
    m_viewMenu->addAction(m_zoomOut);
    m_viewMenu->addAction(m_zoomFit);
    m_viewMenu->addSeparator();
    const auto docks = findChildren<QDockWidget *>();
    for (QDockWidget *dock : docks)
        m_viewMenu->addAction(dock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_dark);

    QMenu *lab = menuBar()->addMenu(tr("&Lab"));
    lab->setToolTipsVisible(true);
    lab->addAction(m_check);
    lab->addAction(m_wizard);
    lab->addSeparator();
    // Gear actions for the rack, PSU or switch the inspector shows (new gear goes into its rack).
    QMenu *gear = lab->addMenu(tr("Racks, &Power && Switches"));
    gear->setObjectName(QStringLiteral("gearMenu"));
    connect(gear, &QMenu::aboutToShow, this, [this, gear]() {
        gear->clear();
        m_gear->addActions(gear, m_inspector->objectKind(), m_inspector->objectId());
    });
    lab->addSeparator();
    lab->addAction(m_formSwarm);
    lab->addAction(m_refreshSwarm);
    lab->addAction(m_applyPlacement);
    lab->addAction(m_liveStatus);
    lab->addSeparator();
    lab->addAction(m_writeCards);
    lab->addAction(m_identify);
    lab->addAction(m_keyLogin);
    lab->addAction(m_remoteAccess);
    lab->addAction(m_applyAddresses);
    lab->addAction(m_deployStack);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);

    QToolBar *tb = addToolBar(tr("Main"));
    m_toolBar = tb;
    tb->setObjectName(QStringLiteral("MainToolBar"));
    tb->setMovable(false);
    tb->setIconSize(QSize(20, 20));
    tb->addAction(m_new);
    tb->addAction(m_open);
    tb->addAction(m_save);
    tb->addSeparator();
    tb->addAction(m_undo);
    tb->addAction(m_redo);
    tb->addSeparator();
    tb->addAction(m_zoomIn);
    tb->addAction(m_zoomOut);
    tb->addAction(m_zoomFit);
    tb->addSeparator();
    tb->addAction(m_check);
    tb->addAction(m_wizard);
    tb->addAction(m_formSwarm);
    tb->addAction(m_liveStatus);
    tb->addSeparator();
    tb->addAction(m_exportPng);
    // One style for every button: icons, each named by its tooltip (and in the menus).
    tb->setToolButtonStyle(Qt::ToolButtonIconOnly);
    // Icon-only buttons: a screen reader says the action's name, without its mnemonic.
    for (QAction *a : tb->actions()) {
        if (QWidget *button = tb->widgetForAction(a); button && !a->isSeparator())
            button->setAccessibleName(a->text().remove(QLatin1Char('&')));
    }
}

void MainWindow::createDocks()
{
    m_inventoryModel = new InventoryProxyModel(m_document, this);
    connect(m_inventoryModel, &InventoryProxyModel::edited, this,
            [this](const Board &before, const Board &after) {
                auto *cmd = new EditBoardsCommand(m_document, {before}, {after},
                                                  tr("Edit %1").arg(after.name));
                cmd->setAlreadyApplied();
                pushEdit(cmd);
            });
    m_inventoryView = new WholeRowsView<QTableView>(this);
    // Each text shaped once for the column fitting and the paints (the style shapes it again
    // for each of them, three times a paint).
    m_inventoryView->setItemDelegate(new ShapedTextDelegate(m_inventoryView));
    // Its titles measured once, not at each change of the table's geometry.
    auto *inventoryHeader = new SizeCachedHeaderView(Qt::Horizontal, m_inventoryView);
    inventoryHeader->setSectionsClickable(true); // as QTableView's own
    m_inventoryView->setHorizontalHeader(inventoryHeader);
    // Measured with room for the sort indicator from the start (the view sorts, below).
    inventoryHeader->setSortIndicatorShown(true);
    m_inventoryView->setModel(m_inventoryModel);
    m_inventoryView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_inventoryView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_inventoryView->setAlternatingRowColors(true);
    m_inventoryView->setWordWrap(false);
    m_inventoryView->setSortingEnabled(true);
    m_inventoryView->sortByColumn(-1, Qt::AscendingOrder); // document order until a click
    m_inventoryView->setShowGrid(false);
    m_inventoryView->verticalHeader()->hide();
    m_inventoryView->verticalHeader()->setDefaultSectionSize(24);
    m_inventoryView->horizontalHeader()->setStretchLastSection(true);
    m_inventoryView->horizontalHeader()->setHighlightSections(false);
    m_inventoryView->setEditTriggers(QAbstractItemView::DoubleClicked |
                                     QAbstractItemView::EditKeyPressed);
    // Columns as wide as their content (a cap elides the rare long one, in full in its
    // tooltip), again whenever another lab is opened.
    m_inventoryView->setTextElideMode(Qt::ElideRight);
    // An empty table says why it is empty.
    m_inventoryHint = new QLabel(tr("No boards yet — they appear here once the setup wizard "
                                    "(Lab ▸ Setup Wizard…) has discovered or added them."),
                                 m_inventoryView->viewport());
    m_inventoryHint->setObjectName(QStringLiteral("inventoryEmptyHint"));
    m_inventoryHint->setWordWrap(true);
    m_inventoryHint->setAlignment(Qt::AlignCenter);
    m_inventoryHint->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_inventoryHint->setForegroundRole(QPalette::PlaceholderText);
    auto *inventoryHintLayout = new QVBoxLayout(m_inventoryView->viewport());
    inventoryHintLayout->addWidget(m_inventoryHint, 0, Qt::AlignCenter);
    // What tells boards apart and where they are first, so a half-width dock still shows the
    // rack and slot; the host name (mostly the board's name) and the cabling last. The view
    // would lay itself out after each move (measuring every column's title): once is enough.
    {
        QHeaderView *header = m_inventoryView->horizontalHeader();
        const QSignalBlocker quiet(header);
        const int order[] = {BoardTableModel::NameColumn,    BoardTableModel::RoleColumn,
                             BoardTableModel::StateColumn,   BoardTableModel::RackSlotColumn,
                             BoardTableModel::IpColumn,      BoardTableModel::ModelColumn,
                             BoardTableModel::OsColumn,      BoardTableModel::ArchColumn,
                             BoardTableModel::HostnameColumn, BoardTableModel::PsuColumn,
                             BoardTableModel::SwitchPortColumn};
        for (int visual = 0; visual < int(std::size(order)); ++visual)
            header->moveSection(header->visualIndex(order[visual]), visual);
    }
    m_inventoryView->doItemsLayout(); // what each move's signal did
    fitInventoryColumns(0, m_inventoryModel->columnCount() - 1, false);
    connect(m_inventoryModel, &QAbstractItemModel::modelReset, this, [this]() {
        fitInventoryColumns(0, m_inventoryModel->columnCount() - 1, false);
    });
    // Live state makes texts longer ("In swarm, drained"): a column grows to show them, never
    // shrinks under the user's hands.
    connect(m_inventoryModel, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                fitInventoryColumns(from.column(), to.column(), true);
            });
    connect(m_inventoryView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onTableSelection);
    m_inventoryView->setAccessibleName(tr("Inventory"));
    m_inventoryView->setAccessibleDescription(
        tr("Every board with its role and state in words; selecting rows selects the boards on "
           "the canvas"));

    m_inspector = new InspectorWidget(m_document, this);
    connect(m_inspector, &InspectorWidget::editRequested, this,
            [this](const Board &after) { pushEdit(EditBoardsCommand::edit(m_document, after)); });
    connect(m_inspector, &InspectorWidget::moveRequested, this,
            [this](const QString &id, const QString &rackId, int slot) {
                pushEdit(EditBoardsCommand::moves(m_document, {{id, rackId, slot}}));
            });
    connect(m_inspector, &InspectorWidget::rackEditRequested, this,
            [this](const Rack &after) { pushEdit(EditInfraCommand::rack(m_document, after)); });
    connect(m_inspector, &InspectorWidget::powerSupplyEditRequested, this,
            [this](const PowerSupply &after) {
                pushEdit(EditInfraCommand::powerSupply(m_document, after));
            });
    connect(m_inspector, &InspectorWidget::switchEditRequested, this,
            [this](const NetworkSwitch &after) {
                pushEdit(EditInfraCommand::networkSwitch(m_document, after));
            });

    m_checkResults = new CheckResultsWidget(this);
    connect(m_checkResults, &CheckResultsWidget::findingActivated, this,
            &MainWindow::onFindingActivated);
    m_log = new LogConsole(this);
    m_checkResults->setAccessibleName(tr("Check results"));
    m_checkResults->tree()->setAccessibleName(tr("Findings"));
    m_log->setAccessibleName(tr("Log"));
    m_inspector->setAccessibleName(tr("Inspector"));

    auto dock = [this](const QString &name, const QString &title, QWidget *w,
                       Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setAccessibleName(title);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                       QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget *inventory = dock(QStringLiteral("InventoryDock"), tr("Inventory"), m_inventoryView,
                                  Qt::BottomDockWidgetArea);
    QDockWidget *check = dock(QStringLiteral("CheckDock"), tr("Check Results"), m_checkResults,
                              Qt::BottomDockWidgetArea);
    QDockWidget *logDock =
        dock(QStringLiteral("LogDock"), tr("Log"), m_log, Qt::BottomDockWidgetArea);
    QDockWidget *inspector = dock(QStringLiteral("InspectorDock"), tr("Inspector"), m_inspector,
                                  Qt::RightDockWidgetArea);
    splitDockWidget(inventory, check, Qt::Horizontal);
    tabifyDockWidget(check, logDock);
    check->raise();
    // The log starts behind the check results: its lines are laid out once it is on screen.
    m_log->setOnScreen(false);
    connect(logDock, &QDockWidget::visibilityChanged, m_log, &LogConsole::setOnScreen);
    resizeDocks({inventory, check}, {760, 520}, Qt::Horizontal);
    resizeDocks({inventory}, {250}, Qt::Vertical);
    resizeDocks({inspector}, {300}, Qt::Horizontal);
}

void MainWindow::fitInventoryColumns(int from, int to, bool growOnly)
{
    // Content plus a margin, at most 220 px; the last column stretches.
    QHeaderView *header = m_inventoryView->horizontalHeader();
    const auto *view = static_cast<const QAbstractItemView *>(m_inventoryView);
    const int last = m_inventoryModel->columnCount() - 1;
    for (int c = from; c <= to && c < last; ++c) {
        const int content = qMax(view->sizeHintForColumn(c),
                                 header->isHidden() ? 0 : header->sectionSizeHint(c));
        const int wanted = qMin(content + 8, 220);
        if (!growOnly || header->sectionSize(c) < wanted)
            header->resizeSection(c, wanted);
    }
}

void MainWindow::createStatusBar()
{
    m_statusBoards = new QLabel(this);
    m_statusQuorum = new QLabel(this);
    m_statusCheckIcon = new QLabel(this);
    m_statusCheck = new QLabel(this);
    m_statusZoom = new QLabel(QStringLiteral("100 %"), this);
    m_statusZoom->setToolTip(tr("Canvas zoom (Ctrl+wheel; Ctrl+0 fits the lab)"));
    m_statusZoom->setAccessibleName(tr("Zoom"));
    m_statusCheckIcon->setAccessibleName(tr("Check status"));
    statusBar()->addPermanentWidget(m_statusBoards);
    statusBar()->addPermanentWidget(m_statusQuorum);
    statusBar()->addPermanentWidget(m_statusCheckIcon);
    statusBar()->addPermanentWidget(m_statusCheck);
    statusBar()->addPermanentWidget(m_statusZoom);
    m_jobProgress = new QProgressBar(this);
    m_jobProgress->setObjectName(QStringLiteral("jobProgress"));
    m_jobProgress->setMaximumWidth(160);
    m_jobProgress->setFormat(tr("%v of %m boards"));
    m_jobProgress->setAccessibleName(tr("Job progress"));
    m_jobProgress->hide();
    m_jobCancel = new QToolButton(this);
    m_jobCancel->setDefaultAction(m_cancelJob);
    m_jobCancel->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_jobCancel->hide();
    statusBar()->addPermanentWidget(m_jobProgress);
    statusBar()->addPermanentWidget(m_jobCancel);
}

void MainWindow::setDarkTheme(bool dark)
{
    if (dark != Theme::isDark())
        Theme::apply(dark);
    QSettings().setValue(QStringLiteral("view/dark"), dark);
    if (m_dark->isChecked() != dark)
        m_dark->setChecked(dark);
    refreshIcons();
    // Cached cards must repaint in the new colours.
    const auto items = m_scene->items();
    for (QGraphicsItem *item : items)
        item->update();
    m_scene->update();
    if (m_checked)
        m_checkResults->setReport(m_report, m_document->lab());
    updateStatus();
}

void MainWindow::onDelete()
{
    const QStringList ids = m_scene->selectedBoardIds();
    if (ids.isEmpty())
        return;
    pushEdit(new RemoveBoardsCommand(m_document, ids));
}

void MainWindow::onAbout()
{
    QMessageBox::about(
        this, tr("About Hivelab"),
        tr("<h3>Hivelab %1</h3><p>Plan, provision and run a fault-tolerant Docker Swarm on "
           "single-board computers.</p><p>Licensed under the GNU GPL version 3 or later.</p>")
            .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::onSetupWizard()
{
    openSetupWizard();
}

SetupWizard *MainWindow::openSetupWizard(int startPage)
{
    // One store for the window and the wizard: without a keychain its memory-only passwords
    // then serve both for the session.
    auto *wizard = new SetupWizard(m_document, this, m_jobs->credentialStore());
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setUndoStack(m_undoStack); // wizard and canvas edits undo in one order
    if (startPage >= 0)
        wizard->setStartId(startPage);
    // Passwords typed there but not remembered stay usable for this session's swarm jobs.
    connect(wizard, &QDialog::finished, this, [this, wizard]() {
        for (const Board &b : m_document->lab().boards) {
            const QString pw = wizard->password(b.id);
            if (!pw.isEmpty())
                m_jobs->setSessionPassword(b.id, pw);
        }
    });
    connect(wizard, &SetupWizard::demoRequested, this, [this]() {
        if (maybeSave())
            openDemo();
    });
    wizard->open();
    return wizard;
}

bool MainWindow::startDragPreview(const QString &boardId, const QString &rackId, int slot)
{
    BoardItem *item = m_scene->boardItem(boardId);
    const QRectF target = m_scene->slotRect(rackId, slot);
    if (!item || target.isEmpty())
        return false;
    const QPoint from = m_view->mapFromScene(
        item->pos() + QPointF(CanvasMetrics::CardWidth / 2, CanvasMetrics::CardHeight / 2));
    // Stop a little short of the slot centre so the card visibly hovers over the target.
    const QPoint to = m_view->mapFromScene(target.center() + QPointF(-18, -14));
    QWidget *vp = m_view->viewport();
    auto send = [vp](QEvent::Type type, const QPoint &pos, Qt::MouseButtons buttons) {
        QMouseEvent event(type, QPointF(pos), QPointF(vp->mapToGlobal(pos)),
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                          Qt::NoModifier);
        QApplication::sendEvent(vp, &event);
    };
    send(QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int i = 1; i <= 8; ++i)
        send(QEvent::MouseMove, from + (to - from) * i / 8, Qt::LeftButton);
    return true;
}

void MainWindow::pushEdit(QUndoCommand *command)
{
    if (command)
        m_undoStack->push(command);
}

void MainWindow::onUndoIndexChanged(int index)
{
    // One log line per done/undone command, tagged with its boards for the per-board filter.
    const bool forward = index > m_lastUndoIndex;
    const int commandIndex = forward ? index - 1 : index;
    m_lastUndoIndex = index;
    const QUndoCommand *cmd = m_undoStack->command(commandIndex);
    if (!cmd)
        return;
    QStringList ids;
    if (const auto *edit = dynamic_cast<const EditBoardsCommand *>(cmd))
        ids = edit->boardIds();
    else if (const auto *remove = dynamic_cast<const RemoveBoardsCommand *>(cmd))
        ids = remove->boardIds();
    log(forward ? cmd->text() : tr("Undo: %1").arg(cmd->text()), ids);
}

void MainWindow::runCheckNow()
{
    m_checkTimer->stop();
    m_checked = true;
    m_report = checkLab(m_document->lab(), BoardCatalog::builtin());
    QStringList liveManagers; // what the last form/status saw
    for (const Board *b : m_document->lab().managers()) {
        if (m_document->nodeState(b->id) == NodeState::SwarmReady)
            liveManagers << b->id;
    }
    m_report.findings += checkLiveManagers(m_document->lab(), liveManagers);
    m_report.findings += checkServiceReplicas(m_document->lab(), m_document->serviceTasks());
    m_scene->setCheckReport(m_report);
    m_checkResults->setReport(m_report, m_document->lab());
    updateStatus();
}

void MainWindow::updateTitle()
{
    const QString name = m_document->filePath().isEmpty()
                             ? m_document->lab().name
                             : QFileInfo(m_document->filePath()).fileName();
    setWindowTitle(name.isEmpty() ? tr("Hivelab") : name + QStringLiteral("[*]"));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateStatus()
{
    const Lab &lab = m_document->lab();
    m_emptyHint->setVisible(lab.boards.isEmpty() && lab.racks.isEmpty());
    m_inventoryHint->setVisible(lab.boards.isEmpty());
    m_statusBoards->setText(plural(int(lab.boards.size()), tr("%1 board"), tr("%1 boards")) +
                            QStringLiteral(" · ") +
                            plural(int(lab.racks.size()), tr("%1 rack"), tr("%1 racks")));
    const int managers = int(lab.managers().size());
    m_statusQuorum->setText(managers > 0
                                ? plural(managers, tr("%1 manager"), tr("%1 managers")) +
                                      QStringLiteral(", ") + tr("quorum %1").arg(managers / 2 + 1)
                                : tr("no managers"));
    updateActions();
    if (!m_checked)
        return; // the check's part waits for the check
    const int errors = m_report.count(Severity::Error);
    const int warnings = m_report.count(Severity::Warning);
    QIcon icon;
    QString text;
    if (errors > 0) {
        icon = Theme::severityIcon(Severity::Error);
        text = plural(errors, tr("%1 error"), tr("%1 errors"));
        if (warnings > 0)
            text += QStringLiteral(", ") + plural(warnings, tr("%1 warning"), tr("%1 warnings"));
    } else if (warnings > 0) {
        icon = Theme::severityIcon(Severity::Warning);
        text = plural(warnings, tr("%1 warning"), tr("%1 warnings"));
    } else if (m_report.isEmptyLab()) {
        icon = Theme::severityIcon(Severity::Info);
        text = tr("no boards yet");
    } else {
        icon = Theme::icon(QStringLiteral("severity-ok"));
        text = tr("check passed");
    }
    m_statusCheckIcon->setPixmap(icon.pixmap(16, 16));
    m_statusCheck->setText(text);
}

void MainWindow::updateActions()
{
    m_delete->setEnabled(!m_scene->selectedBoardIds().isEmpty());
    const bool busy = m_jobs->isBusy();
    const bool managers = !m_document->lab().managers().isEmpty();
    m_formSwarm->setEnabled(!busy && managers);
    m_refreshSwarm->setEnabled(!busy && managers);
    m_applyPlacement->setEnabled(!busy && managers);
    m_keyLogin->setEnabled(!busy && !m_document->lab().boards.isEmpty());
    m_identify->setEnabled(!busy && !m_document->lab().boards.isEmpty());
    m_remoteAccess->setEnabled(!busy && !m_document->lab().boards.isEmpty());
    m_applyAddresses->setEnabled(!busy &&
                                 !AddressApply::applicableBoards(m_document->lab()).isEmpty());
    m_writeCards->setEnabled(!m_document->lab().boards.isEmpty());
    m_deployStack->setEnabled(!busy && managers);
    QString formTip = tr("Start the swarm on the first manager (or reuse the running one) and join "
                         "every planned board over SSH");
    QString refreshTip = tr("Ask the managers for the swarm's nodes and update the board LEDs");
    if (busy)
        formTip = refreshTip = tr("A swarm job is running: wait for it or cancel it");
    else if (!managers)
        formTip = refreshTip = tr("Needs at least one manager: promote a board first");
    m_formSwarm->setToolTip(formTip);
    m_formSwarm->setStatusTip(formTip);
    m_refreshSwarm->setToolTip(refreshTip);
    m_refreshSwarm->setStatusTip(refreshTip);
}

void MainWindow::onBoardSelection(const QStringList &boardIds)
{
    m_inspector->setBoardIds(boardIds);
    updateActions();
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    QItemSelection selection;
    for (const QString &id : boardIds) {
        const QModelIndex first = m_inventoryModel->indexOf(id, 0);
        if (first.isValid())
            selection.select(first, first.siblingAtColumn(m_inventoryModel->columnCount() - 1));
    }
    m_inventoryView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (boardIds.size() == 1) {
        const QModelIndex first = m_inventoryModel->indexOf(boardIds.first(), 0);
        if (first.isValid())
            m_inventoryView->scrollTo(first);
    }
    m_syncingSelection = false;
}

void MainWindow::onTableSelection()
{
    if (m_syncingSelection)
        return;
    m_syncingSelection = true;
    QStringList ids;
    const auto rows = m_inventoryView->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids.append(row.data(BoardTableModel::BoardIdRole).toString());
    m_scene->selectBoards(ids);
    if (ids.size() == 1) {
        if (BoardItem *item = m_scene->boardItem(ids.first()))
            m_view->ensureVisible(item, 40, 40);
    }
    m_inspector->setBoardIds(ids);
    m_syncingSelection = false;
}

void MainWindow::onFindingActivated(const QStringList &objectIds)
{
    m_scene->highlightObjects(objectIds);
    for (const QString &id : objectIds) {
        QGraphicsItem *item = m_scene->boardItem(id);
        if (!item)
            item = m_scene->rackItem(id);
        if (item) {
            m_view->ensureVisible(item, 40, 40);
            break;
        }
    }
}

void MainWindow::onContextMenu(const QStringList &boardIds, const QPoint &screenPos)
{
    QMenu *menu = createBoardMenu(boardIds);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(screenPos);
}

QMenu *MainWindow::createBoardMenu(const QStringList &boardIds)
{
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("boardMenu"));
    fillBoardMenu(menu, boardIds);
    return menu;
}

void MainWindow::createBoardShortcuts()
{
    for (const BoardKey &k : BoardKeys) {
        if (keyHandledElsewhere(k.action))
            continue;
        auto *a = new QAction(this);
        a->setObjectName(QStringLiteral("shortcut-%1").arg(QLatin1String(k.action)));
        a->setShortcut(QKeySequence(k.key));
        addAction(a);
        connect(a, &QAction::triggered, this,
                [this, name = QLatin1String(k.action)]() { triggerBoardAction(name); });
    }
}

bool MainWindow::triggerBoardAction(const QString &objectName)
{
    const QStringList ids = m_scene->selectedBoardIds();
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select a board first (Tab or the arrow keys on the canvas)"),
                                 5000);
        return false;
    }
    const std::unique_ptr<QMenu> menu(createBoardMenu(ids));
    auto *action = menu->findChild<QAction *>(objectName);
    if (!action)
        return false;
    if (!action->isEnabled()) {
        statusBar()->showMessage(
            tr("%1: not available now. %2")
                .arg(action->text().remove(QLatin1Char('&')), action->toolTip()),
            8000);
        return false;
    }
    action->trigger();
    return true;
}

void MainWindow::fillBoardMenu(QMenu *menu, const QStringList &boardIds)
{
    menu->setToolTipsVisible(true);
    const Lab &lab = m_document->lab();
    bool anyWorker = false;
    bool anyManager = false;
    for (const QString &id : boardIds) {
        if (const Board *b = lab.board(id)) {
            anyManager |= b->role == Role::Manager;
            anyWorker |= b->role != Role::Manager;
        }
    }
    QAction *promote =
        menu->addAction(Theme::icon(QStringLiteral("board-promote")), tr("&Promote to Manager"));
    promote->setObjectName(QStringLiteral("promote"));
    promote->setEnabled(anyWorker);
    connect(promote, &QAction::triggered, this, [this, boardIds]() {
        pushEdit(EditBoardsCommand::setRole(m_document, boardIds, Role::Manager));
    });
    QAction *demote =
        menu->addAction(Theme::icon(QStringLiteral("board-demote")), tr("&Demote to Worker"));
    demote->setObjectName(QStringLiteral("demote"));
    demote->setEnabled(anyManager);
    connect(demote, &QAction::triggered, this, [this, boardIds]() {
        pushEdit(EditBoardsCommand::setRole(m_document, boardIds, Role::Worker));
    });
    menu->addSeparator();
    QAction *ssh =
        menu->addAction(Theme::icon(QStringLiteral("terminal")), tr("Copy &SSH Command"));
    ssh->setObjectName(QStringLiteral("copySsh"));
    const Board *single = boardIds.size() == 1 ? lab.board(boardIds.first()) : nullptr;
    ssh->setEnabled(single && !single->sshTarget().isEmpty());
    if (single) {
        QString command = QStringLiteral("ssh ");
        if (single->sshPort != 22)
            command += QStringLiteral("-p %1 ").arg(single->sshPort);
        command += single->sshUser.isEmpty()
                       ? single->sshTarget()
                       : single->sshUser + QLatin1Char('@') + single->sshTarget();
        ssh->setToolTip(command);
        connect(ssh, &QAction::triggered, this, [this, command, id = single->id]() {
            QApplication::clipboard()->setText(command);
            log(tr("Copied \"%1\" to the clipboard").arg(command), {id});
        });
    }
    QAction *connectAction = menu->addAction(tr("&Connect…"));
    connectAction->setObjectName(QStringLiteral("connect"));
    connectAction->setToolTip(tr("Sign in, check host key fingerprints and remember passwords "
                                 "(the Setup Wizard's Connect step)"));
    connect(connectAction, &QAction::triggered, this,
            [this]() { openSetupWizard(SetupWizard::ConnectPageId); });
    addSwarmMenuActions(menu, boardIds);
    menu->addSeparator();
    // Moving by keyboard: the same undoable move as a drag (swap, re-cabling).
    QMenu *moveMenu = menu->addMenu(tr("Mo&ve"));
    moveMenu->setObjectName(QStringLiteral("moveMenu"));
    const QString mover = boardIds.size() == 1 ? boardIds.first() : QString();
    auto addMove = [this, moveMenu, &mover](const char *name, const QString &text, int dRack,
                                            int dSlot) {
        QAction *a = moveMenu->addAction(text);
        a->setObjectName(QLatin1String(name));
        QString rackId;
        int slot = -1;
        const bool possible =
            !mover.isEmpty() && m_scene->neighbourSlot(mover, dRack, dSlot, &rackId, &slot);
        a->setEnabled(possible);
        if (possible) {
            const Lab &current = m_document->lab();
            const Board *there = current.boardAt(rackId, slot);
            QString tip = tr("To %1, slot %2").arg(current.rack(rackId)->name).arg(slot + 1);
            if (there && there->id != mover)
                tip += tr(" (swaps with %1)").arg(there->name);
            a->setToolTip(tip);
        } else {
            a->setToolTip(mover.isEmpty() ? tr("Select one board to move it")
                                          : tr("No slot there"));
        }
        connect(a, &QAction::triggered, this,
                [this, mover, dRack, dSlot]() { m_scene->moveBoardBy(mover, dRack, dSlot); });
    };
    addMove("moveUp", tr("Slot &Up"), 0, -1);
    addMove("moveDown", tr("Slot &Down"), 0, 1);
    addMove("movePreviousRack", tr("&Previous Rack"), -1, 0);
    addMove("moveNextRack", tr("&Next Rack"), 1, 0);
    moveMenu->setToolTipsVisible(true);
    QAction *remove = menu->addAction(Theme::icon(QStringLiteral("edit-delete")), tr("Re&move"));
    remove->setObjectName(QStringLiteral("remove"));
    connect(remove, &QAction::triggered, this,
            [this, boardIds]() { pushEdit(new RemoveBoardsCommand(m_document, boardIds)); });
    remove->setShortcut(QKeySequence::Delete);
    // Shown here; the window's actions and the canvas act on them (WidgetShortcut: these
    // copies never fire by themselves, not even from the menu bar's Board menu).
    const auto actions = menu->findChildren<QAction *>();
    for (QAction *a : actions) {
        a->setShortcutContext(Qt::WidgetShortcut);
        a->setShortcutVisibleInContextMenu(true);
        for (const BoardKey &k : BoardKeys) {
            if (a->objectName() == QLatin1String(k.action))
                a->setShortcut(QKeySequence(k.key));
        }
        if (a->objectName() == QLatin1String("identifyBoards"))
            a->setShortcut(m_identify->shortcut());
    }
}

void MainWindow::log(const QString &text, const QStringList &boardIds, Severity severity)
{
    m_log->append(text, boardIds, severity);
}

void MainWindow::refreshLogBoards()
{
    QList<QPair<QString, QString>> boards;
    for (const Board &b : m_document->lab().boards)
        boards.append({b.id, b.name});
    m_log->setBoards(boards);
}

void MainWindow::showEvent(QShowEvent *event)
{
    // The toolbar is in the first frame: its icons are drawn on the thread pool while the window
    // is laid out and its canvas painted (13 SVG renders, 3.3 M instructions off the GUI thread
    // under callgrind), in the state the lab opened gave the actions.
    if (!event->spontaneous() && m_toolBarIconsPending) {
        m_toolBarIconsPending = false;
        for (QAction *a : m_toolBar->actions()) {
            const QString name = a->property(IconProperty).toString();
            if (!name.isEmpty())
                Theme::renderAhead(name, m_toolBar->iconSize() * devicePixelRatioF(),
                                   a->isEnabled() ? QIcon::Normal : QIcon::Disabled);
        }
    }
    QMainWindow::showEvent(event);
}

bool MainWindow::event(QEvent *event)
{
    // The window's icon is the window manager's (task bar, switcher), never drawn in the window:
    // set at construction, the window system's plugin rendered it from SVG at four sizes before
    // the first frame (2.4 M instructions under callgrind). It is set on the turn after the
    // first paint instead. The type first: events come during construction (children added),
    // before m_iconPending is set.
    if (event->type() == QEvent::Paint && m_iconPending) {
        m_iconPending = false;
        QMetaObject::invokeMethod(
            this, [this]() { setWindowIcon(Theme::appIcon()); }, Qt::QueuedConnection);
    }
    return QMainWindow::event(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace Hivelab
