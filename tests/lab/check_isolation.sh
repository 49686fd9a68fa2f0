#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The lab is private: no lab interface on the host, no default route anywhere in the lab,
# boards with their own hostname and accounts, the host's files untouched.
#   check_isolation.sh HIVELAB_LAB_TOOL INSTANCE
set -euo pipefail
tool=$1 name=$2
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the lab needs root"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
lab() { "$tool" --name "$name" "$@"; }

lab status >/dev/null || fail "status reports an unhealthy lab: $(lab status)"
if ip -o link | awk -F': ' '{print $2}' | grep -qE '^(lap|b[0-9]+)(@|$)'; then
    fail "a lab link appeared on the host"
fi
[ "$(lab run -- ip -o link | awk -F': ' '{print $2}' | cut -d@ -f1 | sort | tr '\n' ' ')" = "eth0 lo " ] ||
    fail "the laptop has other links than lo and eth0"
eval "$(lab env)"
routes=$(lab run -- ip -4 route)
if [ "$(wc -l <<<"$routes")" -ne 1 ] || [[ $routes != "$HIVELAB_LAB_SUBNET dev eth0 "* ]]; then
    fail "laptop routes: $routes"
fi
# A route lookup sends nothing: it proves no packet could leave for the outside world.
if lab run -- ip route get 192.0.2.1 >/dev/null 2>&1; then fail "the laptop has a route out"; fi
for entry in $HIVELAB_LAB_BOARDS; do
    k=${entry%%=*}
    IFS=: read -r _ _ _ host user _ <<<"${entry#*=}"
    # One call per board: each `board` call is a process start, slow on a loaded machine.
    {
        read -r route
        read -r uts
        read -r etc
        read -r login
        read -r rootdir
    } < <(
        # shellcheck disable=SC2016 # runs on the board
        lab board "$k" -- sh -c 'ip -4 route show default | wc -l; hostname; cat /etc/hostname
        getent passwd "$1" | cut -d: -f1; stat -c %d:%i /root' sh "$user")
    [ "$route" = 0 ] || fail "board $k has a default route"
    if [ "$uts" != "$host" ] || [ "$etc" != "$host" ]; then fail "board $k is '$uts' ('$etc')"; fi
    [ "$login" = "$user" ] || fail "board $k has no user $user"
    [ "$rootdir" != "$(stat -c %d:%i /root)" ] || fail "board $k shares the host's /root"
    if getent passwd "$user" >/dev/null; then fail "user $user leaked onto the host"; fi
done
[ "$(hostname)" != pine64-1 ] || fail "the host's hostname changed"
echo "isolation ok"
