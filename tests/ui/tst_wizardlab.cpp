// SPDX-License-Identifier: GPL-3.0-or-later
// The setup wizard end to end on a lab of its own (tests/ui/CMakeLists.txt), driven the way a
// user clicks through it: discover the lab's subnet, sign in (accepting each host key after it
// was shown), install Docker (one board has none: apt installs docker.io), pick managers, form
// the swarm, read the summary, set up remote access over TLS there. Checked independently on the boards with the lab tool.
#include "connectpage.h"
#include "discoverpage.h"
#include "findwidget.h"
#include "labboard.h"
#include "labdocument.h"
#include "labfile.h"
#include "managerspage.h"
#include "setupwizard.h"

#include <QCheckBox>
#include <QFrame>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QProcess>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace Hivelab;

namespace {

using HivelabTest::find;

struct Output
{
    int code = -1;
    QString out;
};

// A command on lab board K as root, through the lab tool (not through Hivelab's own SSH).
Output onBoard(int k, const QString &command)
{
    const HivelabTest::BoardOutput o = HivelabTest::onLabBoard(k, command);
    return {o.code, QString::fromUtf8(o.out).trimmed()};
}

QByteArray describe(const SetupWizard &wizard, SetupWizard::PageId step)
{
    QStringList lines;
    const QHash<QString, BoardStatus> statuses = wizard.statuses(step);
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        lines << QStringLiteral("%1: %2 %3").arg(it.key(), BoardStatus::text(it->state), it->detail);
    return lines.join(QLatin1String("; ")).toUtf8();
}

// HIVELAB_SHOT_DIR=DIR saves the wizard at its steps (docs/screenshots).
void shot(QWidget *wizard, const char *name)
{
    const QString dir = qEnvironmentVariable("HIVELAB_SHOT_DIR");
    if (!dir.isEmpty())
        wizard->grab().save(dir + QLatin1Char('/') + QLatin1String(name));
}

// Every row of a status table, for failure messages.
QByteArray tableText(const QTableWidget *table)
{
    QStringList rows;
    for (int row = 0; row < table->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < table->columnCount(); ++column)
            cells << (table->item(row, column) ? table->item(row, column)->text() : QString());
        rows << cells.join(QLatin1String(" | "));
    }
    return rows.join(QLatin1String("; ")).toUtf8();
}

bool allDone(const SetupWizard &wizard, SetupWizard::PageId step, const QStringList &ids)
{
    const QHash<QString, BoardStatus> statuses = wizard.statuses(step);
    for (const QString &id : ids) {
        if (statuses.value(id).state != BoardStatus::State::Done)
            return false;
    }
    return true;
}

} // namespace

class TestWizardLab : public QObject
{
    Q_OBJECT

private:
    using LabBoard = HivelabTest::LabBoard;
    QList<LabBoard> m_boards; // powered on, with key login

private Q_SLOTS:
    void initTestCase()
    {
        QList<LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        for (const LabBoard &b : std::as_const(boards)) {
            if (b.isOn() && b.auth == QLatin1String("key"))
                m_boards.append(b);
        }
        if (m_boards.size() < 4)
            QSKIP("needs 4 powered-on boards with key login");
    }

    void wholeWizard()
    {
        QTemporaryDir dir;
        LabDocument doc; // empty: the Plan step designs 3 racks, each with its PSU and switch
        SetupWizard wizard(&doc);
        wizard.setKnownHostsPath(dir.filePath(QStringLiteral("known_hosts")));
        wizard.show();

        // Discover: the lab's subnet, nothing else.
        QVERIFY(wizard.advanceTo(SetupWizard::DiscoverPageId));
        auto *discover = qobject_cast<DiscoverPage *>(wizard.currentPage());
        QVERIFY(discover);
        find<QLineEdit>(discover, "scanRange")->setText(qEnvironmentVariable("HIVELAB_LAB_SUBNET"));
        QTest::mouseClick(find<QPushButton>(discover, "scanButton"), Qt::LeftButton);
        QVERIFY(discover->isScanning());
        QTRY_VERIFY_WITH_TIMEOUT(!discover->isScanning(), 30000);
        // The planned lab before the scan's boards go in, for the command line below.
        const QString cliFile = dir.filePath(QStringLiteral("cli.hivelab"));
        LabFileError fileError;
        QVERIFY2(LabFile::save(doc.lab(), cliFile, &fileError), qPrintable(fileError.toString()));
        // Ticked by default: every SSH host that is not this machine.
        QTest::mouseClick(find<QPushButton>(discover, "addFound"), Qt::LeftButton);
        QCOMPARE(doc.lab().boards.size(), m_boards.size());

        // The same scan from the command line gives the same lab: one merge and placement
        // rule (LabMerge) under both front ends.
        QProcess cli;
        cli.start(qEnvironmentVariable("HIVELAB_BIN"),
                  {QStringLiteral("discover"), qEnvironmentVariable("HIVELAB_LAB_SUBNET"),
                   QStringLiteral("--ports"), QStringLiteral("22"), QStringLiteral("--into"),
                   cliFile});
        QVERIFY2(cli.waitForFinished(60000), "hivelab discover did not finish in 60 s");
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const std::optional<Lab> fromCli = LabFile::load(cliFile, &fileError);
        QVERIFY2(fromCli, qPrintable(fileError.toString()));
        QCOMPARE(fromCli->boards.size(), doc.lab().boards.size());
        for (int i = 0; i < fromCli->boards.size(); ++i) {
            const Board &c = fromCli->boards.at(i);
            const Board &w = doc.lab().boards.at(i);
            QCOMPARE(c.id, w.id);
            QCOMPARE(c.ip, w.ip);
            QCOMPARE(c.mac, w.mac);
            QCOMPARE(c.name, w.name);
            QCOMPARE(c.role, w.role);
            QCOMPARE(c.rackId, w.rackId);
            QCOMPARE(c.slot, w.slot);
            QCOMPARE(c.psuId, w.psuId);
            QCOMPARE(c.switchId, w.switchId);
            QCOMPARE(c.switchPort, w.switchPort);
            QVERIFY(!c.rackId.isEmpty());
            QVERIFY(c == w);
        }
        QStringList ids;
        for (const LabBoard &b : std::as_const(m_boards)) {
            const Board *found = nullptr;
            for (const Board &d : doc.lab().boards) {
                if (d.ip == b.ip)
                    found = &d;
            }
            QVERIFY2(found, qPrintable(b.ip));
            ids << found->id;
        }

        // Flash guidance: nothing to do for boards that already run.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::FlashPageId));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::ConnectPageId));

        // Connect: every host key is shown before it is trusted; accept them one by one.
        auto *connect = qobject_cast<ConnectPage *>(wizard.currentPage());
        QVERIFY(connect);
        find<QCheckBox>(connect, "rememberPasswords")->setChecked(false);
        auto *panel = find<QFrame>(connect, "hostKeyPanel");
        auto *prompt = find<QLabel>(connect, "hostKeyPrompt");
        QTest::mouseClick(find<QPushButton>(connect, "testConnections"), Qt::LeftButton);
        int accepted = 0;
        for (int round = 0; round < m_boards.size() && !allDone(wizard, SetupWizard::ConnectPageId, ids);
             ++round) {
            QTRY_VERIFY_WITH_TIMEOUT(panel->isVisible() ||
                                         allDone(wizard, SetupWizard::ConnectPageId, ids),
                                     20000);
            if (!panel->isVisible())
                break;
            QVERIFY2(prompt->text().contains(QLatin1String("key fingerprint is SHA256:")),
                     qPrintable(prompt->text()));
            QTest::mouseClick(find<QPushButton>(connect, "acceptHostKey"), Qt::LeftButton);
            ++accepted;
        }
        QTRY_VERIFY2_WITH_TIMEOUT(allDone(wizard, SetupWizard::ConnectPageId, ids),
                                  describe(wizard, SetupWizard::ConnectPageId).constData(), 30000);
        QCOMPARE(accepted, m_boards.size());
        // Signing in identified each board: named after its hostname, arch and OS filled in.
        for (const LabBoard &b : std::as_const(m_boards)) {
            for (const Board &d : doc.lab().boards) {
                if (d.ip != b.ip)
                    continue;
                QCOMPARE(d.name, b.hostname);
                QCOMPARE(d.hostname, b.hostname);
                QVERIFY(!d.arch.isEmpty());
                QVERIFY(d.os.contains(QLatin1String("Debian")));
            }
        }
        shot(&wizard, "wizard-live-connect.png");

        // Install Docker: the bare board gets docker.io from apt, the others are checked.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::DockerPageId));
        QWizardPage *docker = wizard.currentPage();
        auto *install = docker->findChild<QCheckBox *>(QStringLiteral("installDocker"));
        QVERIFY2(install && install->isChecked(), "this build installs Docker");
        for (const LabBoard &b : std::as_const(m_boards)) {
            if (b.docker == QLatin1String("bare"))
                QVERIFY(onBoard(b.index, QStringLiteral("command -v dockerd")).code != 0);
        }
        QTest::mouseClick(find<QPushButton>(docker, "stepStart"), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(allDone(wizard, SetupWizard::DockerPageId, ids),
                                  describe(wizard, SetupWizard::DockerPageId).constData(), 120000);
        QVERIFY(docker->isComplete());
        shot(&wizard, "wizard-live-docker.png");
        for (const LabBoard &b : std::as_const(m_boards))
            QCOMPARE(onBoard(b.index, QStringLiteral("docker info --format '{{.Name}}'")).out,
                     b.hostname);

        // Managers: the boards were placed in the planned racks, so the fault-domain check
        // can suggest three that survive the loss of any one rack, PSU or switch.
        wizard.next();
        auto *managers = qobject_cast<ManagersPage *>(wizard.currentPage());
        QVERIFY(managers);
        QCOMPARE(managers->checkedManagers().size(), 3);
        QVERIFY2(find<QLabel>(managers, "quorumSummary")->text().contains(QLatin1String("<b>yes</b>")),
                 qPrintable(find<QLabel>(managers, "quorumSummary")->text()));
        QSet<QString> racks;
        for (const QString &id : managers->checkedManagers())
            racks.insert(doc.lab().board(id)->rackId);
        QCOMPARE(racks.size(), 3);
        wizard.next();
        QCOMPARE(doc.lab().managers().size(), 3);

        // Form the swarm in one click.
        QCOMPARE(wizard.currentId(), int(SetupWizard::FormSwarmPageId));
        QWizardPage *form = wizard.currentPage();
        QTest::mouseClick(find<QPushButton>(form, "stepStart"), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(allDone(wizard, SetupWizard::FormSwarmPageId, ids),
                                  describe(wizard, SetupWizard::FormSwarmPageId).constData(),
                                  120000);
        const Output nodes =
            onBoard(m_boards.first().index,
                    QStringLiteral("docker node ls --format '{{.Hostname}} {{.Status}}'"));
        QCOMPARE(nodes.code, 0);
        QCOMPARE(nodes.out.count(QLatin1String(" Ready")), m_boards.size());
        for (const QString &id : ids)
            QCOMPARE(doc.nodeState(id), NodeState::SwarmReady);
        shot(&wizard, "wizard-live-swarm.png");

        // Summary: what was done, and how to reach the swarm from here.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::SummaryPageId));
        const QString report = find<QTextBrowser>(wizard.currentPage(), "summaryReport")
                                   ->toPlainText();
        QVERIFY2(!report.contains(QLatin1String("failed"), Qt::CaseInsensitive),
                 qPrintable(report));

        // Remote access over TLS from the Summary: per-board progress, then the TLS context.
        auto *commands = find<QPlainTextEdit>(wizard.currentPage(), "dockerContextCommands");
        QVERIFY(!commands->toPlainText().contains(QLatin1String(":2376")));
        find<QPushButton>(wizard.currentPage(), "setUpRemoteAccess")->click();
        auto *remote = find<QTableWidget>(wizard.currentPage(), "remoteAccessTable");
        QVERIFY(remote->isVisible());
        QCOMPARE(remote->rowCount(), int(m_boards.size()));
        QTRY_VERIFY2_WITH_TIMEOUT(
            find<QPushButton>(wizard.currentPage(), "setUpRemoteAccess")->isEnabled(),
            tableText(remote).constData(), 90000);
        for (int row = 0; row < remote->rowCount(); ++row)
            QVERIFY2(remote->item(row, 2)->text() == BoardStatus::text(BoardStatus::State::Done),
                     tableText(remote).constData());
        QVERIFY2(commands->toPlainText().contains(QLatin1String(":2376,ca=")),
                 qPrintable(commands->toPlainText()));
        for (const LabBoard &b : std::as_const(m_boards))
            QVERIFY(onBoard(b.index, QStringLiteral("cat /etc/docker/daemon.json"))
                        .out.contains(QLatin1String("tcp://0.0.0.0:2376")));
        shot(&wizard, "wizard-live-summary.png");
    }

    void cleanupTestCase()
    {
        // Leave the lab as found, even after a failure above.
        for (const LabBoard &b : std::as_const(m_boards))
            onBoard(b.index, QStringLiteral("docker swarm leave --force >/dev/null 2>&1; true"));
    }
};

QTEST_MAIN(TestWizardLab)
#include "tst_wizardlab.moc"
