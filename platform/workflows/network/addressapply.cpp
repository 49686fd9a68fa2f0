// SPDX-License-Identifier: GPL-3.0-or-later
#include "addressapply.h"

#include "firstbootplan.h"
#include "scantargets.h"
#include "sshcommand.h"
#include "sshpool.h"
#include "sshsession.h"

#include <QRandomGenerator>
#include <QTimer>

#include <memory>

namespace Hivelab {

namespace {

// Margins around the board's rollback bound: the laptop stops confirming a little before the
// watchdog fires, and looks for the rolled-back board for a while after it.
constexpr int ConfirmMarginMs = 2000;
constexpr int RetryMs = 1000;
constexpr int RollbackCheckMs = 60000;
constexpr int StepsPerBoard = 4;

} // namespace

AddressApply::AddressApply(LabDocument *document, QObject *parent)
    : WorkflowJob(document, parent)
{}

void AddressApply::setRollbackSeconds(int seconds)
{
    m_rollbackSeconds = qMax(10, seconds);
}

QStringList AddressApply::applicableBoards(const Lab &lab, QHash<QString, QString> *why)
{
    QStringList ids;
    for (const Board &b : lab.boards) {
        QString reason;
        if (b.addressing != Addressing::Static || b.ip.isEmpty()) {
            reason = tr("No planned static address (addressing is DHCP or the address is empty).");
        } else {
            for (const IdentityProblem &p : FirstBootPlan::problems(lab, b)) {
                if (p.concernsAddress()) {
                    reason = p.message();
                    break;
                }
            }
        }
        if (reason.isEmpty())
            ids << b.id;
        else if (why)
            why->insert(b.id, reason);
    }
    return ids;
}

void AddressApply::begin()
{
    QHash<QString, QString> why;
    const QStringList applicable = applicableBoards(document()->lab(), &why);
    // Boards named on purpose and not applicable fail with the reason; unnamed ones are skipped.
    const QStringList ids =
        boardFilter().isEmpty()
            ? selectLabBoards([&applicable](const Board &b) { return applicable.contains(b.id); })
            : selectLabBoards();
    const QStringList work =
        skipWindowsBoards(ids, tr("Set the address in the board's network settings on Windows."));
    m_stepsTotal = qint64(ids.size()) * StepsPerBoard;
    setProgress(0, m_stepsTotal);
    for (const QString &id : work) {
        if (!applicable.contains(id))
            finishBoard(id, BoardResult::Outcome::Failed, why.value(id));
        else
            applyBoard(id);
    }
    finishJob();
}

void AddressApply::stepDone()
{
    setProgress(++m_stepsDone, m_stepsTotal);
}

void AddressApply::failBoard(const QString &id, BoardResult::Outcome outcome,
                             const QString &message)
{
    BoardRun &r = m_boards[id];
    if (r.probe)
        r.probe->deleteLater();
    finishBoard(id, outcome, message);
    finishJob();
}

void AddressApply::exec(SshSession *session, const QString &command, const QByteArray &stdinData,
                        bool asRoot, const QString &password, const Reply &done)
{
    SshExecOptions options;
    options.stdinData = stdinData;
    options.closeStdin = true;
    options.timeoutMs = 60000;
    SshCommand *cmd =
        asRoot ? session->execAsRoot(command, password, options) : session->exec(command, options);
    auto out = std::make_shared<QByteArray>();
    auto err = std::make_shared<QByteArray>();
    connect(cmd, &SshCommand::stdoutData, this, [out](const QByteArray &c) { out->append(c); });
    connect(cmd, &SshCommand::stderrData, this, [err](const QByteArray &c) { err->append(c); });
    connect(cmd, &SshCommand::finished, this,
            [this, cmd, out, err, done](int status, const QString &, const SshErrorInfo &error) {
                cmd->deleteLater();
                if (isCancelled())
                    return;
                done(status, status == 0 ? *out : (err->trimmed().isEmpty() ? *out : *err), error);
            });
}

void AddressApply::applyBoard(const QString &id)
{
    const Board *b = board(id);
    const BoardIdentity identity = FirstBootPlan::identity(document()->lab(), *b);
    BoardRun &r = m_boards[id];
    r.oldHost = b->sshTarget();
    r.newAddress = identity.address;
    r.runId = QStringLiteral("r%1").arg(QRandomGenerator::global()->generate64(), 16, 16,
                                        QLatin1Char('0'));
    log(id,
        tr("Moving from %1 to %2/%3").arg(r.oldHost, identity.address).arg(identity.prefixLength));
    withSession(id, [this, id](SshSession *session, const SshLogin &login) {
        probeBoard(id, session, login);
    });
}

void AddressApply::probeBoard(const QString &id, SshSession *session, const SshLogin &login)
{
    m_boards[id].login = login;
    // The address the connection arrived at names the interface to change (sudo drops
    // SSH_CONNECTION, so it is read as the login user first).
    exec(session, QStringLiteral("printf '%s\\n' \"$SSH_CONNECTION\""), {}, false, {},
         [this, id, session = QPointer<SshSession>(session)](int status, const QByteArray &out,
                                                             const SshErrorInfo &error) {
             const QStringList f = QString::fromUtf8(out).simplified().split(QLatin1Char(' '));
             if (error.isError() || status != 0 || f.size() < 4 || !session) {
                 releaseSession(id, error);
                 failBoard(id,
                           classify(error) == BoardResult::Outcome::Ok
                               ? BoardResult::Outcome::Failed
                               : classify(error),
                           error.isError() ? error.message
                                           : tr("The board did not say where the connection "
                                                "arrived (no SSH_CONNECTION)."));
                 return;
             }
             BoardRun &r = m_boards[id];
             r.fingerprint = session->hostKeyFingerprint();
             const QString local = f.at(2);
             exec(session, QStringLiteral("sh -s"),
                  StaticAddressConfig::probeScript(local).toUtf8(), true, r.login.auth.password,
                  [this, id, session, local](int status, const QByteArray &out,
                                             const SshErrorInfo &error) {
                      NetworkFacts facts;
                      QString why;
                      if (error.isError() || status != 0 ||
                          !StaticAddressConfig::parseProbe(out, &facts, &why) || !session) {
                          releaseSession(id, error);
                          failBoard(id,
                                    error.isError() ? classify(error)
                                    : status != 0 && out.contains("sudo")
                                        ? BoardResult::Outcome::SudoNeedsPassword
                                        : BoardResult::Outcome::Failed,
                                    error.isError() ? error.message
                                    : status != 0 ? tr("Looking at the network settings failed: %1")
                                                        .arg(QString::fromUtf8(out).trimmed())
                                                  : why);
                          return;
                      }
                      m_boards[id].stack = facts.stack;
                      log(id, tr("%1 holds %2, configured by %3")
                                  .arg(facts.interface, local,
                                       StaticAddressConfig::stackName(facts.stack)));
                      stepDone();
                      stageBoard(id, session, facts);
                  });
         });
}

void AddressApply::stageBoard(const QString &id, SshSession *session, const NetworkFacts &facts)
{
    BoardRun &r = m_boards[id];
    StaticAddressChange change;
    QString why;
    if (!StaticAddressConfig::change(facts, FirstBootPlan::identity(document()->lab(), *board(id)),
                                     &change, &why)) {
        releaseSession(id, {});
        failBoard(id,
                  facts.stack == NetworkStack::Unknown ? BoardResult::Outcome::NotSupported
                                                       : BoardResult::Outcome::Failed,
                  why);
        return;
    }
    QStringList paths;
    for (const ConfigWrite &w : change.writes)
        paths << w.path;
    log(id, tr("Staging %1 (rollback after %2 s unless confirmed)")
                .arg(paths.join(QStringLiteral(", ")))
                .arg(m_rollbackSeconds));
    const QString script = StaticAddressConfig::stageScript(change, r.runId, m_rollbackSeconds);
    exec(session, QStringLiteral("sh -s"), script.toUtf8(), true, r.login.auth.password,
         [this, id, session = QPointer<SshSession>(session)](int status, const QByteArray &out,
                                                             const SshErrorInfo &error) {
             if (error.isError() || status != 0 || !out.contains("staged") || !session) {
                 releaseSession(id, error);
                 failBoard(id, error.isError() ? classify(error) : BoardResult::Outcome::Failed,
                           error.isError() ? error.message
                                           : tr("Staging the change failed: %1")
                                                 .arg(QString::fromUtf8(out).trimmed()));
                 return;
             }
             BoardRun &r = m_boards[id];
             r.sinceStage.start();
             stepDone();
             log(id, tr("Switching to %1").arg(r.newAddress));
             // The answer may be lost with the old address: go on either way.
             auto proceed = std::make_shared<bool>(false);
             auto next = [this, id, proceed]() {
                 if (*proceed || isCancelled())
                     return;
                 *proceed = true;
                 releaseSession(id, {});
                 pool()->closeIdle(); // the pooled connection to the old address is gone
                 stepDone();
                 tryConfirm(id);
             };
             exec(session, StaticAddressConfig::startCommand(r.runId), {}, true,
                  r.login.auth.password,
                  [next](int, const QByteArray &, const SshErrorInfo &) { next(); });
             QTimer::singleShot(5000, this, next);
         });
}

void AddressApply::tryConfirm(const QString &id)
{
    if (isCancelled() || isBoardFinished(id))
        return;
    BoardRun &r = m_boards[id];
    const qint64 left = qint64(m_rollbackSeconds) * 1000 - ConfirmMarginMs - r.sinceStage.elapsed();
    if (left <= 0) {
        awaitRollback(
            id, tr("It did not answer at %1 within %2 s").arg(r.newAddress).arg(m_rollbackSeconds));
        return;
    }
    SshConnectOptions options = r.login.options;
    options.host = r.newAddress;
    options.connectTimeoutMs = int(qMin<qint64>(5000, qMax<qint64>(1000, left)));
    // The same machine, proven by the same host key: a new name in known_hosts for the key it
    // showed at its old address, and nothing else.
    options.acceptNewHostKey = true;
    options.acceptHostKeyFingerprint = r.fingerprint;
    auto *session = new SshSession(this);
    r.probe = session;
    connect(session, &SshSession::failed, this, [this, id, session](const SshErrorInfo &error) {
        session->deleteLater();
        if (isCancelled() || isBoardFinished(id))
            return;
        const BoardRun &r = m_boards[id];
        if (error.code == SshError::HostKeyUnknown || error.code == SshError::HostKeyMismatch) {
            awaitRollback(id, tr("Another host key answers at %1 (%2, expected %3)")
                                  .arg(r.newAddress, error.fingerprint, r.fingerprint));
            return;
        }
        if (classify(error) == BoardResult::Outcome::AuthFailed) {
            awaitRollback(id,
                          tr("The login at %1 was refused: %2").arg(r.newAddress, error.message));
            return;
        }
        QTimer::singleShot(RetryMs, this, [this, id]() { tryConfirm(id); });
    });
    connect(session, &SshSession::connected, this, [this, id, session]() {
        BoardRun &r = m_boards[id];
        exec(session, StaticAddressConfig::confirmCommand(r.runId), {}, true, r.login.auth.password,
             [this, id, session](int status, const QByteArray &, const SshErrorInfo &error) {
                 session->close();
                 session->deleteLater();
                 BoardRun &r = m_boards[id];
                 if (error.isError() || status != 0) {
                     awaitRollback(
                         id,
                         error.isError()
                             ? tr("Confirming at %1 failed: %2").arg(r.newAddress, error.message)
                             : tr("It answered at %1 too late").arg(r.newAddress));
                     return;
                 }
                 const QString newAddress = r.newAddress;
                 changeBoard(id, [&newAddress](Board *b) {
                     b->ip = newAddress;
                     b->addressing = Addressing::Static;
                     if (ScanTargets::parseIPv4(b->sshHost))
                         b->sshHost.clear(); // the old address: the board is reached at ip now
                 });
                 stepDone();
                 finishBoard(id, BoardResult::Outcome::Ok,
                             tr("Now at %1 (%2); confirmed over a new connection with the same "
                                "host key.")
                                 .arg(newAddress, StaticAddressConfig::stackName(r.stack)));
                 finishJob();
             });
    });
    session->connectToHost(options, r.login.auth);
}

void AddressApply::awaitRollback(const QString &id, const QString &why)
{
    BoardRun &r = m_boards[id];
    const qint64 untilWatchdog = qint64(m_rollbackSeconds) * 1000 - r.sinceStage.elapsed();
    if (!r.waiting) {
        r.waiting = true;
        log(id, tr("%1; the board restores its old address %2 in %3 s")
                    .arg(why, r.oldHost)
                    .arg(qMax<qint64>(0, (untilWatchdog + 999) / 1000)));
    }
    const qint64 deadline = qint64(m_rollbackSeconds) * 1000 + RollbackCheckMs;
    if (r.sinceStage.elapsed() > deadline) {
        failBoard(id, BoardResult::Outcome::Unreachable,
                  tr("%1; it does not answer at its old address %2 either after its rollback "
                     "(the saved files are in %3/%4 on the board).")
                      .arg(why, r.oldHost, StaticAddressConfig::defaultStateDir(), r.runId));
        return;
    }
    auto retry = [this, id, why]() {
        if (isCancelled() || isBoardFinished(id))
            return;
        BoardRun &r = m_boards[id];
        auto *session = new SshSession(this);
        r.probe = session;
        SshConnectOptions options = r.login.options;
        options.connectTimeoutMs = 3000;
        connect(session, &SshSession::failed, this, [this, id, why, session](const SshErrorInfo &) {
            session->deleteLater();
            if (!isCancelled() && !isBoardFinished(id))
                QTimer::singleShot(RetryMs, this, [this, id, why]() { awaitRollback(id, why); });
        });
        connect(session, &SshSession::connected, this, [this, id, why, session]() {
            BoardRun &r = m_boards[id];
            const QString check = StaticAddressConfig::rolledBackCommand(r.runId);
            exec(session, check, {}, true, r.login.auth.password,
                 [this, id, why, session](int status, const QByteArray &, const SshErrorInfo &) {
                     session->close();
                     session->deleteLater();
                     BoardRun &r = m_boards[id];
                     if (status != 0) { // the watchdog has not fired yet: wait for it
                         QTimer::singleShot(RetryMs, this,
                                            [this, id, why]() { awaitRollback(id, why); });
                         return;
                     }
                     r.rolledBack = true;
                     failBoard(id, BoardResult::Outcome::Failed,
                               tr("%1; the board rolled back and answers at %2 again (the lab "
                                  "file is unchanged).")
                                   .arg(why, r.oldHost));
                 });
        });
        session->connectToHost(options, r.login.auth);
    };
    // Nothing to look for before the watchdog fired.
    const qint64 wait = qMax<qint64>(0, qint64(m_rollbackSeconds) * 1000 - r.sinceStage.elapsed());
    QTimer::singleShot(int(wait), this, retry);
}

void AddressApply::cancelWork()
{
    for (auto it = m_boards.begin(); it != m_boards.end(); ++it) {
        if (it->probe)
            it->probe->cancel();
        if (it->sinceStage.isValid() && !isBoardFinished(it.key()))
            log(it.key(), tr("Cancelled after the switch: the board restores its old address "
                             "%1 within %2 s.")
                              .arg(it->oldHost)
                              .arg(m_rollbackSeconds));
    }
}

} // namespace Hivelab
