// SPDX-License-Identifier: GPL-3.0-or-later
#include "managerspage.h"

#include "boardcatalog.h"
#include "labcheck.h"
#include "labcommands.h"
#include "labdocument.h"
#include "plural.h"
#include "setupwizard.h"
#include "wholerowsview.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
enum Column { ManagerColumn, BoardColumn, ModelColumn, RackColumn, PsuColumn, SwitchColumn };

QString iconHtml(const QString &name)
{
    return QStringLiteral("<img src=\":/hivelab/wizard/%1.svg\" width=14 height=14>&nbsp;")
        .arg(name);
}
} // namespace

ManagersPage::ManagersPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Choose managers"));
    setSubTitle(tr("Managers keep the swarm's state. A majority of them (the quorum) must stay up, "
                   "so spread them over racks, power supplies and switches."));

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    m_suggestion = new QLabel(this);
    m_suggestion->setObjectName(QStringLiteral("managerSuggestion"));
    m_suggestion->setWordWrap(true);
    layout->addWidget(m_suggestion);

    auto *table = new WholeRowsView<QTableWidget>(this);
    table->setEmptyHint(tr("No boards in the lab yet: the Discover step adds them."));
    m_table = table;
    m_table->setObjectName(QStringLiteral("managersTable"));
    m_table->setColumnCount(6);
    m_table->setHorizontalHeaderLabels(
        {tr("Manager"), tr("Board"), tr("Model"), tr("Rack"), tr("Power supply"), tr("Switch")});
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("quorumSummary"));
    m_summary->setWordWrap(true);
    m_summary->setFrameShape(QFrame::StyledPanel);
    m_summary->setMargin(8);
    layout->addWidget(m_summary);

    connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() == ManagerColumn)
            updateSummary();
    });
}

void ManagersPage::initializePage()
{
    const Lab &lab = m_wizard->document()->lab();
    QStringList ids;
    for (const Board &b : lab.boards)
        ids << b.id;
    // Coming back with the same boards keeps the user's ticks.
    if (ids == m_boardIds && m_table->rowCount() == ids.size())
        return;
    m_boardIds = ids;

    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    QStringList preselected = report.suggestedManagers;
    if (preselected.isEmpty()) {
        for (const Board *b : lab.managers())
            preselected << b->id;
    }
    QStringList names;
    for (const QString &id : std::as_const(report.suggestedManagers)) {
        if (const Board *b = lab.board(id))
            names << b->name;
    }
    if (!names.isEmpty())
        m_suggestion->setText(iconHtml(QStringLiteral("ok")) +
                              tr("Suggested by the fault-domain check: <b>%1</b>. %2")
                                  .arg(names.join(QStringLiteral(", ")).toHtmlEscaped(),
                                       report.suggestionReason.toHtmlEscaped()));
    else
        m_suggestion->setText(iconHtml(QStringLiteral("warning")) +
                              (report.suggestionReason.isEmpty()
                                   ? tr("No manager set survives every single failure in this "
                                        "layout; add racks or move boards.")
                                   : report.suggestionReason)
                                  .toHtmlEscaped());

    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(int(lab.boards.size()));
    for (int row = 0; row < lab.boards.size(); ++row) {
        const Board &b = lab.boards.at(row);
        auto *check = new QTableWidgetItem;
        check->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        check->setCheckState(preselected.contains(b.id) ? Qt::Checked : Qt::Unchecked);
        check->setData(Qt::UserRole, b.id);
        m_table->setItem(row, ManagerColumn, check);
        m_table->setItem(row, BoardColumn, new QTableWidgetItem(b.name));
        m_table->setItem(row, ModelColumn,
                         new QTableWidgetItem(BoardCatalog::builtin().displayName(b.model)));
        const Rack *rack = lab.rack(b.rackId);
        m_table->setItem(row, RackColumn, new QTableWidgetItem(rack ? rack->name : tr("—")));
        const PowerSupply *psu = lab.powerSupply(b.psuId);
        m_table->setItem(row, PsuColumn, new QTableWidgetItem(psu ? psu->name : tr("—")));
        const NetworkSwitch *sw = lab.networkSwitch(b.switchId);
        m_table->setItem(row, SwitchColumn, new QTableWidgetItem(sw ? sw->name : tr("—")));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setCurrentCell(-1, -1);
    updateSummary();
}

QStringList ManagersPage::checkedManagers() const
{
    QStringList ids;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *it = m_table->item(row, ManagerColumn);
        if (it && it->checkState() == Qt::Checked)
            ids << it->data(Qt::UserRole).toString();
    }
    return ids;
}

void ManagersPage::setManagerChecked(const QString &boardId, bool checked)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QTableWidgetItem *it = m_table->item(row, ManagerColumn);
        if (it && it->data(Qt::UserRole).toString() == boardId)
            it->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

Lab ManagersPage::candidateLab() const
{
    Lab lab = m_wizard->document()->lab();
    const QStringList managers = checkedManagers();
    for (Board &b : lab.boards)
        b.role = managers.contains(b.id) ? Role::Manager : Role::Worker;
    return lab;
}

void ManagersPage::updateSummary()
{
    const Lab lab = candidateLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    const int n = report.managerCount;
    QString html;
    if (n == 0) {
        html = iconHtml(QStringLiteral("failed")) + tr("Tick at least one manager.");
    } else {
        html = (n == 1 ? tr("<b>1 manager</b>: ") : tr("<b>%1 managers</b>: ").arg(n)) +
               tr("quorum needs %1. ").arg(report.quorum) +
               (report.toleratedFailures == 0 ? tr("The swarm stops if any manager goes down.")
                : report.toleratedFailures == 1
                    ? tr("The swarm keeps working with 1 manager down.")
                    : tr("The swarm keeps working with up to %1 managers down.")
                          .arg(report.toleratedFailures));
        if (n % 2 == 0)
            html += QStringLiteral("<br>") + iconHtml(QStringLiteral("warning")) +
                    tr("An even number adds no tolerance: %1 managers survive as many "
                       "failures as %2.")
                        .arg(n)
                        .arg(n - 1);
        QStringList failing;
        for (const DomainImpact &d : report.domains) {
            if (d.breaksQuorum)
                failing << tr("losing %1 leaves %2 of %3 managers")
                               .arg(d.name)
                               .arg(d.survivingManagers)
                               .arg(n);
        }
        html += QStringLiteral("<br>");
        if (failing.isEmpty())
            html += iconHtml(QStringLiteral("ok")) +
                    tr("Survives the loss of any single rack, power supply, circuit or switch: "
                       "<b>yes</b>.");
        else
            html += iconHtml(QStringLiteral("failed")) +
                    tr("Survives the loss of any single rack, power supply, circuit or switch: "
                       "<b>no</b> — %1 (quorum needs %2).")
                        .arg(failing.join(QStringLiteral("; ")).toHtmlEscaped())
                        .arg(report.quorum);
    }
    m_summary->setText(html);
    Q_EMIT completeChanged();
}

bool ManagersPage::isComplete() const
{
    return !checkedManagers().isEmpty();
}

bool ManagersPage::validatePage()
{
    LabDocument *doc = m_wizard->document();
    const QStringList managers = checkedManagers();
    QList<Board> before;
    QList<Board> after;
    for (const Board &b : doc->lab().boards) {
        const Role role = managers.contains(b.id) ? Role::Manager : Role::Worker;
        if (b.role == role)
            continue;
        before << b;
        after << b;
        after.last().role = role;
    }
    // The whole choice is one undo step.
    if (!after.isEmpty())
        m_wizard->pushEdit(new EditBoardsCommand(doc, before, after, tr("Choose managers")));
    return true;
}

StepOutcome ManagersPage::outcome() const
{
    const int managers = int(m_wizard->document()->lab().managers().size());
    if (managers == 0)
        return {StepOutcome::State::NotRun, tr("no manager chosen")};
    return {StepOutcome::State::Done, plural(managers, tr("%1 manager"), tr("%1 managers"))};
}

} // namespace Hivelab
