#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): forming a 3-manager + 2-worker swarm with `hivelab swarm form` vs a
# sequential shell script of ssh + docker swarm init/join on the same boards. Runs inside a lab
# whose first five powered-on boards all run Docker:
#   tests/lab/hivelab-lab --name hlbench up 5 --replace
#   tests/lab/hivelab-lab --name hlbench run --fresh-home -- tests/bench/swarm_form.sh build/app/hivelab [ROUNDS]
#   tests/lab/hivelab-lab --name hlbench down
# Both sides log in as root with the lab key; each round leaves the swarm again (not timed).
set -euo pipefail
hivelab=${1:?usage: swarm_form.sh HIVELAB_BINARY [ROUNDS]}
rounds=${2:-3}
[ -n "${HIVELAB_LAB_BOARDS:-}" ] || { echo "run me through hivelab-lab run" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -a IP PORT HOST
n=0
for entry in $HIVELAB_LAB_BOARDS; do
    IFS=: read -r ip port _server host _user docker _auth power <<<"${entry#*=}"
    [ "$power" = on ] && [ "$docker" = docker ] || continue
    IP[n]=$ip PORT[n]=$port HOST[n]=$host
    n=$((n + 1))
    [ $n -eq 5 ] && break
done
[ $n -eq 5 ] || { echo "need 5 powered-on boards with Docker, have $n" >&2; exit 2; }

# The lab file: boards 0-2 managers, 3-4 workers, root logins.
{
    printf '{"format":"hivelab-lab","schemaVersion":1,"name":"bench","racks":[],"powerSupplies":[],'
    printf '"switches":[],"swarm":{"advertiseNetwork":"","defaultLabels":{}},"boards":['
    for i in 0 1 2 3 4; do
        role=worker
        [ $i -lt 3 ] && role=manager
        [ $i -gt 0 ] && printf ','
        printf '{"id":"%s","name":"%s","hostname":"%s","model":"","arch":"","os":"","mac":"",' \
            "${HOST[i]}" "${HOST[i]}" "${HOST[i]}"
        printf '"ip":"%s","addressing":"static","sshHost":"","sshPort":%s,"sshUser":"root",' \
            "${IP[i]}" "${PORT[i]}"
        printf '"role":"%s","rackId":"","slot":-1,"psuId":"","switchId":"","switchPort":-1,' "$role"
        printf '"labels":{},"storage":[],"notes":""}'
    done
    printf ']}\n'
} >"$tmp/bench.hivelab"

ssh_opts=(-o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$tmp/known_hosts"
    -o ConnectTimeout=5 -o LogLevel=ERROR -o BatchMode=yes -i "$HIVELAB_LAB_KEY")
on() { local i=$1; shift; ssh "${ssh_opts[@]}" -p "${PORT[i]}" "root@${IP[i]}" "$@"; }
now() { date +%s%N; }
leave_all() {
    for i in 4 3 2 1 0; do on "$i" docker swarm leave --force >/dev/null 2>&1 || true; done
}

sequential() {
    on 0 docker swarm init --advertise-addr "${IP[0]}" >/dev/null
    local mt wt
    mt=$(on 0 docker swarm join-token -q manager)
    wt=$(on 0 docker swarm join-token -q worker)
    for i in 1 2; do
        on "$i" docker swarm join --advertise-addr "${IP[i]}" --token "$mt" "${IP[0]}:2377" >/dev/null
    done
    for i in 3 4; do
        on "$i" docker swarm join --advertise-addr "${IP[i]}" --token "$wt" "${IP[0]}:2377" >/dev/null
    done
}

hl() {
    "$hivelab" swarm form "$tmp/bench.hivelab" --accept-new-host-keys \
        --known-hosts "$tmp/hl_known_hosts" >"$tmp/hl.out" 2>"$tmp/hl.err" ||
        { cat "$tmp/hl.out" "$tmp/hl.err" >&2; exit 1; }
}

check() {
    local lines
    lines=$(on 0 "docker node ls --format '{{.Hostname}} {{.Status}}'" | grep -c ' Ready$')
    [ "$lines" -eq 5 ] || { echo "expected 5 Ready nodes, got $lines" >&2; exit 1; }
}

leave_all
# Warm up both sides once (host keys, page cache), not timed.
sequential; leave_all; hl; leave_all
seq_ms=() hl_ms=() again_ms=()
for r in $(seq 1 "$rounds"); do
    t=$(now); sequential; seq_ms+=($((($(now) - t) / 1000000))); check; leave_all
    t=$(now); hl; hl_ms+=($((($(now) - t) / 1000000))); check
    t=$(now); hl; again_ms+=($((($(now) - t) / 1000000))); leave_all
    echo "round $r: sequential ssh ${seq_ms[-1]} ms, hivelab swarm form ${hl_ms[-1]} ms, again (no change) ${again_ms[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
s=$(median "${seq_ms[@]}") h=$(median "${hl_ms[@]}") a=$(median "${again_ms[@]}")
echo "median over $rounds rounds: sequential ssh script $s ms, hivelab swarm form $h ms (verified, labelled), re-run $a ms"
awk -v s="$s" -v h="$h" 'BEGIN {printf "ratio sequential/hivelab: %.2f\n", s / h}'
