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

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%6.2fs  %s\n' "$(($(date +%s%N) - t0))e-9" "$*"; }
t0=$(date +%s%N)
labtool=${1:?usage: e2e_cards.sh HIVELAB_LAB_TOOL INSTANCE}
name=${2:?usage: e2e_cards.sh HIVELAB_LAB_TOOL INSTANCE}
hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
[ "$(id -u)" -eq 0 ] || { echo "needs root (loop devices, the lab)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
image=$("$here/make-card-image") || exit $?
step "card image $image"

tmp=$(mktemp -d)
loops=()
cleanup() {
    "$labtool" --name "$name" down >/dev/null 2>&1 || true
    for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "cards",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "hive", "timezone": "UTC"},
 "boards": [{"id": "card-1", "hostname": "card-1", "addressing": "static", "role": "manager"},
            {"id": "card-2", "hostname": "card-2", "addressing": "static", "role": "manager"},
            {"id": "card-3", "hostname": "card-3", "addressing": "static", "role": "manager"}]}
LAB
ssh-keygen -q -t ed25519 -N '' -C e2e-cards -f "$tmp/id_ed25519"
size=$(stat -c %s "$image")
args=()
for k in 1 2 3; do
    truncate -s "$size" "$tmp/card$k"
    loops+=("$(losetup -f --show "$tmp/card$k")")
    args+=(--device "${loops[-1]}" --board "card-$k")
done
"$hl" flash "$image" "${args[@]}" --lab "$plan" --key "$tmp/id_ed25519" --yes \
    >"$tmp/flash.out" 2>"$tmp/flash.err" || { cat "$tmp/flash.err" >&2; fail "flash --lab"; }
step "flashed and prepared ${loops[*]}"
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }
for k in 1 2 3; do
    [ "$(json "d['boards'][$k-1]['ip']" "$plan")" = "10.77.0.$((100 + k))" ] ||
        fail "card-$k planned at $(json "d['boards'][$k-1]['ip']" "$plan")"
done

"$labtool" --name "$name" up 3 --card 1="${loops[0]}" --card 2="${loops[1]}" \
    --card 3="${loops[2]}" --replace --timeout 150 >"$tmp/up.out" 2>&1 ||
    { cat "$tmp/up.out" >&2; fail "lab up from the cards"; }
step "3 boards booted from their cards"

cp "$plan" "$tmp/before.hivelab"
"$labtool" --name "$name" run --fresh-home -- "$hl" discover 10.77.0.0/24 --login --user hive \
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
    got=$("$labtool" --name "$name" run --fresh-home -- "$hl" exec "hive@$ip" -i "$tmp/id_ed25519" \
        --accept-new-host-key -- sudo -n cat /var/lib/cloud/data/instance-id 2>&1) ||
        fail "key login / sudo on card-$k: $got"
    [ "$got" = "$want" ] || fail "card-$k carries instance '$got', planned '$want'"
done
step "key login without password, passwordless sudo, instance IDs match the plan"

# The rest of the chain with the key the cards carry (each run has a fresh HOME; the workflow
# commands spell the option --accept-new-host-keys).
hl_lab() {
    "$labtool" --name "$name" run --fresh-home -- "$hl" "$@" -i "$tmp/id_ed25519" \
        --accept-new-host-keys
}
hl_lab provision "$plan" --json >"$tmp/provision.json" 2>"$tmp/provision.err" ||
    { cat "$tmp/provision.err" >&2; fail "provision"; }
[ "$(grep -c "docker.io installed" "$tmp/provision.err")" -eq 3 ] ||
    { cat "$tmp/provision.err" >&2; fail "provision did not install docker.io on the 3 cards"; }
step "provision: docker.io installed and started on the 3 card-booted boards"

hl_lab swarm form "$plan" --json >"$tmp/form.json" 2>"$tmp/form.err" ||
    { cat "$tmp/form.err" >&2; fail "swarm form"; }
nodes=$("$labtool" --name "$name" run --fresh-home -- "$hl" exec hive@10.77.0.101 \
    -i "$tmp/id_ed25519" --accept-new-host-key -- \
    sudo -n docker node ls --format "'{{.Hostname}} {{.Status}} {{.ManagerStatus}}'" 2>&1) ||
    fail "docker node ls on card-1: $nodes"
for k in 1 2 3; do
    grep -qE "^card-$k Ready (Leader|Reachable)$" <<<"$nodes" || fail "card-$k not a Ready manager: $nodes"
done
[ "$(grep -c ' Ready ' <<<"$nodes")" -eq 3 ] || fail "not 3 nodes: $nodes"
step "swarm form: 3 managers Ready"
printf 'lab_e2e_cards: whole chain in %.1f s\n' "$(($(date +%s%N) - t0))e-9"
