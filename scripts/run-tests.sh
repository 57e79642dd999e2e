#!/usr/bin/env bash
# Runs the whole test suite from scratch: installs the test dependencies, builds warning-free, runs ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test

build=${SIPAUTH_TEST_BUILD:-build-test}
rm -rf "$build"
cmake -S . -B "$build" -DSIPAUTH_WERROR=ON
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure --timeout 1800 -j "${SIPAUTH_TEST_JOBS:-2}"
