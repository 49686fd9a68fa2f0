#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the package's machine-readable copyright file: the template, plus a paragraph for
# libssh2 when it is linked into the binary (its COPYING as the licence text).
#   make-copyright.sh TEMPLATE OUT HOMEPAGE [LIBSSH2_COPYING]   (HOMEPAGE "-": none)
set -eu
template=$1 out=$2 homepage=$3 libssh2=${4:-}
[ "$homepage" != - ] || homepage=""
embedded=""
if [ -n "$libssh2" ]; then
    # DEP-5 continuation lines: one leading space, an empty line is " .".
    text=$(sed -e 's/[[:space:]]*$//' -e 's/^$/./' -e 's/^/ /' "$libssh2")
    embedded="
Files: libssh2 (linked statically into usr/bin/hivelab)
Copyright: the libssh2 authors, listed in the licence text
License: BSD-3-clause
$text
"
fi
awk -v home="$homepage" -v embedded="$embedded" '
    # No web address (none is published yet): no Source field rather than a made-up one.
    /^Source: @PROJECT_HOMEPAGE_URL@$/ && home == "" { next }
    { gsub(/@PROJECT_HOMEPAGE_URL@/, home) }
    /^@HIVELAB_COPYRIGHT_EMBEDDED@$/ { printf "%s", embedded; next }
    { print }' "$template" >"$out.tmp"
mv "$out.tmp" "$out"
