// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "snapshotitem.h"

namespace Hivelab {

/// A network switch: name, ports used / total and one indicator per port.
class SwitchItem : public SnapshotItem
{
public:
    enum { Type = UserType + 4 };

    explicit SwitchItem(const QString &switchId);

    int type() const override { return Type; }
    QString switchId() const { return m_id; }
    QRectF boundingRect() const override;

    /// usedPorts: 1-based port numbers in use; boardsWithoutPort count boards on it, port unknown.
    void setPorts(const QString &name, int portCount, const QList<int> &usedPorts,
                  int boardsWithoutPort);
    void setFindings(Severity worst, const QStringList &messages);
    void setHighlighted(bool highlighted);

    int usedCount() const { return int(m_used.size()) + m_withoutPort; }
    bool hasBadge() const { return !m_findings.isEmpty(); }

protected:
    void paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      bool zooming) override;

private:
    QString m_id;
    QString m_name;
    int m_ports = 0;
    QList<int> m_used;
    int m_withoutPort = 0;
    Severity m_badge = Severity::Info;
    QStringList m_findings;
    bool m_highlighted = false;
};

} // namespace Hivelab
