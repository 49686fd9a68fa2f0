#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The headless workflow as a user scripts it, from the lab's laptop namespace:
#   hivelab-lab run --fresh-home -- tests/lab/e2e_cli.sh
# discover (with login) into a new lab file -> roles --managers auto -> check -> provision
# (installs docker.io with apt on boards started --bare) -> swarm form -> drain/activate ->
# status -> leave. Every step is the `hivelab` binary; the
# results are checked independently over plain OpenSSH (`docker` on the boards themselves).
# HIVELAB_E2E_SCREENSHOT=FILE.png also saves the main window on the live swarm (needs xvfb-run).
set -euo pipefail
# shellcheck source=tests/lab/lab-lib.sh
. "$(dirname "$0")/lab-lib.sh"

hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
lab=$tmp/found.hivelab
boards=()
bare=()
for k in "${lab_boards[@]}"; do
    [ "${POWER[$k]}" = on ] && [ "${AUTH[$k]}" = key ] || continue
    case ${DOCKER[$k]} in
    docker) ;;
    bare) bare+=("$k") ;;
    *) continue ;;
    esac
    boards+=("$k")
done
[ ${#boards[@]} -ge 4 ] || fail "needs 4 powered-on boards with key login, Docker running or bare"

cleanup() {
    for k in "${boards[@]}"; do on "$k" docker swarm leave --force >/dev/null 2>&1 || true; done
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }

# 1. Discover the lab's subnet, logging in to identify each board, into a new lab file.
"$hl" discover "$HIVELAB_LAB_SUBNET" --login --accept-new-host-key --no-dns --json --into "$lab" \
    >"$tmp/found.jsonl" 2>"$tmp/discover.err" || { cat "$tmp/discover.err" >&2; fail "discover"; }
for k in "${boards[@]}"; do
    python3 - "$tmp/found.jsonl" "${IP[$k]}" "${HOST[$k]}" "${DOCKER[$k]}" <<'EOF' ||
import json, sys
hosts = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
h = next(h for h in hosts if h["ip"] == sys.argv[2])
assert h["identification"]["hostname"] == sys.argv[3], h
# A bare board has no Docker at all; the others report their engine.
assert bool(h["identification"].get("dockerVersion")) == (sys.argv[4] == "docker"), h
EOF
        { grep -F "${IP[$k]}" "$tmp/found.jsonl" >&2; cat "$tmp/discover.err" >&2
          fail "board $k not identified"; }
done
[ "$(json 'len(d["boards"])' "$lab")" -eq ${#boards[@]} ] || fail "lab file does not hold every board"
step "discover: ${#boards[@]} boards identified and merged into a new lab file"

# 2. Managers: the lab has no racks yet, so roles spreads three and says it could not do better.
"$hl" roles "$lab" --managers auto >"$tmp/roles.out" 2>"$tmp/roles.err" || fail "roles"
grep -q "3 manager(s), quorum 2" "$tmp/roles.out" || fail "roles: $(cat "$tmp/roles.out")"
grep -q "as spread as the plan allows" "$tmp/roles.err" || fail "roles: $(cat "$tmp/roles.err")"
managers=$(json '" ".join(b["name"] for b in d["boards"] if b["role"] == "manager")' "$lab")
"$hl" check "$lab" >"$tmp/check.out" || true # warnings about the missing rack plan are expected
grep -q "Managers: 3 (quorum needs 2" "$tmp/check.out" || fail "check: $(head -5 "$tmp/check.out")"
step "roles: managers $managers"

# 3. Provision: checks the running engines, installs docker.io (apt, from the lab's local
#    repository) on bare boards and starts it there.
for k in "${bare[@]}"; do
    if on "$k" command -v dockerd >/dev/null; then fail "bare board $k has Docker already"; fi
    # Like a minimal Debian, a bare board has no CA certificates (what the check below needs).
    if on "$k" test -e /etc/ssl/certs/ca-certificates.crt; then fail "bare board $k has CA certificates"; fi
done
"$hl" provision "$lab" --json >"$tmp/provision.json" 2>"$tmp/provision.err" ||
    { cat "$tmp/provision.err" >&2; fail "provision"; }
for k in "${bare[@]}"; do
    grep -q "docker.io installed" "$tmp/provision.err" || fail "provision did not install on $k"
    [ "$(on "$k" docker info --format '{{.Name}}')" = "${HOST[$k]}" ] ||
        fail "board $k: no engine of its own after provision"
    # The engine pulls over TLS with the system's roots: without them every pull from Docker
    # Hub or another public registry fails (docs/SWARM.md, which recommends provision installs).
    n=$(on "$k" grep -c "'BEGIN CERTIFICATE'" /etc/ssl/certs/ca-certificates.crt) || n=0
    [ "$n" -gt 100 ] || fail "board $k: no CA certificates after provision ($n)"
done
step "provision: $(json 'd["seconds"]' "$tmp/provision.json") s, docker.io installed on ${#bare[@]} bare board(s): ${bare[*]}"

# 4. One click: the swarm forms, checked on a manager with docker itself.
"$hl" swarm form "$lab" --json >"$tmp/form.json" 2>"$tmp/form.err" ||
    { cat "$tmp/form.err" >&2; fail "swarm form"; }
m1=""
for k in "${boards[@]}"; do
    if grep -qw "${HOST[$k]}" <<<"$managers"; then m1=$k; break; fi
done
nodes=$(on "$m1" "docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'")
[ "$(grep -c ' Ready' <<<"$nodes")" -eq ${#boards[@]} ] || fail "not every node Ready: $nodes"
[ "$(grep -cE 'Leader|Reachable' <<<"$nodes")" -eq 3 ] || fail "not 3 managers: $nodes"
# The planned managers, no others (the workers joined, the planned managers were promoted).
reachable=$(awk '$3 == "Leader" || $3 == "Reachable" {print $1}' <<<"$nodes" | sort | paste -sd' ' -)
planned=$(tr ' ' '\n' <<<"$managers" | sort | paste -sd' ' -)
[ "$reachable" = "$planned" ] || fail "managers $reachable, planned $planned"
step "swarm form: $(json 'd["seconds"]' "$tmp/form.json") s, ${#boards[@]} nodes Ready, 3 managers"

# 5. Drain a worker (and back): the swarm's own view changes.
worker=$(json '[b["name"] for b in d["boards"] if b["role"] == "worker"][0]' "$lab")
"$hl" swarm drain "$lab" "$worker" >/dev/null 2>&1 || fail "drain"
[ "$(on "$m1" docker node inspect --format '{{.Spec.Availability}}' "$worker")" = drain ] ||
    fail "$worker not drained"
if [ -n "${HIVELAB_E2E_SCREENSHOT:-}" ] && command -v xvfb-run >/dev/null; then
    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$hl" "$lab" --live \
        --screenshot "$HIVELAB_E2E_SCREENSHOT" 2>"$tmp/shot.err" || cat "$tmp/shot.err" >&2
    step "screenshot: $HIVELAB_E2E_SCREENSHOT"
fi
"$hl" swarm activate "$lab" "$worker" >/dev/null 2>&1 || fail "activate"
[ "$(on "$m1" docker node inspect --format '{{.Spec.Availability}}' "$worker")" = active ] ||
    fail "$worker not active again"
"$hl" swarm status "$lab" --json >"$tmp/status.json" 2>/dev/null || fail "status"
[ "$(json 'sum(b["state"] == "SwarmReady" for b in d["boards"])' "$tmp/status.json")" -eq ${#boards[@]} ] ||
    fail "status: $(cat "$tmp/status.json")"
step "drain/activate $worker, status: every board SwarmReady"

# 6. Leave: every engine is out of the swarm again.
"$hl" swarm leave "$lab" --json >"$tmp/leave.json" 2>"$tmp/leave.err" ||
    { cat "$tmp/leave.err" >&2; fail "swarm leave"; }
for k in "${boards[@]}"; do
    [ "$(on "$k" docker info --format '{{.Swarm.LocalNodeState}}')" = inactive ] ||
        fail "board $k still in a swarm"
done
step "swarm leave: $(json 'd["seconds"]' "$tmp/leave.json") s, every board inactive; all checks passed"
