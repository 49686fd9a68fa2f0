#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Adopting a swarm that a user formed by hand, from the lab's laptop namespace:
#   hivelab-lab run --fresh-home -- tests/lab/adopt.sh
# A plain shell script forms the swarm (board 1 manager, the others workers) and labels two
# nodes (`hivelab.rack=rack-b`, a user's `zone=attic`); then `hivelab discover --login --into`
# on a lab file with two racks must record each board's role and node ID, place the labelled
# board in rack-b on that rack's supply and switch, and keep the user's label.
set -euo pipefail
# shellcheck source=tests/lab/lab-lib.sh
. "$(dirname "$0")/lab-lib.sh"

hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
lab=$tmp/adopted.hivelab
boards=("${lab_boards[@]}")
[ ${#boards[@]} -ge 3 ] || fail "needs 3 boards with Docker and key login"
cleanup() {
    for k in "${boards[@]}"; do on "$k" docker swarm leave --force >/dev/null 2>&1 || true; done
}

# 1. The swarm, formed by hand: board 1 manager, the others workers.
m=${boards[0]}
on "$m" docker swarm init --advertise-addr "${IP[$m]}" >/dev/null
token=$(on "$m" docker swarm join-token -q worker)
for k in "${boards[@]:1}"; do
    on "$k" docker swarm join --advertise-addr "${IP[$k]}" --token "$token" "${IP[$m]}:2377" >/dev/null
done
declare -A NODE
for k in "${boards[@]}"; do NODE[$k]=$(on "$k" docker info --format '{{.Swarm.NodeID}}'); done
w=${boards[1]}
on "$m" docker node update --label-add hivelab.rack=rack-b "${NODE[$w]}" >/dev/null
on "$m" docker node update --label-add zone=attic "${NODE[$m]}" >/dev/null
step "swarm formed by hand: manager $m, workers ${boards[*]:1}; ${HOST[$w]} labelled for rack-b"

# 2. The plan: two racks, the second with its own supply and switch; no boards yet.
cat >"$lab" <<'EOF'
{
    "format": "hivelab-lab",
    "schemaVersion": 1,
    "name": "adopted",
    "racks": [
        {"id": "rack-a", "name": "Rack A", "slotCount": 4},
        {"id": "rack-b", "name": "Rack B", "slotCount": 4}
    ],
    "powerSupplies": [
        {"id": "psu-a", "name": "PSU A", "rackId": "rack-a", "ratingWatts": 60},
        {"id": "psu-b", "name": "PSU B", "rackId": "rack-b", "ratingWatts": 60}
    ],
    "switches": [
        {"id": "sw-a", "name": "Switch A", "rackId": "rack-a", "ports": 8},
        {"id": "sw-b", "name": "Switch B", "rackId": "rack-b", "ports": 8}
    ],
    "boards": []
}
EOF

# 3. Adopt it.
targets=()
for k in "${boards[@]}"; do targets+=("${IP[$k]}"); done
"$hl" discover "${targets[@]}" --login --accept-new-host-key --no-dns \
    --json --into "$lab" >"$tmp/found.jsonl" 2>"$tmp/discover.err" ||
    { cat "$tmp/discover.err" >&2; fail "discover"; }
step "discover --login --into: $(tail -n1 "$tmp/discover.err")"

# 4. What the lab file recorded.
for k in "${boards[@]}"; do
    role=worker rack="" zone=""
    if [ "$k" = "$m" ]; then role=manager zone=attic; fi
    if [ "$k" = "$w" ]; then rack="rack-b"; fi
    python3 - "$lab" "${HOST[$k]}" "$role" "${NODE[$k]}" "$rack" "$zone" <<'EOF' ||
import json, sys
lab = json.load(open(sys.argv[1]))
host, role, node, rack, zone = sys.argv[2:]
b = next((b for b in lab["boards"] if b["hostname"] == host), None)
assert b, "no board with hostname %s in %s" % (host, [x["hostname"] for x in lab["boards"]])
assert b["role"] == role, "%s: role %s, expected %s" % (host, b["role"], role)
assert b.get("nodeId") == node, "%s: nodeId %s, expected %s" % (host, b.get("nodeId"), node)
if rack:
    assert (b["rackId"], b["psuId"], b["switchId"]) == (rack, "psu-b", "sw-b"), b
    assert b["switchPort"] >= 1, b
assert not any(k.startswith("hivelab.") for k in b["labels"]), b["labels"]
assert b["labels"].get("zone", "") == zone, b["labels"]
EOF
        { cat "$lab" >&2; cat "$tmp/discover.err" >&2; fail "board $k (${HOST[$k]}) not adopted as expected"; }
done
grep -q "swarmLabels" "$tmp/found.jsonl" || fail "discover --json shows no node labels"
step "roles, node IDs, rack-b placement and the user's label recorded; all checks passed"
