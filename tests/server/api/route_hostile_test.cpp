// The integration routes (locks, hubs, codes, audit, commands) against hostile requests over real
// HTTP against a whole Node: malformed JSON, a body over the limit, wrong types, unknown fields,
// SQL metacharacters in ids and filters, and other sites' ids, which must answer exactly as ids
// that exist nowhere.

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "tests/server/api/site_world.hpp"

namespace server::api {
namespace {

namespace json = boost::json;
using http::Verb;
using testsupport::Call;
using testsupport::Reply;

class RouteHostileTest : public ::testing::Test {
 protected:
  Reply as(const std::string& who, Verb method, const std::string& target,
           const std::string& body = {}, const std::string& type = "application/json") {
    return w_.server.call({method, target, body, w_.tokens[who], type});
  }
  Reply code_post(const json::object& body, const std::string& who = "manager") {
    return as(who, Verb::post, "/api/v1/sites/s1/codes", json::serialize(body));
  }
  static json::object good_code() {
    return {{"name", "Dog walker"},
            {"kind", "guest"},
            {"locks", json::array{"u204"}},
            {"pin", "482913"},
            {"valid_until", "2026-02-01T00:00:00Z"},
            {"schedule", "Mo-Fr 08:00-17:00"}};
  }

  testing::SiteWorld w_;
};

TEST_F(RouteHostileTest, AWellFormedCodeIsMadeSoTheRefusalsBelowAreAboutTheirOneFlaw) {
  Reply made = code_post(good_code());
  ASSERT_EQ(made.status, 201u) << made.text;
  EXPECT_EQ(made.str("pin"), "482913");
  EXPECT_EQ(made.str("schedule"), "Mo-Fr 08:00-17:00");
  EXPECT_EQ(made.str("kind"), "guest");
  EXPECT_EQ(made.body.at("locks").at(0).at("lock"), "u204");
  EXPECT_EQ(made.body.at("locks").at(0).at("status"), "pending");
  Reply list = as("manager", Verb::get, "/api/v1/sites/s1/codes");
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.body.at("codes").as_array().size(), 1u);
  EXPECT_FALSE(list.body.at("codes").at(0).as_object().contains("pin")) << "a PIN is shown once";
}

TEST_F(RouteHostileTest, MalformedJsonAndTheWrongMediaTypeAreRefusedBeforeAnythingHappens) {
  for (const std::string& body : {std::string("{"), std::string("[]"), std::string("null"),
                                  std::string("{\"name\":\"a\",}"), std::string("\xff\xfe")}) {
    Reply r = as("manager", Verb::post, "/api/v1/sites/s1/codes", body);
    EXPECT_EQ(r.status, 400u) << body << ": " << r.text;
    EXPECT_EQ(r.code(), "invalid_json") << body;
  }
  Reply text = as("manager", Verb::post, "/api/v1/sites/s1/codes", json::serialize(good_code()),
                  "text/plain");
  EXPECT_EQ(text.status, 415u) << text.text;
  EXPECT_EQ(as("manager", Verb::get, "/api/v1/sites/s1/codes").body.at("codes").as_array().size(),
            0u);
}

TEST_F(RouteHostileTest, ABodyOverTheLimitIs413) {
  json::object big = good_code();
  big["name"] = std::string(2 * 1024 * 1024, 'a');
  Reply r = code_post(big);
  EXPECT_EQ(r.status, 413u) << r.text.substr(0, 200);
  EXPECT_EQ(r.code(), "payload_too_large");
}

TEST_F(RouteHostileTest, WrongTypesUnknownFieldsAndBadValuesNameTheField) {
  struct Case {
    const char* field;
    json::value value;
  };
  const std::vector<Case> cases = {
      {"name", 42},
      {"name", ""},
      {"kind", "landlord"},
      {"locks", "u204"},
      {"locks", json::array{1, 2}},
      {"locks", json::array{}},
      {"locks", json::array{"u204", "u204"}},
      {"pin", 482913},
      {"pin", "12ab"},
      {"pin", "123"},
      {"pin", "123456789"},
      {"valid_until", "tomorrow"},
      {"valid_until", "2025-01-01T00:00:00Z"},  // passed
      {"schedule", "Mo-Fr 17:00-08:00"},
      {"schedule", 5},
      {"max_uses", -1},
      {"max_uses", 1.5},
      {"holder", "acc_x"},  // only staff codes name a holder
  };
  for (const Case& c : cases) {
    json::object body = good_code();
    body[c.field] = c.value;
    Reply r = code_post(body);
    EXPECT_EQ(r.status, 400u) << c.field << "=" << json::serialize(c.value) << ": " << r.text;
    EXPECT_EQ(r.field(), c.field) << c.field << "=" << json::serialize(c.value) << ": " << r.text;
  }
  json::object unknown = good_code();
  unknown["role"] = "owner";
  Reply r = code_post(unknown);
  EXPECT_EQ(r.status, 400u) << r.text;
  EXPECT_EQ(r.field(), "role");
  json::object missing = good_code();
  missing.erase("valid_until");  // a guest code must end
  r = code_post(missing);
  EXPECT_EQ(r.status, 400u) << r.text;
  EXPECT_EQ(r.field(), "valid_until");
  EXPECT_EQ(as("manager", Verb::get, "/api/v1/sites/s1/codes").body.at("codes").as_array().size(),
            0u)
      << "nothing refused was made";
}

TEST_F(RouteHostileTest, ALocksOwnPinLimitsAreCheckedBeforeSendingAndNamed) {
  EXPECT_TRUE(w_.server.on_server([&] {
    devices::LockSpec spec;
    spec.site = "s1";
    spec.id = "short";
    spec.name = "Short PINs";
    spec.pin_max = 6;
    return w_.server.node().devices().add_lock(spec, "system:test");
  }));
  json::object body = good_code();
  body["locks"] = json::array{"u204", "short"};
  body["pin"] = "12345678";
  Reply r = code_post(body);
  EXPECT_EQ(r.status, 400u) << r.text;
  EXPECT_EQ(r.field(), "pin");
  EXPECT_NE(r.text.find("short"), std::string::npos) << "names the lock: " << r.text;
  // The same PIN as another code on one lock: all or none.
  body["pin"] = "482913";
  ASSERT_EQ(code_post(body).status, 201u);
  body["name"] = "Second";
  body["locks"] = json::array{"lobby", "u204"};
  r = code_post(body);
  EXPECT_EQ(r.status, 409u) << r.text;
  EXPECT_EQ(r.field(), "pin");
  auto on_lobby =
      w_.server.on_server([&] { return w_.server.node().devices().placements_on("s1", "lobby"); });
  ASSERT_TRUE(on_lobby);
  for (const devices::Placement& p : *on_lobby)
    EXPECT_NE(p.status, devices::CredentialStatus::pending) << "the lobby kept no half of it";
}

TEST_F(RouteHostileTest, SqlMetacharactersInIdsAndFiltersAreJustIdsThatDoNotExist) {
  const std::vector<std::string> ids = {"u204'%20OR%20'1'='1", "u204%3B%20DROP%20TABLE%20codes",
                                        "%27%29--", "lobby%22"};
  for (const std::string& id : ids) {
    EXPECT_EQ(as("owner", Verb::post, "/api/v1/sites/s1/locks/" + id + "/unlock").status, 404u)
        << id;
    EXPECT_EQ(as("owner", Verb::get, "/api/v1/sites/s1/codes/" + id + "/progress").status, 404u)
        << id;
    EXPECT_EQ(as("owner", Verb::delete_, "/api/v1/sites/s1/codes/" + id).status, 404u) << id;
    EXPECT_EQ(as("owner", Verb::get, "/api/v1/sites/s1/commands/" + id).status, 404u) << id;
    EXPECT_EQ(as("owner", Verb::get, "/api/v1/sites/" + id + "/locks").status, 404u) << id;
  }
  Reply audit = as("owner", Verb::get, "/api/v1/sites/s1/audit?actor=x%27%20OR%201%3D1--");
  ASSERT_EQ(audit.status, 200u) << audit.text;
  EXPECT_EQ(audit.body.at("entries").as_array().size(), 0u);
  json::object body = good_code();
  body["locks"] = json::array{"u204' OR '1'='1"};
  Reply r = code_post(body);
  EXPECT_EQ(r.status, 400u) << r.text;
  EXPECT_EQ(r.field(), "locks");
  // The tables are still there and hold what they held.
  EXPECT_EQ(as("owner", Verb::get, "/api/v1/sites/s1/locks").body.at("locks").as_array().size(),
            2u);  // u204 and the lobby
}

TEST_F(RouteHostileTest, AnotherSitesIdsAnswerExactlyAsIdsThatExistNowhere) {
  const std::string code = w_.owner_code();
  // s1's owner asking about s2's lock, and s2's manager about s1's lock and code.
  Reply theirs = as("owner", Verb::post, "/api/v1/sites/s2/locks/e1/unlock");
  Reply nowhere = as("owner", Verb::post, "/api/v1/sites/s9/locks/e1/unlock");
  EXPECT_EQ(theirs.status, 404u);
  EXPECT_EQ(theirs.text, nowhere.text);
  Reply other_lock = as("owner", Verb::post, "/api/v1/sites/s1/locks/e1/unlock");
  Reply no_lock = as("owner", Verb::post, "/api/v1/sites/s1/locks/zz/unlock");
  EXPECT_EQ(other_lock.status, 404u);
  EXPECT_EQ(other_lock.text, no_lock.text);
  Reply their_code = as("other", Verb::get, "/api/v1/sites/s1/codes/" + code + "/progress");
  Reply no_code = as("other", Verb::get, "/api/v1/sites/s1/codes/code_nope/progress");
  EXPECT_EQ(their_code.status, 404u);
  EXPECT_EQ(their_code.text, no_code.text);
  // A code of s1 asked for under s2 by s2's manager: not there either.
  Reply cross = as("other", Verb::get, "/api/v1/sites/s2/codes/" + code + "/progress");
  EXPECT_EQ(cross.status, 404u);
  EXPECT_EQ(cross.text, as("other", Verb::get, "/api/v1/sites/s2/codes/code_nope/progress").text);
  // A resident cannot name another unit's door in a code.
  json::object body{{"name", "Mine"}, {"kind", "own"}, {"locks", json::array{"e1"}}};
  EXPECT_EQ(as("resident", Verb::post, "/api/v1/sites/s1/codes", json::serialize(body)).status,
            404u);
}

TEST_F(RouteHostileTest, AuditFiltersAreCheckedAndTheSiteIsAlwaysTheRoutes) {
  for (const char* q :
       {"type=not_a_type", "from=yesterday", "limit=0", "limit=501", "limit=ten", "before=-3"}) {
    Reply r = as("owner", Verb::get, std::string("/api/v1/sites/s1/audit?") + q);
    EXPECT_EQ(r.status, 400u) << q << ": " << r.text;
  }
  Reply page = as("owner", Verb::get, "/api/v1/sites/s1/audit?limit=2");
  ASSERT_EQ(page.status, 200u) << page.text;
  ASSERT_EQ(page.body.at("entries").as_array().size(), 2u);
  ASSERT_TRUE(page.body.at("next").is_string());
  Reply older =
      as("owner", Verb::get, "/api/v1/sites/s1/audit?limit=500&before=" + page.str("next"));
  ASSERT_EQ(older.status, 200u);
  for (const json::value& e : older.body.at("entries").as_array())
    EXPECT_LT(std::stoll(std::string(e.at("id").as_string())), std::stoll(page.str("next")));
  Reply all = as("owner", Verb::get, "/api/v1/sites/s1/audit?limit=500");
  for (const json::value& e : all.body.at("entries").as_array())
    EXPECT_NE(e.at("target"), "site:s2") << "s2's entries never show under s1";
  Reply sites = as("owner", Verb::get, "/api/v1/sites/s1/audit?type=site_created");
  ASSERT_EQ(sites.status, 200u);
  EXPECT_EQ(sites.body.at("entries").as_array().size(), 1u) << sites.text;
}

}  // namespace
}  // namespace server::api
