// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labtypes.h"
#include "snapshotitem.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPixmap>

class QUndoStack;

namespace Hivelab {

class BoardItem;
class DropWarningItem;
class LabDocument;
class PsuItem;
class RackItem;
class SwitchItem;

/// The topology canvas: racks as columns of slots with their PSUs and switches, boards as cards.
/// Maps IDs to items and reacts only to LabDocument signals; drags become undo commands.
/// GUI thread.
class TopologyScene : public QGraphicsScene
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TopologyScene)
public:
    TopologyScene(LabDocument *document, QUndoStack *undoStack, QObject *parent = nullptr);
    ~TopologyScene() override;

    BoardItem *boardItem(const QString &boardId) const { return m_boards.value(boardId); }
    RackItem *rackItem(const QString &rackId) const { return m_racks.value(rackId); }
    RackItem *trayItem() const { return m_tray; }
    /// The box saying what dropping the dragged board here would break; nullptr when nothing.
    DropWarningItem *dropWarningItem() const { return m_dropWarningItem; }
    PsuItem *psuItem(const QString &psuId) const { return m_psus.value(psuId); }
    SwitchItem *switchItem(const QString &switchId) const { return m_switches.value(switchId); }
    int boardItemCount() const { return int(m_boards.size()); }

    /// Scene rectangle of a rack slot (empty for an unknown rack).
    QRectF slotRect(const QString &rackId, int slot) const;
    /// Rack slot under a scene point, with snapping tolerance; false when there is none.
    bool dropTargetAt(const QPointF &scenePos, QString *rackId, int *slot) const;

    QStringList selectedBoardIds() const;
    void selectBoards(const QStringList &boardIds);
    /// Selects the boards among ids and outlines the racks, PSUs and switches among them.
    void highlightObjects(const QStringList &ids);
    void setCheckReport(const CheckReport &report);
    /// Snapshots of cards, racks, switches and supplies: on for screens, off for vector/scaled
    /// export (every item paints directly).
    void setItemCaching(bool enabled);
    /// During a zoom items draw their last snapshot scaled (new ones would be made at every
    /// step); sharp snapshots again when it settles.
    void setZooming(bool zooming);
    /// Keyboard navigation: moves the selection to the neighbouring board.
    void moveSelection(int dx, int dy);
    /// Boards as the canvas shows them: rack by rack, slot by slot, then the unplaced ones.
    QStringList boardsInVisualOrder() const;
    /// The board keyboard actions apply to: the focused card, else the first selected one.
    BoardItem *currentBoardItem() const;
    /// Focuses and selects one board and scrolls it into view.
    void focusBoard(const QString &boardId);
    /// The slot dRack racks and dSlot slots away from the board's (same slot in another rack,
    /// clamped to its size; from the unplaced tray: the rack's first free slot); false when
    /// there is none.
    bool neighbourSlot(const QString &boardId, int dRack, int dSlot, QString *rackId,
                       int *slot) const;
    /// Moves a board there like a drag (same undoable command, swap and re-cabling rules).
    bool moveBoardBy(const QString &boardId, int dRack, int dSlot);
    /// A board as a screen reader says it: "pine64-3, manager, Rack 2 slot 3, in the swarm".
    QString spokenName(const QString &boardId) const;
    /// The board's context menu (or the canvas's when boardId is empty), e.g. from the keyboard.
    void requestContextMenu(const QString &boardId, const QPoint &screenPos);

Q_SIGNALS:
    void boardSelectionChanged(const QStringList &boardIds);
    void boardContextMenuRequested(const QStringList &boardIds, const QPoint &screenPos);
    void boardActivated(const QString &boardId);
    /// A click on a rack, power supply or switch (kind Board with an empty ID: on nothing of
    /// the kind, e.g. the background).
    void objectClicked(Hivelab::ObjectKind kind, const QString &id);
    /// A right-click on a rack, power supply or switch, or (kind Board, empty ID) on nothing.
    void objectContextMenuRequested(Hivelab::ObjectKind kind, const QString &id,
                                    const QPoint &screenPos);
    /// A board's card appeared on the canvas.
    void boardItemAdded(const QString &boardId);
    /// A board's card is about to go (still there while the signal runs).
    void boardItemAboutToBeRemoved(const QString &boardId);
    /// What a board's card says (name, role, place, state, findings) may have changed; an
    /// empty ID: any card's.
    void boardItemChanged(const QString &boardId);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;
    /// Tab and Shift+Tab walk the boards; past the last one focus leaves the canvas.
    bool focusNextPrevChild(bool next) override;

private:
    void onObjectAdded(Hivelab::ObjectKind kind, const QString &id);
    void onObjectChanged(Hivelab::ObjectKind kind, const QString &id);
    void onObjectRemoved(Hivelab::ObjectKind kind, const QString &id);
    void onNodeStateChanged(const QString &boardId, Hivelab::NodeState state);
    void rebuild();
    void setRendering(Hivelab::SnapshotItem::Rendering rendering);
    void layoutAll();
    void refreshInfra();
    void updateBoardData(const Board &board);
    void applyFindings();
    /// Service chips on every card from LabDocument::serviceTasks().
    void applyServiceTasks();
    void clearDropIndicator();
    /// What dropping the dragged board at rack/slot would break, worded (empty: nothing).
    QString dropWarning(const QString &rackId, int slot);
    /// The rack, PSU or switch at a scene point, unless a board card is on top; leaves kind and
    /// id alone when there is none.
    void infraAt(const QPointF &scenePos, Hivelab::ObjectKind *kind, QString *id) const;
    void finishDrag();

    LabDocument *m_document;
    QUndoStack *m_undoStack;
    QHash<QString, RackItem *> m_racks;
    QHash<QString, BoardItem *> m_boards;
    QHash<QString, PsuItem *> m_psus;
    QHash<QString, SwitchItem *> m_switches;
    RackItem *m_tray = nullptr;
    CheckReport m_report;
    QStringList m_highlighted;

    QString m_dragPrimary;
    QHash<QString, QPointF> m_dragStart;
    bool m_dragMoved = false;
    RackItem *m_dropRack = nullptr;
    QString m_previewKey; // drag/rack/slot the preview text is for
    QString m_previewText;
    DropWarningItem *m_dropWarningItem = nullptr; // beside the target slot, while it warns
    QPixmap m_gridTile;
    QColor m_gridColour;
    QColor m_gridBackground;
};

} // namespace Hivelab
