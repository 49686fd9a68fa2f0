#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# First boot end to end, as root on the host:
#   tests/lab/e2e_cards.sh HIVELAB_LAB_TOOL INSTANCE
# plan 3 boards (static addresses allocated from the lab subnet) -> `hivelab flash` the test
# card image (tests/lab/make-card-image, cached) onto 3 loop devices with --lab/--board, each
# card getting its board's identity -> the lab boots the 3 cards (real cloud-init in each
# card's own root) -> `hivelab discover --login` finds them at their planned addresses with
# their planned hostnames and merges them into the planned boards by the marker each card
# carries (cloud-init's instance ID, recorded by the flash; no new board) -> key login without a
# password as the planned user, passwordless sudo -> `hivelab provision` installs docker.io
# (apt, from the lab's local repository: the card's only apt source) and starts it -> `hivelab
# swarm form` -> 3 managers Ready, checked with docker on a board. Prints the whole time.
set -euo pipefail
source "$(dirname "$0")/card-lib.sh"
step "card image $image"

plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "cards",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "hive", "timezone": "UTC"},
 "boards": [{"id": "card-1", "hostname": "card-1", "addressing": "static", "role": "manager"},
            {"id": "card-2", "hostname": "card-2", "addressing": "static", "role": "manager"},
            {"id": "card-3", "hostname": "card-3", "addressing": "static", "role": "manager"}]}
LAB
cards 3
args=()
for k in 1 2 3; do
    args+=(--device "${loops[k - 1]}" --board "card-$k")
done
"$hl" flash "$image" "${args[@]}" --lab "$plan" --key "$tmp/id_ed25519" --yes \
    >"$tmp/flash.out" 2>"$tmp/flash.err" || { cat "$tmp/flash.err" >&2; fail "flash --lab"; }
step "flashed and prepared ${loops[*]}"
for k in 1 2 3; do
    [ "$(json "d['boards'][$k-1]['ip']" "$plan")" = "10.77.0.$((100 + k))" ] ||
        fail "card-$k planned at $(json "d['boards'][$k-1]['ip']" "$plan")"
done

"$labtool" --name "$name" up 3 --card 1="${loops[0]}" --card 2="${loops[1]}" \
    --card 3="${loops[2]}" --replace --timeout 150 >"$tmp/up.out" 2>&1 ||
    { cat "$tmp/up.out" >&2; fail "lab up from the cards"; }
step "3 boards booted from their cards"

cp "$plan" "$tmp/before.hivelab"
lab_run "$hl" discover 10.77.0.0/24 --login --user hive \
    -i "$tmp/id_ed25519" --accept-new-host-key --no-dns --json --into "$plan" \
    >"$tmp/found.jsonl" 2>"$tmp/discover.err" || { cat "$tmp/discover.err" >&2; fail "discover"; }
step "discovered"
python3 - "$tmp/found.jsonl" "$plan" <<'PY' || { cat "$tmp/found.jsonl" >&2; fail "discover result"; }
import json, sys
hosts = {h["ip"]: h for h in (json.loads(l) for l in open(sys.argv[1]) if l.strip())}
lab = json.load(open(sys.argv[2]))
assert len(lab["boards"]) == 3, [b["id"] for b in lab["boards"]]  # merged, nothing new
for k in (1, 2, 3):
    ip = f"10.77.0.{100 + k}"
    h = hosts.get(ip)
    assert h, f"nothing found at {ip}"
    assert h["identification"]["hostname"] == f"card-{k}", h
    b = next(b for b in lab["boards"] if b["id"] == f"card-{k}")
    assert b["ip"] == ip and b["mac"], b  # matched to its planned board: the MAC is filled in
    assert h["identification"]["instanceId"] == b["firstBoot"]["instanceId"], (h, b)
PY
for k in 1 2 3; do
    grep -q "card-$k at 10.77.0.$((100 + k)): .*(matched by its card's instance ID)" \
        "$tmp/discover.err" || { cat "$tmp/discover.err" >&2; fail "card-$k not matched by its marker"; }
done
step "each board at its planned address with its planned hostname, matched by its card's marker"

for k in 1 2 3; do
    ip=10.77.0.$((100 + k))
    want=$(json "d['boards'][$k-1]['firstBoot']['instanceId']" "$plan")
    got=$(lab_run "$hl" exec "hive@$ip" -i "$tmp/id_ed25519" \
        --accept-new-host-key -- sudo -n cat /var/lib/cloud/data/instance-id 2>&1) ||
        fail "key login / sudo on card-$k: $got"
    [ "$got" = "$want" ] || fail "card-$k carries instance '$got', planned '$want'"
done
step "key login without password, passwordless sudo, instance IDs match the plan"

provision_and_form "$plan" hive card
printf 'lab_e2e_cards: whole chain in %.1f s\n' "$(($(date +%s%N) - t0))e-9"
