// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labtypes.h"
#include "snapshotitem.h"

#include <QColor>

namespace Hivelab {

/// A board card on the topology canvas. Holds a copy of what it draws, never model pointers.
class BoardItem : public SnapshotItem
{
public:
    enum { Type = UserType + 2 };

    explicit BoardItem(const QString &boardId);

    int type() const override { return Type; }
    QString boardId() const { return m_id; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;

    /// Copies the displayed fields; modelName is the catalog's name (or the model ID).
    void setBoard(const Board &board, const QString &modelName);
    void setState(NodeState state);
    /// "drain" or "pause" shows a tag on the card; anything else shows nothing.
    void setAvailability(const QString &availability);
    QString availability() const { return m_availability; }
    /// The swarm's leading manager: a ring around the badge and a "leader" tag.
    void setLeader(bool leader);
    bool isLeader() const { return m_leader; }
    /// Room kept free at the right end of the card's second line (service chips).
    void setSubtitleReserve(qreal width);
    /// No badge when findings is empty.
    void setFindings(Severity worst, const QStringList &messages);

    QString name() const { return m_name; }
    /// The state in words ("in the swarm", "offline"), as the tooltip and screen readers say it.
    static QString stateText(NodeState state);
    /// Pictures of card shapes kept for cards painted directly (tests).
    static int shapePictureCount();
    /// What a screen reader says after the name, rack and state: leader, drained, findings;
    /// and the description: model, OS, address, the findings' messages.
    QString spokenExtras() const;
    QString spokenDescription() const;
    Role role() const { return m_role; }
    NodeState state() const { return m_state; }
    bool hasBadge() const { return m_hasBadge; }

protected:
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    /// Mid-zoom without a snapshot to scale: shapes and colours, no text.
    void paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      bool zooming) override;
    /// A far-zoom snapshot (a plain block) is not stretched over a scale that shows details.
    int detailClass(qreal lod) const override;

private:
    struct Pill
    {
        QString text;
        QColor colour;
        QRectF rect;
    };
    void updateToolTip();
    /// The bottom row's tags (arch, storage, leader, drained/paused) and where they go.
    QList<Pill> pills() const;
    /// Everything but the text and the focus ring.
    void paintShapes(QPainter *painter, bool selected, bool far, const QList<Pill> &pills) const;
    /// paintShapes() from a picture shared by the cards of one look at the painter's scale;
    /// false when the painter is not at a plain scale and whole device pixels.
    bool paintCachedShapes(QPainter *painter, bool selected, bool far,
                           const QList<Pill> &pills) const;

    QString m_id;
    QString m_name;
    QString m_modelName;
    QString m_os;
    QString m_arch;
    QString m_address;
    QString m_port;
    QString m_storage;
    Role m_role = Role::Unassigned;
    NodeState m_state = NodeState::Unknown;
    QString m_availability;
    bool m_leader = false;
    bool m_hasBadge = false;
    Severity m_badge = Severity::Info;
    QStringList m_findings;
    qreal m_subtitleReserve = 0;
};

} // namespace Hivelab
