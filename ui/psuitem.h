// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "snapshotitem.h"

namespace Hivelab {

/// A power supply: name and a load-versus-rating bar (peak draw from the board catalog).
class PsuItem : public SnapshotItem
{
public:
    enum { Type = UserType + 3 };

    explicit PsuItem(const QString &psuId);

    int type() const override { return Type; }
    QString psuId() const { return m_id; }
    QRectF boundingRect() const override;

    /// unknownBoards: fed boards whose model the catalog does not know (not in loadWatts).
    void setLoad(const QString &name, double loadWatts, double ratingWatts, int unknownBoards);
    void setFindings(Severity worst, const QStringList &messages);
    void setHighlighted(bool highlighted);

    double loadWatts() const { return m_load; }
    bool hasBadge() const { return !m_findings.isEmpty(); }

protected:
    void paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                      bool zooming) override;

private:
    void updateToolTip();

    QString m_id;
    QString m_name;
    double m_load = 0;
    double m_rating = 0;
    int m_unknown = 0;
    Severity m_badge = Severity::Info;
    QStringList m_findings;
    bool m_highlighted = false;
};

} // namespace Hivelab
