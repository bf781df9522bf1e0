# Warnings and sanitizers for the project's own targets (system headers stay quiet).
add_library(latchkey_flags INTERFACE)
target_compile_options(latchkey_flags INTERFACE -Wall -Wextra -Wpedantic -Werror)
# g++ 12 at -O3 reports impossible overlaps in std::string's operator+ (GCC bug 105329, fixed in
# 13): a false -Wrestrict in library code, so it is off for that compiler.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(latchkey_flags INTERFACE -Wno-restrict)
endif()
target_include_directories(latchkey_flags INTERFACE ${PROJECT_SOURCE_DIR})

if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  # -O1 keeps the sanitized integration tests and the simulator fast enough to run on 2 cores.
  target_compile_options(latchkey_flags INTERFACE -O1 -g)
endif()

if(LATCHKEY_SANITIZE)
  target_compile_options(latchkey_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(latchkey_flags INTERFACE -fsanitize=address,undefined)
endif()

if(LATCHKEY_FUZZ)
  target_compile_options(latchkey_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(latchkey_flags INTERFACE -fsanitize=address,undefined)
endif()
