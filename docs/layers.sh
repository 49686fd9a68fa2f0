#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates docs/layers.dot (and docs/layers.svg when graphviz is installed) from the CMake
# targets, so the layer diagram in ARCHITECTURE.md is the build's own.
#   docs/layers.sh [BUILD_DIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${HIVELAB_BUILD_DIR:-$root/build}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S "$root" -B "$build" --graphviz="$tmp/layers.dot" >/dev/null
cp "$tmp/layers.dot" "$root/docs/layers.dot"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$root/docs/layers.dot" -o "$root/docs/layers.svg"
fi
echo "wrote $root/docs/layers.dot"
