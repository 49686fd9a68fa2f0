# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the lab benchmarks (swarm_form.sh, provision_vs_ssh.sh), run through `hivelab-lab
# run`, after `set -euo pipefail`: a private $tmp removed on exit, the boards picked with
# bench_pick as arrays IP PORT HOST indexed 0..n-1, a lab file of them (bench_lab_file), `on I
# CMD…` as root over OpenSSH with the lab key (the baseline's tool), `now` in ns and `median`.
[ -n "${HIVELAB_LAB_BOARDS:-}" ] || { echo "run me through hivelab-lab run" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -a IP PORT HOST
n=0
# bench_pick WANT DOCKER: the first WANT powered-on boards whose Docker field is DOCKER
# (docker | nodocker | bare, tests/lab/README.md); sets n and last.
bench_pick() {
    local want=$1 kind=$2 entry ip port host docker power
    n=0
    for entry in $HIVELAB_LAB_BOARDS; do
        IFS=: read -r ip port _ host _ docker _ power <<<"${entry#*=}"
        [ "$power" = on ] && [ "$docker" = "$kind" ] || continue
        IP[n]=$ip PORT[n]=$port HOST[n]=$host
        n=$((n + 1))
        [ $n -eq "$want" ] && break
    done
    [ $n -eq "$want" ] || { echo "need $want powered-on boards with Docker '$kind', have $n" >&2; exit 2; }
    last=$((n - 1))
}

# bench_lab_file FILE MANAGERS: a lab file of the picked boards, the first MANAGERS of them
# managers and the others workers, root logins.
bench_lab_file() {
    local file=$1 mgrs=$2 i role
    {
        printf '{"format":"hivelab-lab","schemaVersion":1,"name":"bench","racks":[],"powerSupplies":[],'
        printf '"switches":[],"swarm":{"advertiseNetwork":"","defaultLabels":{}},"boards":['
        for i in $(seq 0 "$last"); do
            role=worker
            [ "$i" -lt "$mgrs" ] && role=manager
            [ "$i" -gt 0 ] && printf ','
            printf '{"id":"%s","name":"%s","hostname":"%s","model":"","arch":"","os":"","mac":"",' \
                "${HOST[i]}" "${HOST[i]}" "${HOST[i]}"
            printf '"ip":"%s","addressing":"static","sshHost":"","sshPort":%s,"sshUser":"root",' \
                "${IP[i]}" "${PORT[i]}"
            printf '"role":"%s","rackId":"","slot":-1,"psuId":"","switchId":"","switchPort":-1,' "$role"
            printf '"labels":{},"storage":[],"notes":""}'
        done
        printf ']}\n'
    } >"$file"
}

ssh_opts=(-o StrictHostKeyChecking=accept-new -o "UserKnownHostsFile=$tmp/known_hosts"
    -o ConnectTimeout=5 -o LogLevel=ERROR -o BatchMode=yes -i "$HIVELAB_LAB_KEY")
on() { local i=$1; shift; ssh "${ssh_opts[@]}" -p "${PORT[i]}" "root@${IP[i]}" "$@"; }
now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
