// The access routes through a real listening server: every role against every endpoint, other
// sites' ids answered exactly like ids that exist nowhere, and hostile requests (malformed JSON,
// wrong types, unknown fields, SQL metacharacters, oversized bodies, no credentials).

#include "server/api/access_routes.hpp"

#include <functional>
#include <map>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/http/rfc3339.hpp"
#include "tests/server/access/world.hpp"
#include "tests/server/http/test_server.hpp"

namespace server::access {
namespace {

namespace json = boost::json;
using http::Verb;
using testing::FakeAccounts;
using testing::kDay;
using testing::World;

// The test's stand-in for identity's authenticate(): "Authorization: Bearer <account id>" of an
// account the fake identity knows.
api::Authenticate bearer(FakeAccounts& accounts) {
  return [&accounts](const http::Request& r) -> Result<std::string> {
    std::string_view h = r.header("Authorization");
    if (!h.starts_with("Bearer ")) return fail(Error(Errc::unauthenticated, "sign in first"));
    auto found = accounts.find(h.substr(7));
    if (!found.ok() || !*found) return fail(Error(Errc::unauthenticated, "sign in first"));
    return (*found)->id;
  };
}

struct Reply {
  unsigned status = 0;
  std::string body;
  json::value json() const { return json::parse(body); }
};

class AccessRoutesTest : public ::testing::Test {
 protected:
  AccessRoutesTest() {
    api::add_access_routes(router_, w_.access(), bearer(w_.accounts()));
    server_ = std::make_unique<http::testing::TestServer>(router_);
    w_.site("s1", "acc_owner");
    w_.unit("s1", "acc_owner", "101");
    w_.unit("s1", "acc_owner", "102");
    w_.site("s2", "acc_other");
    w_.unit("s2", "acc_other", "201");
  }
  ~AccessRoutesTest() override { server_.reset(); }

  Reply call(const std::string& who, Verb method, const std::string& target,
             const std::string& body = {}, const std::string& content_type = "application/json") {
    auto socket = server_->connect();
    http::RawRequest request(method, target, 11);
    request.set(boost::beast::http::field::host, "localhost");
    if (!who.empty()) request.set(boost::beast::http::field::authorization, "Bearer " + who);
    if (!body.empty()) request.set(boost::beast::http::field::content_type, content_type);
    request.body() = body;
    request.prepare_payload();
    boost::beast::http::write(socket, request);
    boost::beast::flat_buffer buffer;
    auto response = http::testing::read_response(socket, buffer);
    return {response.result_int(), response.body()};
  }
  // A membership set up directly (the route under test is not the one making it).
  Membership member(const std::string& account, Role role,
                    std::optional<std::string> unit = std::nullopt,
                    std::optional<UnixMs> until = std::nullopt) {
    w_.accounts().add(account);
    auto m = w_.access().memberships().grant("acc_owner", "s1", account,
                                             Grant{role, unit, {}, until, {}});
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? *m : Membership{};
  }

  void cancel_pending() {
    auto mine = w_.access().transfers().list_mine("acc_owner");
    ASSERT_TRUE(mine.ok());
    for (const Transfer& t : *mine) {
      if (t.status != TransferStatus::pending) continue;
      EXPECT_TRUE(w_.access().transfers().cancel("acc_owner", t.id).ok());
    }
  }

  // A fresh pending transfer of s1 from its owner to a new account `heir`; its id.
  std::string offer(const std::string& heir) {
    cancel_pending();
    w_.accounts().add(heir);
    auto t = w_.access().transfers().start("acc_owner", "s1", heir + "@example.test");
    EXPECT_TRUE(t.ok());
    return t.ok() ? t->id : std::string();
  }

  World w_;
  http::Router router_;
  std::unique_ptr<http::testing::TestServer> server_;
};

TEST_F(AccessRoutesTest, CreatingASiteMakesTheCallerItsOwner) {
  w_.accounts().add("acc_ana");
  Reply created = call("acc_ana", Verb::post, "/api/v1/sites",
                       R"({"id":"maple-12","name":"12 Maple St","timezone":"Europe/London"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.json().at("my_roles").as_array().at(0).as_string(), "owner");
  Reply got = call("acc_ana", Verb::get, "/api/v1/sites/maple-12");
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(got.json().at("timezone").as_string(), "Europe/London");
  EXPECT_EQ(got.json().at("my_actions").as_array().size(), kActionCount);
  Reply list = call("acc_ana", Verb::get, "/api/v1/sites");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.json().at("sites").as_array().size(), 1u);
}

TEST_F(AccessRoutesTest, OtherSitesIdsAreAnsweredExactlyLikeIdsThatExistNowhere) {
  const std::pair<Verb, std::string> probes[] = {{Verb::get, ""},
                                                 {Verb::get, "/units"},
                                                 {Verb::get, "/units/201"},
                                                 {Verb::get, "/people"},
                                                 {Verb::patch, "/units/201"},
                                                 {Verb::delete_, "/units/201"},
                                                 {Verb::post, "/transfers"},
                                                 {Verb::post, "/accounts/acc_other/suspend"}};
  for (const auto& [method, rest] : probes) {
    const std::string body = method == Verb::patch ? R"({"name":"x"})"
                             : method == Verb::post && rest == "/transfers"
                                 ? R"({"email":"a@example.test"})"
                                 : "";
    Reply other = call("acc_owner", method, "/api/v1/sites/s2" + rest, body);
    Reply none = call("acc_owner", method, "/api/v1/sites/s9" + rest, body);
    EXPECT_EQ(other.status, 404u) << rest << " " << other.body;
    EXPECT_EQ(other.body, none.body) << rest;
  }
  // And the other site's owner still has everything.
  EXPECT_EQ(call("acc_other", Verb::get, "/api/v1/sites/s2/units/201").status, 200u);
}

TEST_F(AccessRoutesTest, EveryRoleAgainstEveryEndpoint) {
  const UnixMs soon = w_.now() + kDay;
  member("acc_manager", Role::manager);
  member("acc_maintenance", Role::maintenance, "101");
  member("acc_resident", Role::resident, "101");
  member("acc_guest", Role::guest, "101");
  member("acc_support", Role::support);
  w_.accounts().add("acc_stranger");
  const std::vector<std::string> who = {"acc_owner",    "acc_manager", "acc_maintenance",
                                        "acc_resident", "acc_guest",   "acc_support",
                                        "acc_stranger"};
  int fresh = 0;
  auto next = [&fresh](const std::string& prefix) { return prefix + std::to_string(++fresh); };

  struct Endpoint {
    std::string name;
    // Prepares a fresh target and returns method, path and body.
    std::function<std::tuple<Verb, std::string, std::string>()> request;
    std::vector<unsigned> expected;  // in the order of `who`
  };
  const std::string until = "\"" + http::format_rfc3339(soon) + "\"";
  std::vector<Endpoint> endpoints = {
      {"get site",
       [] {
         return std::tuple{Verb::get, "/api/v1/sites/s1", ""};
       },
       {200, 200, 200, 200, 200, 200, 404}},
      {"list units",
       [] {
         return std::tuple{Verb::get, "/api/v1/sites/s1/units", ""};
       },
       {200, 200, 200, 200, 200, 200, 404}},
      {"create unit",
       [&] {
         return std::tuple{Verb::post, "/api/v1/sites/s1/units",
                           R"({"id":")" + next("u") + R"(","name":"New"})"};
       },
       {201, 201, 403, 403, 403, 403, 404}},
      {"get unit",
       [] {
         return std::tuple{Verb::get, "/api/v1/sites/s1/units/101", ""};
       },
       {200, 200, 200, 200, 200, 200, 404}},
      {"rename unit",
       [] {
         return std::tuple{Verb::patch, "/api/v1/sites/s1/units/101", R"({"name":"x"})"};
       },
       {200, 200, 403, 403, 403, 403, 404}},
      {"remove unit",
       [&] {
         const std::string id = next("gone");
         EXPECT_TRUE(w_.access().units().create("acc_owner", "s1", {"s1", id, "Gone"}).ok());
         return std::tuple{Verb::delete_, "/api/v1/sites/s1/units/" + id, ""};
       },
       // A unit membership does not cover another unit: to its holder it is not there.
       {204, 204, 404, 404, 404, 403, 404}},
      {"list people",
       [] {
         return std::tuple{Verb::get, "/api/v1/sites/s1/people", ""};
       },
       {200, 200, 403, 403, 403, 200, 404}},
      {"invite guest",
       [&] {
         return std::tuple{Verb::post, "/api/v1/sites/s1/people",
                           R"({"email":")" + next("g") +
                               R"(@example.test","role":"guest","unit":"101","valid_until":)" +
                               until + "}"};
       },
       {201, 201, 403, 201, 403, 403, 404}},
      {"change role",
       [&] {
         Membership m = member(next("acc_g"), Role::guest, "101", soon);
         return std::tuple{Verb::patch, "/api/v1/sites/s1/people/" + m.id,
                           R"({"role":"resident"})"};
       },
       {200, 200, 403, 403, 403, 403, 404}},
      {"end membership",
       [&] {
         Membership m = member(next("acc_g"), Role::guest, "101", soon);
         return std::tuple{Verb::delete_, "/api/v1/sites/s1/people/" + m.id, ""};
       },
       {204, 204, 403, 204, 403, 403, 404}},
      {"suspend",
       [&] {
         Membership m = member(next("acc_g"), Role::guest, "101", soon);
         return std::tuple{Verb::post, "/api/v1/sites/s1/accounts/" + m.account + "/suspend", ""};
       },
       {204, 204, 403, 403, 403, 403, 404}},
      {"reinstate",
       [&] {
         Membership m = member(next("acc_g"), Role::guest, "101", soon);
         EXPECT_TRUE(w_.access().memberships().suspend("acc_owner", "s1", m.account).ok());
         return std::tuple{Verb::post, "/api/v1/sites/s1/accounts/" + m.account + "/reinstate", ""};
       },
       {204, 204, 403, 403, 403, 403, 404}},
      {"start transfer",
       [&] {
         cancel_pending();
         return std::tuple{Verb::post, "/api/v1/sites/s1/transfers",
                           R"({"email":"acc_stranger@example.test"})"};
       },
       {201, 403, 403, 403, 403, 403, 404}},
      {"cancel transfer",
       [&] {
         return std::tuple{Verb::post, "/api/v1/transfers/" + offer(next("acc_heir")) + "/cancel",
                           ""};
       },
       {200, 404, 404, 404, 404, 404, 404}},
      {"list my sites",
       [] {
         return std::tuple{Verb::get, "/api/v1/sites", ""};
       },
       {200, 200, 200, 200, 200, 200, 200}},
      {"create a site of one's own",
       [&] {
         return std::tuple{Verb::post, "/api/v1/sites",
                           R"({"id":")" + next("own") + R"(","name":"Mine","timezone":"UTC"})"};
       },
       {201, 201, 201, 201, 201, 201, 201}},
      {"list transfers",
       [] {
         return std::tuple{Verb::get, "/api/v1/transfers", ""};
       },
       {200, 200, 200, 200, 200, 200, 200}},
      {"accept transfer",
       [&] {
         return std::tuple{Verb::post, "/api/v1/transfers/" + offer(next("acc_heir")) + "/accept",
                           ""};
       },
       // Nobody here is the recipient: the sender may not, everyone else cannot see it.
       {403, 404, 404, 404, 404, 404, 404}},
  };
  for (const Endpoint& e : endpoints) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      auto [method, path, body] = e.request();
      Reply r = call(who[i], method, path, body);
      EXPECT_EQ(r.status, e.expected[i]) << e.name << " by " << who[i] << ": " << r.body;
    }
  }
}

TEST_F(AccessRoutesTest, TheTransferFlowOverHttp) {
  w_.accounts().add("acc_bob");
  Reply started = call("acc_owner", Verb::post, "/api/v1/sites/s1/transfers",
                       R"({"email":"acc_bob@example.test"})");
  ASSERT_EQ(started.status, 201u) << started.body;
  const std::string id(started.json().at("id").as_string());
  Reply listed = call("acc_bob", Verb::get, "/api/v1/transfers");
  ASSERT_EQ(listed.status, 200u);
  EXPECT_EQ(listed.json().at("transfers").as_array().at(0).at("status").as_string(), "pending");
  Reply accepted = call("acc_bob", Verb::post, "/api/v1/transfers/" + id + "/accept");
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  EXPECT_EQ(accepted.json().at("status").as_string(), "accepted");
  EXPECT_EQ(call("acc_owner", Verb::get, "/api/v1/sites/s1").status, 404u);
  EXPECT_EQ(call("acc_bob", Verb::post, "/api/v1/transfers/" + id + "/cancel").status, 409u);
}

// The people page names people: each membership comes with its holder's email.
TEST_F(AccessRoutesTest, ThePeopleListNamesEachHolderByEmail) {
  member("acc_ana", Role::manager);
  Reply listed = call("acc_owner", Verb::get, "/api/v1/sites/s1/people");
  ASSERT_EQ(listed.status, 200u) << listed.body;
  const boost::json::value body = listed.json();
  bool found = false;
  for (const auto& p : body.at("people").as_array()) {
    if (p.at("account") != "acc_ana") continue;
    found = true;
    EXPECT_EQ(p.at("email").as_string(), "acc_ana@example.test");
  }
  EXPECT_TRUE(found) << listed.body;
}

TEST_F(AccessRoutesTest, NoCredentialsNoAnswer) {
  for (const auto& [method, path] :
       std::vector<std::pair<Verb, std::string>>{{Verb::get, "/api/v1/sites"},
                                                 {Verb::get, "/api/v1/sites/s1"},
                                                 {Verb::post, "/api/v1/sites"},
                                                 {Verb::get, "/api/v1/transfers"},
                                                 {Verb::delete_, "/api/v1/sites/s1/units/101"}}) {
    Reply r = call("", method, path);
    EXPECT_EQ(r.status, 401u) << path;
    EXPECT_EQ(call("acc_nobody", method, path).status, 401u) << path;
  }
}

TEST_F(AccessRoutesTest, HostileBodiesAreRefusedNamingWhatWasWrong) {
  struct Case {
    std::string path, body;
    unsigned status;
    std::string code, field;
  };
  const Case cases[] = {
      {"/api/v1/sites", "{", 400, "invalid_json", ""},
      {"/api/v1/sites", "[1,2]", 400, "invalid_json", ""},
      {"/api/v1/sites", R"({"id":5,"name":"n","timezone":"UTC"})", 400, "invalid_field", "id"},
      {"/api/v1/sites", R"({"id":"s5","name":"n"})", 400, "missing_field", "timezone"},
      {"/api/v1/sites", R"({"id":"s5","name":"n","timezone":"UTC","owner":"acc_x"})", 400,
       "invalid_field", "owner"},
      {"/api/v1/sites", R"({"id":"x'; DROP TABLE sites;--","name":"n","timezone":"UTC"})", 400,
       "invalid_field", "id"},
      {"/api/v1/sites", R"({"id":"s5","name":"n","timezone":"../../etc/passwd"})", 400,
       "invalid_field", "timezone"},
      {"/api/v1/sites/s1/people", R"({"email":"a@example.test","role":"admin"})", 400,
       "invalid_field", "role"},
      {"/api/v1/sites/s1/people", R"({"email":"a@example.test","role":["owner"]})", 400,
       "invalid_field", "role"},
      {"/api/v1/sites/s1/people",
       R"({"email":"a@example.test","role":"guest","unit":"101","schedule":"Mo-Fr 8-5"})", 400,
       "invalid_field", "schedule"},
      {"/api/v1/sites/s1/people",
       R"({"email":"a@example.test","role":"guest","valid_until":"tomorrow"})", 400,
       "invalid_field", "valid_until"},
      {"/api/v1/sites/s1/people", R"({"email":"a@example.test","role":"guest","unit":101})", 400,
       "invalid_field", "unit"},
      {"/api/v1/sites/s1/transfers", R"({"email":true})", 400, "invalid_field", "email"},
  };
  for (const Case& c : cases) {
    Reply r = call("acc_owner", Verb::post, c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.body << " -> " << r.body;
    if (r.status != c.status) continue;
    auto error = r.json().at("error").as_object();
    EXPECT_EQ(error.at("code").as_string(), c.code) << c.body;
    if (!c.field.empty()) {
      EXPECT_EQ(error.at("field").as_string(), c.field) << c.body;
    }
  }
  EXPECT_EQ(call("acc_owner", Verb::post, "/api/v1/sites",
                 R"({"id":"s5","name":"n","timezone":"UTC"})", "text/plain")
                .status,
            415u);
  EXPECT_EQ(call("acc_owner", Verb::post, "/api/v1/sites",
                 R"({"id":"s5","name":")" + std::string(2000, 'n') + R"(","timezone":"UTC"})")
                .status,
            413u);
  // None of it left a trace.
  EXPECT_EQ(call("acc_owner", Verb::get, "/api/v1/sites").json().at("sites").as_array().size(), 1u);
}

TEST_F(AccessRoutesTest, SqlMetacharactersInThePathFindNothing) {
  for (const char* path : {"/api/v1/sites/s1'%20OR%20'1'='1", "/api/v1/sites/s1%27--",
                           "/api/v1/sites/%25", "/api/v1/sites/s1/units/101'%20OR%20'1'='1",
                           "/api/v1/sites/s1/units/%25", "/api/v1/sites/s_"}) {
    EXPECT_EQ(call("acc_owner", Verb::get, path).status, 404u) << path;
  }
  EXPECT_EQ(call("acc_owner", Verb::delete_, "/api/v1/sites/s1/people/mem_'%20OR%20'1'='1").status,
            404u);
  EXPECT_EQ(
      call("acc_owner", Verb::get, "/api/v1/sites/s1/units").json().at("units").as_array().size(),
      2u);
}

}  // namespace
}  // namespace server::access
