# Debian package of the plugin: `cpack -G DEB` in the build directory makes wireshark-plugin-sipauth_*.deb,
# which installs sipauth.so into the global plugin folder of the Wireshark it was built against and
# depends on that Wireshark's libwireshark<ABI> package. Included by the top CMakeLists.txt after the
# sipauth target. Tested by tests/compat/deb-test.sh.
if(NOT TARGET sipauth OR NOT TARGET epan)
    message(FATAL_ERROR "Packaging.cmake needs the sipauth target and find_package(Wireshark) first")
endif()

set(SIPAUTH_DEB_NAME "wireshark-plugin-sipauth" CACHE STRING "Name of the Debian package")
set(SIPAUTH_DEB_MAINTAINER "sipauth maintainers <sipauth@localhost>" CACHE STRING "Maintainer field of the .deb")

# The package always holds the global copy, whatever SIPAUTH_INSTALL_GLOBAL says for `cmake --install`:
# its own install component, left out of a plain install, is the only one CPack installs.
if(DEFINED Wireshark_PLUGIN_LIBDIR)
    set(_sipauth_plugin_reldir "${Wireshark_PLUGIN_LIBDIR}")
else()
    file(RELATIVE_PATH _sipauth_plugin_reldir "${Wireshark_INSTALL_PREFIX}" "${Wireshark_PLUGIN_INSTALL_DIR}")
endif()
install(TARGETS sipauth
        LIBRARY DESTINATION "${_sipauth_plugin_reldir}/epan" NAMELINK_SKIP
        COMPONENT sipauth_deb EXCLUDE_FROM_ALL)
# The "SIP authentication" profile (cmake/Profile.cmake) in Wireshark's global profiles folder.
install(DIRECTORY "${SIPAUTH_PROFILE_BUILD}" DESTINATION "${SIPAUTH_WS_DATADIR_REL}/profiles"
        FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT sipauth_deb EXCLUDE_FROM_ALL)

# Which Debian package provides a file, and the SONAME-based name to fall back on for a Wireshark not
# installed by dpkg.
function(_sipauth_deb_owner file out)
    get_filename_component(real "${file}" REALPATH)
    execute_process(COMMAND dpkg-query --search "${real}"
                    OUTPUT_VARIABLE owner RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND owner MATCHES "^([^:, ]+)")
        set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
    else()
        set(${out} "" PARENT_SCOPE)
    endif()
endfunction()

get_target_property(_sipauth_epan_configs epan IMPORTED_CONFIGURATIONS)
set(_sipauth_epan_file "")
foreach(config ${_sipauth_epan_configs})
    get_target_property(_sipauth_epan_file epan IMPORTED_LOCATION_${config})
    if(_sipauth_epan_file)
        break()
    endif()
endforeach()
if(NOT _sipauth_epan_file)
    get_target_property(_sipauth_epan_file epan IMPORTED_LOCATION)
endif()

set(_sipauth_libwireshark "")
if(_sipauth_epan_file)
    _sipauth_deb_owner("${_sipauth_epan_file}" _sipauth_libwireshark)
    if(NOT _sipauth_libwireshark)
        get_filename_component(_sipauth_epan_real "${_sipauth_epan_file}" REALPATH)
        execute_process(COMMAND objdump -p "${_sipauth_epan_real}" OUTPUT_VARIABLE _sipauth_dyn ERROR_QUIET)
        if(_sipauth_dyn MATCHES "SONAME +libwireshark\\.so\\.([0-9]+)")
            set(_sipauth_libwireshark "libwireshark${CMAKE_MATCH_1}")
            message(WARNING "${_sipauth_epan_real} is not from a Debian package; "
                            "the .deb will depend on ${_sipauth_libwireshark} by its SONAME")
        endif()
    endif()
endif()
if(NOT _sipauth_libwireshark)
    message(WARNING "Cannot tell which libwireshark package the plugin is built against; the .deb will lack it")
endif()

set(_sipauth_depends "")
if(_sipauth_libwireshark)
    # A plugin is only loaded by the Wireshark release (major.minor) it was built for; the SONAME in the
    # package name pins that, the version pins at least the point release whose headers were used.
    list(APPEND _sipauth_depends "${_sipauth_libwireshark} (>= ${Wireshark_VERSION})")
endif()
foreach(lib ${GLIB_LINK_LIBRARIES})
    if(lib MATCHES "libglib-2\\.0\\.so")
        _sipauth_deb_owner("${lib}" _sipauth_glib)
        if(_sipauth_glib)
            list(APPEND _sipauth_depends "${_sipauth_glib}")
        endif()
    endif()
endforeach()
list(JOIN _sipauth_depends ", " _sipauth_depends)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "${SIPAUTH_DEB_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${SIPAUTH_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}")
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};sipauth_deb;/")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SIPAUTH_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_sipauth_depends}")
set(CPACK_DEBIAN_PACKAGE_ENHANCES "wireshark, tshark")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A Wireshark ${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION} post-dissector (protocol sipauth) that follows SIP 401/407
authentication challenges: it links each challenge to its request, ACK, retry
with credentials and result, and flags missing or failed retries, stale nonces
and challenge loops. Comes with the SIP authentication configuration profile
(colours by verdict, flow columns, filter buttons).")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

message(STATUS "sipauth .deb: ${SIPAUTH_DEB_NAME} ${PROJECT_VERSION} -> "
               "${CPACK_PACKAGING_INSTALL_PREFIX}/${_sipauth_plugin_reldir}/epan, Depends: ${_sipauth_depends}")
