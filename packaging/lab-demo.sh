#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Try Hivelab without hardware (needs root): builds, starts a lab of virtual boards (real SSH
# servers and Docker engines in network namespaces, see docs/LAB.md) and opens Hivelab inside
# the lab's laptop namespace. The lab is taken down when Hivelab exits, unless it was already up.
#   packaging/lab-demo.sh [BOARDS] [hivelab args…]     (default 5 boards; the last one without
#                                                       Docker, so the install step has work)
# With no display it runs under Xvfb, saves a screenshot and says where.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_BUILD_DIR:-$root/build}
lab="$root/tests/lab/hivelab-lab"
n=5
case ${1:-} in [0-9]*) n=$1; shift ;; esac
if [ "$(id -u)" -ne 0 ]; then
    echo "The lab needs root (network namespaces, dockerd). Without root try: packaging/demo.sh" >&2
    exit 1
fi
"$root/packaging/install-deps.sh" all
"$root/packaging/build.sh"
export HIVELAB_LAB_NAME="${HIVELAB_LAB_NAME:-demo}"
started=""
if ! "$lab" status >/dev/null 2>&1; then
    "$lab" up "$n" --bare "$n" --replace
    started=1
fi
trap '[ -n "$started" ] && "$lab" down' EXIT
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    "$lab" run -- "$build/app/hivelab" --wizard "$@"
else
    shot=${HIVELAB_SCREENSHOT:-$build/hivelab-lab-demo.png}
    echo "No display: running under Xvfb and saving a screenshot." >&2
    "$lab" run -- xvfb-run -a -s "-screen 0 1600x1000x24" "$build/app/hivelab" --wizard --screenshot "$shot" "$@"
    echo "Screenshot: $shot"
fi
