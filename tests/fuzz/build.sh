#!/usr/bin/env bash
# Builds the fuzzers with clang's libFuzzer, ASan and UBSan: fuzz_tracker (tracker records) and
# fuzz_sipmsg (raw SIP messages through the message reader into the tracker) and fuzz_diameter (Diameter Cx
# messages and SIP REGISTER steps into the tracker's HSS links).
# Usage: tests/fuzz/build.sh [OUTPUT_DIR]   (default: build-fuzz/ at the top of the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-fuzz}
cc=${CLANG:-clang}
command -v "$cc" >/dev/null || { echo "fuzz build: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p "$out"
for harness in fuzz_tracker fuzz_sipmsg fuzz_diameter; do
    # shellcheck disable=SC2046,SC2086
    "$cc" -g -O1 -std=c11 -Wall -Wextra -fno-omit-frame-pointer \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        ${FUZZ_CFLAGS:-} -I"$root/include" -I"$root/core" "$root"/core/*.c "$root/tests/fuzz/$harness.c" \
        $(pkg-config --cflags --libs glib-2.0) $(pkg-config --cflags --libs libgcrypt 2>/dev/null || echo -lgcrypt) -o "$out/$harness"
    echo "built $out/$harness"
done
