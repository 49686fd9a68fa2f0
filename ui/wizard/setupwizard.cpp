// SPDX-License-Identifier: GPL-3.0-or-later
#include "setupwizard.h"

#include "boardcatalog.h"
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
#include "sshconfig.h"
#include "summarypage.h"
#include "wizardsidebar.h"

#include <QIcon>
#include <QMetaMethod>

namespace Hivelab {

SetupWizard::SetupWizard(LabDocument *document, QWidget *parent, CredentialStore *credentials)
    : QWizard(parent)
    , m_document(document)
    , m_credentials(credentials ? credentials : new CredentialStore(this))
{
    setObjectName(QStringLiteral("setupWizard"));
    setWindowTitle(tr("Set up a swarm"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage, true);
    setOption(QWizard::HaveFinishButtonOnEarlyPages, false);
    setPixmap(QWizard::LogoPixmap,
              QIcon(QStringLiteral(":/hivelab/wizard/hive.svg")).pixmap(48, 48));

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
    if (!b->sshUser.isEmpty())
        return b->sshUser;
    if (const BoardModelInfo *info = BoardCatalog::builtin().model(b->model)) {
        const QString firstWord = b->os.section(QLatin1Char(' '), 0, 0);
        for (const OsImage &img : info->images) {
            if (!firstWord.isEmpty() && img.name.startsWith(firstWord, Qt::CaseInsensitive) &&
                !img.defaultUser.isEmpty())
                return img.defaultUser;
        }
    }
    return b->isWindows() ? QStringLiteral("Administrator") : QStringLiteral("root");
}

BoardCommandRunner::Target SetupWizard::targetFor(const QString &boardId,
                                                  bool acceptNewHostKey) const
{
    // Like OpenSSH and the provisioning jobs: ~/.ssh/config, the agent and the default keys
    // (~/.ssh/id_ed25519, …), plus the password typed here.
    ConnectionSettings settings;
    settings.knownHostsPath = m_knownHostsPath;
    settings.acceptNewHostKeys = acceptNewHostKey;
    settings.connectTimeoutMs = 8000;
    SshConfig config;
    BoardConnection::loadConfig(settings, &config, nullptr);
    // The login typed on the Connect step (or the catalog's default for the board's OS).
    const Board *b = m_document->lab().board(boardId);
    Board plan = b ? *b : Board();
    plan.sshUser = userFor(boardId);
    const SshLogin login =
        BoardConnection::forBoard(plan, settings, password(boardId), &config);
    BoardCommandRunner::Target t;
    t.boardId = boardId;
    t.options = login.options;
    t.options.authTimeoutMs = 15000;
    t.options.keepaliveSeconds = 0;
    t.auth = login.auth;
    return t;
}

void SetupWizard::setStatus(PageId step, const QString &boardId, const BoardStatus &status)
{
    m_statuses[step][boardId] = status;
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
