#!/usr/bin/env bash
# Builds the .deb with CPack and installs it with apt in a throw-away view of this system, checks that
# tshark loads sipauth from the global plugin folder for root and for an unprivileged user, and that
# `tshark -C "SIP authentication"` finds the package's profile in the global profiles folder; removes it.
# Usage (as root): tests/compat/deb-test.sh BUILD_DIR
#
# The view is a private mount namespace whose /usr, /etc and /var are overlays on a tmpfs: apt, dpkg and
# tshark there see the real system and write only to the tmpfs, which vanishes with the namespace, even
# if the test is killed. So the test works whatever the host's global folder holds (the copy
# scripts/quickstart.sh installs, this package installed for real, or nothing), and checks at the end
# that the host's sipauth.so and package state are exactly as before.
# With SIPAUTH_DEB_IN_PLACE=1 (tests/compat/chroot-test.sh, whose chroot is itself thrown away and allows
# no mount namespace) it installs in place, and still checks that removing leaves the system as before.
# Exits 77 (skipped) when not root or when mount namespaces or overlayfs are not available, unless
# CI=true, where that is a failure.
set -euo pipefail
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
skip() { echo "deb-test: $*"; [ "${CI:-}" = true ] && exit 1; exit 77; }

# ---- inside the namespace: deb-test.sh --inside VIEW_DIR DEB NAME TARGET BUILD_DIR PROFILE_DIR PCAP
if [ "${1:-}" = --inside ]; then
    view=$2 deb=$3 name=$4 target=$5 build=$6 profile=$7 pcap=$8
    # The unprivileged user's HOME is in the view: mktemp made it 0700 (the tmpfs below is 0755).
    chmod 0755 "$view"
    if [ "${SIPAUTH_DEB_IN_PLACE:-0}" != 1 ]; then
        mount -t tmpfs -o mode=0755,size=4g sipauth-deb-view "$view" || exit 77
        for d in usr etc var; do
            mkdir "$view/$d.upper" "$view/$d.work"
            mount -t overlay overlay -o "lowerdir=/$d,upperdir=$view/$d.upper,workdir=$view/$d.work" "/$d" || exit 77
        done
    fi
    export DEBIAN_FRONTEND=noninteractive

    # --reinstall and --allow-downgrades: the package may already be installed on the host, in any version.
    # apt reads a local file as _apt when it can; a build directory under /root is not readable to it.
    timeout 300 apt-get install -y --reinstall --allow-downgrades -o APT::Sandbox::User=root "$deb" \
        >"$build/deb-test-apt.log" 2>&1 || { cat "$build/deb-test-apt.log" >&2; fail "apt-get install $deb"; }
    dpkg-query -W -f='${Status}\n' "$name" | grep -q 'install ok installed' || fail "$name is not installed"
    [ -f "$target" ] || fail "$target missing after installing"
    # What sits there now is the package's file, not whatever was there before.
    dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ".$target" | cmp -s - "$target" ||
        fail "$target is not the file of the package"
    for file in colorfilters preferences dfilter_buttons; do
        dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ".$profile/$file" | cmp -s - "$profile/$file" ||
            fail "$profile/$file is not the file of the package"
    done

    home=$view/home
    mkdir -p "$home/root"
    chmod 0755 "$home"
    chown nobody:nogroup "$home"
    # The global folder only: no WIRESHARK_PLUGIN_DIR from the caller, a fresh HOME without personal plugins.
    as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env -u WIRESHARK_PLUGIN_DIR HOME="$home" "$@"; }
    as_root() { env -u WIRESHARK_PLUGIN_DIR HOME="$home/root" "$@"; }

    cp "$pcap" "$home/capture.pcap"
    chmod 0644 "$home/capture.pcap"
    failed=0
    for who in as_root as_nobody; do
        listed=$($who timeout 120 tshark -G plugins 2>&1 | grep 'sipauth\.so' || true)
        if [[ "$listed" != *"$target"* ]]; then
            echo "FAIL ${who#as_}: tshark -G plugins does not list $target${listed:+ (got: $listed)}"
            failed=1
        elif [[ "$listed" != *dissector* ]]; then
            # Wireshark 4.4+ shows what plugin_describe() returns; "unknown" means the plugin does not say.
            echo "FAIL ${who#as_}: tshark -G plugins does not list sipauth as a dissector: $listed"
            failed=1
        else
            echo "PASS ${who#as_}: $listed"
        fi
        if $who timeout 120 tshark -G fields 2>/dev/null | grep -q $'^P\tSIP Authentication Challenge Analysis\tsipauth$'; then
            echo "PASS ${who#as_}: protocol sipauth registered"
        else
            echo "FAIL ${who#as_}: protocol sipauth not registered"
            failed=1
        fi
        # -C with a profile only in the global folder: Wireshark copies it into the personal folder and uses
        # it; its columns (PSML titles) and the plugin's verdict in them show it is the package's profile.
        whome=$home; [ "$who" = as_nobody ] || whome=$home/root
        psml=$($who timeout 120 tshark -C "$(basename "$profile")" -2 -r "$home/capture.pcap" -T psml 2>&1 || true)
        if grep -q '<section>Verdict</section>' <<<"$psml" && grep -q '<section>challenge loop</section>' <<<"$psml" &&
           [ -f "$whome/.config/wireshark/profiles/$(basename "$profile")/colorfilters" ]; then
            echo "PASS ${who#as_}: tshark -C \"$(basename "$profile")\" uses the global profile (copied into the personal folder)"
        else
            echo "FAIL ${who#as_}: tshark -C \"$(basename "$profile")\" does not show the profile's columns: $(head -c 600 <<<"$psml")"
            failed=1
        fi
    done

    timeout 300 apt-get remove -y "$name" >>"$build/deb-test-apt.log" 2>&1 || fail "apt-get remove $name"
    [ ! -e "$target" ] || fail "$target left behind after removing $name"
    if as_root tshark -G plugins 2>/dev/null | grep -q 'sipauth\.so'; then fail "tshark still lists sipauth after removal"; fi
    echo "PASS removed: $target gone"
    [ ! -e "$profile" ] || fail "$profile left behind after removing $name"
    echo "PASS removed: $profile gone"
    exit "$failed"
fi

# ---- on the host
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
[ "$(id -u)" = 0 ] || skip "needs root to install a package"

name=$(sed -n 's/^SIPAUTH_DEB_NAME:[A-Z]*=//p' "$build/CMakeCache.txt")
[ -n "$name" ] || fail "$build was not configured with cmake/Packaging.cmake"

global=$(env -u WIRESHARK_PLUGIN_DIR tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
[ -n "$global" ] || fail "tshark does not report a global plugin folder"
target=$global/epan/sipauth.so
# The profile goes into the global profiles folder of the data folder ("Global configuration").
datadir=$(env -u WIRESHARK_DATA_DIR tshark -G folders 2>/dev/null | sed -n 's/^Global configuration:[[:space:]]*//p')
[ -n "$datadir" ] || fail "tshark does not report a global configuration folder"
profile="$datadir/profiles/SIP authentication"
source_dir=$(sed -n 's/^sipauth_SOURCE_DIR:STATIC=//p' "$build/CMakeCache.txt")
pcap=$source_dir/pcaps/invite-407-loop.pcap
[ -r "$pcap" ] || fail "no capture at $pcap"

timeout 600 cmake --build "$build" --target sipauth -j "$(nproc)" >/dev/null
rm -f "$build/${name}"_*.deb
(cd "$build" && timeout 300 cpack -G DEB) >"$build/deb-test-cpack.log" 2>&1 ||
    { cat "$build/deb-test-cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$build/${name}"_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no single ${name}_*.deb in $build"
deb=${debs[0]}
echo "package: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends

# The package's file lands where this tshark looks, and it depends on the libwireshark tshark uses.
# (Listed once: grep -q would stop reading early, and pipefail would take the broken pipe for a failure.)
contents=$(dpkg-deb --contents "$deb")
grep -q " \.${target}\$" <<<"$contents" || fail "the package does not hold .$target"
for file in colorfilters preferences dfilter_buttons; do
    grep -qF " .$profile/$file" <<<"$contents" || fail "the package does not hold .$profile/$file"
done
echo "PASS package: holds the profile in $profile"
libwireshark=$(dpkg-query --search "$(readlink -f "$(ldd "$(command -v tshark)" | awk '$1 ~ /^libwireshark\.so/ { print $3 }')")" |
    sed 's/[:,].*//')
dpkg-deb --field "$deb" Depends | grep -q "\\b$libwireshark\\b" ||
    fail "Depends does not name $libwireshark, which tshark uses"
# Everything it installs must fall inside the throw-away view.
outside=$(awk '{ print $6 }' <<<"$contents" | grep -v -E '^\./((usr|etc|var)(/.*)?)?$' || true)
[ -z "$outside" ] || fail "the package installs outside /usr, /etc and /var: $outside"

# The host's sipauth.so and package state, to compare with afterwards.
host_state() {
    if [ -e "$target" ]; then
        sha256sum "$target" | cut -d' ' -f1
        stat -c '%a %u:%g %Y' "$target"
    else
        echo "$target absent"
    fi
    dpkg-query -W -f='${Status} ${Version}\n' "$name" 2>/dev/null || echo "$name unknown to dpkg"
}
before=$(host_state)
echo "host before: $(tr '\n' ';' <<<"$before")"

view=$(mktemp -d /tmp/sipauth-deb-view.XXXXXX)
status=0
if [ "${SIPAUTH_DEB_IN_PLACE:-0}" = 1 ]; then
    "$0" --inside "$view" "$deb" "$name" "$target" "$build" "$profile" "$pcap" || status=$?
    rm -rf "$view"
else
    unshare --mount --propagation private true 2>/dev/null || skip "cannot make a mount namespace (unshare --mount)"
    unshare --mount --propagation private "$0" --inside "$view" "$deb" "$name" "$target" "$build" "$profile" "$pcap" || status=$?
    rmdir "$view" 2>/dev/null || true
fi
[ "$status" != 77 ] || skip "cannot make a throw-away view (mount namespace, tmpfs, overlayfs) to install the package in"

after=$(host_state)
if [ "$after" != "$before" ]; then
    echo "FAIL host: changed by the test: before $(tr '\n' ';' <<<"$before") after $(tr '\n' ';' <<<"$after")"
    status=1
else
    echo "PASS host: $target and the state of $name unchanged"
fi
exit "$status"
