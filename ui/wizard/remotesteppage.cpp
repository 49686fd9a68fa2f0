// SPDX-License-Identifier: GPL-3.0-or-later
#include "remotesteppage.h"

#include "boardstatustable.h"
#include "labdocument.h"
#include "outcomehint.h"
#include "workflowjob.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Hivelab {

RemoteStepPage::RemoteStepPage(SetupWizard *wizard, SetupWizard::PageId step,
                               const QString &startText)
    : QWizardPage(wizard)
    , m_wizard(wizard)
    , m_step(step)
{
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_instructions = new QTextBrowser(splitter);
    m_instructions->setObjectName(QStringLiteral("stepInstructions"));
    m_instructions->setOpenExternalLinks(true);
    m_table = new BoardStatusTable({}, splitter);
    m_table->setObjectName(QStringLiteral("stepTable"));
    splitter->addWidget(m_instructions);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    auto *row = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("stepSummary"));
    m_summary->setWordWrap(true);
    row->addWidget(m_summary, 1);
    m_start = new QPushButton(startText, this);
    m_start->setObjectName(QStringLiteral("stepStart"));
    m_cancel = new QPushButton(tr("Ca&ncel"), this);
    m_cancel->setObjectName(QStringLiteral("stepCancel"));
    row->addWidget(m_start);
    row->addWidget(m_cancel);
    layout->addLayout(row);

    connect(m_start, &QPushButton::clicked, this, &RemoteStepPage::start);
    connect(m_cancel, &QPushButton::clicked, this, &RemoteStepPage::cancel);
}

QString RemoteStepPage::skipReason(const Board &board) const
{
    if (m_wizard->statuses(SetupWizard::ConnectPageId).value(board.id).state !=
        BoardStatus::State::Done)
        return tr("Not signed in: test its connection on the Connect step first.");
    return {};
}

void RemoteStepPage::initializePage()
{
    m_instructions->setHtml(instructionsHtml());
    m_table->setBoards(m_wizard->document(), m_wizard->statuses(m_step));
    updateButtons();
}

void RemoteStepPage::setBoardStatus(const QString &id, const BoardStatus &status)
{
    m_wizard->setStatus(m_step, id, status);
    m_table->setStatus(id, status);
    updateButtons();
}

bool RemoteStepPage::isRunning() const
{
    return m_job && m_job->isRunning();
}

void RemoteStepPage::start()
{
    if (isRunning())
        return;
    const auto statuses = m_wizard->statuses(m_step);
    QStringList ids;
    for (const Board &b : m_wizard->document()->lab().boards) {
        if (statuses.value(b.id).state == BoardStatus::State::Done)
            continue; // resume: done boards stay done
        const QString why = skipReason(b);
        if (!why.isEmpty()) {
            setBoardStatus(b.id, {BoardStatus::State::Skipped, why});
            continue;
        }
        setBoardStatus(b.id, {BoardStatus::State::Pending, tr("Waiting…")});
        ids << b.id;
    }
    WorkflowJob *job = createJob();
    delete m_job;
    m_job = job;
    ConnectionSettings settings;
    settings.knownHostsPath = m_wizard->knownHostsPath();
    // Keys were accepted (or refused) on the Connect step; nothing new is trusted here.
    settings.acceptNewHostKeys = false;
    job->setConnectionSettings(settings);
    for (const QString &id : std::as_const(ids))
        job->setPassword(id, m_wizard->password(id));
    job->setBoardFilter(ids);
    connect(job, &WorkflowJob::logMessage, this, [this](const QString &id, const QString &line) {
        if (!id.isEmpty())
            setBoardStatus(id, {BoardStatus::State::Running, line});
    });
    connect(job, &WorkflowJob::boardFinished, this,
            [this, job](const QString &id, bool ok, const QString &message) {
                const BoardResult r = job->result(id);
                if (r.outcome == BoardResult::Outcome::Cancelled) {
                    setBoardStatus(id, {BoardStatus::State::Cancelled, tr("Cancelled")});
                    return;
                }
                const Board *b = m_wizard->document()->lab().board(id);
                const QString hint = outcomeHint(r, b ? b->name : id);
                setBoardStatus(id, {ok ? BoardStatus::State::Done : BoardStatus::State::Failed,
                                    hint.isEmpty() ? message : message + QLatin1Char(' ') + hint});
            });
    connect(job, &WorkflowJob::finished, this, [this, job]() {
        if (!job->errorString().isEmpty())
            m_summary->setText(job->errorString().toHtmlEscaped());
        updateButtons();
    });
    if (!ids.isEmpty())
        job->start();
    updateButtons();
}

void RemoteStepPage::cancel()
{
    if (m_job)
        m_job->cancel();
    updateButtons();
}

void RemoteStepPage::updateButtons()
{
    const bool busy = isRunning();
    m_start->setEnabled(!busy && m_table->rowCount() > 0);
    m_cancel->setEnabled(busy);
    int done = 0;
    int failed = 0;
    const auto statuses = m_wizard->statuses(m_step);
    for (const BoardStatus &s : statuses) {
        done += s.state == BoardStatus::State::Done;
        failed += s.state == BoardStatus::State::Failed;
    }
    m_summary->setText(statuses.isEmpty() ? QString()
                                          : tr("%1 of %2 boards ready, %3 failed.")
                                                .arg(done)
                                                .arg(m_table->rowCount())
                                                .arg(failed));
    Q_EMIT completeChanged();
}

bool RemoteStepPage::isComplete() const
{
    return !isRunning();
}

StepOutcome RemoteStepPage::outcome() const
{
    QStringList ids;
    for (const Board &b : m_wizard->document()->lab().boards)
        ids << b.id;
    return StepOutcome::fromBoards(ids, m_wizard->statuses(m_step), doneText());
}

} // namespace Hivelab
