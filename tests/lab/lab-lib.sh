# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the lab's shell tests (run through `hivelab-lab run`), after `set -euo pipefail`:
# fail/step, a private $tmp removed on exit (plus the script's own `cleanup`, if it defines
# one), the boards of HIVELAB_LAB_BOARDS (tests/lab/README.md) as arrays IP PORT SERVER HOST
# USR DOCKER AUTH POWER indexed by K and `lab_boards` in order, and `on K CMD…`: CMD as root
# over OpenSSH with the lab key (options in ssh_opts), independent of Hivelab's own SSH layer.

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%6.2fs  %s\n' "$(($(date +%s%N) - t0))e-9" "$*"; }
t0=$(date +%s%N)

[ -n "${HIVELAB_LAB_BOARDS:-}" ] || fail "HIVELAB_LAB_BOARDS is not set: run me through hivelab-lab run"
tmp=$(mktemp -d)
lab_exit() {
    if declare -F cleanup >/dev/null; then cleanup; fi
    rm -rf "$tmp"
}
trap lab_exit EXIT

declare -A IP PORT SERVER HOST USR DOCKER AUTH POWER
lab_boards=()
for entry in $HIVELAB_LAB_BOARDS; do
    k=${entry%%=*}
    IFS=: read -r "IP[$k]" "PORT[$k]" "SERVER[$k]" "HOST[$k]" "USR[$k]" "DOCKER[$k]" "AUTH[$k]" \
        "POWER[$k]" <<<"${entry#*=}"
    lab_boards+=("$k")
done

ssh_opts=(-o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$tmp/known_hosts"
    -o ConnectTimeout=5 -o LogLevel=ERROR)
# BatchMode: no password prompt can hide a failed key login.
on() {
    local k=$1
    shift
    timeout 30 ssh "${ssh_opts[@]}" -o BatchMode=yes -i "$HIVELAB_LAB_KEY" -p "${PORT[$k]}" \
        "root@${IP[$k]}" "$@"
}
