// SPDX-License-Identifier: GPL-3.0-or-later
#include "setupwizard.h"

#include "boardconnection.h"
#include "connectpage.h"
#include "credentialstore.h"
#include "demolab.h"
#include "discoverpage.h"
#include "dockerpage.h"
#include "flashpage.h"
#include "formswarmpage.h"
#include "labdocument.h"
#include "managerspage.h"
#include "planpage.h"
#include "stepoutcome.h"
#include "summarypage.h"
#include "wizardsidebar.h"

#include <QIcon>
#include <QMetaMethod>
#include <QUndoStack>

namespace Hivelab {

SetupWizard::SetupWizard(LabDocument *document, QWidget *parent, CredentialStore *credentials)
    : QWizard(parent)
    , m_document(document)
    , m_credentials(credentials ? credentials : new CredentialStore(this))
    , m_undoStack(new QUndoStack(this))
{
    setObjectName(QStringLiteral("setupWizard"));
    setWindowTitle(tr("Set up a swarm"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage, true);
    setOption(QWizard::HaveFinishButtonOnEarlyPages, false);
    setPixmap(QWizard::LogoPixmap,
              QIcon(QStringLiteral(":/icons/hivelab.svg")).pixmap(48, 48));

    setPage(PlanPageId, new PlanPage(this));
    setPage(DiscoverPageId, new DiscoverPage(this));
    setPage(FlashPageId, new FlashPage(this));
    setPage(ConnectPageId, new ConnectPage(this));
    setPage(DockerPageId, new DockerPage(this));
    setPage(ManagersPageId, new ManagersPage(this));
    setPage(FormSwarmPageId, new FormSwarmPage(this));
    setPage(SummaryPageId, new SummaryPage(this));
    setStartId(PlanPageId);

    QStringList steps;
    for (int id = PlanPageId; id <= SummaryPageId; ++id)
        steps << stepTitle(PageId(id));
    m_sidebar = new WizardSidebar(steps, this);
    setSideWidget(m_sidebar);
    connect(this, &QWizard::currentIdChanged, this, &SetupWizard::onCurrentIdChanged);
    m_nextText = buttonText(QWizard::NextButton);
    for (int id : pageIds())
        connect(page(id), &QWizardPage::completeChanged, this, &SetupWizard::updateOutcomes);
    connect(m_document, &LabDocument::changed, this, &SetupWizard::updateOutcomes);
    connect(m_document, &LabDocument::reset, this, &SetupWizard::updateOutcomes);
    updateOutcomes();
    resize(1000, 700);
}

SetupWizard::~SetupWizard()
{
    // Wipe session secrets before the memory goes back to the allocator.
    for (auto it = m_passwords.begin(); it != m_passwords.end(); ++it)
        it->fill(QLatin1Char('\0'));
}

QString SetupWizard::stepTitle(PageId step)
{
    switch (step) {
    case PlanPageId:
        return tr("Plan racks");
    case DiscoverPageId:
        return tr("Discover boards");
    case FlashPageId:
        return tr("Flash and preconfigure");
    case ConnectPageId:
        return tr("Connect and sign in");
    case DockerPageId:
        return tr("Install Docker");
    case ManagersPageId:
        return tr("Choose managers");
    case FormSwarmPageId:
        return tr("Form the swarm");
    case SummaryPageId:
        return tr("Summary");
    }
    return {};
}

void SetupWizard::onCurrentIdChanged(int id)
{
    m_sidebar->setCurrent(id);
    updateOutcomes();
}

void SetupWizard::updateOutcomes()
{
    const bool hasBoards = !m_document->lab().boards.isEmpty();
    for (int id : pageIds()) {
        const auto *step = dynamic_cast<const WizardStep *>(page(id));
        if (!step)
            continue;
        const StepOutcome outcome = step->outcome();
        m_sidebar->setOutcome(id, outcome);
        if (id == ConnectPageId || id == DockerPageId || id == FormSwarmPageId) {
            // Going on without running the step is skipping it, and the button says so.
            const bool skip = hasBoards && outcome.state == StepOutcome::State::NotRun;
            page(id)->setButtonText(QWizard::NextButton, skip ? tr("&Skip >") : m_nextText);
        }
    }
}

void SetupWizard::setUndoStack(QUndoStack *stack)
{
    if (m_undoStack->parent() == this && m_undoStack != stack)
        delete m_undoStack;
    m_undoStack = stack;
}

void SetupWizard::pushEdit(QUndoCommand *command)
{
    if (command)
        m_undoStack->push(command);
}

void SetupWizard::setPassword(const QString &boardId, const QString &password)
{
    QString &slot = m_passwords[boardId];
    slot.fill(QLatin1Char('\0'));
    slot = password;
}

QString SetupWizard::userFor(const QString &boardId) const
{
    const Board *b = m_document->lab().board(boardId);
    if (!b)
        return {};
    // The jobs' rule: the plan's user, ~/.ssh/config's, else the catalog's for the image.
    return BoardConnection::loginUser(*b, ConnectionSettings());
}

void SetupWizard::setStatus(PageId step, const QString &boardId, const BoardStatus &status)
{
    m_statuses[step][boardId] = status;
    updateOutcomes();
}

bool SetupWizard::requestDemo()
{
    if (isSignalConnected(QMetaMethod::fromSignal(&SetupWizard::demoRequested))) {
        Q_EMIT demoRequested();
        return m_document->lab() == demoLab();
    }
    m_document->setFilePath(QString());
    m_document->setLab(demoLab());
    m_document->setModified(true);
    return true;
}

bool SetupWizard::advanceTo(int page)
{
    if (currentId() < 0)
        restart();
    while (currentId() != page) {
        const int before = currentId();
        next();
        if (currentId() == before)
            return false;
    }
    return true;
}

} // namespace Hivelab
