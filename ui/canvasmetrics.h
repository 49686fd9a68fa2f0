// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace Hivelab {

/// Geometry of the topology canvas in scene units (shared by the scene and its items).
namespace CanvasMetrics {
constexpr qreal CardWidth = 224;
constexpr qreal CardHeight = 66;
constexpr qreal RackPadding = 10;
constexpr qreal RackWidth = CardWidth + 2 * RackPadding;
constexpr qreal RackGap = 28;
constexpr qreal RowGap = 40;
constexpr qreal HeaderHeight = 44;
constexpr qreal SlotPitch = 74;
constexpr qreal SwitchHeight = 46;
constexpr qreal PsuHeight = 54;
constexpr qreal InfraPitch = 54; // switch/PSU height plus a gap
constexpr int RacksPerRow = 8;
} // namespace CanvasMetrics

} // namespace Hivelab
