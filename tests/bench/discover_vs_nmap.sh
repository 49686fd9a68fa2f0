#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): `hivelab discover` of the lab subnet vs `nmap -sn` and `nmap -p22 --open`
# of the same range, in the same run, from the lab's laptop namespace. Scans only the lab:
#   tests/lab/hivelab-lab up 6 --ssh-port 5:2222 --off 6     (or any lab)
#   tests/lab/hivelab-lab run -- tests/bench/discover_vs_nmap.sh [BUILD_DIR] [ROUNDS]
set -eu
build=${1:-build}
rounds=${2:-5}
subnet=${HIVELAB_LAB_SUBNET:?run me inside: hivelab-lab run -- $0}
bin=$build/app/hivelab
[ -x "$bin" ] || { echo "no $bin (build the hivelab target)" >&2; exit 2; }
command -v nmap >/dev/null || { echo "nmap missing (apt-get install nmap)" >&2; exit 2; }
# Extra SSH ports the lab uses (e.g. 2222), so discover probes what the lab offers.
ports=$(for e in $HIVELAB_LAB_BOARDS; do echo "${e#*=}" | cut -d: -f2; done | grep -vx 22 | sort -u | paste -sd, -)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs "$@" $rounds times; prints the median wall time in seconds; keeps the last stdout. The
# clock is read in the process that starts the command, so no interpreter start-up is counted.
timed() {
    out=$1; shift
    : > "$tmp/times"
    i=0
    while [ $i -lt "$rounds" ]; do
        /usr/bin/python3 -c '
import subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t0 = time.monotonic()
    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    print(time.monotonic() - t0)' "$out" "$@" >> "$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]}'
}

# Time from the start to the first board on stdout (a JSON line per host, printed as found).
first_board() {
    : > "$tmp/first"
    i=0
    while [ $i -lt "$rounds" ]; do
        /usr/bin/python3 -c '
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
first = None
for line in p.stdout:
    if first is None and b"\"sshPort\"" in line:
        first = time.monotonic() - t0
p.wait()
print(first if first is not None else "nan")' "$@" >> "$tmp/first"
        i=$((i + 1))
    done
    sort -n "$tmp/first" | awk '{a[NR]=$1} END {printf "%.3f\n", a[int((NR+1)/2)]}'
}

t_hl=$(timed "$tmp/hl" "$bin" discover "$subnet" ${ports:+--ports "$ports"} --no-dns --json)
t_first=$(first_board "$bin" discover "$subnet" ${ports:+--ports "$ports"} --no-dns --json)
t_sn=$(timed "$tmp/sn" nmap -sn -n "$subnet")
t_22=$(timed "$tmp/p22" nmap -n -p22 --open "$subnet")
t_ssh=$(timed "$tmp/pssh" nmap -n -p"22${ports:+,$ports}" --open "$subnet")

hosts_hl=$(grep -o '"ip":"[0-9.]*"' "$tmp/hl" | cut -d'"' -f4 | sort -V | paste -sd' ' -)
ssh_hl=$(grep '"sshPort"' "$tmp/hl" | grep -o '"ip":"[0-9.]*"' | cut -d'"' -f4 | sort -V | paste -sd' ' -)
nmap_hosts() { grep -o 'scan report for [0-9.]*' "$1" | awk '{print $4}' | sort -V | paste -sd' ' -; }
hosts_sn=$(nmap_hosts "$tmp/sn")
hosts_22=$(nmap_hosts "$tmp/p22")
hosts_ssh=$(nmap_hosts "$tmp/pssh")

ratio() { /usr/bin/python3 -c "print(f'{$1 / $2:.1f}x')"; }
same() { [ "$1" = "$2" ] && echo same || echo DIFFERENT; }
echo "subnet $subnet, median of $rounds runs, extra SSH ports: ${ports:-none}"
printf '%-34s %8s s  hosts: %s\n' "hivelab discover" "$t_hl" "$hosts_hl"
printf '%-34s %8s s\n' "hivelab discover, first board out" "$t_first"
printf '%-34s %8s s  hosts: %s\n' "nmap -sn" "$t_sn" "$hosts_sn"
printf '%-34s %8s s  hosts: %s\n' "nmap -p22 --open" "$t_22" "$hosts_22"
printf '%-34s %8s s  hosts: %s\n' "nmap -p22${ports:+,$ports} --open" "$t_ssh" "$hosts_ssh"
echo "hivelab vs nmap -sn: $(ratio "$t_sn" "$t_hl") faster; live hosts: $(same "$hosts_hl" "$hosts_sn")"
echo "hivelab vs nmap -p22 --open: $(ratio "$t_22" "$t_hl") faster ($(/usr/bin/python3 -c "print(f'{$t_hl / $t_22:.2f}')")x the time)"
echo "hivelab vs nmap -p22${ports:+,$ports} --open: $(ratio "$t_ssh" "$t_hl") faster; SSH hosts: $(same "$ssh_hl" "$hosts_ssh")"
