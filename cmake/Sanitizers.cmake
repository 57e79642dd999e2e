# AddressSanitizer + UndefinedBehaviorSanitizer for the plugin, the core and the unit tests.
# Included from the top CMakeLists.txt before any target is defined, so every target gets the flags.
#
# tshark itself is not instrumented: to load a sanitized sipauth.so, preload the ASan runtime and
# leave leak detection off (tshark leaks at exit by design), as tests/robust/asan-e2e.sh does:
#   LD_PRELOAD=$(gcc -print-file-name=libasan.so) ASAN_OPTIONS=detect_leaks=0 tshark ...
option(SIPAUTH_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

if(SIPAUTH_SANITIZE)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
        message(FATAL_ERROR "SIPAUTH_SANITIZE needs GCC or Clang, not ${CMAKE_C_COMPILER_ID}")
    endif()
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g)
    add_link_options(-fsanitize=address,undefined)
    # A MODULE linked with -fsanitize leaves the ASan runtime to the host program: allow the
    # undefined __asan_* symbols, they are resolved from the preloaded runtime at load time.
    if(CMAKE_C_COMPILER_ID MATCHES "Clang")
        add_link_options(-shared-libasan)
    endif()
    message(STATUS "sipauth: building with ASan + UBSan (SIPAUTH_SANITIZE=ON)")
endif()
