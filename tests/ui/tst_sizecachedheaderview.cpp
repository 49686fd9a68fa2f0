// SPDX-License-Identifier: GPL-3.0-or-later
#include "sizecachedheaderview.h"
#include "theme.h"

#include <QApplication>
#include <QStandardItemModel>
#include <QtTest>

using namespace Hivelab;

class TestSizeCachedHeaderView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void measuresAsQHeaderView();
    void measuresEachTitleOnce();
};

namespace {
void compareSizes(const QHeaderView &plain, const QHeaderView &cached)
{
    QCOMPARE(cached.sizeHint(), plain.sizeHint());
    for (int section = 0; section < plain.count(); ++section)
        QCOMPARE(cached.sectionSizeHint(section), plain.sectionSizeHint(section));
}
} // namespace

void TestSizeCachedHeaderView::measuresAsQHeaderView()
{
    Theme::apply(false);
    QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty());
    QStandardItemModel model(0, 4);
    model.setHorizontalHeaderLabels({QStringLiteral("Name"), QStringLiteral("Rack / Slot"),
                                     QStringLiteral("State"), QStringLiteral("Switch port")});
    QHeaderView plain(Qt::Horizontal);
    SizeCachedHeaderView cached(Qt::Horizontal);
    const QList<QHeaderView *> both{&plain, &cached};
    for (QHeaderView *header : both)
        header->setModel(&model);
    compareSizes(plain, cached);
    // What the size depends on changes: measured again.
    model.setHeaderData(1, Qt::Horizontal, QStringLiteral("A much longer title than before"));
    compareSizes(plain, cached);
    for (QHeaderView *header : both)
        header->setSortIndicatorShown(true);
    compareSizes(plain, cached);
    QFont big = plain.font();
    big.setPointSizeF(big.pointSizeF() * 2);
    for (QHeaderView *header : both)
        header->setFont(big);
    compareSizes(plain, cached);
    // A title with a font of its own is measured as it is.
    QFont italic;
    italic.setItalic(true);
    model.setHeaderData(2, Qt::Horizontal, italic, Qt::FontRole);
    compareSizes(plain, cached);
    Theme::apply(true); // another style
    compareSizes(plain, cached);
    Theme::apply(false);
}

void TestSizeCachedHeaderView::measuresEachTitleOnce()
{
    QStandardItemModel model(0, 3);
    model.setHorizontalHeaderLabels(
        {QStringLiteral("Name"), QStringLiteral("Role"), QStringLiteral("State")});
    SizeCachedHeaderView header(Qt::Horizontal);
    header.setModel(&model);
    QVERIFY(header.sizeHint().isValid());
    const int measured = SizeCachedHeaderView::measuredCount();
    // A new title drops QHeaderView's size hint: only that title is measured again.
    model.setHeaderData(2, Qt::Horizontal, QStringLiteral("Status"));
    QVERIFY(header.sizeHint().isValid());
    QCOMPARE(SizeCachedHeaderView::measuredCount(), measured + 1);
    for (int section = 0; section < header.count(); ++section)
        header.sectionSizeHint(section);
    QCOMPARE(SizeCachedHeaderView::measuredCount(), measured + 1);
}

QTEST_MAIN(TestSizeCachedHeaderView)
#include "tst_sizecachedheaderview.moc"
