#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# DietPi first boot end to end, as root on the host:
#   tests/lab/e2e_dietpi.sh HIVELAB_LAB_TOOL INSTANCE
# plan 3 DietPi boards (dp-1 and dp-3 `sshServer: dropbear`, dp-2 without a choice: OpenSSH) ->
# `hivelab flash` the lab's DietPi-shaped card (make-card-image --dietpi, cached) onto 3 loop
# devices with --lab/--board, each dietpi.txt edited with its board's identity -> the lab boots
# them through its DietPi stand-in (docs/LAB.md) -> `hivelab discover --login --into` finds each
# at its planned address with its planned hostname and merges it into its planned board (DietPi
# carries no instance ID: by hostname; no new board) -> key login without a password as dietpi
# on the Dropbear and the OpenSSH boards (banners checked), sudo -n; the stand-in applied the
# time zone and DietPi's default global password, which is gone from the cards -> `hivelab
# provision` installs docker.io -> `hivelab swarm form` -> 3 managers Ready.
set -euo pipefail
card_image_opts=(--dietpi)
source "$(dirname "$0")/card-lib.sh"
step "card image $image"

plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "dietpi",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "dietpi", "timezone": "Europe/Berlin"},
 "boards": [{"id": "dp-1", "hostname": "dp-1", "addressing": "static", "role": "manager",
             "firstBoot": {"sshServer": "dropbear"}},
            {"id": "dp-2", "hostname": "dp-2", "addressing": "static", "role": "manager"},
            {"id": "dp-3", "hostname": "dp-3", "addressing": "static", "role": "manager",
             "firstBoot": {"sshServer": "dropbear"}}]}
LAB
server=([1]=dropbear [2]=openssh [3]=dropbear)
cards 3
args=()
for k in 1 2 3; do
    args+=(--device "${loops[k - 1]}" --board "dp-$k")
done
"$hl" flash "$image" "${args[@]}" --lab "$plan" --key "$tmp/id_ed25519" --yes \
    >"$tmp/flash.out" 2>"$tmp/flash.err" || { cat "$tmp/flash.err" >&2; fail "flash --lab"; }
step "flashed and prepared ${loops[*]}"
fat() { MTOOLS_SKIP_CHECK=1 mtype -i "${loops[$1 - 1]}@@1048576" ::/dietpi.txt 2>/dev/null; }
for k in 1 2 3; do
    [ "$(json "d['boards'][$k-1]['ip']" "$plan")" = "10.77.0.$((100 + k))" ] ||
        fail "dp-$k planned at $(json "d['boards'][$k-1]['ip']" "$plan")"
    want=$([ "${server[k]}" = dropbear ] && echo -1 || echo -2)
    fat "$k" | grep -qx "AUTO_SETUP_SSH_SERVER_INDEX=$want" || fail "dp-$k: server index not $want"
done

"$labtool" --name "$name" up 3 --card 1="${loops[0]}" --card 2="${loops[1]}" \
    --card 3="${loops[2]}" --replace --timeout 120 >"$tmp/up.out" 2>&1 ||
    { cat "$tmp/up.out" >&2; fail "lab up from the cards"; }
step "3 boards booted from their cards through the DietPi stand-in"

lab_run "$hl" discover 10.77.0.0/24 --login --user dietpi -i "$tmp/id_ed25519" \
    --accept-new-host-key --no-dns --json --into "$plan" \
    >"$tmp/found.jsonl" 2>"$tmp/discover.err" || { cat "$tmp/discover.err" >&2; fail "discover"; }
step "discovered"
python3 - "$tmp/found.jsonl" "$plan" <<'PY' || { cat "$tmp/found.jsonl" >&2; fail "discover result"; }
import json, sys
hosts = {h["ip"]: h for h in (json.loads(l) for l in open(sys.argv[1]) if l.strip())}
lab = json.load(open(sys.argv[2]))
assert len(lab["boards"]) == 3, [b["id"] for b in lab["boards"]]  # merged, nothing new
for k, banner in ((1, "SSH-2.0-dropbear"), (2, "SSH-2.0-OpenSSH"), (3, "SSH-2.0-dropbear")):
    ip = f"10.77.0.{100 + k}"
    h = hosts.get(ip)
    assert h, f"nothing found at {ip}"
    assert h["sshBanner"].startswith(banner), (banner, h)
    assert h["identification"]["hostname"] == f"dp-{k}", h
    assert not h["identification"].get("instanceId"), h  # DietPi: no cloud-init marker
    b = next(b for b in lab["boards"] if b["id"] == f"dp-{k}")
    assert b["ip"] == ip and b["mac"], b  # matched to its planned board: the MAC is filled in
PY
for k in 1 2 3; do
    grep -q "dp-$k at 10.77.0.$((100 + k)): " "$tmp/discover.err" ||
        { cat "$tmp/discover.err" >&2; fail "dp-$k not merged into its planned board"; }
done
step "each board at its planned address with its planned hostname and server"

for k in 1 2 3; do
    ip=10.77.0.$((100 + k))
    got=$(lab_run "$hl" exec "dietpi@$ip" -i "$tmp/id_ed25519" --accept-new-host-key -- \
        sudo -n cat /etc/hostname /etc/timezone 2>&1) || fail "key login / sudo on dp-$k: $got"
    [ "$got" = "dp-$k"$'\n'"Europe/Berlin" ] || fail "dp-$k: hostname/time zone '$got'"
    # The global password was applied to root and dietpi, and is gone from the card.
    hashes=$("$labtool" --name "$name" board "$k" -- chroot "/run/hivelab-lab/$name/b$k/cardroot" \
        sh -c "grep -E '^(root|dietpi):' /etc/shadow | cut -d: -f2 | cut -c1")
    [ "$hashes" = '$'$'\n''$' ] || fail "dp-$k: root/dietpi password not set"
    fat "$k" | grep -q '^AUTO_SETUP_GLOBAL_PASSWORD=dietpi' && fail "dp-$k: password left on the card"
    fat "$k" | grep -q '^AUTO_SETUP_GLOBAL_PASSWORD=(applied' || fail "dp-$k: dietpi.txt not written back"
done
step "key login without password as dietpi (Dropbear and OpenSSH), sudo, time zone, password"

provision_and_form "$plan" dietpi dp
printf 'lab_e2e_dietpi: whole chain in %.1f s\n' "$(($(date +%s%N) - t0))e-9"
