#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a GUI test with Qt's accessibility on, as under a screen reader: an X server (Xvfb) and a
# private D-Bus session whose AT-SPI bus (at-spi2-core) says assistive technology is enabled.
# Qt posts accessibility events only then; the offscreen platform has no accessibility at all.
# The session is private so the desktop's own accessibility setting is never touched.
#   a11y-session.sh TEST [ARGS…]
set -eu
for tool in xvfb-run dbus-run-session dbus-send; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (packaging/install-deps.sh test)" >&2; exit 77; }
done
if [ "${HIVELAB_A11Y_SESSION:-}" != 1 ]; then
    HIVELAB_A11Y_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
# Starts the AT-SPI bus (D-Bus activation) and switches it on for this session only.
dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
    org.freedesktop.DBus.Properties.Set string:org.a11y.Status string:IsEnabled \
    variant:boolean:true >/dev/null \
    || { echo "SKIP: no AT-SPI bus (at-spi2-core)" >&2; exit 77; }
QT_QPA_PLATFORM=xcb exec xvfb-run -a -s "-screen 0 1600x1000x24" "$@"
