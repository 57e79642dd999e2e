#!/usr/bin/env python3
"""Holds the security agreement on the real open5gs captures against answers read by hand (frame by frame,
with plain tshark: the 401's Security-Server, the ESP frames' SPI and source).

open5gs__ipsec_reg.pcapng: the UE's REGISTER (192.168.101.5, inside GTP-U) is challenged in frame 406, whose
Security-Server offers ipsec-3gpp hmac-md5-96 null, spi-c 100, spi-s 101, port-c 5100, port-s 6100; the UE's
first ESP with SPI 101 toward the P-CSCF is frame 452. By default the retry is not decoded: retry protected,
sipauth.esp_frame 452. With the ESP NULL heuristic the retry decodes (frame 460) and is accepted.
open5gs__nonipsec_reg.pcapng: no security agreement, nothing of it shows.

Usage: real_secagree.py WRAPPER PLUGIN CAPTURES_DIR (exit 77: the captures are not there)
"""
import os
import subprocess
import sys

FIELDS = ["frame.number", "sipauth.verdict", "sipauth.sec_mechanism", "sipauth.spi_c", "sipauth.spi_s",
          "sipauth.port_c", "sipauth.port_s", "sipauth.esp_frame", "sipauth.retry_frame",
          "sipauth.retry_in_ipsec", "sipauth.missing_retry"]
HEURISTIC = ["-o", "esp.enable_null_encryption_decode_heuristic:TRUE"]
# (capture, extra args, display filter, [expected rows]): a row is the FIELDS' values as tshark prints them
# (verdict 9 retry protected, 1 accepted; an expert info's field prints 1 where the frame has it).
CASES = [
    ("open5gs__ipsec_reg.pcapng", [], "sipauth.sec_mechanism",
     [["406", "9", "ipsec-3gpp hmac-md5-96 null", "100", "101", "5100", "6100", "452", "", "1", ""]]),
    ("open5gs__ipsec_reg.pcapng", HEURISTIC, "sipauth.sec_mechanism && sipauth.role == 2",
     [["406", "1", "ipsec-3gpp hmac-md5-96 null", "100", "101", "5100", "6100", "", "460", "", ""]]),
    ("open5gs__ipsec_reg.pcapng", [], "sipauth.verdict == 6 || sipauth.missing_retry", []),
    ("open5gs__nonipsec_reg.pcapng", [],
     "sipauth.sec_mechanism || sipauth.esp_frame || sipauth.sec_server_missing || sipauth.sec_verify_mismatch "
     "|| sipauth.retry_unprotected || sipauth.retry_in_ipsec", []),
]


def rows(wrapper, plugin, path, args, display_filter):
    command = [wrapper, plugin, "-n", "-2", "-r", path] + args + ["-Y", display_filter, "-T", "fields",
                                                                   "-E", "occurrence=f"]
    for field in FIELDS:
        command += ["-e", field]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError("tshark exited %d: %s" % (run.returncode, run.stderr.strip()))
    return [line.split("\t") for line in run.stdout.splitlines()]


def main():
    wrapper, plugin, captures = sys.argv[1:4]
    if not os.path.isdir(captures) or not os.path.exists(os.path.join(captures, CASES[0][0])):
        print("no real captures at %s: skipped" % captures)
        return 77
    failed = 0
    for name, args, display_filter, expected in CASES:
        got = rows(wrapper, plugin, os.path.join(captures, name), args, display_filter)
        ok = got == expected
        print("%s %s %s [%s]: %s" % ("PASS" if ok else "FAIL", name, " ".join(args), display_filter, got))
        failed += not ok
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
