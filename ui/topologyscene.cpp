// SPDX-License-Identifier: GPL-3.0-or-later
#include "topologyscene.h"
#include "plural.h"

#include "boardcatalog.h"
#include "boarditem.h"
#include "servicechipsitem.h"
#include "boardplacement.h"
#include "canvasmetrics.h"
#include "dropwarningitem.h"
#include "labcommands.h"
#include "labdocument.h"
#include "labindex.h"
#include "psuitem.h"
#include "rackitem.h"
#include "switchitem.h"
#include "theme.h"

#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QPainter>
#include <QSet>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace Hivelab {

using namespace CanvasMetrics;

namespace {
QString modelDisplayName(const QString &modelId)
{
    if (const BoardModelInfo *info = BoardCatalog::builtin().model(modelId))
        return info->name;
    return modelId;
}

QPointF cardCentre(const QGraphicsItem *item)
{
    return item->pos() + QPointF(CardWidth / 2, CardHeight / 2);
}
} // namespace

TopologyScene::TopologyScene(LabDocument *document, QUndoStack *undoStack, QObject *parent)
    : QGraphicsScene(parent)
    , m_document(document)
    , m_undoStack(undoStack)
{
    // Items move constantly while dragging; the BSP index would be rebuilt on every move.
    setItemIndexMethod(NoIndex);
    connect(m_document, &LabDocument::reset, this, &TopologyScene::rebuild);
    connect(m_document, &LabDocument::objectAdded, this, &TopologyScene::onObjectAdded);
    connect(m_document, &LabDocument::objectChanged, this, &TopologyScene::onObjectChanged);
    connect(m_document, &LabDocument::objectRemoved, this, &TopologyScene::onObjectRemoved);
    connect(m_document, &LabDocument::nodeStateChanged, this, &TopologyScene::onNodeStateChanged);
    connect(m_document, &LabDocument::serviceTasksChanged, this,
            &TopologyScene::applyServiceTasks);
    connect(this, &QGraphicsScene::selectionChanged, this,
            [this]() { Q_EMIT boardSelectionChanged(selectedBoardIds()); });
    rebuild();
}

TopologyScene::~TopologyScene()
{
    // Item destructors emit selectionChanged; our handler must not run on a half-destroyed scene.
    blockSignals(true);
    clear();
}

void TopologyScene::rebuild()
{
    const QStringList selected = selectedBoardIds();
    clearSelection();
    m_dropRack = nullptr;
    m_dragPrimary.clear();
    const Lab &lab = m_document->lab();
    QSet<QString> before;
    for (auto it = m_boards.cbegin(); it != m_boards.cend(); ++it)
        before.insert(it.key());
    QSet<QString> after;
    for (const Board &b : lab.boards)
        after.insert(b.id);
    for (const QString &id : before - after)
        Q_EMIT boardItemAboutToBeRemoved(id);
    clear();
    m_dropWarningItem = nullptr;
    m_racks.clear();
    m_boards.clear();
    m_psus.clear();
    m_switches.clear();
    for (const Rack &r : lab.racks) {
        auto *item = new RackItem(r.id);
        addItem(item);
        m_racks.insert(r.id, item);
    }
    m_tray = new RackItem(QString());
    addItem(m_tray);
    for (const PowerSupply &p : lab.powerSupplies) {
        auto *item = new PsuItem(p.id);
        addItem(item);
        m_psus.insert(p.id, item);
    }
    for (const NetworkSwitch &s : lab.switches) {
        auto *item = new SwitchItem(s.id);
        addItem(item);
        m_switches.insert(s.id, item);
    }
    for (const Board &b : lab.boards) {
        auto *item = new BoardItem(b.id);
        item->setBoard(b, modelDisplayName(b.model));
        item->setState(m_document->nodeState(b.id));
        item->setAvailability(m_document->nodeAvailability(b.id));
        item->setLeader(m_document->swarmLeader() == b.id);
        addItem(item);
        m_boards.insert(b.id, item);
    }
    layoutAll();
    refreshInfra();
    applyFindings();
    applyServiceTasks();
    selectBoards(selected);
    for (const Board &b : lab.boards) {
        if (!before.contains(b.id))
            Q_EMIT boardItemAdded(b.id);
    }
    Q_EMIT boardItemChanged(QString());
}

void TopologyScene::onObjectAdded(ObjectKind kind, const QString &id)
{
    if (kind != ObjectKind::Board) {
        rebuild();
        return;
    }
    const Board *b = m_document->lab().board(id);
    if (!b || m_boards.contains(id))
        return;
    auto *item = new BoardItem(id);
    item->setBoard(*b, modelDisplayName(b->model));
    item->setState(m_document->nodeState(id));
    item->setAvailability(m_document->nodeAvailability(id));
    item->setLeader(m_document->swarmLeader() == id);
    addItem(item);
    m_boards.insert(id, item);
    layoutAll();
    refreshInfra();
    applyFindings();
    Q_EMIT boardItemAdded(id);
}

void TopologyScene::onObjectChanged(ObjectKind kind, const QString &id)
{
    if (kind != ObjectKind::Board) {
        rebuild();
        return;
    }
    if (const Board *b = m_document->lab().board(id))
        updateBoardData(*b);
    layoutAll();
    refreshInfra();
    Q_EMIT boardItemChanged(id);
}

void TopologyScene::onObjectRemoved(ObjectKind kind, const QString &id)
{
    if (kind != ObjectKind::Board) {
        rebuild();
        return;
    }
    if (m_boards.contains(id))
        Q_EMIT boardItemAboutToBeRemoved(id);
    if (BoardItem *item = m_boards.take(id)) {
        if (m_dragPrimary == id)
            m_dragPrimary.clear();
        m_dragStart.remove(id);
        delete item;
    }
    layoutAll();
    refreshInfra();
}

void TopologyScene::onNodeStateChanged(const QString &boardId, NodeState state)
{
    if (BoardItem *item = m_boards.value(boardId)) {
        item->setState(state);
        item->setAvailability(m_document->nodeAvailability(boardId));
        item->setLeader(m_document->swarmLeader() == boardId);
        Q_EMIT boardItemChanged(boardId);
    }
}

void TopologyScene::applyServiceTasks()
{
    const QList<StackPlacement::ServiceTask> all = m_document->serviceTasks();
    for (auto it = m_boards.cbegin(); it != m_boards.cend(); ++it) {
        BoardItem *card = it.value();
        ServiceChipsItem *chips = nullptr;
        for (QGraphicsItem *child : card->childItems()) {
            if (child->type() == ServiceChipsItem::Type)
                chips = static_cast<ServiceChipsItem *>(child);
        }
        const QList<StackPlacement::ServiceTask> here = m_document->serviceTasksOn(it.key());
        if (!chips && here.isEmpty())
            continue;
        if (!chips)
            chips = new ServiceChipsItem(card);
        const qreal width = chips->setTasks(here, all);
        card->setSubtitleReserve(width > 0 ? width + 6 : 0);
    }
}

void TopologyScene::updateBoardData(const Board &board)
{
    if (BoardItem *item = m_boards.value(board.id))
        item->setBoard(board, modelDisplayName(board.model));
}

void TopologyScene::layoutAll()
{
    const Lab &lab = m_document->lab();
    struct Column
    {
        RackItem *item;
        QList<SwitchItem *> switches;
        QList<PsuItem *> psus;
        QList<BoardItem *> trayBoards;
        int rows = 0;
        qreal height = 0;
    };
    QList<Column> columns;
    QHash<QString, int> columnOfRack;
    for (const Rack &r : lab.racks) {
        columnOfRack.insert(r.id, int(columns.size()));
        columns.append({m_racks.value(r.id), {}, {}, {}, r.slotCount, 0});
    }
    Column tray{m_tray, {}, {}, {}, 0, 0};
    for (const NetworkSwitch &s : lab.switches) {
        const int c = columnOfRack.value(s.rackId, -1);
        (c >= 0 ? columns[c] : tray).switches.append(m_switches.value(s.id));
    }
    for (const PowerSupply &p : lab.powerSupplies) {
        const int c = columnOfRack.value(p.rackId, -1);
        (c >= 0 ? columns[c] : tray).psus.append(m_psus.value(p.id));
    }
    QHash<QString, QList<bool>> occupied;
    for (const Board &b : lab.boards) {
        const int c = columnOfRack.value(b.rackId, -1);
        if (c >= 0 && b.slot >= 0) {
            columns[c].rows = qMax(columns[c].rows, b.slot + 1);
            QList<bool> &occ = occupied[b.rackId];
            while (occ.size() <= b.slot)
                occ.append(false);
            occ[b.slot] = true;
        } else {
            tray.trayBoards.append(m_boards.value(b.id));
        }
    }
    tray.rows = int(tray.trayBoards.size());
    const bool showTray = tray.rows > 0 || !tray.switches.isEmpty() || !tray.psus.isEmpty();
    if (showTray)
        columns.append(tray);
    m_tray->setVisible(showTray);

    for (Column &c : columns) {
        c.height = HeaderHeight + c.switches.size() * InfraPitch + c.rows * SlotPitch +
                   c.psus.size() * InfraPitch + RackPadding;
    }
    qreal y = 0;
    for (int rowStart = 0; rowStart < columns.size(); rowStart += RacksPerRow) {
        qreal rowHeight = 0;
        for (int i = rowStart; i < qMin(int(columns.size()), rowStart + RacksPerRow); ++i) {
            Column &c = columns[i];
            const qreal x = (i - rowStart) * (RackWidth + RackGap);
            rowHeight = qMax(rowHeight, c.height);
            const qreal slotsTop = HeaderHeight + c.switches.size() * InfraPitch;
            c.item->setPos(x, y);
            c.item->setGeometry(c.height, slotsTop, c.item->isTray() ? 0 : c.rows);
            qreal iy = y + HeaderHeight;
            for (SwitchItem *s : std::as_const(c.switches)) {
                s->setPos(x + RackPadding, iy);
                iy += InfraPitch;
            }
            for (int t = 0; t < c.trayBoards.size(); ++t)
                c.trayBoards[t]->setPos(x + RackPadding, y + slotsTop + t * SlotPitch + 4);
            iy = y + slotsTop + c.rows * SlotPitch;
            for (PsuItem *p : std::as_const(c.psus)) {
                p->setPos(x + RackPadding, iy);
                iy += InfraPitch;
            }
            if (!c.item->isTray()) {
                c.item->setOccupied(occupied.value(c.item->rackId()));
                int used = 0;
                int managers = 0;
                for (const Board &b : lab.boards) {
                    if (b.rackId == c.item->rackId() && b.slot >= 0) {
                        ++used;
                        managers += b.role == Role::Manager ? 1 : 0;
                    }
                }
                const Rack *rack = lab.rack(c.item->rackId());
                QString sub = tr("%1 of %2 slots used").arg(used).arg(rack->slotCount);
                if (managers > 0)
                    sub += QStringLiteral(" · ") +
                           plural(managers, tr("%1 manager"), tr("%1 managers"));
                c.item->setTitle(rack->name, sub);
            } else {
                c.item->setTitle(tr("Unplaced"),
                                 plural(int(c.trayBoards.size()), tr("%1 board not in a rack"),
                                        tr("%1 boards not in a rack")));
            }
        }
        y += rowHeight + RowGap;
    }
    for (const Board &b : lab.boards) {
        const int c = columnOfRack.value(b.rackId, -1);
        if (c < 0 || b.slot < 0)
            continue;
        RackItem *rack = columns[c].item;
        if (BoardItem *item = m_boards.value(b.id)) {
            item->setPos(rack->pos() +
                         QPointF(RackPadding, rack->slotsTop() + b.slot * SlotPitch + 4));
        }
    }
    const QRectF bounds = itemsBoundingRect().adjusted(-32, -32, 32, 32);
    setSceneRect(bounds.isEmpty() ? QRectF(0, 0, 400, 300) : bounds);
}

void TopologyScene::refreshInfra()
{
    const Lab &lab = m_document->lab();
    const BoardCatalog &catalog = BoardCatalog::builtin();
    for (const PowerSupply &p : lab.powerSupplies) {
        double load = 0;
        int unknown = 0;
        for (const Board &b : lab.boards) {
            if (b.psuId != p.id)
                continue;
            if (const BoardModelInfo *info = catalog.model(b.model))
                load += info->peakWatts();
            else
                ++unknown;
            for (const StorageDevice &s : b.storage)
                load += s.peakWatts;
        }
        for (const NetworkSwitch &s : lab.switches) {
            if (s.psuId == p.id)
                load += s.watts;
        }
        if (PsuItem *item = m_psus.value(p.id))
            item->setLoad(p.name, load, p.effectiveWatts(), unknown);
    }
    for (const NetworkSwitch &s : lab.switches) {
        QList<int> used;
        int withoutPort = 0;
        for (const Board &b : lab.boards) {
            if (b.switchId != s.id)
                continue;
            if (b.switchPort > 0 && !used.contains(b.switchPort))
                used.append(b.switchPort);
            else
                ++withoutPort;
        }
        for (const NetworkSwitch &down : lab.switches) {
            if (down.uplinkSwitchId == s.id)
                ++withoutPort;
        }
        if (SwitchItem *item = m_switches.value(s.id))
            item->setPorts(s.name, s.ports, used, withoutPort);
    }
}

void TopologyScene::setCheckReport(const CheckReport &report)
{
    m_report = report;
    applyFindings();
}

void TopologyScene::applyFindings()
{
    QHash<QString, QPair<Severity, QStringList>> byObject;
    for (const Finding &f : m_report.findings) {
        // Info findings (what a loss would take down) are normal for any lab: badges would
        // cover every item. They stay in the check dock.
        if (f.severity == Severity::Info)
            continue;
        for (const QString &id : f.objectIds) {
            auto &entry = byObject[id];
            if (entry.second.isEmpty() || int(f.severity) > int(entry.first))
                entry.first = f.severity;
            entry.second.append(f.message);
        }
    }
    auto apply = [&byObject](auto &hash) {
        for (auto it = hash.cbegin(); it != hash.cend(); ++it) {
            const auto entry = byObject.value(it.key(), {Severity::Info, {}});
            it.value()->setFindings(entry.first, entry.second);
        }
    };
    apply(m_racks);
    apply(m_psus);
    apply(m_switches);
    apply(m_boards);
    Q_EMIT boardItemChanged(QString());
}

QRectF TopologyScene::slotRect(const QString &rackId, int slot) const
{
    const RackItem *rack = m_racks.value(rackId);
    if (!rack)
        return {};
    return QRectF(rack->pos() + QPointF(RackPadding, rack->slotsTop() + slot * SlotPitch + 4),
                  QSizeF(CardWidth, CardHeight));
}

bool TopologyScene::dropTargetAt(const QPointF &scenePos, QString *rackId, int *slot) const
{
    for (const RackItem *rack : m_racks) {
        if (rack->slotCount() <= 0)
            continue;
        const QPointF local = scenePos - rack->pos();
        const qreal top = rack->slotsTop();
        const qreal bottom = top + rack->slotCount() * SlotPitch;
        if (local.x() < -RackGap / 2 || local.x() > RackWidth + RackGap / 2 ||
            local.y() < top - SlotPitch / 2 || local.y() > bottom + SlotPitch / 2)
            continue;
        *rackId = rack->rackId();
        *slot = qBound(0, int(std::floor((local.y() - top) / SlotPitch)), rack->slotCount() - 1);
        return true;
    }
    return false;
}

QStringList TopologyScene::selectedBoardIds() const
{
    QStringList ids;
    // Lab order, so results do not depend on the hash's iteration order.
    for (const Board &b : m_document->lab().boards) {
        const BoardItem *item = m_boards.value(b.id);
        if (item && item->isSelected())
            ids.append(b.id);
    }
    return ids;
}

void TopologyScene::selectBoards(const QStringList &boardIds)
{
    if (boardIds == selectedBoardIds())
        return;
    QSignalBlocker blocker(this);
    clearSelection();
    for (const QString &id : boardIds) {
        if (BoardItem *item = m_boards.value(id))
            item->setSelected(true);
    }
    blocker.unblock();
    Q_EMIT boardSelectionChanged(selectedBoardIds());
}

void TopologyScene::highlightObjects(const QStringList &ids)
{
    for (RackItem *r : std::as_const(m_racks))
        r->setHighlighted(ids.contains(r->rackId()));
    for (PsuItem *p : std::as_const(m_psus))
        p->setHighlighted(ids.contains(p->psuId()));
    for (SwitchItem *s : std::as_const(m_switches))
        s->setHighlighted(ids.contains(s->switchId()));
    QStringList boards;
    for (const QString &id : ids) {
        if (m_boards.contains(id))
            boards.append(id);
    }
    selectBoards(boards);
    m_highlighted = ids;
}

void TopologyScene::setItemCaching(bool enabled)
{
    setRendering(enabled ? SnapshotItem::Rendering::Cached : SnapshotItem::Rendering::Direct);
}

void TopologyScene::setZooming(bool zooming)
{
    // While zooming, items draw their last snapshot scaled (tests/bench/bench_canvas): painting
    // 200 cards and 20 racks at every intermediate scale, or building Qt's item caches for each,
    // cost a frame budget or more; a scaled blit is a fraction of a millisecond per item.
    setRendering(zooming ? SnapshotItem::Rendering::Zooming : SnapshotItem::Rendering::Cached);
}

void TopologyScene::setRendering(SnapshotItem::Rendering rendering)
{
    for (BoardItem *item : std::as_const(m_boards))
        item->setRendering(rendering);
    for (RackItem *rack : std::as_const(m_racks))
        rack->setRendering(rendering);
    if (m_tray)
        m_tray->setRendering(rendering);
    for (SwitchItem *item : std::as_const(m_switches))
        item->setRendering(rendering);
    for (PsuItem *item : std::as_const(m_psus))
        item->setRendering(rendering);
}

void TopologyScene::moveSelection(int dx, int dy)
{
    const Lab &lab = m_document->lab();
    const BoardItem *currentItem = currentBoardItem();
    const Board *current = currentItem ? lab.board(currentItem->boardId()) : nullptr;
    const Board *next = nullptr;
    if (!current) {
        next = lab.boards.isEmpty() ? nullptr : &lab.boards.first();
    } else if (dy != 0) {
        for (const Board &b : lab.boards) {
            if (b.rackId != current->rackId || b.id == current->id)
                continue;
            const int d = (b.slot - current->slot) * dy;
            if (d > 0 && (!next || d < (next->slot - current->slot) * dy))
                next = &b;
        }
    } else if (dx != 0) {
        const int ri = lab.rackIndex(current->rackId);
        for (int r = ri + dx; ri >= 0 && r >= 0 && r < lab.racks.size() && !next; r += dx) {
            for (const Board &b : lab.boards) {
                if (b.rackId == lab.racks.at(r).id &&
                    (!next ||
                     std::abs(b.slot - current->slot) < std::abs(next->slot - current->slot)))
                    next = &b;
            }
        }
    }
    if (!next)
        return;
    focusBoard(next->id);
}

QStringList TopologyScene::boardsInVisualOrder() const
{
    const Lab &lab = m_document->lab();
    QStringList ids;
    for (const Rack &r : lab.racks) {
        QList<const Board *> inRack;
        for (const Board &b : lab.boards) {
            if (b.rackId == r.id && b.slot >= 0)
                inRack.append(&b);
        }
        std::sort(inRack.begin(), inRack.end(),
                  [](const Board *a, const Board *b) { return a->slot < b->slot; });
        for (const Board *b : std::as_const(inRack))
            ids.append(b->id);
    }
    for (const Board &b : lab.boards) {
        if (!ids.contains(b.id))
            ids.append(b.id);
    }
    return ids;
}

BoardItem *TopologyScene::currentBoardItem() const
{
    if (auto *focused = qgraphicsitem_cast<BoardItem *>(focusItem());
        focused && focused->isSelected())
        return focused;
    const QStringList selected = selectedBoardIds();
    return selected.isEmpty() ? nullptr : m_boards.value(selected.first());
}

void TopologyScene::focusBoard(const QString &boardId)
{
    BoardItem *item = m_boards.value(boardId);
    if (!item)
        return;
    selectBoards({boardId});
    setFocusItem(item, Qt::TabFocusReason);
    for (QGraphicsView *view : views())
        view->ensureVisible(item, 40, 40);
}

bool TopologyScene::focusNextPrevChild(bool next)
{
    const QStringList order = boardsInVisualOrder();
    const BoardItem *current = currentBoardItem();
    int i = current ? int(order.indexOf(current->boardId())) : -1;
    if (i < 0)
        i = next ? 0 : int(order.size()) - 1;
    else
        i += next ? 1 : -1;
    if (i < 0 || i >= order.size())
        return false; // no keyboard trap: Tab goes on to the docks
    focusBoard(order.at(i));
    return true;
}

bool TopologyScene::neighbourSlot(const QString &boardId, int dRack, int dSlot, QString *rackId,
                                  int *slot) const
{
    const Lab &lab = m_document->lab();
    const Board *b = lab.board(boardId);
    if (!b || lab.racks.isEmpty())
        return false;
    const int ri = lab.rackIndex(b->rackId);
    const bool placed = ri >= 0 && b->slot >= 0;
    int targetRack = placed ? ri + dRack : (dRack < 0 ? int(lab.racks.size()) - 1 : 0);
    if (!placed && dRack == 0)
        return false;
    if (targetRack < 0 || targetRack >= lab.racks.size())
        return false;
    const Rack &rack = lab.racks.at(targetRack);
    if (rack.slotCount <= 0)
        return false;
    int targetSlot = -1;
    if (placed) {
        targetSlot = b->slot + dSlot;
        if (dRack != 0)
            targetSlot = qMin(targetSlot, rack.slotCount - 1);
    } else {
        for (int s = 0; s < rack.slotCount && targetSlot < 0; ++s) {
            if (!lab.boardAt(rack.id, s))
                targetSlot = s;
        }
        if (targetSlot < 0)
            targetSlot = 0; // full: swaps with the first board, as a drop would
    }
    if (targetSlot < 0 || targetSlot >= rack.slotCount)
        return false;
    if (placed && targetRack == ri && targetSlot == b->slot)
        return false;
    *rackId = rack.id;
    *slot = targetSlot;
    return true;
}

bool TopologyScene::moveBoardBy(const QString &boardId, int dRack, int dSlot)
{
    BoardMove m;
    m.boardId = boardId;
    if (!neighbourSlot(boardId, dRack, dSlot, &m.rackId, &m.slot))
        return false;
    EditBoardsCommand *cmd = EditBoardsCommand::moves(m_document, {m});
    if (!cmd)
        return false;
    m_undoStack->push(cmd);
    focusBoard(boardId);
    return true;
}

QString TopologyScene::spokenName(const QString &boardId) const
{
    const BoardItem *item = m_boards.value(boardId);
    const Board *b = m_document->lab().board(boardId);
    if (!item || !b)
        return {};
    const Rack *rack = m_document->lab().rack(b->rackId);
    const QString place = !rack         ? tr("unplaced")
                          : b->slot < 0 ? rack->name
                                        : tr("%1 slot %2").arg(rack->name).arg(b->slot + 1);
    QStringList parts{b->name, roleName(b->role), place, BoardItem::stateText(item->state())};
    const QString extras = item->spokenExtras();
    if (!extras.isEmpty())
        parts << extras;
    return parts.join(QStringLiteral(", "));
}

void TopologyScene::requestContextMenu(const QString &boardId, const QPoint &screenPos)
{
    if (m_boards.contains(boardId)) {
        if (!m_boards.value(boardId)->isSelected())
            selectBoards({boardId});
        Q_EMIT boardContextMenuRequested(selectedBoardIds(), screenPos);
        return;
    }
    Q_EMIT objectContextMenuRequested(ObjectKind::Board, QString(), screenPos);
}

void TopologyScene::clearDropIndicator()
{
    m_previewKey.clear();
    if (m_dropRack)
        m_dropRack->setDropSlot(-1, false);
    m_dropRack = nullptr;
    // Only in the scene while shown, so that it never counts towards the lab's bounds.
    delete m_dropWarningItem;
    m_dropWarningItem = nullptr;
}

void TopologyScene::infraAt(const QPointF &scenePos, ObjectKind *kind, QString *id) const
{
    const auto under = items(scenePos);
    for (QGraphicsItem *item : under) {
        if (qgraphicsitem_cast<BoardItem *>(item))
            return;
        if (auto *psu = qgraphicsitem_cast<PsuItem *>(item)) {
            *kind = ObjectKind::PowerSupply;
            *id = psu->psuId();
        } else if (auto *sw = qgraphicsitem_cast<SwitchItem *>(item)) {
            *kind = ObjectKind::Switch;
            *id = sw->switchId();
        } else if (auto *rack = qgraphicsitem_cast<RackItem *>(item); rack && !rack->isTray()) {
            *kind = ObjectKind::Rack;
            *id = rack->rackId();
        }
        if (!id->isEmpty())
            return;
    }
}

void TopologyScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsScene::mousePressEvent(event);
    m_dragPrimary.clear();
    m_dragStart.clear();
    m_dragMoved = false;
    if (event->button() != Qt::LeftButton)
        return;
    auto *grabbed = qgraphicsitem_cast<BoardItem *>(mouseGrabberItem());
    if (!grabbed) {
        // Racks, PSUs and switches are not selectable items (a rubber band over boards must
        // not pick them up), but a click on one opens it in the inspector.
        ObjectKind kind = ObjectKind::Board;
        QString id;
        infraAt(event->scenePos(), &kind, &id);
        Q_EMIT objectClicked(kind, id);
        return;
    }
    m_dragPrimary = grabbed->boardId();
    for (auto it = m_boards.cbegin(); it != m_boards.cend(); ++it) {
        if (it.value()->isSelected() || it.value() == grabbed)
            m_dragStart.insert(it.key(), it.value()->pos());
    }
}

void TopologyScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsScene::mouseMoveEvent(event);
    if (m_dragPrimary.isEmpty() || !(event->buttons() & Qt::LeftButton))
        return;
    BoardItem *primary = m_boards.value(m_dragPrimary);
    if (!primary)
        return;
    if (!m_dragMoved && primary->pos() != m_dragStart.value(m_dragPrimary)) {
        m_dragMoved = true;
        for (auto it = m_dragStart.cbegin(); it != m_dragStart.cend(); ++it) {
            if (BoardItem *item = m_boards.value(it.key())) {
                item->setZValue(10);
                item->setOpacity(0.88);
            }
        }
    }
    if (!m_dragMoved)
        return;
    QString rackId;
    int slot = -1;
    RackItem *target = nullptr;
    bool swap = false;
    if (dropTargetAt(cardCentre(primary), &rackId, &slot)) {
        target = m_racks.value(rackId);
        const Board *occupant = m_document->lab().boardAt(rackId, slot);
        swap = occupant && !m_dragStart.contains(occupant->id);
    }
    if (target != m_dropRack)
        clearDropIndicator();
    m_dropRack = target;
    if (!target)
        return;
    const QString warning = dropWarning(rackId, slot);
    target->setDropSlot(slot, swap, warning);
    if (warning.isEmpty()) {
        delete m_dropWarningItem;
        m_dropWarningItem = nullptr;
        return;
    }
    if (!m_dropWarningItem) {
        m_dropWarningItem = new DropWarningItem;
        addItem(m_dropWarningItem);
    }
    m_dropWarningItem->setText(warning);
    m_dropWarningItem->setPos(slotRect(rackId, slot).topRight() +
                              QPointF(CanvasMetrics::RackPadding + 10, -5));
}

QString TopologyScene::dropWarning(const QString &rackId, int slot)
{
    // A drag crosses a slot in many small steps: the preview is worked out once per slot.
    const QString key =
        m_dragPrimary + QLatin1Char('/') + rackId + QLatin1Char('/') + QString::number(slot);
    if (key == m_previewKey)
        return m_previewText;
    m_previewKey = key;
    const Lab &lab = m_document->lab();
    const QList<PlacementIssue> issues =
        previewPlacement(lab, BoardCatalog::builtin(), m_dragPrimary, rackId, slot);
    QStringList quorum;
    QStringList lines;
    for (const PlacementIssue &issue : issues) {
        const QString name = objectDisplayName(lab, issue.objectId);
        switch (issue.kind) {
        case PlacementIssue::Kind::BreaksQuorum:
            quorum << (issue.domainKind == FaultDomainKind::Circuit ? tr("circuit %1").arg(name)
                                                                    : name);
            break;
        case PlacementIssue::Kind::NoPsuHeadroom:
            lines << tr("%1 has no headroom: %2 W of %3 W")
                         .arg(name, QString::number(issue.peakWatts, 'f', 1),
                              QString::number(issue.ratingWatts, 'f', 1));
            break;
        case PlacementIssue::Kind::NoFreePort:
            lines << tr("%1 has no free port").arg(name);
            break;
        }
    }
    if (!quorum.isEmpty())
        lines.prepend(tr("Quorum lost if %1 fails").arg(quorum.join(QStringLiteral(", "))));
    m_previewText = lines.join(QStringLiteral("; "));
    return m_previewText;
}

void TopologyScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton && !m_dragPrimary.isEmpty())
        finishDrag();
}

void TopologyScene::finishDrag()
{
    const bool moved = m_dragMoved;
    const QString primaryId = m_dragPrimary;
    m_dragPrimary.clear();
    m_dragMoved = false;
    clearDropIndicator();
    QList<BoardMove> moves;
    // Qt moved every selected card by the same offset; each lands in the slot under its centre.
    // The primary goes first so its swap rule wins over its followers'.
    QStringList order = m_dragStart.keys();
    order.removeAll(primaryId);
    order.prepend(primaryId);
    for (const QString &id : std::as_const(order)) {
        BoardItem *item = m_boards.value(id);
        if (!item)
            continue;
        item->setZValue(1);
        item->setOpacity(1.0);
        BoardMove m;
        m.boardId = id;
        if (moved && dropTargetAt(cardCentre(item), &m.rackId, &m.slot))
            moves.append(m);
    }
    m_dragStart.clear();
    if (!moves.isEmpty()) {
        if (EditBoardsCommand *cmd = EditBoardsCommand::moves(m_document, moves))
            m_undoStack->push(cmd);
    }
    // Snap everything (including cards dropped outside any slot) back onto the grid.
    layoutAll();
}

void TopologyScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsScene::mouseDoubleClickEvent(event);
    const auto items = this->items(event->scenePos());
    for (QGraphicsItem *item : items) {
        if (auto *board = qgraphicsitem_cast<BoardItem *>(item)) {
            Q_EMIT boardActivated(board->boardId());
            return;
        }
    }
}

void TopologyScene::contextMenuEvent(QGraphicsSceneContextMenuEvent *event)
{
    const auto items = this->items(event->scenePos());
    for (QGraphicsItem *item : items) {
        if (auto *board = qgraphicsitem_cast<BoardItem *>(item)) {
            if (!board->isSelected())
                selectBoards({board->boardId()});
            Q_EMIT boardContextMenuRequested(selectedBoardIds(), event->screenPos());
            event->accept();
            return;
        }
    }
    ObjectKind kind = ObjectKind::Board;
    QString id;
    infraAt(event->scenePos(), &kind, &id);
    Q_EMIT objectContextMenuRequested(kind, id, event->screenPos());
    event->accept();
}

void TopologyScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QColor background = Theme::canvasBackground();
    const qreal scale = painter->worldTransform().m11();
    constexpr qreal step = 24;
    if (step * scale < 10) {
        painter->fillRect(rect, background);
        return;
    }
    // One dot per tile, drawn as a texture: thousands of antialiased points per frame are not.
    // The tile carries the background too (the same pixels as a fill and the dot over it): one
    // opaque pass over the exposed area instead of a fill plus a blended one, a quarter of the
    // instructions under callgrind (tests/bench/bench_canvas).
    QColor dot = Theme::rackBorder();
    if (m_gridTile.isNull() || m_gridColour != dot || m_gridBackground != background) {
        m_gridColour = dot;
        m_gridBackground = background;
        m_gridTile = QPixmap(int(step), int(step));
        m_gridTile.fill(background);
        QPainter p(&m_gridTile);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        dot.setAlpha(130);
        p.setBrush(dot);
        p.drawEllipse(QRectF(0, 0, 2, 2));
    }
    painter->fillRect(rect, QBrush(m_gridTile));
}

} // namespace Hivelab
