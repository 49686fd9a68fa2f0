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
# No web address is published yet: nothing may point at a made-up one (README, Package).
if grep -nE 'https?://[^"<[:space:]]*example\.(invalid|com|org)' \
    "$src/packaging/io.hivelab.Hivelab.metainfo.xml"; then
    fail "metainfo links to a placeholder address"
fi

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/out/hivelab_*.deb)
deps=$(dpkg-deb -f "$deb" Depends)
case $(dpkg-deb -f "$deb" Homepage) in *example.*) fail "Homepage is a placeholder" ;; esac
# A private libssh2 >= 1.11 (docs/SSH-RSA.md) is linked statically: no libssh2-1 dependency then,
# but its licence travels in the package.
libssh2_dep=libssh2-1
embedded=""
if [ "${HIVELAB_LIBSSH2_PRIVATE:-OFF}" = ON ]; then
    libssh2_dep=""
    embedded=./usr/share/lintian/overrides/hivelab
    case $deps in *libssh2-1*) fail "Depends has libssh2-1 although libssh2 is linked statically: $deps" ;; esac
fi
case $deps in *nmap*) fail "nmap is only for a benchmark: $deps" ;; esac
[ "$(dpkg-deb -f "$deb" Description | wc -l)" -gt 3 ] || fail "no extended description" 
for want in libqt6widgets6 $libssh2_dep openssh-client libarchive13 libssl3 libqt6network6 libqt6keychain1; do
    echo "$deps" | grep -q "$want" || fail "Depends lacks $want: $deps"
done
contents=$(dpkg-deb -c "$deb")
for want in ./usr/bin/hivelab ./usr/share/applications/io.hivelab.Hivelab.desktop \
    ./usr/share/metainfo/io.hivelab.Hivelab.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.hivelab.Hivelab.svg \
    ./usr/share/man/man1/hivelab.1.gz ./usr/share/doc/hivelab/copyright \
    ./usr/share/doc/hivelab/changelog.gz ./usr/share/bash-completion/completions/hivelab \
    ./usr/share/zsh/vendor-completions/_hivelab $embedded; do
    echo "$contents" | grep -q " $want\$" || fail "package lacks $want"
done
dpkg-deb -x "$deb" "$work/root"
# One logo: the launcher shows the artwork the window and the wizard use.
cmp -s "$work/root/usr/share/icons/hicolor/scalable/apps/io.hivelab.Hivelab.svg" \
    "$src/resources/icons/hivelab.svg" || fail "the launcher icon is not the app's logo"
if [ -n "$embedded" ]; then
    grep -q '^License: BSD-3-clause' "$work/root/usr/share/doc/hivelab/copyright" ||
        fail "copyright file lacks the embedded libssh2's licence"
fi
# The man page renders without warnings.
zcat "$work/root/usr/share/man/man1/hivelab.1.gz" | groff -man -Tutf8 -ww -z 2>"$work/groff.log"
[ ! -s "$work/groff.log" ] || { cat "$work/groff.log"; fail "man page has groff warnings"; }
# The check Debian runs on packages: no errors or warnings, and the hardening flags are in.
if command -v lintian >/dev/null; then
    lintian -I --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || true
    if grep -E '^[EW]: |hardening-no-' "$work/lintian.log"; then
        fail "lintian"
    fi
else
    echo "lintian not installed: package lint skipped"
fi
"$work/root/usr/bin/hivelab" --version | grep -q '^hivelab ' || fail "packaged binary does not start"
# The window is a module the binary finds next to its libraries (app/CMakeLists.txt); neither
# file searches its own folders for libraries (no RUNPATH: Debian's policy, and nothing needs one).
module=$(cd "$work/root" && find . -name hivelab-gui.so)
case $module in
./usr/lib/hivelab/modules/hivelab-gui.so | ./usr/lib/*/hivelab/modules/hivelab-gui.so) ;;
*) fail "window module not in a private folder of /usr/lib: $module" ;;
esac
for f in usr/bin/hivelab "$module"; do
    if readelf -d "$work/root/$f" | grep -E 'R(UN)?PATH'; then fail "$f has a library search path"; fi
done
QT_QPA_PLATFORM=offscreen "$work/root/usr/bin/hivelab" --demo --screenshot "$work/window.png" \
    >"$work/window.log" 2>&1 || { cat "$work/window.log"; fail "packaged binary opens no window"; }
[ -s "$work/window.png" ] || fail "packaged window saved no screenshot"
echo "package ok: $(basename "$deb")"
