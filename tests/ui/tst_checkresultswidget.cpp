// SPDX-License-Identifier: GPL-3.0-or-later
#include "checkresultswidget.h"

#include "boardcatalog.h"
#include "demolab.h"
#include "labcheck.h"

#include <QAccessible>
#include <QApplication>
#include <QFontInfo>
#include <QHeaderView>
#include <QLabel>
#include <QProxyStyle>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTest>
#include <QTextLayout>
#include <QTreeWidget>

using namespace Hivelab;

class TestCheckResultsWidget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fontIsPresent() { QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty()); }
    void findingsWrapAndRowsAreWhole_data();
    void findingsWrapAndRowsAreWhole();
    void keyboardAndScreenReaderStillWork();
    void noBlankBandAfterANarrowStart();
    void eachTextMeasuredOncePerWidth();
    void findingsPlacedWhenTheReportIsSet();
};

namespace {
// The last row the viewport shows ends inside it, or no row reaches its bottom edge, or the
// row is taller than the whole view (then it shows from its top).
bool bottomRowIsWhole(const QTreeWidget *tree)
{
    const int height = tree->viewport()->height();
    const QModelIndex bottom = tree->indexAt(QPoint(1, height - 1));
    if (!bottom.isValid())
        return true;
    const QRect row = tree->visualRect(bottom);
    if (row.bottom() >= height && row.top() > 0)
        qWarning("row %d at %d..%d cut by a %d px viewport", bottom.row(), row.top(), row.bottom(),
                 height);
    return row.bottom() < height || row.top() <= 0;
}
} // namespace

void TestCheckResultsWidget::findingsWrapAndRowsAreWhole_data()
{
    QTest::addColumn<QSize>("size");
    // The check dock in the main window at 1280x800 and 1440x900 (docs/screenshots), and a
    // narrow one.
    QTest::newRow("1280x800") << QSize(515, 230);
    QTest::newRow("1440x900") << QSize(575, 215);
    QTest::newRow("narrow") << QSize(380, 300);
}

void TestCheckResultsWidget::findingsWrapAndRowsAreWhole()
{
    QFETCH(QSize, size);
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    QVERIFY(report.findings.size() >= 4);
    CheckResultsWidget widget;
    widget.resize(size);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.setReport(report, lab);
    QTreeWidget *tree = widget.tree();
    QCOMPARE(tree->topLevelItemCount(), int(report.findings.size()));

    // Every cell's text fits its cell at the column's width: wrapped, never cut.
    int multiLine = 0;
    for (int row = 0; row < tree->topLevelItemCount(); ++row) {
        const QTreeWidgetItem *item = tree->topLevelItem(row);
        for (int column = 0; column < tree->columnCount(); ++column) {
            const QModelIndex index = tree->model()->index(row, column);
            QStyleOptionViewItem option;
            option.initFrom(tree);
            option.rect = tree->visualRect(index);
            option.text = item->text(column);
            option.font = tree->font();
            option.fontMetrics = tree->fontMetrics();
            option.features = QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::WrapText;
            if (!item->icon(column).isNull()) {
                option.features |= QStyleOptionViewItem::HasDecoration;
                option.decorationSize =
                    tree->iconSize().isValid()
                        ? tree->iconSize()
                        : QSize(
                              tree->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, tree),
                              tree->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, tree));
            }
            // Laid out the way the style draws it: the text rectangle less its margins.
            const QRect textRect =
                tree->style()->subElementRect(QStyle::SE_ItemViewItemText, &option, tree);
            const int margin =
                tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, tree) + 1;
            QTextLayout layout(option.text, tree->font());
            QTextOption wrap;
            wrap.setWrapMode(QTextOption::WordWrap);
            layout.setTextOption(wrap);
            qreal needed = 0;
            int lines = 0;
            layout.beginLayout();
            for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
                line.setLineWidth(textRect.width() - 2 * margin);
                needed += line.height();
                ++lines;
            }
            layout.endLayout();
            QVERIFY2(qCeil(needed) <= option.rect.height(),
                     qPrintable(QStringLiteral("row %1 column %2: %3 lines need %4 px, the row "
                                               "has %5: %6")
                                    .arg(row)
                                    .arg(column)
                                    .arg(lines)
                                    .arg(needed)
                                    .arg(option.rect.height())
                                    .arg(option.text)));
            if (lines > 1)
                ++multiLine;
        }
    }
    QVERIFY(multiLine > 0); // at these widths findings do need more than one line

    // No half-cut row at the bottom, wherever the list is scrolled to.
    QScrollBar *bar = tree->verticalScrollBar();
    QVERIFY(bar->maximum() > 0); // the rows do not all fit: the case that matters
    for (int value = bar->minimum(); value <= bar->maximum(); ++value) {
        bar->setValue(value);
        QVERIFY2(bottomRowIsWhole(tree), qPrintable(QString::number(value)));
    }

    // A wider dock re-wraps: the findings take fewer lines.
    const auto rowsHeight = [tree]() {
        int sum = 0;
        for (int row = 0; row < tree->topLevelItemCount(); ++row)
            sum += tree->visualItemRect(tree->topLevelItem(row)).height();
        return sum;
    };
    const int narrowHeight = rowsHeight();
    bar->setValue(0);
    widget.resize(size.width() * 2, size.height());
    QTRY_VERIFY(rowsHeight() < narrowHeight);
    QVERIFY(bottomRowIsWhole(tree));
}

void TestCheckResultsWidget::keyboardAndScreenReaderStillWork()
{
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    CheckResultsWidget widget;
    widget.resize(515, 230);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.setReport(report, lab);
    QTreeWidget *tree = widget.tree();
    QSignalSpy activated(&widget, &CheckResultsWidget::findingActivated);
    tree->setFocus();
    tree->setCurrentItem(tree->topLevelItem(0));
    QTest::keyClick(tree, Qt::Key_Down);
    QCOMPARE(tree->currentItem(), tree->topLevelItem(1));
    QTest::keyClick(tree, Qt::Key_Return);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toStringList(),
             tree->topLevelItem(1)->data(0, Qt::UserRole + 1).toStringList());
    QVERIFY(!activated.at(0).at(0).toStringList().isEmpty());
    // The full text stays in the tooltip and in what a screen reader reads.
    const QTreeWidgetItem *item = tree->topLevelItem(1);
    QVERIFY(item->toolTip(0).startsWith(item->text(0)));
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(tree);
    QVERIFY(iface);
    bool read = false;
    for (int i = 0; i < iface->childCount(); ++i) {
        if (QAccessibleInterface *cell = iface->child(i))
            read |= cell->text(QAccessible::Name) == item->text(0);
    }
    QVERIFY(read);
}

void TestCheckResultsWidget::noBlankBandAfterANarrowStart()
{
    // The dock is laid out narrow first; once wide, the summary takes only the lines its text
    // needs and the findings start right below it (there was a blank band of two lines).
    const Lab lab = demoLab();
    CheckResultsWidget widget;
    widget.resize(100, 230);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.setReport(checkLab(lab, BoardCatalog::builtin()), lab);
    widget.resize(515, 230);
    QTRY_COMPARE(widget.width(), 515);
    QLabel *summary = nullptr;
    for (QLabel *label : widget.findChildren<QLabel *>())
        summary = label->text().contains(QLatin1String("manager")) ? label : summary;
    QVERIFY(summary);
    QTRY_VERIFY2(widget.tree()->geometry().top() - summary->geometry().bottom() <= 12,
                 qPrintable(QStringLiteral("summary ends at %1, findings start at %2")
                                .arg(summary->geometry().bottom())
                                .arg(widget.tree()->geometry().top())));
    const int lineHeight = summary->fontMetrics().lineSpacing();
    QVERIFY2(summary->height() <= 3 * lineHeight + 4,
             qPrintable(QString::number(summary->height())));
}

namespace {
class MeasureCounter : public QProxyStyle
{
public:
    using QProxyStyle::QProxyStyle;
    QSize sizeFromContents(ContentsType type, const QStyleOption *option, const QSize &size,
                           const QWidget *widget) const override
    {
        if (type == CT_ItemViewItem)
            ++measured;
        return QProxyStyle::sizeFromContents(type, option, size, widget);
    }
    mutable int measured = 0;
};
} // namespace

void TestCheckResultsWidget::eachTextMeasuredOncePerWidth()
{
    // Every column resize lays the findings out again (several times during the window's first
    // layout): a text already measured at its column's width is not measured again, until the
    // width, the report or the look changes.
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    CheckResultsWidget widget;
    QTreeWidget *tree = widget.tree();
    MeasureCounter style(QApplication::style()->name());
    tree->setStyle(&style);
    widget.resize(515, 230);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.setReport(report, lab);
    QStyleOptionViewItem option;
    option.initFrom(tree);
    option.font = tree->font();
    option.fontMetrics = tree->fontMetrics();
    option.features = QStyleOptionViewItem::WrapText;
    option.widget = tree; // measured with its style
    const auto measureAll = [tree, &option]() {
        QList<QSize> sizes;
        for (int row = 0; row < tree->topLevelItemCount(); ++row) {
            for (int column = 0; column < tree->columnCount(); ++column)
                sizes << tree->itemDelegate()->sizeHint(option, tree->model()->index(row, column));
        }
        return sizes;
    };
    const QList<QSize> first = measureAll();
    const int measured = style.measured;
    QCOMPARE(measureAll(), first);
    QCOMPARE(style.measured, measured);

    tree->header()->resizeSection(2, tree->header()->sectionSize(2) + 60);
    const QList<QSize> wider = measureAll();
    QVERIFY(style.measured > measured);
    QVERIFY(wider != first); // the suggested fixes need fewer lines

    const int beforeReport = style.measured;
    widget.setReport(report, lab);
    QCOMPARE(measureAll(), wider);
    QVERIFY(style.measured > beforeReport);
    tree->setStyle(nullptr);
}

// The window's first check sets its report on the turn the window is first painted: the
// findings must already be where the new summary's height puts them, or that frame shows them
// at the old place and the next one moves them (docs/GUI.md, Start-up).
void TestCheckResultsWidget::findingsPlacedWhenTheReportIsSet()
{
    const Lab lab = demoLab();
    const CheckReport report = checkLab(lab, BoardCatalog::builtin());
    CheckResultsWidget widget;
    widget.resize(560, 300);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    const QRect before = widget.tree()->geometry();
    widget.setReport(report, lab);
    const QRect placed = widget.tree()->geometry();
    QVERIFY2(placed != before, "the demo's summary is taller than the empty one");
    QCoreApplication::sendPostedEvents(); // the layout requests the report posted
    QCOMPARE(widget.tree()->geometry(), placed);
    // And its scroll bar: shown with the report, not on a later turn that lays the rows out and
    // paints them again at a narrower width.
    QTreeWidget *tree = widget.tree();
    QVERIFY2(tree->verticalScrollBar()->isVisible(), "the demo's findings overflow 300 px");
    const QSize viewport = tree->viewport()->size();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(tree->viewport()->size(), viewport);
    QVERIFY(tree->verticalScrollBar()->isVisible());
}

QTEST_MAIN(TestCheckResultsWidget)
#include "tst_checkresultswidget.moc"
