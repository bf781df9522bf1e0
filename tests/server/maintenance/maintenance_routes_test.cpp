// The maintenance routes through a real listening server: every role against every endpoint,
// other sites' ids answered like ids that exist nowhere, and hostile requests (no credentials,
// malformed JSON, wrong types, unknown fields, SQL metacharacters, unknown filter values).

#include "server/api/maintenance_routes.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "tests/server/http/test_server.hpp"
#include "tests/server/maintenance/world.hpp"

namespace server::maintenance {
namespace {

namespace json = boost::json;
using http::Verb;
using testing::World;

struct Reply {
  unsigned status = 0;
  std::string body;
  json::value json() const { return json::parse(body); }
};

class MaintenanceRoutesTest : public ::testing::Test {
 protected:
  MaintenanceRoutesTest() {
    // The test's stand-in for identity: "Authorization: Bearer <account id>" of a known account.
    api::add_maintenance_routes(
        router_, w_.maintenance(), [this](const http::Request& r) -> Result<std::string> {
          std::string_view h = r.header("Authorization");
          auto found = w_.accounts().find(h.starts_with("Bearer ") ? h.substr(7) : "");
          if (!found.ok() || !*found) return fail(Error(Errc::unauthenticated, "sign in first"));
          return (*found)->id;
        });
    server_ = std::make_unique<http::testing::TestServer>(router_);
  }
  ~MaintenanceRoutesTest() override { server_.reset(); }

  Reply call(const std::string& who, Verb method, const std::string& target,
             const std::string& body = {}, const std::string& content_type = "application/json") {
    auto response = http::testing::call_as(*server_, who, method, target, body, content_type);
    return {response.result_int(), response.body()};
  }
  std::string open(const std::string& lock = "u204", const std::string& site = "s1") {
    auto opened = w_.signals().on_hardware_fault(site, lock, Fault::motor, w_.now());
    EXPECT_TRUE(opened.ok() && *opened);
    return opened.ok() && *opened ? (*opened)->id : std::string();
  }
  static std::string orders(const std::string& site = "s1") {
    return "/api/v1/sites/" + site + "/work_orders";
  }

  World w_;
  http::Router router_;
  std::unique_ptr<http::testing::TestServer> server_;
};

TEST_F(MaintenanceRoutesTest, TheTeamListsTakesAndClosesThroughTheApi) {
  const std::string id = open();
  Reply list = call("acc_maint", Verb::get, orders() + "?status=open&kind=lock_hardware");
  ASSERT_EQ(list.status, 200u) << list.body;
  const json::value body = list.json();
  const auto& all = body.at("work_orders").as_array();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].at("id").as_string(), id);
  EXPECT_EQ(all[0].at("lock").as_string(), "u204");
  EXPECT_TRUE(all[0].at("hub").is_null());
  EXPECT_EQ(all[0].at("kind").as_string(), "lock_hardware");
  EXPECT_EQ(all[0].at("opened_at").as_string(), "2024-01-15T12:00:00.000Z");

  Reply taken = call("acc_maint", Verb::post, orders() + "/" + id + "/take");
  ASSERT_EQ(taken.status, 200u) << taken.body;
  EXPECT_EQ(taken.json().at("status").as_string(), "taken");
  EXPECT_EQ(taken.json().at("taken_by").as_string(), "acc_maint");

  Reply closed =
      call("acc_maint", Verb::post, orders() + "/" + id + "/close", R"({"note":"new motor"})");
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.json().at("status").as_string(), "closed");
  EXPECT_EQ(closed.json().at("closed_note").as_string(), "new motor");
  EXPECT_EQ(call("acc_maint", Verb::get, orders() + "?status=open")
                .json()
                .at("work_orders")
                .as_array()
                .size(),
            0u);
  Reply again =
      call("acc_maint", Verb::post, orders() + "/" + id + "/close", R"({"note":"again"})");
  EXPECT_EQ(again.status, 409u) << again.body;
}

TEST_F(MaintenanceRoutesTest, EveryRoleAgainstEveryEndpoint) {
  const std::vector<std::string> who = {"acc_owner", "acc_manager", "acc_maint", "acc_resident",
                                        "acc_guest", "acc_support", "acc_other"};
  struct Endpoint {
    std::string name;
    std::function<std::tuple<Verb, std::string, std::string>()> request;
    std::vector<unsigned> expected;  // in the order of `who`
  };
  int n = 0;
  std::vector<Endpoint> endpoints = {
      {"list",
       [&] {
         return std::tuple{Verb::get, orders(), std::string()};
       },
       {200, 200, 200, 403, 403, 403, 404}},
      {"take",
       [&] {
         return std::tuple{Verb::post, orders() + "/" + open("t" + std::to_string(++n)) + "/take",
                           std::string()};
       },
       {200, 200, 200, 403, 403, 403, 404}},
      {"close",
       [&] {
         return std::tuple{Verb::post, orders() + "/" + open("c" + std::to_string(++n)) + "/close",
                           std::string(R"({"note":"done"})")};
       },
       {200, 200, 200, 403, 403, 403, 404}},
      {"battery forecast",
       [&] {
         return std::tuple{Verb::get, std::string("/api/v1/sites/s1/battery_forecasts/u204"),
                           std::string()};
       },
       {200, 200, 200, 403, 403, 200, 404}},
  };
  for (const Endpoint& e : endpoints) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      auto [method, target, body] = e.request();
      Reply r = call(who[i], method, target, body);
      EXPECT_EQ(r.status, e.expected[i]) << e.name << " as " << who[i] << ": " << r.body;
    }
    auto [method, target, body] = e.request();
    EXPECT_EQ(call("", method, target, body).status, 401u) << e.name;
    EXPECT_EQ(call("acc_stranger", method, target, body).status, 401u) << e.name;
  }
}

TEST_F(MaintenanceRoutesTest, OtherSitesIdsAreAnsweredExactlyLikeIdsThatExistNowhere) {
  const std::string theirs = open("front", "s2");
  for (const std::string rest : {"/take", "/close"}) {
    const std::string body = rest == "/close" ? R"({"note":"x"})" : "";
    Reply other = call("acc_maint", Verb::post, orders("s1") + "/" + theirs + rest, body);
    Reply none = call("acc_maint", Verb::post, orders("s1") + "/wo_nothing" + rest, body);
    EXPECT_EQ(other.status, 404u) << rest << other.body;
    EXPECT_EQ(other.body, none.body) << rest;
    Reply their_site = call("acc_maint", Verb::post, orders("s2") + "/" + theirs + rest, body);
    Reply no_site = call("acc_maint", Verb::post, orders("s9") + "/" + theirs + rest, body);
    EXPECT_EQ(their_site.status, 404u);
    EXPECT_EQ(their_site.body, no_site.body);
  }
  EXPECT_EQ(call("acc_maint", Verb::get, orders("s2")).status, 404u);
  EXPECT_EQ(w_.orders_at("s2")[0].status, OrderStatus::open);
}

TEST_F(MaintenanceRoutesTest, HostileRequestsChangeNothing) {
  const std::string id = open();
  const std::string close = orders() + "/" + id + "/close";
  const std::pair<std::string, unsigned> bodies[] = {
      {"", 400},                                 // no body at all
      {"{", 400},                                // not JSON
      {"[]", 400},                               // not an object
      {R"({"note":42})", 400},                   // wrong type
      {R"({"note":""})", 400},                   // empty
      {R"({"note":"x","status":"open"})", 400},  // unknown field
      {R"({"notes":"x"})", 400},                 // misspelt: note missing, notes unknown
      {R"({"note":")" + std::string(2001, 'a') + R"("})", 413},  // over the body limit
  };
  for (const auto& [body, status] : bodies) {
    Reply r = call("acc_maint", Verb::post, close, body);
    EXPECT_EQ(r.status, status) << body.substr(0, 40) << ": " << r.body;
  }
  EXPECT_EQ(call("acc_maint", Verb::post, close, R"({"note":"x"})", "text/plain").status, 415u);
  // SQL metacharacters in ids and filters are just ids that match nothing.
  EXPECT_EQ(call("acc_maint", Verb::post, orders() + "/wo_x'%20OR%20'1'%3D'1/take").status, 404u);
  EXPECT_EQ(call("acc_maint", Verb::get, "/api/v1/sites/s1'%3B--/work_orders").status, 404u);
  Reply bad_status = call("acc_maint", Verb::get, orders() + "?status=open'%20OR%201%3D1");
  EXPECT_EQ(bad_status.status, 400u);
  EXPECT_EQ(bad_status.json().at("error").at("field").as_string(), "status");
  EXPECT_EQ(call("acc_maint", Verb::get, orders() + "?kind=jam").status, 400u);
  EXPECT_EQ(call("acc_maint", Verb::get, "/api/v1/sites/s1/battery_forecasts/u2%2004").status,
            400u);
  ASSERT_EQ(w_.orders_at().size(), 1u);
  EXPECT_EQ(w_.orders_at()[0].status, OrderStatus::open);
}

TEST_F(MaintenanceRoutesTest, TheBatteryForecastIsThereToChart) {
  const UnixMs start = w_.now();
  for (int day = 0; day <= 4; ++day) {
    w_.advance_to(start + day * testing::kDay);
    ASSERT_TRUE(w_.signals().on_battery_sample("s1", "u204", 90 - 2 * day, 5900, w_.now()).ok());
  }
  Reply r = call("acc_manager", Verb::get, "/api/v1/sites/s1/battery_forecasts/u204");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json().at("samples").as_array().size(), 5u);
  EXPECT_EQ(r.json().at("forecast").at("empty_at").as_string(), "2024-02-29T12:00:00.000Z");
  Reply none = call("acc_manager", Verb::get, "/api/v1/sites/s1/battery_forecasts/u999");
  ASSERT_EQ(none.status, 200u);
  EXPECT_TRUE(none.json().at("forecast").is_null());
}

}  // namespace
}  // namespace server::maintenance
