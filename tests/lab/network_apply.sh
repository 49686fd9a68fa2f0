#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Static address on a board that already runs, as root on the host:
#   tests/lab/network_apply.sh HIVELAB_LAB_TOOL INSTANCE
# Two boards boot from cards flashed with their first-boot identities: card-1 from the cloud-init
# card (10.77.0.101, ifupdown rendered by the card's cloud-init into interfaces.d), dp-2 from the
# DietPi-shaped card with Dropbear (10.77.0.102, /etc/network/interfaces as DietPi's first boot
# edits it; booted through the lab's DietPi stand-in). Cases:
# 1. the plan moves it to .12K: `hivelab network apply` finds ifupdown, stages the change with
#    its on-board watchdog, switches, confirms at .12K over a new connection with the same host
#    key; the lab file records .12K and the board keeps it after the watchdog's bound has passed;
# 2. the plan moves it to 10.78.0.K (inside the plan's /14, but the laptop is a /24 without a
#    default route: unreachable): the board switches, nobody confirms, its watchdog restores
#    .12K, `network apply` finds it there again, exits 1 and leaves the lab file as it was.
# (card-1 both, dp-2 the first) and, for dp-2, 3. the unreachable move cancelled (SIGINT) while
#    the board is moving: the command stops at once (exit 130) and says the board rolls back,
#    the board's own watchdog restores .122, the lab file is unchanged.
set -euo pipefail
source "$(dirname "$0")/card-lib.sh"
dietpi_image=$("$here/make-card-image" --dietpi) || exit $?

plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "moves",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "hive", "timezone": "UTC"},
 "boards": [{"id": "card-1", "hostname": "card-1", "addressing": "static", "sshUser": "hive"},
            {"id": "dp-2", "hostname": "dp-2", "addressing": "static", "sshUser": "dietpi",
             "firstBoot": {"sshServer": "dropbear"}}]}
LAB
cards 2
for k in 1 2; do
    img=$([ "$k" = 1 ] && echo "$image" || echo "$dietpi_image")
    id=$(json "d['boards'][$k-1]['id']" "$plan")
    "$hl" flash "$img" --device "${loops[k - 1]}" --board "$id" --lab "$plan" \
        --key "$tmp/id_ed25519" --yes >"$tmp/flash.out" 2>"$tmp/flash.err" ||
        { cat "$tmp/flash.err" >&2; fail "flash --lab $id"; }
done
"$labtool" --name "$name" up 2 --card 1="${loops[0]}" --card 2="${loops[1]}" --replace \
    --timeout 150 >"$tmp/up.out" 2>&1 || { cat "$tmp/up.out" >&2; fail "lab up from the cards"; }
grep -qE '^ *2 +dp-2 +10\.77\.0\.102:22 +dropbear ' "$tmp/up.out" ||
    { cat "$tmp/up.out" >&2; fail "dp-2 is not up with Dropbear"; }
step "card-1 (cloud-init) and dp-2 (DietPi stand-in, Dropbear) booted at .101 and .102"

# Board K of the plan (K-1 in its boards) and of the lab.
edit() { python3 - "$plan" "$@" <<'PY'
import json, sys
path, k, subnet, ip = sys.argv[1:5]
lab = json.load(open(path))
lab["network"]["subnet"] = subnet
lab["boards"][int(k) - 1]["ip"] = ip
json.dump(lab, open(path, "w"), indent=4)
PY
}
on_board() { "$labtool" --name "$name" board "$K" -- "$@"; }
# The card's own root (its /etc, and its /run where the watchdog keeps its files).
in_card() { on_board chroot "/run/hivelab-lab/$name/b$K/cardroot" "$@"; }
addresses() { on_board ip -4 -o addr show dev eth0 | awk '{print $4}' | tr '\n' ' '; }
apply() {
    hl_lab network apply "$plan" "$ID" --rollback-seconds "$1" --from "$ID=$2" \
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

# 1. Moved and confirmed (rollback bound $1 s).
confirmed() {
    local old=10.77.0.$((100 + K)) new=10.77.0.$((120 + K))
    edit "$K" 10.77.0.0/24 "$new"
    apply "$1" "$old" || { cat "$tmp/apply.err" >&2; fail "network apply $ID to $new"; }
    step "network apply: $ID moved to $new"
    cat "$tmp/apply.err"
    [ "$(json "d['boards'][$K-1]['ip']" "$plan")" = "$new" ] || fail "lab file ip not $new"
    [ "$(json "d['boards'][$K-1].get('sshHost', '')" "$plan")" = "" ] || fail "sshHost left set"
    [ "$(json "d['network']['$ID']['stack']" "$tmp/apply.json")" = ifupdown ] ||
        { cat "$tmp/apply.json" >&2; fail "stack not ifupdown"; }
    [ "$(addresses)" = "$new/24 " ] || fail "board holds $(addresses)"
    in_card grep -q "address $new/24" "$IFACES" ||
        fail "the interfaces file does not hold the new address"
    # cloud-init (the cloud-init card; DietPi has none) is told not to render its seed again.
    in_card test ${CLOUD:+"$CLOUD"} -e /etc/cloud/cloud.cfg.d/99-hivelab-network.cfg ||
        fail "cloud-init file: expected test $CLOUD -e"
    await_watchdog 60
    [ "$(addresses)" = "$new/24 " ] || fail "after the watchdog: $(addresses)"
    in_card sh -c 'test ! -e /run/hivelab-network/*/rolledback' || fail "rolled back anyway"
    step "$ID keeps $new past its rollback bound"
    in_card sh -c 'rm -rf /run/hivelab-network'
}

# 2. Unreachable: rolled back on the board, the lab file unchanged.
unreachable() {
    local new=10.77.0.$((120 + K)) far=10.78.0.$K
    edit "$K" 10.76.0.0/14 "$far"
    cp "$plan" "$tmp/before.hivelab"
    local rc=0
    apply 12 "$new" || rc=$?
    [ "$rc" = 1 ] || { cat "$tmp/apply.err" >&2; fail "apply to $far exited $rc, not 1"; }
    step "network apply $ID to $far: failed as it should"
    cat "$tmp/apply.err"
    cmp -s "$plan" "$tmp/before.hivelab" || fail "the lab file changed"
    [ "$(json "d['network']['$ID']['rolledBack']" "$tmp/apply.json")" = True ] ||
        { cat "$tmp/apply.json" >&2; fail "not reported as rolled back"; }
    [ "$(addresses)" = "$new/24 " ] || fail "after the rollback: $(addresses)"
    in_card grep -q "address $new/24" "$IFACES" || fail "the old interfaces file is not back"
    lab_run "$hl" exec "$USR@$new" -i "$tmp/id_ed25519" --accept-new-host-key -- true ||
        fail "no login at $new after the rollback"
    step "$ID restored $new by itself; lab file unchanged"
    in_card sh -c 'rm -rf /run/hivelab-network'
    edit "$K" 10.77.0.0/24 "$new" # the plan where the board is again
}

K=1 ID=card-1 USR=hive IFACES=/etc/network/interfaces.d/50-cloud-init CLOUD=
confirmed 20
unreachable
# dp-2: the same stack (ifupdown) in DietPi's own file, so its rollback is exercised by a cancel
# instead of a second unreachable move (it runs the same on-board watchdog).
K=2 ID=dp-2 USR=dietpi IFACES=/etc/network/interfaces CLOUD=!
confirmed 15

# 3. dp-2 cancelled while it moves: the board rolls back by itself.
edit 2 10.76.0.0/14 10.78.0.2
cp "$plan" "$tmp/before.hivelab"
"$labtool" --name "$name" run --fresh-home -- "$hl" network apply "$plan" dp-2 \
    -i "$tmp/id_ed25519" --accept-new-host-keys --rollback-seconds 12 --from dp-2=10.77.0.122 \
    --json >"$tmp/apply.json" 2>"$tmp/apply.err" &
apply_pid=$!
cleanup() { kill "$apply_pid" 2>/dev/null || true; }
deadline=$(($(date +%s) + 30))
until [ "$(addresses)" = "10.78.0.2/14 " ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { cat "$tmp/apply.err" >&2; fail "dp-2 never moved"; }
    kill -0 "$apply_pid" 2>/dev/null || { cat "$tmp/apply.err" >&2; fail "apply ended early"; }
    sleep 0.2
done
step "dp-2 is moving to 10.78.0.2: cancelling"
kill -INT "$apply_pid"
rc=0
wait "$apply_pid" || rc=$?
[ "$rc" = 130 ] || { cat "$tmp/apply.err" >&2; fail "a cancelled apply exited $rc, not 130"; }
cat "$tmp/apply.err"
grep -q "restores its old address 10.77.0.122" "$tmp/apply.err" ||
    fail "the cancel did not say the board rolls back"
step "cancelled (exit $rc); waiting for the board's own rollback"
cmp -s "$plan" "$tmp/before.hivelab" || fail "the lab file changed"
await_watchdog 60
[ "$(addresses)" = "10.77.0.122/24 " ] || fail "after the cancel: $(addresses)"
in_card sh -c 'test -e /run/hivelab-network/*/rolledback' || fail "no rollback recorded"
in_card grep -q "address 10.77.0.122/24" /etc/network/interfaces ||
    fail "the old interfaces file is not back"
lab_run "$hl" exec dietpi@10.77.0.122 -i "$tmp/id_ed25519" --accept-new-host-key -- true ||
    fail "no login at 10.77.0.122 after the rollback"
step "dp-2 restored 10.77.0.122 by itself after the cancel; lab file unchanged"
printf 'lab_network_apply: %.1f s\n' "$(($(date +%s%N) - t0))e-9"
