// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow: swarm actions, the board menu's swarm entries and job progress, over
// SwarmJobController and LiveStatusController.
#include "mainwindow.h"
#include "addressapply.h"

#include "cardwriterwidget.h"
#include "plural.h"

#include "dockertls.h"
#include "identifyworkflow.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labmerge.h"
#include "livestatuscontroller.h"
#include "logconsole.h"
#include "outcomehint.h"
#include "remoteaccessstore.h"
#include "topologyscene.h"
#include "workflowjob.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QDialog>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Hivelab {

void MainWindow::createSwarmActions()
{
    m_formSwarm =
        makeAction(QStringLiteral("swarm-form"), tr("&Form Swarm"), QKeySequence(), QString());
    m_formSwarm->setObjectName(QStringLiteral("formSwarm"));
    connect(m_formSwarm, &QAction::triggered, this, &MainWindow::formSwarm);
    m_refreshSwarm =
        makeAction(QString(), tr("&Refresh Swarm Status"), QKeySequence(Qt::Key_F5), QString());
    m_refreshSwarm->setObjectName(QStringLiteral("refreshSwarm"));
    connect(m_refreshSwarm, &QAction::triggered, this, &MainWindow::refreshSwarmStatus);
    m_applyPlacement = makeAction(
        QString(), tr("&Apply Placement to Swarm"), QKeySequence(),
        tr("Set each node's hivelab.rack, hivelab.psu, hivelab.switch, … labels from the plan "
           "(stale hivelab.* labels are removed; labels set by hand stay)"));
    m_applyPlacement->setObjectName(QStringLiteral("applyPlacement"));
    connect(m_applyPlacement, &QAction::triggered, this, &MainWindow::applyPlacement);
    m_liveStatus = makeAction(QStringLiteral("live-status"), tr("&Live Status"), QKeySequence(),
                              tr("Ask the managers for the swarm's state every 15 s over SSH and "
                                 "keep the board LEDs current"));
    m_liveStatus->setObjectName(QStringLiteral("liveStatus"));
    m_liveStatus->setCheckable(true);
    connect(m_liveStatus, &QAction::toggled, m_live, &LiveStatusController::setEnabled);
    m_keyLogin = makeAction(QString(), tr("Set up &Key Login…"), QKeySequence(),
                            tr("Install your SSH key on the selected boards (none selected: all) "
                               "and check that it logs in alone"));
    m_keyLogin->setObjectName(QStringLiteral("keyLogin"));
    connect(m_keyLogin, &QAction::triggered, this, [this]() {
        const QStringList ids = m_scene->selectedBoardIds();
        const int count = ids.isEmpty() ? int(m_document->lab().boards.size()) : int(ids.size());
        auto *ask = new QMessageBox(
            QMessageBox::Question, tr("Set up Key Login"),
            tr("Add your SSH key (the first of ~/.ssh/id_ed25519, id_ecdsa, id_rsa; a new "
               "id_ed25519 if you have none) to the login user's authorized_keys on %n board(s), "
               "then check that it logs in without a password? Password login stays on.",
               nullptr, count),
            QMessageBox::Ok | QMessageBox::Cancel, this);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::accepted, this, [this, ids]() { setUpKeyLogin(ids); });
        ask->open();
    });
    m_identify = makeAction(QString(), tr("&Identify Boards"), QKeySequence(Qt::CTRL | Qt::Key_I),
                            tr("Sign in to the selected boards (none selected: all) and record "
                               "what they report: hostname, model, arch, OS, swarm role, node "
                               "ID and labels (one undo step)"));
    m_identify->setObjectName(QStringLiteral("identify"));
    connect(m_identify, &QAction::triggered, this,
            [this]() { identifyBoards(m_scene->selectedBoardIds()); });
    m_remoteAccess = makeAction(QString(), tr("Set up &Remote Access (TLS)…"), QKeySequence(),
                                tr("Docker engines on port 2376 with TLS and client "
                                   "certificates, for the docker CLI on this computer"));
    m_remoteAccess->setObjectName(QStringLiteral("remoteAccess"));
    connect(m_remoteAccess, &QAction::triggered, this, [this]() {
        const QStringList ids = m_scene->selectedBoardIds();
        const int count = ids.isEmpty() ? int(m_document->lab().boards.size()) : int(ids.size());
        auto *ask = new QMessageBox(
            QMessageBox::Question, tr("Set up Remote Access"),
            tr("Switch the Docker engine on %n board(s) to TLS with client certificates on port "
               "2376? The lab's certificate authority stays on this computer; each engine is "
               "restarted, and rolled back if it does not come up.",
               nullptr, count),
            QMessageBox::Ok | QMessageBox::Cancel, this);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::accepted, this, [this, ids]() {
            m_jobs->start(SwarmJobController::Operation::RemoteAccess, ids);
        });
        ask->open();
    });
    m_applyAddresses = makeAction(
        QString(), tr("Apply Planned &Addresses…"), QKeySequence(),
        tr("Move the selected boards (none selected: all with a planned static address) to "
           "their planned address over SSH; a board that does not answer there restores its "
           "old address by itself"));
    m_applyAddresses->setObjectName(QStringLiteral("applyAddresses"));
    connect(m_applyAddresses, &QAction::triggered, this,
            [this]() { confirmApplyAddresses(m_scene->selectedBoardIds()); });
    m_writeCards = makeAction(QString(), tr("&Write Cards…"), QKeySequence(),
                              tr("Write each board's OS image and first-boot identity (hostname, "
                                 "address, user, SSH key) onto its card"));
    m_writeCards->setObjectName(QStringLiteral("writeCards"));
    connect(m_writeCards, &QAction::triggered, this, &MainWindow::openCardWriter);
    m_deployStack = makeAction(QString(), tr("Deploy &Stack…"), QKeySequence(),
                               tr("Deploy a Compose file on the swarm through a manager: "
                                  "replicas spread over racks, services kept to the boards "
                                  "their images run on"));
    m_deployStack->setObjectName(QStringLiteral("deployStack"));
    connect(m_deployStack, &QAction::triggered, this, [this]() {
        auto *pick = new QFileDialog(this, tr("Deploy Stack"), QString(),
                                     tr("Compose files (*.yml *.yaml);;All files (*)"));
        pick->setAttribute(Qt::WA_DeleteOnClose);
        pick->setFileMode(QFileDialog::ExistingFile);
        connect(pick, &QFileDialog::fileSelected, this, [this](const QString &path) {
            auto *ask = new QInputDialog(this);
            ask->setAttribute(Qt::WA_DeleteOnClose);
            ask->setWindowTitle(tr("Deploy Stack"));
            ask->setLabelText(tr("Stack name:"));
            ask->setTextValue(QFileInfo(path).completeBaseName().toLower());
            connect(ask, &QInputDialog::textValueSelected, this,
                    [this, path](const QString &name) { deployStack(path, name.trimmed()); });
            ask->open();
        });
        pick->open();
    });
    m_cancelJob = makeAction(QString(), tr("Cancel"), QKeySequence(),
                             tr("Stop the running swarm job; finished boards stay as they are"));
    m_cancelJob->setObjectName(QStringLiteral("cancelJob"));
    m_cancelJob->setEnabled(false);
    connect(m_cancelJob, &QAction::triggered, this, [this]() {
        if (m_jobs->isBusy()) {
            m_jobs->cancel();
            m_cancelJob->setEnabled(false);
            log(tr("Cancelling…"), {}, Severity::Warning);
        }
    });
}

WorkflowJob *MainWindow::currentJob() const
{
    return m_jobs->currentJob();
}

void MainWindow::formSwarm()
{
    m_jobs->start(SwarmJobController::Operation::Form);
}

void MainWindow::refreshSwarmStatus()
{
    m_jobs->start(SwarmJobController::Operation::Status);
}

void MainWindow::applyPlacement()
{
    m_jobs->start(SwarmJobController::Operation::ApplyPlacement);
}

void MainWindow::joinSwarm(const QStringList &boardIds)
{
    m_jobs->start(SwarmJobController::Operation::Join, boardIds);
}

void MainWindow::leaveSwarm(const QStringList &boardIds)
{
    m_jobs->start(SwarmJobController::Operation::Leave, boardIds);
}

void MainWindow::setBoardsDrained(const QStringList &boardIds, bool drain)
{
    m_jobs->start(drain ? SwarmJobController::Operation::Drain
                        : SwarmJobController::Operation::Activate,
                  boardIds);
}

void MainWindow::setUpKeyLogin(const QStringList &boardIds)
{
    m_jobs->start(SwarmJobController::Operation::KeyLogin, boardIds);
}

void MainWindow::confirmApplyAddresses(const QStringList &boardIds)
{
    const Lab &lab = m_document->lab();
    QHash<QString, QString> why;
    const QStringList applicable = AddressApply::applicableBoards(lab, &why);
    const QStringList ids = boardIds.isEmpty() ? applicable : boardIds;
    QStringList moves;
    QStringList refused;
    QStringList run;
    for (const QString &id : ids) {
        const Board *b = lab.board(id);
        if (!b)
            continue;
        if (!applicable.contains(id)) {
            refused << tr("%1: %2").arg(b->name, why.value(id));
            continue;
        }
        const BoardIdentity identity = FirstBootPlan::identity(lab, *b);
        moves << tr("%1: %2 → %3/%4, gateway %5, DNS %6")
                     .arg(b->name, b->sshTarget(), identity.address)
                     .arg(identity.prefixLength)
                     .arg(identity.gateway.isEmpty() ? tr("none") : identity.gateway,
                          identity.dns.isEmpty() ? tr("none")
                                                 : identity.dns.join(QStringLiteral(", ")));
        run << id;
    }
    auto *ask = new QMessageBox(this);
    ask->setObjectName(QStringLiteral("applyAddressesAsk"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Apply Planned Addresses"));
    ask->setIcon(run.isEmpty() ? QMessageBox::Information : QMessageBox::Question);
    ask->setText(run.isEmpty()
                     ? tr("No selected board has a planned static address to apply.")
                     : tr("Move %n board(s) to the planned static address over SSH? Each board "
                          "keeps its old settings and restores them by itself unless Hivelab "
                          "reaches it at the new address, with the same host key, within 60 s.",
                          nullptr, int(run.size())));
    QStringList details = moves;
    if (!refused.isEmpty())
        details << QString() << tr("Not moved:") << refused;
    ask->setInformativeText(details.join(QLatin1Char('\n')));
    ask->setStandardButtons(run.isEmpty() ? QMessageBox::Close
                                          : QMessageBox::Ok | QMessageBox::Cancel);
    if (!run.isEmpty()) {
        connect(ask, &QMessageBox::accepted, this, [this, run]() {
            m_jobs->start(SwarmJobController::Operation::ApplyAddresses, run);
        });
    }
    ask->open();
}

void MainWindow::identifyBoards(const QStringList &boardIds)
{
    m_jobs->start(SwarmJobController::Operation::Identify, boardIds);
}

bool MainWindow::deployStack(const QString &composePath, const QString &name)
{
    // A Compose file is small; this bound keeps a wrong pick from reading a disk image.
    constexpr qint64 MaxComposeBytes = 4 * 1024 * 1024;
    QFile file(composePath);
    QString problem;
    if (QFileInfo(composePath).size() > MaxComposeBytes)
        problem = tr("larger than 4 MiB");
    else if (!file.open(QIODevice::ReadOnly))
        problem = file.errorString();
    if (!problem.isEmpty()) {
        log(tr("Deploy stack: cannot read %1 as a Compose file: %2").arg(composePath, problem), {},
            Severity::Error);
        return false;
    }
    m_jobs->setStackToDeploy(file.readAll(), name);
    return m_jobs->start(SwarmJobController::Operation::DeployStack);
}

void MainWindow::applyIdentified(const WorkflowJob *job)
{
    const auto *identify = qobject_cast<const IdentifyWorkflow *>(job);
    if (!identify)
        return;
    const Lab &lab = m_document->lab();
    QHash<QString, DiscoveredHost> hosts;
    for (const QString &id : identify->boardIds()) {
        const Board *b = lab.board(id);
        const std::optional<HostFacts> facts = identify->facts(id);
        if (!b || !facts)
            continue;
        DiscoveredHost host;
        host.ip = b->ip;
        host.facts = facts;
        hosts.insert(id, host);
    }
    QStringList changed;
    const Lab filled = LabMerge::fillIn(lab, hosts, &changed);
    if (changed.isEmpty()) {
        if (!hosts.isEmpty())
            log(tr("Identify: the lab already records what the boards reported"));
        return;
    }
    QList<Board> before;
    QList<Board> after;
    for (const QString &id : std::as_const(changed)) {
        before << *lab.board(id);
        after << *filled.board(id);
    }
    pushEdit(new EditBoardsCommand(
        m_document, before, after,
        plural(int(changed.size()), tr("Identify %1 board"), tr("Identify %1 boards"))));
}

void MainWindow::setConnectionSettings(const ConnectionSettings &settings)
{
    m_jobs->setConnectionSettings(settings);
}

void MainWindow::setKeychainEnabled(bool enabled)
{
    m_jobs->setKeychainEnabled(enabled);
}

void MainWindow::setLiveStatus(bool on)
{
    m_live->setEnabled(on);
}

void MainWindow::setLiveIntervalMs(int ms)
{
    m_live->setIntervalMs(ms);
}

int MainWindow::liveIntervalMs() const
{
    return m_live->intervalMs();
}

void MainWindow::onLiveAnswer(bool ok, int ready, int total, const QString &error)
{
    // Transitions only: a line every 15 s would drown the log.
    if (ok)
        log(tr("Live status: %1 of %2 boards ready").arg(ready).arg(total));
    else
        log(tr("Live status: %1").arg(error), {}, Severity::Warning);
}

QString MainWindow::jobTitle(SwarmJobController::Operation operation)
{
    using Op = SwarmJobController::Operation;
    static const struct
    {
        Op operation;
        const char *title;
    } titles[] = {
        {Op::Form, QT_TR_NOOP("Form swarm")},
        {Op::Status, QT_TR_NOOP("Swarm status")},
        {Op::Join, QT_TR_NOOP("Join swarm")},
        {Op::Leave, QT_TR_NOOP("Leave swarm")},
        {Op::Drain, QT_TR_NOOP("Drain")},
        {Op::Activate, QT_TR_NOOP("Activate")},
        {Op::ApplyPlacement, QT_TR_NOOP("Apply placement")},
        {Op::KeyLogin, QT_TR_NOOP("Key login")},
        {Op::Identify, QT_TR_NOOP("Identify")},
        {Op::RemoteAccess, QT_TR_NOOP("Remote access")},
        {Op::DeployStack, QT_TR_NOOP("Deploy stack")},
        {Op::ApplyAddresses, QT_TR_NOOP("Apply addresses")},
    };
    for (const auto &t : titles) {
        if (t.operation == operation)
            return tr(t.title);
    }
    return QString();
}

void MainWindow::onJobStarted(SwarmJobController::Operation operation, WorkflowJob *job)
{
    const QString title = jobTitle(operation);
    connect(job, &WorkflowJob::progressChanged, this, [this](qint64 done, qint64 total) {
        m_jobProgress->setRange(0, int(qMax<qint64>(total, 1)));
        m_jobProgress->setValue(int(done));
    });
    connect(job, &WorkflowJob::logMessage, this, [this](const QString &id, const QString &line) {
        log(line, id.isEmpty() ? QStringList() : QStringList{id});
    });
    connect(job, &WorkflowJob::boardFinished, this,
            [this, job](const QString &id, bool ok, const QString &message) {
                const Board *b = m_document->lab().board(id);
                const QString name = b ? b->name : id;
                log(ok ? tr("%1: %2").arg(name, message) : tr("%1 failed: %2").arg(name, message),
                    {id}, ok ? Severity::Info : Severity::Error);
                if (const QString hint = outcomeHint(job->result(id), name); !hint.isEmpty())
                    log(hint, {id}, Severity::Warning);
            });

    m_jobProgress->setRange(0, 0); // busy until the first progress report
    m_jobProgress->show();
    m_jobCancel->show();
    m_cancelJob->setEnabled(true);
    log(tr("%1: started").arg(title));
    statusBar()->showMessage(tr("%1…").arg(title));
    updateActions();
}

void MainWindow::onJobFinished(SwarmJobController::Operation operation, WorkflowJob *job)
{
    if (operation == SwarmJobController::Operation::Identify)
        applyIdentified(job); // what finished boards reported, also after a cancel
    const QString title = jobTitle(operation);
    const QList<BoardResult> results = job->results();
    int ok = 0;
    int cancelled = 0;
    for (const BoardResult &r : results) {
        ok += r.ok;
        cancelled += r.outcome == BoardResult::Outcome::Cancelled;
    }
    const int failed = int(results.size()) - ok - cancelled;
    QString summary = tr("%1: %2 of %3 boards ready").arg(title).arg(ok).arg(results.size());
    if (failed > 0)
        summary += tr(", %1 failed (reasons in the log)").arg(failed);
    if (cancelled > 0)
        summary += tr(", %1 cancelled").arg(cancelled);
    if (!job->errorString().isEmpty())
        log(job->errorString(), {}, Severity::Error);
    log(summary, {}, job->succeeded() ? Severity::Info : Severity::Warning);
    if (failed > 0)
        log(tr("From here boards log in with SSH keys, the agent or a password remembered in the "
               "keychain, and only host keys trusted before are used. If a board refused the "
               "login, install your SSH key on it (Lab ▸ Set up Key Login…) or sign in with its "
               "password on the Setup Wizard's Connect step (right-click a board ▸ Connect…) and "
               "let it remember the password; an unknown host key is accepted there too, after "
               "comparing its fingerprint."),
            {}, Severity::Info);
    if (operation == SwarmJobController::Operation::RemoteAccess && ok > 0) {
        const RemoteAccessStore *store = m_jobs->remoteAccessStore();
        log(tr("From this computer: hivelab context %1 (makes the docker context %2), or "
               "DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%3 DOCKER_HOST=tcp://MANAGER:%4")
                .arg(m_document->filePath().isEmpty() ? tr("LABFILE") : m_document->filePath(),
                     DockerTls::contextName(m_document->lab().name), store->clientFolder())
                .arg(DockerTls::Port));
    }
    if (operation == SwarmJobController::Operation::DeployStack && job->succeeded()) {
        if (m_live->isEnabled())
            m_live->refresh(); // its tasks onto the cards now, not at the next tick
        else
            log(tr("Lab ▸ Live Status shows the stack's tasks on the boards' cards."));
    }
    statusBar()->showMessage(summary, 15000);
    m_jobProgress->hide();
    m_jobCancel->hide();
    m_cancelJob->setEnabled(false);
    updateActions();
}

void MainWindow::addSwarmMenuActions(QMenu *menu, const QStringList &boardIds)
{
    const Lab &lab = m_document->lab();
    const bool busy = m_jobs->isBusy();
    const QString busyTip = tr("A swarm job is running: wait for it or cancel it");
    QAction *identify = menu->addAction(tr("&Identify"));
    identify->setObjectName(QStringLiteral("identifyBoards"));
    identify->setEnabled(!busy && !boardIds.isEmpty());
    identify->setToolTip(busy ? busyTip : m_identify->toolTip());
    connect(identify, &QAction::triggered, this, [this, boardIds]() { identifyBoards(boardIds); });
    QAction *join = menu->addAction(tr("&Join Swarm"));
    join->setObjectName(QStringLiteral("joinSwarm"));
    join->setEnabled(!busy && !lab.managers().isEmpty() && !boardIds.isEmpty());
    join->setToolTip(busy ? busyTip
                     : lab.managers().isEmpty()
                         ? tr("Needs a planned manager running the swarm (Lab ▸ Form Swarm)")
                         : tr("Join the swarm the planned managers run, in the planned role"));
    connect(join, &QAction::triggered, this, [this, boardIds]() { joinSwarm(boardIds); });
    QAction *leave = menu->addAction(tr("&Leave Swarm"));
    leave->setObjectName(QStringLiteral("leaveSwarm"));
    leave->setEnabled(!busy && !boardIds.isEmpty());
    leave->setToolTip(busy ? busyTip
                           : tr("Leave the swarm; managers are demoted first so the rest keeps "
                                "quorum"));
    connect(leave, &QAction::triggered, this, [this, boardIds]() {
        // Changes the running swarm, not just the plan: ask first.
        if (QMessageBox::question(this, tr("Leave Swarm"),
                                  tr("Make %1 leave the swarm? Their services move to other nodes.")
                                      .arg(plural(int(boardIds.size()), tr("%1 board"),
                                                  tr("%1 boards")))) == QMessageBox::Yes)
            leaveSwarm(boardIds);
    });
    const bool canAsk = !busy && !lab.managers().isEmpty() && !boardIds.isEmpty();
    const QString noManagerTip = tr("Needs a planned manager running the swarm");
    QAction *drain = menu->addAction(tr("D&rain"));
    drain->setObjectName(QStringLiteral("drain"));
    drain->setEnabled(canAsk);
    drain->setToolTip(busy ? busyTip
                      : lab.managers().isEmpty()
                          ? noManagerTip
                          : tr("Move the tasks to other nodes and schedule nothing new here "
                               "(before maintenance)"));
    connect(drain, &QAction::triggered, this,
            [this, boardIds]() { setBoardsDrained(boardIds, true); });
    QAction *activate = menu->addAction(tr("&Activate"));
    activate->setObjectName(QStringLiteral("activate"));
    activate->setEnabled(canAsk);
    activate->setToolTip(busy                      ? busyTip
                         : lab.managers().isEmpty() ? noManagerTip
                                                    : tr("Let a drained board take tasks again"));
    connect(activate, &QAction::triggered, this,
            [this, boardIds]() { setBoardsDrained(boardIds, false); });
}

namespace {

// Closing while cards are written cancels first: the dialog stays until the writers stopped.
class CardWriterDialog : public QDialog
{
public:
    CardWriterDialog(LabDocument *document, std::function<void(QUndoCommand *)> pushEdit,
                     QWidget *parent)
        : QDialog(parent)
        , m_writer(new CardWriterWidget(document, std::move(pushEdit), this))
    {
        setWindowTitle(MainWindow::tr("Write Cards"));
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(m_writer);
        resize(980, 420);
        connect(m_writer, &CardWriterWidget::finished, this, [this]() {
            if (m_closeWhenDone)
                QDialog::reject();
        });
    }
    CardWriterWidget *writer() const { return m_writer; }
    void reject() override
    {
        if (!m_writer->isRunning()) {
            QDialog::reject();
            return;
        }
        m_closeWhenDone = true;
        m_writer->cancel();
    }

private:
    CardWriterWidget *m_writer;
    bool m_closeWhenDone = false;
};

} // namespace

void MainWindow::openCardWriter()
{
    if (m_cardWriter) {
        m_cardWriter->raise();
        m_cardWriter->activateWindow();
        return;
    }
    auto *dialog = new CardWriterDialog(
        m_document, [this](QUndoCommand *command) { pushEdit(command); }, this);
    dialog->setObjectName(QStringLiteral("cardWriterDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_cardWriter = dialog;
    dialog->writer()->reload();
    dialog->show();
}

CardWriterWidget *MainWindow::cardWriter() const
{
    return m_cardWriter ? m_cardWriter->findChild<CardWriterWidget *>() : nullptr;
}

} // namespace Hivelab
