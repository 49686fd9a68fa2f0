// SPDX-License-Identifier: GPL-3.0-or-later
// DocumentController without a window: save, open, new, demo and the recent-files list.
#include "demolab.h"
#include "documentcontroller.h"
#include "labdocument.h"
#include "testdata.h"
#include "testsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestDocumentController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        HivelabTest::isolateSettings(QStringLiteral("tst_documentcontroller"));
        QVERIFY(m_dir.isValid());
    }
    void init() { QSettings().clear(); }

    void saveThenOpenRoundTrips()
    {
        LabDocument doc;
        DocumentController files(&doc);
        files.openDemo();
        QVERIFY(doc.filePath().isEmpty());
        QCOMPARE(doc.lab(), demoLab());
        doc.setModified(true);
        QSignalSpy saved(&files, &DocumentController::saved);
        const QString path = m_dir.filePath(QStringLiteral("round.hivelab"));
        LabFileError error;
        QVERIFY2(files.save(path, &error), qPrintable(error.toString()));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().first().toString(), path);
        QVERIFY(!doc.isModified());
        QCOMPARE(doc.filePath(), path);

        files.newLab(QStringLiteral("Empty"));
        QCOMPARE(doc.lab().name, QStringLiteral("Empty"));
        QVERIFY(doc.lab().boards.isEmpty());
        QVERIFY(doc.filePath().isEmpty());
        QVERIFY2(files.open(path, &error), qPrintable(error.toString()));
        QCOMPARE(doc.lab(), demoLab());
        QCOMPARE(doc.filePath(), path);
    }

    void badFileChangesNothing()
    {
        LabDocument doc;
        DocumentController files(&doc);
        files.openDemo();
        const QString path = m_dir.filePath(QStringLiteral("broken.hivelab"));
        QVERIFY(HivelabTest::writeFile(path, "{ not json"));
        LabFileError error;
        QVERIFY(!files.open(path, &error));
        QVERIFY(!error.toString().isEmpty());
        QCOMPARE(doc.lab(), demoLab());
        QVERIFY(doc.filePath().isEmpty());
        QVERIFY(files.recentFiles().isEmpty());
    }

    void saveIntoMissingFolderFails()
    {
        LabDocument doc;
        DocumentController files(&doc);
        files.openDemo();
        doc.setModified(true);
        QSignalSpy saved(&files, &DocumentController::saved);
        LabFileError error;
        QVERIFY(!files.save(m_dir.filePath(QStringLiteral("no/such/dir/lab.hivelab")), &error));
        QVERIFY(!error.toString().isEmpty());
        QVERIFY(saved.isEmpty());
        QVERIFY(doc.isModified());
        QVERIFY(doc.filePath().isEmpty());
    }

    void recentFilesAreMostRecentFirstAndCapped()
    {
        LabDocument doc;
        DocumentController files(&doc);
        files.openDemo();
        LabFileError error;
        QStringList paths;
        for (int i = 0; i < DocumentController::MaxRecentFiles + 2; ++i) {
            paths.prepend(m_dir.filePath(QStringLiteral("lab%1.hivelab").arg(i)));
            QVERIFY2(files.save(paths.first(), &error), qPrintable(error.toString()));
        }
        paths.resize(DocumentController::MaxRecentFiles);
        QCOMPARE(files.recentFiles(), paths);
        // Opening an older one moves it to the top without a duplicate.
        QVERIFY(files.open(paths.last(), &error));
        QCOMPARE(files.recentFiles().first(), paths.last());
        QCOMPARE(files.recentFiles().size(), DocumentController::MaxRecentFiles);
        QCOMPARE(files.recentFiles().count(paths.last()), 1);
        // Relative paths are stored absolute.
        QVERIFY(QDir::setCurrent(m_dir.path()));
        QVERIFY(files.save(QStringLiteral("relative.hivelab"), &error));
        QCOMPARE(files.recentFiles().first(), m_dir.filePath(QStringLiteral("relative.hivelab")));
        files.clearRecentFiles();
        QVERIFY(files.recentFiles().isEmpty());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDocumentController)
#include "tst_documentcontroller.moc"
