#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds libssh2 >= 1.11 from Debian trixie's source package into a private static prefix.
# Why: bookworm's libssh2 1.10 signs RSA user keys only with SHA-1 "ssh-rsa", which OpenSSH >= 8.8
# refuses; 1.11 signs with rsa-sha2-256/512. Only the *source* comes from trixie: it is compiled
# here against bookworm's own OpenSSL and zlib, so no trixie binary (and no new libc) is involved.
#
#   packaging/build-libssh2.sh PREFIX [--force]
#
# Idempotent and cached: when PREFIX holds a build made by this recipe it does nothing (and needs
# no network). CMakeLists.txt picks PREFIX up through HIVELAB_LIBSSH2_PREFIX.
#
# Authenticity: apt verifies trixie's InRelease against /usr/share/keyrings/debian-archive-keyring.gpg
# (bookworm's debian-archive-keyring carries the trixie keys) and `apt-get source` checks every
# downloaded file against the hashes in that signed Sources index. Unauthenticated downloads are
# never allowed. dpkg-source's own check of the uploader's .dsc signature needs debian-keyring, which
# is not installed, so it only warns; the archive signature above is what we rely on.
#
# Never touches the system's apt configuration or lists: sources, lists and caches live in PREFIX.work.
set -eu

recipe=2 # bump when the build flags below change, to invalidate cached builds
usage() { echo "usage: $0 PREFIX [--force]" >&2; exit 2; }
[ $# -ge 1 ] || usage
prefix=$1
force=${2:-}
[ -z "$force" ] || [ "$force" = --force ] || usage
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
work=$prefix.work
stamp=$prefix/hivelab-libssh2.stamp
# The Debian mirrors this system's apt already uses (a local mirror or proxy keeps working);
# deb.debian.org only when apt names none. HIVELAB_DEBIAN_MIRROR / _SECURITY_MIRROR override.
system_mirror() { # LABEL: the first configured repository with that Release label
    apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null |
        awk -v want="$1" '$1 == want { print $2; exit }'
}
mirror=${HIVELAB_DEBIAN_MIRROR:-$(system_mirror Debian)}
mirror=${mirror:-http://deb.debian.org/debian}
security_mirror=${HIVELAB_DEBIAN_SECURITY_MIRROR:-$(system_mirror Debian-Security)}
security_mirror=${security_mirror:-http://deb.debian.org/debian-security}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

if [ "$force" != --force ] && [ -f "$stamp" ] && grep -qx "recipe=$recipe" "$stamp"; then
    echo "libssh2: cached $(sed -n 's/^version=//p' "$stamp") in $prefix" >&2
    exit 0
fi

for tool in apt-get dpkg-source dpkg cmake cc; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "error: $tool is missing (packaging/install-deps.sh build)" >&2
        exit 1
    }
done
[ -r "$keyring" ] || { echo "error: $keyring missing (debian-archive-keyring)" >&2; exit 1; }
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache"
generator="Unix Makefiles"
command -v ninja >/dev/null 2>&1 && generator=Ninja
started=$(date +%s)

rm -rf "$work"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts" "$work/src"
cat >"$work/apt/sources.list" <<EOF
deb-src [signed-by=$keyring] $mirror trixie main
deb-src [signed-by=$keyring] $security_mirror trixie-security main
EOF
# Only our own files: the system's sources, lists and package cache stay untouched.
private_apt() {
    apt-get -q -o Dir::Etc::SourceList="$work/apt/sources.list" \
        -o Dir::Etc::SourceParts="$work/apt/parts" \
        -o Dir::State::Lists="$work/apt/lists" \
        -o Dir::Cache="$work/apt/cache" "$@"
}
log=$work/build.log
echo "libssh2: fetching Debian trixie's source package from $mirror" >&2
private_apt update >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
# apt downloads as the unprivileged _apt user when it can write the target directory.
[ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1 && chown _apt "$work/src"
(cd "$work/src" && private_apt source --download-only libssh2) >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }

dsc=$(find "$work/src" -maxdepth 1 -name 'libssh2_*.dsc' | sort -V | tail -n 1)
[ -n "$dsc" ] || { echo "error: no libssh2 .dsc downloaded" >&2; exit 1; }
version=$(sed -n 's/^Version: //p' "$dsc")
if ! dpkg --compare-versions "$version" ge 1.11; then
    echo "error: trixie offers libssh2 $version, need >= 1.11" >&2
    exit 1
fi
dpkg-source -x "$dsc" "$work/src/libssh2" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }

echo "libssh2: building $version (static, OpenSSL $(pkg-config --modversion libcrypto 2>/dev/null || echo '?'))" >&2
rm -rf "$prefix.tmp"
cmake -S "$work/src/libssh2" -B "$work/build" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCRYPTO_BACKEND=OpenSSL -DENABLE_ZLIB_COMPRESSION=ON \
    -DBUILD_EXAMPLES=OFF -DBUILD_TESTING=OFF \
    -DCMAKE_C_FLAGS="-D_FORTIFY_SOURCE=2 -fstack-protector-strong" \
    -DCMAKE_INSTALL_PREFIX="$prefix.tmp" -DCMAKE_INSTALL_LIBDIR=lib $launcher >>"$log" 2>&1 ||
    { cat "$log" >&2; exit 1; }
cmake --build "$work/build" --parallel "$(nproc)" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
cmake --install "$work/build" >>"$log" 2>&1 || { cat "$log" >&2; exit 1; }
rm -rf "$prefix.tmp/share/man"
printf 'version=%s\nrecipe=%s\nsource=%s\n' "$version" "$recipe" "$(basename "$dsc")" \
    >"$prefix.tmp/hivelab-libssh2.stamp"
# Swap in whole, so an interrupted build never leaves a half-filled prefix behind.
rm -rf "$prefix"
mv "$prefix.tmp" "$prefix"
rm -rf "$work/build" "$work/src/libssh2" "$work/apt/lists" "$work/apt/cache"
echo "libssh2: $version installed in $prefix ($(($(date +%s) - started)) s)" >&2
