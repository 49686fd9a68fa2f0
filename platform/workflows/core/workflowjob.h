// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardconnection.h"
#include "httpmessage.h"
#include "labdocument.h"
#include "ssherror.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Hivelab {

class SshConfig;
class SshConfigLookup;
class SshPool;
class SshPoolTask;
class SshHttpCall;
class SshSession;
class CredentialStore;
struct Board;

/// Outcome of a workflow on one board. Plain value type. Front ends decide from `outcome` and
/// its data, and word their own hint (the CLI names its flags, the wizard its steps).
struct BoardResult
{
    Q_GADGET
public:
    enum class Outcome {
        Ok,
        Failed, // the board's or the workflow's own reason is in message
        Cancelled,
        Unreachable,       // name unknown, no route, refused, timed out, connection lost
        HostKeyUnknown,    // first contact: sshError.fingerprint / hostKeyType to confirm
        HostKeyChanged,    // refused: sshError.knownHostsFile / knownHostsLine hold the old key
        AuthFailed,        // no login method worked (sshError.offeredMethods / triedMethods)
        SudoNeedsPassword, // the login user needs a password for sudo and none was given
        DockerMissing,
        DockerNotRunning,
        NotSupported, // e.g. Windows boards for the Docker install
        KeyRejected,  // the key was installed, but logging in with it alone failed
    };
    Q_ENUM(Outcome)

    QString boardId;
    bool ok = false;
    Outcome outcome = Outcome::Failed;
    QString message;       // what was done, or what failed (no front-end hints)
    SshErrorInfo sshError; // the SSH failure behind Unreachable, HostKey* and AuthFailed
};

/// Base of the provisioning workflows (DockerSetup, SwarmFormation, SwarmStatus): a job object
/// over a LabDocument and one SshPool that runs boards in parallel. Async: start() returns at
/// once, work happens in the event loop of the thread that owns the job (normally the GUI
/// thread; libssh2 runs on the pool's worker threads), nothing blocks. cancel() may be called
/// from any thread. Every board of the run ends in exactly one boardFinished(), then the job
/// ends in exactly one finished().
///
/// Secrets: passwords given here are used for the SSH login and for sudo (through stdin, never
/// on a command line) and never appear in logMessage().
class WorkflowJob : public QObject
{
    Q_OBJECT
public:
    ~WorkflowJob() override;
    Q_DISABLE_COPY_MOVE(WorkflowJob)

    LabDocument *document() const { return m_document; }

    /// Shares a pool (e.g. the application's); by default the job makes its own. Before start().
    void setPool(SshPool *pool);
    /// A pool for several jobs to share (the application's), owned by \a parent, with at most
    /// \a maxParallel boards in flight. Front ends get it here, not from the SSH layer itself.
    static SshPool *createSharedPool(int maxParallel, QObject *parent);
    SshPool *pool();
    /// Boards in flight at once when the job owns its pool (default 8).
    void setMaxParallel(int boards);
    void setConnectionSettings(const ConnectionSettings &settings);
    const ConnectionSettings &connectionSettings() const { return m_settings; }
    /// Password for login and sudo on boards without one of their own (e.g. --password-stdin,
    /// or read from CredentialStore by the caller).
    void setDefaultPassword(const QString &password);
    /// Before starting, read each board's login password from the keychain (key
    /// CredentialStore::secretKey(labId, boardId, login user)); boards with a password given
    /// through setPassword() are not looked up, boards without a stored one fall back to the
    /// default password. The store must outlive the job's start.
    void setCredentialStore(CredentialStore *store, const QString &labId);
    void setPassword(const QString &boardId, const QString &password);
    /// Restrict the run to these board IDs (empty: every board the workflow applies to).
    void setBoardFilter(const QStringList &boardIds);
    QStringList boardFilter() const { return m_filter; }
    /// Deadline for each remote command (default 60 s).
    void setCommandTimeoutMs(int ms);

    /// Async: starts on the next event-loop turn. Call once.
    void start();
    /// Any thread: stops issuing commands, cancels running ones; the job then finishes with
    /// every unfinished board reported as cancelled.
    void cancel();

    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    /// After finished(): true when every board succeeded and the job itself had no error.
    bool succeeded() const { return m_ok; }
    /// A failure of the job as a whole (no manager reachable, bad plan); empty otherwise.
    QString errorString() const { return m_error; }
    /// Boards of the run in lab order (known once the job started).
    QStringList boardIds() const { return m_boards; }
    QList<BoardResult> results() const;
    BoardResult result(const QString &boardId) const { return m_results.value(boardId); }

Q_SIGNALS:
    void started();
    /// done/total in boards (or steps, for workflows that say so).
    void progressChanged(qint64 done, qint64 total);
    /// One line of progress for a board (empty boardId: about the whole job). Never a secret.
    void logMessage(const QString &boardId, const QString &line);
    void boardFinished(const QString &boardId, bool ok, const QString &message);
    void finished(bool ok);

protected:
    explicit WorkflowJob(LabDocument *document, QObject *parent = nullptr);

    /// Output of one remote command.
    struct Remote
    {
        int exitStatus = -1;
        QByteArray out;
        QByteArray err;
        SshErrorInfo error;
        bool cancelled = false;
        HttpResponse response;         // callEngine(): the engine's answer (out holds its body)
        QList<HttpResponse> responses; // callEngine() with several requests: each answer
        bool ok() const { return !error.isError() && exitStatus == 0; }
        /// callEngine(): the engine answered with a 2xx status.
        bool engineOk() const { return !error.isError() && response.isSuccess(); }
        /// stderr (else stdout) trimmed, last lines only: for messages.
        QString errorText() const;
    };
    using RemoteCallback = std::function<void(const Remote &)>;
    struct RemoteOptions
    {
        bool asRoot = true;          // via sudo when the login user is not root
        QByteArray stdinData;        // e.g. a join token: never on the command line
        int timeoutMs = 0;           // 0: the job's command timeout
        QString logAs;               // what to log instead of the command ("" = the command)
        bool quiet = false;          // do not log the command at all
        QList<HttpRequest> requests; // set by callEngine()
        /// Each complete line of stdout as it arrives (then the rest at the end), on the job's
        /// thread, before `done`; stdout is still collected in Remote::out. Not for callEngine().
        std::function<void(const QByteArray &line)> outputLine = nullptr;
    };

    /// Subclasses pick their boards (lab order) and begin work; called from start().
    virtual void begin() = 0;
    /// Boards selected by the filter among `candidates`, in lab order.
    QStringList filterBoards(const QStringList &candidates) const;
    /// No filter set, or the board is in it.
    bool passesFilter(const QString &boardId) const;
    void setBoards(const QStringList &boardIds);
    /// Every board of the lab that passes the filter (and `applies`, if given), in lab order, set
    /// as this job's boards.
    QStringList selectLabBoards(const std::function<bool(const Board &)> &applies = {});
    /// Ends the Windows boards among `boardIds` as NotSupported with `reason` (what to do by
    /// hand) and returns the others.
    QStringList skipWindowsBoards(const QStringList &boardIds, const QString &reason);
    const Board *board(const QString &boardId) const;
    /// Changes a board of the plan (the document is then modified and the front end saves it);
    /// no-op when `change` leaves the board as it was or the board is unknown.
    void changeBoard(const QString &boardId, const std::function<void(Board *)> &change);

    /// Runs `command` on the board (login resolved from the plan) and calls `done` on this
    /// thread, unless the job was cancelled meanwhile (then `done` gets cancelled = true).
    void runOn(const QString &boardId, const QString &command, const RemoteCallback &done,
               const RemoteOptions &options);
    void runOn(const QString &boardId, const QString &command, const RemoteCallback &done)
    {
        runOn(boardId, command, done, RemoteOptions{});
    }

    /// Sends `request` to the board's Docker engine API over `docker system dial-stdio` (as
    /// root, like runOn): bodies such as join tokens stay inside the SSH channel. Logged as
    /// `request.describe()` unless options.logAs says otherwise.
    void callEngine(const QString &boardId, const HttpRequest &request, const RemoteCallback &done,
                    RemoteOptions options);
    void callEngine(const QString &boardId, const HttpRequest &request, const RemoteCallback &done)
    {
        callEngine(boardId, request, done, RemoteOptions{});
    }
    /// Several requests in one call (pipelined on one connection, answered in order): `done`
    /// gets one Remote per request, each with its own response and out. Logged one line each.
    /// `timeoutMs` 0: the job's command timeout.
    using RemotesCallback = std::function<void(const QList<Remote> &)>;
    void callEngine(const QString &boardId, const QList<HttpRequest> &requests,
                    const RemotesCallback &done, int timeoutMs = 0);

    /// Keeps one engine connection to the board (a single `docker system dial-stdio`) open for
    /// the callEngine() calls that follow, until the end of the job: a series
    /// of requests (a swarm's leader asked for its node list until it settles) then costs no
    /// SSH channel and no process start each. Each request keeps its own deadline; an idle
    /// connection closes when other commands wait for a slot of the pool, and a lost one is
    /// opened again by the next request. Without it, each callEngine() is one `docker system
    /// dial-stdio` command that ends with its answers.
    void keepEngineOpen(const QString &boardId);

    /// For jobs that drive a session themselves (file transfers, key setup): leases the
    /// board's pooled session (counted against the pool's parallelism) and calls `use` on this
    /// thread with it and the board's login (its password is the one for sudo too). The job
    /// must call releaseSession() when its work on the session ends. Not called once cancelled.
    using SessionCallback = std::function<void(SshSession *session, const SshLogin &login)>;
    void withSession(const QString &boardId, const SessionCallback &use);
    /// Ends the board's lease; `error` (none on success) classifies a later failed
    /// finishBoard(boardId, false, …) like the failure of a remote command.
    void releaseSession(const QString &boardId, const SshErrorInfo &error);
    /// Called when the job is cancelled, before unfinished boards are reported: jobs that run
    /// their own session work (withSession()) stop it here.
    virtual void cancelWork() {}

    void log(const QString &boardId, const QString &line);
    /// Records a board's outcome once (later calls for the same board are ignored). A failure
    /// takes its code from the board's last failed remote command (SSH error, sudo, Docker),
    /// else Failed.
    void finishBoard(const QString &boardId, bool ok, const QString &message);
    void finishBoard(const QString &boardId, BoardResult::Outcome outcome, const QString &message);
    bool isBoardFinished(const QString &boardId) const { return m_results.contains(boardId); }
    /// When `remote` failed: ends the board with `what` (its %1 takes describe(remote)), ends
    /// the job if that was its last board, and returns true. False (nothing done) otherwise.
    bool endBoardIfFailed(const QString &boardId, const Remote &remote, const QString &what);
    /// Marks the job failed as a whole; boards not finished yet end with `message`.
    void failJob(const QString &message);
    /// Ends the job once every board has finished (no-op before); subclasses call it when
    /// their last step is done.
    void finishJob();
    bool isCancelled() const { return m_cancelled.load(); }
    void setProgress(qint64 done, qint64 total);
    /// For `count` steps running in parallel: the callback each calls when it ends; the last
    /// call runs `then`. With no steps, `then` runs at once.
    static std::function<void()> afterAll(int count, const std::function<void()> &then);

    /// One user-facing sentence for a failed remote command.
    static QString describe(const Remote &remote);
    /// The outcome code of one remote command (Ok when it succeeded).
    static BoardResult::Outcome classify(const Remote &remote);

public:
    /// The outcome code of an SSH error (Ok for none).
    static BoardResult::Outcome classify(const SshErrorInfo &error);

private:
    void doStart();
    void readCredentials();
    void readCredential(const QString &boardId, const QString &user);
    /// One board's keychain read answered (or, with an empty key, will not be made).
    void credentialAnswered(const QString &key);
    void onKeychainTimeout(const QString &key);

    /// The only way to a board's login, and so to its session (the pool takes an SshLogin):
    /// calls `use` on this thread once `ssh -G` answered for the board, at once when it has,
    /// else when its lookup does (started if needed; each bounded by SshConfig::TimeoutMs).
    /// Never waits. When the board left the lab or ssh could not resolve it (its timeout
    /// included), `failed` gets why on a later event-loop turn. Neither is called once the
    /// job is cancelled (nor `use` after a lookup that answers once the job finished).
    using LoginCallback = std::function<void(const SshLogin &login)>;
    using LoginFailed = std::function<void(const SshErrorInfo &error)>;
    void withLogin(const QString &boardId, const LoginCallback &use, const LoginFailed &failed);
    void onSshConfigResolved(const QString &alias);
    /// runOn() once the board is free and its login known; `complete` ends the command.
    void startRemote(const QString &boardId, const QString &command, const RemoteOptions &options,
                     const SshLogin &login, const std::shared_ptr<Remote> &result,
                     const std::function<void(int status, const SshErrorInfo &error)> &complete);
    void startWork();
    void doCancel();

    QPointer<LabDocument> m_document;
    SshPool *m_pool = nullptr;
    bool m_ownPool = false;
    int m_maxParallel = 8;
    ConnectionSettings m_settings;
    SshConfig *m_sshConfig = nullptr;
    SshConfigLookup *m_sshLookup = nullptr;
    QHash<QString, QList<std::function<void()>>> m_afterLookup; // alias -> calls waiting for it
    int m_credentialsDue = 0; // boards whose keychain read has not answered yet
    QString m_defaultPassword;
    QPointer<CredentialStore> m_credentials;
    QString m_labId;
    QHash<QString, QString> m_pendingSecrets; // keychain key -> board ID
    QHash<QString, QString> m_passwords;
    QStringList m_filter;
    int m_commandTimeoutMs = 60000;
    QStringList m_boards;
    QHash<QString, BoardResult> m_results;
    QHash<QString, BoardResult> m_lastRemote; // per board: code and SSH error of the last command
    QList<QPointer<SshPoolTask>> m_tasks;
    QHash<QString, QPointer<SshPoolTask>> m_leases;
    struct Queued
    {
        QString command;
        RemoteCallback done;
        RemoteOptions options;
    };
    // keepEngineOpen(): per board, the kept-open call and the requests it has yet to answer.
    struct EngineLink
    {
        struct Waiting
        {
            quint64 serial = 0;
            qsizetype count = 0;
            RemotesCallback done;
            QList<HttpResponse> answers;
        };
        QPointer<SshHttpCall> call;
        QList<Waiting> waiting;
        // True from keepEngineOpen() on, to the end of the job. A board
        // with no entry gets one dial-stdio command per callEngine().
        bool keep = false;
    };
    /// The outcome of an engine call whose login failed (recorded as the board's last command).
    Remote loginFailed(const QString &boardId, const SshErrorInfo &error);
    /// callEngine() with several requests as one `docker system dial-stdio` command (runOn()).
    void callEngineAsCommand(const QString &boardId, const QList<HttpRequest> &requests,
                             const RemotesCallback &done, int timeoutMs);
    /// Over the board's kept-open connection (opened with `login` when there is none).
    void sendOverLink(const QString &boardId, const SshLogin &login,
                      const QList<HttpRequest> &requests, const RemotesCallback &done,
                      int timeoutMs);
    void onLinkAnswer(const QString &boardId, SshHttpCall *call, const HttpResponse &response);
    /// Ends the board's link: what it had yet to answer fails with `error`.
    void endLink(const QString &boardId, SshHttpCall *call, int exitStatus,
                 const SshErrorInfo &error);
    /// Closes kept-open connections that wait for nothing (they hold slots of the pool).
    void closeIdleLinks();
    void closeIfIdle(EngineLink &link);
    QHash<QString, EngineLink> m_links;
    quint64 m_linkSerial = 0;
    QSet<QString> m_busyBoards;
    QHash<QString, QList<Queued>> m_waiting;
    std::atomic<bool> m_cancelled{false};
    bool m_running = false;
    bool m_finished = false;
    bool m_ok = false;
    QString m_error;
};

} // namespace Hivelab
