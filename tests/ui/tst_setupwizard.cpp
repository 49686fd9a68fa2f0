// SPDX-License-Identifier: GPL-3.0-or-later
#include "demolab.h"
#include "labdocument.h"
#include "setupwizard.h"

#include <QLabel>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>

using namespace Hivelab;

class TestSetupWizard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyLabNeedsRacksOrDemo();
    void walksAllPagesHonestly();

private:
    static QString pageText(QWizardPage *page);
};

QString TestSetupWizard::pageText(QWizardPage *page)
{
    QString text;
    const auto labels = page->findChildren<QLabel *>();
    for (const QLabel *l : labels)
        text += l->text() + QLatin1Char('\n');
    return text;
}

void TestSetupWizard::emptyLabNeedsRacksOrDemo()
{
    LabDocument doc;
    SetupWizard wizard(&doc);
    QSignalSpy demo(&wizard, &SetupWizard::demoRequested);
    wizard.show();
    QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPage));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPage)); // refused: no racks
    QVERIFY(pageText(wizard.currentPage()).contains(QStringLiteral("no racks")));
    QCOMPARE(demo.size(), 0);

    wizard.useDemoButton()->setChecked(true);
    // The window answers demoRequested by opening the demo lab.
    connect(&wizard, &SetupWizard::demoRequested, &doc, [&doc]() { doc.setLab(demoLab()); });
    wizard.next();
    QCOMPARE(demo.size(), 1);
    QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPage));
}

void TestSetupWizard::walksAllPagesHonestly()
{
    LabDocument doc;
    doc.setLab(demoLab());
    SetupWizard wizard(&doc);
    wizard.show();
    wizard.next();
    QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPage));
    QVERIFY(pageText(wizard.currentPage()).contains(QStringLiteral("hivelab discover")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(SetupWizard::FlashPage));
    const QString flash = pageText(wizard.currentPage());
    QVERIFY(flash.contains(QStringLiteral("pine64-7")));
    QVERIFY(flash.contains(QStringLiteral("up-3")));
    wizard.next(); // connect
    QVERIFY(pageText(wizard.currentPage()).contains(QStringLiteral("Not wired")));
    wizard.next(); // docker
    QVERIFY(pageText(wizard.currentPage()).contains(QStringLiteral("Not available")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(SetupWizard::ManagersPage));
    const QString managers = pageText(wizard.currentPage());
    QVERIFY(managers.contains(QStringLiteral("pine64-2")));
    QVERIFY(managers.contains(QStringLiteral("quorum needs 2")));
    wizard.next(); // swarm
    QVERIFY(pageText(wizard.currentPage()).contains(QStringLiteral("Not available")));
    wizard.next();
    QCOMPARE(wizard.currentId(), int(SetupWizard::SummaryPage));
    const QString summary = pageText(wizard.currentPage());
    QVERIFY(summary.contains(QStringLiteral("docker context create hivelab")));
    QVERIFY(summary.contains(QStringLiteral("root@10.77.0.12")));
    QVERIFY(summary.contains(QStringLiteral("Not done")));
}

QTEST_MAIN(TestSetupWizard)
#include "tst_setupwizard.moc"
