#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs dependencies, builds, and runs the whole test suite through ctest inside a private
# D-Bus session with a fresh gnome-keyring (tests/test-session.sh).
#   tests/run.sh [ctest args…]      e.g. tests/run.sh -L unit
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_BUILD_DIR:-$root/build}
"$root/packaging/install-deps.sh" all
"$root/packaging/build.sh"

cd "$build"
exec "$root/tests/test-session.sh" ctest --output-on-failure --timeout 600 "$@"
