// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflowjob.h"

#include "credentialstore.h"
#include "labdocument.h"
#include "sshconfig.h"
#include "sshconfiglookup.h"
#include "sshhttpcall.h"
#include "sshpool.h"
#include "sshpooltask.h"
#include "sshsession.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <memory>
#include <utility>

namespace Hivelab {

namespace {

// Remote output kept per command: probes and node lists are small; anything larger is noise.
constexpr qsizetype MaxOutputBytes = 4 * 1024 * 1024;

// Upper bound of a kept-open engine connection's life (keepEngineOpen()).
constexpr int LinkLifetimeMs = 10 * 60 * 1000;

// How long one keychain read may take. Counted from the read itself: the wait for the board's
// `ssh -G` before it (the key names the login user) has its own bound, SshConfig::TimeoutMs.
constexpr int KeychainTimeoutMs = 10000;

} // namespace

WorkflowJob::WorkflowJob(LabDocument *document, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_sshConfig(new SshConfig)
    , m_sshLookup(new SshConfigLookup(m_sshConfig, this))
{
    connect(m_sshLookup, &SshConfigLookup::resolved, this, &WorkflowJob::onSshConfigResolved);
}

WorkflowJob::~WorkflowJob()
{
    for (const QPointer<SshPoolTask> &t : std::as_const(m_tasks)) {
        if (t)
            disconnect(t, nullptr, this, nullptr);
    }
    delete m_sshLookup; // before the config it writes to
    delete m_sshConfig;
}

SshPool *WorkflowJob::createSharedPool(int maxParallel, QObject *parent)
{
    auto *pool = new SshPool(parent);
    pool->setMaxConcurrent(maxParallel);
    return pool;
}

void WorkflowJob::setPool(SshPool *pool)
{
    if (m_ownPool)
        return; // already made its own (start() ran)
    m_pool = pool;
}

SshPool *WorkflowJob::pool()
{
    if (!m_pool) {
        m_pool = new SshPool(this);
        m_pool->setMaxConcurrent(m_maxParallel);
        m_ownPool = true;
    }
    return m_pool;
}

void WorkflowJob::setMaxParallel(int boards)
{
    m_maxParallel = qMax(1, boards);
    if (m_ownPool)
        m_pool->setMaxConcurrent(m_maxParallel);
}

void WorkflowJob::setConnectionSettings(const ConnectionSettings &settings)
{
    m_settings = settings;
}

void WorkflowJob::setDefaultPassword(const QString &password)
{
    m_defaultPassword = password;
}

void WorkflowJob::setCredentialStore(CredentialStore *store, const QString &labId)
{
    m_credentials = store;
    m_labId = labId;
}

void WorkflowJob::setPassword(const QString &boardId, const QString &password)
{
    m_passwords.insert(boardId, password);
}

void WorkflowJob::setBoardFilter(const QStringList &boardIds)
{
    m_filter = boardIds;
}

void WorkflowJob::setCommandTimeoutMs(int ms)
{
    m_commandTimeoutMs = qMax(1000, ms);
}

void WorkflowJob::start()
{
    if (m_running || m_finished)
        return;
    m_running = true;
    QMetaObject::invokeMethod(this, &WorkflowJob::doStart, Qt::QueuedConnection);
}

void WorkflowJob::cancel()
{
    if (m_cancelled.exchange(true))
        return;
    QMetaObject::invokeMethod(this, &WorkflowJob::doCancel, Qt::QueuedConnection);
}

QList<BoardResult> WorkflowJob::results() const
{
    QList<BoardResult> list;
    for (const QString &id : m_boards) {
        if (m_results.contains(id))
            list << m_results.value(id);
    }
    return list;
}

void WorkflowJob::doStart()
{
    Q_EMIT started();
    if (!m_document) {
        failJob(tr("No lab is open."));
        return;
    }
    QString warning;
    if (!BoardConnection::loadConfig(m_settings, m_sshConfig, &warning))
        log(QString(), warning);
    // Every board the run may log in to, side by side and without waiting: each board's
    // login goes ahead once its own answer is in (withLogin()).
    QList<QPair<QString, QString>> lookups;
    for (const Board &b : m_document->lab().boards) {
        if (passesFilter(b.id))
            lookups << BoardConnection::configLookup(b);
    }
    m_sshLookup->start(lookups);
    if (m_credentials)
        readCredentials();
    else
        startWork();
}

void WorkflowJob::withLogin(const QString &boardId, const LoginCallback &use,
                            const LoginFailed &failed)
{
    if (isCancelled())
        return; // doCancel() reports every unfinished board
    const auto fail = [this, failed](const QString &message) {
        const SshErrorInfo error{SshError::Internal, message, {}, {}, {}, {}, {}, 0};
        QMetaObject::invokeMethod(
            this,
            [this, failed, error]() {
                if (!isCancelled())
                    failed(error);
            },
            Qt::QueuedConnection);
    };
    const Board *b = board(boardId);
    if (!b) {
        fail(tr("Board %1 is not in the lab.").arg(boardId));
        return;
    }
    const QPair<QString, QString> lookup = BoardConnection::configLookup(*b);
    if (!m_sshConfig->answered(lookup.first, lookup.second)) {
        m_afterLookup[lookup.first]
            << [this, boardId, use, failed]() { withLogin(boardId, use, failed); };
        m_sshLookup->start({lookup}); // no-op while it runs already
        return;
    }
    // An answered lookup resolves without a process; its error includes ssh's own timeout.
    if (const QString error = m_sshConfig->resolve(lookup.first, lookup.second).error;
        !error.isEmpty()) {
        fail(tr("ssh could not resolve the settings for %1: %2").arg(lookup.first, error));
        return;
    }
    const QString password = m_passwords.value(boardId, m_defaultPassword);
    use(BoardConnection::forBoard(*b, m_settings, password, m_sshConfig));
}

void WorkflowJob::onSshConfigResolved(const QString &alias)
{
    const QList<std::function<void()>> calls = m_afterLookup.take(alias);
    for (const std::function<void()> &call : calls) {
        if (m_finished)
            return;
        call();
    }
}

void WorkflowJob::readCredentials()
{
    QStringList due;
    for (const Board &b : m_document->lab().boards) {
        if (!m_passwords.contains(b.id) && passesFilter(b.id))
            due << b.id;
    }
    if (due.isEmpty()) {
        startWork();
        return;
    }
    m_credentialsDue = int(due.size());
    connect(m_credentials, &CredentialStore::secretRead, this,
            [this](const QString &key, const QString &secret) {
                const QString board = m_pendingSecrets.value(key);
                if (!board.isEmpty())
                    m_passwords.insert(board, secret);
                credentialAnswered(key);
            });
    connect(m_credentials, &CredentialStore::failed, this,
            [this](const QString &key, CredentialStore::Error, const QString &) {
                // Not stored (or no keychain): the default password is used.
                credentialAnswered(key);
            });
    // The key names the login user, which the ssh config may set: read once it answered. A
    // board ssh cannot resolve needs no password (it fails at its first command with why).
    for (const QString &id : std::as_const(due)) {
        withLogin(
            id, [this, id](const SshLogin &login) { readCredential(id, login.auth.user); },
            [this](const SshErrorInfo &) { credentialAnswered(QString()); });
    }
}

void WorkflowJob::readCredential(const QString &boardId, const QString &user)
{
    if (m_credentialsDue <= 0)
        return;
    if (!m_credentials) {
        credentialAnswered(QString());
        return;
    }
    const QString key = CredentialStore::secretKey(m_labId, boardId, user);
    m_pendingSecrets.insert(key, boardId);
    // The keychain answers within milliseconds, but a job must never hang on it.
    QTimer::singleShot(KeychainTimeoutMs, this, [this, key]() { onKeychainTimeout(key); });
    m_credentials->read(key);
}

void WorkflowJob::credentialAnswered(const QString &key)
{
    if (m_credentialsDue <= 0 || (!key.isEmpty() && !m_pendingSecrets.remove(key)))
        return;
    if (--m_credentialsDue > 0 || !m_running)
        return;
    if (m_credentials)
        disconnect(m_credentials, nullptr, this, nullptr);
    startWork();
}

void WorkflowJob::onKeychainTimeout(const QString &key)
{
    if (m_credentialsDue <= 0 || m_finished || !m_pendingSecrets.contains(key))
        return;
    log(QString(), tr("The keychain did not answer; continuing without stored passwords."));
    m_pendingSecrets.clear();
    m_credentialsDue = 0;
    if (m_credentials)
        disconnect(m_credentials, nullptr, this, nullptr);
    startWork();
}

void WorkflowJob::startWork()
{
    if (isCancelled()) {
        doCancel();
        return;
    }
    begin();
    if (m_boards.isEmpty() && !m_finished && m_error.isEmpty())
        finishJob();
}

void WorkflowJob::doCancel()
{
    if (m_finished)
        return;
    m_cancelled = true;
    m_sshLookup->cancel();
    m_afterLookup.clear();
    cancelWork();
    const QList<QPointer<SshPoolTask>> tasks = m_tasks; // cancel() may finish synchronously
    for (const QPointer<SshPoolTask> &t : tasks) {
        if (t && !t->isFinished())
            t->cancel();
    }
    for (const QString &id : std::as_const(m_boards))
        finishBoard(id, BoardResult::Outcome::Cancelled, tr("Cancelled."));
    if (m_running)
        finishJob();
}

bool WorkflowJob::passesFilter(const QString &boardId) const
{
    return m_filter.isEmpty() || m_filter.contains(boardId);
}

QStringList WorkflowJob::filterBoards(const QStringList &candidates) const
{
    QStringList out;
    for (const QString &id : candidates) {
        if (passesFilter(id))
            out << id;
    }
    return out;
}

void WorkflowJob::setBoards(const QStringList &boardIds)
{
    m_boards = boardIds;
    setProgress(0, m_boards.size());
}

QStringList WorkflowJob::selectLabBoards(const std::function<bool(const Board &)> &applies)
{
    QStringList all;
    for (const Board &b : document()->lab().boards) {
        if (!applies || applies(b))
            all << b.id;
    }
    const QStringList run = filterBoards(all);
    setBoards(run);
    return run;
}

QStringList WorkflowJob::skipWindowsBoards(const QStringList &boardIds, const QString &reason)
{
    QStringList others;
    for (const QString &id : boardIds) {
        if (board(id)->isWindows())
            finishBoard(id, BoardResult::Outcome::NotSupported, reason);
        else
            others << id;
    }
    return others;
}

const Board *WorkflowJob::board(const QString &boardId) const
{
    return m_document ? m_document->lab().board(boardId) : nullptr;
}

void WorkflowJob::changeBoard(const QString &boardId, const std::function<void(Board *)> &change)
{
    const Board *b = board(boardId);
    if (!b)
        return;
    Board updated = *b;
    change(&updated);
    if (updated != *b)
        document()->updateBoard(updated);
}

void WorkflowJob::runOn(const QString &boardId, const QString &command, const RemoteCallback &done,
                        const RemoteOptions &options)
{
    if (isCancelled())
        return; // doCancel() reports every unfinished board
    if (!board(boardId)) {
        Remote r;
        r.error = SshErrorInfo{SshError::Internal,
                               tr("Board %1 is not in the lab.").arg(boardId),
                               {},
                               {},
                               {},
                               {},
                               {},
                               0};
        QMetaObject::invokeMethod(
            this, [done, r]() { done(r); }, Qt::QueuedConnection);
        return;
    }
    // One command per board at a time: commands on a board are steps that depend on each
    // other anyway, and several channels at once on one connection proved fragile (a Dropbear
    // board dropped the connection under five parallel `docker node update`).
    if (m_busyBoards.contains(boardId)) {
        m_waiting[boardId].append(Queued{command, done, options});
        return;
    }
    m_busyBoards.insert(boardId);
    auto result = std::make_shared<Remote>();
    auto complete = [this, result, done, boardId](int status, const SshErrorInfo &error) {
        m_busyBoards.remove(boardId);
        if (isCancelled())
            return;
        result->exitStatus = status;
        result->error = error;
        result->cancelled = error.code == SshError::Cancelled;
        m_lastRemote[boardId] =
            BoardResult{boardId, result->ok(), classify(*result), QString(), error};
        done(*result);
        if (!m_busyBoards.contains(boardId) && !m_waiting.value(boardId).isEmpty()) {
            const Queued next = m_waiting[boardId].takeFirst();
            runOn(boardId, next.command, next.done, next.options);
        }
    };
    // A board ssh cannot resolve fails like a command that could not start: with ssh's reason.
    withLogin(
        boardId,
        [this, boardId, command, options, result, complete](const SshLogin &login) {
            startRemote(boardId, command, options, login, result, complete);
        },
        [complete](const SshErrorInfo &error) { complete(-1, error); });
}

void WorkflowJob::startRemote(const QString &boardId, const QString &command,
                              const RemoteOptions &options, const SshLogin &login,
                              const std::shared_ptr<Remote> &result,
                              const std::function<void(int, const SshErrorInfo &)> &complete)
{
    // A second channel next to an idle kept-open one: close that (Dropbear, see runOn()).
    if (options.requests.isEmpty() && m_links.contains(boardId))
        closeIfIdle(m_links[boardId]);
    const QString &password = login.auth.password;
    SshExecOptions exec;
    exec.timeoutMs = options.timeoutMs > 0 ? options.timeoutMs : m_commandTimeoutMs;
    exec.closeStdin = true;
    QString remoteCommand = command;
    if (options.asRoot && login.auth.user != QLatin1String("root")) {
        // SshPool has no execAsRoot(): same wrapper, password line first on stdin.
        remoteCommand = SshSession::asRootCommand(command);
        exec.stdinData = password.toUtf8() + '\n' + options.stdinData;
    } else {
        exec.stdinData = options.stdinData;
    }
    if (!options.quiet)
        log(boardId, QStringLiteral("$ %1").arg(options.logAs.isEmpty() ? command : options.logAs));

    if (!options.requests.isEmpty()) {
        auto *call = new SshHttpCall(pool(), login.options, login.auth, remoteCommand,
                                     options.requests, exec, this);
        SshPoolTask *task = call->task();
        m_tasks << task;
        if (pool()->queuedCount() > 0)
            closeIdleLinks();
        connect(call, &SshHttpCall::finished, this,
                [this, call, task, result, complete](int status, const SshErrorInfo &error) {
                    m_tasks.removeAll(task);
                    call->deleteLater();
                    result->response = call->response();
                    result->responses = call->responses();
                    result->out = call->response().body;
                    result->err = call->stderrText();
                    if (!error.isError() && !result->response.isComplete() && result->err.isEmpty())
                        result->err = call->responseError().toUtf8();
                    complete(status, error);
                });
        return;
    }
    SshPoolTask *task = pool()->run(login.options, login.auth, remoteCommand, exec);
    m_tasks << task;
    if (pool()->queuedCount() > 0)
        closeIdleLinks(); // a kept-open connection must not hold the slot this one waits for
    auto partial = std::make_shared<QByteArray>(); // stdout since its last newline
    const auto outputLine = options.outputLine;
    connect(task, &SshPoolTask::stdoutData, this,
            [result, partial, outputLine](const QByteArray &chunk) {
                if (result->out.size() < MaxOutputBytes)
                    result->out += chunk;
                if (!outputLine)
                    return;
                *partial += chunk;
                qsizetype end;
                while ((end = partial->indexOf('\n')) >= 0) {
                    const QByteArray line = partial->left(end);
                    partial->remove(0, end + 1);
                    outputLine(line);
                }
                if (partial->size() > MaxOutputBytes) // a "line" that never ends
                    partial->clear();
            });
    connect(task, &SshPoolTask::stderrData, this, [result](const QByteArray &chunk) {
        if (result->err.size() < MaxOutputBytes)
            result->err += chunk;
    });
    connect(task, &SshPoolTask::finished, this,
            [this, task, complete, partial, outputLine](int status, const QString &,
                                                        const SshErrorInfo &error) {
                m_tasks.removeAll(task);
                task->deleteLater();
                if (outputLine && !partial->isEmpty() && !isCancelled())
                    outputLine(*partial);
                complete(status, error);
            });
}

void WorkflowJob::withSession(const QString &boardId, const SessionCallback &use)
{
    if (isCancelled() || !board(boardId))
        return;
    withLogin(
        boardId,
        [this, boardId, use](const SshLogin &login) {
            SshPoolTask *task = pool()->lease(login.options, login.auth);
            m_tasks << task;
            m_leases.insert(boardId, task);
            connect(task, &SshPoolTask::sessionReady, this,
                    [this, use, login](SshSession *session) {
                        if (!isCancelled())
                            use(session, login);
                    });
            connect(task, &SshPoolTask::finished, this, [this, task]() {
                m_tasks.removeAll(task);
                task->deleteLater();
            });
        },
        [this, boardId](const SshErrorInfo &error) {
            finishBoard(boardId, BoardResult::Outcome::Failed, error.message);
            finishJob();
        });
}

void WorkflowJob::releaseSession(const QString &boardId, const SshErrorInfo &error)
{
    m_lastRemote[boardId] =
        BoardResult{boardId, !error.isError(), classify(error), QString(), error};
    const QPointer<SshPoolTask> task = m_leases.take(boardId);
    if (task)
        task->release();
}

void WorkflowJob::callEngine(const QString &boardId, const HttpRequest &request,
                             const RemoteCallback &done, RemoteOptions options)
{
    if (options.logAs.isEmpty())
        options.logAs = request.describe();
    options.requests = {request};
    withLogin(
        boardId,
        [this, boardId, done, options](const SshLogin &login) {
            if (!m_links.value(boardId).keep) {
                runOn(boardId, SshHttpCall::dockerDialCommand(), done, options);
                return;
            }
            if (!options.quiet)
                log(boardId, QStringLiteral("$ %1").arg(options.logAs));
            sendOverLink(
                boardId, login, options.requests,
                [done](const QList<Remote> &answers) { done(answers.first()); }, options.timeoutMs);
        },
        [this, boardId, done](const SshErrorInfo &error) { done(loginFailed(boardId, error)); });
}

void WorkflowJob::callEngine(const QString &boardId, const QList<HttpRequest> &requests,
                             const RemotesCallback &done, int timeoutMs)
{
    if (requests.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [done]() { done({}); }, Qt::QueuedConnection);
        return;
    }
    withLogin(
        boardId,
        [this, boardId, requests, done, timeoutMs](const SshLogin &login) {
            for (const HttpRequest &r : requests)
                log(boardId, QStringLiteral("$ %1").arg(r.describe()));
            if (m_links.value(boardId).keep)
                sendOverLink(boardId, login, requests, done, timeoutMs);
            else
                callEngineAsCommand(boardId, requests, done, timeoutMs);
        },
        [this, boardId, requests, done](const SshErrorInfo &error) {
            for (const HttpRequest &r : requests)
                log(boardId, QStringLiteral("$ %1").arg(r.describe()));
            done(QList<Remote>(requests.size(), loginFailed(boardId, error)));
        });
}

// A board ssh cannot resolve (or that left the lab) fails like a command that could not start,
// with the gate's own answer: going through runOn() would only pass the gate a second time.
WorkflowJob::Remote WorkflowJob::loginFailed(const QString &boardId, const SshErrorInfo &error)
{
    Remote r;
    r.error = error;
    m_lastRemote[boardId] = BoardResult{boardId, false, classify(r), QString(), error};
    return r;
}

void WorkflowJob::callEngineAsCommand(const QString &boardId, const QList<HttpRequest> &requests,
                                      const RemotesCallback &done, int timeoutMs)
{
    RemoteOptions options;
    options.timeoutMs = timeoutMs;
    options.quiet = true;
    options.requests = requests;
    runOn(
        boardId, SshHttpCall::dockerDialCommand(),
        [done, count = requests.size()](const Remote &r) {
            QList<Remote> each;
            for (qsizetype i = 0; i < count; ++i) {
                Remote one = r;
                one.response = r.responses.value(i);
                one.out = one.response.body;
                one.responses.clear();
                if (!one.response.isComplete() && one.err.isEmpty())
                    one.err = tr("The engine did not answer this request.").toUtf8();
                each << one;
            }
            done(each);
        },
        options);
}

void WorkflowJob::keepEngineOpen(const QString &boardId)
{
    m_links[boardId].keep = true;
}

void WorkflowJob::closeIfIdle(EngineLink &link)
{
    // Detached at once: a request sent meanwhile opens a new connection instead of going to
    // one whose stdin is already closed.
    if (!link.call || !link.waiting.isEmpty())
        return;
    SshHttpCall *call = link.call;
    link.call = nullptr;
    call->close(); // its finished() then only cleans up
}

void WorkflowJob::sendOverLink(const QString &boardId, const SshLogin &login,
                               const QList<HttpRequest> &requests, const RemotesCallback &done,
                               int timeoutMs)
{
    EngineLink &link = m_links[boardId];
    const quint64 serial = ++m_linkSerial;
    link.waiting.append(EngineLink::Waiting{serial, requests.size(), done, {}});
    if (link.call) {
        link.call->send(requests);
    } else {
        SshExecOptions exec;
        // Each request has its own deadline (below); this only bounds an idle connection.
        exec.timeoutMs = LinkLifetimeMs;
        QString command = SshHttpCall::dockerDialCommand();
        if (login.auth.user != QLatin1String("root")) {
            command = SshSession::asRootCommand(command);
            exec.stdinData = login.auth.password.toUtf8() + '\n';
        }
        auto *call = new SshHttpCall(pool(), login.options, login.auth, command, requests, exec,
                                     this, SshHttpCall::Connection::KeepOpen);
        link.call = call;
        QPointer<SshPoolTask> task = call->task();
        m_tasks << task;
        connect(call, &SshHttpCall::answered, this,
                [this, boardId, call](const HttpResponse &r) { onLinkAnswer(boardId, call, r); });
        connect(call, &SshHttpCall::finished, this,
                [this, boardId, call, task](int status, const SshErrorInfo &error) {
                    m_tasks.removeAll(task);
                    call->deleteLater();
                    endLink(boardId, call, status, error);
                });
        if (pool()->queuedCount() > 0)
            closeIdleLinks();
    }
    const int ms = timeoutMs > 0 ? timeoutMs : m_commandTimeoutMs;
    QTimer::singleShot(ms, this, [this, boardId, serial, ms]() {
        const auto it = m_links.constFind(boardId);
        if (it == m_links.constEnd() || it->waiting.isEmpty() ||
            it->waiting.constFirst().serial > serial || !it->call)
            return; // answered
        SshHttpCall *call = it->call;
        disconnect(call, nullptr, this, nullptr);
        m_tasks.removeAll(QPointer<SshPoolTask>(call->task()));
        call->cancel();
        call->deleteLater();
        endLink(boardId, call, -1,
                SshErrorInfo{SshError::Timeout,
                             tr("The engine did not answer within %1 s.").arg(ms / 1000.0),
                             {},
                             {},
                             {},
                             {},
                             {},
                             0});
    });
}

void WorkflowJob::onLinkAnswer(const QString &boardId, SshHttpCall *call,
                               const HttpResponse &response)
{
    auto it = m_links.find(boardId);
    if (it == m_links.end() || it->call != call || it->waiting.isEmpty())
        return;
    EngineLink::Waiting &first = it->waiting.first();
    first.answers << response;
    if (first.answers.size() < first.count)
        return;
    const EngineLink::Waiting answered = it->waiting.takeFirst();
    if (it->waiting.isEmpty() && (!it->keep || pool()->queuedCount() > 0)) {
        closeIfIdle(*it);
        if (!it->keep)
            m_links.erase(it);
    }
    QList<Remote> remotes;
    for (const HttpResponse &a : answered.answers) {
        Remote r;
        r.exitStatus = 0;
        r.response = a;
        r.out = a.body;
        remotes << r;
    }
    m_lastRemote[boardId] = BoardResult{boardId, true, BoardResult::Outcome::Ok, QString(), {}};
    if (!isCancelled())
        answered.done(remotes);
}

void WorkflowJob::endLink(const QString &boardId, SshHttpCall *call, int exitStatus,
                          const SshErrorInfo &error)
{
    auto it = m_links.find(boardId);
    if (it == m_links.end() || it->call != call)
        return;
    const QList<EngineLink::Waiting> waiting = std::exchange(it->waiting, {});
    const QByteArray err = call->stderrText();
    if (it->keep)
        it->call = nullptr; // the next request opens a new connection
    else
        m_links.erase(it);
    if (isCancelled())
        return;
    for (const EngineLink::Waiting &w : waiting) {
        QList<Remote> remotes;
        for (qsizetype i = 0; i < w.count; ++i) {
            Remote r;
            r.exitStatus = exitStatus;
            r.error = error;
            r.cancelled = error.code == SshError::Cancelled;
            r.response = w.answers.value(i);
            r.out = r.response.body;
            r.err = err;
            if (!r.response.isComplete() && r.err.isEmpty() && !error.isError())
                r.err = tr("The engine did not answer this request.").toUtf8();
            m_lastRemote[boardId] = BoardResult{boardId, r.ok(), classify(r), QString(), error};
            remotes << r;
        }
        w.done(remotes);
    }
}

void WorkflowJob::closeIdleLinks()
{
    for (EngineLink &link : m_links)
        closeIfIdle(link);
}

void WorkflowJob::log(const QString &boardId, const QString &line)
{
    Q_EMIT logMessage(boardId, line);
}

void WorkflowJob::finishBoard(const QString &boardId, bool ok, const QString &message)
{
    using Outcome = BoardResult::Outcome;
    const BoardResult last = m_lastRemote.value(boardId);
    finishBoard(boardId, ok ? Outcome::Ok : (last.ok ? Outcome::Failed : last.outcome), message);
}

void WorkflowJob::finishBoard(const QString &boardId, BoardResult::Outcome outcome,
                              const QString &message)
{
    if (m_results.contains(boardId) || m_finished)
        return;
    const bool ok = outcome == BoardResult::Outcome::Ok;
    BoardResult result{boardId, ok, outcome, message, {}};
    if (!ok)
        result.sshError = m_lastRemote.value(boardId).sshError;
    m_results.insert(boardId, result);
    Q_EMIT boardFinished(boardId, ok, message);
    setProgress(m_results.size(), qMax(m_boards.size(), m_results.size()));
}

bool WorkflowJob::endBoardIfFailed(const QString &boardId, const Remote &remote,
                                   const QString &what)
{
    if (remote.ok())
        return false;
    finishBoard(boardId, false, what.arg(describe(remote)));
    finishJob();
    return true;
}

void WorkflowJob::failJob(const QString &message)
{
    if (m_finished)
        return;
    m_error = message;
    log(QString(), message);
    for (const QString &id : std::as_const(m_boards))
        finishBoard(id, false, message); // keeps e.g. Unreachable for the manager tried
    finishJob();
}

void WorkflowJob::finishJob()
{
    if (m_finished)
        return;
    for (const QString &id : std::as_const(m_boards)) {
        if (!m_results.contains(id))
            return;
    }
    bool ok = m_error.isEmpty() && !isCancelled();
    for (const BoardResult &r : std::as_const(m_results))
        ok = ok && r.ok;
    m_ok = ok;
    for (EngineLink &link : m_links) {
        link.waiting.clear(); // nothing waits once the job is over
        closeIfIdle(link);
    }
    m_links.clear();
    m_sshLookup->cancel();
    m_afterLookup.clear();
    m_finished = true;
    m_running = false;
    Q_EMIT finished(ok);
}

std::function<void()> WorkflowJob::afterAll(int count, const std::function<void()> &then)
{
    if (count <= 0) {
        then();
        return [] {};
    }
    auto pending = std::make_shared<int>(count);
    return [pending, then]() {
        if (--*pending == 0)
            then();
    };
}

void WorkflowJob::setProgress(qint64 done, qint64 total)
{
    Q_EMIT progressChanged(done, total);
}

QString WorkflowJob::Remote::errorText() const
{
    QByteArray text = err.trimmed();
    if (text.isEmpty())
        text = out.trimmed();
    QList<QByteArray> lines = text.split('\n');
    while (lines.size() > 3)
        lines.removeFirst();
    return QString::fromUtf8(lines.join('\n')).trimmed();
}

BoardResult::Outcome WorkflowJob::classify(const SshErrorInfo &error)
{
    using Outcome = BoardResult::Outcome;
    switch (error.code) {
    case SshError::None:
        return Outcome::Ok;
    case SshError::HostNotFound:
    case SshError::HostUnreachable:
    case SshError::ConnectionRefused:
    case SshError::Timeout:
    case SshError::Disconnected:
        return Outcome::Unreachable;
    case SshError::HostKeyUnknown:
        return Outcome::HostKeyUnknown;
    case SshError::HostKeyMismatch:
        return Outcome::HostKeyChanged;
    case SshError::AuthFailed:
    case SshError::KeyRejectedRsaSha1:
    case SshError::KeyFileError:
        return Outcome::AuthFailed;
    case SshError::Cancelled:
        return Outcome::Cancelled;
    case SshError::ProtocolMismatch:
    case SshError::ChannelFailed:
    case SshError::TransferFailed:
    case SshError::Internal:
        break;
    }
    return Outcome::Failed;
}

BoardResult::Outcome WorkflowJob::classify(const Remote &remote)
{
    using Outcome = BoardResult::Outcome;
    if (remote.error.isError())
        return classify(remote.error);
    if (remote.response.isComplete())
        return remote.response.isSuccess() ? Outcome::Ok : Outcome::Failed;
    if (remote.exitStatus == 0)
        return Outcome::Ok;
    const QString text = remote.errorText();
    if (text.contains(QLatin1String("Cannot connect to the Docker daemon")) ||
        (text.contains(QLatin1String("docker.sock")) &&
         text.contains(QLatin1String("failed to open the raw stream"))))
        return Outcome::DockerNotRunning;
    if (remote.exitStatus == 127 || text.contains(QLatin1String("docker: not found")) ||
        text.contains(QLatin1String("docker: command not found")))
        return Outcome::DockerMissing;
    if (text.contains(QLatin1String("a password is required")) ||
        text.contains(QLatin1String("incorrect password")) ||
        text.contains(QLatin1String("Sorry, try again")))
        return Outcome::SudoNeedsPassword;
    return Outcome::Failed;
}

QString WorkflowJob::describe(const Remote &remote)
{
    if (remote.response.isComplete() && !remote.response.isSuccess() && !remote.error.isError()) {
        // The engine's errors are JSON: {"message": "..."}.
        const QString message = QJsonDocument::fromJson(remote.response.body)
                                    .object()
                                    .value(QLatin1String("message"))
                                    .toString();
        return message.isEmpty()
                   ? tr("The Docker engine answered HTTP %1.").arg(remote.response.status)
                   : message;
    }
    // Plain facts: each front end adds how to fix it in its own terms (BoardResult::outcome).
    switch (classify(remote)) {
    case BoardResult::Outcome::DockerNotRunning:
        return tr("The Docker engine is not running.");
    case BoardResult::Outcome::DockerMissing:
        return tr("Docker is not installed.");
    case BoardResult::Outcome::SudoNeedsPassword:
        return tr("sudo needs the user's password.");
    default:
        break;
    }
    if (remote.error.isError())
        return remote.error.message;
    const QString text = remote.errorText();
    if (text.isEmpty())
        return tr("The command failed with exit status %1.").arg(remote.exitStatus);
    return text;
}

} // namespace Hivelab
