#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): start-up of `hivelab --demo` against a minimal Qt 6 widgets window of
# the same shape (tests/bench/bench_startup_baseline.cpp: QGraphicsView with 50 items, two docks),
# in the same run, alternating. Both note the time their first frame is painted (hivelab with
# QT_LOGGING_RULES=hivelab.startup.debug=true), then save the window and quit: "first frame" is
# launch to first painted window, "whole run" adds one uncompressed grab of the window, the save
# and the exit, and the peak RSS is the memory of the idle window.
#   ninja -C build hivelab bench_startup_baseline
#   tests/bench/startup.sh [BUILD_DIR] [ROUNDS]
# Under a display-less shell it runs in `xvfb-run` (QT_QPA_PLATFORM=xcb); set
# QT_QPA_PLATFORM=offscreen to skip the X server.
# Two series when dbus-run-session is there: with a session bus of its own, as on a desktop,
# and with none, as under a bare X server, where libdbus runs dbus-launch in every start that
# uses the bus (Qt's accessibility bridge on xcb, in both programs). Without it, one series in
# whatever session the script finds.
set -euo pipefail
build=${1:-build}
rounds=${2:-15}
hl=$build/app/hivelab
base=$build/tests/bench/bench_startup_baseline
for b in "$hl" "$base"; do
    [ -x "$b" ] || { echo "no $b (ninja -C $build hivelab bench_startup_baseline)" >&2; exit 2; }
done
if [ -z "${HIVELAB_STARTUP_BUS:-}" ] && command -v dbus-run-session >/dev/null; then
    HIVELAB_STARTUP_BUS="own session bus (dbus-run-session)" dbus-run-session -- "$0" "$@"
    echo
    env -u DBUS_SESSION_BUS_ADDRESS HIVELAB_STARTUP_BUS="no session bus (dbus-launch at each start)" \
        "$0" "$@"
    exit
fi
if [ -z "${QT_QPA_PLATFORM:-}" ] && [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Fresh settings, no keyring on the bus: what a first start sees.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share
export XDG_CACHE_HOME=$tmp/home/.cache
mkdir -p "$HOME"

export QT_LOGGING_RULES=hivelab.startup.debug=true
# One run: prints "FIRST_MS WHOLE_MS KIB" (launch to first frame, whole run, peak RSS).
run() {
    local t0 t1 first
    t0=$(date +%s%3N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$@" --screenshot "$tmp/shot.bmp" >/dev/null 2>"$tmp/err" ||
        { cat "$tmp/err" >&2; exit 1; }
    t1=$(date +%s%3N)
    [ -s "$tmp/shot.bmp" ] || { echo "no screenshot from $1" >&2; exit 1; }
    first=$(sed -n 's/.*first frame painted at \([0-9]*\) ms.*/\1/p' "$tmp/err")
    [ -n "$first" ] || { echo "no first-frame time from $1" >&2; cat "$tmp/err" >&2; exit 1; }
    rm -f "$tmp/shot.bmp"
    echo "$((first - t0)) $((t1 - t0)) $(tail -1 "$tmp/rss")"
}
# Warm the page cache for both, not counted.
run "$hl" --demo >/dev/null
run "$base" >/dev/null
hl_first=() hl_ms=() hl_kb=() base_first=() base_ms=() base_kb=()
for _ in $(seq 1 "$rounds"); do
    read -r f ms kb < <(run "$base"); base_first+=("$f") base_ms+=("$ms") base_kb+=("$kb")
    read -r f ms kb < <(run "$hl" --demo); hl_first+=("$f") hl_ms+=("$ms") hl_kb+=("$kb")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bf=$(median "${base_first[@]}") hf=$(median "${hl_first[@]}")
bm=$(median "${base_ms[@]}") hm=$(median "${hl_ms[@]}")
bk=$(median "${base_kb[@]}") hk=$(median "${hl_kb[@]}")
echo "platform ${QT_QPA_PLATFORM:-xcb (xvfb-run)}, ${HIVELAB_STARTUP_BUS:-session as found}," \
    "median of $rounds alternating runs"
printf '%-30s %12s %10s %10s\n' "" "first frame" "whole run" "peak RSS"
printf '%-30s %9s ms %7s ms %6.1f MiB\n' "baseline (50 items, 2 docks)" "$bf" "$bm" "$(echo "$bk / 1024" | bc -l)"
printf '%-30s %9s ms %7s ms %6.1f MiB\n' "hivelab --demo" "$hf" "$hm" "$(echo "$hk / 1024" | bc -l)"
awk -v f="$hf" -v g="$bf" -v a="$hm" -v b="$bm" -v c="$hk" -v d="$bk" \
    'BEGIN {printf "ratio hivelab/baseline: first frame %.2f, whole run %.2f, memory %.2f\n", f / g, a / b, c / d}'
