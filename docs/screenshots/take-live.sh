#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes main-window-live.png: the main window with live status on a real swarm of virtual boards
# (root; the lab of tests/lab/hivelab-lab, never the host's network). Everything is done the way
# a user scripts it with the `hivelab` binary: discover the lab's subnet into a new lab file, plan
# three racks (each with its own supply and switch), place the boards, pick managers, form the
# swarm, deploy a stack whose replicas spread over the racks, drain one worker; then the window
# opens with --live and is saved once the first status answer is in.
#   docs/screenshots/take-live.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "the lab needs root" >&2; exit 1; }
[ -x "$build/app/hivelab" ] || { echo "no $build/app/hivelab: build first" >&2; exit 1; }
lab="$root/tests/lab/hivelab-lab"
export HIVELAB_LAB_NAME=shots
"$lab" up 7 --registry --replace >/dev/null
trap '"$lab" down >/dev/null 2>&1' EXIT
# The steps run inside the lab's laptop namespace (its own HOME, the lab's key and known hosts).
HIVELAB_BIN="$build/app/hivelab" SHOT="$here/main-window-live.png" ROOT="$root" \
    "$lab" run --fresh-home -- bash -c '
set -euo pipefail
hl=$HIVELAB_BIN
tmp=$(mktemp -d)
f=$tmp/homelab.hivelab
"$hl" discover "$HIVELAB_LAB_SUBNET" --login --accept-new-host-key --no-dns --into "$f" >/dev/null
# The lab boards are x86-64 namespaces; call them what such boards are (UP boards), so the picture
# is a lab identified without contradictions.
python3 - "$f" <<PY
import json, sys
d = json.load(open(sys.argv[1]))
d["name"] = "Home lab"
for i, b in enumerate(sorted(d["boards"], key=lambda b: b["ip"])):
    b["model"] = "up-squared" if i < 3 else "up-board"
json.dump(d, open(sys.argv[1], "w"), indent=2)
PY
for r in 1 2 3; do
    "$hl" rack add "$f" --name "Rack $r" --slots 3 >/dev/null
    "$hl" psu add "$f" --name "PSU $r" --watts 90 --rack "Rack $r" >/dev/null
    "$hl" switch add "$f" --name "Switch $r" --ports 8 --rack "Rack $r" --psu "PSU $r" >/dev/null
done
hosts=$(python3 -c "import json,sys; print(\" \".join(b[\"name\"] for b in sorted(json.load(open(sys.argv[1]))[\"boards\"], key=lambda b: b[\"ip\"])))" "$f")
i=0
for h in $hosts; do
    "$hl" place "$f" "$h" --rack "Rack $((i % 3 + 1))" >/dev/null
    i=$((i + 1))
done
"$hl" roles "$f" --managers auto >/dev/null 2>&1
"$hl" swarm form "$f" >/dev/null
"$ROOT/tests/lab/push-image" "$HIVELAB_LAB_REGISTRY" hivelab/idle:multi amd64,arm64 >/dev/null
cat >"$tmp/web.yml" <<YML
services:
  web:
    image: $HIVELAB_LAB_REGISTRY/hivelab/idle:multi
    deploy:
      replicas: 3
  cache:
    image: $HIVELAB_LAB_REGISTRY/hivelab/idle:multi
YML
"$hl" stack deploy "$f" "$tmp/web.yml" --name shop >/dev/null
worker=$(python3 -c "import json,sys; print([b[\"name\"] for b in sorted(json.load(open(sys.argv[1]))[\"boards\"], key=lambda b: b[\"ip\"]) if b[\"role\"] == \"worker\"][-1])" "$f")
"$hl" swarm drain "$f" "$worker" >/dev/null
# Wait (bounded) until every replica runs, so the chips show settled tasks.
for _ in $(seq 60); do
    "$hl" stack ps "$f" shop 2>/dev/null | grep -qvE "Running|^NAME|^ *$" || break
    sleep 0.5
done
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$hl" "$f" --live --size 1440x900 \
    --screenshot "$SHOT" 2>/dev/null
[ -s "$SHOT" ]
echo "$SHOT"
'
