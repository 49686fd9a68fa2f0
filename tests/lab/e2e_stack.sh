#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Apps on the swarm with the `hivelab` binary, from the lab's laptop namespace, on a lab started
# with --registry (a plain-HTTP registry on the laptop that every board's engine trusts):
#   hivelab-lab up 4 --registry; hivelab-lab run --fresh-home -- tests/lab/e2e_stack.sh
# Images made from busybox-static are pushed to the lab registry (tests/lab/push-image): one
# for amd64 and arm64 (a manifest list), one for amd64 only, one for arm64 only. A lab file
# puts 4 boards into 3 racks (2 + 1 + 1), board 1 the manager; `swarm form` labels the nodes.
# Then: stack deploy (3 replicas land in 3 different racks; the single-architecture image gets
# its node.platform.arch constraint, on the swarm too), stack ls, stack ps, a deploy refused
# because its image runs on no board (nothing deployed), stack rm.
set -euo pipefail
# shellcheck source=tests/lab/lab-lib.sh
. "$(dirname "$0")/lab-lib.sh"

hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
reg=${HIVELAB_LAB_REGISTRY:?the lab must be up with --registry}
lab=$tmp/stack.hivelab
boards=()
for k in "${lab_boards[@]}"; do
    [ "${POWER[$k]}" = on ] && [ "${AUTH[$k]}" = key ] && [ "${DOCKER[$k]}" = docker ] && boards+=("$k")
done
[ ${#boards[@]} -ge 4 ] || fail "needs 4 boards with Docker and key login"
boards=("${boards[@]:0:4}")
cleanup() {
    for k in "${boards[@]}"; do on "$k" docker swarm leave --force >/dev/null 2>&1 || true; done
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }
m=${boards[0]}

# 1. Images in the lab registry.
"$(dirname "$0")/push-image" "$reg" hivelab/idle:multi amd64,arm64 >/dev/null
"$(dirname "$0")/push-image" "$reg" hivelab/idle:amd64 amd64 >/dev/null
"$(dirname "$0")/push-image" "$reg" hivelab/idle:arm64 arm64 >/dev/null
step "registry $reg: hivelab/idle multi (amd64, arm64), amd64, arm64"

# 2. The plan: rack-a holds boards 1 and 2, rack-b board 3, rack-c board 4; then the swarm.
python3 - "$lab" "${boards[@]}" <<PYEOF
import json, sys
path, ks = sys.argv[1], sys.argv[2:]
info = {k: v.split(":") for k, v in (e.split("=", 1) for e in "$HIVELAB_LAB_BOARDS".split())}
racks = ["rack-a", "rack-a", "rack-b", "rack-c"]
lab = {"format": "hivelab-lab", "schemaVersion": 1, "name": "stacks",
       "racks": [{"id": r, "name": r, "slotCount": 4} for r in ("rack-a", "rack-b", "rack-c")],
       "powerSupplies": [{"id": "psu-" + r[-1], "name": "PSU " + r[-1], "rackId": r,
                          "ratingWatts": 60} for r in ("rack-a", "rack-b", "rack-c")],
       "boards": []}
for i, k in enumerate(ks):
    ip, port, server, host, user = info[k][:5]
    lab["boards"].append({"id": "b" + k, "name": host, "hostname": host, "ip": ip,
                          "sshPort": int(port), "sshUser": "root",
                          "role": "manager" if i == 0 else "worker", "rackId": racks[i],
                          "slot": i % 2 if i < 2 else 0, "psuId": "psu-" + racks[i][-1]})
json.dump(lab, open(path, "w"), indent=2)
PYEOF
"$hl" swarm form "$lab" --accept-new-host-keys >"$tmp/form.out" 2>"$tmp/form.err" ||
    { cat "$tmp/form.out" "$tmp/form.err" >&2; fail "swarm form"; }
"$hl" swarm labels "$lab" --check >/dev/null 2>&1 || "$hl" swarm labels "$lab" >/dev/null 2>&1 ||
    fail "swarm labels"
step "swarm: ${#boards[@]} boards in 3 racks, manager ${HOST[$m]}, rack labels set"

# 3. Deploy: 3 replicas of the multi-architecture image, 1 of the amd64-only one. The user's
#    own constraint on `pinned` stays and gets no architecture constraint added.
cat >"$tmp/web.yml" <<YEOF
services:
  idle:
    image: $reg/hivelab/idle:multi
    deploy:
      replicas: 3
    stop_grace_period: 2s
  single:
    image: $reg/hivelab/idle:amd64
    environment:
      DEBUG: "true"
    stop_grace_period: 2s
  pinned:
    image: $reg/hivelab/idle:amd64
    deploy:
      placement:
        constraints: [node.platform.arch != s390x]
    stop_grace_period: 2s
YEOF
"$hl" stack deploy "$lab" "$tmp/web.yml" --name web --json >"$tmp/deploy.json" 2>"$tmp/deploy.err" ||
    { cat "$tmp/deploy.json" "$tmp/deploy.err" >&2; fail "stack deploy"; }
python3 - "$tmp/deploy.json" <<'PYEOF' || { cat "$tmp/deploy.json" >&2; fail "stack deploy: what it added"; }
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["service"]: x for x in d["stack"]["services"]}
assert d["ok"] and d["stack"]["name"] == "web", d
assert s["idle"]["platforms"] == ["linux/amd64", "linux/arm64"], s["idle"]
assert s["idle"]["spreadOverRacks"] and s["idle"]["constraintsAdded"] == [], s["idle"]
assert s["idle"]["runnableBoards"] == 4 and s["idle"]["boards"] == 4, s["idle"]
assert s["single"]["constraintsAdded"] == ["node.platform.arch == x86_64"], s["single"]
assert s["pinned"]["constraintsAdded"] == [], s["pinned"]
PYEOF
# `on` hands its words to the board's shell: the format goes quoted.
on "$m" "docker service inspect web_single --format '{{json .Spec.TaskTemplate.Placement}}'" \
    >"$tmp/single.json"
grep -q '"node.platform.arch == x86_64"' "$tmp/single.json" || fail "web_single: $(cat "$tmp/single.json")"
grep -q '"SpreadDescriptor":"node.labels.hivelab.rack"' "$tmp/single.json" ||
    fail "web_single: $(cat "$tmp/single.json")"
on "$m" "docker service inspect web_pinned --format '{{json .Spec.TaskTemplate.Placement.Constraints}}'" \
    >"$tmp/pinned.json"
[ "$(cat "$tmp/pinned.json")" = '["node.platform.arch != s390x"]' ] || fail "web_pinned: $(cat "$tmp/pinned.json")"
on "$m" "docker service inspect web_single --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}'" |
    grep -q '"DEBUG=true"' || fail "web_single lost its environment"
step "stack deploy: spread over racks added, web_single constrained to x86_64, web_pinned kept its own"

# 4. stack ps until the 5 tasks run (bounded), then: the 3 replicas of idle sit in 3 racks.
deadline=$((SECONDS + 60))
while :; do
    "$hl" stack ps "$lab" web --json >"$tmp/ps.json" 2>"$tmp/ps.err" || { cat "$tmp/ps.err" >&2; fail "stack ps"; }
    running=$(json 'sum(1 for t in d["tasks"] if t["state"] == "running")' "$tmp/ps.json")
    [ "$running" -ge 5 ] && break
    [ $SECONDS -lt $deadline ] || { cat "$tmp/ps.json" >&2; fail "only $running of 5 tasks running after 60 s"; }
    sleep 0.5 # bounded poll: the swarm gives no signal when its tasks start
done
python3 - "$tmp/ps.json" <<'PYEOF' || { cat "$tmp/ps.json" >&2; fail "stack ps: placement"; }
import json, sys
tasks = [t for t in json.load(open(sys.argv[1]))["tasks"] if t["state"] == "running"]
idle = [t for t in tasks if t["service"] == "web_idle"]
assert len(idle) == 3, idle
assert sorted(t["rack"] for t in idle) == ["rack-a", "rack-b", "rack-c"], idle
assert all(t["board"] and t["node"] and t["stack"] == "web" for t in tasks), tasks
PYEOF
"$hl" stack ps "$lab" web >"$tmp/ps.txt" 2>/dev/null || fail "stack ps (text)"
grep -Eq "^web_idle\.1 +pine64-[0-9]+ +pine64-[0-9]+ +running +running" "$tmp/ps.txt" ||
    fail "stack ps: $(cat "$tmp/ps.txt")"
step "stack ps: 5 tasks running, web_idle's 3 replicas in rack-a, rack-b and rack-c"

# 4b. The live status (what the desktop app polls) sees the same tasks on the same boards.
"$hl" swarm status "$lab" --tasks --json >"$tmp/live.json" 2>/dev/null || fail "swarm status --tasks"
python3 - "$tmp/ps.json" "$tmp/live.json" <<'PYEOF' || { cat "$tmp/live.json" >&2; fail "live status tasks"; }
import json, sys
ps = sorted((t["service"], t["slot"], t["board"]) for t in json.load(open(sys.argv[1]))["tasks"]
            if t["state"] == "running")
live = sorted((t["service"], t["slot"], t["board"]) for t in json.load(open(sys.argv[2]))["tasks"]
              if t["state"] == "running")
assert ps == live, (ps, live)
PYEOF
step "live status: the same 5 tasks on the same boards"

# 5. stack ls.
"$hl" stack ls "$lab" --json >"$tmp/ls.json" 2>/dev/null || fail "stack ls"
[ "$(json '[(s["name"], s["services"], s["desiredTasks"]) for s in d["stacks"]]' "$tmp/ls.json")" = \
    "[('web', 3, 5)]" ] || fail "stack ls: $(cat "$tmp/ls.json")"

# 6. An image for arm64 only on an all-x86_64 swarm: refused with the reason, nothing deployed;
#    a file that is no Compose file: refused too.
printf 'services:\n  arm:\n    image: %s/hivelab/idle:arm64\n' "$reg" >"$tmp/arm.yml"
if "$hl" stack deploy "$lab" "$tmp/arm.yml" >"$tmp/arm.out" 2>&1; then
    fail "an arm64-only image was deployed on x86_64 boards"
fi
grep -q "cannot run on any board: $reg/hivelab/idle:arm64 is published for linux/arm64" "$tmp/arm.out" ||
    fail "refusal: $(cat "$tmp/arm.out")"
printf 'services: [\n' >"$tmp/bad.yml"
set +e
"$hl" stack deploy "$lab" "$tmp/bad.yml" --name bad >"$tmp/bad.out" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] && grep -q "The Compose file cannot be read: line" "$tmp/bad.out" || fail "bad file ($rc): $(cat "$tmp/bad.out")"
"$hl" stack ls "$lab" --json >"$tmp/ls.json" 2>/dev/null || fail "stack ls"
[ "$(json '[s["name"] for s in d["stacks"]]' "$tmp/ls.json")" = "['web']" ] ||
    fail "refused stacks were deployed: $(cat "$tmp/ls.json")"
step "refused: an arm64-only image (runs on no board), a broken file; nothing deployed"

# 7. stack rm; then ps knows no such stack.
"$hl" stack rm "$lab" web >"$tmp/rm.out" 2>&1 || fail "stack rm: $(cat "$tmp/rm.out")"
[ -z "$(on "$m" docker service ls -q --filter label=com.docker.stack.namespace=web)" ] ||
    fail "services of web left after stack rm"
if "$hl" stack ps "$lab" web >"$tmp/ps.out" 2>&1; then fail "stack ps of a removed stack"; fi
grep -q "No stack named web" "$tmp/ps.out" || fail "stack ps: $(cat "$tmp/ps.out")"
step "stack rm: web removed"
