#!/usr/bin/env bash
# Builds the tracker fuzzer with clang's libFuzzer, ASan and UBSan.
# Usage: tests/fuzz/build.sh [OUTPUT_DIR]   (default: build-fuzz/ at the top of the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-fuzz}
cc=${CLANG:-clang}
command -v "$cc" >/dev/null || { echo "fuzz build: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p "$out"
# shellcheck disable=SC2046,SC2086
"$cc" -g -O1 -std=c11 -Wall -Wextra -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    ${FUZZ_CFLAGS:-} -I"$root/include" "$root"/core/*.c "$root/tests/fuzz/fuzz_tracker.c" \
    $(pkg-config --cflags --libs glib-2.0) -o "$out/fuzz_tracker"
echo "built $out/fuzz_tracker"
