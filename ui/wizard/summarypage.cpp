// SPDX-License-Identifier: GPL-3.0-or-later
#include "summarypage.h"

#include "boardstatustable.h"
#include "dockertls.h"
#include "labdocument.h"
#include "labfile.h"
#include "outcomehint.h"
#include "remoteaccess.h"
#include "remoteaccessstore.h"
#include "setupwizard.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Hivelab {

SummaryPage::SummaryPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Summary"));
    setSubTitle(tr("What was done on each board, and how to use the swarm from this computer."));
    setFinalPage(true);

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    m_report = new QTextBrowser(this);
    m_report->setObjectName(QStringLiteral("summaryReport"));
    m_report->setOpenLinks(false);
    layout->addWidget(m_report, 3);

    // Remote access over TLS: the same job as Lab ▸ Set up Remote Access and `hivelab remote
    // setup`, with per-board progress here.
    auto *remoteRow = new QHBoxLayout;
    remoteRow->addWidget(
        new QLabel(tr("<b>Remote access over TLS</b>: Docker engines on port 2376 with client "
                      "certificates, for the docker CLI on this computer."),
                   this),
        1);
    m_remote = new QPushButton(tr("Set up &remote access (TLS)"), this);
    m_remote->setObjectName(QStringLiteral("setUpRemoteAccess"));
    m_remoteCancel = new QPushButton(tr("Cancel"), this);
    m_remoteCancel->setObjectName(QStringLiteral("cancelRemoteAccess"));
    m_remoteCancel->setEnabled(false);
    remoteRow->addWidget(m_remote);
    remoteRow->addWidget(m_remoteCancel);
    layout->addLayout(remoteRow);
    m_remoteTable = new BoardStatusTable({}, this);
    m_remoteTable->setObjectName(QStringLiteral("remoteAccessTable"));
    m_remoteTable->setMaximumHeight(140);
    m_remoteTable->hide();
    layout->addWidget(m_remoteTable, 1);
    connect(m_remote, &QPushButton::clicked, this, &SummaryPage::startRemoteAccess);
    connect(m_remoteCancel, &QPushButton::clicked, this, &SummaryPage::cancelRemoteAccess);

    layout->addWidget(new QLabel(tr("<b>Use the swarm from this computer</b> (Docker CLI):"),
                                 this));
    m_commands = new QPlainTextEdit(this);
    m_commands->setObjectName(QStringLiteral("dockerContextCommands"));
    m_commands->setReadOnly(true);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commands->setMinimumHeight(120);
    m_commands->setMaximumHeight(140);
    layout->addWidget(m_commands, 1);

    auto *row = new QHBoxLayout;
    m_saveNote = new QLabel(this);
    m_saveNote->setObjectName(QStringLiteral("saveReminder"));
    m_saveNote->setWordWrap(true);
    row->addWidget(m_saveNote, 1);
    auto *copy = new QPushButton(tr("&Copy commands"), this);
    copy->setObjectName(QStringLiteral("copyCommands"));
    m_save = new QPushButton(tr("&Save lab…"), this);
    m_save->setObjectName(QStringLiteral("saveLab"));
    row->addWidget(copy);
    row->addWidget(m_save);
    layout->addLayout(row);

    connect(copy, &QPushButton::clicked, this,
            [this]() { QApplication::clipboard()->setText(m_commands->toPlainText()); });
    connect(m_save, &QPushButton::clicked, this, &SummaryPage::save);
    connect(m_wizard->document(), &LabDocument::modifiedChanged, this,
            &SummaryPage::updateSaveState);
}

SummaryPage::~SummaryPage()
{
    delete m_remoteJob; // before the store it uses
}

QString SummaryPage::dockerContextCommands(const Lab &lab, const QString &tlsCertFolder)
{
    const QList<const Board *> managers = lab.managers();
    if (managers.isEmpty())
        return tr("# No manager chosen yet: pick managers and form the swarm first.");
    const Board *m = managers.first();
    const QString user = m->sshUser.isEmpty() ? QStringLiteral("root") : m->sshUser;
    const QString host = m->ip.isEmpty() ? m->sshTarget() : m->ip;
    QString text;
    if (!tlsCertFolder.isEmpty()) {
        const QString name = DockerTls::contextName(lab.name);
        const QString url = QStringLiteral("tcp://%1:%2").arg(host).arg(DockerTls::Port);
        text += tr("# Over TLS (remote access is set up):\n") +
                QStringLiteral("docker context create %1 --docker "
                               "\"host=%2,ca=%3/ca.pem,cert=%3/cert.pem,key=%3/key.pem\"\n"
                               "docker --context %1 node ls\n"
                               "export DOCKER_HOST=%2 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=%3\n")
                    .arg(name, url, tlsCertFolder);
    }
    const QString target = DockerTls::sshDockerHost(user, host, m->sshPort);
    text += tr("# Over SSH (%1 needs the docker socket: root, or in the docker group — "
               "hivelab context FILE --ssh --add-to-docker-group):\n")
                .arg(user) +
            QStringLiteral("docker context create %1 --docker \"host=%2\"\n"
                           "docker context use %1\n"
                           "docker node ls\n")
                .arg(DockerTls::sshContextName(lab.name), target) +
            tr("# Or for one shell only:\n") + QStringLiteral("export DOCKER_HOST=%1\n").arg(target);
    return text;
}

void SummaryPage::updateCommands()
{
    const Lab &lab = m_wizard->document()->lab();
    if (!m_remoteStore || m_remoteStore->folder() != RemoteAccessStore(lab.name).folder())
        m_remoteStore = std::make_unique<RemoteAccessStore>(lab.name);
    m_commands->setPlainText(dockerContextCommands(
        lab, m_tlsReady && m_remoteStore->clientCertificate().valid ? m_remoteStore->clientFolder()
                                                                     : QString()));
}

bool SummaryPage::isRemoteAccessRunning() const
{
    return m_remoteJob && m_remoteJob->isRunning();
}

void SummaryPage::startRemoteAccess()
{
    if (isRemoteAccessRunning())
        return;
    LabDocument *doc = m_wizard->document();
    QStringList ids;
    QHash<QString, BoardStatus> statuses;
    for (const Board &b : doc->lab().boards) {
        if (b.isWindows()) {
            statuses.insert(b.id, {BoardStatus::State::Skipped, tr("Windows board")});
            continue;
        }
        statuses.insert(b.id, {BoardStatus::State::Pending, tr("Waiting…")});
        ids << b.id;
    }
    m_remoteTable->setBoards(doc, statuses);
    m_remoteTable->show();
    if (ids.isEmpty())
        return;
    delete m_remoteJob;
    m_remoteStore = std::make_unique<RemoteAccessStore>(doc->lab().name);
    auto *job = new RemoteAccess(doc, m_remoteStore.get(), this);
    m_remoteJob = job;
    ConnectionSettings settings;
    settings.knownHostsPath = m_wizard->knownHostsPath();
    settings.acceptNewHostKeys = false; // keys were accepted (or refused) on the Connect step
    job->setConnectionSettings(settings);
    for (const QString &id : std::as_const(ids))
        job->setPassword(id, m_wizard->password(id));
    job->setBoardFilter(ids);
    connect(job, &WorkflowJob::logMessage, this, [this](const QString &id, const QString &line) {
        if (!id.isEmpty())
            m_remoteTable->setStatus(id, {BoardStatus::State::Running, line});
    });
    connect(job, &WorkflowJob::boardFinished, this,
            [this, job](const QString &id, bool ok, const QString &message) {
                const BoardResult r = job->result(id);
                if (r.outcome == BoardResult::Outcome::Cancelled) {
                    m_remoteTable->setStatus(id, {BoardStatus::State::Cancelled, tr("Cancelled")});
                    return;
                }
                const Board *b = m_wizard->document()->lab().board(id);
                const QString hint = outcomeHint(r, b ? b->name : id);
                m_remoteTable->setStatus(
                    id, {ok ? BoardStatus::State::Done : BoardStatus::State::Failed,
                         hint.isEmpty() ? message : message + QLatin1Char(' ') + hint});
                m_tlsReady = m_tlsReady || ok;
            });
    connect(job, &WorkflowJob::finished, this, [this, job]() {
        if (!job->errorString().isEmpty())
            m_saveNote->setText(job->errorString().toHtmlEscaped());
        m_remote->setEnabled(true);
        m_remoteCancel->setEnabled(false);
        updateCommands();
    });
    m_remote->setEnabled(false);
    m_remoteCancel->setEnabled(true);
    job->start();
}

void SummaryPage::cancelRemoteAccess()
{
    if (isRemoteAccessRunning())
        m_remoteJob->cancel();
}

void SummaryPage::initializePage()
{
    const Lab &lab = m_wizard->document()->lab();
    const auto connect = m_wizard->statuses(SetupWizard::ConnectPageId);
    const auto docker = m_wizard->statuses(SetupWizard::DockerPageId);
    const auto swarm = m_wizard->statuses(SetupWizard::FormSwarmPageId);

    const auto cell = [](const QHash<QString, BoardStatus> &statuses, const QString &id) {
        if (!statuses.contains(id))
            return tr("<td><img src=\":/hivelab/wizard/skipped.svg\" width=14 height=14> "
                      "not run</td>");
        const BoardStatus s = statuses.value(id);
        static const char *icons[] = {"pending", "running", "ok", "failed", "skipped", "skipped"};
        return QStringLiteral("<td><img src=\":/hivelab/wizard/%1.svg\" width=14 height=14> "
                              "%2</td>")
            .arg(QLatin1String(icons[int(s.state)]),
                 (s.detail.isEmpty() ? BoardStatus::text(s.state) : s.detail).toHtmlEscaped());
    };

    int managers = 0;
    int ready = 0;
    for (const Board &b : lab.boards) {
        managers += b.role == Role::Manager;
        ready += swarm.value(b.id).state == BoardStatus::State::Done;
    }
    QString html = QStringLiteral("<h3>%1</h3>").arg(lab.name.toHtmlEscaped());
    html += tr("<p>%1 racks, %2 boards, %3 managers. %4 of %2 boards confirmed in the swarm.</p>")
                .arg(lab.racks.size())
                .arg(lab.boards.size())
                .arg(managers)
                .arg(ready);
    html += QStringLiteral("<table cellspacing=0 cellpadding=4 border=1 width=\"100%\" "
                           "style=\"border-collapse:collapse\"><tr><th>%1</th><th>%2</th><th>%3</"
                           "th><th>%4</th></tr>")
                .arg(tr("Board"), tr("Connection"), tr("Docker"), tr("Swarm"));
    for (const Board &b : lab.boards) {
        html += QStringLiteral("<tr><td><b>%1</b><br>%2</td>%3%4%5</tr>")
                    .arg(b.name.toHtmlEscaped(),
                         (b.role == Role::Manager ? tr("manager") : tr("worker")).toHtmlEscaped(),
                         cell(connect, b.id), cell(docker, b.id), cell(swarm, b.id));
    }
    html += QStringLiteral("</table>");

    // Failures again, one line each, so the reason is readable without widening the table.
    QStringList problems;
    const QList<QPair<QString, QHash<QString, BoardStatus>>> steps{
        {SetupWizard::stepTitle(SetupWizard::ConnectPageId), connect},
        {SetupWizard::stepTitle(SetupWizard::DockerPageId), docker},
        {SetupWizard::stepTitle(SetupWizard::FormSwarmPageId), swarm}};
    for (const Board &b : lab.boards) {
        for (const auto &[title, statuses] : steps) {
            const BoardStatus s = statuses.value(b.id);
            if (statuses.contains(b.id) && s.state == BoardStatus::State::Failed)
                problems << QStringLiteral("<li><b>%1</b> (%2): %3</li>")
                                .arg(b.name.toHtmlEscaped(), title.toHtmlEscaped(),
                                     s.detail.toHtmlEscaped());
        }
    }
    if (!problems.isEmpty())
        html += tr("<h4>What failed and why</h4>") +
                QStringLiteral("<ul>%1</ul>").arg(problems.join(QString()));
    m_report->setHtml(html);
    updateCommands();
    updateSaveState();
}

void SummaryPage::updateSaveState()
{
    const LabDocument *doc = m_wizard->document();
    if (doc->isModified())
        m_saveNote->setText(
            QStringLiteral("<img src=\":/hivelab/wizard/warning.svg\" width=14 height=14>&nbsp;") +
            tr("The lab has unsaved changes: save it so Hivelab remembers the boards, roles and "
               "addresses.")
                .toHtmlEscaped());
    else
        m_saveNote->setText(doc->filePath().isEmpty()
                                ? QString()
                                : tr("Saved as %1.").arg(doc->filePath()).toHtmlEscaped());
}

void SummaryPage::save()
{
    LabDocument *doc = m_wizard->document();
    QString path = doc->filePath();
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save lab"),
                                            doc->lab().name + QStringLiteral(".hivelab"),
                                            tr("Hivelab labs (*.hivelab)"));
        if (path.isEmpty())
            return;
    }
    LabFileError error;
    if (!LabFile::save(doc->lab(), path, &error)) {
        m_saveNote->setText(
            QStringLiteral("<img src=\":/hivelab/wizard/failed.svg\" width=14 height=14>&nbsp;") +
            tr("Could not save: %1").arg(error.toString()).toHtmlEscaped());
        return;
    }
    doc->setFilePath(path);
    doc->setModified(false);
    updateSaveState();
}

StepOutcome SummaryPage::outcome() const
{
    return {};
}

} // namespace Hivelab
