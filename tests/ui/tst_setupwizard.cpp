// SPDX-License-Identifier: GPL-3.0-or-later
#include "boardcatalog.h"
#include "boardstatustable.h"
#include "cardwriterwidget.h"
#include "connectpage.h"
#include "demolab.h"
#include "discoverpage.h"
#include "dockertls.h"
#include "findwidget.h"
#include "labcheck.h"
#include "labcommands.h"
#include "labdocument.h"
#include "managerspage.h"
#include "setupwizard.h"
#include "sshtestserver.h"
#include "stepoutcome.h"
#include "summarypage.h"
#include "wizardsidebar.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFontInfo>
#include <QFrame>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUndoStack>

#include <memory>

using namespace Hivelab;

namespace {

using HivelabTest::find;

bool nextEnabled(const SetupWizard &wizard)
{
    return wizard.button(QWizard::NextButton)->isEnabled();
}

Lab oneBoardLab(quint16 port)
{
    Lab lab;
    lab.name = QStringLiteral("loopback");
    lab.racks << Rack{QStringLiteral("rack-1"), QStringLiteral("Rack 1"), 4};
    Board b;
    b.id = QStringLiteral("board-1");
    b.name = QStringLiteral("loop-1");
    b.ip = QStringLiteral("127.0.0.1");
    b.sshPort = port;
    b.model = QStringLiteral("generic-x86-64");
    b.os = QStringLiteral("Debian 12");
    b.rackId = QStringLiteral("rack-1");
    b.slot = 0;
    lab.boards << b;
    return lab;
}

/// The wizard on its Connect step for oneBoardLab() at `port`, logging in as `user` and
/// keeping host keys in `knownHosts`.
struct ConnectStep
{
    ConnectStep(quint16 port, const QString &user, const QString &knownHosts)
    {
        Lab lab = oneBoardLab(port);
        lab.boards[0].sshUser = user;
        doc.setLab(lab);
        wizard.setKnownHostsPath(knownHosts);
        wizard.show();
        if (wizard.advanceTo(SetupWizard::ConnectPageId))
            page = qobject_cast<ConnectPage *>(wizard.currentPage());
    }
    LabDocument doc;
    SetupWizard wizard{&doc};
    ConnectPage *page = nullptr; // null when the wizard did not get there
};

} // namespace

class TestSetupWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sidebarRedrawsOnlyForANewOutcome()
    {
        // Pages report after each change of theirs (a scan's every row); redrawing the step
        // icons from their SVGs each time held the scan table's rows back.
        WizardSidebar sidebar({QStringLiteral("Plan"), QStringLiteral("Discover")});
        sidebar.setCurrent(1);
        const StepOutcome done{StepOutcome::State::Done, QStringLiteral("1 rack")};
        sidebar.setOutcome(0, done);
        auto icons = [&sidebar]() {
            QList<qint64> keys;
            for (const QLabel *l : sidebar.findChildren<QLabel *>())
                keys << l->pixmap().cacheKey();
            return keys;
        };
        const QList<qint64> before = icons();
        sidebar.setOutcome(0, done);
        sidebar.setOutcome(1, sidebar.outcome(1));
        QCOMPARE(icons(), before);
        sidebar.setOutcome(0, {StepOutcome::State::Failed, QStringLiteral("no racks")});
        QVERIFY(icons() != before);
        QVERIFY(sidebar.stateText(0).contains(QLatin1String("no racks")));
    }

    void fontIsPresent() { QVERIFY(!QFontInfo(QApplication::font()).family().isEmpty()); }

    void oneLogo()
    {
        // The wizard shows the app's logo, the artwork the launcher installs (check-deb.sh).
        LabDocument doc;
        SetupWizard wizard(&doc);
        auto *logo = wizard.sidebar()->findChild<QLabel *>(QStringLiteral("wizardLogo"));
        QVERIFY(logo);
        const QImage shown = logo->pixmap().toImage();
        QVERIFY(!shown.isNull());
        QCOMPARE(shown, QIcon(QStringLiteral(":/icons/hivelab.svg")).pixmap(40, 40).toImage());
    }

    void statusTablesShowWholeRows_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("step");
        // The steps whose tables a screenshot showed with a half-cut last row.
        for (const QSize size : {QSize(1280, 800), QSize(1440, 900)}) {
            const QString name = QStringLiteral("%1x%2 ").arg(size.width()).arg(size.height());
            QTest::newRow(qPrintable(name + QStringLiteral("docker")))
                << size << int(SetupWizard::DockerPageId);
            QTest::newRow(qPrintable(name + QStringLiteral("swarm")))
                << size << int(SetupWizard::FormSwarmPageId);
        }
    }
    void statusTablesShowWholeRows()
    {
        QFETCH(QSize, size);
        QFETCH(int, step);
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.resize(size);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QVERIFY(wizard.advanceTo(step));
        auto *table = wizard.currentPage()->findChild<BoardStatusTable *>();
        QVERIFY(table && table->isVisible());
        QCOMPARE(table->rowCount(), 10);
        QScrollBar *bar = table->verticalScrollBar();
        QVERIFY(bar->maximum() > 0); // ten boards do not fit: where a row used to be cut
        // At the top the bottom edge falls inside a row: that part is left out.
        QVERIFY(table->trimmedHeight() > 0);
        for (int value = bar->minimum(); value <= bar->maximum(); ++value) {
            bar->setValue(value);
            const int height = table->viewport()->height();
            const int row = table->rowAt(height - 1);
            if (row >= 0) {
                QVERIFY2(table->rowViewportPosition(row) + table->rowHeight(row) <= height,
                         qPrintable(QStringLiteral("row %1 cut at %2 px").arg(row).arg(height)));
            }
        }
        QVERIFY(!table->showsEmptyHint());
    }

    void emptyTablesSayWhy()
    {
        LabDocument doc; // a new lab: no boards
        BoardStatusTable table;
        table.setBoards(&doc, {});
        QVERIFY(table.showsEmptyHint());
        QVERIFY(table.emptyHint().contains(QLatin1String("Discover")));
        // Screen readers hear the hint: it is the accessible description while it shows.
        QCOMPARE(table.accessibleDescription(), table.emptyHint());
        doc.setLab(demoLab());
        table.setBoards(&doc, {});
        QVERIFY(!table.showsEmptyHint());
        QVERIFY(table.accessibleDescription().isEmpty());
        const LabDocument none;
        table.setBoards(&none, {});
        QTRY_COMPARE(table.accessibleDescription(), table.emptyHint());
        // Discover on a new lab: the scan results before any scan, and the lab's boards.
        LabDocument empty;
        SetupWizard wizard(&empty);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::DiscoverPageId));
        QWidget *page = wizard.currentPage();
        auto *found =
            dynamic_cast<WholeRowsView<QTableWidget> *>(find<QTableWidget>(page, "scanResults"));
        QVERIFY(found);
        QCOMPARE(found->rowCount(), 0);
        QVERIFY(found->showsEmptyHint());
        QVERIFY(found->emptyHint().contains(QLatin1String("scan")));
        auto *boards =
            dynamic_cast<WholeRowsView<QTreeWidget> *>(find<QTreeWidget>(page, "labBoards"));
        QVERIFY(boards);
        QVERIFY(boards->showsEmptyHint());
        find<QLineEdit>(page, "boardName")->setText(QStringLiteral("pine-1"));
        find<QLineEdit>(page, "boardIp")->setText(QStringLiteral("10.0.0.5"));
        QTest::mouseClick(find<QPushButton>(page, "addBoard"), Qt::LeftButton);
        QCOMPARE(boards->topLevelItemCount(), 1);
        QVERIFY(!boards->showsEmptyHint());
    }

    void planValidationBlocksNext()
    {
        LabDocument doc;
        SetupWizard wizard(&doc);
        wizard.show();
        QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPageId));
        QWidget *page = wizard.currentPage();
        auto *racks = find<QSpinBox>(page, "racks");
        auto *slotCount = find<QSpinBox>(page, "slots");
        auto *message = find<QLabel>(page, "planMessage");
        QVERIFY(racks && slotCount && message);

        racks->setValue(0);
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(message->text().contains(QLatin1String("between 1 and 20")));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPageId));

        racks->setValue(21);
        QVERIFY(!nextEnabled(wizard));
        racks->setValue(2);
        slotCount->setValue(9); // more slots than the 8 switch ports
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(message->text().contains(QLatin1String("8 ports")));
        slotCount->setValue(5);
        QVERIFY(nextEnabled(wizard));
        QVERIFY(message->text().isEmpty());

        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPageId));
        QCOMPARE(doc.lab().racks.size(), 2);
        QCOMPARE(doc.lab().racks.at(1).slotCount, 5);
        QCOMPARE(doc.lab().powerSupplies.size(), 2);
        QCOMPARE(doc.lab().powerSupplies.at(0).effectiveWatts(), 60.0);
        QCOMPARE(doc.lab().switches.size(), 2);
        QCOMPARE(doc.lab().switches.at(1).rackId, QStringLiteral("rack-2"));
        QVERIFY(doc.isModified());
    }

    void demoGoesThroughTheMainWindowWhenItListens()
    {
        LabDocument doc;
        SetupWizard wizard(&doc);
        bool accept = false;
        int asked = 0;
        // Stands in for the main window, which asks about unsaved changes before replacing.
        connect(&wizard, &SetupWizard::demoRequested, &wizard, [&]() {
            ++asked;
            if (accept)
                doc.setLab(demoLab());
        });
        wizard.show();
        find<QRadioButton>(wizard.currentPage(), "planDemo")->setChecked(true);
        wizard.next();
        QCOMPARE(asked, 1);
        QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPageId)); // declined: stay
        QVERIFY(doc.lab().boards.isEmpty());
        accept = true;
        wizard.next();
        QCOMPARE(asked, 2);
        QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPageId));
        QCOMPARE(doc.lab(), demoLab());
    }

    void discoverValidatesRangeAndAddsBoards()
    {
        LabDocument doc;
        SetupWizard wizard(&doc);
        wizard.show();
        find<QSpinBox>(wizard.currentPage(), "racks")->setValue(2);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPageId));
        QWidget *page = wizard.currentPage();

        QVERIFY(!nextEnabled(wizard)); // no boards yet
        auto *name = find<QLineEdit>(page, "boardName");
        auto *ip = find<QLineEdit>(page, "boardIp");
        auto *add = find<QPushButton>(page, "addBoard");
        QVERIFY(name && ip && add);
        name->setText(QStringLiteral("pi-1"));
        ip->setText(QStringLiteral("10.9.0.300"));
        QVERIFY(!add->isEnabled());
        ip->setText(QStringLiteral("10.9.0.11"));
        QVERIFY(add->isEnabled());
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(doc.lab().boards.size(), 1);
        const Board first = doc.lab().boards.first();
        QCOMPARE(first.ip, QStringLiteral("10.9.0.11"));
        QCOMPARE(first.rackId, QStringLiteral("rack-1"));
        QCOMPARE(first.slot, 0);
        QCOMPARE(first.psuId, QStringLiteral("psu-1"));
        QCOMPARE(first.switchPort, 1);
        // The form moves on to the next name and address.
        QCOMPARE(name->text(), QStringLiteral("pi-2"));
        QCOMPARE(ip->text(), QStringLiteral("10.9.0.12"));
        QTest::mouseClick(add, Qt::LeftButton);
        // Spread over the racks: the second board goes to the emptier rack 2.
        QCOMPARE(doc.lab().boards.at(1).rackId, QStringLiteral("rack-2"));
        QCOMPARE(doc.lab().boards.at(1).slot, 0);
        QCOMPARE(doc.lab().boards.at(1).psuId, QStringLiteral("psu-2"));
        QCOMPARE(find<QTreeWidget>(page, "labBoards")->topLevelItemCount(), 2);
        QVERIFY(nextEnabled(wizard));

        auto *range = find<QLineEdit>(page, "scanRange");
        auto *message = find<QLabel>(page, "discoverMessage");
        range->setText(QStringLiteral("10.9.0.0/33"));
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(message->text().contains(QLatin1String("not a valid network")));
        range->setText(QStringLiteral("10.0.0.0/8"));
        QVERIFY(!nextEnabled(wizard));
        QVERIFY(message->text().contains(QLatin1String("/16")));
        range->setText(QStringLiteral("10.9.0.0/24"));
        QVERIFY(nextEnabled(wizard));

        // Back and Next again keep the boards.
        wizard.back();
        QCOMPARE(wizard.currentId(), int(SetupWizard::PlanPageId));
        wizard.next();
        QCOMPARE(doc.lab().boards.size(), 2);
        QVERIFY(wizard.advanceTo(SetupWizard::FlashPageId));
    }

    // The page takes what `hivelab discover` takes (ScanTargets), ports included.
    void scanTargets_data()
    {
        QTest::addColumn<QString>("targets");
        QTest::addColumn<QString>("ports");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("/24") << "192.168.1.0/24" << "22" << true;
        QTest::newRow("/16") << "10.1.0.0/16" << "22" << true;
        QTest::newRow("/15") << "10.0.0.0/15" << "22" << false;
        QTest::newRow("/32") << "10.0.0.1/32" << "22" << true;
        QTest::newRow("range") << "10.0.0.10-10.0.0.20" << "22" << true;
        QTest::newRow("short range") << "10.0.0.10-20" << "22" << true;
        QTest::newRow("backwards") << "10.0.0.20-10.0.0.10" << "22" << false;
        QTest::newRow("huge range") << "10.0.0.0-10.2.0.0" << "22" << false;
        QTest::newRow("octet") << "10.0.0.256/24" << "22" << false;
        QTest::newRow("short ip") << "10.1/24" << "22" << false;
        QTest::newRow("not a name") << "my_network!" << "22" << false;
        QTest::newRow("list") << "10.0.0.5, 10.0.0.9 10.0.1.0/30" << "22" << true;
        QTest::newRow("host names") << "pine64-1 pine64-2.lan" << "22" << true;
        QTest::newRow("ports") << "10.0.0.5" << "22, 2222" << true;
        QTest::newRow("bad port") << "10.0.0.5" << "22,x" << false;
        QTest::newRow("port too big") << "10.0.0.5" << "65536" << false;
    }

    void scanTargets()
    {
        QFETCH(QString, targets);
        QFETCH(QString, ports);
        QFETCH(bool, accepted);
        LabDocument doc;
        doc.setLab(oneBoardLab(22));
        SetupWizard wizard(&doc);
        QVERIFY(wizard.advanceTo(SetupWizard::DiscoverPageId));
        QWidget *page = wizard.currentPage();
        find<QLineEdit>(page, "scanRange")->setText(targets);
        find<QLineEdit>(page, "scanPorts")->setText(ports);
        QCOMPARE(find<QPushButton>(page, "scanButton")->isEnabled(), accepted);
        QCOMPARE(nextEnabled(wizard), accepted);
        const QString message = find<QLabel>(page, "discoverMessage")->text();
        QCOMPARE(message.contains(QLatin1String("failed.svg")), !accepted);
    }

    void wizardEditsUndoInOrderWithCanvasEdits()
    {
        LabDocument doc;
        doc.setLab(demoLab());
        QUndoStack stack;
        const Board before = doc.lab().boards.first();
        Board renamed = before;
        renamed.name = QStringLiteral("renamed-on-canvas");
        stack.push(EditBoardsCommand::edit(&doc, renamed));

        SetupWizard wizard(&doc);
        wizard.setUndoStack(&stack);
        wizard.setKnownHostsPath(QDir::temp().filePath(QStringLiteral("hivelab-unused")));
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::ConnectPageId));
        auto *table = find<QTableWidget>(wizard.currentPage(), "connectTable");
        auto *user = qobject_cast<QLineEdit *>(table->cellWidget(0, 2));
        QVERIFY(user);
        user->setText(QStringLiteral("someone"));
        wizard.back(); // keeps what was typed: the login goes into the lab
        QCOMPARE(doc.lab().board(before.id)->sshUser, QStringLiteral("someone"));
        QCOMPARE(stack.count(), 2);

        // Undo takes back the wizard's edit first and keeps the canvas edit ...
        stack.undo();
        QCOMPARE(doc.lab().board(before.id)->sshUser, before.sshUser);
        QCOMPARE(doc.lab().board(before.id)->name, renamed.name);
        // ... and redo brings the login back instead of it being lost.
        stack.redo();
        QCOMPARE(doc.lab().board(before.id)->sshUser, QStringLiteral("someone"));
        stack.undo();
        stack.undo();
        QCOMPARE(*doc.lab().board(before.id), before);

        // Boards added and removed on the Discover step are undoable too.
        wizard.back();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DiscoverPageId));
        const int boards = doc.lab().boards.size();
        auto *name = find<QLineEdit>(wizard.currentPage(), "boardName");
        name->setText(QStringLiteral("extra-1"));
        find<QLineEdit>(wizard.currentPage(), "boardIp")->setText(QStringLiteral("10.9.9.9"));
        QTest::mouseClick(find<QPushButton>(wizard.currentPage(), "addBoard"), Qt::LeftButton);
        QCOMPARE(doc.lab().boards.size(), boards + 1);
        stack.undo();
        QCOMPARE(doc.lab().boards.size(), boards);
    }

    void discoverScansLoopbackOnlyWhenAsked()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        SshTestServer server(SshTestServer::Kind::OpenSsh);
        QVERIFY2(server.start(&error), qPrintable(error));

        LabDocument doc;
        doc.setLab(oneBoardLab(22));
        SetupWizard wizard(&doc);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::DiscoverPageId));
        auto *page = qobject_cast<DiscoverPage *>(wizard.currentPage());
        QVERIFY(page);
        QVERIFY(!page->isScanning()); // never scans on its own
        auto *results = find<QTableWidget>(page, "scanResults");
        QCOMPARE(results->rowCount(), 0);

        find<QLineEdit>(page, "scanRange")->setText(QStringLiteral("127.0.0.1/32"));
        find<QLineEdit>(page, "scanPorts")->setText(QString::number(server.port()));
        auto *scan = find<QPushButton>(page, "scanButton");
        QVERIFY(scan->isEnabled());
        QTest::mouseClick(scan, Qt::LeftButton);
        QVERIFY(page->isScanning());
        QVERIFY(!nextEnabled(wizard)); // no Next while scanning
        QTRY_VERIFY_WITH_TIMEOUT(!page->isScanning(), 15000);
        QCOMPARE(results->rowCount(), 1);
        QCOMPARE(results->item(0, 0)->text(), QStringLiteral("127.0.0.1"));
        QVERIFY2(results->item(0, 4)->text().startsWith(QLatin1String("SSH-2.0-OpenSSH")),
                 qPrintable(results->item(0, 4)->text()));
        // The scanning machine itself is never ticked for the lab.
        QCOMPARE(results->item(0, 0)->checkState(), Qt::Unchecked);
        QVERIFY(results->item(0, 5)->text().contains(QLatin1String("this computer")));
        QVERIFY(nextEnabled(wizard));
    }

    void managersPreselectSuggestionAndUpdateQuorum()
    {
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::ManagersPageId));
        auto *page = qobject_cast<ManagersPage *>(wizard.currentPage());
        QVERIFY(page);
        const CheckReport report = checkLab(demoLab(), BoardCatalog::builtin());
        QVERIFY(!report.suggestedManagers.isEmpty());
        QCOMPARE(page->checkedManagers(), report.suggestedManagers);
        auto *suggestion = find<QLabel>(page, "managerSuggestion");
        QVERIFY(suggestion->text().contains(report.suggestionReason.toHtmlEscaped()));

        auto *summary = find<QLabel>(page, "quorumSummary");
        QVERIFY(summary->text().contains(QLatin1String("3 managers")));
        QVERIFY(summary->text().contains(QLatin1String("quorum needs 2")));
        QVERIFY(summary->text().contains(QLatin1String("<b>yes</b>")));

        // Drop the manager of one rack and add a second one to another: one rack holds 2 of 3.
        const QString dropped = report.suggestedManagers.first();
        page->setManagerChecked(dropped, false);
        QVERIFY(summary->text().contains(QLatin1String("2 managers")));
        QVERIFY(summary->text().contains(QLatin1String("<b>no</b>")));
        QString sameRack;
        const Board *keep = doc.lab().board(report.suggestedManagers.at(1));
        for (const Board &b : doc.lab().boards) {
            if (b.rackId == keep->rackId && b.id != keep->id && !b.isWindows())
                sameRack = b.id;
        }
        QVERIFY(!sameRack.isEmpty());
        page->setManagerChecked(sameRack, true);
        QVERIFY(summary->text().contains(QLatin1String("3 managers")));
        QVERIFY(summary->text().contains(QLatin1String("<b>no</b>")));
        QVERIFY(summary->text().contains(doc.lab().rack(keep->rackId)->name));

        page->setManagerChecked(sameRack, false);
        page->setManagerChecked(dropped, true);
        QVERIFY(summary->text().contains(QLatin1String("<b>yes</b>")));
        // Unticking everything blocks Next.
        for (const QString &id : report.suggestedManagers)
            page->setManagerChecked(id, false);
        QVERIFY(!nextEnabled(wizard));
        page->setManagerChecked(sameRack, true);
        QVERIFY(nextEnabled(wizard));
        wizard.next();
        QCOMPARE(doc.lab().managers().size(), 1);
        QCOMPARE(doc.lab().managers().first()->id, sameRack);
    }

    void connectKeepsTypedLoginsWhenGoingBack()
    {
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.setKnownHostsPath(QDir::temp().filePath(QStringLiteral("hivelab-unused")));
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::ConnectPageId));
        const QString id = doc.lab().boards.first().id;
        // Keys, the agent and ~/.ssh/config come first; the password is the fallback.
        auto *how = find<QLabel>(wizard.currentPage(), "signInExplanation");
        QVERIFY(how && how->isVisible());
        for (const char *word : {"SSH keys", "SSH agent", "~/.ssh/config", "only a fallback"})
            QVERIFY2(how->text().contains(QLatin1String(word)), word);
        auto *table = find<QTableWidget>(wizard.currentPage(), "connectTable");
        auto *user = qobject_cast<QLineEdit *>(table->cellWidget(0, 2));
        auto *password = qobject_cast<QLineEdit *>(table->cellWidget(0, 3));
        QVERIFY(user && password);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        user->setText(QStringLiteral("pi"));
        password->setText(QStringLiteral("s3cret"));
        wizard.back();
        QCOMPARE(wizard.currentId(), int(SetupWizard::FlashPageId));
        wizard.next();
        // The cells are rebuilt on the way in; read the live ones, not widgets being deleted.
        password = qobject_cast<QLineEdit *>(table->cellWidget(0, 3));
        user = qobject_cast<QLineEdit *>(table->cellWidget(0, 2));
        QVERIFY(user && password);
        QCOMPARE(password->text(), QStringLiteral("s3cret"));
        QCOMPARE(user->text(), QStringLiteral("pi"));
        QCOMPARE(doc.lab().board(id)->sshUser, QStringLiteral("pi"));
        QCOMPARE(wizard.password(id), QStringLiteral("s3cret"));
    }

    void connectResolvesUsersOffTheGuiThread()
    {
        // A slow ~/.ssh/config (a Match exec that takes a second) must not freeze the page:
        // the user cell says it is being read and fills in when ssh has answered.
        const QString sshDir = QDir::home().filePath(QStringLiteral(".ssh"));
        QVERIFY(QDir().mkpath(sshDir));
        QFile config(sshDir + QStringLiteral("/config"));
        QVERIFY(!config.exists()); // the test session's own HOME
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("Match exec \"sleep 1\"\n    User slowpoke\n");
        config.close();
        const auto cleanup = qScopeGuard([&config]() { config.remove(); });

        Lab lab = oneBoardLab(22);
        lab.boards[0].sshUser.clear();
        LabDocument doc;
        doc.setLab(lab);
        SetupWizard wizard(&doc);
        wizard.setKnownHostsPath(QDir::temp().filePath(QStringLiteral("hivelab-unused")));
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::FlashPageId));
        QElapsedTimer entering;
        entering.start();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::ConnectPageId));
        QVERIFY2(entering.elapsed() < 700, qPrintable(QString::number(entering.elapsed())));
        auto *table = find<QTableWidget>(wizard.currentPage(), "connectTable");
        auto *user = qobject_cast<QLineEdit *>(table->cellWidget(0, 2));
        QVERIFY(user);
        QVERIFY(wizard.loginUsersPending());
        QVERIFY(user->text().isEmpty());
        QVERIFY(user->placeholderText().contains(QLatin1String("~/.ssh/config")));
        QTRY_COMPARE_WITH_TIMEOUT(user->text(), QStringLiteral("slowpoke"), 15000);
        QVERIFY(user->placeholderText().isEmpty());
        QCOMPARE(wizard.userFor(QStringLiteral("board-1")), QStringLiteral("slowpoke"));
        // Nothing was pinned into the plan by merely showing the page.
        QVERIFY(doc.lab().board(QStringLiteral("board-1"))->sshUser.isEmpty());
    }

    void summaryShowsDockerContext()
    {
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::SummaryPageId));
        auto *commands = find<QPlainTextEdit>(wizard.currentPage(), "dockerContextCommands");
        QVERIFY(commands);
        const Board *manager = doc.lab().managers().first();
        // The same context name as `hivelab context FILE --ssh`.
        const QString context = DockerTls::sshContextName(doc.lab().name);
        QVERIFY(context.endsWith(QLatin1String("-ssh")));
        const QString expected =
            QStringLiteral("docker context create %1 --docker "
                           "\"host=ssh://%2@%3\"")
                .arg(context,
                     manager->sshUser.isEmpty() ? QStringLiteral("root") : manager->sshUser,
                     manager->ip);
        QVERIFY2(commands->toPlainText().contains(expected), qPrintable(commands->toPlainText()));
        QVERIFY(commands->toPlainText().contains(QLatin1String("docker context use ") + context));
        QVERIFY(commands->toPlainText().contains(QLatin1String("DOCKER_HOST=ssh://")));
        // Remote access over TLS is offered here; once set up, the TLS context comes first.
        QVERIFY(find<QPushButton>(wizard.currentPage(), "setUpRemoteAccess"));
        QVERIFY(!commands->toPlainText().contains(QLatin1String(":2376")));
        const QString tls = SummaryPage::dockerContextCommands(doc.lab(), QStringLiteral("/c"));
        QVERIFY2(tls.contains(QStringLiteral("docker context create %1 --docker "
                                             "\"host=tcp://%2:2376,ca=/c/ca.pem,cert=/c/cert.pem,"
                                             "key=/c/key.pem\"")
                                  .arg(DockerTls::contextName(doc.lab().name), manager->ip)),
                 qPrintable(tls));
        QVERIFY(tls.contains(QLatin1String("DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=/c")));
        QVERIFY(tls.indexOf(QLatin1String(":2376")) < tls.indexOf(QLatin1String("ssh://")));
    }

    void sidebarTicksOnlyCompletedSteps()
    {
        using S = StepOutcome::State;
        // A board whose port nobody listens on: its sign-in fails for real, at once.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QTemporaryDir dir;
        ConnectStep step(port, QStringLiteral("nobody"), dir.filePath(QStringLiteral("kh")));
        QVERIFY(step.page);
        SetupWizard &wizard = step.wizard;
        WizardSidebar *sidebar = wizard.sidebar();
        QVERIFY(sidebar);

        // Completed steps are ticked; the Flash step only shows guidance: not ticked.
        QCOMPARE(sidebar->outcome(SetupWizard::PlanPageId).state, S::Done);
        QVERIFY2(sidebar->stateText(SetupWizard::PlanPageId).startsWith(QStringLiteral("✓ done")),
                 qPrintable(sidebar->stateText(SetupWizard::PlanPageId)));
        QCOMPARE(sidebar->outcome(SetupWizard::DiscoverPageId).state, S::Done);
        QCOMPARE(sidebar->outcome(SetupWizard::FlashPageId).state, S::NotRun);
        QVERIFY2(sidebar->stateText(SetupWizard::FlashPageId).startsWith(QStringLiteral("– not run")),
                 qPrintable(sidebar->stateText(SetupWizard::FlashPageId)));
        // The current step, and steps still ahead, carry no verdict yet (even one whose page
        // would say "done" already: the lab has its managers).
        QVERIFY(sidebar->stateText(SetupWizard::ConnectPageId).isEmpty());
        QVERIFY(sidebar->stateText(SetupWizard::DockerPageId).isEmpty());
        Lab managed = step.doc.lab();
        managed.boards[0].role = Role::Manager;
        step.doc.setLab(managed);
        QCOMPARE(sidebar->outcome(SetupWizard::ManagersPageId).state, S::Done);
        QVERIFY(sidebar->stateText(SetupWizard::ManagersPageId).isEmpty());
        // Nothing tested: going on is skipping, and the button says so.
        QCOMPARE(wizard.button(QWizard::NextButton)->text(), QStringLiteral("&Skip >"));

        QTest::mouseClick(find<QPushButton>(step.page, "testConnections"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            wizard.statuses(SetupWizard::ConnectPageId).value(QStringLiteral("board-1")).state,
            BoardStatus::State::Failed, 15000);
        QCOMPARE(sidebar->outcome(SetupWizard::ConnectPageId).state, S::Failed);
        QCOMPARE(sidebar->outcome(SetupWizard::ConnectPageId).detail,
                 QStringLiteral("0 of 1 boards signed in"));
        QVERIFY(wizard.button(QWizard::NextButton)->text() != QStringLiteral("&Skip >"));

        // Past it, the failed step shows a cross and words, not a tick; the Docker step that
        // was skipped shows "not run".
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DockerPageId));
        QVERIFY2(sidebar->stateText(SetupWizard::ConnectPageId)
                     .startsWith(QStringLiteral("✕ failed · 0 of 1 boards signed in")),
                 qPrintable(sidebar->stateText(SetupWizard::ConnectPageId)));
        QCOMPARE(wizard.button(QWizard::NextButton)->text(), QStringLiteral("&Skip >"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::ManagersPageId));
        QCOMPARE(sidebar->outcome(SetupWizard::DockerPageId).state, S::NotRun);
        QVERIFY(sidebar->stateText(SetupWizard::DockerPageId).startsWith(QStringLiteral("– not run")));
        // Every state has its own words (and icon shape), in the tooltip too.
        auto *state = sidebar->findChild<QLabel *>(
            QStringLiteral("stepState-%1").arg(int(SetupWizard::ConnectPageId)));
        QVERIFY(state && state->toolTip().contains(QStringLiteral("failed")));

        // Some boards done, others not: partly, with a warning sign, never a tick.
        const QStringList ids{QStringLiteral("a"), QStringLiteral("b")};
        QHash<QString, BoardStatus> statuses{{ids[0], {BoardStatus::State::Done, {}}},
                                             {ids[1], {BoardStatus::State::Failed, {}}}};
        const StepOutcome partly = StepOutcome::fromBoards(ids, statuses, QStringLiteral("%1/%2"));
        QCOMPARE(partly.state, S::Partial);
        QCOMPARE(partly.detail, QStringLiteral("1/2"));
        QCOMPARE(StepOutcome::text(S::Partial), QStringLiteral("! partly"));
        statuses[ids[1]].state = BoardStatus::State::Done;
        QCOMPARE(StepOutcome::fromBoards(ids, statuses, QStringLiteral("%1/%2")).state, S::Done);
        QCOMPARE(StepOutcome::fromBoards(ids, {}, QStringLiteral("%1/%2")).state, S::NotRun);
    }

    void flashGuidanceLinksOpen()
    {
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::FlashPageId));
        auto *text = find<QTextBrowser>(wizard.currentPage(), "flashGuidance");
        QVERIFY(text);
        QVERIFY(text->openExternalLinks());
        QVERIFY(text->openLinks());
        QVERIFY2(text->toHtml().contains(QLatin1String("<a href=\"https://")),
                 qPrintable(text->toHtml()));
    }

    void flashTableStaysPutWhenTheSummaryChanges()
    {
        // The introduction under the card table is two lines at this size; the drive listing's
        // answer, or a refusal, one. The table above must not grow when it changes.
        LabDocument doc;
        doc.setLab(demoLab());
        SetupWizard wizard(&doc);
        wizard.resize(1066, 700);
        wizard.show();
        QVERIFY(wizard.advanceTo(SetupWizard::FlashPageId));
        auto *writer = wizard.currentPage()->findChild<CardWriterWidget *>();
        QVERIFY(writer);
        auto *table = find<QTableWidget>(writer, "cardTable");
        auto *summary = find<QLabel>(writer, "cardSummary");
        QVERIFY(table && summary);
        QSignalSpy listed(writer, &CardWriterWidget::drivesListed);
        writer->layout()->activate();
        const QString intro = summary->text();
        QVERIFY2(intro.startsWith(QLatin1String("Choose an image")), qPrintable(intro));
        const auto lines = [summary]() {
            return summary->fontMetrics()
                       .boundingRect(QRect(0, 0, summary->contentsRect().width(), 10000),
                                     Qt::TextWordWrap, summary->text())
                       .height() /
                   summary->fontMetrics().lineSpacing();
        };
        QVERIFY2(lines() == 2, "the introduction is expected on two lines at this size");
        const QRect before = table->geometry();
        QVERIFY(!writer->writeCards()); // no card chosen: refused, one line
        QVERIFY2(writer->summary().startsWith(QLatin1String("Choose a card")),
                 qPrintable(writer->summary()));
        QCOMPARE(lines(), 1);
        writer->layout()->activate();
        QCOMPARE(table->geometry(), before);
        QVERIFY(listed.count() > 0 || listed.wait(10000)); // the listing's thread is done
    }

    void connectAsksForUnknownHostKey()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        SshTestUser user;
        QVERIFY2(user.create(&error), qPrintable(error));
        QVERIFY(user.allowSudo(true)); // the Docker probe inspects the engine as root
        SshTestServer server(SshTestServer::Kind::OpenSsh);
        // Keys in the user's own ~/.ssh (as on a board), for the "Install my SSH key" step.
        QVERIFY2(server.start(&error, QStringLiteral("ed25519"),
                              QStringLiteral("AuthorizedKeysFile .ssh/authorized_keys")),
                 qPrintable(error));
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));

        ConnectStep step(server.port(), user.name(), knownHosts);
        QVERIFY(step.page);
        SetupWizard &wizard = step.wizard;
        ConnectPage *page = step.page;
        auto *password = find<QLineEdit>(page, "password-board-1");
        QVERIFY(password);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        password->setText(user.password());

        auto *panel = find<QFrame>(page, "hostKeyPanel");
        auto *prompt = find<QLabel>(page, "hostKeyPrompt");
        auto *table = find<QTableWidget>(page, "connectTable");
        QTest::mouseClick(find<QPushButton>(page, "testConnections"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible(), 15000);
        QVERIFY2(
            prompt->text().contains(
                QStringLiteral("ED25519 key fingerprint is %1").arg(server.hostKeyFingerprint())),
            qPrintable(prompt->text()));
        QVERIFY(!QFile::exists(knownHosts)); // nothing trusted before the user says so

        QTest::mouseClick(find<QPushButton>(page, "acceptHostKey"), Qt::LeftButton);
        const int status = 4; // board, address, user, password, status
        QTRY_COMPARE_WITH_TIMEOUT(
            wizard.statuses(SetupWizard::ConnectPageId).value(QStringLiteral("board-1")).state,
            BoardStatus::State::Done, 20000);
        QCOMPARE(table->item(0, status)->text(), BoardStatus::text(BoardStatus::State::Done));
        // Signed in: the step completed, and only now is it ticked.
        QCOMPARE(wizard.sidebar()->outcome(SetupWizard::ConnectPageId).state,
                 StepOutcome::State::Done);
        QCOMPARE(wizard.sidebar()->outcome(SetupWizard::ConnectPageId).detail,
                 QStringLiteral("1 of 1 boards signed in"));
        QVERIFY(QFile::exists(knownHosts));
        QVERIFY(panel->isHidden());

        // "Install my SSH key": the same key-login job as the CLI's `hivelab keys`, with a key
        // made in a HOME of this test (never the real ~/.ssh), verified with a key-only login.
        {
            QTemporaryDir keyHome;
            const QByteArray oldHome = qgetenv("HOME");
            qputenv("HOME", QFile::encodeName(keyHome.path()));
            const auto restoreHome = qScopeGuard([&oldHome]() { qputenv("HOME", oldHome); });
            auto *install = find<QPushButton>(page, "installKey");
            QVERIFY(install->isEnabled());
            QTest::mouseClick(install, Qt::LeftButton);
            QVERIFY(!install->isEnabled()); // busy: Cancel is the way out
            QVERIFY(find<QPushButton>(page, "cancelConnections")->isEnabled());
            QTRY_VERIFY_WITH_TIMEOUT(install->isEnabled(), 30000);
            const BoardStatus keyed =
                wizard.statuses(SetupWizard::ConnectPageId).value(QStringLiteral("board-1"));
            QVERIFY2(keyed.state == BoardStatus::State::Done, qPrintable(keyed.detail));
            QVERIFY2(keyed.detail.contains(QLatin1String("Key login works")),
                     qPrintable(keyed.detail));
            QFile pub(keyHome.filePath(QStringLiteral(".ssh/id_ed25519.pub")));
            QVERIFY(pub.open(QIODevice::ReadOnly));
            QFile authorized(user.home() + QStringLiteral("/.ssh/authorized_keys"));
            QVERIFY(authorized.open(QIODevice::ReadOnly));
            QVERIFY(authorized.readAll().contains(pub.readAll().trimmed()));
        }

        // The Docker step signs in with the accepted key and the typed password and runs its
        // check on the board (here: this machine).
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DockerPageId));
        QWizardPage *dockerPage = wizard.currentPage();
        // This "board" is the test machine itself: only look, never install anything on it.
        if (auto *install = dockerPage->findChild<QCheckBox *>(QStringLiteral("installDocker")))
            install->setChecked(false);
        const bool checkOnly =
            find<QPushButton>(dockerPage, "stepStart")->text().contains(QLatin1String("Check"));
        QTest::mouseClick(find<QPushButton>(dockerPage, "stepStart"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dockerPage->isComplete(), 20000);
        const BoardStatus docker =
            wizard.statuses(SetupWizard::DockerPageId).value(QStringLiteral("board-1"));
        QVERIFY2(docker.state == BoardStatus::State::Done ||
                     docker.state == BoardStatus::State::Failed,
                 qPrintable(docker.detail));
        QVERIFY(!docker.detail.isEmpty());
        if (checkOnly && QStandardPaths::findExecutable(QStringLiteral("docker")).isEmpty())
            QVERIFY2(docker.detail.contains(QLatin1String("not installed")),
                     qPrintable(docker.detail));
        QVERIFY(!docker.detail.contains(QLatin1String("Not signed in")));
        qInfo("Docker check on loopback: %s", qPrintable(docker.detail));
        wizard.back();
        QCOMPARE(wizard.currentId(), int(SetupWizard::ConnectPageId));

        // A reinstalled board (new key, same address) is refused outright.
        QVERIFY2(server.restartWithNewHostKey(&error), qPrintable(error));
        QTest::mouseClick(find<QPushButton>(page, "testConnections"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            wizard.statuses(SetupWizard::ConnectPageId).value(QStringLiteral("board-1")).state,
            BoardStatus::State::Failed, 20000);
        auto *warning = find<QLabel>(page, "connectWarning");
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QLatin1String("WARNING")));
        QVERIFY(warning->text().contains(server.hostKeyFingerprint()));
        QVERIFY(panel->isHidden());
    }

    void connectRefusesHostKeyOfAnotherType()
    {
        // The board's ECDSA key is on file; it now offers only an ED25519 key. The wizard must
        // not ask to trust it as a new key: refused like a changed key, file untouched.
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QString error;
        SshTestUser user;
        QVERIFY2(user.create(&error), qPrintable(error));
        SshTestServer server(SshTestServer::Kind::OpenSsh);
        QVERIFY2(server.start(&error, QStringLiteral("ecdsa")), qPrintable(error));
        QTemporaryDir dir;
        const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
        const QByteArray onFile = server.knownHostsLine();
        {
            QFile f(knownHosts);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(onFile);
        }
        QVERIFY2(server.restartWithNewHostKey(&error, QStringLiteral("ed25519")),
                 qPrintable(error));

        ConnectStep step(server.port(), user.name(), knownHosts);
        QVERIFY(step.page);
        SetupWizard &wizard = step.wizard;
        ConnectPage *page = step.page;
        find<QLineEdit>(page, "password-board-1")->setText(user.password());
        QTest::mouseClick(find<QPushButton>(page, "testConnections"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            wizard.statuses(SetupWizard::ConnectPageId).value(QStringLiteral("board-1")).state,
            BoardStatus::State::Failed, 20000);
        auto *warning = find<QLabel>(page, "connectWarning");
        QVERIFY(warning->isVisible());
        QVERIFY2(warning->text().contains(QLatin1String("has changed")),
                 qPrintable(warning->text()));
        QVERIFY(warning->text().contains(server.hostKeyFingerprint()));
        QVERIFY(warning->text().contains(knownHosts));
        QVERIFY(find<QFrame>(page, "hostKeyPanel")->isHidden());
        QFile f(knownHosts);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), onFile);
    }
};

QTEST_MAIN(TestSetupWizard)
#include "tst_setupwizard.moc"
