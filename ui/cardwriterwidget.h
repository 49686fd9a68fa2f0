// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "drivelist.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QUndoCommand;

namespace Hivelab {

class CardWriting;
class LabDocument;

/// Writes the plan's cards from the GUI: a row per board with the image to put on it (the
/// catalog's images for its model, or a file), the card to write (cards, USB drives and loop
/// devices the system offers — never its own disks) and what the board will boot as; Write runs
/// CardWriting (download, write, verify, first-boot files) with progress per card and Cancel.
/// A tick box (on by default) keeps DietPi console passwords in the keychain as the CLI does;
/// off, they are random and nobody is told (the CLI's --no-console-password).
/// The instance IDs and addresses the cards got are recorded in the lab as one undo step.
/// Used by the wizard's Flash step and the main window's Lab ▸ Write Cards.
class CardWriterWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CardWriterWidget)
public:
    /// `pushEdit` takes the undoable change to the lab.
    CardWriterWidget(LabDocument *document, std::function<void(QUndoCommand *)> pushEdit,
                     QWidget *parent = nullptr);
    ~CardWriterWidget() override;

    /// Asked before anything is erased: the question and, for a drive larger than any card,
    /// the name the user must type (empty otherwise). Default: dialogs. Tests answer here.
    using Confirmation = std::function<bool(const QString &question, const QString &typeName)>;
    void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }
    /// The private key whose .pub the cards authorize (default: as `hivelab keys`).
    void setKeyPath(const QString &path) { m_keyPath = path; }

    /// Rebuilds the rows from the lab and lists the drives again (lsblk, off the GUI thread).
    void reload();
    void refreshDrives();

    /// Chooses for a board; an image file or card not in the list is added to it.
    void setImage(const QString &boardId, const QString &source);
    void setCard(const QString &boardId, const QString &devicePath);

    /// Checks the choices, asks, and starts. False (with the reason shown) when nothing started.
    bool writeCards();
    void cancel();
    bool isRunning() const;
    /// The per-card result line of the last run ("" before one).
    QString resultFor(const QString &boardId) const;
    /// Cards in the last run, and those written and prepared (0 before a run).
    int cardsTried() const { return int(m_runRows.size()); }
    int cardsWritten() const { return m_written; }
    /// The summary under the table.
    QString summary() const;

Q_SIGNALS:
    void runningChanged(bool running);
    void drivesListed();
    void finished();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildRows();
    void fillCardCombo(QComboBox *combo, const QString &keep);
    void onFinished();
    void setSummary(const QString &text);
    void reserveSummaryLines();
    void updateButtons();
    int rowOf(const QString &boardId) const;

    LabDocument *m_document;
    std::function<void(QUndoCommand *)> m_pushEdit;
    Confirmation m_confirm;
    QString m_keyPath;
    QTableWidget *m_table;
    QLabel *m_summary;
    QPushButton *m_refresh;
    QPushButton *m_write;
    QPushButton *m_cancel;
    QCheckBox *m_keepPasswords;
    QList<Drive> m_drives;
    QStringList m_boardIds;          // per row
    QList<int> m_runRows;            // the rows being written, by card index
    QMap<QString, QString> m_results;
    CardWriting *m_job = nullptr;
    int m_written = 0;
};

} // namespace Hivelab
