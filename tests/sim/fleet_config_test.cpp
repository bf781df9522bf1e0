// A fleet's shape: the standard fleet `latchkey sim` and `latchkey broker init` agree on, the
// checks a config passes before any lock exists, the broker logins derived from the protocol's
// ACL, and the per-lock values derived from the seed.

#include "sim/fleet_config.hpp"

#include <set>

#include <gtest/gtest.h>

#include "sim/broker_logins.hpp"
#include "sim/derive.hpp"
#include "sim/manifest.hpp"

namespace {

using sim::FleetConfig;
using sim::LockSpec;

TEST(StandardFleet, NamesLocksAndSpreadsThemOverHubsUpToTheirCapacity) {
  const FleetConfig small = sim::standard_fleet("s", 5, 2);
  ASSERT_EQ(small.locks.size(), 5u);
  EXPECT_EQ(small.locks[0].id, "lock-0001");
  EXPECT_EQ(small.locks[4].id, "lock-0005");
  EXPECT_EQ(small.hubs[0].id, "hub-01");
  EXPECT_EQ(small.locks[0].link, "hub-01");
  EXPECT_EQ(small.locks[1].link, "hub-02");
  EXPECT_EQ(small.locks[2].link, "hub-01");

  const FleetConfig big = sim::standard_fleet("s", 12345, 1);
  EXPECT_EQ(big.locks.back().id, "lock-12345");
  EXPECT_EQ(big.locks.front().id, "lock-00001");
  std::size_t behind = 0;
  for (const LockSpec& lock : big.locks)
    behind += lock.link == "hub-01" ? 1 : 0;
  EXPECT_EQ(behind, 64u);  // a hub links at most 64 locks; the rest are on Wi-Fi
  EXPECT_EQ(big.locks[64].link, "wifi");
  EXPECT_TRUE(sim::validate(big));

  for (const LockSpec& lock : sim::standard_fleet("s", 3, 0).locks)
    EXPECT_EQ(lock.link, "wifi");
}

std::string refusal(FleetConfig config) {
  auto valid = sim::validate(config);
  EXPECT_FALSE(valid);
  return valid ? std::string() : valid.error().message;
}

TEST(ValidateFleet, RefusesWhatNoFleetCouldRun) {
  const FleetConfig good = sim::standard_fleet("maple-court", 3, 1);
  ASSERT_TRUE(sim::validate(good));

  FleetConfig c = good;
  c.site = "maple court";
  EXPECT_EQ(refusal(c), R"(site "maple court" must be 1–32 characters of [A-Za-z0-9._-])");
  c = good;
  c.locks[1].id = c.locks[0].id;
  EXPECT_EQ(refusal(c),
            R"(lock "lock-0001": id is used twice (hubs and locks share one namespace))");
  c = good;
  c.locks[0].id = "hub-01";
  EXPECT_NE(refusal(c), "");
  c = good;
  c.locks[0].link = "hub-99";
  EXPECT_EQ(refusal(c),
            R"(lock "lock-0001": link "hub-99" is neither "wifi", "none" nor a declared hub)");
  c = good;
  c.locks[0].battery_pct = 101;
  EXPECT_NE(refusal(c), "");
  c = good;
  c.locks[0].slots = 0;
  EXPECT_NE(refusal(c), "");
  c = good;
  c.locks[0].slots = 251;
  EXPECT_NE(refusal(c), "");
  c = good;
  c.locks[0].firmware = "";
  EXPECT_NE(refusal(c), "");
  c = good;
  c.locks[0].firmware = "2.4.1/evil";
  EXPECT_NE(refusal(c), "");
  c = good;
  c.hubs.push_back(c.hubs[0]);
  EXPECT_EQ(refusal(c), R"(hub id "hub-01" is used twice)");
  c = sim::standard_fleet("s", 65, 1);
  c.locks[64].link = "hub-01";
  EXPECT_EQ(refusal(c), R"(lock "lock-0065": hub "hub-01" already links 64 locks)");
}

TEST(BrokerLogins, OneLoginPerConnectionWithTheProtocolsAcl) {
  FleetConfig config = sim::standard_fleet("s1", 3, 1);
  config.locks[2].link = "wifi";
  LockSpec unlinked;
  unlinked.id = "shed";
  unlinked.link = "none";
  config.locks.push_back(unlinked);
  auto logins = sim::fleet_broker_logins(config);
  ASSERT_TRUE(logins) << logins.error().message;
  ASSERT_EQ(logins->size(), 2u);  // the hub and the one Wi-Fi lock; the others have no connection
  EXPECT_EQ((*logins)[0].name, "hub/s1/hub-01");
  EXPECT_EQ((*logins)[1].name, "lock/s1/lock-0003");

  std::set<std::string> hub_topics;
  for (const auto& grant : (*logins)[0].grants)
    hub_topics.insert(grant.topic);
  EXPECT_TRUE(hub_topics.contains("latchkey/v1/s1/hub-01/links"));
  EXPECT_TRUE(hub_topics.contains("latchkey/v1/s1/lock-0001/cmd"));
  EXPECT_TRUE(hub_topics.contains("latchkey/v1/s1/lock-0002/state"));
  EXPECT_FALSE(hub_topics.contains("latchkey/v1/s1/lock-0003/state"));
  auto lock_acl = protocol::lock_acl("s1", "lock-0003");
  EXPECT_EQ((*logins)[1].grants, sim::to_grants(*lock_acl));

  config.site = "bad site";
  EXPECT_FALSE(sim::fleet_broker_logins(config));
}

TEST(Derive, PairingCodesAreLabelsDerivedFromTheSeedAndTheLock) {
  const std::string code = sim::pairing_code(42, "u204");
  ASSERT_EQ(code.size(), 29u);
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i % 6 == 5) {
      EXPECT_EQ(code[i], '-');
    } else {
      EXPECT_TRUE((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '2' && code[i] <= '7'));
    }
  }
  EXPECT_EQ(sim::pairing_code(42, "u204"), code);
  EXPECT_NE(sim::pairing_code(43, "u204"), code);
  EXPECT_NE(sim::pairing_code(42, "u205"), code);
  EXPECT_EQ(sim::lock_seed(42, "u204"), sim::lock_seed(42, "u204"));
  EXPECT_NE(sim::lock_seed(42, "u204"), sim::lock_seed(42, "u205"));
  EXPECT_NE(sim::lock_seed(42, "u204"), sim::lock_seed(43, "u204"));
  // Length-prefixed inputs: moving a character between parts changes the result.
  EXPECT_NE(sim::lock_seed(42, "u2040"), sim::lock_seed(42, "u204"));
}

TEST(Manifest, ListsEveryLockWithItsLabelAndEveryHubWithItsLocks) {
  FleetConfig config = sim::standard_fleet("s1", 2, 1, 9);
  const std::string json = sim::manifest_json(config);
  EXPECT_EQ(json.find(R"({"v":1,"site":"s1","seed":9,"locks":[{"id":"lock-0001","link":"hub-01",)"
                      R"("pairing_code":")" +
                      sim::pairing_code(9, "lock-0001") + "\""),
            0u)
      << json;
  EXPECT_NE(json.find(R"("hubs":[{"id":"hub-01","locks":["lock-0001","lock-0002"]}])"),
            std::string::npos)
      << json;
}

}  // namespace
