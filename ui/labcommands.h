// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labmerge.h"
#include "labtypes.h"

#include <QList>
#include <QUndoCommand>

#include <functional>

namespace Hivelab {

class LabDocument;

struct BoardMove
{
    QString boardId;
    QString rackId; // empty: take the board out of its rack
    int slot = -1;
};

/// Plans a sequence of moves on a copy of the lab with LabDocument::moveBoard's rule,
/// placeBoard() (a board in the target slot swaps into the mover's old place; boards changing
/// rack are re-cabled). Fills the changed boards before and after; returns false when nothing
/// would change.
bool planBoardMoves(const Lab &lab, const QList<BoardMove> &moves, QList<Board> *before,
                    QList<Board> *after);

/// Replaces whole boards by value (moves, role changes, inspector edits); undo restores them.
class EditBoardsCommand : public QUndoCommand
{
public:
    EditBoardsCommand(LabDocument *document, const QList<Board> &before, const QList<Board> &after,
                      const QString &text, QUndoCommand *parent = nullptr);
    /// nullptr when the moves change nothing.
    static EditBoardsCommand *moves(LabDocument *document, const QList<BoardMove> &moves);
    static EditBoardsCommand *edit(LabDocument *document, const Board &after);
    static EditBoardsCommand *setRole(LabDocument *document, const QStringList &boardIds,
                                      Role role);

    /// The change is already in the document (made by an item model): the first redo is a no-op.
    void setAlreadyApplied() { m_skipRedo = true; }

    void redo() override;
    void undo() override;
    QStringList boardIds() const;

private:
    LabDocument *m_document;
    bool m_skipRedo = false;
    QList<Board> m_before;
    QList<Board> m_after;
};

/// Removes boards; undo puts them back at their old index.
class RemoveBoardsCommand : public QUndoCommand
{
public:
    RemoveBoardsCommand(LabDocument *document, const QStringList &boardIds,
                        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;
    QStringList boardIds() const;

private:
    LabDocument *m_document;
    QList<QPair<int, Board>> m_removed; // ascending index
};

/// Adds boards at the end of the lab; undo removes them again.
class AddBoardsCommand : public QUndoCommand
{
public:
    AddBoardsCommand(LabDocument *document, const QList<Board> &boards,
                     QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    LabDocument *m_document;
    QList<Board> m_boards;
};

/// A discovery merge as one undo step: matched boards edited, new boards added (what the
/// merge reports missing or in conflict is left alone). nullptr when nothing changes.
QUndoCommand *mergeCommand(LabDocument *document, const LabMerge::Result &merged,
                           const QString &text);

/// Edits, adds or removes one rack, power supply or switch; undo restores it.
class EditInfraCommand : public QUndoCommand
{
public:
    /// Edits the object with after's ID.
    static EditInfraCommand *rack(LabDocument *document, const Rack &after);
    static EditInfraCommand *powerSupply(LabDocument *document, const PowerSupply &after);
    static EditInfraCommand *networkSwitch(LabDocument *document, const NetworkSwitch &after);
    /// Adds a new object at the end of its list.
    static EditInfraCommand *addRack(LabDocument *document, const Rack &rack);
    static EditInfraCommand *addPowerSupply(LabDocument *document, const PowerSupply &psu);
    static EditInfraCommand *addSwitch(LabDocument *document, const NetworkSwitch &sw);
    /// Removes a rack, supply or switch the way LabDocument does (boards unplaced or uncabled);
    /// undo puts it back at its index and restores every board, supply and switch it touched.
    /// nullptr for an unknown ID.
    static EditInfraCommand *remove(LabDocument *document, ObjectKind kind, const QString &id);

    void redo() override { m_redo(); }
    void undo() override { m_undo(); }

private:
    EditInfraCommand(const QString &text, std::function<void()> redo, std::function<void()> undo);
    template <typename T>
    static EditInfraCommand *make(LabDocument *document, const T *before, const T &after,
                                  void (LabDocument::*update)(const T &));
    template <typename T>
    static EditInfraCommand *addition(LabDocument *document, const T &object,
                                      void (LabDocument::*add)(const T &, int),
                                      bool (LabDocument::*remove)(const QString &));
    template <typename T>
    static EditInfraCommand *removal(LabDocument *document, QList<T> Lab::*list, const QString &id,
                                     bool (LabDocument::*remove)(const QString &),
                                     void (LabDocument::*add)(const T &, int));
    std::function<void()> m_redo;
    std::function<void()> m_undo;
};

} // namespace Hivelab
