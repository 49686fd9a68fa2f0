#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the Debian package from the build tree, checks its metadata and contents, and starts
# the packaged binary from an extracted copy (no system change).
#   check-deb.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1
build=$2
work=$(mktemp -d /tmp/hivelab-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

desktop-file-validate "$src/packaging/io.hivelab.Hivelab.desktop" || fail "desktop file invalid"
appstreamcli validate --no-net --pedantic "$src/packaging/io.hivelab.Hivelab.metainfo.xml" >/dev/null \
    || fail "metainfo invalid"

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/out/hivelab_*.deb)
deps=$(dpkg-deb -f "$deb" Depends)
# A private libssh2 >= 1.11 (docs/SSH-RSA.md) is linked statically: no libssh2-1 dependency then,
# but its licence travels in the package.
libssh2_dep=libssh2-1
libssh2_file=""
if [ "${HIVELAB_LIBSSH2_PRIVATE:-OFF}" = ON ]; then
    libssh2_dep=""
    libssh2_file=./usr/share/doc/hivelab/COPYING.libssh2
    case $deps in *libssh2-1*) fail "Depends has libssh2-1 although libssh2 is linked statically: $deps" ;; esac
fi
for want in libqt6widgets6 $libssh2_dep openssh-client; do
    echo "$deps" | grep -q "$want" || fail "Depends lacks $want: $deps"
done
contents=$(dpkg-deb -c "$deb")
for want in ./usr/bin/hivelab ./usr/share/applications/io.hivelab.Hivelab.desktop \
    ./usr/share/metainfo/io.hivelab.Hivelab.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.hivelab.Hivelab.svg $libssh2_file; do
    echo "$contents" | grep -q " $want\$" || fail "package lacks $want"
done
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/hivelab" --version | grep -q '^hivelab ' || fail "packaged binary does not start"
echo "package ok: $(basename "$deb")"
