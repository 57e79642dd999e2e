#!/usr/bin/env python3
"""Writes the registration and attack captures and their truths (SPEC section 12, issue 17 definitions).

Usage: gen_reg_captures.py OUTDIR   (writes OUTDIR/NAME.pcap and OUTDIR/NAME.truth.json for every case)

Each case builds its frames with the building blocks of tests/tools/gen_pcaps.py (real MD5 digests, real
UDP/IP) and states, written from the definitions and never from the plugin, what the tables
-z sipauth,registrations and -z sipauth,sources must print (every column) and which frames carry
sipauth.credential_attack, in two passes and in one (they differ only where the definitions say so: a finding
on an unanswered challenge). Times and frame numbers in the truths
come from the frames written, by label. The output is byte-for-byte reproducible.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import gen_pcaps as g  # noqa: E402

DOMAIN, PROXY = g.DOMAIN, g.PROXY
UA_LINPHONE = "Linphone/5.2.0"
REGISTER_URI = "sip:" + DOMAIN
CASES = []
case = g.collector(CASES)


# ---------------------------------------------------------------------------------------------
# Building messages

class Ctx:
    """One capture under construction: messages are queued with their times and written in time order."""

    def __init__(self, cap):
        self.cap, self.name, self.events = cap, cap.name, []
        self.cseq = {}

    def send(self, t, src, dst, message, label=None):
        self.events.append((round(t, 6), len(self.events), src, dst, message, label))
        return message

    def write(self):
        for t, _, src, dst, message, label in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.cap.udp(t, src, dst, message, label)

    def token(self, *seed, length=8):
        return g.token(self.name, *seed, length=length)

    def next_cseq(self, key):
        self.cseq[key] = self.cseq.get(key, 0) + 1
        return self.cseq[key]

    def register(self, ua, key, auth=(), expires="3600", contact_expires=None, star=False, to_user=None):
        """A REGISTER of ua's AOR (or to_user's) on ua's registration Call-ID (key), the next CSeq; expires=None
        leaves the Expires header out, contact_expires puts ;expires=N on the Contact, star sends Contact: *."""
        cid = "%s@%s" % (g.token("callid", self.name, key, length=20), ua.ip.strip("[]"))
        n = self.next_cseq(key)
        to_uri = "sip:%s@%s" % (to_user or ua.user, ua.domain)
        req = ua.request("REGISTER", REGISTER_URI, cid, n, g.branch(self.name, key, n), self.token("tag", key),
                         to_uri=to_uri, auth=auth)
        headers = []
        for name, value in req.headers:
            if name == "Contact":
                if star:
                    value = "*"
                elif contact_expires is not None:
                    value += ";expires=%s" % contact_expires
                headers.append((name, value))
                if expires is not None:
                    headers.append(("Expires", expires))
            else:
                headers.append((name, value))
        req.headers = headers
        return req

    def request(self, ua, method, key, auth=(), to_uri=g.BOB_URI):
        cid = "%s@%s" % (g.token("callid", self.name, key, length=20), ua.ip.strip("[]"))
        n = self.next_cseq(key)
        if method == "INVITE":
            return ua.request("INVITE", to_uri, cid, n, g.branch(self.name, key, n), self.token("tag", key),
                              auth=auth, body=g.sdp(ua.ip, 40000, 4711))
        return ua.request(method, to_uri, cid, n, g.branch(self.name, key, n), self.token("tag", key), auth=auth,
                          body="See you at 3.", body_type="text/plain")

    def nonce(self, *seed):
        return g.token("nonce", self.name, *seed, length=32)

    def challenge(self, req, seed, stale=False, code=401):
        """A 401 (or 407) to req with a fresh nonce; returns (response, nonce)."""
        value = self.nonce(seed)
        tag = self.token("chal", seed)
        if code == 407:
            return g.c407(req, DOMAIN, value, tag, stale=stale), value
        return g.c401(req, DOMAIN, value, tag, stale=stale), value

    @staticmethod
    def creds(username, nonce_value, password="secret", method="REGISTER", uri=REGISTER_URI, header="Authorization",
              nc="00000001"):
        return (header, g.credentials_header(username, DOMAIN, nonce_value, uri, method, password=password,
                                             cnonce_seed=username + nonce_value, nc=nc))

    def final(self, req, code, seed, contact_expires="3600", ua=None):
        reasons = {200: "OK", 202: "Accepted", 403: "Forbidden", 404: "Not Found"}
        extra = []
        if code == 200 and contact_expires is not None and ua is not None:
            extra.append(("Contact", "<sip:%s@%s;transport=udp>;expires=%s" % (ua.user, g.hostport(ua.ip, ua.port),
                                                                               contact_expires)))
        if code == 200 and req.start.startswith("INVITE"):
            extra.append(("Contact", "<%s>" % g.BOB_CONTACT))
            return g.response(req, code, reasons[code], self.token("fin", seed), extra,
                              body=g.sdp("192.168.1.20", 30000, 9001))
        return g.response(req, code, reasons[code], self.token("fin", seed), extra)

    # Steps: each sends one message (or a challenge and its ACK) between ua and its proxy at t, with a label.

    def reg(self, t, ua, key, label, auth=(), **fields):
        """ua sends a REGISTER at t (see register for key and the fields)."""
        return self.send(t, src(ua), proxy_for(ua), self.register(ua, key, auth=auth, **fields), label)

    def req(self, t, ua, method, key, label, auth=()):
        """ua sends an INVITE or a MESSAGE at t (see request)."""
        return self.send(t, src(ua), proxy_for(ua), self.request(ua, method, key, auth=auth), label)

    def chal(self, t, ua, req, seed, label, stale=False, code=401):
        """The proxy challenges ua's req at t (a 401, or a 407) with a fresh nonce, which it returns; the UA ACKs a
        challenged INVITE 1 ms later."""
        chal, value = self.challenge(req, seed, stale=stale, code=code)
        self.send(t, proxy_for(ua), src(ua), chal, label)
        self.ack(t + 0.001, ua, req, chal)
        return value

    def fin(self, t, ua, req, code, label, seed=None, contact_expires="3600"):
        """The proxy answers ua's req at t with a final response (its tag from seed, by default the label); the UA
        ACKs a refused INVITE 1 ms later."""
        register = req.start.startswith("REGISTER")
        resp = self.send(t, proxy_for(ua), src(ua), self.final(req, code, label if seed is None else seed,
                                                                 contact_expires=contact_expires,
                                                                 ua=ua if register else None), label)
        if code >= 300:
            self.ack(t + 0.001, ua, req, resp)
        return resp

    def ack(self, t, ua, req, resp):
        if req.start.startswith("INVITE"):
            self.send(t, src(ua), proxy_for(ua), g.ack_for(req, resp))

    def challenged_register(self, ua, key, times, labels=("req", "chal", "retry", "ok"), seed=1, code=200,
                            fin_seed=None, username=None, passwords=("secret",), auth=(), stale=False, expires="3600",
                            contact_expires="3600"):
        """One REGISTER attempt: ua's REGISTER (with auth, if any) at times[0], a 401 (seed, stale) at times[1], then
        a retry with username's (by default ua's) password for each of passwords, at times[2], [4], ...: each but the
        last refused by a 401 with a fresh nonce (seed + 1, + 2, ...) 2 entries of times later, the last answered at
        times[-1] with a final response with code (its tag from fin_seed, by default its label) or, code 401, a
        refusal (a fresh nonce from fin_seed). labels: the messages', in the order of times. Returns the nonce of
        the first challenge."""
        req = self.reg(times[0], ua, key, labels[0], auth=auth, expires=expires)
        first = value = self.chal(times[1], ua, req, seed, labels[1], stale=stale)
        for i, password in enumerate(passwords):
            t, label = times[2 + 2 * i:4 + 2 * i], labels[2 + 2 * i:4 + 2 * i]
            retry = self.reg(t[0], ua, key, label[0], auth=[self.creds(username or ua.user, value, password)],
                             expires=expires)
            if i + 1 < len(passwords):
                value = self.chal(t[1], ua, retry, seed + 1 + i, label[1])
            elif code == 401:
                self.chal(t[1], ua, retry, fin_seed, label[1])
            else:
                self.fin(t[1], ua, retry, code, label[1], seed=fin_seed, contact_expires=contact_expires)
        return first

    def guesses(self, names, count, address, agent, step, answer_after, answer, code=401, seeds=("a%d", "b%d"),
                password="guess"):
        """A guesser at address (agent) tries count user names (names % 1, % 2, ...) one every step seconds, each
        once: the i-th attempt is challenged_register's from i * step, retried 20 ms later and answered (code)
        answer_after later, labelled with labels(i, answer); seeds and password are formats of i (challenge,
        answer). Returns the user names."""
        users = [names % (i + 1) for i in range(count)]
        for i, user in enumerate(users):
            u, t = ua(user, address, agent), i * step
            self.challenged_register(u, user, (t, t + 0.002, t + 0.020, t + answer_after), labels(i, answer),
                                     seed=seeds[0] % i, code=code, fin_seed=seeds[1] % i,
                                     passwords=[password % i if "%" in password else password])
        return users

    def challenged_request(self, ua, method, key, times, labels, seed, password="secret", code=200, fin_seed=None):
        """One INVITE or MESSAGE: sent at times[0], challenged by a 407 (seed) at times[1], retried with
        Proxy-Authorization (ua's password) at times[2], answered with code (its tag from fin_seed, by default the
        key) at times[3]. labels: the four messages'."""
        req = self.req(times[0], ua, method, key, labels[0])
        value = self.chal(times[1], ua, req, seed, labels[1], code=407)
        retry = self.req(times[2], ua, method, key, labels[2], auth=[self.proxy_creds(ua, value, method, password)])
        return self.fin(times[3], ua, retry, code, labels[3], seed=key if fin_seed is None else fin_seed)

    def proxy_creds(self, ua, nonce_value, method, password="secret"):
        return self.creds(ua.user, nonce_value, password, method=method, uri=g.BOB_URI, header="Proxy-Authorization")

    def keepalives(self, ua, t_from, t_to, step=10.0):
        """Unchallenged OPTIONS pings (own Call-IDs) that keep the capture going: they count nowhere."""
        t, n = t_from, 0
        while t <= t_to + 1e-9:
            src = (ua.ip, ua.port)
            req = ua.request("OPTIONS", REGISTER_URI, g.call_id(self.name, 500 + n, ua.ip), 1,
                             g.branch(self.name, "opt", n), self.token("opt", n), to_uri=REGISTER_URI)
            self.send(t, src, PROXY, req)
            self.send(t + 0.002, PROXY, src, g.response(req, 200, "OK", self.token("optok", n)))
            t, n = t + step, n + 1


def ua(user, ip, agent=UA_LINPHONE, port=5060):
    return g.UA(user, DOMAIN, ip, port, agent=agent)


def src(u):
    return (u.ip, u.port)


def proxy_for(u):
    return ("2001:db8::1", 5060) if ":" in u.ip else PROXY


# ---------------------------------------------------------------------------------------------
# The truth: rows written from the definitions, times from the labelled frames

class Truth:
    def __init__(self, cap):
        self.cap = cap
        self.registrations, self.sources, self.problems = [], [], None
        self.attacks = {"two-pass": [], "single-pass": []}
        self.pref_cases = []        # (preferences, mode, attacks)
        self.notes = []

    def t(self, label):
        return self.cap.time_of(label) - self.cap.frames[0][0]

    def ms(self, us):
        return "%.1f" % (us / 1000.0)

    def reg(self, aor, username, registers, challenged, accepted, refused, failed, state, rrd=(), ira=None,
            auth=(), agent=UA_LINPHONE):
        """state: the final state, or {"two-pass": ..., "single-pass": ...}; rrd: (first REGISTER, accepting 2xx)
        label pairs of the successful registration attempts; ira: (ineffective, registration attempts) or None;
        auth: (first challenge, final response) label pairs of the challenged attempts."""
        delays = [self.cap.time_of(b) - self.cap.time_of(a) for a, b in rrd]
        if isinstance(state, str):
            state = {"two-pass": state, "single-pass": state}
        row = {"AOR": aor, "Username": username, "REGISTERs": str(registers), "Challenged": str(challenged),
               "Accepted": str(accepted), "Refused": str(refused), "Failed": str(failed),
               "RRD min (ms)": self.ms(min(delays)) if delays else "-",
               "RRD avg (ms)": self.ms(sum(delays) / len(delays)) if delays else "-",
               "RRD max (ms)": self.ms(max(delays)) if delays else "-",
               "IRA (%)": "%.1f" % (100.0 * ira[0] / ira[1]) if ira else "-",
               "Auth time (s)": "%.3f" % (sum(self.cap.time_of(b) - self.cap.time_of(a) for a, b in auth) / 1e6),
               "User-Agent": agent}
        self.registrations.append((row, state))

    def guessed(self, users, challenged, ira, answer, agent):
        """The rows of Ctx.guesses's user names: 2 REGISTERs each, challenged (1 or 2) times, refused once by the
        answer labelled answerI; ira: as for reg."""
        for i, user in enumerate(users):
            self.reg(aor(user), user, 2, challenged, 0, 1, 0, "failed: refused", ira=ira,
                     auth=[("chal%d" % i, "%s%d" % (answer, i))], agent=agent)

    def source(self, address, challenges, usernames, refused, accepted, first, last, agent=UA_LINPHONE):
        self.sources.append({"Source": address, "Challenges": str(challenges), "Usernames": str(usernames),
                             "Refused": str(refused), "Accepted": str(accepted),
                             "First (s)": "%.3f" % (self.t(first) / 1e6), "Last (s)": "%.3f" % (self.t(last) / 1e6),
                             "User-Agent": agent})

    def attack(self, label, address, count, modes=("two-pass", "single-pass")):
        for mode in modes:
            self.attacks[mode].append((self.cap.frame_of(label), address, count))

    def with_prefs(self, prefs, attacks, modes=("two-pass", "single-pass")):
        for mode in modes:
            self.pref_cases.append((prefs, mode, [(self.cap.frame_of(l), a, c) for l, a, c in attacks]))

    def as_json(self):
        out = {"registrations": {}, "sources": self.sources, "attacks": self.attacks, "notes": self.notes,
               "preferences": [{"prefs": p, "mode": m, "attacks": a} for p, m, a in self.pref_cases]}
        for mode in ("two-pass", "single-pass"):
            out["registrations"][mode] = [dict(row, State=state[mode]) for row, state in self.registrations]
        if self.problems is not None:
            out["problems"] = self.problems
        return out


def aor(user):
    return "sip:%s@%s" % (user, DOMAIN)


def labels(i, answer):
    """The labels of the i-th attempt of a series: reqI, chalI, retryI and answerI."""
    return tuple(stem + str(i) for stem in ("req", "chal", "retry", answer))


# ---------------------------------------------------------------------------------------------
# Cases

@case("unchallenged REGISTER answered 200 at once: registered, no challenge, no source row")
def reg_at_once(cx, tr):
    a = ua("alice", "192.168.1.10")
    req = cx.reg(0.0, a, "a", "req")
    cx.fin(0.020, a, req, 200, "ok")
    cx.write()
    tr.reg(aor("alice"), "", 1, 0, 1, 0, 0, "registered", rrd=[("req", "ok")], ira=(0, 1))


def registered_after_a_challenge(cx, tr, address, times):
    """alice at address: REGISTER -> 401 -> retry -> 200 at times."""
    cx.challenged_register(ua("alice", address), "a", times)
    cx.write()
    tr.reg(aor("alice"), "alice", 2, 1, 1, 0, 0, "registered", rrd=[("req", "ok")], ira=(0, 1), auth=[("chal", "ok")])
    tr.source(address, 1, 1, 0, 1, "chal", "chal")


@case("REGISTER -> 401 -> retry -> 200: registered after one challenge")
def reg_401_ok(cx, tr):
    registered_after_a_challenge(cx, tr, "192.168.1.10", (0.0, 0.004, 0.124, 0.130))


@case("registration after a challenge, then a refresh 10 s later whose reused nonce is stale (401 stale=true) -> "
      "retry with the new nonce -> 200: two successful attempts, no refusal")
def reg_stale_refresh(cx, tr):
    a = ua("alice", "192.168.1.10")
    n1 = cx.challenged_register(a, "a", (0.0, 0.004, 0.070, 0.080), ("req1", "chal1", "retry1", "ok1"))
    cx.challenged_register(a, "a", (10.0, 10.004, 10.050, 10.060), ("req2", "chal2", "retry2", "ok2"), seed=2,
                           stale=True, auth=[cx.creds("alice", n1, nc="00000002")])
    cx.write()
    tr.reg(aor("alice"), "alice", 4, 2, 2, 0, 0, "registered", rrd=[("req1", "ok1"), ("req2", "ok2")], ira=(0, 2),
           auth=[("chal1", "ok1"), ("chal2", "ok2")])
    # The refresh is a request, not a retry: its stale challenge refuses nothing.
    tr.source("192.168.1.10", 2, 1, 0, 2, "chal1", "chal2")


@case("wrong password twice (401 again, no stale), then the right one -> 200")
def reg_refused_twice_ok(cx, tr):
    a = ua("alice", "192.168.1.10")
    cx.challenged_register(a, "a", (0.0, 0.004, 0.050, 0.054, 0.100, 0.104, 0.150, 0.160),
                           ("req", "chal1", "retry1", "chal2", "retry2", "chal3", "retry3", "ok"),
                           passwords=("wrong", "wrong", "secret"))
    cx.write()
    tr.reg(aor("alice"), "alice", 4, 3, 1, 2, 0, "registered", rrd=[("req", "ok")], ira=(0, 1), auth=[("chal1", "ok")])
    tr.source("192.168.1.10", 3, 1, 2, 1, "chal1", "chal3")


@case("wrong password: 401 -> retry -> 401 (refused) -> retry -> 403: never registered")
def reg_refused_403(cx, tr):
    a = ua("alice", "192.168.1.10")
    cx.challenged_register(a, "a", (0.0, 0.004, 0.050, 0.054, 0.100, 0.104),
                           ("req", "chal1", "retry1", "chal2", "retry2", "forbidden"), code=403, fin_seed="403",
                           passwords=("wrong", "wrong"))
    cx.write()
    # 403 is a failure in RFC 6076 (ineffective); the 401 refusal and the 403 are both Refused.
    tr.reg(aor("alice"), "alice", 3, 2, 0, 2, 0, "failed: refused", ira=(1, 1), auth=[("chal1", "forbidden")])
    tr.source("192.168.1.10", 2, 1, 2, 0, "chal1", "chal2")


@case("REGISTER -> 401, never retried; OPTIONS keepalives for 40 s: failed, no retry")
def reg_no_retry(cx, tr):
    a = ua("alice", "192.168.1.10")
    cx.chal(0.004, a, cx.reg(0.0, a, "a", "req"), 1, "chal")
    cx.keepalives(a, 10.0, 40.0)
    cx.write()
    # The attempt's final response is the 401 itself: 0 s authenticating; a 401 is no failure in RFC 6076.
    tr.reg(aor("alice"), "", 1, 1, 0, 0, 0, "failed: no retry", ira=(0, 1), auth=[("chal", "chal")])
    tr.source("192.168.1.10", 1, 1, 0, 0, "chal", "chal")


@case("de-registrations: alice registers, later de-registers with Expires: 0 (challenged); bob de-registers with "
      "Contact ;expires=0 (no Expires header); carol with Contact: * and Expires: 0")
def reg_deregister(cx, tr):
    a, b, c = ua("alice", "192.168.1.10"), ua("bob", "192.168.1.20"), ua("carol", "192.168.1.30", "Zoiper rv2.10")
    for u, t in ((a, 0.0), (b, 0.1), (c, 0.2)):
        cx.fin(t + 0.020, u, cx.reg(t, u, u.user, u.user + "req"), 200, u.user + "ok")
    cx.challenged_register(a, "alice", (5.0, 5.004, 5.030, 5.040),
                           ("alicedereg", "alicechal", "aliceretry", "alicebye"), seed="alice", expires="0",
                           contact_expires=None)
    cx.fin(6.020, b, cx.reg(6.0, b, "bob", "bobdereg", expires=None, contact_expires="0"), 200, "bobbye",
           contact_expires=None)
    cx.fin(7.020, c, cx.reg(7.0, c, "carol", "caroldereg", expires="0", star=True), 200, "carolbye",
           contact_expires=None)
    cx.write()
    # De-registrations count as REGISTERs and Accepted, not in RRD nor IRA; alice's challenged one in Auth time.
    tr.reg(aor("alice"), "alice", 3, 1, 2, 0, 0, "de-registered", rrd=[("alicereq", "aliceok")], ira=(0, 1),
           auth=[("alicechal", "alicebye")])
    tr.reg(aor("bob"), "", 2, 0, 2, 0, 0, "de-registered", rrd=[("bobreq", "bobok")], ira=(0, 1))
    tr.reg(aor("carol"), "", 2, 0, 2, 0, 0, "de-registered", rrd=[("carolreq", "carolok")], ira=(0, 1),
           agent="Zoiper rv2.10")
    tr.source("192.168.1.10", 1, 1, 0, 1, "alicechal", "alicechal")


@case("REGISTER Expires: 60 -> 401 -> retry -> 200 Contact ;expires=60, no refresh, keepalives until 90 s: "
      "de-registered (expired) in both passes: the keepalives after 60 s let time decide")
def reg_expired(cx, tr):
    a = ua("alice", "192.168.1.10")
    cx.challenged_register(a, "a", (0.0, 0.004, 0.050, 0.060), expires="60", contact_expires="60")
    cx.keepalives(a, 10.0, 90.0)
    cx.write()
    tr.reg(aor("alice"), "alice", 2, 1, 1, 0, 0, "de-registered (expired)",
           rrd=[("req", "ok")], ira=(0, 1), auth=[("chal", "ok")])
    tr.source("192.168.1.10", 1, 1, 0, 1, "chal", "chal")


@case("alice's REGISTER sent 6 times (UDP retransmissions) and never answered, the capture goes on 50 s: "
      "failed: timeout; bob's REGISTER at 20 s unanswered with 30 s left: unknown")
def reg_timeout(cx, tr):
    a, b = ua("alice", "192.168.1.10"), ua("bob", "192.168.1.20")
    req = cx.register(a, "a")
    for i, t in enumerate((0.0, 0.5, 1.5, 3.5, 7.5, 11.5)):
        cx.send(t, src(a), PROXY, req, "req" if i == 0 else "req/rtx%d" % i)
    cx.reg(20.0, b, "b", "bobreq")
    cx.keepalives(ua("carol", "192.168.1.30"), 10.0, 50.0)
    cx.write()
    tr.reg(aor("alice"), "", 1, 0, 0, 0, 1, "failed: timeout", ira=(1, 1))
    # bob's attempt has no outcome yet: an attempt, not ineffective.
    tr.reg(aor("bob"), "", 1, 0, 0, 0, 0, "unknown", ira=(0, 1))


@case("REGISTER -> 401 -> retry -> 404 Not Found: failed: 404")
def reg_404(cx, tr):
    a = ua("alice", "192.168.1.10")
    cx.challenged_register(a, "a", (0.0, 0.004, 0.050, 0.060), ("req", "chal", "retry", "notfound"), code=404,
                           fin_seed="404")
    cx.write()
    tr.reg(aor("alice"), "alice", 2, 1, 0, 0, 1, "failed: 404", ira=(1, 1), auth=[("chal", "notfound")])
    tr.source("192.168.1.10", 1, 1, 0, 0, "chal", "chal")


@case("two usernames on one AOR: REGISTER -> 401 -> retry as alice -> 403; at 5 s a REGISTER with credentials "
      "as alice.smith -> 401 stale=true -> retry -> 200; at 10 s a refresh without credentials -> 401 -> retry as "
      "alice.smith -> 200")
def reg_two_usernames(cx, tr):
    a = ua("alice", "192.168.1.10")
    n = cx.challenged_register(a, "a", (0.0, 0.004, 0.050, 0.054), ("req1", "chal1", "retry1", "forbidden"),
                               code=403, fin_seed="403", passwords=("wrong",))
    cx.challenged_register(a, "a", (5.0, 5.004, 5.050, 5.060), ("req2", "chal2", "retry2", "ok2"), seed=2, stale=True,
                           username="alice.smith", auth=[cx.creds("alice.smith", n, nc="00000002")])
    cx.challenged_register(a, "a", (10.0, 10.004, 10.050, 10.070), ("req3", "chal3", "retry3", "ok3"), seed=3,
                           username="alice.smith")
    cx.write()
    # req1 has no credentials: it counts for the first username used after it (alice); req3 for the latest one
    # used before it (alice.smith), which is also the one its retry uses.
    tr.reg(aor("alice"), "alice", 2, 1, 0, 1, 0, "failed: refused", ira=(1, 1), auth=[("chal1", "forbidden")])
    tr.reg(aor("alice"), "alice.smith", 4, 2, 2, 0, 0, "registered", rrd=[("req2", "ok2"), ("req3", "ok3")],
           ira=(0, 2), auth=[("chal2", "ok2"), ("chal3", "ok3")])
    tr.source("192.168.1.10", 3, 2, 1, 2, "chal1", "chal3")
    # Problems: flow 1 (the 403) is superseded by flow 2, the first later accepted REGISTER flow of alice's AOR.
    tr.problems = [{"Flow": "1", "Superseded": "by flow 2"}]


@case("IPv6: REGISTER from [2001:db8::10] -> 401 -> retry -> 200")
def reg_ipv6(cx, tr):
    registered_after_a_challenge(cx, tr, "2001:db8::10", (0.0, 0.004, 0.040, 0.050))


ATTACKER = "203.0.113.66"


@case("brute force: 50 usernames from 203.0.113.66 in 5 s, each REGISTER -> 401 -> retry with a wrong password -> "
      "401 (refused), never tried again; keepalives of another UA until 45 s: credential_attack on the 5th "
      "username's refusal")
def brute_force(cx, tr):
    agent = "Zoiper rv2.10.19.3"
    users = cx.guesses("user%03d", 50, ATTACKER, agent, 0.1, 0.022, "refusal", password="guess%d")
    cx.keepalives(ua("alice", "192.168.1.10"), 10.0, 45.0)
    cx.write()
    tr.guessed(users, 2, (0, 1), "refusal", agent)
    tr.source(ATTACKER, 100, 50, 50, 0, "chal0", "refusal49", agent=agent)
    tr.attack("refusal4", ATTACKER, 5)
    # The preferences: 50 user names reach attack_usernames=50 on the 50th refusal; 51 are never reached.
    tr.with_prefs({"sipauth.attack_usernames": "50"}, [("refusal49", ATTACKER, 50)])
    tr.with_prefs({"sipauth.attack_usernames": "51"}, [])


FORBIDDEN = "203.0.113.77"


@case("guesses refused with 403: 6 usernames from 203.0.113.77, one every 0.5 s, each REGISTER -> 401 -> retry "
      "-> 403 Forbidden: credential_attack on the 5th 403")
def brute_force_403(cx, tr):
    agent = "Zoiper rv2.10.19.3"
    users = cx.guesses("staff%d", 6, FORBIDDEN, agent, 0.5, 0.024, "forbidden", code=403, seeds=("%d", "f%d"))
    cx.write()
    tr.guessed(users, 1, (1, 1), "forbidden", agent)
    tr.source(FORBIDDEN, 6, 6, 6, 0, "chal0", "chal5", agent=agent)
    tr.attack("forbidden4", FORBIDDEN, 5)


SCANNER = "198.51.100.23"


@case("scanner: REGISTERs for extensions 100-149 from 198.51.100.23, one a second, each challenged and never "
      "retried; keepalives until 90 s: every challenge unanswered, credential_attack on the 5th (two passes only)")
def scan_unanswered(cx, tr):
    agent = "Asterisk PBX 16.2.1"
    for i in range(50):
        u = ua(str(100 + i), SCANNER, agent)
        cx.chal(i + 0.002, u, cx.reg(float(i), u, u.user, "req%d" % i), i, "chal%d" % i)
    cx.keepalives(ua("alice", "192.168.1.10"), 50.0, 90.0)
    cx.write()
    for i in range(50):
        tr.reg(aor(str(100 + i)), "", 1, 1, 0, 0, 0, "failed: no retry", ira=(0, 1), auth=[("chal%d" % i, "chal%d" % i)],
               agent=agent)
    tr.source(SCANNER, 50, 50, 0, 0, "chal0", "chal49", agent=agent)
    # An unanswered challenge is known as such only after the retry timeout: the finding is on the 5th challenge
    # in two passes; a single pass cannot put it on any frame.
    tr.attack("chal4", SCANNER, 5, modes=("two-pass",))
    # Challenges 1 s apart: 5 user names span 4 s, so a 3 s window never holds 5.
    tr.with_prefs({"sipauth.attack_window": "3"}, [], modes=("two-pass",))
    tr.with_prefs({"sipauth.attack_window": "5"}, [("chal4", SCANNER, 5)], modes=("two-pass",))


SLOW = "198.51.100.44"


@case("slow guesser: one username every 20 s from 198.51.100.44 (6 usernames over 100 s), each refused: never 5 "
      "within 60 s, no credential_attack; with attack_usernames=3 on the 3rd refusal")
def slow_guesser(cx, tr):
    agent = "PolycomVVX-VVX_410-UA/5.9.0"
    users = cx.guesses("guest%d", 6, SLOW, agent, 20.0, 0.022, "refusal")
    cx.keepalives(ua("alice", "192.168.1.10"), 110.0, 140.0)
    cx.write()
    tr.guessed(users, 2, (0, 1), "refusal", agent)
    tr.source(SLOW, 12, 6, 6, 0, "chal0", "refusal5", agent=agent)
    # 3 user names within 60 s on the 3rd refusal (40 s after the 1st); the count never falls below 3 afterwards.
    tr.with_prefs({"sipauth.attack_usernames": "3"}, [("refusal2", SLOW, 3)])
    # ... but 3 refusals span 40 s: a 30 s window holds at most 2.
    tr.with_prefs({"sipauth.attack_usernames": "3", "sipauth.attack_window": "30"}, [])
    # One user name in 10 s: each refusal is a finding again, the count having fallen to 0 in the 20 s between.
    tr.with_prefs({"sipauth.attack_usernames": "1", "sipauth.attack_window": "10"},
                  [("refusal%d" % i, SLOW, 1) for i in range(6)])


@case("known scanners by User-Agent: friendly-scanner (198.51.100.7) probes 3 extensions, never retrying; "
      "SIPcli/v1.8 (198.51.100.8) sends one INVITE -> 407 -> ACK: credential_attack on each source's first challenge")
def scanner_user_agent(cx, tr):
    agent = "friendly-scanner"
    for i in range(3):
        u = ua(str(100 + i), "198.51.100.7", agent)
        cx.chal(i * 0.05 + 0.002, u, cx.reg(i * 0.05, u, u.user, "req%d" % i), i, "chal%d" % i)
    cli = ua("200", "198.51.100.8", "SIPcli/v1.8")
    inv = cx.send(1.0, src(cli), PROXY, cx.request(cli, "INVITE", "cli"), "invite")
    chal, _ = cx.challenge(inv, "cli", code=407)
    cx.send(1.002, PROXY, src(cli), chal, "chal407")
    cx.send(1.003, src(cli), PROXY, g.ack_for(inv, chal), "ack")
    cx.keepalives(ua("alice", "192.168.1.10"), 10.0, 40.0)
    cx.write()
    for i in range(3):
        tr.reg(aor(str(100 + i)), "", 1, 1, 0, 0, 0, "failed: no retry", ira=(0, 1), auth=[("chal%d" % i, "chal%d" % i)],
               agent=agent)
    tr.source("198.51.100.7", 3, 3, 0, 0, "chal0", "chal2", agent=agent)
    # INVITE without credentials: the user part of its From URI.
    tr.source("198.51.100.8", 1, 1, 0, 0, "chal407", "chal407", agent="SIPcli/v1.8")
    tr.attack("chal0", "198.51.100.7", 0)
    tr.attack("chal407", "198.51.100.8", 0)


@case("INVITE/MESSAGE/REGISTER mix of three sources: alice accepted three times (INVITE 407, MESSAGE 407, "
      "REGISTER 401 from a newer Linphone), carol refused twice (407 again, 403), no retry on a MESSAGE, then "
      "accepted; dave's INVITE never retried")
def sources_mix(cx, tr):
    a, c, d = ua("alice", "192.168.1.10"), ua("carol", "192.168.1.11", "Zoiper rv2.10"), \
        ua("dave", "192.168.1.12", "Grandstream GXP2170 1.0.11.3")
    cx.challenged_request(a, "INVITE", "ainv", (0.0, 0.010, 0.100, 0.300), ("a_inv", "a_chal1", "a_retry1", "a_ok1"),
                          "ainv")
    # flow 2: carol INVITE: refused (407 again), then 403
    n = cx.chal(1.010, c, cx.req(1.0, c, "INVITE", "cinv", "c_inv"), "cinv1", "c_chal1", code=407)
    r = cx.req(1.100, c, "INVITE", "cinv", "c_retry1", auth=[cx.proxy_creds(c, n, "INVITE", "wrong")])
    n = cx.chal(1.110, c, r, "cinv2", "c_chal2", code=407)
    r = cx.req(1.200, c, "INVITE", "cinv", "c_retry2", auth=[cx.proxy_creds(c, n, "INVITE", "wrong")])
    cx.fin(1.210, c, r, 403, "c_403", seed="cinv")
    # flow 3: dave INVITE, never retried
    cx.chal(2.010, d, cx.req(2.0, d, "INVITE", "dinv", "d_inv"), "dinv", "d_chal", code=407)
    # flow 4: alice MESSAGE accepted
    cx.challenged_request(a, "MESSAGE", "amsg", (3.0, 3.010, 3.050, 3.060), ("a_msg", "a_chal2", "a_retry2", "a_ok2"),
                          "amsg", code=202)
    # flow 5: alice REGISTER accepted, from a newer Linphone
    a2 = ua("alice", "192.168.1.10", "Linphone/5.2.5")
    cx.challenged_register(a2, "areg", (4.0, 4.004, 4.050, 4.060), ("a_reg", "a_chal3", "a_retry3", "a_ok3"),
                           seed="areg", fin_seed="areg")
    # flow 6: carol MESSAGE, never retried
    cx.chal(5.010, c, cx.req(5.0, c, "MESSAGE", "cmsg", "c_msg"), "cmsg", "c_chal3", code=407)
    # flow 7: carol INVITE again, right password: accepted
    cx.challenged_request(c, "INVITE", "cinv3", (6.0, 6.010, 6.100, 6.300), ("c_inv3", "c_chal4", "c_retry4", "c_ok4"),
                          "cinv3")
    cx.keepalives(ua("erin", "192.168.1.13"), 10.0, 45.0)
    cx.write()
    tr.reg(aor("alice"), "alice", 2, 1, 1, 0, 0, "registered", rrd=[("a_reg", "a_ok3")], ira=(0, 1),
           auth=[("a_chal3", "a_ok3")], agent="Linphone/5.2.5")
    tr.source("192.168.1.10", 3, 1, 0, 3, "a_chal1", "a_chal3", agent="Linphone/5.2.5")
    tr.source("192.168.1.11", 4, 1, 2, 1, "c_chal1", "c_chal4", agent="Zoiper rv2.10")
    tr.source("192.168.1.12", 1, 1, 0, 0, "d_chal", "d_chal", agent="Grandstream GXP2170 1.0.11.3")
    # Problems grouped by From URI: carol's flows 2 and 6, then dave's 3; carol's INVITE flow 2 superseded by her
    # accepted INVITE flow 7, her MESSAGE flow 6 by nothing (no later accepted MESSAGE of hers).
    tr.problems = [{"Flow": "2", "Superseded": "by flow 7"}, {"Flow": "6", "Superseded": ""},
                   {"Flow": "3", "Superseded": ""}]


# ---------------------------------------------------------------------------------------------

def build(name, description, fn):
    cap = g.Capture(name, description)
    cx, tr = Ctx(cap), Truth(cap)
    fn(cx, tr)
    return cap, tr


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, description, fn in CASES:
        cap, tr = build(name, description, fn)
        g.write_pcap(cap, os.path.join(out, name + ".pcap"))
        truth = dict(description=description, frames=len(cap.frames), **tr.as_json())
        with open(os.path.join(out, name + ".truth.json"), "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=1, sort_keys=True)
            f.write("\n")
    print("wrote %d captures to %s" % (len(CASES), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
