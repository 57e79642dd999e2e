# shellcheck shell=bash
# Sourced by ab.sh and tables.sh. bench_workdir CAPTURE sets work, a temporary folder removed at exit, and
# capture, a copy of CAPTURE in it: as root tshark runs as nobody, who may not reach the capture where it is.
bench_workdir() {
    work=$(mktemp -d)
    chmod 755 "$work"
    trap 'rm -rf "$work"' EXIT
    cp "$1" "$work/capture"
    chmod 644 "$work/capture"
    # shellcheck disable=SC2034  # the caller's
    capture=$work/capture
}
