# Runs one scenario file twice and fails unless both runs print exactly the same lines: the same
# file and seed give the same output. With -DREQUIRE_PASS=ON it also fails unless the run passed
# (exit 0); without, the exit status does not matter (a file may still be pending), only sameness.
foreach(run 1 2)
  execute_process(COMMAND ${LATCHKEY} scenario run ${FILE} OUTPUT_VARIABLE out${run}
                  RESULT_VARIABLE rc${run})
endforeach()
if(NOT out1 STREQUAL out2)
  message(FATAL_ERROR "two runs of ${FILE} differ:\n--- first\n${out1}\n--- second\n${out2}")
endif()
if(NOT out1 MATCHES "[0-9]+ passed, [0-9]+ failed")
  message(FATAL_ERROR "no closing line from ${FILE}:\n${out1}")
endif()
if(REQUIRE_PASS AND NOT rc1 EQUAL 0)
  message(FATAL_ERROR "${FILE} failed (both runs alike):\n${out1}")
endif()
message(STATUS "both runs printed:\n${out1}")
