#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `hivelab provision` on 2 bare boards (own lab, instance name + "b"): what it installs besides
# docker.io. Board 1's kernel enforces AppArmor as Docker's runc sees it: the securityfs
# directory and /sys/module/apparmor/parameters/enabled = Y (tmpfs mounts in the board's own
# mount namespace; this kernel has no AppArmor). Docker 20.10 cannot start a container there
# without apparmor_parser, so provision must install apparmor on board 1, and only there;
# ca-certificates on both (a bare board has none, like a minimal Debian). docs/SWARM.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lab-lib.sh
. "$here/lab-lib.sh"
hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
[ "${#lab_boards[@]}" -eq 2 ] && [ "${DOCKER[1]}" = bare ] && [ "${DOCKER[2]}" = bare ] ||
    fail "needs a lab of 2 bare boards"

"$here/hivelab-lab" board 1 -- sh -ec '
    mount -n -t tmpfs hl-securityfs /sys/kernel/security
    mkdir /sys/kernel/security/apparmor
    : >/sys/kernel/security/apparmor/profiles
    mount -n -t tmpfs hl-module /sys/module
    mkdir -p /sys/module/apparmor/parameters
    echo Y >/sys/module/apparmor/parameters/enabled' || fail "faking AppArmor on board 1"
installed() { on "$1" dpkg-query -W -f "'\${Status}'" "$2" 2>/dev/null | grep -q "ok installed"; }
for k in 1 2; do
    for p in docker.io apparmor ca-certificates; do
        if installed "$k" "$p"; then fail "bare board $k has $p before provision"; fi
    done
done
step "board 1 reports AppArmor enforced, board 2 none; neither has docker.io, apparmor, ca-certificates"

{
    printf '{"format":"hivelab-lab","schemaVersion":1,"name":"aa","racks":[],"powerSupplies":[],'
    printf '"switches":[],"swarm":{"advertiseNetwork":"","defaultLabels":{}},"boards":['
    for k in 1 2; do
        [ "$k" -gt 1 ] && printf ','
        printf '{"id":"%s","name":"%s","hostname":"%s","model":"","arch":"","os":"","mac":"",' \
            "${HOST[$k]}" "${HOST[$k]}" "${HOST[$k]}"
        printf '"ip":"%s","addressing":"static","sshHost":"","sshPort":%s,"sshUser":"root",' \
            "${IP[$k]}" "${PORT[$k]}"
        printf '"role":"manager","rackId":"","slot":-1,"psuId":"","switchId":"","switchPort":-1,'
        printf '"labels":{},"storage":[],"notes":""}'
    done
    printf ']}\n'
} >"$tmp/aa.hivelab"
"$hl" provision "$tmp/aa.hivelab" --accept-new-host-keys --known-hosts "$tmp/hl_known_hosts" \
    >"$tmp/provision.out" 2>"$tmp/provision.err" ||
    { cat "$tmp/provision.out" "$tmp/provision.err" >&2; fail "provision"; }
step "provision: $(grep -c "docker.io installed" "$tmp/provision.err") board(s) installed"

for k in 1 2; do
    installed "$k" docker.io || fail "board $k: docker.io not installed"
    installed "$k" ca-certificates || fail "board $k: ca-certificates not installed"
done
installed 1 apparmor || fail "board 1 (AppArmor enforced): apparmor not installed"
if installed 2 apparmor; then fail "board 2 (no AppArmor): apparmor installed all the same"; fi
# The engine on board 1 sees AppArmor too (so it would load its profile with apparmor_parser).
on 1 docker info --format "'{{.SecurityOptions}}'" | grep -q "name=apparmor" ||
    fail "board 1: the engine does not see AppArmor"
step "apparmor installed where the kernel enforces AppArmor only; ca-certificates on both"
