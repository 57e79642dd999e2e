#!/usr/bin/env python3
"""Writes stats-mix.pcap, a capture of many interleaved authentication flows, and the tables it must give.

Usage: gen_stats_capture.py OUTDIR   (writes OUTDIR/stats-mix.pcap and OUTDIR/stats-mix.expect.json)

Each flow is planned as data (method, challenges, retry delays, how it ends, retransmissions, duplicates);
the frames come from the pcap/SIP builders of tests/tools/gen_pcaps.py, and the expected rows of
-z sipauth,stat and -z sipauth,problems and the Info column tags are computed from the plans, never from
the plugin. The output is byte-for-byte reproducible.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import gen_pcaps as g  # noqa: E402

NAME = "stats-mix"
DESCRIPTION = ("REGISTER, INVITE and MESSAGE flows, some interleaved: accepted, stale refresh, 407 then 401, "
               "loop, 403, 404, no retry, restart, retry unanswered, retransmissions, GTP-U duplicates")
TEXT = "See you at 3."


class FlowPlan:
    """One authentication flow: challenges[i] = (code, realm, stale); delays[i] = seconds from challenge i
    to its retry; end = "ok", "noretry", "unanswered" or the status code of the last retry's answer.
    rtx holds what is sent twice: "req" (first request), "chal" (first challenge), "retry" (last retry),
    "result" (the final response); dup copies every message into GTP-U (a second capture point)."""

    def __init__(self, key, ua, method, t0, challenges, delays, end, rtx=(), dup=False, call_id=None, cseq=1,
                 password="secret", latency=0.010):
        retries = len(challenges) - (1 if end == "noretry" else 0)
        assert len(delays) == retries, key
        self.key, self.ua, self.method, self.t0 = key, ua, method, t0
        self.challenges, self.delays, self.end = challenges, delays, end
        self.rtx, self.dup, self.cseq, self.password = set(rtx), dup, cseq, password
        self.latency = latency          # from a request to its challenge
        self.call_id = call_id or g.call_id(NAME, key, ua.ip)
        self.tag = g.token("tag", NAME, key, length=8)

    def label(self, what, n=0):
        return "%s/%s%d" % (self.key, what, n)


class Timeline:
    """Messages of all flows, emitted in time order once every flow is planned."""

    def __init__(self):
        self.events = []

    def send(self, t, src, dst, message, label=None, dup=False):
        self.events.append((t, len(self.events), src, dst, message, label, False))
        if dup:
            self.events.append((t + 0.0002, len(self.events), src, dst, message, label and label + "/gtp", True))

    def write(self, cap):
        for t, _, src, dst, message, label, tunnelled in sorted(self.events, key=lambda e: (e[0], e[1])):
            if tunnelled:
                cap.duplicate_in_gtp(t, src, dst, message, label)
            else:
                cap.udp(t, src, dst, message, label)


def request(plan, cseq, n, auth):
    ua, br = plan.ua, g.branch(NAME, plan.key, n)
    if plan.method == "INVITE":
        return g.invite(ua, plan.call_id, cseq, br, plan.tag, auth=auth)
    if plan.method == "REGISTER":
        return g.register(ua, plan.call_id, cseq, br, plan.tag, auth=auth)
    return ua.request(plan.method, g.BOB_URI, plan.call_id, cseq, br, plan.tag, auth=auth, body=TEXT,
                      body_type="text/plain")


def challenge(plan, req, i):
    code, realm, stale = plan.challenges[i]
    nonce = g.nonce(NAME, "%s/%d" % (plan.key, i))
    tag = g.token("tag", NAME, plan.key, "chal", i, length=8)
    return (g.c407 if code == 407 else g.c401)(req, realm, nonce, tag, stale=stale), nonce


def credentials(plan, answered):
    """The credential headers of the retry answering challenges[:answered]: the latest per header type."""
    latest = {}
    for i in range(answered):
        code, realm, _ = plan.challenges[i]
        header = "Proxy-Authorization" if code == 407 else "Authorization"
        uri = "sip:" + g.DOMAIN if plan.method == "REGISTER" else g.BOB_URI
        latest[header] = (header, g.credentials_header(plan.ua.user, realm, g.nonce(NAME, "%s/%d" % (plan.key, i)), uri,
                                                       plan.method, password=plan.password,
                                                       cnonce_seed=plan.key + str(i)))
    return [latest[h] for h in ("Proxy-Authorization", "Authorization") if h in latest]


def final_response(plan, retry, code):
    tag = g.token("tag", NAME, plan.key, "final", length=8)
    if code == 200 and plan.method == "INVITE":
        return g.ok_invite(retry, tag)
    if code == 200 and plan.method == "REGISTER":
        return g.ok_register(retry, tag, plan.ua)
    reasons = {200: "OK", 202: "Accepted", 403: "Forbidden", 404: "Not Found", 486: "Busy Here"}
    return g.response(retry, code, reasons[code], tag)


def plan_messages(tl, plan):
    """Puts the flow's messages on the timeline; the labels name what the expectations refer to."""
    ua = plan.ua
    src, dst, dup = (ua.ip, ua.port), g.PROXY, plan.dup
    invite = plan.method == "INVITE"
    req = request(plan, plan.cseq, 0, [])
    t = plan.t0
    tl.send(t, src, dst, req, plan.label("req"), dup)
    if "req" in plan.rtx:
        tl.send(t + 0.5, src, dst, req)
        t += 0.5
    if invite:
        tl.send(t + 0.002, dst, src, g.response(req, 100, "Trying"))
    current = req
    for i in range(len(plan.challenges)):
        chal, _ = challenge(plan, current, i)
        t += plan.latency
        tl.send(t, dst, src, chal, plan.label("chal", i), dup)
        chal_t = t
        if invite:
            tl.send(t + 0.001, src, dst, g.ack_for(current, chal), None, dup)
        if i == 0 and "chal" in plan.rtx:
            tl.send(t + 0.5, dst, src, chal)
            if invite:
                tl.send(t + 0.501, src, dst, g.ack_for(current, chal))
        if i >= len(plan.delays):
            return
        t = chal_t + plan.delays[i]
        retry = request(plan, plan.cseq + i + 1, i + 1, credentials(plan, i + 1))
        tl.send(t, src, dst, retry, plan.label("retry", i), dup)
        if i == len(plan.challenges) - 1 and "retry" in plan.rtx:
            tl.send(t + 0.5, src, dst, retry)
            tl.send(t + 1.5, src, dst, retry)
        if invite:
            tl.send(t + 0.002, dst, src, g.response(retry, 100, "Trying"))
        current = retry
    if plan.end == "unanswered":
        return
    code = plan.end if isinstance(plan.end, int) else (202 if plan.method == "MESSAGE" else 200)
    final = final_response(plan, current, code)
    t += 0.300 if invite and code == 200 else 0.010
    copies = [t, t + 0.5] if "result" in plan.rtx else [t]
    for n, when in enumerate(copies):
        tl.send(when, dst, src, final, plan.label("final") if n == 0 else None, dup and n == 0)
        if invite and code >= 300:
            tl.send(when + 0.001, src, dst, g.ack_for(current, final))
    if invite and code < 300:
        bob_tag = final.get("To")[0].split(";tag=")[1]
        tl.send(t + 0.002, src, dst, ua.request("ACK", g.BOB_CONTACT, plan.call_id, plan.cseq + len(plan.challenges),
                                                g.branch(NAME, plan.key, "ack2xx"), plan.tag, to_uri=g.BOB_URI,
                                                to_tag=bob_tag))


def person(name, n):
    return g.UA(name, g.DOMAIN, "192.168.1.%d" % (20 + n), 5060, display=name.title())


def plans():
    ex, pbx = g.DOMAIN, "pbx.example.com"
    oscar = person("oscar", 13)
    restart_cid = g.call_id(NAME, "oscar", oscar.ip)
    return [
        # alice's REGISTER is sent first, carol's MESSAGE is challenged first: flow numbers follow challenges.
        FlowPlan("alice-reg", person("alice", 1), "REGISTER", 0.000, [(401, ex, False)], [0.100], "ok",
                 latency=0.030),
        FlowPlan("carol-msg", person("carol", 2), "MESSAGE", 0.001, [(407, ex, False)], [0.050], "ok"),
        FlowPlan("alice-inv", person("alice", 1), "INVITE", 1.000, [(407, ex, False)], [0.120], "ok",
                 rtx=("result",)),
        FlowPlan("dave-stale", person("dave", 3), "REGISTER", 2.000, [(401, ex, False), (401, ex, True)],
                 [0.080, 0.040], "ok"),
        FlowPlan("erin-loop", person("erin", 4), "INVITE", 3.000,
                 [(407, ex, False), (407, ex, False), (407, ex, False)], [0.200, 0.250], "noretry",
                 password="wrong"),
        FlowPlan("frank-403", person("frank", 5), "INVITE", 4.000, [(407, ex, False)], [0.090], 403,
                 rtx=("result",)),
        FlowPlan("grace-404", person("grace", 6), "INVITE", 5.000, [(407, ex, False)], [0.110], 404),
        # heidi's REGISTER is sent before ivan's, but ivan's 401 comes first.
        FlowPlan("heidi-noretry", person("heidi", 7), "REGISTER", 6.000, [(401, ex, False)], [], "noretry",
                 latency=0.030),
        FlowPlan("ivan-unanswered", person("ivan", 8), "REGISTER", 6.002, [(401, ex, False)], [0.070],
                 "unanswered", rtx=("retry",)),
        FlowPlan("judy-rtx", person("judy", 9), "INVITE", 8.000, [(407, ex, False)], [0.980], "ok",
                 rtx=("req", "chal")),
        FlowPlan("ken-dup", person("ken", 10), "REGISTER", 10.000, [(401, ex, False)], [0.060], "ok", dup=True),
        FlowPlan("mallory-407-401", person("mallory", 11), "INVITE", 11.000, [(407, ex, False), (401, pbx, False)],
                 [0.100, 0.150], "ok"),
        # oscar gives up on the first 401 and starts over with a new REGISTER without credentials.
        FlowPlan("oscar-1", oscar, "REGISTER", 12.000, [(401, ex, False)], [], "noretry", call_id=restart_cid),
        FlowPlan("oscar-2", oscar, "REGISTER", 14.000, [(401, ex, False)], [0.030], "ok", call_id=restart_cid,
                 cseq=2),
        FlowPlan("peggy-msg-403", person("peggy", 14), "MESSAGE", 15.000, [(407, ex, False)], [0.045], 403,
                 dup=True),
        FlowPlan("trent-noretry", person("trent", 15), "INVITE", 16.000, [(407, ex, False)], [], "noretry"),
        FlowPlan("victor-486", person("victor", 16), "INVITE", 17.000, [(401, pbx, False)], [0.055], 486),
    ]


COUNTERS = ("challenges", "accepted", "challenged_again", "rejected", "missing_retry", "retry_unanswered")


def final_code(plan):
    if isinstance(plan.end, int):
        return plan.end
    return 202 if plan.method == "MESSAGE" else 200


def stat_table(per_flow):
    """Rows of -z sipauth,stat for some flows: per_flow = [(rows {key: counters}, [(retry frame, key, usec)])]."""
    stat, retries = {}, []
    for rows, flow_retries in per_flow:
        for key, counters in rows.items():
            row = stat.setdefault(key, dict(dict.fromkeys(COUNTERS, 0), method=key.split("/")[0],
                                            code=key.split("/")[1]))
            for name in COUNTERS:
                row[name] += counters[name]
        retries += flow_retries
    total = dict(method="Total", code="all")
    for name in COUNTERS:
        total[name] = sum(r[name] for r in stat.values())
    stat["Total/all"] = total
    for key, row in stat.items():
        # Summed in retry frame order, as the plugin does, so that the float rounding is the same.
        delays = [usec / 1e6 for _, k, usec in sorted(retries) if key in (k, "Total/all")]
        if delays:
            s = 0.0
            for d in delays:
                s += d
            row.update(min="%.3f" % min(delays), avg="%.3f" % (s / len(delays)), max="%.3f" % max(delays))
        else:
            row.update(min="-", avg="-", max="-")
    return stat


RETRY_TIMEOUT_US = 32 * 1000000     # the sipauth.retry_timeout default
LOOP_THRESHOLD = 3                  # the sipauth.loop_threshold default


def again_tag(p, i):
    """What challenge i + 1 of a flow was to the retry of challenge i: its Info tag's words (SPEC section 9)."""
    code, realm, stale = p.challenges[i + 1]
    if stale:
        return "nonce refresh"
    if realm == p.challenges[i][1]:
        return "REFUSED, LOOP" if looped(p) else "REFUSED"
    return "challenged again"


def looped(p):
    return sum(1 for _, _, stale in p.challenges if not stale) >= LOOP_THRESHOLD


def no_retry_tag(cap, p, chal):
    """The Info tag of a flow's last challenge when no retry came."""
    n = len(p.challenges)
    refusals = sum(1 for i in range(n - 1) if again_tag(p, i).startswith("REFUSED"))
    ended = cap.frames[-1][0] - cap.time_of(p.label("chal", n - 1)) < RETRY_TIMEOUT_US
    if looped(p) or (n > 1 and refusals and again_tag(p, n - 2).startswith("REFUSED")):
        return "[auth: %sREFUSED %dx, %s]" % ("LOOP, " if looped(p) else "", refusals,
                                              "capture ended" if ended else "UA GAVE UP")
    if ended and p.key not in RESTARTED:
        return "[auth: no retry, capture ended]"
    if n > 1 and p.challenges[-1][2]:
        return "[auth: NO RETRY after nonce refresh]"
    return "[auth: NO RETRY]"


def flow_verdict(p):
    """SPEC section 9's verdict of a flow that did not end accepted."""
    n = len(p.challenges)
    if looped(p):
        return "challenge loop"
    if p.end == "noretry":
        return "refused" if n > 1 and again_tag(p, n - 2).startswith("REFUSED") else "no retry"
    return "retry unanswered" if p.end == "unanswered" else "rejected"


# Flows whose UA started over with a new request without credentials: not cut by the capture's end.
RESTARTED = {"oscar-1"}


def flow_expectations(cap, number, p):
    """One flow's stat counters, retries, problem row (or None) and Info tags."""
    rows, retries, info = {}, [], {}
    n = len(p.challenges)
    for i, (code, _, _) in enumerate(p.challenges):
        key = "%s/%d" % (p.method, code)
        row = rows.setdefault(key, dict.fromkeys(COUNTERS, 0))
        row["challenges"] += 1
        chal = cap.frame_of(p.label("chal", i))
        if i < len(p.delays):
            retry = cap.frame_of(p.label("retry", i))
            retries.append((retry, key, cap.time_of(p.label("retry", i)) - cap.time_of(p.label("chal", i))))
        if i < n - 1:
            row["challenged_again"] += 1
            info[chal] = "[auth: retried in %d, %s]" % (retry, again_tag(p, i))
        elif p.end == "noretry":
            row["missing_retry"] += 1
            info[chal] = no_retry_tag(cap, p, chal)
        elif p.end == "unanswered":
            row["retry_unanswered"] += 1
            info[chal] = "[auth: retried in %d, NO ANSWER]" % retry
        else:
            row["accepted" if final_code(p) < 300 else "rejected"] += 1
            info[chal] = "[auth: retried in %d, %d]" % (retry, final_code(p))
    problem = None
    if p.end != "ok":
        last_code, last_realm, _ = p.challenges[-1]
        outcome = {"noretry": "no retry", "unanswered": "retry unanswered"}.get(p.end)
        problem = dict(
            flow=number, from_uri=p.ua.aor, username=p.ua.user if p.delays else "", realm=last_realm,
            method=p.method, code=last_code, challenge_frame=cap.frame_of(p.label("chal", 0)),
            retry_frame=cap.frame_of(p.label("retry", len(p.delays) - 1)) if p.delays else 0,
            attempts=n, outcome=outcome or "rejected (%d)" % p.end, verdict=flow_verdict(p))
    return (rows, retries), problem, info


def expectations(cap, flows, filtered_flows=("erin-loop", "mallory-407-401")):
    """The tables and Info tags the plans imply, with frame numbers taken from the written capture.
    filtered: what -z sipauth,stat,sipauth.flow==N shows for a few flows."""
    ordered = sorted(flows, key=lambda p: cap.frame_of(p.label("chal", 0)))
    per_flow, problems, info, filtered = [], [], {}, {}
    for number, p in enumerate(ordered, 1):
        counts, problem, tags = flow_expectations(cap, number, p)
        per_flow.append(counts)
        if problem:
            problems.append(problem)
        info.update(tags)
        if p.key in filtered_flows:
            filtered["sipauth.flow==%d" % number] = stat_table([counts])
    return dict(pcap=NAME + ".pcap", stat=stat_table(per_flow), problems=problems, filtered=filtered,
                info={str(k): v for k, v in sorted(info.items())})


def build():
    cap = g.Capture(NAME, DESCRIPTION)
    flows = plans()
    tl = Timeline()
    for plan in flows:
        plan_messages(tl, plan)
    tl.write(cap)
    return cap, expectations(cap, flows)


def main(argv):
    if len(argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    cap, expected = build()
    g.write_pcap(cap, os.path.join(argv[1], NAME + ".pcap"))
    with open(os.path.join(argv[1], NAME + ".expect.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %s (%d frames, %d problem flows)" % (os.path.join(argv[1], NAME + ".pcap"), len(cap.frames),
                                                    len(expected["problems"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
