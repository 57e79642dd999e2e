#!/usr/bin/env bash
# Checks that no secret of the credentials table appears in anything tshark prints with the plugin (SPEC sections 8
# and 10): on every verification capture (a case whose args: line gives a sipauth_credentials table), in two passes
# and one, as -V, -T json, -T ek, -T pdml, -T fields with every sipauth field, the summary lines and the Info column,
# -z expert, -z sipauth,stat, -z sipauth,problems, and stderr with every log domain at the noisy level.
# The secrets: each row's password (as text and as hex), HA1, K, OP and OPc, and what the plugin derives from them:
# the HA1 of each password (MD5, SHA-256, SHA-512-256), OPc from OP, and for the IMS captures' RANDs the RES, CK,
# IK and the AKAv2 password. Matching is case-insensitive. A self-check plants every secret into a copy of the
# output and requires the search to find each one, so that the test can fail.
# Usage: check_secrets.sh WRAPPER PLUGIN CASES_DIR PCAPS_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wrapper=$1 plugin=$2 cases=$3 pcaps=$4
work=$(mktemp -d /tmp/sipauth-secrets.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
failed=0 passed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }

# secrets.tsv: "what<TAB>secret" (what names the row and kind, never the value); runs.tsv: "case<TAB>pcap<TAB>args"
python3 - "$cases" "$here/../tools" "$work" <<'EOF'
import glob, os, re, shlex, sys
cases, tools, work = sys.argv[1:4]
sys.path.insert(0, tools)
import gen_pcaps as g

rows, runs = [], []
for path in sorted(glob.glob(os.path.join(cases, "*.expect"))):
    pcap, args = None, []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line.startswith("pcap:"):
            pcap = line.split(":", 1)[1].strip()
        elif line.startswith("args:"):
            args += shlex.split(line.split(":", 1)[1])
    table = [a.split(":", 2)[2] for a in args if a.startswith("uat:sipauth_credentials:")]
    if not table:
        continue
    runs.append((os.path.basename(path), pcap, " ".join(shlex.quote(a) for a in args)))
    for record in table:
        fields = re.findall(r'"([^"]*)"', record)
        assert len(fields) == 8, record
        rows.append(dict(zip(g.UAT_FIELDS, fields)))

rands = []
for name, description, build in g.SCENARIOS:
    cap = g.Capture(name, description)
    build(cap)
    rands += getattr(cap, "aka_rands", [])

secrets = {}
for row in rows:
    who = row["username"]
    for kind in ("password", "ha1", "k", "op", "opc"):
        if row[kind]:
            secrets[row[kind].lower()] = "%s of %s" % (kind, who)
    if row["password"]:
        secrets[row["password"].encode().hex()] = "password of %s, in hex" % who
        for realm in {row["realm"] or g.DOMAIN, row["realm"] or g.IMS_REALM}:
            for alg in ("MD5", "SHA-256", "SHA-512-256"):
                secrets[g.hash_hex(alg, "%s:%s:%s" % (who, realm, row["password"]))] = "%s HA1 of %s" % (alg, who)
    if row["k"]:
        k = bytes.fromhex(row["k"])
        opc = bytes.fromhex(row["opc"]) if row["opc"] else g.milenage_opc(k, bytes.fromhex(row["op"]))
        secrets[opc.hex()] = "OPc of %s" % who
        for n, rand in enumerate(rands, 1):
            v = g.milenage(k, opc, rand, b"\0" * 6, b"\0\0")
            for kind in ("res", "ck", "ik"):
                secrets[v[kind].hex()] = "%s of %s for RAND %d" % (kind.upper(), who, n)
            secrets[g.aka_password("AKAv2-MD5", v["res"], v["ck"], v["ik"]).decode().lower()] = \
                "AKAv2 password of %s for RAND %d" % (who, n)
with open(os.path.join(work, "secrets.tsv"), "w") as f:
    for secret, what in secrets.items():
        f.write("%s\t%s\n" % (what, secret))
with open(os.path.join(work, "runs.tsv"), "w") as f:
    for run in runs:
        f.write("\t".join(run) + "\n")
EOF
cut -f2 "$work/secrets.tsv" > "$work/patterns"
n_secrets=$(wc -l < "$work/patterns")
n_runs=$(wc -l < "$work/runs.tsv")
if [ "$n_runs" -ge 3 ] && [ "$n_secrets" -ge 20 ]; then ok "$n_runs verification captures, $n_secrets secrets"; else
    not_ok "$n_runs verification captures and $n_secrets secrets: too few to prove anything"; fi

fields=()
while read -r f; do fields+=(-e "$f"); done < <("$wrapper" "$plugin" -G fields |
    awk -F'\t' '$1 == "F" && $3 ~ /^sipauth\./ { print $3 }')
if [ "${#fields[@]}" -ge 40 ]; then ok "$((${#fields[@]} / 2)) sipauth fields for -T fields"; else
    not_ok "only $((${#fields[@]} / 2)) sipauth fields registered"; fi

mkdir "$work/out"
while IFS=$'\t' read -r case pcap args; do
    eval "table=($args)"
    out="$work/out/${case%.expect}"
    run() {     # run NAME tshark-arguments...: stdout to $out.NAME, stderr to $out.NAME.err
        local name=$1; shift
        "$wrapper" "$plugin" -n -r "$pcaps/$pcap" "${table[@]}" "$@" >"$out.$name" 2>"$out.$name.err" ||
            not_ok "$case: tshark $* exited $?"
    }
    run verbose -2 -V
    run verbose1 -V
    run json -2 -T json
    run ek -2 -T ek
    run pdml -2 -T pdml
    run fields -2 -T fields -E header=y -E occurrence=a "${fields[@]}"
    run summary -2
    run info -2 -T fields -e frame.number -e _ws.col.Info
    run expert -2 -q -z expert
    run tables -2 -q -z sipauth,stat -z sipauth,problems
    run tables1 -q -z sipauth,stat -z sipauth,problems
    run logs -2 -V --log-level noisy
done < "$work/runs.tsv"

# The outputs show what they must, so that a clean result means something: the tables were read and used.
if grep -lq 'name="sipauth.credentials" .*show="1"' "$work"/out/*.pdml &&
   grep -lq 'name="sipauth.credentials" .*show="2"' "$work"/out/*.pdml; then
    ok "the tables were applied: retries verified correct and wrong"
else
    not_ok "no retry was verified correct and wrong: the credentials tables were not applied"
fi
if grep -q 'credentials_correct\|Response verifies' "$work"/out/*.expert; then ok "-z expert lists verified credentials"; else
    not_ok "-z expert lists no verified credentials"; fi

# Self-check: every secret planted into a copy of an output (upper case, inside other text) is found.
first=$(ls "$work"/out/*.verbose | head -1)
cp "$first" "$work/planted"
while read -r secret; do
    printf 'x%sy\n' "$(printf '%s' "$secret" | tr '[:lower:]' '[:upper:]')" >> "$work/planted"
done < "$work/patterns"
found=$(grep -o -i -F -f "$work/patterns" "$work/planted" | tr '[:upper:]' '[:lower:]' | sort -u | wc -l)
if [ "$found" = "$n_secrets" ]; then ok "self-check: all $n_secrets secrets planted in a copy of the output are found"
else not_ok "self-check: $found of $n_secrets planted secrets found"; fi

# The check itself.
leaks=0
for file in "$work"/out/*; do
    while read -r hit; do
        leaks=$((leaks + 1))
        what=$(awk -F'\t' -v s="$hit" 'tolower($2) == s { print $1 }' "$work/secrets.tsv")
        echo "    $(basename "$file"): the $what"
    done < <(grep -o -i -F -f "$work/patterns" "$file" | tr '[:upper:]' '[:lower:]' | sort -u)
done
outputs=$(ls "$work"/out | wc -l)
if [ "$leaks" = 0 ]; then ok "no secret in any of $outputs outputs"; else not_ok "$leaks secrets shown (above)"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
