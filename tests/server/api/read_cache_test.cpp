// Who may do what is kept between requests (the session by its token, the account, the site and
// the caller's memberships there: server/access/generation.hpp), and the answer must be exactly
// the one a fresh read would give. Each test asks twice first, so that the second answer came from
// what was kept, then changes the world the way a person would (over HTTP where a route exists)
// and asks again: the very next request must see the change. Nothing here waits for anything to
// go stale: there is no time-to-live to wait for.

#include <gtest/gtest.h>

#include "server/access/memberships.hpp"
#include "tests/server/api/site_world.hpp"

namespace server::api {
namespace {

using http::Verb;
using testsupport::Reply;

constexpr const char* kDoor = "/api/v1/sites/s1/locks/u204";

class ReadCacheTest : public ::testing::Test {
 protected:
  unsigned get(const std::string& token, const std::string& target = kDoor) {
    return w_.server.get(target, token).status;
  }
  // Reads the door twice as `token`: the second answer comes from what the first one kept.
  void warm(const std::string& token, const std::string& target = kDoor) {
    ASSERT_EQ(get(token, target), 200u);
    ASSERT_EQ(get(token, target), 200u);
  }
  // The membership of `who` at s1, as the manager lists it.
  std::string membership_of(const std::string& who) {
    Reply people = w_.server.get("/api/v1/sites/s1/people", w_.tokens["manager"]);
    EXPECT_EQ(people.status, 200u) << people.text;
    if (people.status != 200) return {};
    for (const auto& p : people.body.at("people").as_array())
      if (p.at("account").as_string() == w_.accounts[who])
        return std::string(p.at("id").as_string());
    ADD_FAILURE() << who << " has no membership at s1";
    return {};
  }
  Reply sign_in(const std::string& who) {
    return w_.server.post("/api/v1/sessions",
                          {{"email", who + "@example.test"}, {"password", testing::kPassword}}, {});
  }

  testing::SiteWorld w_;
};

TEST_F(ReadCacheTest, ASuspendedAccountsSessionIsRefusedOnTheNextRequest) {
  const std::string token = w_.tokens["resident"];
  warm(token);
  ASSERT_TRUE(w_.server.on_server([&] {
    return w_.server.node().identity().accounts().suspend(w_.accounts["resident"], "system:test",
                                                          "test");
  }));
  EXPECT_EQ(get(token), 401u);
  // Reinstated, the account is active again, but the sessions suspension ended stay ended.
  ASSERT_TRUE(w_.server.on_server([&] {
    return w_.server.node().identity().accounts().reactivate(w_.accounts["resident"],
                                                             "system:test");
  }));
  EXPECT_EQ(get(token), 401u);
  const Reply again = sign_in("resident");
  ASSERT_EQ(again.status, 201u) << again.text;
  EXPECT_EQ(get(again.str("access_token")), 200u);
}

TEST_F(ReadCacheTest, SigningOutEndsTheSessionOnTheNextRequest) {
  const std::string token = w_.tokens["resident"];
  warm(token);
  ASSERT_EQ(w_.server.call({Verb::delete_, "/api/v1/sessions/current", {}, token}).status, 204u);
  EXPECT_EQ(get(token), 401u);
  EXPECT_EQ(get(w_.tokens["guest"]), 200u) << "someone else's session is untouched";
}

TEST_F(ReadCacheTest, AnAccessTokenExpiresOnTheClockWhileItsSessionIsKept) {
  const std::string token = w_.tokens["resident"];
  warm(token);
  // Access tokens last 15 minutes from sign-in (the virtual clock has not moved since).
  w_.server.advance(std::chrono::minutes(15) - std::chrono::milliseconds(1));
  EXPECT_EQ(get(token), 200u);
  w_.server.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(get(token), 401u);
}

TEST_F(ReadCacheTest, ARefreshRetiresTheOldAccessTokenOnTheNextRequest) {
  const Reply in = sign_in("resident");
  ASSERT_EQ(in.status, 201u) << in.text;
  const std::string old_token = in.str("access_token");
  warm(old_token);
  const Reply refreshed =
      w_.server.post("/api/v1/sessions/refresh", {{"refresh_token", in.str("refresh_token")}}, {});
  ASSERT_EQ(refreshed.status, 200u) << refreshed.text;
  EXPECT_EQ(get(old_token), 401u);
  EXPECT_EQ(get(refreshed.str("access_token")), 200u);
}

TEST_F(ReadCacheTest, APasswordChangeEndsTheOtherSessionsOnTheNextRequest) {
  const std::string other = w_.tokens["resident"];
  const Reply in = sign_in("resident");
  ASSERT_EQ(in.status, 201u) << in.text;
  const std::string current = in.str("access_token");
  warm(other);
  warm(current);
  const Reply changed = w_.server.call(
      {Verb::put, "/api/v1/me/password",
       R"({"current_password":"correct horse 204","new_password":"a new and longer secret 9"})",
       current});
  ASSERT_EQ(changed.status, 204u) << changed.text;
  EXPECT_EQ(get(other), 401u);
  EXPECT_EQ(get(current), 200u);
}

TEST_F(ReadCacheTest, AMovedOutResidentsDoorVanishesOnTheNextRequest) {
  const std::string token = w_.tokens["resident"];
  warm(token);
  warm(token, "/api/v1/sites/s1/locks/lobby");
  const std::string membership = membership_of("resident");
  ASSERT_FALSE(membership.empty());
  const Reply ended = w_.server.call(
      {Verb::delete_, "/api/v1/sites/s1/people/" + membership, {}, w_.tokens["manager"]});
  ASSERT_EQ(ended.status, 204u) << ended.text;
  // Moved out: the site and its doors are as if they did not exist, the common door included.
  EXPECT_EQ(get(token), 404u);
  EXPECT_EQ(get(token, "/api/v1/sites/s1/locks/lobby"), 404u);
  EXPECT_EQ(get(token, "/api/v1/sites/s1"), 404u);
}

TEST_F(ReadCacheTest, ARoleChangeTakesEffectOnTheNextRequest) {
  // Maintenance sees the fleet's health; made a (site-wide) guest, it does not.
  const std::string token = w_.tokens["maintenance"];
  warm(token, "/api/v1/sites/s1/hubs");
  const std::string membership = membership_of("maintenance");
  ASSERT_FALSE(membership.empty());
  const Reply changed = w_.server.call({Verb::patch, "/api/v1/sites/s1/people/" + membership,
                                        R"({"role":"guest"})", w_.tokens["owner"]});
  ASSERT_EQ(changed.status, 200u) << changed.text;
  EXPECT_EQ(get(token, "/api/v1/sites/s1/hubs"), 403u);
  EXPECT_EQ(get(token), 200u) << "a guest still sees the door's state";
}

TEST_F(ReadCacheTest, AnAccountSuspendedAtTheSiteIsRefusedOnTheNextRequest) {
  const std::string token = w_.tokens["resident"];
  warm(token);
  // The manager suspends the resident's account at the site, then reinstates it.
  const auto act = [&](const std::string& what) {
    return w_.server
        .call({Verb::post,
               "/api/v1/sites/s1/accounts/" + w_.accounts["resident"] + "/" + what,
               {},
               w_.tokens["manager"]})
        .status;
  };
  ASSERT_EQ(act("suspend"), 204u);
  EXPECT_EQ(get(token), 403u);
  ASSERT_EQ(act("reinstate"), 204u);
  EXPECT_EQ(get(token), 200u);
}

TEST_F(ReadCacheTest, AGuestsWindowEndsOnTheClockWhileTheRowsAreKept) {
  const std::string guest = w_.make_account("visitor");
  const lockcore::UnixMs now = w_.server.clock().now();
  auto granted = w_.server.on_server([&] {
    return w_.server.node().access().memberships().grant(
        w_.accounts["owner"], "s1", guest,
        {access::Role::guest, "204", now + 60'000, now + 600'000, std::nullopt});
  });
  ASSERT_TRUE(granted) << granted.error().message;
  const Reply in = sign_in("visitor");  // its access token outlives the window
  ASSERT_EQ(in.status, 201u) << in.text;
  const std::string token = in.str("access_token");
  // Not started yet: visible, but it counts for nothing.
  EXPECT_EQ(get(token), 403u);
  EXPECT_EQ(get(token), 403u);
  w_.server.advance(std::chrono::minutes(1));
  EXPECT_EQ(get(token), 200u);
  w_.server.advance(std::chrono::minutes(9) - std::chrono::milliseconds(1));
  warm(token);
  w_.server.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(get(token), 404u) << "the window is over: the site is gone from view";
}

}  // namespace
}  // namespace server::api
