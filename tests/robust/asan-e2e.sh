#!/usr/bin/env bash
# Builds a copy of sipauth with AddressSanitizer + UBSan (cmake/Sanitizers.cmake) in its own build directory,
# runs its unit tests, then the end-to-end cases, the hostile captures and every capture with the statistics
# through the real tshark with the sanitized plugin. Any sanitizer report fails.
# Usage: tests/robust/asan-e2e.sh [BUILD_DIR]   (default: build-asan/ at the top of the repository)
#
# tshark is not instrumented, so the ASan runtime must come first: it is preloaded into tshark, run
# through tests/tools/tshark-plugin.sh as usual (its setpriv/env keep the environment). Leak detection
# is off because tshark itself does not free everything at exit; extcap discovery is off
# (tests/tools/plugin-set.sh) because the extcap helpers hang when started with the runtime preloaded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
root=$robust_root
build=${1:-$root/build-asan}

command -v gcc >/dev/null || { echo "asan-e2e: gcc is not installed"; exit 1; }
runtime=$(gcc -print-file-name=libasan.so)
[ -e "$runtime" ] || { echo "asan-e2e: gcc has no libasan.so (apt-get install libasan8, pulled in by gcc-12)"; exit 1; }

echo "asan-e2e: building a sanitized copy in $build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DSIPAUTH_SANITIZE=ON >"$build.cmake.log" 2>&1 \
    || { cat "$build.cmake.log"; exit 1; }
cmake --build "$build" -j "$(nproc)" >"$build.build.log" 2>&1 || { tail -40 "$build.build.log"; exit 1; }
rm -f "$build.cmake.log" "$build.build.log"
plugin=$build/sipauth.so
[ -f "$plugin" ] || { echo "asan-e2e: the build made no $plugin"; exit 1; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0 failed=0
record() {  # record NAME STATUS
    if [ "$2" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1 (exit $2)"; fi
}

# Unit tests: linked with the sanitizers, no preload needed; leaks count here.
status=0
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 ctest --test-dir "$build" -R '^unit_' --output-on-failure --timeout 300 \
    >"$build/unit.log" 2>&1 || status=$?
tail -3 "$build/unit.log"
[ "$status" = 0 ] || grep -E -A30 'ERROR|runtime error|Failed' "$build/unit.log" | head -60
grep -q 'tests passed' "$build/unit.log" || status=1
record "unit tests under ASan/UBSan" "$status"

# Only tshark gets the runtime: a shim named tshark first in PATH (the wrapper finds tshark through PATH,
# also as nobody, so the shim lives where nobody can read it).
shim=$(mktemp -d /tmp/sipauth-asan-shim.XXXXXX)
trap 'rm -rf "$shim"' EXIT
printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$runtime" "$(command -v tshark)" >"$shim/tshark"
chmod 755 "$shim" "$shim/tshark"
export PATH=$shim:$PATH
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:detect_odr_violation=0

# The end-to-end cases, both passes.
shopt -s nullglob
cases=("$root"/tests/e2e/cases/*.expect)
[ ${#cases[@]} -gt 0 ] || { echo "asan-e2e: no e2e case in tests/e2e/cases"; exit 1; }
for case in "${cases[@]}"; do
    for mode in two-pass single-pass; do
        status=0
        python3 "$root/tests/e2e/run_e2e.py" "$SIPAUTH_TSHARK" "$plugin" "$case" --mode "$mode" >"$build/e2e.log" 2>&1 \
            || status=$?
        [ "$status" = 0 ] || sed -n 1,40p "$build/e2e.log"
        record "e2e $(basename "$case" .expect) $mode" "$status"
    done
done

# Every capture, both passes, with the statistics tables: the tap and table code run too.
mapfile -t captures < <(list_captures "$root/pcaps" "$root/pcaps/lab" ${SIPAUTH_EXTRA_CAPTURES:+"$SIPAUTH_EXTRA_CAPTURES"})
for capture in "${captures[@]}"; do
    for pass in -2 ""; do
        status=0
        # shellcheck disable=SC2086
        timeout 600 "$robust_lib" with "$plugin" -n $pass -V -r "$capture" -z sipauth,stat -z sipauth,problems \
            -z sipauth,registrations -z sipauth,sources >/dev/null 2>"$build/tshark.err" || status=$?
        if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' "$build/tshark.err"; then
            status=${status/#0/1}
        fi
        [ "$status" = 0 ] || sed -n 1,60p "$build/tshark.err"
        record "$(basename "$capture") ${pass:-single pass}" "$status"
    done
done

# The hostile captures (no memory limit: ASan reserves terabytes of address space).
status=0
HOSTILE_MEM_MB=0 HOSTILE_TIMEOUT=600 "$here/hostile.sh" "$plugin" >"$build/hostile.log" 2>&1 || status=$?
tail -1 "$build/hostile.log"
[ "$status" = 0 ] || grep -E -A20 '^FAIL' "$build/hostile.log" | head -60
record "hostile captures" "$status"

echo "asan-e2e: $passed passed, $failed failed (${#cases[@]} e2e cases x 2 passes, ${#captures[@]} captures x 2 passes," \
     "unit tests, hostile captures)"
[ "$failed" = 0 ]
