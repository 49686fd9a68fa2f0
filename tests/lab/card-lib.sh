# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the lab's card tests, which run as root on the host and bring up a lab of their
# own from cards they flash (`SCRIPT HIVELAB_LAB_TOOL INSTANCE`), after `set -euo pipefail`.
# Set `card_image_opts` first to pass options to make-card-image (e.g. --dietpi).
# Gives: fail/step; $labtool, $name, $hl (HIVELAB_BIN); the cached card image in $image; a
# private $tmp with the test's key $tmp/id_ed25519; `cards N` (N loop devices over sparse files
# of the image's size, in $loops); `json EXPR FILE`; `lab_run CMD…` (CMD on the lab's laptop
# with a fresh HOME); `hl_lab ARGS…` (a hivelab workflow command there with the test's key);
# `provision_and_form PLAN USER PREFIX`.
# On exit the lab goes down and the loop devices are detached (plus the script's own `cleanup`).

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '%6.2fs  %s\n' "$(($(date +%s%N) - t0))e-9" "$*"; }
t0=$(date +%s%N)
labtool=${1:?usage: ${0##*/} HIVELAB_LAB_TOOL INSTANCE}
name=${2:?usage: ${0##*/} HIVELAB_LAB_TOOL INSTANCE}
hl=${HIVELAB_BIN:?HIVELAB_BIN must name the hivelab binary}
[ "$(id -u)" -eq 0 ] || { echo "needs root (loop devices, the lab)"; exit 77; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
image=$("$here/make-card-image" ${card_image_opts[@]+"${card_image_opts[@]}"}) || exit $?

tmp=$(mktemp -d)
loops=()
card_exit() {
    if declare -F cleanup >/dev/null; then cleanup || true; fi
    "$labtool" --name "$name" down >/dev/null 2>&1 || true
    for l in ${loops[@]+"${loops[@]}"}; do losetup -d "$l" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap card_exit EXIT
ssh-keygen -q -t ed25519 -N '' -C "${0##*/}" -f "$tmp/id_ed25519"

cards() {
    local size k
    size=$(stat -c %s "$image")
    for ((k = ${#loops[@]} + 1; k <= $1; k++)); do
        truncate -s "$size" "$tmp/card$k"
        loops+=("$(losetup -f --show "$tmp/card$k")")
    done
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$2"; }
lab_run() { "$labtool" --name "$name" run --fresh-home -- "$@"; }
hl_lab() { lab_run "$hl" "$@" -i "$tmp/id_ed25519" --accept-new-host-keys; }

# provision_and_form PLAN USER PREFIX: `provision` installs docker.io on the 3 boards of the
# lab file PLAN, then `swarm form` makes them 3 Ready managers named PREFIX-1..3, checked on
# 10.77.0.101 as USER.
provision_and_form() {
    local plan=$1 user=$2 prefix=$3 nodes k
    hl_lab provision "$plan" --json >"$tmp/provision.json" 2>"$tmp/provision.err" ||
        { cat "$tmp/provision.err" >&2; fail "provision"; }
    [ "$(grep -c "docker.io installed" "$tmp/provision.err")" -eq 3 ] ||
        { cat "$tmp/provision.err" >&2; fail "provision did not install docker.io on the 3 cards"; }
    # A minimal Debian has no CA certificates: provision installs them, or the engines could
    # not pull from any registry over TLS (docs/SWARM.md).
    for k in 1 2 3; do
        n=$(lab_run "$hl" exec "$user@10.77.0.10$k" -i "$tmp/id_ed25519" --accept-new-host-key -- \
            grep -c "'BEGIN CERTIFICATE'" /etc/ssl/certs/ca-certificates.crt 2>&1) || n=0
        [ "$n" -gt 100 ] 2>/dev/null || fail "$prefix-$k: no CA certificates after provision: $n"
    done
    step "provision: docker.io installed and started on the 3 card-booted boards, CA roots there"

    hl_lab swarm form "$plan" --json >"$tmp/form.json" 2>"$tmp/form.err" ||
        { cat "$tmp/form.err" >&2; fail "swarm form"; }
    nodes=$(lab_run "$hl" exec "$user@10.77.0.101" -i "$tmp/id_ed25519" --accept-new-host-key -- \
        sudo -n docker node ls --format "'{{.Hostname}} {{.Status}} {{.ManagerStatus}}'" 2>&1) ||
        fail "docker node ls on $prefix-1: $nodes"
    for k in 1 2 3; do
        grep -qE "^$prefix-$k Ready (Leader|Reachable)$" <<<"$nodes" ||
            fail "$prefix-$k not a Ready manager: $nodes"
    done
    [ "$(grep -c ' Ready ' <<<"$nodes")" -eq 3 ] || fail "not 3 nodes: $nodes"
    step "swarm form: 3 managers Ready"
}
