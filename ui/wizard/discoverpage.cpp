// SPDX-License-Identifier: GPL-3.0-or-later
#include "discoverpage.h"

#include "boardcatalog.h"
#include "discoveredhost.h"
#include "discoveryservice.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labmerge.h"
#include "networksuggestions.h"
#include "plural.h"
#include "scantargets.h"
#include "setupwizard.h"
#include "wholerowsview.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Hivelab {

namespace {

// QT_LOGGING_RULES="hivelab.wizard.debug=true": when the scan's first row reaches the table.
Q_LOGGING_CATEGORY(lcWizard, "hivelab.wizard", QtWarningMsg)

QString statusHtml(const QString &icon, const QString &text)
{
    return QStringLiteral("<img src=\":/hivelab/wizard/%1.svg\" width=14 height=14>&nbsp;%2")
        .arg(icon, text.toHtmlEscaped());
}

} // namespace

DiscoverPage::DiscoverPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_scanner(new DiscoveryService(this))
{
    setTitle(tr("Discover boards"));
    setSubTitle(tr("Tell Hivelab which boards belong to the lab. Each board goes into the first "
                   "free rack slot; you can move it later on the canvas."));

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(10);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(createScanBox(splitter));
    splitter->addWidget(createBoardsBox(splitter));
    layout->addWidget(splitter, 1);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("discoverMessage"));
    m_message->setWordWrap(true);
    layout->addWidget(m_message);

    connectWidgets();
    onModelChanged();
    updateScanButtons();
}

QGroupBox *DiscoverPage::createScanBox(QWidget *parent)
{
    auto *scanBox = new QGroupBox(tr("Scan the network"), parent);
    auto *scanLayout = new QVBoxLayout(scanBox);
    auto *scanRow = new QHBoxLayout;
    auto *rangeLabel = new QLabel(tr("Net&work:"), scanBox);
    scanRow->addWidget(rangeLabel);
    m_range = new QLineEdit(scanBox);
    m_range->setObjectName(QStringLiteral("scanRange"));
    m_range->setPlaceholderText(tr("e.g. 192.168.1.0/24 or 192.168.1.10-60"));
    m_range->setClearButtonEnabled(true);
    rangeLabel->setBuddy(m_range);
    scanRow->addWidget(m_range, 2);
    m_suggestions = new QComboBox(scanBox);
    m_suggestions->setObjectName(QStringLiteral("scanSuggestions"));
    m_suggestions->setToolTip(tr("Networks this computer is connected to"));
    scanRow->addWidget(m_suggestions, 2);
    auto *portsLabel = new QLabel(tr("SSH &ports:"), scanBox);
    scanRow->addWidget(portsLabel);
    m_ports = new QLineEdit(QStringLiteral("22"), scanBox);
    m_ports->setObjectName(QStringLiteral("scanPorts"));
    m_ports->setMaximumWidth(90);
    portsLabel->setBuddy(m_ports);
    scanRow->addWidget(m_ports);
    m_scan = new QPushButton(tr("&Scan"), scanBox);
    m_scan->setObjectName(QStringLiteral("scanButton"));
    m_cancelScan = new QPushButton(tr("Ca&ncel"), scanBox);
    m_cancelScan->setObjectName(QStringLiteral("cancelScan"));
    scanRow->addWidget(m_scan);
    scanRow->addWidget(m_cancelScan);
    scanLayout->addLayout(scanRow);
    m_scanNote = new QLabel(scanBox);
    m_scanNote->setObjectName(QStringLiteral("scanNote"));
    m_scanNote->setWordWrap(true);
    m_scanNote->setText(tr("Hivelab only probes the addresses you enter, and only when you press "
                           "Scan. Scan only networks you own."));
    scanLayout->addWidget(m_scanNote);
    auto *found = new WholeRowsView<QTableWidget>(scanBox);
    found->setEmptyHint(tr("Hosts a scan finds appear here."));
    m_found = found;
    m_found->setObjectName(QStringLiteral("scanResults"));
    m_found->setColumnCount(7);
    m_found->setHorizontalHeaderLabels(
        {tr("IP"), tr("MAC"), tr("Vendor"), tr("Host name"), tr("SSH"), tr("Hints"), tr("In lab")});
    m_found->verticalHeader()->hide();
    m_found->setAlternatingRowColors(true);
    m_found->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_found->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_found->horizontalHeader()->setStretchLastSection(true);
    scanLayout->addWidget(m_found, 1);
    auto *foundRow = new QHBoxLayout;
    foundRow->addStretch(1);
    m_addFound = new QPushButton(tr("Add &ticked hosts to the lab"), scanBox);
    m_addFound->setObjectName(QStringLiteral("addFound"));
    foundRow->addWidget(m_addFound);
    scanLayout->addLayout(foundRow);
    return scanBox;
}

QGroupBox *DiscoverPage::createBoardsBox(QWidget *parent)
{
    auto *manualBox = new QGroupBox(tr("Boards in the lab · add manually"), parent);
    auto *manual = new QVBoxLayout(manualBox);
    auto *form = new QHBoxLayout;
    m_name = new QLineEdit(manualBox);
    m_name->setObjectName(QStringLiteral("boardName"));
    m_name->setPlaceholderText(tr("Name, e.g. pine-1"));
    m_ip = new QLineEdit(manualBox);
    m_ip->setObjectName(QStringLiteral("boardIp"));
    m_ip->setPlaceholderText(tr("IP address"));
    m_model = new QComboBox(manualBox);
    m_model->setObjectName(QStringLiteral("boardModel"));
    for (const BoardModelInfo &m : BoardCatalog::builtin().models())
        m_model->addItem(m.name, m.id);
    m_os = new QComboBox(manualBox);
    m_os->setObjectName(QStringLiteral("boardOs"));
    m_os->setEditable(true);
    // Wide enough for the catalog's names ("DietPi (Debian bookworm)"); the list opens as wide
    // as its longest entry, and the full text is in the tooltip where the box must elide.
    m_model->setMinimumContentsLength(18);
    m_os->setMinimumContentsLength(24);
    for (QComboBox *box : {m_os, m_model}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        connect(box, &QComboBox::currentTextChanged, box, &QWidget::setToolTip);
    }
    m_name->setMinimumWidth(100);
    m_ip->setMinimumWidth(100);
    m_add = new QPushButton(tr("&Add board"), manualBox);
    m_add->setObjectName(QStringLiteral("addBoard"));
    form->addWidget(m_name, 2);
    form->addWidget(m_ip, 2);
    form->addWidget(m_model, 4);
    form->addWidget(m_os, 5);
    form->addWidget(m_add);
    manual->addLayout(form);

    auto *boards = new WholeRowsView<QTreeWidget>(manualBox);
    boards->setEmptyHint(tr("No boards in the lab yet: add one above, or tick hosts a scan "
                            "found and add them."));
    m_boards = boards;
    m_boards->setObjectName(QStringLiteral("labBoards"));
    m_boards->setRootIsDecorated(false);
    m_boards->setAlternatingRowColors(true);
    m_boards->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_boards->setHeaderLabels({tr("Board"), tr("IP"), tr("Model"), tr("OS"), tr("Place")});
    manual->addWidget(m_boards, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_remove = new QPushButton(tr("&Remove selected"), manualBox);
    m_remove->setObjectName(QStringLiteral("removeBoards"));
    buttons->addWidget(m_remove);
    manual->addLayout(buttons);
    return manualBox;
}

void DiscoverPage::connectWidgets()
{
    connect(m_range, &QLineEdit::textChanged, this, [this]() {
        updateMessages();
        Q_EMIT completeChanged();
    });
    connect(m_name, &QLineEdit::textChanged, this, &DiscoverPage::updateMessages);
    connect(m_ip, &QLineEdit::textChanged, this, &DiscoverPage::updateMessages);
    connect(m_ip, &QLineEdit::returnPressed, this, &DiscoverPage::onAddBoard);
    connect(m_model, &QComboBox::currentIndexChanged, this, &DiscoverPage::onModelChanged);
    connect(m_add, &QPushButton::clicked, this, &DiscoverPage::onAddBoard);
    connect(m_remove, &QPushButton::clicked, this, &DiscoverPage::onRemoveBoards);
    connect(m_boards, &QTreeWidget::itemSelectionChanged, this,
            [this]() { m_remove->setEnabled(!m_boards->selectedItems().isEmpty()); });
    connect(m_suggestions, &QComboBox::activated, this, [this](int index) {
        const QString cidr = m_suggestions->itemData(index).toString();
        if (!cidr.isEmpty())
            m_range->setText(cidr);
    });
    connect(m_range, &QLineEdit::textChanged, this, &DiscoverPage::updateScanButtons);
    connect(m_ports, &QLineEdit::textChanged, this, &DiscoverPage::updateScanButtons);
    connect(m_ports, &QLineEdit::textChanged, this, &DiscoverPage::updateMessages);
    connect(m_scan, &QPushButton::clicked, this, &DiscoverPage::startScan);
    connect(m_cancelScan, &QPushButton::clicked, this, &DiscoverPage::cancelScan);
    connect(m_addFound, &QPushButton::clicked, this, &DiscoverPage::addSelectedHosts);
    connect(m_scanner, &DiscoveryService::hostFound, this, &DiscoverPage::onHostFound);
    connect(m_scanner, &DiscoveryService::progressChanged, this, [this](qint64 done, qint64 total) {
        m_scanNote->setText(tr("Scanning… %1 of %2 addresses, %3 hosts found.")
                                .arg(done)
                                .arg(total)
                                .arg(m_found->rowCount()));
    });
    connect(m_scanner, &DiscoveryService::finished, this, &DiscoverPage::onScanFinished);
}

bool DiscoverPage::isScanning() const
{
    return m_scanner->isRunning();
}

void DiscoverPage::updateScanButtons()
{
    m_scan->setEnabled(!m_range->text().trimmed().isEmpty() && scanProblem().isEmpty() &&
                       !isScanning());
    m_cancelScan->setEnabled(isScanning());
    bool anyTicked = false;
    for (int row = 0; row < m_found->rowCount(); ++row)
        anyTicked |= m_found->item(row, 0)->checkState() == Qt::Checked;
    m_addFound->setEnabled(anyTicked && !isScanning());
    Q_EMIT completeChanged();
}

void DiscoverPage::startScan()
{
    if (isScanning())
        return;
    QString error;
    const auto targets = ScanTargets::parse(m_range->text(), &error);
    const auto ports = targets ? ScanTargets::parsePorts(m_ports->text(), &error) : std::nullopt;
    if (!targets || !ports) {
        m_scanNote->setText(error);
        return;
    }
    DiscoveryOptions options;
    options.targets = *targets;
    if (!ports->isEmpty())
        options.sshPorts = *ports;
    for (const Board &b : m_wizard->document()->lab().boards)
        options.likely << b.ip; // the lab's boards are probed first
    m_found->setRowCount(0);
    m_scanned = *targets;
    m_sinceScan.start();
    m_firstRowPainted = false;
    if (!m_scanner->start(options, &error)) {
        m_scanNote->setText(error);
        return;
    }
    m_scanNote->setText(tr("Scanning %1 addresses…").arg(targets->size()));
    updateScanButtons();
}

void DiscoverPage::cancelScan()
{
    m_scanner->cancel();
}

void DiscoverPage::onHostFound(const DiscoveredHost &host)
{
    const Lab &lab = m_wizard->document()->lab();
    QString inLab;
    for (const Board &b : lab.boards) {
        if ((!host.mac.isEmpty() && b.mac.compare(host.mac, Qt::CaseInsensitive) == 0) ||
            b.ip == host.ip)
            inLab = b.ip == host.ip ? b.name : tr("%1 (was %2)").arg(b.name, b.ip);
    }
    const int row = m_found->rowCount();
    if (row == 0 && lcWizard().isDebugEnabled()) {
        qCDebug(lcWizard, "first scan row (%s) inserted %lld ms after Scan", qPrintable(host.ip),
                m_sinceScan.elapsed());
        m_found->viewport()->installEventFilter(this);
    }
    m_found->insertRow(row);
    auto *ip = new QTableWidgetItem(host.ip);
    ip->setFlags(ip->flags() | Qt::ItemIsUserCheckable);
    // Ticked by default: SSH-speaking hosts not in the lab yet, and never this computer.
    const bool tick = host.sshPort != 0 && inLab.isEmpty() && !host.isThisMachine;
    ip->setCheckState(tick ? Qt::Checked : Qt::Unchecked);
    ip->setData(Qt::UserRole, QVariant::fromValue(host));
    m_found->setItem(row, 0, ip);
    m_found->setItem(row, 1, new QTableWidgetItem(host.mac));
    m_found->setItem(row, 2, new QTableWidgetItem(host.vendor));
    m_found->setItem(row, 3, new QTableWidgetItem(host.hostname()));
    m_found->setItem(row, 4, new QTableWidgetItem(host.sshBanner));
    QStringList hints = host.hints;
    if (host.isThisMachine)
        hints.prepend(tr("this computer"));
    hints += host.warnings;
    auto *hintItem = new QTableWidgetItem(hints.join(QStringLiteral("; ")));
    hintItem->setToolTip(hints.join(QLatin1Char('\n')));
    m_found->setItem(row, 5, hintItem);
    m_found->setItem(row, 6, new QTableWidgetItem(inLab.isEmpty() ? tr("new") : inLab));
    updateScanButtons();
}

bool DiscoverPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_found->viewport() && event->type() == QEvent::Paint && !m_firstRowPainted &&
        m_found->rowCount() > 0) {
        m_firstRowPainted = true;
        m_found->viewport()->removeEventFilter(this);
        qCDebug(lcWizard, "first scan row painted %lld ms after Scan", m_sinceScan.elapsed());
    }
    return QWizardPage::eventFilter(watched, event);
}

void DiscoverPage::onScanFinished()
{
    qCDebug(lcWizard, "scan finished %lld ms after Scan, %d rows", m_sinceScan.elapsed(),
            m_found->rowCount());
    m_scanNote->setText(tr("Scan finished: %1 hosts answered, %2 addresses silent. Tick the "
                           "boards to add and press “Add ticked hosts”.")
                            .arg(m_found->rowCount())
                            .arg(m_scanner->absentHosts().size()));
    m_found->resizeColumnsToContents();
    m_found->horizontalHeader()->setStretchLastSection(true);
    updateScanButtons();
}

void DiscoverPage::addSelectedHosts()
{
    QList<DiscoveredHost> hosts;
    for (int row = 0; row < m_found->rowCount(); ++row) {
        const QTableWidgetItem *it = m_found->item(row, 0);
        if (it->checkState() == Qt::Checked)
            hosts << it->data(Qt::UserRole).value<DiscoveredHost>();
    }
    if (hosts.isEmpty())
        return;
    const LabMerge::Result merged = LabMerge::merge(m_wizard->document()->lab(), hosts, m_scanned);
    QStringList lines;
    for (const LabMerge::Change &c : merged.changes) {
        if (c.kind != LabMerge::Kind::Unchanged && !c.message.isEmpty())
            lines << c.message;
    }
    m_wizard->pushEdit(mergeCommand(
        m_wizard->document(), merged,
        tr("Add %n discovered board(s)", nullptr, merged.count(LabMerge::Kind::Added))));
    m_scanNote->setText(lines.isEmpty()
                            ? tr("Nothing new: every ticked host is already in the lab.")
                            : lines.join(QLatin1Char('\n')));
    refreshBoards();
}

QString DiscoverPage::scanProblem() const
{
    QString error;
    if (!m_range->text().trimmed().isEmpty() && !ScanTargets::parse(m_range->text(), &error))
        return error;
    if (!ScanTargets::parsePorts(m_ports->text(), &error))
        return error;
    return {};
}

void DiscoverPage::initializePage()
{
    const Lab &lab = m_wizard->document()->lab();
    if (m_range->text().isEmpty() && !lab.swarm.advertiseNetwork.isEmpty())
        m_range->setText(lab.swarm.advertiseNetwork);
    if (m_name->text().isEmpty())
        m_name->setText(QStringLiteral("node-%1").arg(lab.boards.size() + 1));
    if (m_suggestions->count() == 0) {
        // Reads this computer's interfaces only; nothing is sent until the user presses Scan.
        m_suggestions->addItem(tr("Suggestions…"));
        for (const NetworkSuggestion &s : NetworkSuggestions::fromInterfaces())
            m_suggestions->addItem(
                tr("%1 (%2, %3 addresses)").arg(s.cidr, s.interfaceName).arg(s.hostCount), s.cidr);
        if (m_range->text().isEmpty() && m_suggestions->count() > 1)
            m_range->setText(m_suggestions->itemData(1).toString());
    }
    refreshBoards();
}

void DiscoverPage::refreshBoards()
{
    const Lab &lab = m_wizard->document()->lab();
    m_boards->clear();
    for (const Board &b : lab.boards) {
        QString place = tr("not placed");
        if (const Rack *rack = lab.rack(b.rackId))
            place = tr("%1, slot %2").arg(rack->name).arg(b.slot + 1);
        auto *item = new QTreeWidgetItem(
            {b.name, b.ip, BoardCatalog::builtin().displayName(b.model), b.os, place});
        item->setData(0, Qt::UserRole, b.id);
        m_boards->addTopLevelItem(item);
    }
    for (int c = 0; c < m_boards->columnCount(); ++c)
        m_boards->resizeColumnToContents(c);
    m_remove->setEnabled(false);
    updateMessages();
    Q_EMIT completeChanged();
}

QString DiscoverPage::manualProblem() const
{
    const Lab &lab = m_wizard->document()->lab();
    const QString name = m_name->text().trimmed();
    const QString ip = m_ip->text().trimmed();
    if (name.isEmpty())
        return tr("Enter a name for the board.");
    for (const Board &b : lab.boards) {
        if (b.name.compare(name, Qt::CaseInsensitive) == 0)
            return tr("There is already a board named %1.").arg(name);
        if (!ip.isEmpty() && b.ip == ip)
            return tr("%1 already uses %2.").arg(b.name, ip);
    }
    if (ip.isEmpty())
        return tr("Enter the board's IP address.");
    if (!ScanTargets::parseIPv4(ip))
        return tr("“%1” is not an IPv4 address.").arg(ip);
    return {};
}

void DiscoverPage::updateMessages()
{
    QStringList lines;
    if (const QString problem = scanProblem(); !problem.isEmpty())
        lines << statusHtml(QStringLiteral("failed"), problem);
    if (m_wizard->document()->lab().boards.isEmpty())
        lines << statusHtml(QStringLiteral("warning"), tr("Add at least one board to continue."));
    const bool canAdd = manualProblem().isEmpty();
    m_add->setEnabled(canAdd);
    m_add->setToolTip(canAdd ? QString() : manualProblem());
    if (!canAdd && !m_ip->text().isEmpty())
        lines << statusHtml(QStringLiteral("warning"), manualProblem());
    m_message->setText(lines.join(QStringLiteral("<br>")));
}

void DiscoverPage::onModelChanged()
{
    m_os->clear();
    if (const BoardModelInfo *info =
            BoardCatalog::builtin().model(m_model->currentData().toString())) {
        for (const OsImage &img : info->images)
            m_os->addItem(img.name);
    }
    if (m_os->lineEdit())
        m_os->lineEdit()->setCursorPosition(0);
}

void DiscoverPage::onAddBoard()
{
    if (!manualProblem().isEmpty())
        return;
    LabDocument *doc = m_wizard->document();
    const Lab &lab = doc->lab();
    Board b;
    b.id = lab.uniqueId(QStringLiteral("board"));
    b.name = m_name->text().trimmed();
    b.hostname = b.name.toLower().replace(QRegularExpression(QStringLiteral("[^a-z0-9-]")),
                                          QStringLiteral("-"));
    b.ip = m_ip->text().trimmed();
    b.model = m_model->currentData().toString();
    b.os = m_os->currentText().trimmed();
    if (const BoardModelInfo *info = BoardCatalog::builtin().model(b.model)) {
        b.arch = info->arch;
        for (const OsImage &img : info->images) {
            if (img.name == b.os)
                b.sshUser = img.defaultUser;
        }
    }
    b.role = Role::Worker;
    LabMerge::place(lab, &b);
    m_wizard->pushEdit(new AddBoardsCommand(doc, {b}));

    // Ready for the next one: same model and OS, next name and address.
    static const QRegularExpression trailingNumber(QStringLiteral("^(.*?)(\\d+)$"));
    if (const auto m = trailingNumber.match(b.name); m.hasMatch())
        m_name->setText(m.captured(1) + QString::number(m.captured(2).toInt() + 1));
    if (const auto ip = ScanTargets::parseIPv4(b.ip); ip && (*ip & 0xFF) < 254)
        m_ip->setText(ScanTargets::formatIPv4(*ip + 1));
    refreshBoards();
}

void DiscoverPage::onRemoveBoards()
{
    QStringList ids;
    for (const QTreeWidgetItem *item : m_boards->selectedItems())
        ids << item->data(0, Qt::UserRole).toString();
    if (!ids.isEmpty())
        m_wizard->pushEdit(new RemoveBoardsCommand(m_wizard->document(), ids));
    refreshBoards();
}

bool DiscoverPage::isComplete() const
{
    if (isScanning())
        return false;
    if (!scanProblem().isEmpty())
        return false;
    return !m_wizard->document()->lab().boards.isEmpty();
}

StepOutcome DiscoverPage::outcome() const
{
    const int boards = int(m_wizard->document()->lab().boards.size());
    if (boards == 0)
        return {StepOutcome::State::NotRun, tr("no boards yet")};
    return {StepOutcome::State::Done,
            plural(boards, tr("%1 board in the lab"), tr("%1 boards in the lab"))};
}

} // namespace Hivelab
