# The libFuzzer targets, read by fuzz/CMakeLists.txt (which builds them) and tests/fuzz (which runs
# them): one per decoder plus the topic parser. Each is fuzz/round_trip.cpp built for one target.
set(LATCHKEY_FUZZ_TARGETS
  status
  state
  event
  command
  ack
  desired_shadow
  reported_shadow
  hub_links
  key_grant
  topic
)
