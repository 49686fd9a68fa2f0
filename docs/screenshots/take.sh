#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the README screenshots under Xvfb: main window (light and dark), a drag in progress and
# the setup wizard, all on the built-in demo lab.
# Usage: docs/screenshots/take.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
app="$build/app/hivelab"
[ -x "$app" ] || { echo "no $app: build the 'hivelab' target first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run missing (apt-get install xvfb)" >&2; exit 1; }

# Fresh settings so a saved window layout or theme does not leak into the pictures.
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT INT TERM
shot() {
    XDG_CONFIG_HOME="$config" XDG_RUNTIME_DIR="$config" \
        xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --demo "$@"
}
shot --screenshot "$here/main-window.png"
shot --dark --screenshot "$here/main-window-dark.png"
shot --screenshot-drag "$here/drag-in-progress.png"
shot --screenshot-wizard "$here/setup-wizard.png"
ls -l "$here"/*.png
