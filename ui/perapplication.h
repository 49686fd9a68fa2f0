// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

#include <optional>

namespace Hivelab {

/// A value made on first use that lives as long as the application: fonts, pixmaps, icons and
/// text layouts belong to the QGuiApplication and must go before its destructor tears down the
/// font database and the platform's pixmaps, which a function-local static would outlive. It is
/// dropped in that destructor (a post routine) and made again, by `make`, for the next
/// application of the process (tests run several). Each call site is its own value: `make`'s
/// lambda type tells them apart. GUI thread only.
template <typename Make>
auto &perApplication(Make make)
{
    using T = decltype(make());
    static std::optional<T> value;
    if (!value) {
        value.emplace(make());
        qAddPostRoutine([] { value.reset(); });
    }
    return *value;
}

} // namespace Hivelab
