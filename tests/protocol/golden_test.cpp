// The exact bytes of one example of every message: the encoding is part of the protocol (retained
// messages compare equal, other implementations are written against docs/protocol.md).
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/protocol/samples.hpp"

namespace protocol::test {
namespace {

template <class T>
void expect_golden(const T& message, std::string_view json) {
  EXPECT_EQ(encode(message), json);
  auto decoded = decode_like(json, message);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(equal(*decoded, message));
}

TEST(Golden, Status) {
  expect_golden(DeviceStatus::online, kStatusJson);
}
TEST(Golden, State) {
  expect_golden(sample_state(), kStateJson);
}
TEST(Golden, EventWithOnlyMeaningfulFields) {
  expect_golden(sample_event(), kEventJson);
}
TEST(Golden, EventWithEveryOptionalField) {
  expect_golden(sample_full_event(), kFullEventJson);
}
TEST(Golden, UnlockCommandHasEmptyArgs) {
  expect_golden(sample_command(), kCommandJson);
}
TEST(Golden, PairCommand) {
  expect_golden(sample_pair_command(), kPairCommandJson);
}
TEST(Golden, EventsAckCommandCarriesUpto) {
  std::string json = encode(sample_events_ack_command());
  EXPECT_NE(json.find(kEventsAckArgs), std::string::npos) << json;
}
TEST(Golden, FailedAck) {
  expect_golden(sample_ack(), kAckJson);
}
TEST(Golden, SuccessfulAckHasNoError) {
  lockcore::CommandAck ok = sample_ack();
  ok.error = lockcore::LockError::none;
  ok.bolt = lockcore::BoltState::unlocked;
  expect_golden(ok, kOkAckJson);
}
TEST(Golden, DesiredShadow) {
  expect_golden(sample_desired(), kDesiredJson);
}
TEST(Golden, ReportedShadow) {
  expect_golden(sample_reported(), kReportedJson);
}
TEST(Golden, HubLinks) {
  expect_golden(sample_links(), kLinksJson);
}
TEST(Golden, DigitalKeyGrant) {
  expect_golden(sample_grant(), kGrantJson);
}

TEST(Golden, CommandSiteAndLockComeFromTheTopic) {
  auto decoded = decode_command(kCommandJson, DeviceId::from("other-site"), DeviceId::from("l2"));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->site.view(), "other-site");
  EXPECT_EQ(decoded->lock.view(), "l2");
}

TEST(Golden, EqualMessagesEncodeToEqualBytes) {
  // What retained messages rely on: two independently built equal shadows give the same payload.
  EXPECT_EQ(encode(sample_desired()), encode(sample_desired()));
  EXPECT_EQ(encode(sample_state()), encode(sample_state()));
}

TEST(Golden, DocsShowExactlyTheGoldenBytes) {
  std::ifstream file(LATCHKEY_SOURCE_DIR "/docs/protocol.md");
  ASSERT_TRUE(file) << "docs/protocol.md not found";
  std::set<std::string> shown;
  std::string line;
  bool in_json = false;
  while (std::getline(file, line)) {
    if (line == "```json")
      in_json = true;
    else if (line == "```")
      in_json = false;
    else if (in_json)
      shown.insert(line);
  }
  std::set<std::string> golden;
  for (std::string_view json :
       {kStatusJson, kStateJson, kEventJson, kFullEventJson, kCommandJson, kPairCommandJson,
        kAckJson, kOkAckJson, kDesiredJson, kReportedJson, kLinksJson, kGrantJson}) {
    golden.insert(std::string(json));
  }
  EXPECT_EQ(shown, golden);
}

}  // namespace
}  // namespace protocol::test
