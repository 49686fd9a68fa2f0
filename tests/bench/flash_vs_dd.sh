#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): writing an OS image to a loop device with `hivelab flash` vs the tools
# a user would otherwise run, in the same run, on the same device. As root:
#   tests/bench/flash_vs_dd.sh build/app/hivelab [ROUNDS] [IMAGE_MIB] [DATA_MIB]
# The image (default 1 GiB with 200 MiB of data: a FAT and an ext4 partition, the ext4 one
# holding a file of random bytes, the rest zeros) is made once in a temporary folder. Every tool writes and
# syncs; each side's figure is the median wall time of ROUNDS runs; ratios < 1 mean Hivelab is
# faster. Hivelab's figures include its O_DIRECT read-back verification unless noted.
# BASELINE=path/to/an/older/hivelab times that build's map rows too, for a before/after.
set -euo pipefail
hivelab=$(realpath "${1:?usage: flash_vs_dd.sh HIVELAB_BINARY [ROUNDS] [IMAGE_MIB] [DATA_MIB]}")
rounds=${2:-3}
image_mib=${3:-1024}
data_mib=${4:-200}
[ "$(id -u)" -eq 0 ] || { echo "needs root (loop devices)" >&2; exit 2; }
for tool in bmaptool xz mkfs.ext4 mkfs.vfat sfdisk; do
    command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
tmp=$(mktemp -d /var/tmp/hivelab-bench.XXXXXX)
loop=""
cleanup() { [ -n "$loop" ] && losetup -d "$loop"; rm -rf "$tmp"; }
trap cleanup EXIT

img=$tmp/os.img
truncate -s ${image_mib}M "$img"
fat_mib=$((image_mib / 4))
printf 'label: dos\n,%sM,c\n,,83\n' $fat_mib | sfdisk -q "$img"
mkfs.vfat -F 16 --offset 2048 "$img" $((fat_mib * 1024)) >/dev/null
# The ext4 partition as a file of its own, filled through the kernel-free -d option.
mkdir "$tmp/root"
head -c $((data_mib * 1024 * 1024)) /dev/urandom > "$tmp/root/data.bin"
mkfs.ext4 -q -F -E offset=$(((fat_mib + 1) * 1024 * 1024)) -d "$tmp/root" "$img" \
    $(((image_mib - fat_mib - 1) * 1024))
rm -rf "$tmp/root"
bmaptool -q create -o "$img.bmap" "$img"
xz -k -T2 -1 "$img"
truncate -s $((image_mib + 64))M "$tmp/card"
# --direct-io=on: like a real card, O_DIRECT writes reach the medium (the backing file) instead
# of ending in its page cache, so dd oflag=direct is as durable as a run that syncs.
loop=$(losetup --direct-io=on -f --show "$tmp/card")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # NAME COMMAND… : prints the median wall seconds of $rounds runs
    local name=$1; shift
    for _ in $(seq "$rounds"); do
        dd if=/dev/zero of="$loop" bs=4M count=16 conv=fsync status=none # disturb the head
        sync; echo 3 > /proc/sys/vm/drop_caches
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s.%N)
        echo "$end - $start" | bc
    done | median | { read -r t; printf '%-44s %7.2f s\n' "$name" "$t" >&2; echo "$t"; }
}

echo "image: ${image_mib} MiB with ${data_mib} MiB of data; loop device $loop; $rounds rounds" >&2
dd_sync=$(timeit "dd bs=4M conv=fsync" dd if="$img" of="$loop" bs=4M conv=fsync)
dd_direct=$(timeit "dd bs=4M oflag=direct" dd if="$img" of="$loop" bs=4M oflag=direct)
bmap=$(timeit "bmaptool copy (with .bmap)" bmaptool copy "$img" "$loop")
hl_nomap=$(timeit "hivelab flash (no map, zeros zeroed)" "$hivelab" flash "$img" --no-bmap --device "$loop" --yes --no-verify)
hl_map=$(timeit "hivelab flash (with .bmap)" "$hivelab" flash "$img" --device "$loop" --yes --no-verify)
hl_map_v=$(timeit "hivelab flash (with .bmap, verified)" "$hivelab" flash "$img" --device "$loop" --yes)
img_sha=$(sha256sum "$img" | cut -d' ' -f1)
hl_map_sha=$(timeit "hivelab flash (with .bmap, --sha256)" "$hivelab" flash "$img" --device "$loop" --yes --no-verify --sha256 "$img_sha")
if [ -n "${BASELINE:-}" ]; then
    baseline=$(realpath "$BASELINE")
    base_nomap=$(timeit "baseline flash (no map, zeros zeroed)" "$baseline" flash "$img" --no-bmap --device "$loop" --yes --no-verify)
    base_map=$(timeit "baseline flash (with .bmap)" "$baseline" flash "$img" --device "$loop" --yes --no-verify)
    base_map_v=$(timeit "baseline flash (with .bmap, verified)" "$baseline" flash "$img" --device "$loop" --yes)
fi
xz_dd=$(timeit "xzcat | dd bs=4M oflag=direct" sh -c "xzcat '$img.xz' | dd of='$loop' bs=4M iflag=fullblock oflag=direct")
hl_xz=$(timeit "hivelab flash .xz (no map)" "$hivelab" flash "$img.xz" --device "$loop" --yes --no-verify)
ratio() { echo "scale=2; $1 / $2" | bc; }
echo
echo "ratios (hivelab / other; < 1: hivelab faster)"
echo "  no map     vs dd conv=fsync:    $(ratio "$hl_nomap" "$dd_sync")"
echo "  no map     vs dd oflag=direct:  $(ratio "$hl_nomap" "$dd_direct")"
echo "  with .bmap vs bmaptool copy:    $(ratio "$hl_map" "$bmap")"
echo "  .bmap + verify vs bmaptool:     $(ratio "$hl_map_v" "$bmap")"
echo "  .bmap + --sha256 vs bmaptool:   $(ratio "$hl_map_sha" "$bmap")"
echo "  .xz        vs xzcat | dd:       $(ratio "$hl_xz" "$xz_dd")"
if [ -n "${BASELINE:-}" ]; then
    echo "  this build vs baseline: no map $(ratio "$hl_nomap" "$base_nomap"), .bmap $(ratio "$hl_map" "$base_map"), .bmap verified $(ratio "$hl_map_v" "$base_map_v")"
fi
