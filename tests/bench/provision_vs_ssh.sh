#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): installing and starting Docker on 3 bare boards (no Docker installed;
# apt's only source is the lab's local repository, which offers docker.io, its recommends and
# their dependencies as a Debian mirror does) with `hivelab provision` vs what a user would run
# by hand: one `ssh root@BOARD 'apt-get update && apt-get install -y docker.io'` per board, all
# in parallel. The boards lack the recommends of docker.io that a minimal Debian lacks and the
# host has: `up --bare` purges ca-certificates, `--purge git` git (xz-utils stays: the
# repository's newer one would also upgrade the host's stale liblzma5, which an up-to-date board
# would not), so the hand-run command installs them as it would there; git's own dependencies
# (perl, git-man) stay installed, so a minimal Debian would make it install more. The lab's
# boards have no init system and their packages start no service (as in containers), so Docker
# is usable only once dockerd runs:
# the hand-run command also starts it (`setsid -f dockerd`) and waits until `docker info`
# answers, which is what `hivelab provision` does after the install (it also probes each board
# first: OS, init system, root access). Both log in as root with the lab key, use the same apt
# source, and each starts from freshly brought up bare boards (`up --bare` purges docker.io
# again: the same state as the first time, not timed). Rounds alternate which side goes first;
# an untimed warm-up of each fills the page cache. Each run also reports how many packages one
# board got (pkgs=, not timed). As root, from the source tree:
#   tests/bench/provision_vs_ssh.sh build/app/hivelab [ROUNDS]
# (the lab is named hlprov, or $HIVELAB_BENCH_LAB; it is taken down at the end).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = --one ]; then
    # One timed run of one side, inside `hivelab-lab run` on freshly brought up boards.
    side=$2 hivelab=$3
    # shellcheck source=bench-lib.sh
    . "$here/bench-lib.sh"
    bench_pick 3 bare
    # Every board: docker.io is not installed yet (the reset worked) and nothing answers.
    for i in $(seq 0 "$last"); do
        on "$i" '! dpkg-query -W -f "\${Status}" docker.io 2>/dev/null | grep -q "ok installed"' ||
            { echo "board ${HOST[i]}: docker.io is installed before the run" >&2; exit 1; }
    done
    count='dpkg-query -W -f "\${db:Status-Abbrev}\n" | grep -c "^ii"'
    before=$(on 0 "$count")
    t=$(now)
    case $side in
    ssh)
        for i in $(seq 0 "$last"); do
            timeout 600 ssh "${ssh_opts[@]}" -p "${PORT[i]}" "root@${IP[i]}" \
                'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io &&
                 setsid -f dockerd >>/var/log/dockerd.log 2>&1 </dev/null &&
                 i=0; until docker info >/dev/null 2>&1; do
                     i=$((i + 1)); [ $i -le 600 ] || exit 1; sleep 0.1; done' \
                >"$tmp/ssh$i.log" 2>&1 &
        done
        for i in $(seq 0 "$last"); do
            wait %$((i + 1)) || { cat "$tmp/ssh$i.log" >&2; echo "ssh on ${HOST[i]} failed" >&2; exit 1; }
        done
        ;;
    hivelab)
        bench_lab_file "$tmp/bench.hivelab" 0
        "$hivelab" provision "$tmp/bench.hivelab" --accept-new-host-keys \
            --known-hosts "$tmp/hl_known_hosts" >"$tmp/hl.out" 2>"$tmp/hl.err" ||
            { cat "$tmp/hl.out" "$tmp/hl.err" >&2; exit 1; }
        ;;
    esac
    ms=$((($(now) - t) / 1000000))
    # Not timed: every board's own engine answers.
    for i in $(seq 0 "$last"); do
        v=$(on "$i" "docker version --format '{{.Server.Version}}'") ||
            { echo "board ${HOST[i]}: no engine after $side" >&2; exit 1; }
        [ -n "$v" ] || { echo "board ${HOST[i]}: no engine version after $side" >&2; exit 1; }
    done
    pkgs=$(($(on 0 "$count") - before))
    if [ "$side" = hivelab ]; then
        # Progress per board: how many lines each board's log got while it ran.
        lines=$(for i in $(seq 0 "$last"); do grep -c "${HOST[i]}" "$tmp/hl.err" || true; done | paste -sd/ -)
        echo "$ms pkgs=$pkgs progress-lines=$lines"
    else
        echo "$ms pkgs=$pkgs"
    fi
    exit 0
fi

hivelab=$(realpath "${1:?usage: provision_vs_ssh.sh HIVELAB_BINARY [ROUNDS]}")
rounds=${2:-5}
name=${HIVELAB_BENCH_LAB:-hlprov}
lab=$here/../lab/hivelab-lab
[ "$(id -u)" -eq 0 ] || { echo "run me as root (the lab needs it)" >&2; exit 77; }
trap '"$lab" --name "$name" down >/dev/null 2>&1 || true' EXIT
log=$(mktemp)

# One side on freshly brought up bare boards; prints its milliseconds (and notes).
one() {
    "$lab" --name "$name" up 3 --bare 1-3 --purge git --replace >"$log" 2>&1 ||
        { cat "$log" >&2; echo "lab up failed" >&2; exit 1; }
    "$lab" --name "$name" run --fresh-home -- "$here/provision_vs_ssh.sh" --one "$1" "$hivelab"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

one ssh >/dev/null
one hivelab >/dev/null
ssh_ms=() hl_ms=()
for r in $(seq 1 "$rounds"); do
    l0=$(load)
    if [ $((r % 2)) -eq 1 ]; then
        s=$(one ssh); h=$(one hivelab)
    else
        h=$(one hivelab); s=$(one ssh)
    fi
    ssh_ms+=("${s%% *}") hl_ms+=("${h%% *}")
    echo "round $r: parallel ssh apt-get ${s%% *} ms (${s#* }), hivelab provision ${h%% *} ms (${h#* }), load $l0 -> $(load)"
done
# min and median of the arguments
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[1], a[int((NR+1)/2)]}'; }
read -r smin s <<<"$(stats "${ssh_ms[@]}")"
read -r hmin h <<<"$(stats "${hl_ms[@]}")"
echo "3 bare boards, $rounds rounds: parallel ssh apt-get min $smin / median $s ms, hivelab provision min $hmin / median $h ms"
awk -v s="$s" -v h="$h" -v sm="$smin" -v hm="$hmin" \
    'BEGIN {printf "hivelab/ssh: median %.2fx, min %.2fx\n", h / s, hm / sm}'
