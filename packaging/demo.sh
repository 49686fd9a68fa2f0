#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs dependencies, builds, and opens Hivelab on the built-in demo lab.
# With no display it runs under Xvfb, saves a screenshot and says where.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_BUILD_DIR:-$root/build}
"$root/packaging/install-deps.sh" run
"$root/packaging/build.sh"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build/app/hivelab" --demo "$@"
fi
shot=${HIVELAB_SCREENSHOT:-$build/hivelab-demo.png}
echo "No display: running under Xvfb and saving a screenshot." >&2
xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/hivelab" --demo --screenshot "$shot" "$@"
echo "Screenshot: $shot"
