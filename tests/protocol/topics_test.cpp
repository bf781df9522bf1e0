// Topics: building, parsing, the server's subscriptions and the broker ACL of locks and hubs.
#include "protocol/topics.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "protocol/messages.hpp"

namespace protocol::test {
namespace {

const lockcore::DeviceId kSite = lockcore::DeviceId::from("s1");
const lockcore::DeviceId kLock = lockcore::DeviceId::from("front-door");

std::vector<AclEntry> sorted(std::vector<AclEntry> acl) {
  std::sort(acl.begin(), acl.end(),
            [](const AclEntry& a, const AclEntry& b) { return a.topic < b.topic; });
  return acl;
}

TEST(Topics, EveryChannelBuildsAndParsesBack) {
  for (const ChannelInfo& c : channels()) {
    Topic topic{kSite, kLock, c.channel};
    std::string text = make_topic(topic);
    EXPECT_EQ(text, "latchkey/v1/s1/front-door/" + std::string(c.suffix));
    auto parsed = parse_topic(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(*parsed, topic);
  }
}

TEST(Topics, TwoLevelChannels) {
  EXPECT_EQ(make_topic("s", "l", Channel::shadow_desired), "latchkey/v1/s/l/shadow/desired");
  EXPECT_EQ(make_topic("s", "l", Channel::shadow_reported), "latchkey/v1/s/l/shadow/reported");
}

TEST(Topics, ChannelTableMatchesTheDesign) {
  EXPECT_EQ(channels().size(), 8u);
  EXPECT_TRUE(info(Channel::status).retained);
  EXPECT_TRUE(info(Channel::state).retained);
  EXPECT_FALSE(info(Channel::event).retained);
  EXPECT_FALSE(info(Channel::cmd).retained);
  EXPECT_FALSE(info(Channel::ack).retained);
  EXPECT_TRUE(info(Channel::shadow_desired).retained);
  EXPECT_TRUE(info(Channel::shadow_reported).retained);
  EXPECT_TRUE(info(Channel::links).retained);
  EXPECT_EQ(info(Channel::cmd).flow, Flow::to_device);
  EXPECT_EQ(info(Channel::shadow_desired).flow, Flow::to_device);
  EXPECT_EQ(info(Channel::ack).flow, Flow::from_device);
}

struct BadTopic {
  const char* topic;
  DecodeErrorCode code;
  const char* field;
};

TEST(Topics, ParseRefusesWithCodeAndField) {
  const BadTopic cases[] = {
      {"", DecodeErrorCode::bad_topic, ""},
      {"latchkey/v2/s/l/state", DecodeErrorCode::bad_topic, ""},
      {"/latchkey/v1/s/l/state", DecodeErrorCode::bad_topic, ""},
      {"latchkey/v1/s", DecodeErrorCode::bad_topic, ""},
      {"latchkey/v1/s/l", DecodeErrorCode::bad_topic, ""},
      {"latchkey/v1//l/state", DecodeErrorCode::bad_id, "site"},
      {"latchkey/v1/+/l/state", DecodeErrorCode::bad_id, "site"},
      {"latchkey/v1/s/#/state", DecodeErrorCode::bad_id, "device"},
      {"latchkey/v1/s/l l/state", DecodeErrorCode::bad_id, "device"},
      {"latchkey/v1/s/l/", DecodeErrorCode::bad_enum, "channel"},
      {"latchkey/v1/s/l/State", DecodeErrorCode::bad_enum, "channel"},
      {"latchkey/v1/s/l/shadow", DecodeErrorCode::bad_enum, "channel"},
      {"latchkey/v1/s/l/shadow/desired/x", DecodeErrorCode::bad_enum, "channel"},
      {"latchkey/v1/s/l/state/", DecodeErrorCode::bad_enum, "channel"},
      {"latchkey/v1/s/l/shadow_desired", DecodeErrorCode::bad_enum, "channel"},
  };
  for (const BadTopic& c : cases) {
    SCOPED_TRACE(c.topic);
    auto parsed = parse_topic(c.topic);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, c.code) << parsed.error().message;
    EXPECT_EQ(parsed.error().field, c.field);
  }
  std::string long_site(33, 's');
  auto parsed = parse_topic("latchkey/v1/" + long_site + "/l/state");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "site");
}

TEST(Topics, ServerSubscribesToEveryDeviceChannelAndNothingItPublishes) {
  std::vector<std::string> expected = {"latchkey/v1/+/+/status",          "latchkey/v1/+/+/state",
                                       "latchkey/v1/+/+/event",           "latchkey/v1/+/+/ack",
                                       "latchkey/v1/+/+/shadow/reported", "latchkey/v1/+/+/links"};
  EXPECT_EQ(server_filters(), expected);
  auto one_site = server_filters("s1");
  ASSERT_TRUE(one_site.ok());
  EXPECT_EQ(one_site->front(), "latchkey/v1/s1/+/status");
  EXPECT_EQ(one_site->size(), expected.size());
  auto wildcard = server_filters("#");
  ASSERT_FALSE(wildcard.ok());
  EXPECT_EQ(wildcard.error().code, DecodeErrorCode::bad_id);
}

TEST(Topics, LockAclIsExactlyItsOwnChannels) {
  auto acl = lock_acl("s1", "l1");
  ASSERT_TRUE(acl.ok());
  std::vector<AclEntry> expected = {
      {"latchkey/v1/s1/l1/status", Access::write},
      {"latchkey/v1/s1/l1/state", Access::write},
      {"latchkey/v1/s1/l1/event", Access::write},
      {"latchkey/v1/s1/l1/cmd", Access::read},
      {"latchkey/v1/s1/l1/ack", Access::write},
      {"latchkey/v1/s1/l1/shadow/desired", Access::read},
      {"latchkey/v1/s1/l1/shadow/reported", Access::write},
  };
  EXPECT_EQ(*acl, expected);
}

TEST(Topics, EveryAclTopicParsesToTheDevice) {
  // The ACL and the topic parser agree: every entry is a topic the codec accepts, for the device.
  std::vector<lockcore::DeviceId> locks = {lockcore::DeviceId::from("a3"),
                                           lockcore::DeviceId::from("b7")};
  auto acl = hub_acl("s1", "hub-1", locks);
  ASSERT_TRUE(acl.ok());
  for (const AclEntry& entry : *acl) {
    auto topic = parse_topic(entry.topic);
    ASSERT_TRUE(topic.ok()) << entry.topic;
    EXPECT_EQ(topic->site.view(), "s1");
    EXPECT_EQ(entry.access == Access::write, info(topic->channel).flow == Flow::from_device);
  }
}

TEST(Topics, HubAclCoversItselfAndEachLockBehindIt) {
  std::vector<lockcore::DeviceId> locks = {lockcore::DeviceId::from("a3")};
  auto acl = hub_acl("s1", "hub-1", locks);
  ASSERT_TRUE(acl.ok());
  std::vector<AclEntry> expected = {
      {"latchkey/v1/s1/hub-1/status", Access::write},
      {"latchkey/v1/s1/hub-1/links", Access::write},
  };
  auto lock = lock_acl("s1", "a3");
  ASSERT_TRUE(lock.ok());
  expected.insert(expected.end(), lock->begin(), lock->end());
  EXPECT_EQ(sorted(*acl), sorted(expected));
}

TEST(Topics, AclRefusesIdsThatWouldWidenAccess) {
  // An id containing a wildcard or a level separator would grant other devices' topics.
  EXPECT_EQ(lock_acl("+", "l1").error().field, "site");
  EXPECT_EQ(lock_acl("s1", "#").error().field, "lock");
  EXPECT_EQ(lock_acl("s1", "l1/cmd").error().code, DecodeErrorCode::bad_id);
  EXPECT_EQ(hub_acl("s1", "h+", {}).error().field, "hub");
  std::vector<lockcore::DeviceId> bad = {lockcore::DeviceId::from("ok"),
                                         lockcore::DeviceId::from("a/b")};
  auto refused = hub_acl("s1", "hub", bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, DecodeErrorCode::bad_id);
  EXPECT_EQ(refused.error().field, "locks[1]");
}

TEST(Topics, HubAclRefusesRepeatedLocksAndMoreThanItsLinksCanReport) {
  std::vector<lockcore::DeviceId> twice = {lockcore::DeviceId::from("a"),
                                           lockcore::DeviceId::from("a")};
  auto refused = hub_acl("s1", "hub", twice);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, DecodeErrorCode::duplicate_item);
  EXPECT_EQ(refused.error().field, "locks[1]");

  std::vector<lockcore::DeviceId> itself = {lockcore::DeviceId::from("hub")};
  EXPECT_EQ(hub_acl("s1", "hub", itself).error().code, DecodeErrorCode::duplicate_item);

  std::vector<lockcore::DeviceId> many;
  for (std::size_t i = 0; i <= kMaxHubLinks; ++i) {
    std::string id = "l";  // (not "l" + to_string(i): a false -Wrestrict in g++ 12 -O3)
    id += std::to_string(i);
    many.push_back(lockcore::DeviceId::from(id));
  }
  auto too_many = hub_acl("s1", "hub", many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, DecodeErrorCode::too_many_items);
  many.pop_back();
  EXPECT_TRUE(hub_acl("s1", "hub", many).ok());
}

}  // namespace
}  // namespace protocol::test
