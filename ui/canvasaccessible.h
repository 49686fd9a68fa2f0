// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAccessibleWidget>
#include <QHash>

namespace Hivelab {

class TopologyView;

/// What a screen reader sees of the canvas: the view as a list whose items are the board
/// cards, each with its name, role, rack, slot and state (QGraphicsItems have no
/// accessibility of their own). Installed as an accessibility factory by TopologyView.
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
    mutable QHash<QString, QAccessible::Id> m_boards;
};

} // namespace Hivelab
