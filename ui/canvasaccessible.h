// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAccessibleWidget>
#include <QHash>

namespace Hivelab {

class TopologyView;

/// What a screen reader sees of the canvas: the view as a list whose items are the board
/// cards, each with its name, role, rack, slot and state (QGraphicsItems have no
/// accessibility of their own). Installed as an accessibility factory by TopologyView.
/// Once a tool listens (a screen reader is active, or something asked for the cards) it posts
/// the cards' changes: created and destroyed, name, description, selection and focus.
/// GUI thread.
class CanvasAccessible : public QAccessibleWidget
{
public:
    explicit CanvasAccessible(TopologyView *view);
    ~CanvasAccessible() override;
    Q_DISABLE_COPY_MOVE(CanvasAccessible)

    /// Registers the factory once; later calls do nothing.
    static void install();

    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *focusChild() const override;
    QAccessibleInterface *childAt(int x, int y) const override;

    /// The card of a board (nullptr for a board the canvas does not show).
    QAccessibleInterface *boardInterface(const QString &boardId) const;
    TopologyView *view() const;

private:
    /// What a card said when last told: a change to it is announced.
    struct Spoken
    {
        QString name;
        QString description;
        bool selected = false;
        bool focused = false;
    };
    static Spoken spoken(QAccessibleInterface *card);
    void onBoardAdded(const QString &boardId);
    void onBoardAboutToBeRemoved(const QString &boardId);
    /// Posts what changed on one card (an empty ID: on every card a tool has met).
    void announceChanges(const QString &boardId);
    void onFocusItemChanged();
    /// Whether anyone hears events: without a screen reader or a tool that asked for the cards,
    /// a big lab's cards get no interfaces (each rebuild would make them all).
    bool toolListens() const;

    mutable QHash<QString, QAccessible::Id> m_boards;
    mutable QHash<QString, Spoken> m_spoken;
    mutable bool m_asked = false; // a tool asked for a card
    QList<QMetaObject::Connection> m_connections;
};

} // namespace Hivelab
