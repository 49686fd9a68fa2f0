// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labcheck.h"
#include "labtypes.h"

#include <QColor>
#include <QIcon>
#include <QString>

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
    static QIcon severityIcon(Severity severity);

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
    static QColor archColor(const QString &arch);
    static QColor stateColor(NodeState state);
    static QColor severityColor(Severity severity);
    static QColor okColor();

private:
    static bool s_dark;
};

} // namespace Hivelab
