#!/usr/bin/env bash
# Builds sipauth against another Debian release's Wireshark in a debootstrap chroot and runs the e2e tests there.
# Usage (as root): tests/compat/chroot-test.sh SUITE      e.g. trixie (Wireshark 4.4), sid (4.6)
# Environment:
#   SIPAUTH_CHROOT_CACHE    where the root file systems are kept and reused (default: compat-chroots in the
#                           build directory, i.e. the current one when it holds a CMakeCache.txt)
#   SIPAUTH_DEBIAN_MIRROR   Debian archive URL (default: the one this machine's apt sources use)
#   SIPAUTH_CHROOT_REFRESH  1: apt-get update and upgrade a cached root before use
#   SIPAUTH_COMPAT_TESTS    ctest -R regular expression (default: e2e)
#   SIPAUTH_COMPAT_WERROR   ON/OFF, passed as -DSIPAUTH_WERROR (default: ON, so API drift fails loudly)
#   SIPAUTH_COMPAT_DEB      0: skip building and installing the .deb inside the chroot (default 1)
#   SIPAUTH_SHARED_CAPTURES the real captures for e2e_real_captures (default: ../shared/captures of the tree)
set -euo pipefail

suite=${1:?usage: $0 SUITE (trixie, sid, ...)}
src=$(cd "$(dirname "$0")/../.." && pwd)
[ ! -f "$src/CMakeCache.txt" ] || { echo "chroot-test: in-source build in $src; use a build directory" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "chroot-test: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
for tool in debootstrap chroot setpriv timeout mount; do
    command -v "$tool" >/dev/null || { echo "chroot-test: $tool is missing (apt-get install debootstrap)" >&2; exit 2; }
done

# Packages the chroot needs: the brief's build set, plus what the e2e harness calls.
packages=(tshark wireshark-dev cmake gcc make libc6-dev pkg-config libglib2.0-dev libgcrypt20-dev python3 util-linux)
user=sipauth
uid=4242

if [ -n "${SIPAUTH_CHROOT_CACHE:-}" ]; then
    cache=$SIPAUTH_CHROOT_CACHE
elif [ -f CMakeCache.txt ]; then
    cache=$PWD/compat-chroots
else
    cache=$src/build/compat-chroots
fi
mkdir -p "$cache/$suite"
cache=$(cd "$cache" && pwd)
touch "$cache/.sipauth-chroot-cache"   # tar --exclude-tag-all: never copy the cache into a chroot
state=$cache/$suite
root=$state/root

say() { printf '[compat %s %(%H:%M:%S)T] %s\n' "$suite" -1 "$*"; }
t0=$(date +%s)
declare -A cost=()
step_start=$t0
step_end() { local now; now=$(date +%s); cost[$1]=$((now - step_start)); step_start=$now; }

# The same archive this machine installs from; read at run time so no host name is committed.
debian_mirror() {
    if [ -n "${SIPAUTH_DEBIAN_MIRROR:-}" ]; then echo "$SIPAUTH_DEBIAN_MIRROR"; return; fi
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # deb822 stanzas: the first "deb" stanza serving a plain release (no -security/-updates suite).
        awk 'function flush() { if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )[a-z]+( |$)/ && uri != "") { print uri; found = 1; exit } types = suites = uri = "" }
             /^[ \t]*#/ { next }
             /^[ \t]*$/ { flush(); next }
             tolower($1) == "types:" { $1 = ""; types = $0 }
             tolower($1) == "suites:" { $1 = ""; suites = $0 }
             tolower($1) == "uris:" { uri = $2 }
             END { if (!found) flush() }' "$f"
    done | head -n 1 | grep . && return
    # One-line format: deb [options] URI SUITE COMPONENTS...
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' |
        awk '$1 == "deb" && $3 ~ /^[a-z]+$/ { print $2; exit }' | grep . && return
    echo "chroot-test: no Debian archive in this machine's apt sources; set SIPAUTH_DEBIAN_MIRROR" >&2
    return 1
}

mounted=()
unmount_all() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
    done
    mounted=()
}
# Mounts left by a run that was killed: unmount them before reusing or deleting the root.
unmount_stale() {
    local m
    awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
}
# /dev is a private tmpfs with just the nodes the tools need, and devpts a new instance, so that no
# "rm -rf" of the cache (for example of the build directory) can ever reach the host's devices.
mount_all() {
    mount -t proc proc "$root/proc"; mounted+=("$root/proc")
    mount -t tmpfs -o mode=0755,size=8m,nosuid sipauth-dev "$root/dev"; mounted+=("$root/dev")
    local n
    for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name major minor <<<"$n"
        mknod -m 0666 "$root/dev/$name" c "$major" "$minor"
    done
    mkdir -m 0755 "$root/dev/pts"
    mkdir -m 1777 "$root/dev/shm"
    ln -s /proc/self/fd "$root/dev/fd"
    ln -s /proc/self/fd/0 "$root/dev/stdin"
    ln -s /proc/self/fd/1 "$root/dev/stdout"
    ln -s /proc/self/fd/2 "$root/dev/stderr"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"; mounted+=("$root/dev/pts")
    ln -s pts/ptmx "$root/dev/ptmx"
}
trap unmount_all EXIT
trap 'exit 130' INT TERM

in_root() {  # in_root SECONDS COMMAND...: as root inside the chroot, with a clean environment
    local limit=$1; shift
    timeout -k 10 "$limit" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
as_user() {  # as_user SECONDS SCRIPT: as the unprivileged user, in its own HOME
    local limit=$1; shift
    timeout -k 10 "$limit" chroot "$root" /usr/bin/setpriv --reuid=$uid --regid=$uid --clear-groups \
        /usr/bin/env -i PATH=/usr/bin:/bin HOME=/home/$user USER=$user LC_ALL=C.UTF-8 ${CI:+CI=$CI} \
        /bin/sh -ec "$1"
}

unmount_stale

# 1. The root file system: debootstrap once, then reuse.
if [ ! -f "$state/debootstrap.ok" ]; then
    mirror=$(debian_mirror)
    say "debootstrap --variant=minbase $suite from $mirror"
    rm -rf "$root" "$state/packages.ok"
    timeout -k 10 900 debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$state/debootstrap.log" 2>&1 || {
        tail -n 20 "$state/debootstrap.log" >&2
        echo "chroot-test: debootstrap $suite failed (log: $state/debootstrap.log)" >&2
        exit 1
    }
    touch "$state/debootstrap.ok"
else
    say "reusing $root"
fi
step_end debootstrap

mount_all
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# Unstable's Release file may be past its Valid-Until date on a snapshot mirror; a test is no place to care.
cat >"$root/etc/apt/apt.conf.d/90sipauth" <<'EOF'
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

# 2. The packages: installed once per package list.
if [ "$(cat "$state/packages.ok" 2>/dev/null)" != "${packages[*]}" ] || [ "${SIPAUTH_CHROOT_REFRESH:-0}" = 1 ]; then
    say "apt-get install ${packages[*]}"
    rm -f "$state/packages.ok"
    in_root 900 sh -ec "apt-get update; apt-get -y upgrade; apt-get install -y --no-install-recommends ${packages[*]}; apt-get clean" \
        >"$state/apt.log" 2>&1 || {
        tail -n 30 "$state/apt.log" >&2
        echo "chroot-test: apt-get in the $suite chroot failed (log: $state/apt.log)" >&2
        exit 1
    }
    echo "${packages[*]}" >"$state/packages.ok"
fi
step_end packages

tshark_version=$(in_root 60 tshark --version 2>/dev/null | head -n 1)
ws_release=$(sed -n 's/.*(Wireshark) \([0-9]*\.[0-9]*\)\..*/\1/p' <<<"$tshark_version")
[ -n "$ws_release" ] || { echo "chroot-test: cannot read tshark's version in $suite: $tshark_version" >&2; exit 1; }
plugin_dir=$(in_root 60 tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
[ -d "$root$plugin_dir/epan" ] || { echo "chroot-test: no global epan plugin folder $plugin_dir/epan" >&2; exit 1; }
libwireshark=$(in_root 60 dpkg-query -W -f='${Package} ${Version}\n' 'libwireshark[0-9]*' | head -n 1)
say "$tshark_version; plugin ABI folder ${plugin_dir##*/wireshark/}/epan; $libwireshark"
{
    echo "suite: $suite"
    echo "tshark: $tshark_version"
    echo "plugin folder: $plugin_dir/epan"
    echo "library: $libwireshark"
    echo "cmake: $(in_root 60 cmake --version | head -n 1)"
    echo "gcc: $(in_root 60 gcc --version | head -n 1)"
} >"$state/versions.txt"

# 3. A fresh HOME and a copy of the tree, owned by the unprivileged user.
grep -q "^$user:" "$root/etc/passwd" || in_root 60 useradd --uid $uid --user-group --create-home --shell /bin/sh $user
rm -rf "$root/home/$user"
install -d -o $uid -g $uid -m 0755 "$root/home/$user" "$root/home/$user/work" "$root/home/$user/work/main"
tar -C "$src" --exclude=.git --exclude-tag-all=CMakeCache.txt --exclude-tag-all=.sipauth-chroot-cache \
    --exclude=__pycache__ -cf - . | tar -C "$root/home/$user/work/main" --no-same-owner -xf -
captures=${SIPAUTH_SHARED_CAPTURES:-$src/../shared/captures}
capture_opt=
if [ -d "$captures" ]; then
    mkdir -p "$root/home/$user/work/shared"
    cp -r "$captures" "$root/home/$user/work/shared/captures"
    capture_opt=-DSIPAUTH_SHARED_CAPTURES=/home/$user/work/shared/captures
fi
chown -R $uid:$uid "$root/home/$user"
step_end copy

# 4. Build as the user. Every warning is kept in build.log: they are what differs between releases.
say "building against Wireshark $ws_release"
werror=${SIPAUTH_COMPAT_WERROR:-ON}
if ! as_user 900 "cd ~/work/main
    cmake -S . -B build -DSIPAUTH_WERROR=$werror $capture_opt
    cmake --build build -j $(nproc) -- -k" >"$state/build.log" 2>&1; then
    grep -E 'error|warning' "$state/build.log" >&2 || tail -n 40 "$state/build.log" >&2
    echo "chroot-test: build against Wireshark $ws_release ($suite) failed (log: $state/build.log)" >&2
    exit 1
fi
warnings=$(grep -c -E 'warning:|CMake Warning' "$state/build.log" || true)
[ "$warnings" = 0 ] || grep -E -A3 'warning:|CMake Warning' "$state/build.log" >&2
step_end build

# 5. The end-to-end tests, as the user (tshark loads personal plugins only for non-root users).
say "ctest -R ${SIPAUTH_COMPAT_TESTS:-e2e}"
status=0
as_user 2400 "cd ~/work/main/build
    ctest -R '${SIPAUTH_COMPAT_TESTS:-e2e}' --no-tests=error --output-on-failure --timeout 600 -j $(nproc)" \
    >"$state/ctest.log" 2>&1 || status=$?
cat "$state/ctest.log"
if [ "$status" = 0 ] && [ "${CI:-}" = true ] && grep -q -- '\*\*\*Skipped\|Not Run' "$state/ctest.log"; then
    echo "chroot-test: tests were skipped in CI" >&2
    status=1
fi
step_end tests

# 6. The Debian package made there: installed, loaded for root and a user, removed (inside the chroot).
if [ "${SIPAUTH_COMPAT_DEB:-1}" = 1 ]; then
    say "deb-test inside the chroot"
    if in_root 900 env SIPAUTH_DEB_IN_PLACE=1 ${CI:+CI=$CI} /home/$user/work/main/tests/compat/deb-test.sh /home/$user/work/main/build \
        >"$state/deb.log" 2>&1; then
        grep -E '^(PASS|Depends)' "$state/deb.log"
    else
        cat "$state/deb.log"
        echo "chroot-test: the .deb failed against Wireshark $ws_release ($suite)" >&2
        status=1
    fi
fi
step_end deb

disk=$(du -sxh "$root" 2>/dev/null | cut -f1)
summary="$suite: Wireshark $ws_release, debootstrap ${cost[debootstrap]}s, packages ${cost[packages]}s, copy ${cost[copy]}s,"
summary+=" build ${cost[build]}s ($warnings warnings), tests ${cost[tests]}s, deb ${cost[deb]}s, total $(( $(date +%s) - t0 ))s, disk $disk"
echo "$summary" | tee "$state/last-run.txt"
[ "$status" = 0 ] || echo "chroot-test: tests failed against Wireshark $ws_release ($suite)" >&2
exit "$status"
