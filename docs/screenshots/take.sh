#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes the documentation screenshots under Xvfb, all on the built-in demo lab, in one pass:
#   main-window.png, main-window-dark.png, drag-in-progress.png, setup-wizard.png (the README's);
#   wizard-N-STEP.png for every setup-wizard step (step 1 on an empty lab: the planning form);
#   and at each of the laptop sizes below, main-window[-dark]-WxH.png and wizard-N-STEP-WxH.png,
#   to look for anything cut off.
# Usage: docs/screenshots/take.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
app="$build/app/hivelab"
[ -x "$app" ] || { echo "no $app: build the 'hivelab' target first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run missing (apt-get install xvfb)" >&2; exit 1; }
sizes=${HIVELAB_SHOT_SIZES:-"1280x800 1440x900"}

# A fresh HOME and settings: no saved layout, theme, keychain or known_hosts from the user's own
# session leaks into the pictures.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# shot PNG APP-OPTIONS…: the picture is new or the pass fails.
shot() {
    png=$1
    shift
    rm -f "$png"
    HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp" QT_QPA_PLATFORM=xcb \
        xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@" 2>/dev/null
    [ -s "$png" ] || { echo "no screenshot $png" >&2; exit 1; }
}
steps="plan discover flash connect docker managers swarm summary"

shot "$here/main-window.png" --demo --screenshot "$here/main-window.png"
shot "$here/main-window-dark.png" --demo --dark --screenshot "$here/main-window-dark.png"
shot "$here/drag-in-progress.png" --demo --screenshot-drag "$here/drag-in-progress.png"
shot "$here/setup-wizard.png" --demo --screenshot-wizard "$here/setup-wizard.png"
n=1
for step in $steps; do
    lab=--demo
    [ "$n" = 1 ] && lab=
    shot "$here/wizard-$n-$step.png" $lab --wizard-page "$n" --screenshot "$here/wizard-$n-$step.png"
    n=$((n + 1))
done

for size in $sizes; do
    shot "$here/main-window-$size.png" --demo --size "$size" --screenshot "$here/main-window-$size.png"
    shot "$here/main-window-dark-$size.png" --demo --dark --size "$size" --screenshot "$here/main-window-dark-$size.png"
    n=1
    for step in $steps; do
        lab=--demo
        [ "$n" = 1 ] && lab=
        png="$here/wizard-$n-$step-$size.png"
        shot "$png" $lab --size "$size" --wizard-page "$n" --screenshot "$png"
        n=$((n + 1))
    done
done
ls -l "$here"/*.png
