# Library (sourced, bash): runs tshark or wireshark with exactly a chosen set of plugins, whatever is installed.
#
#   pset_make DIR [FILE...]   DIR: an empty folder of the caller's (the caller deletes it). Makes
#       DIR/home      HOME: fresh, so no personal plugin or preference of anyone applies;
#       DIR/plugins   WIRESHARK_PLUGIN_DIR: a mirror (symlinks) of the global plugin folder tshark would
#                     use, without any sipauth* file, plus each FILE (a copy): a .so into the epan folder,
#                     a .lua at the top (the global Lua folder);
#       DIR/extcap    WIRESHARK_EXTCAP_DIR, empty: extcap helpers slow every start and hang under a
#                     preloaded sanitizer.
#   pset_check [QUIET]        exit status 3 unless `tshark -G plugins`, run like pset_run runs it, lists each
#                     FILE at its exact path in DIR, no other sipauth*, and no plugin from outside DIR.
#   pset_run CMD...           runs CMD as pset_user with that environment (pset_vars).
#   pset_fix_perms            makes DIR readable to pset_user again after the caller added files to it.
#
# Why: Wireshark scans the global folder first and skips a later plugin of a file name it has already
# loaded, so a sipauth.so installed globally (scripts/quickstart.sh as root does that) would shadow the
# build under test, and a run "without the plugin" would still have it. WIRESHARK_PLUGIN_DIR replaces the
# global folder (wsutil/filesystem.c appends the major.minor version to it for binary plugins), but only for
# a process without special privileges, and root also never loads personal plugins: as root everything runs
# as nobody.

pset_user=()
if [ "$(id -u)" = 0 ]; then
    pset_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
pset_dir='' pset_files=() pset_expect=() pset_vars=()

pset_die() { echo "plugin-set: $*" >&2; return 2; }

pset_fix_perms() {
    chmod -R a+rX "$pset_dir"
    if [ "$(id -u)" = 0 ]; then chown -R nobody:nogroup "$pset_dir"; fi
}

pset_run() {
    # No personal configuration from the caller's environment either (XDG_CONFIG_HOME would point past HOME).
    "${pset_user[@]}" env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u WIRESHARK_CONFIG_DIR "${pset_vars[@]}" "$@"
}

pset_make() {
    pset_dir=$(cd "${1:?pset_make DIR [FILE...]}" && pwd) || return 2
    shift
    pset_files=("$@")
    pset_expect=()
    mkdir -p "$pset_dir/home" "$pset_dir/plugins" "$pset_dir/extcap"
    pset_fix_perms

    # The global folders tshark reports for the user it runs as, with the caller's environment: what it
    # would load (a WIRESHARK_PLUGIN_DIR the caller set, such as tests/tools/harness-shadow.sh's, included).
    local folders global lua rel
    folders=$("${pset_user[@]}" env HOME="$pset_dir/home" WIRESHARK_EXTCAP_DIR="$pset_dir/extcap" tshark -G folders 2>/dev/null) ||
        { pset_die "tshark -G folders failed"; return 2; }
    global=$(sed -n 's/^Global Plugins:[[:space:]]*//p' <<<"$folders")
    lua=$(sed -n 's/^Global Lua Plugins:[[:space:]]*//p' <<<"$folders")
    [ -n "$global" ] || { pset_die "tshark -G folders names no global plugin folder"; return 2; }
    [ -n "$lua" ] || lua=$(dirname "$global")
    case "$global" in
        "$lua"/*) rel=${global#"$lua"/} ;;
        *) pset_die "global plugin folder $global is not under the global Lua folder $lua"; return 2 ;;
    esac

    # The mirror: the same tree, each file a link to the real one, except anything named sipauth*.
    local path
    mkdir -p "$pset_dir/plugins/$rel/epan"
    if [ -d "$lua" ]; then
        while IFS= read -r -d '' path; do
            mkdir -p "$pset_dir/plugins/$path"
        done < <(cd "$lua" && find . -mindepth 1 -type d -print0)
        while IFS= read -r -d '' path; do
            ln -s "$lua/${path#./}" "$pset_dir/plugins/$path"
        done < <(cd "$lua" && find . \( -type f -o -type l \) ! -iname 'sipauth*' -print0)
    fi

    local file dest
    for file in "${pset_files[@]}"; do
        [ -f "$file" ] && [ -r "$file" ] || { pset_die "no file to load at $file"; return 2; }
        case "$file" in
            *.so) dest=$pset_dir/plugins/$rel/epan/$(basename "$file") ;;
            *.lua) dest=$pset_dir/plugins/$(basename "$file") ;;
            *) pset_die "$file is neither a .so nor a .lua"; return 2 ;;
        esac
        [ ! -e "$dest" ] || { pset_die "$(basename "$file") is already in the global plugin folder"; return 2; }
        cp "$file" "$dest"
        pset_expect+=("$dest")
    done
    pset_vars=(HOME="$pset_dir/home" WIRESHARK_PLUGIN_DIR="$pset_dir/plugins" WIRESHARK_EXTCAP_DIR="$pset_dir/extcap")
    pset_fix_perms
}

pset_check() {
    local quiet=${1:-} listed path want found problems=()
    listed=$(pset_run tshark -G plugins 2>/dev/null | awk -F'\t' '$3 != "extcap" { print $NF }') ||
        { echo "plugin-set: tshark -G plugins failed" >&2; return 3; }
    for want in "${pset_expect[@]}"; do
        grep -qxF -- "$want" <<<"$listed" || problems+=("$want is not loaded")
    done
    while IFS= read -r path; do
        [ "${path#/}" != "$path" ] || continue
        case "$path" in
            "$pset_dir"/*) ;;
            *) problems+=("$path was loaded from outside the private plugin folders") ;;
        esac
        case "$(basename "$path" | tr '[:upper:]' '[:lower:]')" in
            sipauth*)
                found=0
                for want in "${pset_expect[@]}"; do [ "$path" = "$want" ] && found=1; done
                [ "$found" = 1 ] || problems+=("$path was loaded but is not a file under test")
                ;;
        esac
    done <<<"$listed"
    if [ ${#problems[@]} -gt 0 ]; then
        if [ -z "$quiet" ]; then
            printf 'plugin-set: %s\n' "${problems[@]}" >&2
            echo "plugin-set: wanted ${pset_files[*]:-no sipauth plugin}; tshark -G plugins listed:" >&2
            sed 's/^/    /' <<<"$listed" >&2
        fi
        return 3
    fi
}
