// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectpage.h"

#include "boardstatustable.h"
#include "credentialstore.h"
#include "discoveredhost.h"
#include "hostfacts.h"
#include "identifyworkflow.h"
#include "keyloginsetup.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labmerge.h"
#include "outcomehint.h"
#include "setupwizard.h"

#include <QCheckBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
constexpr int UserColumn = 2;
constexpr int PasswordColumn = 3;
} // namespace

ConnectPage::ConnectPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Connect and sign in"));
    setSubTitle(tr("Check each board's login and test the connection. The first time, compare "
                   "each board's host key fingerprint with the one on its console."));

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(8);
    // How sign-in works, before anyone types a password that may not be needed.
    auto *how = new QLabel(
        tr("Hivelab signs in the way <code>ssh</code> does: with your SSH keys "
           "(<code>~/.ssh/id_*</code>), the keys in your SSH agent and the settings in "
           "<code>~/.ssh/config</code> (user, port, identity file). A password typed here is only "
           "a fallback for boards that do not accept your key yet; <i>Install my SSH key</i> "
           "then makes it unnecessary."),
        this);
    how->setObjectName(QStringLiteral("signInExplanation"));
    how->setWordWrap(true);
    how->setTextFormat(Qt::RichText);
    layout->addWidget(how);
    m_table = new BoardStatusTable({tr("User"), tr("Password (fallback)")}, this);
    m_table->setObjectName(QStringLiteral("connectTable"));
    layout->addWidget(m_table, 1);

    auto *keyRow = new QHBoxLayout;
    m_remember = new QCheckBox(tr("&Remember passwords in the keychain"), this);
    m_remember->setObjectName(QStringLiteral("rememberPasswords"));
    m_remember->setChecked(true);
    keyRow->addWidget(m_remember);
    m_backend = new QLabel(this);
    m_backend->setObjectName(QStringLiteral("keychainBackend"));
    m_backend->setWordWrap(true);
    keyRow->addWidget(m_backend, 1);
    layout->addLayout(keyRow);

    m_keyPanel = new QFrame(this);
    m_keyPanel->setObjectName(QStringLiteral("hostKeyPanel"));
    m_keyPanel->setFrameShape(QFrame::StyledPanel);
    auto *panel = new QHBoxLayout(m_keyPanel);
    auto *keyIcon = new QLabel(m_keyPanel);
    keyIcon->setPixmap(QIcon(QStringLiteral(":/hivelab/wizard/warning.svg")).pixmap(24, 24));
    keyIcon->setAlignment(Qt::AlignTop);
    panel->addWidget(keyIcon);
    m_keyText = new QLabel(m_keyPanel);
    m_keyText->setObjectName(QStringLiteral("hostKeyPrompt"));
    m_keyText->setWordWrap(true);
    m_keyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    panel->addWidget(m_keyText, 1);
    auto *keyButtons = new QVBoxLayout;
    m_accept = new QPushButton(tr("&Trust and connect"), m_keyPanel);
    m_accept->setObjectName(QStringLiteral("acceptHostKey"));
    m_reject = new QPushButton(tr("&Do not trust"), m_keyPanel);
    m_reject->setObjectName(QStringLiteral("rejectHostKey"));
    keyButtons->addWidget(m_accept);
    keyButtons->addWidget(m_reject);
    keyButtons->addStretch(1);
    panel->addLayout(keyButtons);
    m_keyPanel->hide();
    layout->addWidget(m_keyPanel);

    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("connectWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->hide();
    layout->addWidget(m_warning);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_test = new QPushButton(tr("&Test connections"), this);
    m_test->setObjectName(QStringLiteral("testConnections"));
    m_cancel = new QPushButton(tr("Ca&ncel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelConnections"));
    m_installKey = new QPushButton(tr("Install my SSH &key on these boards"), this);
    m_installKey->setObjectName(QStringLiteral("installKey"));
    m_installKey->setToolTip(
        tr("Add your SSH key (a new ~/.ssh/id_ed25519 if you have none) to each board's "
           "authorized_keys, then check that it logs in without a password"));
    buttons->addWidget(m_installKey);
    buttons->addWidget(m_test);
    buttons->addWidget(m_cancel);
    layout->addLayout(buttons);

    connect(m_test, &QPushButton::clicked, this, &ConnectPage::testConnections);
    connect(m_cancel, &QPushButton::clicked, this, &ConnectPage::cancel);
    connect(m_installKey, &QPushButton::clicked, this, &ConnectPage::installKey);
    connect(m_accept, &QPushButton::clicked, this, &ConnectPage::acceptHostKey);
    connect(m_reject, &QPushButton::clicked, this, &ConnectPage::rejectHostKey);
    CredentialStore *store = m_wizard->credentials();
    connect(store, &CredentialStore::backendChanged, this, &ConnectPage::updateBackendLabel);
    connect(store, &CredentialStore::secretRead, this,
            [this](const QString &key, const QString &secret) {
                for (int row = 0; row < m_table->rowCount(); ++row) {
                    const QString id = m_table->boardIdAt(row);
                    auto *pw = qobject_cast<QLineEdit *>(m_table->cellWidget(row, PasswordColumn));
                    if (keyFor(id) == key && pw && pw->text().isEmpty()) {
                        pw->setText(secret);
                        m_wizard->setPassword(id, secret);
                    }
                }
            });
    connect(m_wizard, &SetupWizard::loginUsersResolved, this, &ConnectPage::fillResolvedUsers);
    updateBackendLabel();
}

void ConnectPage::fillResolvedUsers()
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString id = m_table->boardIdAt(row);
        auto *user = qobject_cast<QLineEdit *>(m_table->cellWidget(row, UserColumn));
        auto *pw = qobject_cast<QLineEdit *>(m_table->cellWidget(row, PasswordColumn));
        if (!user || !pw)
            continue;
        user->setPlaceholderText(QString());
        // What someone typed meanwhile stays.
        if (!user->text().isEmpty())
            continue;
        user->setText(m_wizard->userFor(id));
        if (pw->text().isEmpty() && !user->text().isEmpty())
            m_wizard->credentials()->read(keyFor(id));
    }
}

QString ConnectPage::keyFor(const QString &boardId) const
{
    const Lab &lab = m_wizard->document()->lab();
    const Board *b = lab.board(boardId);
    return CredentialStore::secretKey(lab.name, boardId,
                                      b ? m_wizard->userFor(boardId) : QString());
}

void ConnectPage::initializePage()
{
    m_table->setBoards(m_wizard->document(), m_wizard->statuses(SetupWizard::ConnectPageId));
    // Boards without a planned user get ~/.ssh/config's (or the image's) when ssh has
    // answered, off the GUI thread; their cells say so meanwhile.
    m_wizard->resolveLoginUsers();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString id = m_table->boardIdAt(row);
        auto *user = new QLineEdit(m_wizard->userFor(id), m_table);
        user->setObjectName(QStringLiteral("user-%1").arg(id));
        user->setFrame(false);
        if (user->text().isEmpty() && m_wizard->loginUsersPending())
            user->setPlaceholderText(tr("reading ~/.ssh/config…"));
        auto *pw = new QLineEdit(m_wizard->password(id), m_table);
        pw->setObjectName(QStringLiteral("password-%1").arg(id));
        pw->setEchoMode(QLineEdit::Password);
        pw->setFrame(false);
        pw->setPlaceholderText(tr("only if no key works"));
        m_table->setCellWidget(row, UserColumn, user);
        m_table->setCellWidget(row, PasswordColumn, pw);
        if (pw->text().isEmpty() && !user->text().isEmpty())
            m_wizard->credentials()->read(keyFor(id));
    }
    m_table->setColumnWidth(UserColumn, 110);
    m_table->setColumnWidth(PasswordColumn, 170);
    if (!m_probed) {
        m_probed = true;
        m_wizard->credentials()->probe();
    }
    updateButtons();
}

void ConnectPage::updateBackendLabel()
{
    const CredentialStore *store = m_wizard->credentials();
    switch (store->backend()) {
    case CredentialStore::Backend::Keychain:
        m_backend->setText(tr("Passwords are kept in the system keychain."));
        break;
    case CredentialStore::Backend::Memory:
        m_backend->setText(
            QStringLiteral("<img src=\":/hivelab/wizard/warning.svg\" width=14 height=14>&nbsp;") +
            store->backendMessage().toHtmlEscaped());
        break;
    case CredentialStore::Backend::Unknown:
        m_backend->setText(tr("Looking for the system keychain…"));
        break;
    }
}

void ConnectPage::syncCredentials()
{
    LabDocument *doc = m_wizard->document();
    QList<Board> before;
    QList<Board> after;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString id = m_table->boardIdAt(row);
        const auto *user = qobject_cast<QLineEdit *>(m_table->cellWidget(row, UserColumn));
        const auto *pw = qobject_cast<QLineEdit *>(m_table->cellWidget(row, PasswordColumn));
        if (!user || !pw)
            continue;
        m_wizard->setPassword(id, pw->text());
        const Board *b = doc->lab().board(id);
        if (b && b->sshUser != user->text().trimmed()) {
            before << *b;
            after << *b;
            after.last().sshUser = user->text().trimmed();
        }
    }
    // The logins typed here are one undo step.
    if (!after.isEmpty())
        m_wizard->pushEdit(new EditBoardsCommand(doc, before, after, tr("Set sign-in users")));
}

bool ConnectPage::isRunning() const
{
    return (m_job && m_job->isRunning()) || (m_acceptJob && m_acceptJob->isRunning()) ||
           (m_keyJob && m_keyJob->isRunning());
}

void ConnectPage::prepareJob(WorkflowJob *job, const QStringList &ids,
                             const QString &acceptFingerprint, const QString &runningText)
{
    ConnectionSettings settings;
    settings.knownHostsPath = m_wizard->knownHostsPath();
    // Only a key the user was shown and confirmed is trusted, never one seen meanwhile.
    settings.acceptNewHostKeys = !acceptFingerprint.isEmpty();
    settings.acceptHostKeyFingerprint = acceptFingerprint;
    settings.connectTimeoutMs = 8000;
    job->setConnectionSettings(settings);
    job->setMaxParallel(4);
    for (const QString &id : ids) {
        job->setPassword(id, m_wizard->password(id));
        m_wizard->setStatus(SetupWizard::ConnectPageId, id,
                            {BoardStatus::State::Running, runningText});
        m_table->setStatus(id, m_wizard->statuses(SetupWizard::ConnectPageId).value(id));
    }
    job->setBoardFilter(ids);
}

IdentifyWorkflow *ConnectPage::startJob(const QStringList &ids, const QString &acceptFingerprint)
{
    auto *job = new IdentifyWorkflow(m_wizard->document(), this);
    prepareJob(job, ids, acceptFingerprint, tr("Connecting…"));
    const bool afterAccept = !acceptFingerprint.isEmpty();
    connect(job, &WorkflowJob::boardFinished, this,
            [this, job, afterAccept, acceptFingerprint](const QString &id) {
                onBoardFinished(id, *job, afterAccept, acceptFingerprint);
            });
    connect(job, &WorkflowJob::finished, this, [this, job, afterAccept]() {
        job->deleteLater();
        if (afterAccept)
            showNextHostKey();
        updateButtons();
    });
    job->start();
    return job;
}

void ConnectPage::testConnections()
{
    if (isRunning())
        return;
    syncCredentials();
    m_pendingKeys.clear();
    m_keyPanel->hide();
    m_warning->hide();
    // Resume: boards already connected are not tried again unless every board is.
    const auto statuses = m_wizard->statuses(SetupWizard::ConnectPageId);
    QStringList ids;
    for (const QString &id : m_table->boardIds()) {
        if (statuses.value(id).state != BoardStatus::State::Done)
            ids << id;
    }
    if (ids.isEmpty())
        ids = m_table->boardIds();
    if (ids.isEmpty())
        return;
    // Signing in also identifies the board (model, arch, OS, hostname, disks, Docker): what the
    // lab does not know yet is filled in.
    m_job = startJob(ids, QString());
    updateButtons();
}

void ConnectPage::installKey()
{
    if (isRunning() || m_table->boardIds().isEmpty())
        return;
    syncCredentials();
    m_warning->hide();
    auto *job = new KeyLoginSetup(m_wizard->document(), this);
    prepareJob(job, m_table->boardIds(), QString(), tr("Installing your SSH key…"));
    connect(job, &WorkflowJob::logMessage, this, [this](const QString &id, const QString &line) {
        if (id.isEmpty())
            return;
        const BoardStatus status{BoardStatus::State::Running, line};
        m_wizard->setStatus(SetupWizard::ConnectPageId, id, status);
        m_table->setStatus(id, status);
    });
    connect(job, &WorkflowJob::boardFinished, this, [this, job](const QString &id, bool ok) {
        const BoardResult r = job->result(id);
        const Board *b = m_wizard->document()->lab().board(id);
        QString detail = r.message;
        if (const QString hint = outcomeHint(r, b ? b->name : id); !hint.isEmpty())
            detail += QLatin1Char(' ') + hint;
        const BoardStatus status{ok ? BoardStatus::State::Done
                                 : r.outcome == BoardResult::Outcome::Cancelled
                                     ? BoardStatus::State::Cancelled
                                     : BoardStatus::State::Failed,
                                 detail};
        m_wizard->setStatus(SetupWizard::ConnectPageId, id, status);
        m_table->setStatus(id, status);
    });
    connect(job, &WorkflowJob::finished, this, [this, job]() {
        job->deleteLater();
        if (!job->errorString().isEmpty()) {
            m_warning->setText(job->errorString());
            m_warning->show();
        }
        updateButtons();
    });
    m_keyJob = job;
    job->start();
    updateButtons();
}

void ConnectPage::cancel()
{
    if (m_keyJob)
        m_keyJob->cancel();
    if (m_job)
        m_job->cancel();
    if (m_acceptJob)
        m_acceptJob->cancel();
    updateButtons();
}

void ConnectPage::applyFacts(const QString &id, const IdentifyWorkflow &job)
{
    LabDocument *doc = m_wizard->document();
    const Board *b = doc->lab().board(id);
    const std::optional<HostFacts> facts = job.facts(id);
    if (!b || !facts)
        return;
    DiscoveredHost host;
    host.ip = b->ip;
    host.facts = facts;
    Board copy = *b;
    if (!LabMerge::fillIn(doc->lab(), &copy, host).isEmpty()) {
        m_wizard->pushEdit(EditBoardsCommand::edit(doc, copy));
        m_table->setBoardName(id, copy.name);
    }
}

QString ConnectPage::openSshFingerprintLine(const QString &keyType, const QString &fingerprint)
{
    QString type = keyType;
    if (type.startsWith(QLatin1String("ssh-")))
        type = type.mid(4);
    if (type.startsWith(QLatin1String("ecdsa")))
        type = QStringLiteral("ecdsa");
    return tr("%1 key fingerprint is %2.").arg(type.toUpper(), fingerprint);
}

void ConnectPage::onBoardFinished(const QString &id, const IdentifyWorkflow &job,
                                  bool afterAccept, const QString &acceptedFingerprint)
{
    using Outcome = BoardResult::Outcome;
    const BoardResult r = job.result(id);
    const SshErrorInfo &e = r.sshError;
    const Board *b = m_wizard->document()->lab().board(id);
    const QString name = b ? b->name : id;
    BoardStatus status;
    if (r.ok) {
        applyFacts(id, job);
        status = {BoardStatus::State::Done, r.message};
        if (m_remember->isChecked() && !m_wizard->password(id).isEmpty())
            m_wizard->credentials()->store(keyFor(id), m_wizard->password(id));
    } else if (r.outcome == Outcome::HostKeyUnknown && afterAccept) {
        // Another key than the one confirmed: it is not trusted unseen.
        status = {BoardStatus::State::Failed,
                  tr("The host key changed while you were confirming it (now %1, confirmed %2). "
                     "Check the board before trusting it.")
                      .arg(e.fingerprint, acceptedFingerprint)};
    } else if (r.outcome == Outcome::HostKeyUnknown) {
        status = {BoardStatus::State::Pending, tr("Confirm the host key below")};
        m_pendingKeys << PendingKey{id, e.hostKeyType, e.fingerprint};
    } else if (r.outcome == Outcome::HostKeyChanged) {
        status = {BoardStatus::State::Failed,
                  tr("REFUSED: the host key changed (now %1)").arg(e.fingerprint)};
        QString where;
        if (!e.knownHostsFile.isEmpty())
            where = tr(" The old key is line %1 of %2; remove it only if you reinstalled the "
                       "board.")
                        .arg(e.knownHostsLine)
                        .arg(e.knownHostsFile);
        m_warning->setText(
            QStringLiteral(
                "<img src=\":/hivelab/wizard/failed.svg\" width=16 height=16>&nbsp;<b>") +
            tr("WARNING: the host key of %1 has changed!")
                .toHtmlEscaped()
                .arg(name.toHtmlEscaped()) +
            QStringLiteral("</b><br>") +
            (tr("Someone could be intercepting the connection, or the board was reinstalled. "
                "Hivelab refuses to connect. %1")
                 .arg(openSshFingerprintLine(e.hostKeyType, e.fingerprint)) +
             where)
                .toHtmlEscaped());
        m_warning->show();
    } else {
        status = {r.outcome == Outcome::Cancelled ? BoardStatus::State::Cancelled
                                                  : BoardStatus::State::Failed,
                  r.message};
    }
    m_wizard->setStatus(SetupWizard::ConnectPageId, id, status);
    m_table->setStatus(id, status);
    if (!afterAccept && m_keyPanel->isHidden())
        showNextHostKey();
    Q_EMIT completeChanged();
}

void ConnectPage::showNextHostKey()
{
    if (m_acceptJob && m_acceptJob->isRunning())
        return;
    if (m_pendingKeys.isEmpty()) {
        m_keyPanel->hide();
        return;
    }
    const PendingKey &k = m_pendingKeys.first();
    const Board *b = m_wizard->document()->lab().board(k.boardId);
    const QString name = b ? b->name : k.boardId;
    const QString host = b ? b->sshTarget() : QString();
    m_keyText->setText(
        QStringLiteral("<b>%1</b><br>%2<br><code>%3</code><br>%4")
            .arg(tr("Hivelab has never connected to %1 (%2) before.")
                     .arg(name, host)
                     .toHtmlEscaped(),
                 tr("The authenticity of the host cannot be established yet.").toHtmlEscaped(),
                 openSshFingerprintLine(k.keyType, k.fingerprint).toHtmlEscaped(),
                 tr("Compare it with the board's own key (on its console: ssh-keygen -lf "
                    "/etc/ssh/ssh_host_ed25519_key.pub) before trusting it.")
                     .toHtmlEscaped()));
    m_keyPanel->show();
}

void ConnectPage::acceptHostKey()
{
    if (m_pendingKeys.isEmpty() || (m_acceptJob && m_acceptJob->isRunning()))
        return;
    const PendingKey k = m_pendingKeys.takeFirst();
    m_keyPanel->hide();
    m_acceptJob = startJob({k.boardId}, k.fingerprint);
    updateButtons();
}

void ConnectPage::rejectHostKey()
{
    if (m_pendingKeys.isEmpty())
        return;
    const PendingKey k = m_pendingKeys.takeFirst();
    const BoardStatus status{BoardStatus::State::Failed,
                             tr("You did not trust host key %1").arg(k.fingerprint)};
    m_wizard->setStatus(SetupWizard::ConnectPageId, k.boardId, status);
    m_table->setStatus(k.boardId, status);
    showNextHostKey();
    updateButtons();
}

void ConnectPage::updateButtons()
{
    const bool busy = isRunning();
    m_test->setEnabled(!busy && m_table->rowCount() > 0);
    m_installKey->setEnabled(!busy && m_table->rowCount() > 0);
    m_cancel->setEnabled(busy);
    Q_EMIT completeChanged();
}

bool ConnectPage::validatePage()
{
    syncCredentials();
    return true;
}

void ConnectPage::cleanupPage()
{
    // Back keeps what was typed (the table is rebuilt from the wizard on the way in).
    syncCredentials();
}

bool ConnectPage::isComplete() const
{
    return !isRunning();
}

StepOutcome ConnectPage::outcome() const
{
    QStringList ids;
    for (const Board &b : m_wizard->document()->lab().boards)
        ids << b.id;
    return StepOutcome::fromBoards(ids, m_wizard->statuses(SetupWizard::ConnectPageId),
                                   tr("%1 of %2 boards signed in"));
}

} // namespace Hivelab
