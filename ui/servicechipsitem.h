// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "stackplacement.h"

#include <QGraphicsItem>
#include <QList>
#include <QString>

namespace Hivelab {

/// The swarm services running on one board, as chips on its card (a child of the BoardItem,
/// right-aligned on the card's second line): one chip per service, at most MaxChips and a
/// "+N". The tooltip names each service with its tasks here and its replicas in the swarm.
/// Holds copies of what it shows; the scene feeds it from LabDocument::serviceTasks().
class ServiceChipsItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 20 };
    static constexpr int MaxChips = 2;

    explicit ServiceChipsItem(QGraphicsItem *card);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    /// One service on this board.
    struct Chip
    {
        QString service;
        QString label; // the name without its stack's prefix
        int here = 0;  // tasks of the service on this board
        int runningHere = 0;
        int replicas = 0;   // tasks meant to run in the whole swarm
        int running = 0;    // of those, running
        QStringList states; // the states of the tasks here ("running", "pending", …)
        bool operator==(const Chip &o) const
        {
            return service == o.service && label == o.label && here == o.here &&
                   runningHere == o.runningHere && replicas == o.replicas && running == o.running &&
                   states == o.states;
        }
        bool operator!=(const Chip &o) const { return !(*this == o); }
    };
    /// `boardTasks`: the tasks on this board; `allTasks`: every task (for the replica counts).
    /// Returns the width the chips take (0: none), so the card can leave room.
    qreal setTasks(const QList<StackPlacement::ServiceTask> &boardTasks,
                   const QList<StackPlacement::ServiceTask> &allTasks);
    QList<Chip> chips() const { return m_chips; }

private:
    QList<Chip> m_chips;
    qreal m_width = 0;
};

} // namespace Hivelab
