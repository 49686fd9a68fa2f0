// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QObject>

#include <functional>

class QMenu;
class QUndoStack;
class QWidget;

namespace Hivelab {

class LabDocument;

/// Adds and removes racks, power supplies and switches for the main window (Lab menu, canvas
/// context menu): new objects get labedits.h's defaults (the next free name), and every change
/// is one undo command. Removing gear that boards depend on asks first, without a nested event
/// loop (a window-modal box; tests inject the answer). GUI thread.
class GearActions : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GearActions)
public:
    /// Asks `question`; calls `yes` when the user agrees.
    using Confirm = std::function<void(const QString &question, std::function<void()> yes)>;

    GearActions(LabDocument *document, QUndoStack *undoStack, QWidget *dialogParent,
                QObject *parent = nullptr);

    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    void addRack();
    /// A supply / switch in the given rack (empty: outside any rack).
    void addPowerSupply(const QString &rackId);
    void addSwitch(const QString &rackId);
    /// Removes a rack, supply or switch; asks first when boards or gear depend on it.
    void remove(Hivelab::ObjectKind kind, const QString &id);
    /// The gear actions for what was right-clicked: a rack, supply or switch, or nothing
    /// (kind Board with an empty ID: the canvas background).
    void addActions(QMenu *menu, Hivelab::ObjectKind kind, const QString &id);

Q_SIGNALS:
    /// A rack, supply or switch was added by this controller (e.g. to show it in the inspector).
    void objectAdded(Hivelab::ObjectKind kind, const QString &id);

private:
    LabDocument *m_document;
    QUndoStack *m_undoStack;
    QWidget *m_dialogParent;
    Confirm m_confirm;
};

} // namespace Hivelab
