// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardconnection.h"
#include "workflowjob.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace Hivelab {

class CredentialStore;
class LabDocument;
class RemoteAccessStore;
class SshPool;

/// The main window's board jobs (swarm form, status, join, leave, drain, activate, apply
/// placement labels; key login setup; identify; TLS remote access): one at a time,
/// every job logging in the same way (connection settings, keychain, this session's
/// passwords) over one SshPool shared with live status, so a board's connection is reused
/// from job to job. Async, GUI thread; long work runs in the jobs (see WorkflowJob).
class SwarmJobController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SwarmJobController)
public:
    enum class Operation {
        Form,
        Status,
        Join,
        Leave,
        Drain,
        Activate,
        ApplyPlacement,
        KeyLogin,
        Identify, // IdentifyWorkflow: the window applies its facts as one undoable edit
        RemoteAccess, // TLS on 2376 (RemoteAccess::Mode::Setup)
        DeployStack,  // StackDeploy of the file given to setStackToDeploy()
        ApplyAddresses, // AddressApply: planned static addresses, rolled back on the board
    };
    Q_ENUM(Operation)

    explicit SwarmJobController(LabDocument *document, QObject *parent = nullptr);
    ~SwarmJobController() override;

    /// Starts `operation` on the boards (started() follows at once) (empty: every board it applies to). Returns false and
    /// starts nothing while another job runs.
    bool start(Operation operation, const QStringList &boardIds = {});
    /// The Compose file and stack name the next DeployStack job deploys.
    void setStackToDeploy(const QByteArray &compose, const QString &name)
    {
        m_stackCompose = compose;
        m_stackName = name;
    }
    /// Cancels the running job (it still ends in finished()).
    void cancel();
    bool isBusy() const;
    /// The running or last finished job (null before the first).
    WorkflowJob *currentJob() const { return m_job; }

    /// How jobs log in. Only host keys trusted before are used, whatever `settings` says: a job
    /// started from a menu never trusts a new key behind the user's back.
    void setConnectionSettings(const ConnectionSettings &settings) { m_settings = settings; }
    /// Whether jobs read the passwords the wizard's Connect step remembered (default on).
    void setKeychainEnabled(bool enabled) { m_useKeychain = enabled; }
    /// The keychain shared with the wizard; null when the keychain is off.
    CredentialStore *credentialStore();
    /// A password typed but not remembered: used by this session's jobs, wiped on destruction.
    void setSessionPassword(const QString &boardId, const QString &password);

    /// Logins, keychain, session passwords and the shared pool for any job (live status too).
    void configure(WorkflowJob *job);
    SshPool *pool() const { return m_pool; }
    /// The lab's TLS material on this computer (RemoteAccess jobs; the Summary's context line).
    RemoteAccessStore *remoteAccessStore();

Q_SIGNALS:
    void started(Hivelab::SwarmJobController::Operation operation, Hivelab::WorkflowJob *job);
    void finished(Hivelab::SwarmJobController::Operation operation, Hivelab::WorkflowJob *job);

private:
    WorkflowJob *createJob(Operation operation);

    LabDocument *m_document;
    SshPool *m_pool;
    QPointer<WorkflowJob> m_job;
    ConnectionSettings m_settings;
    CredentialStore *m_credentials = nullptr;
    QHash<QString, QString> m_sessionPasswords;
    bool m_useKeychain = true;
    std::unique_ptr<RemoteAccessStore> m_remoteStore;
    QString m_remoteLab;
    QByteArray m_stackCompose;
    QString m_stackName;
};

} // namespace Hivelab
