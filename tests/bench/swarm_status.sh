#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): `hivelab swarm status` on a formed 3-manager + 2-worker swarm, against
# a second hivelab binary in the same rounds (alternating which goes first, so both see the same
# machine load). Runs inside a lab whose first 5 powered-on boards run Docker:
#   tests/lab/hivelab-lab --name hlbench up 5 --replace
#   tests/lab/hivelab-lab --name hlbench run --fresh-home -- tests/bench/swarm_status.sh build/app/hivelab BASELINE [ROUNDS]
#   tests/lab/hivelab-lab --name hlbench down
# The swarm is formed once with the first binary (not timed) and left at the end.
set -euo pipefail
hivelab=${1:?usage: swarm_status.sh HIVELAB_BINARY BASELINE_BINARY [ROUNDS]}
baseline=${2:?usage: swarm_status.sh HIVELAB_BINARY BASELINE_BINARY [ROUNDS]}
rounds=${3:-10}
# shellcheck source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
bench_pick 5 docker
bench_lab_file "$tmp/bench.hivelab" 3

leave_all() {
    for i in $(seq $last -1 0); do on "$i" docker swarm leave --force >/dev/null 2>&1 || true; done
}
run() {
    "$1" swarm "$2" "$tmp/bench.hivelab" --accept-new-host-keys \
        --known-hosts "$tmp/hl_known_hosts" >"$tmp/hl.out" 2>"$tmp/hl.err" ||
        { cat "$tmp/hl.out" "$tmp/hl.err" >&2; exit 1; }
}

leave_all
run "$hivelab" form
run "$hivelab" status; run "$baseline" status # warm-up, not timed
new_ms=() base_ms=()
for r in $(seq 1 "$rounds"); do
    for which in $([ $((r % 2)) -eq 1 ] && echo "new base" || echo "base new"); do
        t=$(now)
        if [ "$which" = new ]; then run "$hivelab" status; new_ms+=($((($(now) - t) / 1000000)))
        else run "$baseline" status; base_ms+=($((($(now) - t) / 1000000))); fi
    done
    echo "round $r (load $(cut -d' ' -f1 /proc/loadavg)): hivelab ${new_ms[-1]} ms, baseline ${base_ms[-1]} ms"
done
leave_all
h=$(median "${new_ms[@]}") b=$(median "${base_ms[@]}")
echo "swarm status, 5 boards (3 managers), median over $rounds rounds: hivelab $h ms, baseline $b ms"
awk -v h="$h" -v b="$b" 'BEGIN {printf "hivelab/baseline: %.2f\n", h / b}'
