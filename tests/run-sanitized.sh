#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds a second tree with clang, AddressSanitizer + UndefinedBehaviorSanitizer and the libFuzzer
# targets (HIVELAB_FUZZ=ON), then runs the unit and GUI tests and every fuzzer (its corpus plus a
# fixed number of runs) in the same private D-Bus/keyring session as tests/run.sh.
# See docs/TESTING.md.
#   tests/run-sanitized.sh [ctest args…]      default: -L 'unit|gui|fuzz'
# Environment: HIVELAB_SANITIZED_BUILD_DIR (default build-sanitized), HIVELAB_FUZZ_RUNS_FACTOR
# (multiplies every fuzzer's runs, default 1), HIVELAB_FUZZ_SECONDS (safety cap, default 60).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${HIVELAB_SANITIZED_BUILD_DIR:-$root/build-sanitized}
"$root/packaging/install-deps.sh" sanitize

# The private libssh2 (packaging/build.sh) is not instrumented and need not be: share the main
# tree's copy, built there already when tests/run.sh ran first.
libssh2=${HIVELAB_BUILD_DIR:-$root/build}/libssh2
if [ "${HIVELAB_LIBSSH2:-}" != system ]; then
    "$root/packaging/build-libssh2.sh" "$libssh2" ||
        echo "warning: libssh2 >= 1.11 could not be built; using the system libssh2" >&2
fi
launcher=""
command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DHIVELAB_WERROR=ON -DHIVELAB_FUZZ=ON \
    -DHIVELAB_FUZZ_RUNS_FACTOR="${HIVELAB_FUZZ_RUNS_FACTOR:-1}" \
    -DHIVELAB_FUZZ_SECONDS="${HIVELAB_FUZZ_SECONDS:-60}" -DHIVELAB_LIBSSH2_PREFIX="$libssh2" \
    $launcher >/dev/null

[ $# -gt 0 ] || set -- -L 'unit|gui|fuzz'
# packaging_deb checks the .deb's contents, not memory: it stays in tests/run.sh.
set -- -E '^packaging_deb$' "$@"
# Build only what the selected tests run (the GUI tests' targets are left out); tests depend on
# the binaries they start (e.g. hivelab) through add_dependencies.
cd "$build"
targets=$(ctest -N "$@" | sed -n 's/^ *Test *#[0-9]*: \(\(tst\|fuzz\)_[A-Za-z0-9_]*\)$/\1/p')
# shellcheck disable=SC2086
cmake --build . --parallel "$(nproc)" --target $targets

supp="$root/tests/sanitizers"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
exec "$root/tests/test-session.sh" ctest --output-on-failure --timeout 600 "$@"
