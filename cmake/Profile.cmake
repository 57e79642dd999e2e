# The "SIP authentication" configuration profile (coloring rules, columns, filter buttons), built into
# build/profile/ and installed with the plugin: into Wireshark's global profiles folder with
# SIPAUTH_INSTALL_GLOBAL (and always in the .deb, see Packaging.cmake), into the personal one otherwise.
# Wireshark 4.0 `wireshark/tshark -C NAME` uses a global-only profile by copying it into the personal folder.
set(SIPAUTH_PROFILE_NAME "SIP authentication")
set(SIPAUTH_PROFILE_SOURCE "${PROJECT_SOURCE_DIR}/profile")
set(SIPAUTH_PROFILE_BUILD "${CMAKE_BINARY_DIR}/profile/${SIPAUTH_PROFILE_NAME}")
# Wireshark's data folder (its DATA_DIR: global colorfilters, profiles/); `tshark -G folders` calls it
# "Global configuration".
set(SIPAUTH_WS_DATADIR_REL "share/wireshark")
set(SIPAUTH_WS_DATADIR "${Wireshark_INSTALL_PREFIX}/${SIPAUTH_WS_DATADIR_REL}")

set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${SIPAUTH_PROFILE_SOURCE}/colorfilters" "${SIPAUTH_PROFILE_SOURCE}/preferences"
             "${SIPAUTH_PROFILE_SOURCE}/dfilter_buttons" "${SIPAUTH_PROFILE_SOURCE}/recent")
file(MAKE_DIRECTORY "${SIPAUTH_PROFILE_BUILD}")
configure_file("${SIPAUTH_PROFILE_SOURCE}/preferences" "${SIPAUTH_PROFILE_BUILD}/preferences" COPYONLY)
configure_file("${SIPAUTH_PROFILE_SOURCE}/dfilter_buttons" "${SIPAUTH_PROFILE_BUILD}/dfilter_buttons" COPYONLY)
# Column widths only: Wireshark keeps the window state of a profile in its recent file.
configure_file("${SIPAUTH_PROFILE_SOURCE}/recent" "${SIPAUTH_PROFILE_BUILD}/recent" COPYONLY)

# A profile's colorfilters replaces the default rules: the sipauth rules come first, then the default rules
# of the Wireshark built against, so that the rest of the capture keeps its usual colours.
file(READ "${SIPAUTH_PROFILE_SOURCE}/colorfilters" _sipauth_colors)
if(EXISTS "${SIPAUTH_WS_DATADIR}/colorfilters")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${SIPAUTH_WS_DATADIR}/colorfilters")
    file(STRINGS "${SIPAUTH_WS_DATADIR}/colorfilters" _sipauth_default_rules REGEX "^!?@")
    string(APPEND _sipauth_colors "# Wireshark ${Wireshark_VERSION}'s default rules\n")
    foreach(rule IN LISTS _sipauth_default_rules)
        string(APPEND _sipauth_colors "${rule}\n")
    endforeach()
else()
    message(WARNING "No ${SIPAUTH_WS_DATADIR}/colorfilters: the profile has the sipauth coloring rules only")
endif()
file(WRITE "${CMAKE_BINARY_DIR}/profile/colorfilters.tmp" "${_sipauth_colors}")
configure_file("${CMAKE_BINARY_DIR}/profile/colorfilters.tmp" "${SIPAUTH_PROFILE_BUILD}/colorfilters" COPYONLY)

if(SIPAUTH_INSTALL_GLOBAL)
    set(SIPAUTH_PROFILES_DIR "${SIPAUTH_WS_DATADIR}/profiles")
else()
    # Wireshark's personal folder: XDG_CONFIG_HOME/wireshark (~/.config/wireshark), or ~/.wireshark when only
    # that one exists (wsutil/filesystem.c).
    if(DEFINED ENV{XDG_CONFIG_HOME} AND NOT "$ENV{XDG_CONFIG_HOME}" STREQUAL "")
        set(_sipauth_xdg "$ENV{XDG_CONFIG_HOME}/wireshark")
    else()
        set(_sipauth_xdg "$ENV{HOME}/.config/wireshark")
    endif()
    if(NOT IS_DIRECTORY "${_sipauth_xdg}" AND IS_DIRECTORY "$ENV{HOME}/.wireshark")
        set(_sipauth_xdg "$ENV{HOME}/.wireshark")
    endif()
    set(SIPAUTH_PROFILES_DIR "${_sipauth_xdg}/profiles")
endif()
install(DIRECTORY "${SIPAUTH_PROFILE_BUILD}" DESTINATION "${SIPAUTH_PROFILES_DIR}"
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
