# Compile through ccache when it is installed: the same sources are rebuilt in several presets
# and worktrees. base_dir makes paths relative to the source tree, so a worktree's build
# (always <source>/build/<preset>) reuses another's objects; without hashing the working directory
# (debug info then names the tree that first compiled an object: fine for a developer's cache).
find_program(LATCHKEY_CCACHE ccache)
if(LATCHKEY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
                                CCACHE_NOHASHDIR=1 ${LATCHKEY_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_C_COMPILER_LAUNCHER})
endif()
