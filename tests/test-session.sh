#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command (ctest) with a fresh HOME inside a private D-Bus session with a fresh, unlocked
# gnome-keyring: a real Secret Service for the keychain tests, never a developer's own.
#   tests/test-session.sh COMMAND [ARGS…]      used by tests/run.sh and tests/run-sanitized.sh
set -eu
scratch=$(mktemp -d /tmp/hivelab-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/runtime"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
# No exec: the EXIT trap must still remove the scratch HOME. The keyring password is a throwaway
# for this fresh HOME; it goes through a pipe, never argv. HIVELAB_TEST_KEYRING=1 tells the
# keychain tests that this private keyring (and not a developer's own) is theirs to use.
dbus-run-session -- sh -c '
    if printf "%s" "hivelab-test-keyring" |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; then
        export HIVELAB_TEST_KEYRING=1
    else
        echo "warning: gnome-keyring did not start; keychain tests will skip" >&2
    fi
    "$@"' sh "$@"
