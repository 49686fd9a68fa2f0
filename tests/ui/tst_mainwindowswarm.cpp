// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's swarm actions drive the real workflows. Boards are on 127.0.0.1 only:
// a bound-but-not-listening port (refused), a silent listener (handshake hangs) or a real sshd.
#include "boarditem.h"
#include "demolab.h"
#include "inspectorwidget.h"
#include "labdocument.h"
#include "labworkflow.h"
#include "logconsole.h"
#include "loopback.h"
#include "mainwindow.h"
#include "sshtestserver.h"
#include "swarmlabels.h"
#include "testdata.h"
#include "testsettings.h"
#include "theme.h"
#include "topologyscene.h"
#include "workflowjob.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace Hivelab;

class TestMainWindowSwarm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void formSwarmNeedsAManager();
    void unreachableBoardsFailWithoutBlocking();
    void cancelEndsTheJob();
    void contextMenuJoinsAndDrains();
    void refreshStatusReportsUnreachableManagers();
    void applyPlacementRunsTheLabelsJob();
    void unknownHostKeyIsNeverTrusted();
    void liveStatusPollsQuietlyAndStopsWithTheLab();
    void keyLoginAsksThenRunsOnTheSelectedBoards();
    void identifyRecordsWhatBoardsReportAsOneUndoStep();
    void remoteAccessAsksThenRunsOnTheSelectedBoards();
    void applyAddressesListsTheMovesThenRuns();
    void inspectorChecksPlannedAddresses();

private:
    quint16 closedPort() { return HivelabTest::closedPort(this); }
    static Board board(const QString &id, quint16 port, Role role)
    {
        return HivelabTest::loopbackBoard(id, port, role, QStringLiteral("nobody"));
    }
    void useLab(quint16 managerPort, quint16 workerPort)
    {
        Lab lab;
        lab.name = QStringLiteral("loopback");
        lab.boards << board(QStringLiteral("m1"), managerPort, Role::Manager)
                   << board(QStringLiteral("w1"), workerPort, Role::Worker);
        m_doc->setLab(lab);
    }
    // Refused ports fail at once; the deadline only bounds a connection that stalls.
    ConnectionSettings settings(int connectTimeoutMs, const QString &key = QString()) const
    {
        return HivelabTest::loopbackSettings(m_dir.path(), connectTimeoutMs, key);
    }
    QString logText() const { return m_window->logConsole()->visibleText(); }
    void askThenRunOnOneBoard(QAction *action, const QString &boardId, const QString &jobTitle);

    QTemporaryDir m_dir;
    std::unique_ptr<LabDocument> m_doc;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindowSwarm::initTestCase()
{
    HivelabTest::isolateSettings(QStringLiteral("tst_mainwindowswarm"));
    Theme::apply(false);
    QVERIFY(m_dir.isValid());
}

void TestMainWindowSwarm::init()
{
    m_doc = std::make_unique<LabDocument>();
    m_window = std::make_unique<MainWindow>(m_doc.get());
    m_window->setUnsavedPrompt([]() { return QMessageBox::Discard; });
    m_window->setConnectionSettings(settings(3000));
    m_window->setKeychainEnabled(false); // no Secret Service needed: key logins only
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindowSwarm::cleanup()
{
    m_doc->setModified(false);
    m_window.reset();
    m_doc.reset();
}

void TestMainWindowSwarm::formSwarmNeedsAManager()
{
    m_window->openDemo();
    QVERIFY(!m_doc->lab().managers().isEmpty());
    QVERIFY(m_window->formSwarmAction()->isEnabled());
    QVERIFY(m_window->refreshSwarmAction()->isEnabled());
    QVERIFY(m_window->applyPlacementAction()->isEnabled());
    QVERIFY(!m_window->cancelJobAction()->isEnabled());

    Lab workersOnly = demoLab();
    for (Board &b : workersOnly.boards)
        b.role = Role::Worker;
    m_doc->setLab(workersOnly);
    QVERIFY(!m_window->formSwarmAction()->isEnabled());
    QVERIFY(!m_window->refreshSwarmAction()->isEnabled());
    QVERIFY(!m_window->applyPlacementAction()->isEnabled());
    QVERIFY(m_window->formSwarmAction()->toolTip().contains(QStringLiteral("manager")));
}

void TestMainWindowSwarm::unreachableBoardsFailWithoutBlocking()
{
    useLab(closedPort(), closedPort());
    QAction *form = m_window->formSwarmAction();
    QVERIFY(form->isEnabled());
    form->trigger();
    // Returned at once: the job runs in the event loop, the action waits for it.
    QVERIFY(m_window->currentJob());
    QVERIFY(m_window->currentJob()->isRunning());
    QVERIFY(!form->isEnabled());
    QVERIFY(m_window->cancelJobAction()->isEnabled());
    QTRY_VERIFY2_WITH_TIMEOUT(form->isEnabled(), qPrintable(logText()), 8000);
    QVERIFY(!m_window->currentJob()->succeeded());
    QVERIFY(!m_window->cancelJobAction()->isEnabled());

    const QString log = logText();
    QVERIFY2(log.contains(QStringLiteral("m1 failed:")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("Form swarm: 0 of 2 boards ready")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("Setup Wizard's Connect step")), qPrintable(log));
    // Per-board lines: filtering on the worker shows its failure and not the manager's.
    m_window->logConsole()->setBoardFilter(QStringLiteral("w1"));
    QVERIFY(logText().contains(QStringLiteral("w1 failed:")));
    QVERIFY(!logText().contains(QStringLiteral("m1 failed:")));
    m_window->logConsole()->setBoardFilter(QString());

    // Canvas LEDs follow whatever state the workflow left in the document.
    for (const QString &id : {QStringLiteral("m1"), QStringLiteral("w1")}) {
        BoardItem *item = m_window->scene()->boardItem(id);
        QVERIFY(item);
        QCOMPARE(item->state(), m_doc->nodeState(id));
    }
    m_doc->setNodeState(QStringLiteral("m1"), NodeState::SwarmReady);
    QCOMPARE(m_window->scene()->boardItem(QStringLiteral("m1"))->state(), NodeState::SwarmReady);
}

void TestMainWindowSwarm::cancelEndsTheJob()
{
    // Accepts connections and never sends a banner: the SSH handshake hangs until cancel.
    HivelabTest::SilentServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    useLab(silent.serverPort(), silent.serverPort());
    m_window->setConnectionSettings(settings(60000)); // cancel, not the deadline, must end it
    m_window->formSwarmAction()->trigger();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(silent.held() >= 1, 5000);
    QVERIFY(!m_window->formSwarmAction()->isEnabled());

    QElapsedTimer clock;
    clock.start();
    m_window->cancelJobAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->formSwarmAction()->isEnabled(), 5000);
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(!m_window->currentJob()->isRunning());
    QVERIFY2(logText().contains(QStringLiteral("2 cancelled")), qPrintable(logText()));
}

void TestMainWindowSwarm::contextMenuJoinsAndDrains()
{
    useLab(closedPort(), closedPort());
    std::unique_ptr<QMenu> menu(m_window->createBoardMenu({QStringLiteral("w1")}));
    auto *join = menu->findChild<QAction *>(QStringLiteral("joinSwarm"));
    auto *leave = menu->findChild<QAction *>(QStringLiteral("leaveSwarm"));
    auto *drain = menu->findChild<QAction *>(QStringLiteral("drain"));
    QVERIFY(join && leave && drain);
    QVERIFY(join->isEnabled());
    QVERIFY(leave->isEnabled());
    auto *activate = menu->findChild<QAction *>(QStringLiteral("activate"));
    QVERIFY(activate && activate->isEnabled());
    QVERIFY(drain->isEnabled());

    drain->trigger();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QCOMPARE(m_window->currentJob()->boardFilter(), QStringList{QStringLiteral("w1")});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->formSwarmAction()->isEnabled(), 8000);
    // No manager answers (closed ports): the board is not drained and the log says why.
    QVERIFY(!m_window->currentJob()->succeeded());
    QVERIFY2(logText().contains(QStringLiteral("Drain: 0 of 1 boards ready")),
             qPrintable(logText()));
    QVERIFY2(logText().contains(QStringLiteral("No manager answered")), qPrintable(logText()));

    join->trigger();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QCOMPARE(m_window->currentJob()->boardFilter(), QStringList{QStringLiteral("w1")});
    // While it runs, the menu offers no second job.
    std::unique_ptr<QMenu> busyMenu(m_window->createBoardMenu({QStringLiteral("w1")}));
    QVERIFY(!busyMenu->findChild<QAction *>(QStringLiteral("joinSwarm"))->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->formSwarmAction()->isEnabled(), 8000);
    QVERIFY2(logText().contains(QStringLiteral("Join swarm: ")), qPrintable(logText()));
    QVERIFY2(logText().contains(QStringLiteral("failed")), qPrintable(logText()));
}

void TestMainWindowSwarm::refreshStatusReportsUnreachableManagers()
{
    useLab(closedPort(), closedPort());
    m_window->refreshSwarmAction()->trigger();
    QVERIFY(!m_window->refreshSwarmAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->refreshSwarmAction()->isEnabled(), 8000);
    QVERIFY(!m_window->currentJob()->succeeded());
    QVERIFY2(logText().contains(QStringLiteral("Swarm status: 0 of")), qPrintable(logText()));
}

void TestMainWindowSwarm::applyPlacementRunsTheLabelsJob()
{
    // The same job as `hivelab swarm labels`: through the first manager that answers.
    useLab(closedPort(), closedPort());
    QAction *apply = m_window->applyPlacementAction();
    apply->trigger();
    QVERIFY(qobject_cast<SwarmLabels *>(m_window->currentJob()));
    QVERIFY(!qobject_cast<SwarmLabels *>(m_window->currentJob())->checkOnly());
    QVERIFY(!apply->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 8000);
    QVERIFY(!m_window->currentJob()->succeeded());
    QVERIFY2(logText().contains(QStringLiteral("Apply placement: 0 of 2 boards")),
             qPrintable(logText()));
    QVERIFY2(logText().contains(QStringLiteral("No manager answered")), qPrintable(logText()));
}

void TestMainWindowSwarm::unknownHostKeyIsNeverTrusted()
{
    HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
    QString error;
    SshTestServer server(SshTestServer::Kind::OpenSsh);
    QVERIFY2(server.start(&error), qPrintable(error));
    Lab lab;
    lab.name = QStringLiteral("loopback");
    lab.boards << board(QStringLiteral("m1"), server.port(), Role::Manager);
    m_doc->setLab(lab);
    m_window->formSwarmAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->formSwarmAction()->isEnabled(), 8000);
    QVERIFY(!m_window->currentJob()->succeeded());
    QVERIFY2(logText().contains(QStringLiteral("m1: check and accept its host key fingerprint in "
                                               "the Setup Wizard's Connect step (right-click the board ▸ Connect…)")),
             qPrintable(logText()));
    // Nothing was trusted behind the user's back.
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("known_hosts"))));
}

void TestMainWindowSwarm::liveStatusPollsQuietlyAndStopsWithTheLab()
{
    useLab(closedPort(), closedPort());
    QVERIFY(!m_window->liveStatusAction()->isChecked()); // never on by default
    m_window->setLiveIntervalMs(100);
    QSignalSpy updates(m_window.get(), &MainWindow::liveStatusUpdated);
    m_window->liveStatusAction()->trigger();
    QVERIFY(m_window->liveStatusAction()->isChecked());
    // Background polls leave the user's actions alone and never show as a job.
    QVERIFY(m_window->formSwarmAction()->isEnabled());
    QVERIFY(!m_window->currentJob());
    QTRY_VERIFY_WITH_TIMEOUT(updates.size() >= 3, 10000);
    QCOMPARE(updates.first().first().toBool(), false); // nothing listens on the ports
    // One line for the failure, not one per poll.
    QCOMPARE(logText().count(QStringLiteral("Live status: No manager answered")), 1);

    // Another lab turns it off: no polling of boards the user did not ask about.
    useLab(closedPort(), closedPort());
    QVERIFY(!m_window->liveStatusAction()->isChecked());
    QVERIFY2(logText().contains(QStringLiteral("Live status off")), qPrintable(logText()));
}

// Selects `boardId`, triggers `action`: it asks first (window-modal, not blocking) and runs
// nothing until OK; then the job runs on that board only (an unreachable one: it fails there)
// and the action is enabled again when it ends.
void TestMainWindowSwarm::askThenRunOnOneBoard(QAction *action, const QString &boardId,
                                               const QString &jobTitle)
{
    const QString other = boardId == QLatin1String("m1") ? QStringLiteral("w1")
                                                         : QStringLiteral("m1");
    QVERIFY(action->isEnabled());
    m_window->scene()->boardItem(boardId)->setSelected(true);
    action->trigger();
    QMessageBox *ask = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((ask = m_window->findChild<QMessageBox *>()) != nullptr, 5000);
    QVERIFY(ask->text().contains(QStringLiteral("1 board")));
    QVERIFY(!m_window->currentJob());
    ask->button(QMessageBox::Ok)->click();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QVERIFY(!action->isEnabled());
    QTRY_VERIFY2_WITH_TIMEOUT(action->isEnabled(), qPrintable(logText()), 15000);
    const QString log = logText();
    QVERIFY2(log.contains(jobTitle + QStringLiteral(": 0 of 1 boards ready")), qPrintable(log));
    QVERIFY2(log.contains(boardId + QStringLiteral(" failed:")), qPrintable(log));
    QVERIFY(!log.contains(other + QStringLiteral(" failed:")));
}

void TestMainWindowSwarm::keyLoginAsksThenRunsOnTheSelectedBoards()
{
    // The key a user has none of is made in a HOME of this test, never the real ~/.ssh.
    const QByteArray oldHome = qgetenv("HOME");
    const QString home = m_dir.filePath(QStringLiteral("keyhome"));
    QVERIFY(QDir().mkpath(home));
    qputenv("HOME", QFile::encodeName(home));
    const auto restoreHome = qScopeGuard([&oldHome]() { qputenv("HOME", oldHome); });
    useLab(closedPort(), closedPort());
    askThenRunOnOneBoard(m_window->keyLoginAction(), QStringLiteral("w1"),
                         QStringLiteral("Key login"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(QFile::exists(home + QStringLiteral("/.ssh/id_ed25519.pub")));
}

void TestMainWindowSwarm::identifyRecordsWhatBoardsReportAsOneUndoStep()
{
    HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
    // This machine as a board behind a real sshd, logged in to by key; a second board refuses.
    QString error;
    SshTestUser user;
    QVERIFY2(user.create(&error), qPrintable(error));
    SshTestServer server(SshTestServer::Kind::OpenSsh);
    QVERIFY2(server.start(&error), qPrintable(error));
    const QString key = m_dir.filePath(QStringLiteral("id_identify"));
    QVERIFY(SshTestServer::generateKey(key));
    QFile pub(key + QStringLiteral(".pub"));
    QVERIFY(pub.open(QIODevice::ReadOnly));
    QVERIFY(server.setAuthorizedKeys(user.name(), pub.readAll()));
    // Menu jobs trust only host keys known before: this one is.
    const QString knownHosts = m_dir.filePath(QStringLiteral("known_hosts"));
    QVERIFY(HivelabTest::writeFile(knownHosts, server.knownHostsLine() + '\n'));
    const auto forgetHostKey = qScopeGuard([&knownHosts]() { QFile::remove(knownHosts); });
    m_window->setConnectionSettings(settings(8000, key));

    Lab lab;
    lab.name = QStringLiteral("loopback");
    Board fresh = HivelabTest::loopbackBoard(QStringLiteral("b1"), server.port(), Role::Unassigned,
                                             user.name());
    fresh.hostname.clear(); // what identifying fills in: hostname, arch, OS
    lab.boards << fresh << board(QStringLiteral("w1"), closedPort(), Role::Worker);
    m_doc->setLab(lab);
    const Lab before = m_doc->lab();
    const int undoCount = m_window->undoStack()->count();

    // The board menu runs on the boards it was opened for.
    std::unique_ptr<QMenu> menu(m_window->createBoardMenu({QStringLiteral("w1")}));
    QAction *fromMenu = menu->findChild<QAction *>(QStringLiteral("identifyBoards"));
    QVERIFY(fromMenu && fromMenu->isEnabled());
    fromMenu->trigger();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QCOMPARE(m_window->currentJob()->boardFilter(), QStringList{QStringLiteral("w1")});
    QVERIFY(!m_window->identifyAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->identifyAction()->isEnabled(), 10000);
    QCOMPARE(m_doc->lab(), before); // a refused board teaches nothing
    QCOMPARE(m_window->undoStack()->count(), undoCount);

    // Lab ▸ Identify Boards with nothing selected: every board, off the GUI thread.
    m_window->identifyAction()->trigger();
    QVERIFY(m_window->currentJob()->isRunning());
    QTRY_VERIFY2_WITH_TIMEOUT(m_window->identifyAction()->isEnabled(), qPrintable(logText()),
                              20000);
    QVERIFY2(logText().contains(QStringLiteral("Identify: 1 of 2 boards ready")),
             qPrintable(logText()));
    const Board *b1 = m_doc->lab().board(QStringLiteral("b1"));
    QVERIFY(b1);
    QVERIFY2(!b1->arch.isEmpty() && !b1->os.isEmpty(), qPrintable(logText()));
    QCOMPARE(*m_doc->lab().board(QStringLiteral("w1")), *before.board(QStringLiteral("w1")));
    const Lab identified = m_doc->lab();
    QVERIFY(!(identified == before));

    // One undo step restores the lab; redo brings the facts back.
    QCOMPARE(m_window->undoStack()->count(), undoCount + 1);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab(), before);
    m_window->undoStack()->redo();
    QCOMPARE(m_doc->lab(), identified);
}

void TestMainWindowSwarm::remoteAccessAsksThenRunsOnTheSelectedBoards()
{
    useLab(closedPort(), closedPort());
    askThenRunOnOneBoard(m_window->remoteAccessAction(), QStringLiteral("m1"),
                         QStringLiteral("Remote access"));
    if (QTest::currentTestFailed())
        return;
    // The lab's CA was made on this computer on the way (under the test's data folder).
    QVERIFY(QFile::exists(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                          QStringLiteral("/remote/loopback/ca-key.pem")));
}


// The confirmation lists each move and the boards that cannot move; OK runs the job, which
// fails at the (closed) current address and leaves the plan as it was.
void TestMainWindowSwarm::applyAddressesListsTheMovesThenRuns()
{
    useLab(closedPort(), closedPort());
    Lab lab = m_doc->lab();
    lab.network.subnet = QStringLiteral("127.0.0.0/8");
    lab.boards[0].addressing = Addressing::Static;
    lab.boards[0].ip = QStringLiteral("127.0.0.3");
    lab.boards[0].sshHost = QStringLiteral("127.0.0.1");
    m_doc->setLab(lab);
    QAction *action = m_window->applyAddressesAction();
    QVERIFY(action->isEnabled());

    m_window->confirmApplyAddresses({QStringLiteral("w1")});
    QMessageBox *ask = nullptr;
    QTRY_VERIFY((ask = m_window->findChild<QMessageBox *>(QStringLiteral("applyAddressesAsk"))));
    QVERIFY(ask->text().contains(QStringLiteral("No selected board")));
    QVERIFY2(ask->informativeText().contains(QStringLiteral("w1: No planned static address")),
             qPrintable(ask->informativeText()));
    QVERIFY(!ask->button(QMessageBox::Ok));
    ask->button(QMessageBox::Close)->click();
    QTRY_VERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("applyAddressesAsk")));

    action->trigger(); // nothing selected: every board with a planned address
    QTRY_VERIFY((ask = m_window->findChild<QMessageBox *>(QStringLiteral("applyAddressesAsk"))));
    QVERIFY2(ask->informativeText().contains(QStringLiteral("m1: 127.0.0.1 → 127.0.0.3/8")),
             qPrintable(ask->informativeText()));
    QVERIFY(!ask->informativeText().contains(QStringLiteral("w1")));
    QVERIFY(!m_window->currentJob());
    ask->button(QMessageBox::Ok)->click();
    QVERIFY(m_window->currentJob() && m_window->currentJob()->isRunning());
    QTRY_VERIFY2_WITH_TIMEOUT(action->isEnabled(), qPrintable(logText()), 15000);
    QVERIFY2(logText().contains(QStringLiteral("m1 failed:")), qPrintable(logText()));
    QCOMPARE(m_doc->lab().boards[0].ip, QStringLiteral("127.0.0.3"));
    QCOMPARE(m_doc->lab().boards[0].sshHost, QStringLiteral("127.0.0.1"));
}

// A planned static address is refused where cards and `network apply` would refuse it; a
// board seen on the network keeps its old address as its SSH address until it is moved.
void TestMainWindowSwarm::inspectorChecksPlannedAddresses()
{
    useLab(closedPort(), closedPort());
    Lab lab = m_doc->lab();
    lab.network.subnet = QStringLiteral("127.0.0.0/8");
    lab.network.gateway = QStringLiteral("127.0.0.254");
    lab.boards[0].addressing = Addressing::Static;
    lab.boards[0].ip = QStringLiteral("127.0.0.3");
    lab.boards[0].mac = QStringLiteral("02:00:00:00:00:01");
    m_doc->setLab(lab);
    m_window->scene()->selectBoards({QStringLiteral("m1")});
    InspectorWidget *inspector = m_window->inspector();
    QCOMPARE(inspector->boardId(), QStringLiteral("m1"));
    for (const char *refused : {"127.0.0.1", "127.0.0.254", "10.0.0.3", "127.255.255.255"}) {
        inspector->ipEdit()->setText(QLatin1String(refused));
        QVERIFY2(!inspector->commit(), refused);
    }
    QCOMPARE(m_window->undoStack()->count(), 0);
    QCOMPARE(m_doc->lab(), lab);

    inspector->ipEdit()->setText(QStringLiteral("127.0.0.4"));
    QVERIFY(inspector->commit());
    QCOMPARE(m_doc->lab().boards[0].ip, QStringLiteral("127.0.0.4"));
    QCOMPARE(m_doc->lab().boards[0].sshHost, QStringLiteral("127.0.0.3"));
    QCOMPARE(m_window->undoStack()->count(), 1);
    m_window->undoStack()->undo();
    QCOMPARE(m_doc->lab(), lab);
}

QTEST_MAIN(TestMainWindowSwarm)
#include "tst_mainwindowswarm.moc"
