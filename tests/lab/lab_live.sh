#!/usr/bin/env bash
# ctest lab_live: records the lab afresh (run-lab.sh) into a temporary folder and checks the
# plugin against it (check_lab.py). Without Kamailio/SIPp it skips (77), or fails when CI=true.
# Usage: lab_live.sh TSHARK_WRAPPER PLUGIN.so
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wrapper=$1
plugin=$2

missing=()
for tool in kamailio sipp dumpcap tshark python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    case "${CI:-}" in
        true|1|yes)
            echo "lab_live: FAILED: ${missing[*]} not installed (apt-get install kamailio sip-tester tshark)" >&2
            exit 1 ;;
    esac
    echo "lab_live: skipped: ${missing[*]} not installed" >&2
    exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-lab-live.XXXXXX")
trap 'rm -rf "$dir"' EXIT
timeout 420 "$here/run-lab.sh" "$dir"
timeout 60 python3 "$here/verify_wire.py" "$dir"
timeout 300 python3 "$here/check_lab.py" "$wrapper" "$plugin" "$dir"
