#!/usr/bin/env bash
# Records the sipauth lab: a real Kamailio challenges real SIPp (and baresip) user agents on
# loopback; one pcap and one NAME.truth.json (from the scenario design and SIPp's counters) per
# scenario. See tests/lab/README.md.
#
# Usage: run-lab.sh OUTDIR
# Environment:
#   LAB_ONLY="name ..."   record only these scenarios (names as in OUTDIR, without .pcap)
#   LAB_BARESIP=auto|yes|no  the baresip scenario (auto: when baresip is installed; yes when CI=true)
#   LAB_IPV6=auto|yes|no     the IPv6 scenarios (auto: when ::1 works; yes when CI=true)
#   LAB_LINPHONE=auto|yes|no the SHA-256 scenario with linphone-daemon (auto: when installed; yes when CI=true)
#   LAB_KEEP=1               keep the work directory (logs, SIPp traces) and print its path
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scenarios=$here/scenarios
out=${1:?usage: run-lab.sh OUTDIR}

PROXY_PORT=5070      # Kamailio: registrar + proxy, udp/tcp, 127.0.0.1 and ::1
STALE_PORT=5074      # second Kamailio whose nonces expire after 2 s (5072 is AYIYA to Wireshark)
BOB_PORT=5090        # SIPp UAS answering INVITEs for bob
DAVE_PORT=5091       # SIPp UAS accepting MESSAGEs for dave
AKA_PORT=5076        # SIPp UAS standing in for an S-CSCF: IMS AKA challenges (no Kamailio)
SHA_PORT=5078        # third Kamailio whose auth module uses SHA-256 (RFC 7616, RFC 8760)
LINPHONE_PORT=5082   # linphone-daemon, the UA of the SHA-256 scenario
UAC_PORTS=(5061 5062 5063)
BARESIP_PORT=5080
LAB_PORTS=("$PROXY_PORT" "$STALE_PORT" "$AKA_PORT" "$SHA_PORT" "$BOB_PORT" "$DAVE_PORT" "${UAC_PORTS[@]}"
           "$BARESIP_PORT" "$LINPHONE_PORT")
# Every SIP message crosses a proxy port or the AKA UAS's port; RTP does not.
CAPTURE_FILTER="port $PROXY_PORT or port $STALE_PORT or port $AKA_PORT or port $SHA_PORT"
STEP_TIMEOUT=90      # seconds, for any one step
CAPTURE_MAX_KB=4096  # dumpcap stops there: a capture that big means something went wrong
NONCE_EXPIRE=300
STALE_NONCE_EXPIRE=2

log() { echo "run-lab: $*" >&2; }
die() { echo "run-lab: FAILED: $*" >&2; exit 1; }

ci=false
case "${CI:-}" in true|1|yes) ci=true ;; esac

for tool in kamailio sipp dumpcap python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (apt-get install kamailio sip-tester wireshark-common python3 coreutils)"
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sipauth-lab.XXXXXX")

# Every process this script starts, by PID; stopped in reverse order on exit, whatever happens.
started=()

alive() {
    local stat
    [ -r "/proc/$1/stat" ] || return 1
    stat=$(<"/proc/$1/stat") || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    for i in $(seq 50); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        log "process $pid ignored SIGTERM, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

forget_pid() {
    local kept=() p
    for p in "${started[@]}"; do
        [ "$p" = "$1" ] || kept+=("$p")
    done
    started=("${kept[@]}")
}

cleanup() {
    local rc=$? i
    trap - EXIT INT TERM HUP
    for ((i = ${#started[@]} - 1; i >= 0; i--)); do
        stop_pid "${started[i]}"
    done
    if [ -n "${LAB_KEEP:-}" ] || [ "$rc" != 0 ]; then
        log "work directory (logs, SIPp traces): $work"
    else
        rm -rf "$work"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Which ports are in use on loopback: prints one line per taken port/transport/address.
taken_ports() {
    python3 - "$@" <<'PY'
import socket, sys
ipv6 = sys.argv[1] == "yes"
addrs = [(socket.AF_INET, "127.0.0.1")] + ([(socket.AF_INET6, "::1")] if ipv6 else [])
for port in map(int, sys.argv[2:]):
    for family, addr in addrs:
        for kind, name in ((socket.SOCK_DGRAM, "udp"), (socket.SOCK_STREAM, "tcp")):
            s = socket.socket(family, kind)
            if kind == socket.SOCK_STREAM:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((addr, port))
            except OSError as e:
                print(f"{name} {addr} port {port}: {e.strerror}")
            finally:
                s.close()
PY
}

ipv6_works() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null
}

# Waits until something listens on udp 127.0.0.1:PORT, or fails if PID died first.
wait_listening() {
    local pid=$1 port=$2 what=$3 logfile=$4 i
    for i in $(seq 100); do
        alive "$pid" || die "$what exited while starting; last lines of $logfile:
$(tail -n 15 "$logfile" 2>/dev/null)"
        if [ -n "$(taken_ports no "$port")" ]; then
            return 0
        fi
        sleep 0.1
    done
    die "$what did not open udp port $port within 10 s; last lines of $logfile:
$(tail -n 15 "$logfile" 2>/dev/null)"
}

# --- what to run -------------------------------------------------------------------------------

ipv6=${LAB_IPV6:-auto}
if [ "$ipv6" = auto ]; then
    if ipv6_works; then ipv6=yes
    elif $ci; then die "the IPv6 loopback ::1 is unavailable (CI=true); set LAB_IPV6=no to leave the IPv6 scenarios out"
    else ipv6=no; log "::1 unavailable: leaving the IPv6 scenarios out"
    fi
elif [ "$ipv6" = yes ] && ! ipv6_works; then
    die "LAB_IPV6=yes but the IPv6 loopback ::1 is unavailable"
fi

baresip=${LAB_BARESIP:-auto}
[ "$baresip" = auto ] && $ci && baresip=yes
if [ "$baresip" = yes ] && ! command -v baresip >/dev/null 2>&1; then
    die "baresip is not installed (apt-get install --no-install-recommends baresip-core), or set LAB_BARESIP=no"
fi
if [ "$baresip" = auto ]; then
    if command -v baresip >/dev/null 2>&1; then baresip=yes; else baresip=no; log "baresip not installed: leaving baresip_call out"; fi
fi

linphone=${LAB_LINPHONE:-auto}
[ "$linphone" = auto ] && $ci && linphone=yes
if [ "$linphone" = yes ] && ! command -v linphone-daemon >/dev/null 2>&1; then
    die "linphone-daemon is not installed (apt-get install --no-install-recommends linphone-cli), or set LAB_LINPHONE=no"
fi
if [ "$linphone" = auto ]; then
    if command -v linphone-daemon >/dev/null 2>&1; then linphone=yes; else linphone=no; log "linphone-daemon not installed: leaving register_sha256 out"; fi
fi

wanted() {
    [ -z "${LAB_ONLY:-}" ] && return 0
    case " $LAB_ONLY " in *" $1 "*) return 0 ;; esac
    return 1
}

# --- ports, Kamailio, the called UAs ---------------------------------------------------------

busy=$(taken_ports "$ipv6" "${LAB_PORTS[@]}")
[ -z "$busy" ] || die "lab ports already in use (another lab or SIP service running?):
$busy"

mkdir -p "$work/db"
cp "$here/db/subscriber" "$here/db/version" "$work/db/"

# start_kamailio NAME PORT NONCE_EXPIRE [ALGORITHM]: ALGORITHM (e.g. SHA-256) for the auth module's
# challenges and its HA1 from the plain passwords; MD5, Kamailio's default, when not given.
start_kamailio() {
    local name=$1 port=$2 expire=$3 algorithm=${4:-} cfg=$work/$1.cfg
    sed -e "s|@PORT@|$port|g" -e "s|@NONCE_EXPIRE@|$expire|g" -e "s|@DB_DIR@|$work/db|g" \
        "$here/kamailio.cfg" > "$cfg"
    if [ -n "$algorithm" ]; then
        sed -i "s|^modparam(\"auth\", \"nonce_expire\".*|&\nmodparam(\"auth\", \"algorithm\", \"$algorithm\")|" "$cfg"
        grep -q "^modparam(\"auth\", \"algorithm\", \"$algorithm\")" "$cfg" || die "no algorithm line in $cfg"
    fi
    if [ "$ipv6" = no ]; then
        sed -i '/^listen=.*\[::1\]/d' "$cfg"
    fi
    timeout 20 kamailio -f "$cfg" -c > "$work/$name.check.log" 2>&1 \
        || die "Kamailio rejects its configuration ($name):
$(tail -n 15 "$work/$name.check.log")"
    mkdir -p "$work/$name.run"
    kamailio -f "$cfg" -DD -E -Y "$work/$name.run" -P "$work/$name.pid" -w "$work" -m 64 -M 8 \
        > "$work/$name.log" 2>&1 &
    started+=($!)
    wait_listening "$!" "$port" "Kamailio ($name)" "$work/$name.log"
    log "Kamailio $name listening on port $port (pid $!)"
}

start_uas() {
    local name=$1 xml=$2 port=$3
    mkdir -p "$work/$name"
    (cd "$work/$name" && exec sipp -sf "$scenarios/$xml.xml" -i 127.0.0.1 -p "$port" -nostdin \
        -trace_err > "$work/$name/stdout" 2>&1) &
    started+=($!)
    wait_listening "$!" "$port" "SIPp UAS ($name)" "$work/$name/stdout"
    log "SIPp UAS $name on port $port (pid $!)"
}

# Starts one SIPp UAC in its own directory, in the background (sets sipp_pid).
sipp_pid=
start_sipp() {
    local dir=$work/$1 xml=$2 remote=$3
    shift 3
    mkdir -p "$dir"
    (cd "$dir" && exec timeout "$STEP_TIMEOUT" sipp -sf "$scenarios/$xml.xml" -nostdin \
        -trace_stat -stf "$dir/sipp.stat.csv" -trace_counts -trace_err -trace_msg \
        -timeout 75s -timeout_error "$@" "$remote" > "$dir/stdout" 2>&1) &
    sipp_pid=$!
    started+=("$sipp_pid")
}

# Waits for a SIPp UAC; fails unless every call succeeded.
finish_sipp() {
    local pid=$1 name=$2 rc=0
    wait "$pid" || rc=$?
    forget_pid "$pid"
    if [ "$rc" != 0 ]; then
        die "SIPp $name exited with $rc$( [ "$rc" = 124 ] && echo ' (step timeout)'); errors:
$(tail -n 20 "$work/$name"/*_errors.log 2>/dev/null; tail -n 5 "$work/$name/stdout")"
    fi
}

run_sipp() {
    start_sipp "$@"
    finish_sipp "$sipp_pid" "$1"
}

capture_pid=
capture_start() {
    local name=$1 i
    rm -f "$out/$name.pcap" "$out/$name.truth.json"
    rm -f "$out/$name.pcap.gz"
    dumpcap -i lo -f "$CAPTURE_FILTER" -P -q -a "filesize:$CAPTURE_MAX_KB" -w "$out/$name.pcap" \
        > "$work/$name.dumpcap.log" 2>&1 &
    capture_pid=$!
    started+=("$capture_pid")
    for i in $(seq 100); do
        grep -q "Capturing on" "$work/$name.dumpcap.log" 2>/dev/null && return 0
        alive "$capture_pid" || break
        sleep 0.1
    done
    die "dumpcap could not capture on lo: $(cat "$work/$name.dumpcap.log")"
}

capture_stop() {
    # Let late retransmissions of this scenario land in its own capture.
    sleep 0.5
    stop_pid "$capture_pid"
    forget_pid "$capture_pid"
    [ -s "$out/$1.pcap" ] || die "no capture written for $1"
    chmod a+r "$out/$1.pcap"
}

truth() {
    timeout 30 python3 "$here/lab_truth.py" "$out/$1.truth.json" "${@:2}" || die "no ground truth for $1"
}

start_kamailio proxy "$PROXY_PORT" "$NONCE_EXPIRE"
start_kamailio stale "$STALE_PORT" "$STALE_NONCE_EXPIRE"
if [ "$linphone" = yes ] && wanted register_sha256; then
    start_kamailio sha256 "$SHA_PORT" "$NONCE_EXPIRE" SHA-256
fi
start_uas uas_bob uas_invite "$BOB_PORT"
start_uas uas_dave uas_message "$DAVE_PORT"

# bob and dave register their UAS ports (not recorded): INVITE and MESSAGE reach them by lookup.
run_sipp setup_bob register 127.0.0.1:$PROXY_PORT -i 127.0.0.1 -p "${UAC_PORTS[0]}" -m 1 \
    -key user bob -key cport "$BOB_PORT" -au bob -ap bob-secret
run_sipp setup_dave register 127.0.0.1:$PROXY_PORT -i 127.0.0.1 -p "${UAC_PORTS[0]}" -m 1 \
    -key user dave -key cport "$DAVE_PORT" -au dave -ap dave-secret

PROXY4=127.0.0.1:$PROXY_PORT
PROXY6="[::1]:$PROXY_PORT"
UAC=${UAC_PORTS[0]}
ALICE=(-key user alice -au alice -ap alice-secret)
V4=(-i 127.0.0.1 -p "$UAC")

# scenario NAME XML REMOTE "TRUTH ARGS" [SIPp args...]
scenario() {
    local name=$1 xml=$2 remote=$3 truth_args=$4
    shift 4
    wanted "$name" || return 0
    log "recording $name"
    capture_start "$name"
    run_sipp "$name" "$xml" "$remote" "$@"
    capture_stop "$name"
    # shellcheck disable=SC2086
    truth "$name" $truth_args --sipp "$work/$name"
}

scenario register_ok register "$PROXY4" "register_ok" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key cport "$UAC"
scenario register_noretry register_noretry "$PROXY4" "register_noretry" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key cport "$UAC"
scenario register_loop register_loop "$PROXY4" "register_loop" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key cport "$UAC"
scenario register_wrong_then_right register_wrong_then_right "$PROXY4" "register_wrong_then_right" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key cport "$UAC"
scenario register_stale register_stale "127.0.0.1:$STALE_PORT" "register_stale" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key cport "$UAC"
# frank's client sends frank-secret (the credentials table's password too); Kamailio stores another one.
scenario register_correct_refused load_register "$PROXY4" "register_correct_refused" \
    "${V4[@]}" -m 1 -key user frank -au frank -ap frank-secret -key cport "$UAC"
scenario register_tcp register "$PROXY4" "register_ok --transport tcp" \
    "${V4[@]}" -t t1 -m 1 "${ALICE[@]}" -key cport "$UAC"
if [ "$ipv6" = yes ]; then
    scenario register_ipv6 register "$PROXY6" "register_ok --transport udp6" \
        -i ::1 -p "$UAC" -m 1 "${ALICE[@]}" -key cport "$UAC"
fi
# Brute force from one source: 30 user names (6 of the lab's with wrong-password, 24 unknown guesses) from the
# injection file, 10 a second, each REGISTER, 401, retry, 401, given up. The capture goes on until the retry
# timeout (32 s) has passed after the last refusal, marked by a stray ACK to the proxy (absorbed, unanswered), so
# that every attempt has its outcome in the capture. lab_reg_truth.py adds the tables' and the
# credential_attack finding's truth (issue 17), the times and frames read from the wire.
if wanted brute_force; then
    log "recording brute_force (30 user names, then 33 s for the retry timeout)"
    capture_start brute_force
    run_sipp brute_force register_brute "$PROXY4" "${V4[@]}" -m 30 -r 10 -inf "$scenarios/brute_users.csv" \
        -key cport "$UAC"
    sleep 33
    python3 - "$PROXY_PORT" <<'PY' || die "no end marker sent"
import socket, sys
# A stray ACK (no To tag, no transaction): Kamailio absorbs it without an answer or a challenge.
ack = ("ACK sip:sipauth.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-lab-end-marker\r\n"
       "Max-Forwards: 70\r\nFrom: <sip:lab@sipauth.lab>;tag=end\r\nTo: <sip:lab@sipauth.lab>\r\n"
       "Call-ID: lab-end-marker@127.0.0.1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5061))
s.sendto(ack.encode(), ("127.0.0.1", int(sys.argv[1])))
PY
    capture_stop brute_force
    truth brute_force register_refused*6 register_guessed*24 --sipp "$work/brute_force" \
        --note "brute force: 30 user names from one source, then a stray ACK 33 s later"
    timeout 60 python3 "$here/lab_reg_truth.py" "$out/brute_force.pcap" "$out/brute_force.truth.json" \
        "$scenarios/brute_users.csv" || die "no registrations truth for brute_force"
fi
scenario register_lossy register "$PROXY4" "register_ok --lossy" \
    "${V4[@]}" -m 20 -r 5 -lost 15 "${ALICE[@]}" -key cport "$UAC"

scenario invite_ok invite "$PROXY4" "invite_ok" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee bob
scenario invite_noretry invite_noretry "$PROXY4" "invite_noretry" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee bob
scenario invite_wrong_then_right invite_wrong_then_right "$PROXY4" "invite_wrong_then_right" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee bob
scenario invite_notfound invite_notfound "$PROXY4" "invite_notfound" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee nobody
scenario invite_retrans invite_retrans "$PROXY4" "invite_ok --retrans-exact 1" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee bob
scenario invite_tcp invite "$PROXY4" "invite_ok --transport tcp" \
    "${V4[@]}" -t t1 -m 1 "${ALICE[@]}" -key callee bob
if [ "$ipv6" = yes ]; then
    scenario invite_ipv6 invite "$PROXY6" "invite_ok --transport udp6" \
        -i ::1 -p "$UAC" -m 1 "${ALICE[@]}" -key callee bob
fi
scenario invite_lossy invite "$PROXY4" "invite_ok --lossy" \
    "${V4[@]}" -m 20 -r 5 -lost 15 "${ALICE[@]}" -key callee bob

scenario message_ok message "$PROXY4" "message_ok" \
    "${V4[@]}" -m 1 "${ALICE[@]}" -key callee dave
scenario options_ok options "$PROXY4" "options_ok" \
    "${V4[@]}" -m 1 "${ALICE[@]}"

# IMS AKA: a SIPp UAS standing in for the S-CSCF (fixed vectors from aka_vectors.py, made with the
# network's keys) and a SIPp UAC as the UE (its USIM's keys in the scenario), no Kamailio.
#   aka_register_ok   UE with the network's keys: RES, 200
#   aka_wrong_keys    UE with another K: SIPp finds the AUTN's MAC wrong and stops, no retry
#   aka_resync        first vector's SQN out of range: auts retry, new vector, RES, 200
aka_loaded=false
aka_load() {
    $aka_loaded && return 0
    local line
    while IFS= read -r line; do
        printf -v "AKA_${line%%=*}" '%s' "${line#*=}"
    done < <(timeout 30 python3 "$here/aka_vectors.py" keys) || die "aka_vectors.py failed"
    [ -n "${AKA_aka_nonce:-}" ] || die "aka_vectors.py printed no vectors"
    aka_loaded=true
}

# aka_scenario NAME UAC_XML IMPI FIRST_NONCE ok|mac_failure "TRUTH ARGS" [SIPp UAC args...]
aka_scenario() {
    local name=$1 xml=$2 user=$3 first=$4 expect=$5 truth_args=$6 uas=$work/$1.uas rc=0 uas_rc=0
    shift 6
    wanted "$name" || return 0
    aka_load
    log "recording $name"
    capture_start "$name"
    mkdir -p "$uas"
    (cd "$uas" && exec timeout "$STEP_TIMEOUT" sipp -sf "$scenarios/uas_aka.xml" -i 127.0.0.1 -p "$AKA_PORT" \
        -nostdin -m 1 -trace_err -trace_stat -stf "$uas/sipp.stat.csv" -key aka_realm "$AKA_aka_realm" \
        -key aka_nonce_first "$first" -key aka_nonce_after "$AKA_aka_nonce_after" > "$uas/stdout" 2>&1) &
    local uas_pid=$!
    started+=("$uas_pid")
    wait_listening "$uas_pid" "$AKA_PORT" "SIPp UAS ($name)" "$uas/stdout"
    start_sipp "$name" "$xml" "127.0.0.1:$AKA_PORT" "${V4[@]}" -m 1 -key aka_user "$user" \
        -key aka_realm "$AKA_aka_realm" -key aka_uri "$AKA_aka_uri" -au "$user" -auth_uri "$AKA_aka_realm" "$@"
    if [ "$expect" = ok ]; then
        finish_sipp "$sipp_pid" "$name"
    else
        # SIPp 3.6.1 checks the AUTN's MAC with its own keys and, when it does not verify, stops the
        # whole run with a fatal error (exit status 255) before it sends anything more.
        wait "$sipp_pid" || rc=$?
        forget_pid "$sipp_pid"
        [ "$rc" = 255 ] && grep -q 'MAC != eXpectedMAC' "$work/$name"/*_errors.log 2>/dev/null \
            || die "SIPp $name was to stop on the AUTN's MAC (exit 255), exited with $rc: $(tail -n 5 "$work/$name"/*_errors.log "$work/$name/stdout" 2>/dev/null)"
    fi
    wait "$uas_pid" || uas_rc=$?
    forget_pid "$uas_pid"
    if [ "$expect" = ok ]; then
        [ "$uas_rc" = 0 ] || die "SIPp UAS of $name exited with $uas_rc: $(tail -n 5 "$uas"/*_errors.log "$uas/stdout" 2>/dev/null)"
    else
        # The UAS waited 2 s for a retry that never came: SIPp counts that call failed (exit status 1).
        [ "$uas_rc" = 1 ] && grep -q 'receive timeout on message uas_aka:2' "$uas"/*_errors.log 2>/dev/null \
            || die "SIPp UAS of $name was to wait for a retry in vain, exited with $uas_rc: $(tail -n 5 "$uas"/*_errors.log "$uas/stdout" 2>/dev/null)"
    fi
    capture_stop "$name"
    # shellcheck disable=SC2086
    if [ "$expect" = ok ]; then
        truth "$name" $truth_args --ua sipp-aka --sipp "$work/$name"
    else
        truth "$name" $truth_args --ua sipp-aka \
            --note "SIPp stopped on the AUTN (MAC != eXpectedMAC) and sent no retry; the UAS timed out waiting"
    fi
}

if wanted aka_register_ok || wanted aka_wrong_keys || wanted aka_resync; then
    aka_load
fi
aka_scenario aka_register_ok uac_aka "${AKA_aka_user1:-}" "${AKA_aka_nonce:-}" ok "aka_register_ok"
aka_scenario aka_wrong_keys uac_aka_wrong_keys "${AKA_aka_user2:-}" "${AKA_aka_nonce:-}" mac_failure "aka_wrong_keys"
aka_scenario aka_resync uac_aka_resync "${AKA_aka_user3:-}" "${AKA_aka_nonce_resync:-}" ok "aka_resync" \
    -key aka_cnonce "${AKA_aka_cnonce:-}" -key aka_nonce_resync "${AKA_aka_nonce_resync:-}" \
    -key aka_resync_response "${AKA_aka_resync_response:-}" -key aka_auts "${AKA_aka_auts:-}"

# Load: three SIPp UACs at once, 500 challenged calls and registrations interleaved on the wire.
#   alice calls bob (4 of 5, answered) or nobody (1 of 5, 404 after auth)   200 calls
#   carol registers with her password                                       250 registrations
#   erin registers with a wrong password (challenged again, gives up)        50 registrations
if wanted load; then
    log "recording load (500 calls and registrations)"
    capture_start load
    start_sipp load_invite load_invite "$PROXY4" -i 127.0.0.1 -p "${UAC_PORTS[0]}" -m 200 -r 20 \
        -inf "$scenarios/callees.csv" "${ALICE[@]}"
    pid_invite=$sipp_pid
    start_sipp load_register load_register "$PROXY4" -i 127.0.0.1 -p "${UAC_PORTS[1]}" -m 250 -r 25 \
        -key user carol -key cport "${UAC_PORTS[1]}" -au carol -ap carol-secret
    pid_register=$sipp_pid
    start_sipp load_refused load_register "$PROXY4" -i 127.0.0.1 -p "${UAC_PORTS[2]}" -m 50 -r 5 \
        -key user erin -key cport "${UAC_PORTS[2]}" -au erin -ap wrong-password
    finish_sipp "$sipp_pid" load_refused
    finish_sipp "$pid_register" load_register
    finish_sipp "$pid_invite" load_invite
    capture_stop load
    gzip -9 -f "$out/load.pcap"   # ~1.9 MB of SIP text becomes ~130 kB; tshark reads it as is
    # Which calls went which way comes from SIPp's per-message counters: the 404s it received
    # at message 6 of load_invite.xml, the second 401s at message 3 of load_register.xml.
    truth load "invite_notfound=$work/load_invite:6:404" "invite_ok=$work/load_invite" \
        "register_refused=$work/load_refused:3:401" "register_ok=$work/load_register" \
        --sipp "$work/load_invite" --sipp "$work/load_register" --sipp "$work/load_refused" \
        --note "three SIPp UACs at once; per-call designs counted by SIPp"
fi

# baresip: registers, calls bob, hangs up after 4 s and unregisters (which is challenged anew).
if [ "$baresip" = yes ] && wanted baresip_call; then
    log "recording baresip_call"
    conf=$work/baresip
    mkdir -p "$conf"
    modules=
    for d in /usr/lib/baresip/modules /usr/lib/*/baresip/modules /usr/local/lib/baresip/modules; do
        [ -e "$d/g711.so" ] && { modules=$d; break; }
    done
    [ -n "$modules" ] || die "baresip's modules (g711.so) not found"
    cat > "$conf/config" <<EOF
poll_method		epoll
net_interface		127.0.0.1
sip_listen		127.0.0.1:$BARESIP_PORT
call_local_timeout	30
audio_player		aufile,/dev/null
audio_alert		aufile,/dev/null
audio_source		ausine,440
ausrc_srate		48000
ausrc_channels		2
module_path		$modules
module			g711.so
module			ausine.so
module			aufile.so
module_tmp		account.so
module_app		menu.so
EOF
    echo "<sip:alice@sipauth.lab>;auth_pass=alice-secret;outbound=\"sip:127.0.0.1:$PROXY_PORT\";regint=3600" \
        > "$conf/accounts"
    capture_start baresip_call
    rc=0
    HOME=$conf timeout 30 baresip -f "$conf" -e "/dial sip:bob@sipauth.lab" -t 4 \
        > "$work/baresip.log" 2>&1 < /dev/null || rc=$?
    capture_stop baresip_call
    [ "$rc" = 0 ] || die "baresip exited with $rc: $(tail -n 10 "$work/baresip.log")"
    grep -q "Call established" "$work/baresip.log" || die "baresip's call to bob was not established: $(tail -n 10 "$work/baresip.log")"
    [ "$(grep -c '200 OK (sipauth-lab)' "$work/baresip.log")" -ge 1 ] || die "baresip did not register: $(tail -n 10 "$work/baresip.log")"
    truth baresip_call register_ok*2 invite_ok --ua baresip \
        --note "register, call, hang up and unregister (a new 401) with baresip"
fi

# linphone-daemon registers alice with the SHA-256 Kamailio (its 401 offers only SHA-256), then quits,
# which unregisters (a REGISTER with the same credentials, accepted without a new challenge).
if [ "$linphone" = yes ] && wanted register_sha256; then
    log "recording register_sha256"
    lconf=$work/linphone
    mkdir -p "$lconf/.local/share/linphone"     # without its database folder linphone never registers
    printf '[sip]\nsip_port=%s\nsip_tcp_port=-1\nsip_tls_port=-1\n' "$LINPHONE_PORT" > "$lconf/linphonerc"
    capture_start register_sha256
    rc=0
    { echo "register sip:alice@sipauth.lab sip:127.0.0.1:$SHA_PORT;transport=udp alice-secret NULL NULL"
      sleep 3
      echo "register-status ALL"
      sleep 0.3
      echo quit
    } | HOME=$lconf timeout 30 linphone-daemon --config "$lconf/linphonerc" --log "$work/linphone.log" \
        > "$work/linphone.out" 2>&1 || rc=$?
    capture_stop register_sha256
    [ "$rc" = 0 ] || die "linphone-daemon exited with $rc: $(tail -n 10 "$work/linphone.out")"
    grep -q "State: LinphoneRegistrationOk" "$work/linphone.out" \
        || die "linphone-daemon did not register with the SHA-256 Kamailio: $(grep -a 'State:' "$work/linphone.out")"
    truth register_sha256 register_ok --ua linphone \
        --note "linphone-daemon 5.1 answers Kamailio's SHA-256 challenge (RFC 7616), then unregisters unchallenged"
fi

log "done: $(find "$out" -maxdepth 1 -name "*.truth.json" | wc -l) scenarios recorded in $out"
