// SPDX-License-Identifier: GPL-3.0-or-later
#include "canvasaccessible.h"

#include "boarditem.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QPointer>
#include <QWidget>
#include <QWindow>

namespace Hivelab {

namespace {

// One board card. Like a table cell it has no QObject: the canvas makes it on demand and
// registers it, so it lives in QAccessible's cache with an ID.
class BoardAccessible : public QAccessibleInterface
{
public:
    BoardAccessible(TopologyView *view, const QString &boardId)
        : m_view(view)
        , m_id(boardId)
    {}

    bool isValid() const override { return item() != nullptr; }
    QObject *object() const override { return nullptr; }
    QWindow *window() const override { return m_view ? m_view->window()->windowHandle() : nullptr; }
    QAccessibleInterface *parent() const override
    {
        return m_view ? QAccessible::queryAccessibleInterface(m_view.data()) : nullptr;
    }
    QAccessibleInterface *child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }

    QString text(QAccessible::Text t) const override
    {
        const BoardItem *board = item();
        if (!board)
            return {};
        switch (t) {
        case QAccessible::Name:
            return m_view->topologyScene()->spokenName(m_id);
        case QAccessible::Description:
            return board->spokenDescription();
        default:
            return {};
        }
    }
    void setText(QAccessible::Text, const QString &) override {}

    QRect rect() const override
    {
        const BoardItem *board = item();
        if (!board)
            return {};
        const QRect inView = m_view->mapFromScene(board->sceneBoundingRect()).boundingRect();
        return QRect(m_view->viewport()->mapToGlobal(inView.topLeft()), inView.size());
    }
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override
    {
        QAccessible::State s;
        const BoardItem *board = item();
        if (!board) {
            s.invalid = true;
            return s;
        }
        s.focusable = true;
        s.selectable = true;
        s.multiSelectable = true;
        s.selected = board->isSelected();
        s.focused = board->hasFocus() && m_view->hasFocus();
        const QRect inView = m_view->mapFromScene(board->sceneBoundingRect()).boundingRect();
        s.offscreen = !m_view->viewport()->rect().intersects(inView);
        return s;
    }

private:
    BoardItem *item() const { return m_view ? m_view->topologyScene()->boardItem(m_id) : nullptr; }

    QPointer<TopologyView> m_view;
    QString m_id;
};

QAccessibleInterface *canvasFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String(TopologyView::staticMetaObject.className())) {
        if (auto *view = qobject_cast<TopologyView *>(object))
            return new CanvasAccessible(view);
    }
    return nullptr;
}

void post(QAccessibleInterface *card, QAccessible::Event type)
{
    QAccessibleEvent event(card, type);
    QAccessible::updateAccessibility(&event);
}

} // namespace

CanvasAccessible::CanvasAccessible(TopologyView *view)
    : QAccessibleWidget(view, QAccessible::List)
{
    // The view is the context: it outlives this interface (the cache deletes us when it goes),
    // and the destructor drops the connections for an earlier deletion.
    TopologyScene *scene = view->topologyScene();
    m_connections << QObject::connect(scene, &TopologyScene::boardItemAdded, view,
                                      [this](const QString &id) { onBoardAdded(id); })
                  << QObject::connect(scene, &TopologyScene::boardItemAboutToBeRemoved, view,
                                      [this](const QString &id) { onBoardAboutToBeRemoved(id); })
                  << QObject::connect(scene, &TopologyScene::boardItemChanged, view,
                                      [this](const QString &id) { announceChanges(id); })
                  << QObject::connect(scene, &QGraphicsScene::selectionChanged, view,
                                      [this]() { announceChanges(QString()); })
                  << QObject::connect(scene, &QGraphicsScene::focusItemChanged, view,
                                      [this]() { onFocusItemChanged(); });
}

CanvasAccessible::~CanvasAccessible()
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        QObject::disconnect(c);
    for (QAccessible::Id id : std::as_const(m_boards))
        QAccessible::deleteAccessibleInterface(id);
}

CanvasAccessible::Spoken CanvasAccessible::spoken(QAccessibleInterface *card)
{
    const QAccessible::State state = card->state();
    return {card->text(QAccessible::Name), card->text(QAccessible::Description),
            bool(state.selected), bool(state.focused)};
}

bool CanvasAccessible::toolListens() const
{
    return m_asked || QAccessible::isActive();
}

void CanvasAccessible::onBoardAdded(const QString &boardId)
{
    if (!toolListens())
        return;
    if (QAccessibleInterface *card = boardInterface(boardId))
        post(card, QAccessible::ObjectCreated);
}

void CanvasAccessible::onBoardAboutToBeRemoved(const QString &boardId)
{
    m_spoken.remove(boardId);
    const auto known = m_boards.constFind(boardId);
    if (known == m_boards.cend())
        return; // no tool has met this card
    const QAccessible::Id id = known.value();
    m_boards.erase(known);
    // Told while the card is still there, so the tool can still find its place in the list.
    if (QAccessibleInterface *card = QAccessible::accessibleInterface(id))
        post(card, QAccessible::ObjectDestroyed);
    QAccessible::deleteAccessibleInterface(id);
}

void CanvasAccessible::announceChanges(const QString &boardId)
{
    const QStringList ids = boardId.isEmpty() ? m_spoken.keys() : QStringList{boardId};
    for (const QString &id : ids) {
        const auto was = m_spoken.find(id);
        QAccessibleInterface *card = QAccessible::accessibleInterface(m_boards.value(id));
        if (was == m_spoken.end() || !card || !card->isValid())
            continue;
        const Spoken now = spoken(card);
        if (now.name.isEmpty())
            continue; // its board left the lab: the card is about to go
        if (now.name != was->name)
            post(card, QAccessible::NameChanged);
        if (now.description != was->description)
            post(card, QAccessible::DescriptionChanged);
        QAccessible::State changed;
        changed.selected = now.selected != was->selected;
        changed.focused = now.focused != was->focused;
        if (changed.selected || changed.focused) {
            QAccessibleStateChangeEvent event(card, changed);
            QAccessible::updateAccessibility(&event);
        }
        *was = now;
    }
}

void CanvasAccessible::onFocusItemChanged()
{
    // Screen readers follow the focused card (the items themselves have no widget).
    const auto *board = qgraphicsitem_cast<BoardItem *>(view()->topologyScene()->focusItem());
    if (board && view()->hasFocus() && toolListens()) {
        if (QAccessibleInterface *card = boardInterface(board->boardId()))
            post(card, QAccessible::Focus);
    }
    announceChanges(QString());
}

void CanvasAccessible::install()
{
    static bool installed = false;
    if (installed)
        return;
    installed = true;
    QAccessible::installFactory(canvasFactory);
}

TopologyView *CanvasAccessible::view() const
{
    return static_cast<TopologyView *>(widget());
}

QAccessibleInterface *CanvasAccessible::boardInterface(const QString &boardId) const
{
    if (!view()->topologyScene()->boardItem(boardId))
        return nullptr;
    if (QAccessibleInterface *known = QAccessible::accessibleInterface(m_boards.value(boardId)))
        return known;
    auto *iface = new BoardAccessible(view(), boardId);
    m_boards.insert(boardId, QAccessible::registerAccessibleInterface(iface));
    m_spoken.insert(boardId, spoken(iface));
    return iface;
}

int CanvasAccessible::childCount() const
{
    return int(view()->topologyScene()->boardsInVisualOrder().size());
}

QAccessibleInterface *CanvasAccessible::child(int index) const
{
    m_asked = true;
    const QStringList order = view()->topologyScene()->boardsInVisualOrder();
    return index >= 0 && index < order.size() ? boardInterface(order.at(index)) : nullptr;
}

int CanvasAccessible::indexOfChild(const QAccessibleInterface *child) const
{
    const QStringList order = view()->topologyScene()->boardsInVisualOrder();
    for (int i = 0; i < order.size(); ++i) {
        if (QAccessible::accessibleInterface(m_boards.value(order.at(i))) == child)
            return i;
    }
    return -1;
}

QAccessibleInterface *CanvasAccessible::focusChild() const
{
    m_asked = true;
    const BoardItem *item = view()->topologyScene()->currentBoardItem();
    return item ? boardInterface(item->boardId()) : nullptr;
}

QAccessibleInterface *CanvasAccessible::childAt(int x, int y) const
{
    m_asked = true;
    const QPoint local = view()->viewport()->mapFromGlobal(QPoint(x, y));
    const auto items = view()->items(local);
    for (QGraphicsItem *item : items) {
        if (auto *board = qgraphicsitem_cast<BoardItem *>(item))
            return boardInterface(board->boardId());
    }
    return nullptr;
}

} // namespace Hivelab
