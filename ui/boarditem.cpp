// SPDX-License-Identifier: GPL-3.0-or-later
#include "boarditem.h"

#include "canvasmetrics.h"
#include "perapplication.h"
#include "theme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHash>
#include <QMetaEnum>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionGraphicsItem>
#include <QTimer>

#include <cmath>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <memory>

namespace Hivelab {

using namespace CanvasMetrics;

namespace {
// The pictures of card shapes (paintCachedShapes) serve cards painted directly; a card otherwise
// blits its own snapshot. They go once none has been drawn for a while (every card on screen
// blitted, the window idle): up to 64 card-sized pictures, 4 MB at 100 %, were kept for good.
struct ShapePictures
{
    QHash<QString, QPixmap> byLook;
    QTimer unused;
};

ShapePictures &shapePictures()
{
    return *perApplication([] {
        auto pictures = std::make_unique<ShapePictures>();
        pictures->unused.setSingleShot(true);
        pictures->unused.setInterval(2000);
        QObject::connect(&pictures->unused, &QTimer::timeout, [byLook = &pictures->byLook] {
            byLook->clear();
#ifdef __GLIBC__
            malloc_trim(0); // freed in the middle of the heap: returned to the system
#endif
        });
        return pictures;
    });
}

// Below this level of detail a card is a tinted block: its text would be unreadable.
constexpr qreal FarLod = 0.4;

// Fonts and metrics built once: constructing them per card per frame dominated zoom frames.
struct CardFonts
{
    QFont name;
    QFont small;
    QFont pill;
    QFont badge;
    QFont bang;
    QFontMetricsF nameMetrics;
    QFontMetricsF smallMetrics;
    QFontMetricsF pillMetrics;
};

QFont font(qreal pointSize, bool bold = false)
{
    QFont f = QApplication::font();
    f.setPointSizeF(pointSize);
    f.setBold(bold);
    return f;
}

const CardFonts &fonts()
{
    return perApplication([] {
        return CardFonts{font(10, true),         font(8),
                         font(7.5, true),        font(9.5, true),
                         font(7, true),          QFontMetricsF(font(10, true)),
                         QFontMetricsF(font(8)), QFontMetricsF(font(7.5, true))};
    });
}

} // namespace

int BoardItem::shapePictureCount()
{
    return int(shapePictures().byLook.size());
}

QString BoardItem::stateText(NodeState state)
{
    switch (state) {
    case NodeState::SwarmReady:
        return QCoreApplication::translate("BoardItem", "in the swarm");
    case NodeState::DockerReady:
        return QCoreApplication::translate("BoardItem", "Docker ready");
    case NodeState::Reachable:
        return QCoreApplication::translate("BoardItem", "reachable over SSH");
    case NodeState::SwarmDown:
        return QCoreApplication::translate("BoardItem", "swarm node down");
    case NodeState::Offline:
        return QCoreApplication::translate("BoardItem", "offline");
    case NodeState::Unknown:
        break;
    }
    return QCoreApplication::translate("BoardItem", "not checked yet");
}

namespace {

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1000LL * 1000 * 1000 * 1000)
        return QStringLiteral("%1 TB").arg(std::round(bytes / 1e11) / 10.0);
    return QStringLiteral("%1 GB").arg(std::round(bytes / 1e8) / 10.0);
}

QPainterPath hexagon(const QPointF &c, qreal r)
{
    QPainterPath p;
    for (int i = 0; i < 6; ++i) {
        const qreal a = M_PI / 3 * i + M_PI / 6;
        const QPointF pt(c.x() + r * std::cos(a), c.y() + r * std::sin(a));
        if (i == 0)
            p.moveTo(pt);
        else
            p.lineTo(pt);
    }
    p.closeSubpath();
    return p;
}
} // namespace

BoardItem::BoardItem(const QString &boardId)
    : SnapshotItem(Alignment::Rounded)
    , m_id(boardId)
{
    setFlags(ItemIsSelectable | ItemIsMovable | ItemIsFocusable);
    setZValue(1);
    setAcceptHoverEvents(false);
}

QRectF BoardItem::boundingRect() const
{
    return QRectF(-3, -3, CardWidth + 6, CardHeight + 6);
}

QPainterPath BoardItem::shape() const
{
    QPainterPath p;
    p.addRoundedRect(QRectF(0, 0, CardWidth, CardHeight), 7, 7);
    return p;
}

void BoardItem::setBoard(const Board &board, const QString &modelName)
{
    m_name = board.name;
    m_modelName = modelName;
    m_os = board.os;
    m_arch = board.arch;
    m_address = board.ip.isEmpty() ? board.hostname : board.ip;
    m_port = board.switchPort > 0
                 ? QCoreApplication::translate("BoardItem", "port %1").arg(board.switchPort)
                 : QString();
    qint64 bytes = 0;
    for (const StorageDevice &s : board.storage)
        bytes += s.sizeBytes;
    m_storage = board.hasStorage() ? formatBytes(bytes) : QString();
    m_role = board.role;
    updateToolTip();
    contentChanged();
}

void BoardItem::setState(NodeState state)
{
    if (m_state == state)
        return;
    m_state = state;
    updateToolTip();
    contentChanged();
}

void BoardItem::setAvailability(const QString &availability)
{
    if (m_availability == availability)
        return;
    m_availability = availability;
    updateToolTip();
    contentChanged();
}

void BoardItem::setLeader(bool leader)
{
    if (m_leader == leader)
        return;
    m_leader = leader;
    updateToolTip();
    contentChanged();
}

void BoardItem::setFindings(Severity worst, const QStringList &messages)
{
    const bool has = !messages.isEmpty();
    if (has == m_hasBadge && worst == m_badge && messages == m_findings)
        return;
    m_hasBadge = has;
    m_badge = worst;
    m_findings = messages;
    updateToolTip();
    contentChanged();
}

QString BoardItem::spokenExtras() const
{
    QStringList parts;
    if (m_leader)
        parts << QCoreApplication::translate("BoardItem", "swarm leader");
    if (m_availability == QLatin1String("drain"))
        parts << QCoreApplication::translate("BoardItem", "drained");
    else if (m_availability == QLatin1String("pause"))
        parts << QCoreApplication::translate("BoardItem", "paused");
    if (m_hasBadge)
        parts << (m_badge == Severity::Error
                      ? QCoreApplication::translate("BoardItem", "has errors")
                      : QCoreApplication::translate("BoardItem", "has warnings"));
    return parts.join(QStringLiteral(", "));
}

QString BoardItem::spokenDescription() const
{
    QStringList parts;
    for (const QString &part : {m_modelName, m_os, m_arch, m_storage, m_address, m_port}) {
        if (!part.isEmpty())
            parts << part;
    }
    parts += m_findings;
    return parts.join(QStringLiteral(". "));
}

void BoardItem::focusInEvent(QFocusEvent *event)
{
    QGraphicsItem::focusInEvent(event);
    update(); // the cached card gains its focus ring
}

void BoardItem::focusOutEvent(QFocusEvent *event)
{
    QGraphicsItem::focusOutEvent(event);
    update();
}

void BoardItem::updateToolTip()
{
    QString tip = QStringLiteral("<b>%1</b> — %2<br>%3 · %4<br>%5: %6")
                      .arg(m_name.toHtmlEscaped(), roleName(m_role), m_modelName.toHtmlEscaped(),
                           m_os.toHtmlEscaped(), QCoreApplication::translate("BoardItem", "State"),
                           stateText(m_state));
    if (m_leader)
        tip += QCoreApplication::translate("BoardItem", ", swarm leader");
    if (m_availability == QLatin1String("drain"))
        tip += QCoreApplication::translate("BoardItem", " (drained: no tasks run here)");
    else if (m_availability == QLatin1String("pause"))
        tip += QCoreApplication::translate("BoardItem", " (paused: no new tasks)");
    if (!m_address.isEmpty())
        tip += QStringLiteral("<br>") + m_address.toHtmlEscaped();
    for (const QString &m : m_findings)
        tip += QStringLiteral("<br>⚠ ") + m.toHtmlEscaped();
    setToolTip(tip);
}

int BoardItem::detailClass(qreal lod) const
{
    return lod < FarLod ? 0 : 1;
}

QList<BoardItem::Pill> BoardItem::pills() const
{
    QList<Pill> out;
    const QFontMetricsF &pfm = fonts().pillMetrics;
    qreal x = 48;
    auto add = [&](const QString &text, const QColor &colour) {
        const qreal w = pfm.horizontalAdvance(text) + 12;
        out.append({text, colour, QRectF(x, 44, w, 15)});
        x += w + 5;
    };
    if (!m_arch.isEmpty())
        add(m_arch, Theme::archColor(m_arch));
    if (!m_storage.isEmpty())
        add(m_storage, Theme::storageColor());
    if (m_leader)
        add(QCoreApplication::translate("BoardItem", "leader"), Theme::leaderColor());
    // Drained/paused: the swarm schedules nothing (new) here. Words, not colour alone.
    if (m_availability == QLatin1String("drain"))
        add(QCoreApplication::translate("BoardItem", "drained"), Theme::availabilityColor());
    else if (m_availability == QLatin1String("pause"))
        add(QCoreApplication::translate("BoardItem", "paused"), Theme::availabilityColor());
    return out;
}

void BoardItem::paintShapes(QPainter *painter, bool selected, bool far,
                            const QList<Pill> &pills) const
{
    const QRectF r(0, 0, CardWidth, CardHeight);
    const QColor roleColour = Theme::roleColor(m_role);
    painter->setRenderHint(QPainter::Antialiasing);

    QPainterPath card;
    card.addRoundedRect(r, 7, 7);
    painter->setPen(QPen(selected ? Theme::accent() : Theme::cardBorder(), selected ? 2.5 : 1));
    painter->setBrush(Theme::cardFill());
    painter->drawPath(card);

    // Role stripe, clipped to the card's rounded corner.
    painter->save();
    painter->setClipPath(card);
    painter->fillRect(QRectF(0, 0, 5, CardHeight), roleColour);
    painter->restore();

    if (far) {
        // Far zoom: a tinted block per board is all the eye can read.
        QColor tint = roleColour;
        tint.setAlpha(90);
        painter->fillRect(r.adjusted(5, 1, -1, -1), tint);
        return;
    }

    // Role badge: shape and letter, so it reads without colour.
    const QPointF bc(27, 22);
    painter->setPen(Qt::NoPen);
    painter->setBrush(roleColour);
    if (m_role == Role::Manager) {
        if (m_leader) {
            // Leader: a second, outer ring (shape, not colour alone) plus the tag below.
            painter->save();
            painter->setBrush(Qt::NoBrush);
            painter->setPen(QPen(roleColour, 2));
            painter->drawPath(hexagon(bc, 17.5));
            painter->restore();
        }
        painter->drawPath(hexagon(bc, 13));
    } else if (m_role == Role::Worker) {
        painter->drawEllipse(bc, 11.5, 11.5);
    } else {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(roleColour, 1.5, Qt::DashLine));
        painter->drawRoundedRect(QRectF(bc.x() - 11, bc.y() - 11, 22, 22), 4, 4);
    }

    // State LED: a shape per state, not colour alone.
    Theme::drawStateLed(painter, QPointF(CardWidth - 14, 14), 5.5, m_state,
                        m_availability == QLatin1String("drain") ||
                            m_availability == QLatin1String("pause"));

    if (m_hasBadge) {
        const QPointF c(CardWidth - 34, 14);
        QPainterPath tri;
        tri.moveTo(c.x(), c.y() - 7);
        tri.lineTo(c.x() + 7.5, c.y() + 6);
        tri.lineTo(c.x() - 7.5, c.y() + 6);
        tri.closeSubpath();
        // Outlined in the badge letter's colour (the pen the letter left behind, as before).
        painter->setPen(m_role == Role::Unassigned ? Theme::mutedText()
                                                   : Theme::roleBadgeText(m_role));
        painter->setBrush(Theme::severityColor(m_badge));
        painter->drawPath(tri);
    }

    // Bottom row: arch pill, storage pill, leader and availability tags.
    painter->setPen(Qt::NoPen);
    for (const Pill &pill : pills) {
        painter->setBrush(pill.colour);
        painter->drawRoundedRect(pill.rect, 7.5, 7.5);
    }
}

bool BoardItem::paintCachedShapes(QPainter *painter, bool selected, bool far,
                                  const QList<Pill> &pills) const
{
    // The card's shapes (border, stripe, badge, LED, pills) are the same picture for every card
    // of one look at one scale, and cards are drawn at whole device pixels (SnapshotItem's
    // Rounded alignment): one picture per look and scale, blitted. Stroking the rounded border
    // alone cost half a card's paint (valgrind --tool=callgrind on tests/bench/bench_canvas).
    // World, not device, transform: a grab of part of a widget adds a redirection offset
    // that the identity world transform below keeps.
    const qreal dpr = painter->device()->devicePixelRatioF();
    const QTransform device = painter->worldTransform() * QTransform::fromScale(dpr, dpr);
    if (device.type() > QTransform::TxScale || device.m11() <= 0 ||
        !qFuzzyCompare(device.m11(), device.m22()))
        return false;
    const QRectF bounds = boundingRect();
    const QPointF origin = device.map(bounds.topLeft());
    const QPointF whole(std::round(origin.x()), std::round(origin.y()));
    if (qAbs(origin.x() - whole.x()) > 1.0 / 512 || qAbs(origin.y() - whole.y()) > 1.0 / 512)
        return false;
    const qreal scale = device.m11();
    const QSize size(int(std::ceil(bounds.width() * scale)),
                     int(std::ceil(bounds.height() * scale)));
    if (size.width() > 1024 || size.height() > 1024)
        return false; // zoomed far in: few cards on screen, not worth keeping

    QString key;
    key.reserve(64);
    key += QString::number(scale, 'g', 10);
    key += QLatin1Char('|') + QString::number(int(m_role)) + QString::number(int(m_state)) +
           QString::number(int(m_badge)) + QLatin1Char(m_hasBadge ? 'b' : '-') +
           QLatin1Char(m_leader ? 'l' : '-') + QLatin1Char(selected ? 's' : '-') +
           QLatin1Char(far ? 'f' : '-') + QLatin1Char(Theme::isDark() ? 'd' : '-') +
           QLatin1Char('|') + m_availability;
    for (const Pill &pill : pills)
        key += QLatin1Char('|') + pill.text;

    ShapePictures &pictures = shapePictures();
    pictures.unused.start();
    auto &cache = pictures.byLook;
    auto it = cache.constFind(key);
    if (it == cache.constEnd()) {
        if (cache.size() >= 64)
            cache.clear(); // another scale: the old ones are not drawn again soon
        QPixmap picture(size);
        picture.fill(Qt::transparent);
        QPainter p(&picture);
        p.setRenderHints(painter->renderHints());
        p.scale(scale, scale);
        p.translate(-bounds.topLeft());
        paintShapes(&p, selected, far, pills);
        p.end();
        it = cache.insert(key, picture);
    }
    QPixmap picture = *it;
    picture.setDevicePixelRatio(dpr);
    painter->save();
    painter->setWorldTransform(QTransform());
    painter->drawPixmap(whole / dpr, picture);
    painter->restore();
    return true;
}

void BoardItem::paintContent(QPainter *painter, const QStyleOptionGraphicsItem *option, qreal lod,
                             bool zooming)
{
    // Text at a new size every frame means new glyphs to rasterise every frame, most of a zoom
    // frame's cost: mid-zoom without a snapshot (zooming in from the overview) the card is its
    // shapes and colours, its text comes back when the zoom settles.
    const bool withText = !zooming;
    const QRectF r(0, 0, CardWidth, CardHeight);
    const bool selected = option->state & QStyle::State_Selected;
    const bool far = lod < FarLod;
    const QList<Pill> pillList = far ? QList<Pill>() : pills();
    if (!paintCachedShapes(painter, selected, far, pillList))
        paintShapes(painter, selected, far, pillList);
    painter->setRenderHint(QPainter::Antialiasing);
    if (option->state & QStyle::State_HasFocus) {
        // Keyboard focus: a dashed ring outside the card, besides the selection's border.
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(Theme::accent(), 1.2, Qt::DashLine));
        painter->drawRoundedRect(r.adjusted(-2.5, -2.5, 2.5, 2.5), 9, 9);
    }
    if (far || !withText)
        return;

    // The text, over the shapes (no text is covered by a shape drawn after it).
    const CardFonts &cf = fonts();
    const QPointF bc(27, 22);
    painter->setFont(cf.badge);
    painter->setPen(m_role == Role::Unassigned ? Theme::mutedText() : Theme::roleBadgeText(m_role));
    const QString letter = m_role == Role::Manager  ? QStringLiteral("M")
                           : m_role == Role::Worker ? QStringLiteral("W")
                                                    : QStringLiteral("?");
    drawText(painter, QRectF(bc.x() - 12, bc.y() - 12, 24, 24), Qt::AlignCenter, letter);

    qreal nameRight = CardWidth - 26;
    if (m_hasBadge) {
        const QPointF c(CardWidth - 34, 14);
        painter->setPen(Theme::severityBadgeText(m_badge));
        painter->setFont(cf.bang);
        drawText(painter, QRectF(c.x() - 5, c.y() - 5, 10, 11), Qt::AlignCenter,
                 QStringLiteral("!"));
        nameRight -= 20;
    }

    const qreal textX = 48;
    painter->setFont(cf.name);
    painter->setPen(Theme::text());
    const QFontMetricsF &nfm = cf.nameMetrics;
    drawText(painter, QRectF(textX, 5, nameRight - textX, 20), Qt::AlignLeft | Qt::AlignVCenter,
             nfm.elidedText(m_name, Qt::ElideRight, nameRight - textX));

    const QFontMetricsF &sfm = cf.smallMetrics;
    painter->setFont(cf.small);
    painter->setPen(Theme::mutedText());
    QStringList subParts;
    for (const QString &part : {m_modelName, m_os}) {
        if (!part.isEmpty())
            subParts << part;
    }
    const QString sub = subParts.join(QStringLiteral(" · "));
    const qreal subWidth = CardWidth - textX - 8 - m_subtitleReserve;
    drawText(painter, QRectF(textX, 24, subWidth, 16), Qt::AlignLeft | Qt::AlignVCenter,
             sfm.elidedText(sub, Qt::ElideRight, subWidth));

    painter->setFont(cf.pill);
    painter->setPen(Theme::pillText());
    qreal x = textX;
    for (const Pill &pill : pillList) {
        drawText(painter, pill.rect, Qt::AlignCenter, pill.text);
        x = pill.rect.right() + 5;
    }
    if (!m_port.isEmpty() && x < CardWidth - 40) {
        painter->setFont(cf.small);
        painter->setPen(Theme::mutedText());
        drawText(painter, QRectF(x, 43, CardWidth - 10 - x, 17), Qt::AlignRight | Qt::AlignVCenter,
                 m_port);
    }
}

void BoardItem::setSubtitleReserve(qreal width)
{
    if (qFuzzyCompare(1 + width, 1 + m_subtitleReserve))
        return;
    m_subtitleReserve = width;
    contentChanged(); // the cached card is redrawn with the new width
}

} // namespace Hivelab
