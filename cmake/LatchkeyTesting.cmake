include(GoogleTest)

# latchkey_add_test(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>])
# LABELS defaults to the test's folder under tests/.
# One GoogleTest binary; each TEST becomes its own ctest entry, discovered when ctest runs
# (not at build time, so sanitized binaries are not started during the build).
function(latchkey_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        latchkey_flags)
  if(NOT ARG_LABELS)
    # By default a test is labelled with its folder under tests/ (lockcore, server/store, ...).
    file(RELATIVE_PATH ARG_LABELS ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
