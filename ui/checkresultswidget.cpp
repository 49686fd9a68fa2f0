// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkresultswidget.h"
#include "plural.h"

#include "theme.h"
#include "wholerowsview.h"
#include "wrappedlabel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QResizeEvent>
#include <QStyledItemDelegate>
#include <QTextDocument>
#include <QtMath>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
constexpr int ObjectIdsRole = Qt::UserRole + 1;

} // namespace

// A tree asks for a row's height without saying how wide the column is, and the style then
// measures wrapped text as one line: measure each cell at its column's width instead. Every
// column resize lays the rows out again (several times while the window is first laid out), so
// each text is measured once per width and kept until the report or the look changes.
class CheckResultsWidget::WrappingDelegate : public QStyledItemDelegate
{
public:
    explicit WrappingDelegate(QTreeView *view)
        : QStyledItemDelegate(view)
        , m_view(view)
    {}

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const QSize size(m_view->header()->sectionSize(index.column()),
                         qMax(1, option.rect.height()));
        const QString key =
            QStringLiteral("%1 %2 %3 ").arg(index.column()).arg(size.width()).arg(size.height()) +
            option.font.key() + (index.data(Qt::DecorationRole).isNull() ? u'-' : u'+') +
            index.data(Qt::DisplayRole).toString();
        auto it = m_sizes.constFind(key);
        if (it != m_sizes.constEnd())
            return *it;
        QStyleOptionViewItem cell(option);
        cell.rect.setSize(size);
        if (m_sizes.size() >= MaxSizes) // a window edge dragged: every width seen once
            m_sizes.clear();
        return *m_sizes.insert(key, QStyledItemDelegate::sizeHint(cell, index));
    }

    void forgetSizes() { m_sizes.clear(); }

private:
    static constexpr qsizetype MaxSizes = 1024;
    QTreeView *m_view;
    mutable QHash<QString, QSize> m_sizes;
};

CheckResultsWidget::CheckResultsWidget(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *header = new QHBoxLayout;
    m_summaryIcon = new QLabel(this);
    m_summary = new WrappedLabel(QString(), this);
    m_summary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header->addWidget(m_summaryIcon, 0, Qt::AlignTop);
    header->addWidget(m_summary, 1);
    layout->addLayout(header);
    m_tree = new WholeRowsView<QTreeWidget>(this);
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Finding"), tr("Concerns"), tr("Suggested fix")});
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    // Findings wrap: rows grow to show every word of the finding, what it concerns and its
    // fix, re-measured whenever a column's width changes. Only a single word wider than its
    // column is elided (each cell is in full in its tooltip too).
    m_tree->setWordWrap(true);
    m_tree->setUniformRowHeights(false);
    m_delegate = new WrappingDelegate(m_tree);
    m_tree->setItemDelegate(m_delegate);
    m_tree->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    // The scroll bar stays: shown only when the findings overflow, it came on a turn after the
    // report was painted (the view's reaction to a new range is queued), and the rows were then
    // measured again at the narrower width and the frame painted again, the window's first one
    // included. A report that fits shows it empty.
    m_tree->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::Interactive);
    m_tree->header()->resizeSection(1, 120);
    m_tree->header()->resizeSection(2, 180);
    layout->addWidget(m_tree, 1);
    connect(m_tree->header(), &QHeaderView::sectionResized, m_tree,
            [this]() { m_tree->doItemsLayout(); });
    auto activate = [this](QTreeWidgetItem *item) {
        if (item)
            Q_EMIT findingActivated(item->data(0, ObjectIdsRole).toStringList());
    };
    connect(m_tree, &QTreeWidget::itemClicked, this, activate);
    connect(m_tree, &QTreeWidget::itemActivated, this, activate);
}

QString CheckResultsWidget::summaryText() const
{
    return m_summary->text();
}

void CheckResultsWidget::setReport(const CheckReport &report, const Lab &lab)
{
    m_report = report;
    const LabIndex index(lab); // a big lab's findings name thousands of objects
    const int errors = report.count(Severity::Error);
    const int warnings = report.count(Severity::Warning);
    QString text;
    if (report.isEmptyLab()) {
        // A new lab is a start, not a failing swarm.
        text = tr("<b>No boards yet</b> — run the setup wizard (Lab ▸ Setup Wizard…) to plan "
                  "racks and discover your boards.");
        if (errors > 0 || warnings > 0)
            text += QStringLiteral("<br>");
    } else {
        text = QStringLiteral("<b>%1</b>")
                   .arg(plural(report.managerCount, tr("%1 manager"), tr("%1 managers")));
        text += report.quorum > 0 ? tr(" · quorum needs %1").arg(report.quorum)
                                  : tr(" · no quorum possible");
        text += QStringLiteral(" · ");
    }
    if (errors == 0 && warnings == 0) {
        if (!report.isEmptyLab())
            text += tr("no problems found");
    } else
        text += plural(errors, tr("%1 error"), tr("%1 errors")) + QStringLiteral(", ") +
                plural(warnings, tr("%1 warning"), tr("%1 warnings"));
    if (!report.suggestedManagers.isEmpty()) {
        QStringList names;
        for (const QString &id : report.suggestedManagers)
            names.append(objectDisplayName(index, id).toHtmlEscaped());
        text += QStringLiteral("<br>") +
                tr("Suggested managers: %1").arg(names.join(QStringLiteral(", ")));
        if (!report.suggestionReason.isEmpty())
            text += QStringLiteral(" — ") + report.suggestionReason.toHtmlEscaped();
    }
    m_summary->setText(text);
    fitSummary();
    const QIcon icon = errors > 0            ? Theme::severityIcon(Severity::Error)
                       : warnings > 0        ? Theme::severityIcon(Severity::Warning)
                       : report.isEmptyLab() ? Theme::severityIcon(Severity::Info)
                                             : Theme::icon(QStringLiteral("severity-ok"));
    m_summaryIcon->setPixmap(icon.pixmap(20, 20));

    m_delegate->forgetSizes();
    m_tree->clear();
    QList<Finding> sorted = report.findings;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Finding &a, const Finding &b) {
        return int(a.severity) > int(b.severity);
    });
    for (const Finding &f : std::as_const(sorted)) {
        auto *item = new QTreeWidgetItem(m_tree);
        item->setIcon(0, Theme::severityIcon(f.severity));
        item->setText(0, f.message);
        QStringList names;
        for (const QString &id : f.objectIds)
            names.append(objectDisplayName(index, id));
        item->setText(1, names.join(QStringLiteral(", ")));
        item->setToolTip(1, item->text(1));
        item->setText(2, f.suggestion);
        item->setToolTip(0, QStringLiteral("%1 (%2)").arg(f.message, f.code));
        item->setToolTip(2, f.suggestion);
        item->setData(0, ObjectIdsRole, f.objectIds);
    }
    if (sorted.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_tree);
        item->setIcon(0, Theme::icon(QStringLiteral("severity-ok")));
        item->setText(0, tr("No findings."));
        item->setFlags(Qt::ItemIsEnabled);
    }
    // The summary's new height moves the findings now, not on the layout request it posts: a
    // report set on the turn the window is first painted (the first check) had its findings
    // painted at the old height, then again at the new one before the window was whole.
    layout()->activate();
}

void CheckResultsWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_delegate->forgetSizes();
}

void CheckResultsWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitSummary();
}

void CheckResultsWidget::fitSummary()
{
    // The label's own width lags behind during a resize; derive it from ours (margins, icon,
    // spacing) instead.
    const int width = qMax(120, this->width() - 12 - 20 - 12);
    // QLabel::heightForWidth() answers for a narrower width than asked once the label has been
    // laid out narrow (the dock's first layout), leaving a blank band above the findings;
    // measure the rich text at the real width instead.
    QTextDocument doc;
    doc.setDefaultFont(m_summary->font());
    doc.setDocumentMargin(0);
    doc.setHtml(m_summary->text());
    doc.setTextWidth(width);
    m_summary->setFixedHeight(qCeil(doc.size().height()));
}

} // namespace Hivelab
