#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A slow board is still found, from the lab's laptop namespace:
#   hivelab-lab up 2 --no-docker 1,2; hivelab-lab run -- tests/lab/discover_slow.sh
# Everything board 2 sends reaches the LAN 450 ms late (`hivelab-lab delay`), and the laptop's
# neighbour table starts empty, so its first connect needs two round trips (ARP, then SYN):
# 900 ms, past the 600 ms probe timeout. `hivelab discover` must still report it with its SSH
# banner, as it does board 1, and every host `nmap -sn` finds.
set -euo pipefail
# shellcheck source=tests/lab/lab-lib.sh
. "$(dirname "$0")/lab-lib.sh"

hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
tool=${HIVELAB_LAB_TOOL:-$(dirname "$0")/hivelab-lab}
slow=${lab_boards[1]:?needs 2 boards}
delay_pid=
cleanup() {
    if [ -n "$delay_pid" ]; then kill "$delay_pid" 2>/dev/null || true; wait "$delay_pid" || true; fi
}

coproc DELAY { exec "$tool" delay "$slow" 450 2>&1; }
# shellcheck disable=SC2153 # DELAY_PID is set by coproc
delay_pid=$DELAY_PID
read -t 20 -r said <&"${DELAY[0]}" || true
[ "${said:-}" = ready ] || fail "hivelab-lab delay did not start: ${said:-nothing said}"
step "board $slow answers 450 ms late"

ip neigh flush dev eth0
"$hl" discover "$HIVELAB_LAB_SUBNET" --no-dns --json > "$tmp/found" 2> "$tmp/err" ||
    fail "discover: $(cat "$tmp/err")"
step "discover: $(tail -1 "$tmp/err")"
for k in "${lab_boards[@]}"; do
    line=$(grep -F "\"ip\":\"${IP[$k]}\"" "$tmp/found") || fail "board $k (${IP[$k]}) not found"
    grep -q "\"sshPort\":${PORT[$k]}" <<<"$line" || fail "board $k without its SSH port: $line"
    grep -qi "\"sshBanner\":\"SSH-2.0-[^\"]*${SERVER[$k]}" <<<"$line" ||
        fail "board $k without its ${SERVER[$k]} banner: $line"
done

if command -v nmap >/dev/null; then
    ip neigh flush dev eth0
    nmap -sn -n "$HIVELAB_LAB_SUBNET" | grep -o 'scan report for [0-9.]*' | awk '{print $4}' |
        sort > "$tmp/nmap"
    grep -o '"ip":"[0-9.]*"' "$tmp/found" | cut -d'"' -f4 | sort > "$tmp/ours"
    missing=$(comm -23 "$tmp/nmap" "$tmp/ours")
    [ -z "$missing" ] || fail "nmap -sn found what discover did not: $missing"
    step "nmap -sn finds $(wc -l < "$tmp/nmap") hosts, discover all of them"
fi
echo "PASS: the slow board is found with its banner"
