#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Static address on a board that already runs, as root on the host:
#   tests/lab/network_apply.sh HIVELAB_LAB_TOOL INSTANCE
# One board boots from a card flashed with its first-boot identity (10.77.0.101, ifupdown
# rendered by the card's cloud-init). Then:
# 1. the plan moves it to 10.77.0.121: `hivelab network apply` finds ifupdown, stages the
#    change with its on-board watchdog, switches, confirms at .121 over a new connection with
#    the same host key; the lab file records .121 and the board keeps it after the watchdog's
#    bound has passed;
# 2. the plan moves it to 10.78.0.5 (inside the plan's /14, but the laptop is a /24 without a
#    default route: unreachable): the board switches, nobody confirms, its watchdog restores
#    .121, `network apply` finds it there again, exits 1 and leaves the lab file as it was.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%6.2fs  %s\n' "$(($(date +%s%N) - t0))e-9" "$*"; }
t0=$(date +%s%N)
labtool=${1:?usage: network_apply.sh HIVELAB_LAB_TOOL INSTANCE}
name=${2:?usage: network_apply.sh HIVELAB_LAB_TOOL INSTANCE}
hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
[ "$(id -u)" -eq 0 ] || { echo "needs root (loop devices, the lab)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
image=$("$here/make-card-image") || exit $?

tmp=$(mktemp -d)
loop=
cleanup() {
    "$labtool" --name "$name" down >/dev/null 2>&1 || true
    [ -z "$loop" ] || losetup -d "$loop" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "moves",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "hive", "timezone": "UTC"},
 "boards": [{"id": "card-1", "hostname": "card-1", "addressing": "static", "sshUser": "hive"}]}
LAB
ssh-keygen -q -t ed25519 -N '' -C network-apply -f "$tmp/id_ed25519"
truncate -s "$(stat -c %s "$image")" "$tmp/card1"
loop=$(losetup -f --show "$tmp/card1")
"$hl" flash "$image" --device "$loop" --board card-1 --lab "$plan" --key "$tmp/id_ed25519" \
    --yes >"$tmp/flash.out" 2>"$tmp/flash.err" || { cat "$tmp/flash.err" >&2; fail "flash --lab"; }
"$labtool" --name "$name" up 1 --card 1="$loop" --replace --timeout 150 >"$tmp/up.out" 2>&1 ||
    { cat "$tmp/up.out" >&2; fail "lab up from the card"; }
step "card-1 booted from its card at 10.77.0.101"

edit() { python3 - "$plan" "$@" <<'PY'
import json, sys
path, subnet, ip = sys.argv[1:4]
lab = json.load(open(path))
lab["network"]["subnet"] = subnet
lab["boards"][0]["ip"] = ip
json.dump(lab, open(path, "w"), indent=4)
PY
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }
on_board() { "$labtool" --name "$name" board 1 -- "$@"; }
# The card's own root (its /etc, and its /run where the watchdog keeps its files).
in_card() { on_board chroot "/run/hivelab-lab/$name/b1/cardroot" "$@"; }
addresses() { on_board ip -4 -o addr show dev eth0 | awk '{print $4}' | tr '\n' ' '; }
apply() {
    "$labtool" --name "$name" run --fresh-home -- "$hl" network apply "$plan" card-1 \
        -i "$tmp/id_ed25519" --accept-new-host-keys --rollback-seconds "$1" --from "card-1=$2" \
        --json >"$tmp/apply.json" 2>"$tmp/apply.err"
}
# Polls the board until the run's watchdog is done (it writes `expired`), with a deadline.
await_watchdog() {
    local deadline=$(($(date +%s) + $1))
    until in_card sh -c 'ls /run/hivelab-network/*/expired' >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "the watchdog never finished"
        sleep 0.5
    done
}

# 1. Moved and confirmed.
edit 10.77.0.0/24 10.77.0.121
apply 20 10.77.0.101 || { cat "$tmp/apply.err" >&2; fail "network apply to .121"; }
step "network apply: moved to 10.77.0.121"
cat "$tmp/apply.err"
[ "$(json "d['boards'][0]['ip']" "$plan")" = 10.77.0.121 ] || fail "lab file ip not .121"
[ "$(json "d['boards'][0].get('sshHost', '')" "$plan")" = "" ] || fail "sshHost left set"
[ "$(json "d['network']['card-1']['stack']" "$tmp/apply.json")" = ifupdown ] ||
    { cat "$tmp/apply.json" >&2; fail "stack not ifupdown"; }
[ "$(addresses)" = "10.77.0.121/24 " ] || fail "board holds $(addresses)"
in_card grep -q 'address 10.77.0.121/24' /etc/network/interfaces.d/50-cloud-init ||
    fail "the interfaces file does not hold the new address"
in_card test -e /etc/cloud/cloud.cfg.d/99-hivelab-network.cfg || fail "cloud-init not told"
await_watchdog 60
[ "$(addresses)" = "10.77.0.121/24 " ] || fail "after the watchdog: $(addresses)"
in_card sh -c 'test ! -e /run/hivelab-network/*/rolledback' || fail "rolled back anyway"
step "the board keeps 10.77.0.121 past its rollback bound"
in_card sh -c 'rm -rf /run/hivelab-network'

# 2. Unreachable: rolled back on the board, the lab file unchanged.
edit 10.76.0.0/14 10.78.0.5
cp "$plan" "$tmp/before.hivelab"
rc=0
apply 12 10.77.0.121 || rc=$?
[ "$rc" = 1 ] || { cat "$tmp/apply.err" >&2; fail "apply to 10.78.0.5 exited $rc, not 1"; }
step "network apply to 10.78.0.5: failed as it should"
cat "$tmp/apply.err"
cmp -s "$plan" "$tmp/before.hivelab" || fail "the lab file changed"
[ "$(json "d['network']['card-1']['rolledBack']" "$tmp/apply.json")" = True ] ||
    { cat "$tmp/apply.json" >&2; fail "not reported as rolled back"; }
[ "$(addresses)" = "10.77.0.121/24 " ] || fail "after the rollback: $(addresses)"
in_card grep -q 'address 10.77.0.121/24' /etc/network/interfaces.d/50-cloud-init ||
    fail "the old interfaces file is not back"
"$labtool" --name "$name" run --fresh-home -- "$hl" exec hive@10.77.0.121 -i "$tmp/id_ed25519" \
    --accept-new-host-key -- true || fail "no login at 10.77.0.121 after the rollback"
step "the board restored 10.77.0.121 by itself; lab file unchanged"
