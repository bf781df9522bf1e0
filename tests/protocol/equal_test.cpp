// protocol::equal is what every round-trip test and fuzz target relies on: it must notice a
// difference in any field, however deeply nested.
#include <gtest/gtest.h>

#include "tests/protocol/samples.hpp"

namespace protocol::test {
namespace {

template <class T, class Change>
void expect_noticed(const T& original, Change change) {
  T changed = original;
  EXPECT_TRUE(equal(original, changed));
  change(changed);
  EXPECT_FALSE(equal(original, changed));
}

TEST(Equal, NoticesAChangeInAnyField) {
  using namespace lockcore;
  expect_noticed(sample_state(), [](StateReport& s) { s.motor_fault = true; });
  expect_noticed(sample_state(), [](StateReport& s) { s.pairing_key[31] ^= 1; });
  expect_noticed(sample_state(), [](StateReport& s) { s.firmware = FirmwareVersion::from("2.4"); });
  expect_noticed(sample_full_event(), [](Event& e) { e.key[0] ^= 1; });
  expect_noticed(sample_pair_command(), [](Command& c) { c.pair.epoch += 1; });
  expect_noticed(sample_command(), [](Command& c) { c.lock = DeviceId::from("back-door"); });
  expect_noticed(sample_ack(), [](CommandAck& a) { a.bolt = BoltState::unknown; });
  expect_noticed(sample_desired(), [](DesiredShadow& d) { d.credentials[0].window.not_after++; });
  expect_noticed(sample_desired(), [](DesiredShadow& d) { d.credentials[1].pin = pin("1234"); });
  expect_noticed(sample_desired(), [](DesiredShadow& d) { d.settings.auto_relock_s = 0; });
  expect_noticed(sample_desired(), [](DesiredShadow& d) { d.credentials.pop_back(); });
  expect_noticed(sample_reported(),
                 [](ReportedShadow& r) { r.slots[1].error = SlotError::invalid; });
  expect_noticed(sample_links(), [](HubLinks& h) { h.links[1].up = true; });
  expect_noticed(sample_grant(), [](DigitalKeyGrant& g) { g.window.not_before = 0; });
}

}  // namespace
}  // namespace protocol::test
