# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the lab's card tests, which run as root on the host and bring up a lab of their
# own from cards they flash (`SCRIPT HIVELAB_LAB_TOOL INSTANCE`), after `set -euo pipefail`.
# Set `card_image_opts` first to pass options to make-card-image (e.g. --dietpi).
# Gives: fail/step; $labtool, $name, $hl (HIVELAB_BIN); the cached card image in $image; a
# private $tmp with the test's key $tmp/id_ed25519; `cards N` (N loop devices over sparse files
# of the image's size, in $loops); `json EXPR FILE`; `lab_run CMD…` (CMD on the lab's laptop
# with a fresh HOME); `hl_lab ARGS…` (a hivelab workflow command there with the test's key).
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
# (The workflow commands spell the option --accept-new-host-keys; exec and discover without s.)
hl_lab() { lab_run "$hl" "$@" -i "$tmp/id_ed25519" --accept-new-host-keys; }
