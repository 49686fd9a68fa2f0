#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Screenshots of every setup-wizard step on the demo lab, under Xvfb:
#   docs/screenshots/wizard.sh [BUILD_DIR]   ->   docs/screenshots/wizard-N-STEP.png
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
bin=$build/app/hivelab
[ -x "$bin" ] || { echo "no $bin: build the hivelab target first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=1
for step in plan discover flash connect docker managers swarm summary; do
    # Step 1 on an empty lab shows the planning form; the others work on the demo lab.
    lab=--demo
    [ "$n" = 1 ] && lab=
    # A fresh HOME: no keychain, no known_hosts or settings from the user's own session.
    HOME=$tmp XDG_RUNTIME_DIR=$tmp QT_QPA_PLATFORM=xcb \
        xvfb-run -a -s "-screen 0 1280x900x24" \
        "$bin" $lab --wizard-page "$n" --screenshot "$here/wizard-$n-$step.png"
    n=$((n + 1))
done
