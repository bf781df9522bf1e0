// The lockout routes over real HTTP on a whole Node (tests/server/api/site_world.hpp): a resident
// reports and reads their case; an unknown caller's case is unverified (no code, no unlock in its
// plan); nobody reads another person's case; an action outside the plan is refused; a backup-code
// request is answered alike for every account; malformed bodies name their field.

#include <gtest/gtest.h>

#include "tests/server/api/site_world.hpp"

namespace server::lockout::testing {
namespace {

namespace json = boost::json;
using api::testing::SiteWorld;
using testsupport::Reply;

class LockoutRoutes : public ::testing::Test {
 protected:
  static json::object wizard() {
    return {{"site", "s1"}, {"door", "u204"}, {"symptoms", json::array{"code_rejected"}}};
  }
  Reply report(const std::string& who) {
    return w_.server.post("/api/v1/lockout/cases", wizard(), who.empty() ? "" : w_.tokens[who]);
  }
  static bool plans(const Reply& c, std::string_view action) {
    for (const auto& step : c.body.at("diagnosis").at("plan").as_array())
      if (step.at("action").as_string() == action) return true;
    return false;
  }
  Reply act(const std::string& who, const std::string& id, const std::string& action) {
    return w_.server.post("/api/v1/lockout/cases/" + id + "/actions", {{"action", action}},
                          w_.tokens[who]);
  }
  Reply ask_backup(const std::string& email) {
    return w_.server.post("/api/v1/lockout/backup-codes",
                          {{"site", "s1"}, {"door", "u204"}, {"by", "email"}, {"value", email}},
                          "");
  }

  SiteWorld w_;
};

TEST_F(LockoutRoutes, ASignedInResidentReportsACaseAndReadsIt) {
  Reply opened = report("resident");
  ASSERT_EQ(opened.status, 201u) << opened.text;
  EXPECT_EQ(opened.str("account"), w_.accounts["resident"]);
  EXPECT_EQ(opened.str("verification"), "session");
  EXPECT_EQ(opened.str("status"), "open");
  EXPECT_FALSE(opened.body.at("diagnosis").at("causes").as_array().empty());
  Reply read = w_.server.get("/api/v1/lockout/cases/" + opened.str("id"), w_.tokens["resident"]);
  ASSERT_EQ(read.status, 200u) << read.text;
  EXPECT_EQ(read.str("id"), opened.str("id"));
  EXPECT_EQ(read.body.at("diagnosis"), opened.body.at("diagnosis"));
}

TEST_F(LockoutRoutes, AnUnknownCallersCaseIsUnverifiedWithNoCodeAndNoUnlock) {
  Reply opened = report("");
  ASSERT_EQ(opened.status, 201u) << opened.text;
  EXPECT_TRUE(opened.body.at("account").is_null());
  EXPECT_EQ(opened.str("verification"), "none");
  for (std::string_view given : {"remote_unlock_by_manager", "resync_code", "use_app",
                                 "use_bluetooth", "enroll_device", "factory_reset_and_reenroll"})
    EXPECT_FALSE(plans(opened, given)) << given;
  // Nobody can act on it or read it without signing in.
  Reply read = w_.server.get("/api/v1/lockout/cases/" + opened.str("id"), "");
  EXPECT_EQ(read.status, 401u) << read.text;
}

TEST_F(LockoutRoutes, AnotherPersonsCaseIsNotFound) {
  Reply opened = report("resident");
  ASSERT_EQ(opened.status, 201u) << opened.text;
  const std::string path = "/api/v1/lockout/cases/" + opened.str("id");
  for (const char* who : {"guest", "maintenance", "other"}) {
    EXPECT_EQ(w_.server.get(path, w_.tokens[who]).status, 404u) << who;
    EXPECT_EQ(act(who, opened.str("id"), "use_own_code").status, 404u) << who;
  }
  // The site's manager may diagnose it.
  EXPECT_EQ(w_.server.get(path, w_.tokens["manager"]).status, 200u);
}

TEST_F(LockoutRoutes, AnActionNotInThePlanIsForbiddenAndOneInItIsRecorded) {
  Reply opened = report("resident");
  ASSERT_EQ(opened.status, 201u) << opened.text;
  const std::string id = opened.str("id");
  for (const char* action : {"factory_reset_and_reenroll", "verify_identity_restore_admin"}) {
    Reply refused = act("resident", id, action);
    EXPECT_EQ(refused.status, 403u) << action << refused.text;
    EXPECT_EQ(refused.code(), "forbidden");
  }
  const auto& plan = opened.body.at("diagnosis").at("plan").as_array();
  ASSERT_FALSE(plan.empty());
  const std::string first(plan[0].at("action").as_string());
  Reply taken = act("resident", id, first);
  ASSERT_EQ(taken.status, 200u) << taken.text;
  ASSERT_EQ(taken.body.at("actions").as_array().size(), 1u);
  EXPECT_EQ(taken.body.at("actions").at(0).at("action").as_string(), first);
}

TEST_F(LockoutRoutes, ABackupCodeRequestIsAnswered202AlikeForEveryAccount) {
  Reply known = ask_backup("resident@example.test");
  ASSERT_EQ(known.status, 202u) << known.text;
  // Unknown, suspended, a guest's (ineligible at this hour or not), another site's manager.
  for (const char* email : {"nobody@example.test", "suspended@example.test", "other@example.test",
                            "RESIDENT@example.test"}) {
    Reply r = ask_backup(email);
    EXPECT_EQ(r.status, 202u) << email;
    EXPECT_EQ(r.text, known.text) << email;
  }
}

TEST_F(LockoutRoutes, MalformedBodiesNameTheField) {
  struct Case {
    std::string path;
    json::object body;
    std::string field;
  };
  Reply opened = report("resident");
  ASSERT_EQ(opened.status, 201u) << opened.text;
  const std::string actions = "/api/v1/lockout/cases/" + opened.str("id") + "/actions";
  const std::vector<Case> cases = {
      {"/api/v1/lockout/cases",
       {{"door", "u204"}, {"symptoms", json::array{"code_rejected"}}},
       "site"},
      {"/api/v1/lockout/cases",
       {{"site", "s1"}, {"door", "u204"}, {"symptoms", "code_rejected"}},
       "symptoms"},
      {"/api/v1/lockout/cases",
       {{"site", "s1"}, {"door", "u204"}, {"symptoms", json::array{"open_sesame"}}},
       "symptoms"},
      {actions, {{"action", 7}}, "action"},
      {actions, {{"action", "open_sesame"}}, "action"},
      {actions, {{"action", "verify_identity_restore_admin"}, {"method", "psychic"}}, "method"},
      {"/api/v1/lockout/backup-codes",
       {{"site", "s1"}, {"door", "u204"}, {"by", "fax"}, {"value", "x"}},
       "by"},
      {"/api/v1/lockout/backup-codes",
       {{"site", "s1"}, {"door", "u204"}, {"by", "email"}},
       "value"},
  };
  for (const Case& c : cases) {
    Reply r = w_.server.post(c.path, c.body, w_.tokens["resident"]);
    EXPECT_EQ(r.status, 400u) << c.path << " " << r.text;
    EXPECT_EQ(r.field(), c.field) << c.path << " " << r.text;
  }
  // An unknown link is 404, never a code.
  Reply link = w_.server.get("/api/v1/lockout/backup-links/" + std::string(43, 'A'), "");
  EXPECT_EQ(link.status, 404u) << link.text;
}

}  // namespace
}  // namespace server::lockout::testing
