// SPDX-License-Identifier: GPL-3.0-or-later
// The canvas keeps shaped text and card pictures in caches shared by all items (statics): they
// are dropped while the application goes, before its fonts and pixmaps, and a second
// application in the same process (as in tests) draws the same canvas with its own.
#include "democanvas.h"

#include <QApplication>
#include <QFontInfo>
#include <QImage>
#include <QTest>

using namespace Hivelab;

namespace {
QImage g_first; // the canvas as the first application drew it
} // namespace

class TestCanvasExit : public QObject, HivelabTest::DemoCanvasTest
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(createDemoCanvas()); }
    void cleanup() { destroyDemoCanvas(); }

    void drawsTheSameCanvasInEachApplication()
    {
        QVERIFY(!QFontInfo(m_view->font()).family().isEmpty());
        // Twice: the second frame is drawn from the caches the first one filled.
        m_view->viewport()->grab();
        const QImage image = m_view->viewport()->grab().toImage();
        QVERIFY(!image.isNull());
        if (g_first.isNull())
            g_first = image;
        else
            QVERIFY(image == g_first);
    }
};

int main(int argc, char **argv)
{
    int failed = 0;
    for (int round = 0; round < 2 && failed == 0; ++round) {
        QApplication app(argc, argv);
        TestCanvasExit test;
        failed = QTest::qExec(&test, argc, argv);
    }
    return failed;
}

#include "tst_canvasexit.moc"
