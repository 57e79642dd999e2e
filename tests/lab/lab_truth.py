#!/usr/bin/env python3
"""Writes a lab scenario's NAME.truth.json from the scenario's design and SIPp's own counters.

Usage: lab_truth.py OUT.json DESIGN... [--sipp DIR ...] [--retrans-exact N | --lossy] [--transport T]
                    [--ua NAME] [--note TEXT]

Never reads the capture and never runs the plugin: the truth is what the scenario did.
--sipp DIR reads the trace_stat/trace_counts files one SIPp run left in DIR and fails unless
every call of it succeeded. Each DESIGN (a key of DESIGNS below) is given as
  DESIGN               ran once per successful SIPp call (once if there is no --sipp)
  DESIGN*N             ran N times
  DESIGN=DIR:IDX:CODE  ran once per CODE response SIPp received at message IDX of its scenario
                       (its -trace_counts column IDX_CODE_Recv): how an optional branch went
  DESIGN=DIR           ran for the rest of the successful calls of the SIPp run in DIR
"""
import argparse
import csv
import glob
import json
import os
import sys

# Per call: one entry per challenge, in order: (method, code, what happened to it, credentials).
#   accepted         the authenticated retry got 2xx
#   challenged       the retry was challenged again (credentials refused)
#   stale            the retry was challenged again with stale=true
#   rejected:CODE    the retry got that non-auth final response
#   no retry         the UA never answered the challenge
# credentials: what sipauth.credentials must say on that challenge's retry with the lab's credentials
# table (tests/lab/credentials), from the password the scenario gave the client and the one the table
# holds: "correct" (the client sent the table's password or AKA keys), "wrong" (`wrong-password`),
# "cannot check" (an AKA resynchronisation: auts and no RES); None when there is no retry. A retry that
# carries auts is marked with a fifth element "auts": the challenge after it brings the HSS's new vector, a
# refresh (like stale=true, without stale_nonce), not a refusal.
# The lab's UAs answer every INVITE challenge with an ACK, send the right credentials header,
# increment CSeq, echo the last nonce and realm: findings about those must stay at zero.
REG, INV = "REGISTER", "INVITE"
OK, WRONG, CANNOT = "correct", "wrong", "cannot check"
DESIGNS = {
    "register_ok": [(REG, 401, "accepted", OK)],
    "register_noretry": [(REG, 401, "no retry", None)],
    "register_loop": [(REG, 401, "challenged", WRONG)] * 3 + [(REG, 401, "no retry", None)],
    "register_wrong_then_right": [(REG, 401, "challenged", WRONG), (REG, 401, "accepted", OK)],
    "register_stale": [(REG, 401, "stale", OK), (REG, 401, "accepted", OK)],
    "register_refused": [(REG, 401, "challenged", WRONG), (REG, 401, "no retry", None)],
    # a guessed user name Kamailio does not know (brute force): challenged again, no entry in the table
    "register_guessed": [(REG, 401, "challenged", "not checked"), (REG, 401, "no retry", None)],
    # frank: the client and the table say frank-secret, Kamailio stores another password
    "register_correct_refused": [(REG, 401, "challenged", OK), (REG, 401, "no retry", None)],
    "invite_ok": [(INV, 407, "accepted", OK)],
    "invite_noretry": [(INV, 407, "no retry", None)],
    "invite_wrong_then_right": [(INV, 407, "challenged", WRONG), (INV, 407, "accepted", OK)],
    "invite_notfound": [(INV, 407, "rejected:404", OK)],
    "message_ok": [("MESSAGE", 407, "accepted", OK)],
    "options_ok": [("OPTIONS", 407, "accepted", OK)],
    # IMS AKA between a SIPp UAS (fixed nonces from aka_vectors.py) and a SIPp UAC holding the keys
    "aka_register_ok": [(REG, 401, "accepted", OK)],
    "aka_wrong_keys": [(REG, 401, "no retry", None)],
    "aka_resync": [(REG, 401, "challenged", CANNOT, "auts"), (REG, 401, "accepted", OK)],
}
# Challenges whose AUTN does not verify with the table's keys for their user (aka_autn_invalid): the
# finding is on the retry and on the challenge it answers, so a challenge without a retry has none.
AUTN_INVALID = {"aka_wrong_keys": [True]}
LOOP_THRESHOLD = 3  # the plugin's default sipauth.loop_threshold
ZERO_EXPERTS = ("retry_unanswered", "wrong_header", "cseq_not_incremented", "nonce_mismatch",
                "realm_mismatch", "missing_challenge_header", "no_ack")


def read_stat(directory):
    """Last line of SIPp's -trace_stat file: cumulative counters."""
    files = glob.glob(os.path.join(directory, "*.stat.csv"))
    if not files:
        sys.exit(f"lab_truth: no SIPp statistics file in {directory}")
    with open(files[0], newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    head, last = rows[0], rows[-1]
    values = dict(zip(head, last))

    def count(name):
        return int(values.get(name, "0") or 0)
    return {"successful_calls": count("SuccessfulCall(C)"), "failed_calls": count("FailedCall(C)"),
            "outgoing_calls": count("OutgoingCall(C)"), "retransmissions": count("Retransmissions(C)")}


def read_counts(directory):
    """SIPp's -trace_counts file: {column name: cumulative count}."""
    files = glob.glob(os.path.join(directory, "*_counts.csv"))
    if not files:
        sys.exit(f"lab_truth: no SIPp counts file in {directory}")
    with open(files[0], newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    return {k: int(v) for k, v in zip(rows[0], rows[-1]) if v.strip().isdigit()}


def refreshed(attempt):
    """Whether the challenge after this attempt's retry refreshed the nonce (stale=true, or a resync's vector)."""
    return attempt[2] == "stale" or (attempt[2] == "challenged" and "auts" in attempt[4:])


def nonstale_challenges(attempts):
    """The flow's challenges that did not refresh the nonce of the retry before them: what makes a loop."""
    return sum(1 for i in range(len(attempts)) if i == 0 or not refreshed(attempts[i - 1]))


def flow_verdict(attempts):
    """SPEC section 9: the verdict of one flow of a design, from how its last attempt ended and what came before."""
    whats = [a[2] for a in attempts]
    refusals = sum(1 for a in attempts[:-1] if a[2] == "challenged" and not refreshed(a))
    refreshes = sum(1 for a in attempts[:-1] if refreshed(a))
    last = whats[-1]
    if last == "accepted":
        return "accepted after refusal" if refusals else "accepted after nonce refresh" if refreshes else "accepted"
    if nonstale_challenges(attempts) >= LOOP_THRESHOLD:
        return "challenge loop"
    if last == "no retry":
        return "refused" if len(whats) > 1 and whats[-2] == "challenged" else "no retry"
    return "rejected"


# The finding that states each verdict on every challenge of its flow (SPEC section 9).
STATEMENT = {"refused": "retry_challenged", "no retry": "missing_retry", "rejected": "retry_failed"}


def challenge_experts(attempts, verdict):
    """The findings (of the truth file's kinds) on each challenge of one flow: its own, and the statement."""
    out = []
    for i, attempt in enumerate(attempts):
        what = attempt[2]
        names = set()
        if i > 0 and attempts[i - 1][2] == "challenged" and not refreshed(attempts[i - 1]):
            names.add("retry_challenged")
        if i > 0 and attempts[i - 1][2] == "stale":
            names.add("stale_nonce")
        if what == "no retry":
            names.add("missing_retry")
        if verdict in STATEMENT:
            names.add(STATEMENT[verdict])
        out.append(names)
    return out


def summarise(groups):
    challenges, outcomes = {}, dict.fromkeys(("accepted", "challenged again", "rejected", "no retry",
                                              "retry unanswered"), 0)
    results = {"accepted": 0, "challenged again": 0, "rejected": {}, "unanswered": 0}
    experts = dict.fromkeys(("missing_retry", "retry_challenged", "stale_nonce", "retry_failed", "aka_resync"), 0)
    verdicts = {}
    flows = loops = retries = 0
    for design, calls in groups:
        attempts = DESIGNS[design]
        flows += calls
        verdict = flow_verdict(attempts)
        verdicts[verdict] = verdicts.get(verdict, 0) + calls
        for names in challenge_experts(attempts, verdict):
            for name in names:
                experts[name] += calls
        if nonstale_challenges(attempts) >= LOOP_THRESHOLD:
            loops += calls
        for attempt in attempts:
            method, code, what = attempt[:3]
            if "auts" in attempt[4:]:
                experts["aka_resync"] += calls
            key = f"{code} {method}"
            challenges[key] = challenges.get(key, 0) + calls
            if what == "no retry":
                outcomes["no retry"] += calls
                continue
            retries += calls
            if what == "accepted":
                outcomes["accepted"] += calls
                results["accepted"] += calls
            elif what in ("challenged", "stale"):
                outcomes["challenged again"] += calls
                results["challenged again"] += calls
            elif what.startswith("rejected:"):
                status = what.split(":", 1)[1]
                outcomes["rejected"] += calls
                results["rejected"][status] = results["rejected"].get(status, 0) + calls
                experts["retry_failed"] += calls            # on the result frame
    experts.update(dict.fromkeys(ZERO_EXPERTS, 0))
    return {
        "flows": flows,
        "challenges": challenges,
        "retries": retries,
        "retry_results": results,
        "missing_retries": outcomes["no retry"],
        "challenge_outcomes": outcomes,
        "expert_frames": experts,
        "verdicts": verdicts,
        "loop_flows": loops,
        "credentials": credentials_summary(groups),
    }


CREDENTIAL_EXPERTS = ("credentials_correct", "wrong_credentials", "correct_credentials_refused", "aka_autn_invalid")


def credentials_summary(groups):
    """What the plugin must say about each retry's credentials with the lab's table (SPEC section 10)."""
    retries = dict.fromkeys((OK, WRONG, "not checked", CANNOT), 0)
    by_flow, experts = {}, dict.fromkeys(CREDENTIAL_EXPERTS, 0)
    for design, calls in groups:
        attempts = DESIGNS[design]
        autn_invalid = AUTN_INVALID.get(design, [False] * len(attempts))
        sequence = []
        for attempt, invalid in zip(attempts, autn_invalid):
            what, creds = attempt[2], attempt[3]
            if what == "no retry":
                continue        # no retry: nothing to check (aka_autn_invalid too is on the retry)
            sequence.append(creds)
            retries[creds] += calls
            if creds == OK:
                experts["credentials_correct"] += calls
                if what in ("challenged", "rejected:403"):
                    # on the retry and on the frame that refused it (the next challenge, or the 403)
                    experts["correct_credentials_refused"] += 2 * calls
            elif creds == WRONG:
                experts["wrong_credentials"] += calls
            if invalid:
                experts["aka_autn_invalid"] += 2 * calls     # the retry and the challenge it answers
        if sequence:
            key = ",".join(sequence)
            by_flow[key] = by_flow.get(key, 0) + calls
    return {"table": "tests/lab/credentials", "retries": retries, "by_flow": by_flow, "expert_frames": experts}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("designs", nargs="+", help="DESIGN or DESIGN*CALLS")
    ap.add_argument("--sipp", action="append", default=[], help="directory of one SIPp run")
    ap.add_argument("--retrans-exact", type=int, default=None)
    ap.add_argument("--lossy", action="store_true", help="SIPp dropped messages on purpose (-lost)")
    ap.add_argument("--transport", default="udp")
    ap.add_argument("--ua", default="sipp")
    ap.add_argument("--note", default="")
    ap.add_argument("--refresh", action="store_true",
                    help="OUT is an existing truth file: recompute what its design implies (after a rule change), "
                         "keeping what SIPp counted")
    args = ap.parse_args()
    if args.refresh:
        with open(args.out, encoding="utf-8") as f:
            truth = json.load(f)
        truth.update(summarise(list(truth["design"].items())))
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=2, sort_keys=False)
            f.write("\n")
        return

    sipp = {}
    for directory in args.sipp:
        stat = read_stat(directory)
        if stat["failed_calls"]:
            sys.exit(f"lab_truth: SIPp in {directory} reports {stat['failed_calls']} failed calls")
        sipp[directory] = stat
    successful = sum(s["successful_calls"] for s in sipp.values())
    retransmissions = sum(s["retransmissions"] for s in sipp.values())

    # Designs counted from one SIPp run's counters first, then the rest of that run.
    groups, rest = [], []
    for item in args.designs:
        design, sep, spec = item.partition("=")
        if not sep:
            design, _, calls = item.partition("*")
            n = int(calls) if calls else (successful if sipp else 1)
            groups.append((design, n))
        elif spec.count(":") == 2:
            directory, index, code = spec.split(":")
            column = f"{index}_{code}_Recv"
            counts = read_counts(directory)
            if column not in counts:
                sys.exit(f"lab_truth: no column {column} in {directory}'s SIPp counts ({sorted(counts)})")
            groups.append((design, counts[column]))
            sipp[directory]["counted"] = sipp[directory].get("counted", 0) + counts[column]
        else:
            rest.append((design, spec))
    for design, directory in rest:
        stat = sipp[directory]
        groups.append((design, stat["successful_calls"] - stat.get("counted", 0)))
    for design, _ in groups:
        if design not in DESIGNS:
            sys.exit(f"lab_truth: unknown design {design}")
    if sipp and sum(n for _, n in groups) != successful:
        sys.exit(f"lab_truth: designs add up to {sum(n for _, n in groups)} calls, SIPp counted {successful}")

    truth = {"scenario": os.path.basename(args.out).split(".truth.json")[0], "ua": args.ua,
             "transport": args.transport, "note": args.note,
             "design": {d: n for d, n in groups}}
    if len({d for d, _ in groups}) != len(groups):
        sys.exit("lab_truth: a design given twice")
    truth.update(summarise(groups))
    # Kamailio's challenges are stateless and never retransmitted on their own: a challenge
    # shows up twice only when the UA sent its request twice, which on UDP SIPp does when it
    # lost (or dropped on purpose) the 401/407. A retransmission counted by SIPp after a message
    # it dropped itself never reached the wire, so SIPp's count is only an upper bound.
    if args.retrans_exact is not None:
        truth["challenge_retransmissions"] = {"min": args.retrans_exact, "max": args.retrans_exact}
    elif args.lossy:
        truth["challenge_retransmissions"] = {"min": 0, "max": retransmissions}
    else:
        truth["challenge_retransmissions"] = {"min": 0, "max": 0 if not sipp else retransmissions}
    if sipp:
        truth["sipp"] = {k: sum(s[k] for s in sipp.values())
                         for k in ("successful_calls", "failed_calls", "outgoing_calls", "retransmissions")}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
