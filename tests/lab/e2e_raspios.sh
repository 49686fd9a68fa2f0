#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Raspberry Pi OS first boot end to end, as root on the host:
#   tests/lab/e2e_raspios.sh HIVELAB_LAB_TOOL INSTANCE
# plan 2 boards (user hive, time zone Europe/Berlin) -> `hivelab flash` the lab's Raspberry Pi
# OS-shaped cards (make-card-image --raspios: Debian 12, boot partition at /boot/firmware,
# NetworkManager; --raspios-bullseye: Debian 11, /boot, dhcpcd) onto 2 loop devices with
# --lab/--board: cmdline.txt runs firstrun.sh, userconf.txt, ssh -> the lab boots them through
# its Raspberry Pi OS stand-in (docs/LAB.md), which runs each card's firstrun.sh for real with
# the card's bash, then plays userconf-pi, sshswitch and NetworkManager or dhcpcd -> `hivelab
# discover --login --into` finds each at its planned address with its planned hostname and merges
# it into its planned board -> key login as hive (the image's first user, renamed), sudo -n;
# on the board: hostname and its /etc/hosts line, the key file's owner and modes, password
# logins off in sshd, the time zone, the address file's mode -> the boot partition is as the
# image had it: cmdline.txt byte for byte, no firstrun.sh, userconf.txt or ssh left.
set -euo pipefail
card_image_opts=(--raspios)
source "$(dirname "$0")/card-lib.sh"
bullseye=$("$here/make-card-image" --raspios-bullseye) || exit $?
step "card images $image $bullseye"

plan=$tmp/plan.hivelab
cat >"$plan" <<'LAB'
{"format": "hivelab-lab", "schemaVersion": 1, "name": "raspios",
 "network": {"subnet": "10.77.0.0/24", "gateway": "10.77.0.1", "dns": ["10.77.0.1"],
             "poolStart": "10.77.0.101", "loginUser": "hive", "timezone": "Europe/Berlin"},
 "boards": [{"id": "rp-1", "hostname": "rp-1", "addressing": "static"},
            {"id": "rp-2", "hostname": "rp-2", "addressing": "static"}]}
LAB
img=([1]="$image" [2]="$bullseye")
bootdir=([1]=/boot/firmware [2]=/boot)
cards 2
fat() { MTOOLS_SKIP_CHECK=1 mtype -i "$1@@1048576" "::/$2" 2>/dev/null; }
has() { MTOOLS_SKIP_CHECK=1 mdir -b -i "${loops[$1 - 1]}@@1048576" "::/$2" >/dev/null 2>&1; }
for k in 1 2; do
    "$hl" flash "${img[k]}" --device "${loops[k - 1]}" --board "rp-$k" --lab "$plan" \
        --key "$tmp/id_ed25519" --yes >"$tmp/flash.out" 2>"$tmp/flash.err" ||
        { cat "$tmp/flash.err" >&2; fail "flash --lab rp-$k"; }
    [ "$(json "d['boards'][$k-1]['ip']" "$plan")" = "10.77.0.$((100 + k))" ] ||
        fail "rp-$k planned at $(json "d['boards'][$k-1]['ip']" "$plan")"
    fat "${loops[k - 1]}" cmdline.txt | grep -q " systemd.run=${bootdir[k]}/firstrun.sh " ||
        fail "rp-$k: cmdline.txt does not run ${bootdir[k]}/firstrun.sh"
    fat "${loops[k - 1]}" userconf.txt | grep -q '^hive:\$6\$' || fail "rp-$k: userconf.txt"
    has "$k" ssh || fail "rp-$k: no ssh file"
done
step "flashed and prepared ${loops[*]}"

"$labtool" --name "$name" up 2 --card 1="${loops[0]}" --card 2="${loops[1]}" --replace \
    --timeout 120 >"$tmp/up.out" 2>&1 || { cat "$tmp/up.out" >&2; fail "lab up from the cards"; }
step "2 boards booted from their cards through the Raspberry Pi OS stand-in"

lab_run "$hl" discover 10.77.0.0/24 --login --user hive -i "$tmp/id_ed25519" \
    --accept-new-host-key --no-dns --json --into "$plan" \
    >"$tmp/found.jsonl" 2>"$tmp/discover.err" || { cat "$tmp/discover.err" >&2; fail "discover"; }
python3 - "$tmp/found.jsonl" "$plan" <<'PY' || { cat "$tmp/found.jsonl" >&2; fail "discover result"; }
import json, sys
hosts = {h["ip"]: h for h in (json.loads(l) for l in open(sys.argv[1]) if l.strip())}
lab = json.load(open(sys.argv[2]))
assert len(lab["boards"]) == 2, [b["id"] for b in lab["boards"]]  # merged, nothing new
for k in (1, 2):
    ip = f"10.77.0.{100 + k}"
    h = hosts.get(ip)
    assert h, f"nothing found at {ip}"
    assert h["sshBanner"].startswith("SSH-2.0-OpenSSH"), h
    assert h["identification"]["hostname"] == f"rp-{k}", h
    b = next(b for b in lab["boards"] if b["id"] == f"rp-{k}")
    assert b["ip"] == ip and b["mac"], b  # matched to its planned board: the MAC is filled in
PY
step "each board at its planned address with its planned hostname"

on_board() { lab_run "$hl" exec "hive@10.77.0.10$1" -i "$tmp/id_ed25519" --accept-new-host-key -- "${@:2}" 2>&1; }
for k in 1 2; do
    got=$(on_board "$k" sudo -n sh -c "'hostname; cat /etc/hostname; grep ^127.0.1.1 /etc/hosts; id -un; stat -c \"%U %a\" /home/hive/.ssh /home/hive/.ssh/authorized_keys; cat /etc/timezone; readlink /etc/localtime; sshd -T | grep ^passwordauthentication'") ||
        fail "key login / sudo on rp-$k: $got"
    want="rp-$k
rp-$k
127.0.1.1	rp-$k
root
hive 700
hive 600
Europe/Berlin
/usr/share/zoneinfo/Europe/Berlin
passwordauthentication no"
    [ "$got" = "$want" ] || fail "rp-$k after first boot:"$'\n'"$got"$'\n'"wanted:"$'\n'"$want"
    [ "$(on_board "$k" wc -l /home/hive/.ssh/authorized_keys)" = "1 /home/hive/.ssh/authorized_keys" ] ||
        fail "rp-$k: not exactly the one key"
    # Nothing of the image's first user is left.
    on_board "$k" getent passwd pi && fail "rp-$k: user pi still there"
    # The boot partition as the image had it: the script and its entry gone.
    [ "$(fat "${loops[k - 1]}" cmdline.txt)" = "$(fat "${img[k]}" cmdline.txt)" ] ||
        fail "rp-$k: cmdline.txt not restored: $(fat "${loops[k - 1]}" cmdline.txt)"
    for f in firstrun.sh userconf.txt ssh; do
        has "$k" "$f" && fail "rp-$k: $f left on the boot partition"
    done
done
got=$(on_board 1 sudo -n stat -c "'%U %a'" /etc/NetworkManager/system-connections/hivelab-eth0.nmconnection) ||
    fail "rp-1: no NetworkManager keyfile: $got"
[ "$got" = "root 600" ] || fail "rp-1: keyfile $got"
on_board 2 grep -qx "'static ip_address=10.77.0.102/24'" /etc/dhcpcd.conf || fail "rp-2: dhcpcd.conf"
step "key login as hive, sudo, hostname, key file modes, no password logins, time zone, boot partition restored"
printf 'lab_e2e_raspios: whole chain in %.1f s\n' "$(($(date +%s%N) - t0))e-9"
