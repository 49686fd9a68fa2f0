#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Configures and builds into ${HIVELAB_BUILD_DIR:-build}. Used by demo.sh and tests/run.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_BUILD_DIR:-$root/build}
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${HIVELAB_BUILD_TYPE:-RelWithDebInfo}" \
    -DHIVELAB_WERROR=ON $launcher "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
