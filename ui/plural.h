// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Hivelab {

/// "1 board" / "3 boards" without a loaded translator (tr's %n plural forms need one).
/// one and many are already translated and hold %1 for the count.
inline QString plural(int n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

} // namespace Hivelab
