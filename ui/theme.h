// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labtypes.h"

#include <QColor>
#include <QIcon>
#include <QString>

class QPainter;
class QPointF;

namespace Hivelab {

/// Light/dark palettes, canvas colours and tinted SVG icons. GUI thread.
class Theme
{
public:
    /// Fusion style plus a hand-tuned light or dark palette.
    static void apply(bool dark);
    static bool isDark();

    /// Icon from resources/icons, its strokes tinted to the palette's text colour.
    static QIcon icon(const QString &name);
    /// Starts drawing icon(name) at `size` device pixels in `mode` (Normal or Disabled) on the
    /// thread pool; the icon's first pixmap of that size and mode takes the picture. The main
    /// window's toolbar, in the first frame, is drawn while the rest of the window is built.
    static void renderAhead(const QString &name, const QSize &size,
                            QIcon::Mode mode = QIcon::Normal);
    /// How many icon pixmaps came from renderAhead() (tests).
    static int iconsTakenFromAhead();
    static QIcon severityIcon(Severity severity);
    /// The application's icon (resources/icons/hivelab.svg) in its own colours, drawn by the
    /// SVG renderer Hivelab links anyway rather than Qt's SVG icon plugin.
    static QIcon appIcon();

    // Canvas colours (follow the current palette).
    static QColor canvasBackground();
    static QColor rackFill();
    static QColor rackBorder();
    static QColor slotOutline();
    static QColor cardFill();
    static QColor cardBorder();
    static QColor text();
    static QColor mutedText();
    static QColor accent();
    static QColor roleColor(Role role);
    /// The letter on a role badge (M, W; "?" is drawn on the card itself).
    static QColor roleBadgeText(Role role);
    static QColor archColor(const QString &arch);
    static QColor storageColor();
    static QColor leaderColor();
    /// The "drained" / "paused" pill.
    static QColor availabilityColor();
    /// Text on every pill above (arch, storage, leader, drained).
    static QColor pillText();
    static QColor stateColor(NodeState state);
    static QColor severityColor(Severity severity);
    /// The "!" on a severity badge.
    static QColor severityBadgeText(Severity severity);
    /// White or dark ink, whichever contrasts more with background.
    static QColor textOn(const QColor &background);
    static QColor okColor();

    /// The state LED: colour and a shape per state (filled circle = in the swarm, ring = not
    /// checked, ring with a dot = reachable, diamond = Docker ready, triangle = down, cross =
    /// offline, square = drained or paused), so it reads without colour. centre/radius in the
    /// painter's coordinates.
    static void drawStateLed(QPainter *painter, const QPointF &centre, qreal radius,
                             NodeState state, bool drainedOrPaused);
    /// WCAG 2 contrast ratio of two opaque colours, 1 to 21.
    static double contrastRatio(const QColor &a, const QColor &b);

private:
    static bool s_dark;
};

} // namespace Hivelab
