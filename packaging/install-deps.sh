#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what building, running and testing Hivelab needs on Debian bookworm.
# Idempotent: a no-op when everything is present. Uses sudo only when not root.
#   packaging/install-deps.sh [build|run|test|all|sanitize]   (default: all)
# `sanitize` is everything plus clang and its sanitizer/libFuzzer runtimes (tests/run-sanitized.sh);
# `all` leaves them out, so a normal build never pulls clang.
set -eu
what=${1:-all}

build_pkgs="cmake ninja-build g++ pkg-config qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
  libssh2-1-dev qtkeychain-qt6-dev libgl-dev libfontconfig-dev fonts-dejavu-core file dpkg-dev
  libssl-dev zlib1g-dev libarchive-dev libyaml-cpp-dev debian-archive-keyring"
run_pkgs="xvfb xauth"
test_pkgs="dbus dbus-x11 at-spi2-core gnome-keyring openssh-server openssh-client dropbear-bin docker.io iproute2
  nmap procps util-linux mtools dosfstools fdisk e2fsprogs desktop-file-utils appstream python3 openssl sudo
  time strace xz-utils zstd bzip2 zip p7zip-full bmap-tools lintian groff-base bash-completion python3-yaml debootstrap
  busybox-static docker-registry"
sanitize_pkgs="clang libclang-rt-14-dev"

case $what in
build) pkgs=$build_pkgs ;;
run) pkgs="$build_pkgs $run_pkgs" ;;
test | all) pkgs="$build_pkgs $run_pkgs $test_pkgs" ;;
sanitize) pkgs="$build_pkgs $run_pkgs $test_pkgs $sanitize_pkgs" ;;
*) echo "usage: $0 [build|run|test|all|sanitize]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "Installing:$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
