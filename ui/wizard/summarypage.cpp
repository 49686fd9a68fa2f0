// SPDX-License-Identifier: GPL-3.0-or-later
#include "summarypage.h"

#include "labdocument.h"
#include "labfile.h"
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

    layout->addWidget(new QLabel(tr("<b>Use the swarm from this computer</b> (Docker CLI with SSH "
                                    "access to a manager):"),
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

QString SummaryPage::dockerContextCommands(const Lab &lab)
{
    const QList<const Board *> managers = lab.managers();
    if (managers.isEmpty())
        return tr("# No manager chosen yet: pick managers and form the swarm first.");
    const Board *m = managers.first();
    const QString user = m->sshUser.isEmpty() ? QStringLiteral("root") : m->sshUser;
    const QString host = m->ip.isEmpty() ? m->sshTarget() : m->ip;
    const QString target = m->sshPort == 22
                               ? QStringLiteral("ssh://%1@%2").arg(user, host)
                               : QStringLiteral("ssh://%1@%2:%3").arg(user, host).arg(m->sshPort);
    return tr("# Once, then every docker command talks to the swarm:\n") +
           QStringLiteral("docker context create hivelab --docker \"host=%1\"\n"
                          "docker context use hivelab\n"
                          "docker node ls\n")
               .arg(target) +
           tr("# Or for one shell only:\n") + QStringLiteral("export DOCKER_HOST=%1\n").arg(target);
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
    m_commands->setPlainText(dockerContextCommands(lab));
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

} // namespace Hivelab
