// SPDX-License-Identifier: GPL-3.0-or-later
#include "wrappedlabel.h"

#include <QApplication>
#include <QFontInfo>
#include <QLayoutItem>
#include <QTest>

using namespace Hivelab;

class TestWrappedLabel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fontIsPresent() { QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty()); }
    void heightsAreQLabels_data();
    void heightsAreQLabels();
    void eachWidthLaidOutOnce();
    void fixedHeightIsWhatALayoutSees();
};

namespace {
const QString Plain = QStringLiteral(
    "Select a board on the canvas or in the inventory, or click a rack, power supply or switch, "
    "to see and edit its details.");
const QString Rich = QStringLiteral("<b>3 managers</b> · quorum needs 2 · 1 error, 2 warnings<br>"
                                    "Suggested managers: pi-01, pi-02, pi-03");
} // namespace

void TestWrappedLabel::heightsAreQLabels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("margin");
    QTest::newRow("plain") << Plain << 16;
    QTest::newRow("rich") << Rich << 0;
}

// Every answer, kept or not, is what a QLabel with the same text and look answers, also after
// the text, the font or the margin changed (a kept height for the old look would be wrong).
void TestWrappedLabel::heightsAreQLabels()
{
    QFETCH(QString, text);
    QFETCH(int, margin);
    WrappedLabel wrapped(text);
    QLabel plain(text);
    plain.setWordWrap(true);
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain}) {
        label->setAlignment(Qt::AlignCenter);
        label->setMargin(margin);
    }
    auto sameEverywhere = [&]() {
        for (int width : {40, 120, 200, 200, 333, 120, 1000}) {
            QCOMPARE(wrapped.heightForWidth(width), plain.heightForWidth(width));
            QVERIFY(wrapped.heightForWidth(width) > 0);
        }
    };
    sameEverywhere();
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setText(text + QLatin1Char(' ') + text);
    sameEverywhere();
    QVERIFY(wrapped.heightForWidth(200) > plain.fontMetrics().height());
    QFont big = wrapped.font();
    big.setPointSizeF(big.pointSizeF() * 2);
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setFont(big);
    sameEverywhere();
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setMargin(margin + 10);
    sameEverywhere();
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain}) {
        label->setFrameStyle(QFrame::Box | QFrame::Plain);
        label->setLineWidth(6);
    }
    sameEverywhere();
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setText(text);
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setFont(QFont());
    sameEverywhere();
}

void TestWrappedLabel::eachWidthLaidOutOnce()
{
    WrappedLabel label(Plain);
    QCOMPARE(label.heightsLaidOut(), 0);
    const int narrow = label.heightForWidth(120);
    const int wide = label.heightForWidth(400);
    QCOMPARE(label.heightsLaidOut(), 2);
    QCOMPARE(label.heightForWidth(120), narrow);
    QCOMPARE(label.heightForWidth(400), wide);
    QCOMPARE(label.heightsLaidOut(), 2);
    label.setText(Plain + QStringLiteral(" Once more."));
    label.heightForWidth(120);
    QCOMPARE(label.heightsLaidOut(), 3);
}

// At a fixed height the label answers that height with no layout; a layout bounds QLabel's own
// answer to the same height, so the label's layout item answers as a QLabel's does.
void TestWrappedLabel::fixedHeightIsWhatALayoutSees()
{
    QWidget parent; // a widget with no parent is hidden, and its layout item empty
    WrappedLabel wrapped(Plain, &parent);
    QLabel plain(Plain, &parent);
    plain.setWordWrap(true);
    for (QLabel *label : {static_cast<QLabel *>(&wrapped), &plain})
        label->setFixedHeight(30);
    QWidgetItemV2 wrappedItem(&wrapped);
    QWidgetItemV2 plainItem(&plain);
    for (int width : {40, 120, 2000}) {
        QCOMPARE(wrapped.heightForWidth(width), 30);
        QCOMPARE(wrappedItem.heightForWidth(width), plainItem.heightForWidth(width));
        QCOMPARE(wrappedItem.minimumHeightForWidth(width), plainItem.minimumHeightForWidth(width));
    }
    QVERIFY(plain.heightForWidth(40) > 30); // the bound did matter
    QCOMPARE(wrapped.heightsLaidOut(), 0);
    // Free again: laid out as before.
    wrapped.setMinimumHeight(0);
    wrapped.setMaximumHeight(QWIDGETSIZE_MAX);
    plain.setMinimumHeight(0);
    plain.setMaximumHeight(QWIDGETSIZE_MAX);
    QCOMPARE(wrapped.heightForWidth(40), plain.heightForWidth(40));
    QCOMPARE(wrapped.heightsLaidOut(), 1);
}

QTEST_MAIN(TestWrappedLabel)
#include "tst_wrappedlabel.moc"
