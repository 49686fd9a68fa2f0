// SPDX-License-Identifier: GPL-3.0-or-later
// The wizard's scan table on the lab (read only: probes the lab's subnet from its laptop
// namespace). Rows must come in as the boards answer, while the silent addresses still run
// out their timeouts, not in one go at the end. Prints, per round, the milliseconds from Scan to
// the first row inserted and to its first paint (HIVELAB_ROUNDS=N for more rounds).
#include "discoverpage.h"
#include "discoveryservice.h"
#include "findwidget.h"
#include "labboard.h"
#include "labdocument.h"
#include "setupwizard.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <algorithm>

using namespace Hivelab;
using HivelabTest::find;

namespace {

// The first paint of a widget after `armed` is set.
class PaintClock : public QObject
{
public:
    QElapsedTimer *clock = nullptr;
    bool armed = false;
    qint64 at = -1;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (armed && at < 0 && event->type() == QEvent::Paint)
            at = clock->elapsed();
        return QObject::eventFilter(watched, event);
    }
};

qint64 median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? -1 : values.at((values.size() - 1) / 2);
}

} // namespace

class TestDiscoverPageLab : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsArriveAsBoardsAnswer()
    {
        QList<HivelabTest::LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        QSet<QString> sshHosts;
        QStringList ports{QStringLiteral("22")};
        for (const HivelabTest::LabBoard &b : std::as_const(boards)) {
            if (b.isOn())
                sshHosts.insert(b.ip);
            if (!ports.contains(QString::number(b.port)))
                ports << QString::number(b.port);
        }
        QVERIFY(!sshHosts.isEmpty());

        LabDocument doc;
        SetupWizard wizard(&doc);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.advanceTo(SetupWizard::DiscoverPageId));
        auto *page = qobject_cast<DiscoverPage *>(wizard.currentPage());
        QVERIFY(page);
        find<QLineEdit>(page, "scanRange")->setText(qEnvironmentVariable("HIVELAB_LAB_SUBNET"));
        find<QLineEdit>(page, "scanPorts")->setText(ports.join(QLatin1Char(',')));
        auto *table = find<QTableWidget>(page, "scanResults");
        QVERIFY(table);
        auto *scanner = page->findChild<DiscoveryService *>();
        QVERIFY(scanner);

        QElapsedTimer clock;
        PaintClock paint;
        paint.clock = &clock;
        table->viewport()->installEventFilter(&paint);
        qint64 firstRow = -1;
        bool scanningAtFirstRow = false;
        connect(table->model(), &QAbstractItemModel::rowsInserted, this, [&]() {
            if (firstRow >= 0)
                return;
            firstRow = clock.elapsed();
            scanningAtFirstRow = page->isScanning();
            paint.armed = true;
        });

        const int rounds = qMax(1, qEnvironmentVariableIntValue("HIVELAB_ROUNDS"));
        QList<qint64> rows;
        QList<qint64> paints;
        for (int round = 1; round <= rounds; ++round) {
            firstRow = -1;
            paint.armed = false;
            paint.at = -1;
            // Waits in a real event loop, as the application's: QTRY's polling sleeps between
            // turns and would hold the rows back itself.
            QSignalSpy scanned(scanner, &DiscoveryService::finished);
            clock.start();
            QTest::mouseClick(find<QPushButton>(page, "scanButton"), Qt::LeftButton);
            QVERIFY(page->isScanning());
            QVERIFY(scanned.wait(30000));
            const qint64 scan = clock.elapsed();
            QTRY_VERIFY_WITH_TIMEOUT(paint.at >= 0, 5000);
            qInfo("round %d: first row %lld ms after Scan, painted at %lld ms; scan over at "
                  "%lld ms, %d rows",
                  round, firstRow, paint.at, scan, table->rowCount());
            // In the table while the absent addresses still time out, not all at the end.
            QVERIFY2(scanningAtFirstRow, "the first row came only after the scan ended");
            QSet<QString> found;
            for (int row = 0; row < table->rowCount(); ++row) {
                if (!table->item(row, 4)->text().isEmpty())
                    found.insert(table->item(row, 0)->text());
            }
            QCOMPARE(found, sshHosts);
            rows << firstRow;
            paints << paint.at;
        }
        qInfo("median of %d: first row %lld ms, painted %lld ms after Scan", rounds, median(rows),
              median(paints));
    }
};

QTEST_MAIN(TestDiscoverPageLab)
#include "tst_discoverpagelab.moc"
