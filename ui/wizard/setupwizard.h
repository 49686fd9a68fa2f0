// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardstatus.h"

#include <QFutureWatcher>
#include <QHash>
#include <QWizard>

class QUndoCommand;
class QUndoStack;

namespace Hivelab {

class CredentialStore;
class LabDocument;
class WizardSidebar;

/// The setup wizard: plan → discover → flash → connect → Docker → managers → swarm → summary.
/// Works on the caller's LabDocument; long steps run asynchronously on the GUI thread. GUI thread.
class SetupWizard : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupWizard)
public:
    enum PageId {
        PlanPageId,
        DiscoverPageId,
        FlashPageId,
        ConnectPageId,
        DockerPageId,
        ManagersPageId,
        FormSwarmPageId,
        SummaryPageId,
    };
    Q_ENUM(PageId)

    /// `credentials`: a store to share (e.g. the main window's, so a keychain-less session
    /// keeps its memory-only passwords); by default the wizard makes its own.
    SetupWizard(LabDocument *document, QWidget *parent = nullptr,
                CredentialStore *credentials = nullptr);
    ~SetupWizard() override;

    LabDocument *document() const { return m_document; }
    CredentialStore *credentials() const { return m_credentials; }
    /// Undo stack the wizard's edits go to: share the main window's so that wizard and canvas
    /// edits undo in the order they were made; by default the wizard keeps its own.
    void setUndoStack(QUndoStack *stack);
    QUndoStack *undoStack() const { return m_undoStack; }
    /// Every change a page makes to the lab goes through here (null: nothing to do).
    void pushEdit(QUndoCommand *command);

    /// Session-only secrets typed on the Connect page (never written to the lab file).
    QString password(const QString &boardId) const { return m_passwords.value(boardId); }
    void setPassword(const QString &boardId, const QString &password);
    /// Login name for a board as the jobs use it (BoardConnection::forBoard): its sshUser,
    /// ~/.ssh/config's, else BoardCatalog::defaultLoginUser(). For a board without a planned
    /// user it is known only once resolveLoginUsers() has finished (empty until then).
    QString userFor(const QString &boardId) const;
    /// Asks `ssh -G` (through BoardConnection::loginUser) for the users of the boards that have
    /// none in the plan, in a worker thread: ssh can take up to its timeout (a slow `Match exec`,
    /// a config on a network share). loginUsersResolved() when the answers are in.
    void resolveLoginUsers();
    bool loginUsersPending() const;
    /// known_hosts used for every connection (empty: the app's default).
    QString knownHostsPath() const { return m_knownHostsPath; }
    void setKnownHostsPath(const QString &path) { m_knownHostsPath = path; }

    /// Per-board outcome of a step, for resuming and for the summary.
    QHash<QString, BoardStatus> statuses(PageId step) const { return m_statuses.value(step); }
    void setStatus(PageId step, const QString &boardId, const BoardStatus &status);

    /// Steps Next until `page` is current or a page refuses (screenshots, tests).
    bool advanceTo(int page);

    static QString stepTitle(PageId step);
    /// The step list at the wizard's side, showing each page's outcome.
    WizardSidebar *sidebar() const { return m_sidebar; }

    /// Replaces the lab with the demo: through demoRequested() when someone (the main window,
    /// which asks about unsaved changes first) handles it, else directly. True when the document
    /// now holds the demo lab.
    bool requestDemo();

Q_SIGNALS:
    /// The user chose "Start from the demo lab" on the plan page.
    void demoRequested();
    /// resolveLoginUsers() has finished: userFor() knows every board's user.
    void loginUsersResolved();

private:
    void onCurrentIdChanged(int id);
    /// Asks every page for its outcome; a step that runs jobs and ran none offers Skip, not
    /// Next.
    void updateOutcomes();

    LabDocument *m_document;
    CredentialStore *m_credentials;
    QUndoStack *m_undoStack;
    WizardSidebar *m_sidebar;
    QString m_knownHostsPath;
    QString m_nextText;
    QHash<QString, QString> m_passwords;
    QHash<QString, QString> m_resolvedUsers; // board ID → user, for boards without sshUser
    QFutureWatcher<QHash<QString, QString>> *m_userResolution = nullptr;
    QHash<int, QHash<QString, BoardStatus>> m_statuses;
};

} // namespace Hivelab
