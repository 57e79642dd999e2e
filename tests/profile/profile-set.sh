# Library (sourced, bash, after tests/tools/plugin-set.sh's pset_make): installs a built configuration
# profile for the plugin set's tshark or wireshark, the way an install would, without touching the system.
#
#   prof_install global|personal PROFILE_DIR
#     global:   WIRESHARK_DATA_DIR names a private mirror of Wireshark's global data folder (symlinks to each
#               file, the profiles/ folder holding links to the installed global profiles), with PROFILE_DIR
#               copied into its profiles/ as a global profile: what `cmake --install` with
#               SIPAUTH_INSTALL_GLOBAL and the .deb do. -C NAME then copies it into the personal folder.
#     personal: PROFILE_DIR copied into the plugin set's HOME/.config/wireshark/profiles: what a personal
#               `cmake --install` does.
#   prof_name     the profile's name (the folder's name).
# Wireshark reads WIRESHARK_DATA_DIR only without special privileges: the plugin set runs as nobody when root.

prof_name=''

prof_install() {
    local mode=${1:?prof_install global|personal PROFILE_DIR} src=${2:?prof_install global|personal PROFILE_DIR}
    [ -d "$src" ] || { echo "profile-set: no profile at $src" >&2; return 2; }
    prof_name=$(basename "$src")
    case "$mode" in
        personal)
            mkdir -p "$pset_dir/home/.config/wireshark/profiles"
            cp -r "$src" "$pset_dir/home/.config/wireshark/profiles/"
            ;;
        global)
            local global entry
            global=$(pset_run tshark -G folders 2>/dev/null | sed -n 's/^Global configuration:[[:space:]]*//p')
            [ -n "$global" ] && [ -d "$global" ] || { echo "profile-set: no global configuration folder" >&2; return 2; }
            mkdir -p "$pset_dir/data/profiles"
            for entry in "$global"/* "$global"/profiles/*; do
                [ -e "$entry" ] || continue
                case "$entry" in
                    "$global/profiles") ;;
                    "$global/profiles/$prof_name") ;;
                    "$global"/profiles/*) ln -s "$entry" "$pset_dir/data/profiles/" ;;
                    *) ln -s "$entry" "$pset_dir/data/" ;;
                esac
            done
            cp -r "$src" "$pset_dir/data/profiles/"
            pset_vars+=(WIRESHARK_DATA_DIR="$pset_dir/data")
            ;;
        *) echo "profile-set: mode is global or personal, not $mode" >&2; return 2 ;;
    esac
    pset_fix_perms
}
