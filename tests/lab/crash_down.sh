#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `down` after a crash: the harness's supervisor and a board holder are SIGKILLed, then
# `down` must still remove every process, directory and link of the lab, and stay idempotent.
#   crash_down.sh HIVELAB_LAB_TOOL INSTANCE
set -euo pipefail
tool=$1 name=$2
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the lab needs root"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
lab() { "$tool" --name "$name" "$@"; }
state=/run/hivelab-lab/$name data=/var/lib/hivelab-lab/$name
links_before=$(ip -o link | awk -F': ' '{print $2}' | sort)

lab up 2 --replace --timeout 30 >/dev/null
lab status >/dev/null || fail "fresh lab is not healthy"
pid_of() { /usr/bin/python3 -c 'import json,sys; print(next(e["pid"] for e in json.load(open(sys.argv[1])) if e["role"] == sys.argv[2]))' "$state/procs.json" "$1"; }
sup=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$state/supervisor.json")
holder=$(pid_of board2)
dockerd=$(pid_of dockerd)
kill -KILL "$sup" "$holder"
# The processes (dockerd) and the namespace of board 1 outlive the crash…
kill -0 "$dockerd" || fail "dockerd died with the supervisor"
lab status >/dev/null && fail "status says healthy after a crash"
lab down >/dev/null
# …and are gone after down.
stat=$(awk '{print $3}' "/proc/$dockerd/stat" 2>/dev/null || echo gone)
[ "$stat" = gone ] || [ "$stat" = Z ] || fail "dockerd $dockerd survived down ($stat)"
if pgrep -f -- "$data/" >/dev/null; then fail "lab processes survived down"; fi
if [ -e "$state" ] || [ -e "$data" ]; then fail "state left behind"; fi
grep -q "hivelab-lab/$name" /proc/self/mountinfo && fail "mounts left behind"
[ "$(ip -o link | awk -F': ' '{print $2}' | sort)" = "$links_before" ] || fail "host links changed"
lab down | grep -q "nothing to take down" || fail "second down is not a no-op"
rc=0
lab status >/dev/null || rc=$?
[ $rc -eq 3 ] || fail "status of a downed lab exits $rc, expected 3"
echo "crash + down ok"
