"""The public real captures' registrations, sources and credential_attack findings, read by hand from the frames.

Read with tshark WITHOUT the plugin (sip.Method, sip.Status-Code, sip.CSeq, sip.to.addr, sip.from.addr,
sip.auth.username, sip.Expires, sip.Contact, sip.Call-ID, sip.User-Agent, sip.auth.stale, frame.time_relative) and
worked out with the definitions of issue 17; the frame numbers below are the evidence. Times are
frame.time_relative (the first frame is at 0). Where a definition could be read two ways the comment says which
reading is taken and why.
"""

NERO = "Nero SIPPS IP Phone Version 2.0.51.16"
CYBERCITY = "sip.cybercity.dk"


def row(aor, username, registers, challenged, accepted, refused, failed, state, rrd, ira, auth, agent):
    return {"AOR": aor, "Username": username, "REGISTERs": str(registers), "Challenged": str(challenged),
            "Accepted": str(accepted), "Refused": str(refused), "Failed": str(failed), "State": state,
            "RRD min (ms)": rrd[0], "RRD avg (ms)": rrd[1], "RRD max (ms)": rrd[2], "IRA (%)": ira,
            "Auth time (s)": auth, "User-Agent": agent}


def both(rows):
    return {"two-pass": rows, "single-pass": rows}


NONE = ("-", "-", "-")

# sngrep__aaa.pcap: one Nero SIPPS phone (192.168.1.2) on sip.cybercity.dk (212.242.33.35), 691 frames over
# 1566.6 s; every REGISTER of the first three AORs on Call-ID 578222729-4665d775@578222732-4665d772, then
# Call-ID 29858147-465b0752@29858051-465b07b2. No 401 carries stale=true, but the second 401 of each attempt
# (122, 155, 432, 454, 560) says "401 nonce has changed": the project's rule (docs/FIELDS.md, verdict 2) takes a
# reason phrase about the nonce for a nonce refresh, not a refusal, so only the 403s refuse credentials here.
AAA = {
    "registrations": both([
        # REGISTERs 19, 30, 107, 121 (CSeq 68-71). Attempt 19: 401 (20) -> retry 30 as voi18063 -> 403 (32).
        # Attempt 107: 401 (108) -> retry 121 -> 401 "nonce has changed" (122, a refresh), never answered: the
        # next REGISTER on the Call-ID (143, CSeq 72) is another AOR's, without credentials. Challenged 19, 107,
        # 121; Refused 30 (403); the latest attempt ended challenged, not refused: failed: no retry. IRA: 2
        # attempts, 19's 403 ineffective. Auth time: each attempt's first 401 to its final response, the 403 or
        # the last 401: (32 - 20) 17.474795 + (122 - 108) 17.290428 = 34.765.
        row("sip:voi18063@" + CYBERCITY, "voi18063", 4, 3, 0, 1, 0, "failed: no retry", NONE, "50.0", "34.765", NERO),
        # REGISTERs 143, 154, 169, 180, 421, 430 (CSeq 72-77). Attempt 143: 401 (144) -> retry 154 -> 401 nonce
        # has changed (155); 169 comes without credentials: a new attempt, 401 (170) -> retry 180 -> 200 (182,
        # Contact expires=1200: bound until 1615.6 s, after the end). De-registration 421 (Expires: 0, Contact
        # expires=0) -> 401 (422) -> retry 430 (Expires: 0) -> 401 nonce has changed (432), never retried.
        # Challenged 143, 154, 169, 421, 430; Accepted 180; Refused none. The latest attempt is the
        # de-registration, left challenged: failed: no retry (the literal reading of "the latest attempt ended
        # without success"). RRD: 169 (398.071097) -> 182 (415.567606) = 17496.5 ms; IRA: attempts 143 and 169
        # (the de-registration excluded), none ineffective. Auth time: (155 - 144) 17.335822 + (182 - 170)
        # 17.359105 + (432 - 422) 17.389974 = 52.085.
        row("sip:voi18062@" + CYBERCITY, "voi18062", 6, 5, 1, 0, 0, "failed: no retry",
            ("17496.5", "17496.5", "17496.5"), "0.0", "52.085", NERO),
        # REGISTERs 441, 453 (Call-ID 5782...), 515, 524, 537, 558, 639, 648 (Call-ID 2985..., CSeq 1-6); every
        # retry's username is voi18062, not the AOR's user. Attempts: 441 (401 442 -> 453 -> 401 454, nonce
        # changed, given up: 515 is a new Call-ID without credentials), 515 (401 516 -> 524 -> 200 527), 537 (401
        # 539 -> 558, 34.1 s later but echoing the nonce: linked -> 401 560, nonce changed; 639 starts over
        # without credentials), 639 (401 640 -> 648 -> 200 650, expires=1200). Challenged 441, 453, 515, 537, 558,
        # 639; Accepted 524, 648; Refused none. RRD: 515 -> 527 = 17545.464 ms, 639 -> 650 = 17618.603 ms, avg
        # 17582.0; IRA 0 of 4. Auth time: (454 - 442) 18.817092 + (527 - 516) 17.408612 + (560 - 539) 34.264419 +
        # (650 - 640) 17.476829 = 87.967.
        row("sip:35104723@" + CYBERCITY, "voi18062", 8, 6, 2, 0, 0, "registered",
            ("17545.5", "17582.0", "17618.6"), "0.0", "87.967", NERO),
    ]),
    # One source. Challenges: 401s 20, 108, 122, 144, 155, 170, 422, 432, 442, 454, 516, 539, 560, 640 and 407s
    # 326, 550, 603 = 17. Usernames: retries' voi18063 and voi18062, To users of the uncredentialed REGISTERs
    # voi18063, voi18062, 35104723, From users of the INVITEs 321 (voi18062), 548 and 602 (35104723): 3.
    # Refused: the 403s to REGISTER retry 30 and INVITE retries 346, 578 = 3 (617's 480 is no refusal; the
    # "nonce has changed" 401s are refreshes). Accepted: 180, 524, 648. First challenge 20 (32.141694), last
    # 640 (1460.565691).
    "sources": [{"Source": "192.168.1.2", "Challenges": "17", "Usernames": "3", "Refused": "3", "Accepted": "3",
                 "First (s)": "32.142", "Last (s)": "1460.566", "User-Agent": NERO}],
    # Failures by user name. Refusals (known in one pass): 32 voi18063 (49.6 s), 348 voi18062 (727.3 s), 581
    # voi18062 (1359.2 s). Challenges without a retry within 32 s (two passes): 122 voi18063 (156.8 s), 155
    # voi18062 (324.3 s), 326 voi18062 (694.6 s: INVITE 346 came 32.5 s later), 432 and 454 voi18062 (932.8 s,
    # 968.8 s), 539 35104723 (1290.7 s: 558 came 34.1 s later), 550 35104723 (1307.8 s: 578 51.2 s later), 560
    # voi18062 (1325.0 s). Never 5 user names, no scanner User-Agent: no finding.
    "attacks": {"two-pass": [], "single-pass": []},
    "preferences": [
        # attack_usernames=2: 539/550 (35104723) and 560 (voi18062) lie within 60 s: on 560, two passes only;
        # one pass has only the 403s, 630 s apart and more.
        {"prefs": {"sipauth.attack_usernames": "2"}, "mode": "two-pass", "attacks": [[560, "192.168.1.2", 2]]},
        {"prefs": {"sipauth.attack_usernames": "2"}, "mode": "single-pass", "attacks": []},
        # ... and a 300 s window: first on 155 (voi18063 at 49.6 and 156.8 s, voi18062 at 324.3 s); the count
        # falls to 1 by 326 (694.6 s: only voi18062 within 300 s), then 2 again on 560.
        {"prefs": {"sipauth.attack_usernames": "2", "sipauth.attack_window": "300"}, "mode": "two-pass",
         "attacks": [[155, "192.168.1.2", 2], [560, "192.168.1.2", 2]]},
        {"prefs": {"sipauth.attack_usernames": "2", "sipauth.attack_window": "300"}, "mode": "single-pass",
         "attacks": []},
        # attack_usernames=1, attack_window=10: no two failures lie within 10 s of each other, so the count falls
        # back to 0 between any two and each failure is a finding again; in one pass the 403s only.
        {"prefs": {"sipauth.attack_usernames": "1", "sipauth.attack_window": "10"}, "mode": "two-pass",
         "attacks": [[f, "192.168.1.2", 1] for f in (32, 122, 155, 326, 348, 432, 454, 539, 550, 560, 581)]},
        {"prefs": {"sipauth.attack_usernames": "1", "sipauth.attack_window": "10"}, "mode": "single-pass",
         "attacks": [[f, "192.168.1.2", 1] for f in (32, 348, 581)]},
        # A 700 s window in one pass: the source reaches 2 user names with 155 (voi18062, unanswered, known 32 s
        # later) next to voi18063's failures; that finding belongs to 155, already past in one pass, and the
        # count stays at 2 through the 403 on 348 (voi18063's 156.8 s lies within 700 s): nothing to show.
        {"prefs": {"sipauth.attack_usernames": "2", "sipauth.attack_window": "700"}, "mode": "single-pass",
         "attacks": []},
    ],
}

SCAN = "friendly-scanner"
TARGET = "195.113.172.39"

# ipfixprobe__sip-sipvicious-scan.pcap: SIPVicious (User-Agent friendly-scanner) from 147.32.77.113, 50 frames
# over 15.2 s. Only 195.113.172.39 answers: a 401 to INVITE 4 (frame 6), 401s to the REGISTERs 17, 19, 20, 21
# (frames 18, 22, 23, 24), none of which is ever retried (their Call-IDs never come back); then two Call-IDs for
# 6001 each guessing with CSeq 2 retries: 1744316116 (28 -> 401 29, retries 30, 35, 39, 43, 47 each challenged
# again: 32, 38, 42, 46, 49) and 1080421403 (31 -> 401 33, retries 34, 37, 41 challenged again: 36, 40, 44,
# retry 45 -> 200 48, Contact <sip:123@1.1.1.1>;expires=3599). No stale=true anywhere, every 401 "Unauthorized".
# The capture ends 15.2 s in, less than the 32 s retry timeout after any challenge: an unretried challenge has
# "no outcome in the capture yet" (unknown), is no failure "within the retry timeout" for the attack count, and
# an attempt left challenged has no final response for Auth time.
VICIOUS = {
    "registrations": both([
        # One attempt each, challenged (18, 22), no outcome yet: not ineffective (IRA's denominator counts every
        # registration attempt: RFC 6076 4.2 divides by the REGISTER requests).
        row("sip:3241636936@" + TARGET, "", 1, 1, 0, 0, 0, "unknown", NONE, "0.0", "0.000", SCAN),
        row("sip:6000@" + TARGET, "", 1, 1, 0, 0, 0, "unknown", NONE, "0.0", "0.000", SCAN),
        # REGISTERs 20, 28, 30, 31, 34, 35, 37, 39, 41, 43, 45, 47 (12); challenged all but 45 (11); accepted 45;
        # refused 30, 34, 35, 37, 39, 41, 43, 47 (8). Three attempts: 20 (no retry), 28 (refused to the end),
        # 31 (accepted by 48). The latest started attempt, 31, was accepted with expires=3599: registered (28's
        # last refusal, 49, comes 5 ms after 48 but removes no binding). RRD 31 (13.404341) -> 48 (13.461791) =
        # 57.450 ms, printed 57.5 (exactly half way: "%.1f" of the double 57.45, which lies above). IRA 0 of 3.
        # Auth time: 20 and 28 have no outcome yet (their last challenges 23 and 49 within 32 s of the end);
        # 31's 33 -> 48 = 0.050673: 0.051.
        row("sip:6001@" + TARGET, "6001", 12, 11, 1, 8, 0, "registered", ("57.5", "57.5", "57.5"), "0.0", "0.051",
            SCAN),
        row("sip:6002@" + TARGET, "", 1, 1, 0, 0, 0, "unknown", NONE, "0.0", "0.000", SCAN),
    ]),
    # Challenges 6, 18, 22, 23, 24, 29, 32, 33, 36, 38, 40, 42, 44, 46, 49 = 15. Usernames: INVITE 4's From user
    # 100, the REGISTERs' To users 3241636936, 6000, 6001, 6002, the retries' 6001: 5. Refused 30, 35, 39, 43,
    # 47, 34, 37, 41 = 8; accepted 45. First challenge 6 (0.023625), last 49 (13.467065).
    "sources": [{"Source": "147.32.77.113", "Challenges": "15", "Usernames": "5", "Refused": "8", "Accepted": "1",
                 "First (s)": "0.024", "Last (s)": "13.467", "User-Agent": SCAN}],
    # friendly-scanner: on the first challenge (6), 0 user names, in both passes. The count: only 6001's refusals
    # (32, 36, 38, ...) are failures (the unretried challenges 6, 18, 22, 23, 24 have not timed out by the end):
    # 1 user name.
    "attacks": {"two-pass": [[6, "147.32.77.113", 0]], "single-pass": [[6, "147.32.77.113", 0]]},
    # attack_usernames=1: the first refusal (32, of 6001's retry 30) is a failure for 1 user name.
    "preferences": [{"prefs": {"sipauth.attack_usernames": "1"}, "mode": m,
                     "attacks": [[6, "147.32.77.113", 0], [32, "147.32.77.113", 1]]} for m in ("two-pass", "single-pass")],
}

CAPTURES = {
    "sngrep__aaa.pcap": AAA,
    "ipfixprobe__sip-sipvicious-scan.pcap": VICIOUS,
}
