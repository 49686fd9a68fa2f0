#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Configures and builds into ${HIVELAB_BUILD_DIR:-build}. Used by demo.sh and tests/run.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_BUILD_DIR:-$root/build}
# libssh2 >= 1.11 for RSA keys against current OpenSSH (docs/SSH-RSA.md); cached after the first
# run. HIVELAB_LIBSSH2=system skips it. If it cannot be built (offline), the system 1.10 is used.
if [ "${HIVELAB_LIBSSH2:-}" != system ]; then
    "$root/packaging/build-libssh2.sh" "$build/libssh2" ||
        echo "warning: libssh2 >= 1.11 could not be built; using the system libssh2" >&2
fi
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${HIVELAB_BUILD_TYPE:-RelWithDebInfo}" \
    -DHIVELAB_WERROR=ON $launcher "$@" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
