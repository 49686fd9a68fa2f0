// SPDX-License-Identifier: GPL-3.0-or-later
#include "swarmjobcontroller.h"

#include "addressapply.h"
#include "credentialstore.h"
#include "identifyworkflow.h"
#include "keyloginsetup.h"
#include "labdocument.h"
#include "nodeavailability.h"
#include "remoteaccess.h"
#include "remoteaccessstore.h"
#include "stackdeploy.h"
#include "swarmformation.h"
#include "swarmlabels.h"
#include "swarmstatus.h"

namespace Hivelab {

namespace {
constexpr int MaxParallelBoards = 8;
} // namespace

SwarmJobController::SwarmJobController(LabDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_pool(WorkflowJob::createSharedPool(MaxParallelBoards, this))
{}

SwarmJobController::~SwarmJobController()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
        delete m_job; // before the remote-access store it may use
    }
    for (auto it = m_sessionPasswords.begin(); it != m_sessionPasswords.end(); ++it)
        it->fill(QLatin1Char('\0'));
}

WorkflowJob *SwarmJobController::createJob(Operation operation)
{
    switch (operation) {
    case Operation::Form:
    case Operation::Join:
    case Operation::Leave: {
        auto *job = new SwarmFormation(m_document, this);
        job->setOperation(operation == Operation::Form   ? SwarmFormation::Operation::Form
                          : operation == Operation::Join ? SwarmFormation::Operation::Join
                                                         : SwarmFormation::Operation::Leave);
        return job;
    }
    case Operation::Drain:
    case Operation::Activate: {
        auto *job = new NodeAvailability(m_document, this);
        job->setAvailability(operation == Operation::Drain
                                 ? NodeAvailability::Availability::Drain
                                 : NodeAvailability::Availability::Active);
        return job;
    }
    case Operation::Status: {
        // F5 updates the service chips too, as a live status tick does.
        auto *job = new SwarmStatus(m_document, this);
        job->setWithTasks(true);
        return job;
    }
    case Operation::ApplyPlacement:
        return new SwarmLabels(m_document, this);
    case Operation::KeyLogin:
        return new KeyLoginSetup(m_document, this);
    case Operation::Identify:
        return new IdentifyWorkflow(m_document, this);
    case Operation::ApplyAddresses:
        return new AddressApply(m_document, this);
    case Operation::RemoteAccess:
        return new RemoteAccess(m_document, remoteAccessStore(), this);
    case Operation::DeployStack: {
        auto *job = new StackDeploy(m_document, this);
        job->setCompose(m_stackCompose, m_stackName);
        return job;
    }
    }
    return nullptr;
}

bool SwarmJobController::start(Operation operation, const QStringList &boardIds)
{
    if (isBusy())
        return false;
    delete m_job; // the previous, finished job
    WorkflowJob *job = createJob(operation);
    job->setBoardFilter(boardIds);
    m_job = job;
    configure(job);
    connect(job, &WorkflowJob::finished, this,
            [this, operation, job]() { Q_EMIT finished(operation, job); });
    // start() only queues the work: whoever hears started() still sees every job signal.
    job->start();
    Q_EMIT started(operation, job);
    return true;
}

void SwarmJobController::cancel()
{
    if (isBusy())
        m_job->cancel();
}

bool SwarmJobController::isBusy() const
{
    return m_job && m_job->isRunning();
}

RemoteAccessStore *SwarmJobController::remoteAccessStore()
{
    // Per lab name: the document may have been replaced by another lab since the last job.
    const QString lab = m_document->lab().name;
    if (!m_remoteStore || m_remoteLab != lab) {
        if (isBusy())
            return m_remoteStore.get(); // the running job keeps its store
        m_remoteStore = std::make_unique<RemoteAccessStore>(lab);
        m_remoteLab = lab;
    }
    return m_remoteStore.get();
}

CredentialStore *SwarmJobController::credentialStore()
{
    if (!m_useKeychain)
        return nullptr;
    if (!m_credentials)
        m_credentials = new CredentialStore(this);
    return m_credentials;
}

void SwarmJobController::setSessionPassword(const QString &boardId, const QString &password)
{
    QString &slot = m_sessionPasswords[boardId];
    slot.fill(QLatin1Char('\0'));
    slot = password;
}

void SwarmJobController::configure(WorkflowJob *job)
{
    ConnectionSettings settings = m_settings;
    settings.acceptNewHostKeys = false;
    job->setConnectionSettings(settings);
    job->setPool(m_pool);
    // Passwords the wizard's Connect step remembered (same keychain keys); boards without one
    // log in with keys or the agent.
    if (CredentialStore *store = credentialStore())
        job->setCredentialStore(store, m_document->lab().name);
    for (auto it = m_sessionPasswords.cbegin(); it != m_sessionPasswords.cend(); ++it)
        job->setPassword(it.key(), it.value());
}

} // namespace Hivelab
