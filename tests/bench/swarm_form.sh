#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): forming a 3-manager + 2-worker swarm (or with BOARDS=10, 5 managers +
# 5 workers) with `hivelab swarm form` vs a sequential shell script of ssh + docker swarm
# init/join on the same boards. Runs inside a lab whose first BOARDS powered-on boards all run
# Docker:
#   tests/lab/hivelab-lab --name hlbench up 10 --replace
#   tests/lab/hivelab-lab --name hlbench run --fresh-home -- tests/bench/swarm_form.sh build/app/hivelab [ROUNDS] [BOARDS] [BASELINE]
#   tests/lab/hivelab-lab --name hlbench down
# Both sides log in as root with the lab key; each round leaves the swarm again (not timed).
# BASELINE (optional): another hivelab binary (e.g. a copy of the previous build) timed in the
# same rounds, alternating which of the two goes first, so both see the same machine load.
set -euo pipefail
hivelab=${1:?usage: swarm_form.sh HIVELAB_BINARY [ROUNDS] [BOARDS] [BASELINE_BINARY]}
rounds=${2:-3}
want=${3:-5}
baseline=${4:-}
case $want in 5) mgrs=3 ;; 10) mgrs=5 ;; *) echo "BOARDS is 5 or 10" >&2; exit 2 ;; esac
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
bench_pick "$want" docker
bench_lab_file "$tmp/bench.hivelab" "$mgrs"

leave_all() {
    for i in $(seq $last -1 0); do on "$i" docker swarm leave --force >/dev/null 2>&1 || true; done
}

sequential() {
    on 0 docker swarm init --advertise-addr "${IP[0]}" >/dev/null
    local mt wt
    mt=$(on 0 docker swarm join-token -q manager)
    wt=$(on 0 docker swarm join-token -q worker)
    for i in $(seq 1 $((mgrs - 1))); do
        on "$i" docker swarm join --advertise-addr "${IP[i]}" --token "$mt" "${IP[0]}:2377" >/dev/null
    done
    for i in $(seq $mgrs $last); do
        on "$i" docker swarm join --advertise-addr "${IP[i]}" --token "$wt" "${IP[0]}:2377" >/dev/null
    done
}

hl() {
    "${1:-$hivelab}" swarm form "$tmp/bench.hivelab" --accept-new-host-keys \
        --known-hosts "$tmp/hl_known_hosts" >"$tmp/hl.out" 2>"$tmp/hl.err" ||
        { cat "$tmp/hl.out" "$tmp/hl.err" >&2; exit 1; }
}

# Every board Ready, exactly the planned managers Leader/Reachable.
check() {
    local nodes ready managers planned
    nodes=$(on 0 "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'")
    ready=$(grep -c ' Ready' <<<"$nodes" || true)
    [ "$ready" -eq "$n" ] || { echo "expected $n Ready nodes: $nodes" >&2; exit 1; }
    managers=$(awk '$3 == "Leader" || $3 == "Reachable" {print $1}' <<<"$nodes" | sort | paste -sd' ' -)
    planned=$(printf '%s\n' "${HOST[@]:0:$mgrs}" | sort | paste -sd' ' -)
    [ "$managers" = "$planned" ] || { echo "managers $managers, planned $planned" >&2; exit 1; }
}

leave_all
# Warm up both sides once (host keys, page cache), not timed.
sequential; leave_all; hl; leave_all
[ -z "$baseline" ] || { hl "$baseline"; leave_all; }
seq_ms=() hl_ms=() again_ms=() base_ms=()
for r in $(seq 1 "$rounds"); do
    t=$(now); sequential; seq_ms+=($((($(now) - t) / 1000000))); check; leave_all
    if [ -n "$baseline" ] && [ $((r % 2)) -eq 1 ]; then
        t=$(now); hl "$baseline"; base_ms+=($((($(now) - t) / 1000000))); check; leave_all
    fi
    t=$(now); hl; hl_ms+=($((($(now) - t) / 1000000))); check
    t=$(now); hl; again_ms+=($((($(now) - t) / 1000000))); leave_all
    if [ -n "$baseline" ] && [ $((r % 2)) -eq 0 ]; then
        t=$(now); hl "$baseline"; base_ms+=($((($(now) - t) / 1000000))); check; leave_all
    fi
    echo "round $r (load $(cut -d' ' -f1 /proc/loadavg)): sequential ssh ${seq_ms[-1]} ms, hivelab swarm form ${hl_ms[-1]} ms, again (no change) ${again_ms[-1]} ms${baseline:+, baseline ${base_ms[-1]} ms}"
done
s=$(median "${seq_ms[@]}") h=$(median "${hl_ms[@]}") a=$(median "${again_ms[@]}")
echo "$n boards ($mgrs managers), median over $rounds rounds: sequential ssh script $s ms, hivelab swarm form $h ms (verified, labelled), re-run $a ms"
awk -v s="$s" -v h="$h" 'BEGIN {printf "hivelab/script: %.2fx (script/hivelab %.2f)\n", h / s, s / h}'
if [ -n "$baseline" ]; then
    b=$(median "${base_ms[@]}")
    awk -v s="$s" -v h="$h" -v b="$b" 'BEGIN {printf "baseline %d ms, %.2fx the script; hivelab/baseline %.2f\n", b, b / s, h / b}'
fi
