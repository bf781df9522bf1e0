// The live bus feeds the app's server-sent event streams: a stream sees its own site's updates
// and nothing of other sites, and streams come and go while updates are being delivered.

#include "server/live/bus.hpp"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace server::live {
namespace {

TEST(LiveBus, ASiteStreamSeesItsOwnSiteOnlyAndAnAllSitesStreamSeesEverything) {
  Bus bus;
  std::vector<std::string> maple, all;
  auto a = bus.subscribe("maple-court", [&](const Update& u) { maple.push_back(u.json); });
  auto b = bus.subscribe("", [&](const Update& u) { all.push_back(u.site); });
  bus.publish({"maple-court", "lock", R"({"lock":"u204"})"});
  bus.publish({"elm-house", "lock", R"({"lock":"d1"})"});
  EXPECT_EQ(maple, (std::vector<std::string>{R"({"lock":"u204"})"}));
  EXPECT_EQ(all, (std::vector<std::string>{"maple-court", "elm-house"}));
}

TEST(LiveBus, ALeavingStreamGetsNothingMore) {
  Bus bus;
  int seen = 0;
  auto sub = bus.subscribe("", [&](const Update&) { ++seen; });
  bus.publish({"s", "lock", "{}"});
  sub.reset();
  bus.publish({"s", "lock", "{}"});
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(bus.subscribers(), 0u);
}

TEST(LiveBus, AHandlerMayUnsubscribeAnotherDuringDelivery) {
  Bus bus;
  std::optional<Bus::Subscription> second;
  int second_calls = 0;
  auto first = bus.subscribe("", [&](const Update&) { second.reset(); });
  second = bus.subscribe("", [&](const Update&) { ++second_calls; });
  bus.publish({"s", "lock", "{}"});
  EXPECT_EQ(second_calls, 0);
  EXPECT_EQ(bus.subscribers(), 1u);
}

TEST(LiveBus, AHandlerMaySubscribeDuringDeliveryAndHearsOnlyLaterUpdates) {
  Bus bus;
  std::vector<Bus::Subscription> late;
  int late_calls = 0;
  auto first = bus.subscribe("", [&](const Update&) {
    late.push_back(bus.subscribe("", [&](const Update&) { ++late_calls; }));
  });
  bus.publish({"s", "lock", "{}"});
  EXPECT_EQ(late_calls, 0);
  bus.publish({"s", "lock", "{}"});
  EXPECT_EQ(late_calls, 1);
}

TEST(LiveBus, ASubscriptionMayOutliveItsBus) {
  Bus::Subscription sub;
  {
    Bus bus;
    sub = bus.subscribe("", [](const Update&) {});
  }
  sub.reset();  // must not touch the destroyed bus
  SUCCEED();
}

}  // namespace
}  // namespace server::live
