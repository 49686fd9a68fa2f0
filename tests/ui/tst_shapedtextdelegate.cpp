// SPDX-License-Identifier: GPL-3.0-or-later
#include "shapedtextdelegate.h"
#include "theme.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPainter>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

using namespace Hivelab;

namespace {
// The inventory's kind of view; its item option is protected.
class Table : public QTableView
{
public:
    QStyleOptionViewItem itemOption() const
    {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        return option;
    }
};

QPixmap dot(const QColor &colour)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(colour);
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return pm;
}

// Cells of every kind the delegate meets, and some it hands to QStyledItemDelegate.
void fill(QStandardItemModel *model)
{
    const QStringList texts = {
        QStringLiteral("pi-01"),
        QStringLiteral("DietPi (Debian 12 bookworm)"), // elided in its column
        QStringLiteral("Manager"),
        QStringLiteral("In swarm, leader, drained"),
        QStringLiteral("لا سلام عليكم 12"), // lam-alef, right to left
        QStringLiteral("Rack A / 3 — Ω ffi"),
        QString(),
        QStringLiteral("two\nlines"),
        QStringLiteral("10.77.0.12"),
        QStringLiteral("a tab\there"),
    };
    model->setColumnCount(4);
    for (int row = 0; row < texts.size(); ++row) {
        QList<QStandardItem *> items;
        for (int column = 0; column < 4; ++column) {
            auto *item = new QStandardItem(texts.at((row + column) % texts.size()));
            if (column == 1)
                item->setData(dot(row % 2 ? QColor(0x25, 0x63, 0xeb) : QColor(0x16, 0xa3, 0x4a)),
                              Qt::DecorationRole);
            if (column == 2 && row == 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (column == 2 && row == 4)
                item->setEnabled(false);
            if (column == 3 && row == 5) {
                QFont bold;
                bold.setBold(true);
                item->setFont(bold);
            }
            items.append(item);
        }
        model->appendRow(items);
    }
}

void setUp(Table *view, QAbstractItemModel *model)
{
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setShowGrid(false);
    view->setTextElideMode(Qt::ElideRight);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(24);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setColumnWidth(0, 70);
    view->setColumnWidth(1, 120);
    view->setColumnWidth(2, 110);
    view->selectRow(1);
    view->selectionModel()->select(view->model()->index(4, 0),
                                   QItemSelectionModel::Select | QItemSelectionModel::Rows);
}
} // namespace

class TestShapedTextDelegate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void paintsAsStyledDelegate_data();
    void paintsAsStyledDelegate();
    void sizeHintAsStyledDelegate_data();
    void sizeHintAsStyledDelegate();
    void shapesEachTextOnce();
    void cleanupTestCase();
};

void TestShapedTextDelegate::initTestCase()
{
    // Without fonts Qt draws boxes for every text, and both delegates would draw the same.
    QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty());
}

void TestShapedTextDelegate::cleanupTestCase()
{
    Theme::apply(false);
}

void TestShapedTextDelegate::paintsAsStyledDelegate_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<bool>("focused");
    QTest::newRow("light") << false << false;
    QTest::newRow("light, focus in the view") << false << true;
    QTest::newRow("dark") << true << false;
    QTest::newRow("dark, focus in the view") << true << true;
}

void TestShapedTextDelegate::paintsAsStyledDelegate()
{
    QFETCH(bool, dark);
    QFETCH(bool, focused);
    Theme::apply(dark);
    QStandardItemModel model;
    fill(&model);
    QWidget window;
    auto *layout = new QHBoxLayout(&window);
    auto *elsewhere = new QLineEdit;
    auto *styled = new Table;
    auto *shaped = new Table;
    shaped->setItemDelegate(new ShapedTextDelegate(shaped));
    layout->addWidget(elsewhere);
    for (Table *view : {styled, shaped}) {
        setUp(view, &model);
        layout->addWidget(view);
    }
    window.resize(1000, 320);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(styled->viewport()->size(), shaped->viewport()->size());
    // Each view painted as the focus leaves it: the current cell framed or not.
    auto grab = [&](Table *view) {
        QWidget *focus = focused ? static_cast<QWidget *>(view) : elsewhere;
        focus->setFocus();
        return QTest::qWaitFor([&] { return focus->hasFocus(); })
                   ? view->viewport()->grab().toImage()
                   : QImage();
    };
    const QImage expected = grab(styled);
    const QImage actual = grab(shaped);
    QVERIFY(!expected.isNull());
    if (actual != expected) {
        expected.save(QDir::temp().filePath(QStringLiteral("styled-delegate.png")));
        actual.save(QDir::temp().filePath(QStringLiteral("shaped-delegate.png")));
    }
    QCOMPARE(actual, expected);
}

void TestShapedTextDelegate::sizeHintAsStyledDelegate_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestShapedTextDelegate::sizeHintAsStyledDelegate()
{
    QFETCH(bool, dark);
    Theme::apply(dark);
    QStandardItemModel model;
    fill(&model);
    Table view;
    setUp(&view, &model);
    QStyledItemDelegate styled;
    ShapedTextDelegate shaped;
    const QStyleOptionViewItem option = view.itemOption();
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            const QModelIndex index = model.index(row, column);
            QCOMPARE(shaped.sizeHint(option, index), styled.sizeHint(option, index));
        }
    }
}

void TestShapedTextDelegate::shapesEachTextOnce()
{
    Theme::apply(false);
    QStandardItemModel model(1, 1);
    model.setItem(0, 0, new QStandardItem(QStringLiteral("once-only 4711")));
    Table view;
    view.setItemDelegate(new ShapedTextDelegate(&view));
    setUp(&view, &model);
    view.resize(300, 100);
    // Measured for the column, as the inventory fits its columns, then painted twice.
    const int before = ShapedTextCache::shapedCount();
    QVERIFY(static_cast<const QAbstractItemView &>(view).sizeHintForColumn(0) > 0);
    const int measured = ShapedTextCache::shapedCount();
    QVERIFY(measured > before); // the text (and the empty line it is measured against)
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.viewport()->grab();
    view.viewport()->grab();
    QCOMPARE(ShapedTextCache::shapedCount(), measured);
}

QTEST_MAIN(TestShapedTextDelegate)
#include "tst_shapedtextdelegate.moc"
