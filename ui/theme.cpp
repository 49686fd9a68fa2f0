// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include "perapplication.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QPointer>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyleOption>
#include <QSvgRenderer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <memory>

namespace Hivelab {

bool Theme::s_dark = false;

namespace {
QHash<QString, QIcon> &iconCache()
{
    return perApplication([] { return QHash<QString, QIcon>(); });
}

// A tinted icon as Theme::renderAhead() started it on the thread pool, by aheadKey().
QHash<QString, QFuture<QImage>> &renderedAhead()
{
    return perApplication([] { return QHash<QString, QFuture<QImage>>(); });
}

int s_takenAhead = 0;

QString aheadKey(const QString &name, const QByteArray &colour, const QSize &size)
{
    return QStringLiteral("%1 %2 %3x%4")
        .arg(name, QLatin1String(colour))
        .arg(size.width())
        .arg(size.height());
}

QByteArray iconSvg(const QString &name)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The SVG with its `currentColor` strokes in `colour`, at `size` device pixels. Any thread.
QImage renderTinted(const QByteArray &svg, const QByteArray &colour, const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    if (!size.isEmpty()) {
        QSvgRenderer renderer(QByteArray(svg).replace("currentColor", colour));
        QPainter painter(&image);
        renderer.render(&painter);
    }
    return image;
}

// An icon engine that paints the pixmap it makes for the device's pixel ratio.
class PixmapIconEngine : public QIconEngine
{
public:
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal dpr = painter->device()->devicePixelRatioF();
        QPixmap pm = pixmap(rect.size() * dpr, mode, state);
        pm.setDevicePixelRatio(dpr);
        painter->drawPixmap(rect, pm);
    }
};

// An SVG icon tinted with the theme's text colours, rendered at a size only when a widget asks
// for it (and kept): rendering every icon at five sizes in two colours up front was a fifth of
// the start-up's work.
class TintedSvgIconEngine : public PixmapIconEngine
{
public:
    TintedSvgIconEngine(const QString &name, const QByteArray &svg, const QByteArray &normal,
                        const QByteArray &disabled)
        : m_name(name)
        , m_svg(svg)
        , m_normal(normal)
        , m_disabled(disabled)
    {}

    QIconEngine *clone() const override { return new TintedSvgIconEngine(*this); }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override
    {
        const bool disabled = mode == QIcon::Disabled;
        const quint64 key = (quint64(quint32(size.width())) << 32) | quint32(size.height());
        QHash<quint64, QPixmap> &cache = disabled ? m_disabledPixmaps : m_normalPixmaps;
        const auto it = cache.constFind(key);
        if (it != cache.constEnd())
            return *it;
        const QByteArray &colour = disabled ? m_disabled : m_normal;
        const QFuture<QImage> ahead = renderedAhead().take(aheadKey(m_name, colour, size));
        if (ahead.isValid())
            ++s_takenAhead;
        const QPixmap pm = QPixmap::fromImage(ahead.isValid() ? ahead.result()
                                                              : renderTinted(m_svg, colour, size));
        cache.insert(key, pm);
        return pm;
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QList<QSize> availableSizes(QIcon::Mode, QIcon::State) override
    {
        return {QSize(16, 16), QSize(24, 24), QSize(32, 32), QSize(48, 48), QSize(64, 64)};
    }
    bool isNull() override { return m_svg.isEmpty(); }

private:
    QString m_name;
    QByteArray m_svg;
    QByteArray m_normal;
    QByteArray m_disabled;
    QHash<quint64, QPixmap> m_normalPixmaps;
    QHash<quint64, QPixmap> m_disabledPixmaps;
};

// An SVG icon in its own colours, as Qt's SVG icon plugin draws it (every size scalable, no
// list of sizes; other modes derived by the style), without loading that plugin.
class PlainSvgIconEngine : public PixmapIconEngine
{
public:
    explicit PlainSvgIconEngine(const QByteArray &svg)
        : m_svg(svg)
    {}

    QIconEngine *clone() const override { return new PlainSvgIconEngine(*this); }
    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override
    {
        QSize actual = renderer().defaultSize();
        if (!actual.isNull())
            actual.scale(size, Qt::KeepAspectRatio);
        return actual;
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QSvgRenderer &svg = renderer();
        QSize actual = svg.defaultSize();
        if (!actual.isNull())
            actual.scale(size, Qt::KeepAspectRatio);
        if (!svg.isValid() || actual.isEmpty())
            return {};
        QPixmap pm(actual);
        pm.fill(Qt::transparent);
        QPainter painter(&pm);
        svg.render(&painter);
        painter.end();
        if (mode != QIcon::Normal) {
            QStyleOption option;
            option.palette = QGuiApplication::palette();
            pm = QApplication::style()->generatedIconPixmap(mode, pm, &option);
        }
        Q_UNUSED(state)
        return pm;
    }
    bool isNull() override { return m_svg.isEmpty(); }

private:
    // Parsed once for all sizes and shared with clones: the window icon is asked for its size
    // and its pixmap at four sizes for X11 before the first frame, and each asking parsed the
    // file again (docs/GUI.md, Start-up).
    QSvgRenderer &renderer()
    {
        if (!m_renderer)
            m_renderer = std::make_shared<QSvgRenderer>(m_svg);
        return *m_renderer;
    }

    QByteArray m_svg;
    std::shared_ptr<QSvgRenderer> m_renderer;
};

// An icon a hidden widget holds but may never draw, made when it is first measured or drawn.
class LazyStyleIconEngine : public QIconEngine
{
public:
    LazyStyleIconEngine(QStyle *style, QStyle::StandardPixmap which, Qt::LayoutDirection direction)
        : m_style(style)
        , m_which(which)
        , m_direction(direction)
    {}

    QIconEngine *clone() const override { return new LazyStyleIconEngine(*this); }
    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        icon().paint(painter, rect, Qt::AlignCenter, mode, state);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().pixmap(size, 1.0, mode, state);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override
    {
        return icon().pixmap((QSizeF(size) / scale).toSize(), scale, mode, state);
    }
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return icon().actualSize(size, mode, state);
    }
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return icon().availableSizes(mode, state);
    }
    bool isNull() override { return false; }

private:
    const QIcon &icon()
    {
        if (!m_made) {
            m_made = true;
            QStyleOption option;
            option.direction = m_direction;
            if (m_style)
                m_icon = m_style->standardIcon(m_which, &option);
            else if (auto *proxy = qobject_cast<QProxyStyle *>(QApplication::style()))
                m_icon = proxy->baseStyle()->standardIcon(m_which, &option);
        }
        return m_icon;
    }

    QPointer<QStyle> m_style;
    QStyle::StandardPixmap m_which;
    Qt::LayoutDirection m_direction;
    bool m_made = false;
    QIcon m_icon;
};

// Fusion, with two kinds of icons made once or late:
// - the docks' title bar buttons: Fusion makes a new icon from its XPM data on every call, and
//   a dock's title bar asks for both each time it is measured or laid out (dozens of times
//   while the window is first laid out);
// - the menu bar's and the tool bar's extension buttons (shown only when they overflow): their
//   icons are PNG files, and reading the first PNG starts Qt's image readers.
class Style : public QProxyStyle
{
public:
    Style()
        : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
    {}

    QIcon standardIcon(StandardPixmap icon, const QStyleOption *option,
                       const QWidget *widget) const override
    {
        if (icon == SP_ToolBarHorizontalExtensionButton ||
            icon == SP_ToolBarVerticalExtensionButton) {
            // As QCommonStyle picks the left-to-right or right-to-left one.
            const Qt::LayoutDirection direction =
                option ? option->direction : QGuiApplication::layoutDirection();
            return QIcon(new LazyStyleIconEngine(baseStyle(), icon, direction));
        }
        if (icon != SP_TitleBarCloseButton && icon != SP_TitleBarNormalButton)
            return QProxyStyle::standardIcon(icon, option, widget);
        auto it = m_titleBarIcons.constFind(icon);
        if (it == m_titleBarIcons.constEnd())
            it = m_titleBarIcons.insert(icon, QProxyStyle::standardIcon(icon, option, widget));
        return *it;
    }

private:
    mutable QHash<int, QIcon> m_titleBarIcons;
};

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::Base, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf2));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x94, 0xa3));
    p.setColor(QPalette::Text, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::Button, QColor(0xf9, 0xfa, 0xfb));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x29, 0x37));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x25, 0x63, 0xeb));
    p.setColor(QPalette::Mid, QColor(0xc9, 0xce, 0xd6));
    p.setColor(QPalette::Dark, QColor(0xa0, 0xa7, 0xb2));
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9c, 0xa3, 0xaf));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9c, 0xa3, 0xaf));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9c, 0xa3, 0xaf));
    return p;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1e, 0x22, 0x28));
    p.setColor(QPalette::WindowText, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::Base, QColor(0x16, 0x19, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x1c, 0x20, 0x26));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x30, 0x38));
    p.setColor(QPalette::ToolTipText, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::PlaceholderText, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Text, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::Button, QColor(0x2a, 0x2f, 0x37));
    p.setColor(QPalette::ButtonText, QColor(0xe5, 0xe7, 0xeb));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x60, 0xa5, 0xfa));
    p.setColor(QPalette::Mid, QColor(0x3a, 0x40, 0x4a));
    p.setColor(QPalette::Dark, QColor(0x11, 0x13, 0x17));
    p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x4a));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x72, 0x80));
    return p;
}
} // namespace

void Theme::apply(bool dark)
{
    s_dark = dark;
    iconCache().clear();
    renderedAhead().clear();
    QApplication::setStyle(new Style);
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
}

bool Theme::isDark()
{
    return s_dark;
}

QIcon Theme::icon(const QString &name)
{
    auto it = iconCache().constFind(name);
    if (it != iconCache().constEnd())
        return *it;
    const QByteArray svg = iconSvg(name);
    QIcon icon;
    // Rendered at the size asked for, so icons stay crisp on high-DPI screens.
    if (!svg.isEmpty())
        icon = QIcon(new TintedSvgIconEngine(name, svg, text().name().toLatin1(),
                                             mutedText().name().toLatin1()));
    iconCache().insert(name, icon);
    return icon;
}

void Theme::renderAhead(const QString &name, const QSize &size, QIcon::Mode mode)
{
    const QByteArray colour = (mode == QIcon::Disabled ? mutedText() : text()).name().toLatin1();
    const QString key = aheadKey(name, colour, size);
    if (renderedAhead().contains(key))
        return;
    const QByteArray svg = iconSvg(name);
    if (!svg.isEmpty())
        renderedAhead().insert(key, QtConcurrent::run(renderTinted, svg, colour, size));
}

int Theme::iconsTakenFromAhead()
{
    return s_takenAhead;
}

QIcon Theme::appIcon()
{
    const QByteArray svg = iconSvg(QStringLiteral("hivelab"));
    if (svg.isEmpty())
        return {};
    return QIcon(new PlainSvgIconEngine(svg));
}

QIcon Theme::severityIcon(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return icon(QStringLiteral("severity-error"));
    case Severity::Warning:
        return icon(QStringLiteral("severity-warning"));
    case Severity::Info:
        break;
    }
    return icon(QStringLiteral("severity-info"));
}

QColor Theme::canvasBackground()
{
    return s_dark ? QColor(0x14, 0x17, 0x1c) : QColor(0xe9, 0xec, 0xf1);
}
QColor Theme::rackFill()
{
    return s_dark ? QColor(0x23, 0x28, 0x30) : QColor(0xfb, 0xfc, 0xfd);
}
QColor Theme::rackBorder()
{
    return s_dark ? QColor(0x3a, 0x41, 0x4c) : QColor(0xc6, 0xcd, 0xd7);
}
QColor Theme::slotOutline()
{
    return s_dark ? QColor(0x44, 0x4c, 0x58) : QColor(0xd3, 0xd9, 0xe1);
}
QColor Theme::cardFill()
{
    return s_dark ? QColor(0x2c, 0x32, 0x3c) : QColor(0xff, 0xff, 0xff);
}
QColor Theme::cardBorder()
{
    return s_dark ? QColor(0x4a, 0x52, 0x5e) : QColor(0xcf, 0xd6, 0xdf);
}
QColor Theme::text()
{
    return s_dark ? QColor(0xe5, 0xe7, 0xeb) : QColor(0x1f, 0x29, 0x37);
}
QColor Theme::mutedText()
{
    return s_dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x6b, 0x72, 0x80);
}
QColor Theme::accent()
{
    return s_dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x25, 0x63, 0xeb);
}
QColor Theme::okColor()
{
    return QColor(0x2f, 0x9e, 0x5b);
}

QColor Theme::roleColor(Role role)
{
    switch (role) {
    case Role::Manager:
        return QColor(0xe0, 0x8a, 0x1e); // amber: the hive's queens
    case Role::Worker:
        return QColor(0x2b, 0x6c, 0xb0);
    case Role::Unassigned:
        break;
    }
    return QColor(0x8a, 0x94, 0xa3);
}

QColor Theme::roleBadgeText(Role role)
{
    // White on amber is 2.7:1; dark ink reads at 5.5:1.
    return role == Role::Manager ? QColor(0x1f, 0x29, 0x37) : QColor(Qt::white);
}

// Pill colours are dark enough for white 7.5 pt text at 4.5:1 or better (tst_theme).
QColor Theme::archColor(const QString &arch)
{
    if (arch == QLatin1String("arm64") || arch == QLatin1String("aarch64"))
        return QColor(0x7c, 0x4d, 0xc4);
    if (arch == QLatin1String("amd64") || arch == QLatin1String("x86_64"))
        return QColor(0x0d, 0x7a, 0x70);
    if (arch == QLatin1String("armhf"))
        return QColor(0xb4, 0x4c, 0x9a);
    return QColor(0x6b, 0x72, 0x80);
}

QColor Theme::storageColor()
{
    return QColor(0x64, 0x74, 0x8b);
}

QColor Theme::leaderColor()
{
    return QColor(0x9a, 0x5b, 0x0f);
}

QColor Theme::availabilityColor()
{
    return QColor(0xb4, 0x53, 0x09);
}

QColor Theme::pillText()
{
    return Qt::white;
}

QColor Theme::stateColor(NodeState state)
{
    // Ready, reachable and offline differ in lightness by 2:1 or more in either palette
    // (tst_theme), not in hue alone; drawStateLed() adds a shape per state.
    switch (state) {
    case NodeState::SwarmReady:
        return s_dark ? QColor(0x22, 0xc5, 0x5e) : QColor(0x16, 0x65, 0x34);
    case NodeState::DockerReady:
        return s_dark ? QColor(0x38, 0xbd, 0xf8) : QColor(0x03, 0x69, 0xa1);
    case NodeState::Reachable:
        return s_dark ? QColor(0xec, 0xfc, 0xcb) : QColor(0x65, 0xa3, 0x0d);
    case NodeState::SwarmDown:
        return s_dark ? QColor(0xf8, 0x71, 0x71) : QColor(0xdc, 0x26, 0x26);
    case NodeState::Offline:
        return s_dark ? QColor(0x6b, 0x72, 0x80) : QColor(0x11, 0x18, 0x27);
    case NodeState::Unknown:
        break;
    }
    return s_dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x6b, 0x72, 0x80);
}

void Theme::drawStateLed(QPainter *painter, const QPointF &c, qreal r, NodeState state,
                         bool drainedOrPaused)
{
    const QColor colour = stateColor(state);
    // A thin outline in the text colour keeps every shape visible on the card, whatever
    // its fill.
    QColor edge = text();
    edge.setAlpha(150);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(edge, 1));
    painter->setBrush(colour);
    switch (state) {
    case NodeState::SwarmReady:
        if (drainedOrPaused)
            painter->drawRect(QRectF(c.x() - r * 0.85, c.y() - r * 0.85, r * 1.7, r * 1.7));
        else
            painter->drawEllipse(c, r, r);
        break;
    case NodeState::DockerReady: {
        const QPointF pts[] = {
            {c.x(), c.y() - r}, {c.x() + r, c.y()}, {c.x(), c.y() + r}, {c.x() - r, c.y()}};
        painter->drawPolygon(pts, 4);
        break;
    }
    case NodeState::Reachable:
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(colour, r * 0.45));
        painter->drawEllipse(c, r * 0.8, r * 0.8);
        painter->setPen(Qt::NoPen);
        painter->setBrush(colour);
        painter->drawEllipse(c, r * 0.35, r * 0.35);
        break;
    case NodeState::SwarmDown: {
        const QPointF pts[] = {{c.x(), c.y() - r * 1.05},
                               {c.x() + r * 1.1, c.y() + r * 0.85},
                               {c.x() - r * 1.1, c.y() + r * 0.85}};
        painter->drawPolygon(pts, 3);
        break;
    }
    case NodeState::Offline: {
        painter->setPen(QPen(colour, r * 0.5, Qt::SolidLine, Qt::RoundCap));
        const qreal d = r * 0.75;
        painter->drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d));
        painter->drawLine(QPointF(c.x() - d, c.y() + d), QPointF(c.x() + d, c.y() - d));
        break;
    }
    case NodeState::Unknown:
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(colour, r * 0.35));
        painter->drawEllipse(c, r * 0.8, r * 0.8);
        break;
    }
    painter->restore();
}

double Theme::contrastRatio(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) {
            return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) +
               0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor Theme::severityColor(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return QColor(0xc5, 0x30, 0x30);
    case Severity::Warning:
        return QColor(0xe8, 0xa3, 0x17);
    case Severity::Info:
        break;
    }
    return QColor(0x2b, 0x6c, 0xb0);
}

QColor Theme::severityBadgeText(Severity severity)
{
    return textOn(severityColor(severity));
}

QColor Theme::textOn(const QColor &background)
{
    const QColor ink(0x1f, 0x29, 0x37);
    return contrastRatio(Qt::white, background) >= contrastRatio(ink, background)
               ? QColor(Qt::white)
               : ink;
}

} // namespace Hivelab
