// Every route the server documents, called by every kind of caller, over real HTTP against a whole
// Node: the site's owner, manager, maintenance, resident and guest (of unit 204), support, someone
// signed out, someone whose account is suspended, and another site's manager. The list of routes
// is read from the served /api/v1/openapi.json, so a route added without a row here fails the
// test, and a row for a route that is gone fails too.
//
// Each caller's answer is checked by class: Y 2xx; y authorized (anything but 401, 403, 404 and
// 500: the domain went on to answer, e.g. 409 for a lock that is not commissioned, 503 for one
// not heard from yet); f 403; h 404 (not visible: the same answer as for an id that does not
// exist); u 401.

#include <map>
#include <set>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "server/access/memberships.hpp"
#include "tests/server/api/site_world.hpp"

namespace server::api {
namespace {

namespace json = boost::json;
using http::Verb;
using testsupport::Call;
using testsupport::Reply;

using testing::kPassword;

// The callers, in the order of a row's `roles` string.
const std::vector<std::string> kRoles = {"owner",    "manager", "maintenance",
                                         "resident", "guest",   "support"};

struct Row {
  std::string method;  // "GET", …
  std::string path;    // as documented
  std::string roles;   // one class per kRoles entry
  char other;          // another site's manager
  char signed_out;     // no token
  char suspended;      // a suspended account's token
};

// Site routes answer another site's manager 404, everyone without a session 401.
const std::vector<Row> kRows = {
    // platform
    {"GET", "/healthz", "YYYYYY", 'Y', 'Y', 'Y'},
    {"GET", "/metrics", "YYYYYY", 'Y', 'Y', 'Y'},
    {"GET", "/api/v1/openapi.json", "YYYYYY", 'Y', 'Y', 'Y'},
    // identity (bodies left empty: refused as 400 once the caller is known)
    {"POST", "/api/v1/sessions", "yyyyyy", 'y', 'y', 'y'},
    {"POST", "/api/v1/sessions/refresh", "yyyyyy", 'y', 'y', 'y'},
    {"POST", "/api/v1/password-reset", "yyyyyy", 'y', 'y', 'y'},
    {"POST", "/api/v1/password-reset/complete", "yyyyyy", 'y', 'y', 'y'},
    {"DELETE", "/api/v1/sessions/current", "YYYYYY", 'Y', 'u', 'u'},
    {"GET", "/api/v1/me", "YYYYYY", 'Y', 'u', 'u'},
    {"PUT", "/api/v1/me/password", "yyyyyy", 'y', 'u', 'u'},
    {"POST", "/api/v1/me/mfa", "yyyyyy", 'y', 'u', 'u'},
    {"DELETE", "/api/v1/me/mfa", "yyyyyy", 'y', 'u', 'u'},
    {"POST", "/api/v1/me/mfa/confirm", "yyyyyy", 'y', 'u', 'u'},
    {"POST", "/api/v1/me/recovery-codes", "yyyyyy", 'y', 'u', 'u'},
    {"GET", "/api/v1/me/devices", "YYYYYY", 'Y', 'u', 'u'},
    {"POST", "/api/v1/me/devices", "yyyyyy", 'y', 'u', 'u'},
    {"DELETE", "/api/v1/me/devices/{device}", "hhhhhh", 'h', 'u', 'u'},
    // access
    {"POST", "/api/v1/sites", "YYYYYY", 'Y', 'u', 'u'},
    {"GET", "/api/v1/sites", "YYYYYY", 'Y', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}", "YYYYYY", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/units", "YYYYYY", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/units", "YYffff", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/units/{unit}", "YYYYYY", 'h', 'u', 'u'},
    {"PATCH", "/api/v1/sites/{site}/units/{unit}", "YYffff", 'h', 'u', 'u'},
    {"DELETE", "/api/v1/sites/{site}/units/{unit}", "YYfhhf", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/people", "YYfffY", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/people", "YYfYff", 'h', 'u', 'u'},
    {"PATCH", "/api/v1/sites/{site}/people/{membership}", "YYffff", 'h', 'u', 'u'},
    {"DELETE", "/api/v1/sites/{site}/people/{membership}", "YYfYff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/accounts/{account}/suspend", "YYffff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/accounts/{account}/reinstate", "yyffff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/transfers", "Yfffff", 'h', 'u', 'u'},
    {"GET", "/api/v1/transfers", "YYYYYY", 'Y', 'u', 'u'},
    // The offering owner is a party to the transfer (sees it) but only the recipient accepts.
    {"POST", "/api/v1/transfers/{transfer}/accept", "fhhhhh", 'h', 'u', 'u'},
    {"POST", "/api/v1/transfers/{transfer}/cancel", "Yhhhhh", 'h', 'u', 'u'},
    // maintenance
    {"GET", "/api/v1/sites/{site}/work_orders", "YYYfff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/work_orders/{work_order}/take", "YYYfff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/work_orders/{work_order}/close", "YYYfff", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/battery_forecasts/{lock}", "YYYffY", 'h', 'u', 'u'},
    // devices, behind access's policy
    {"GET", "/api/v1/sites/{site}/locks", "YYYYYY", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/locks", "yyffff", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/locks/{lock}", "YYYYYY", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/hubs", "YYYffY", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/hubs", "YYffff", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/locks/{lock}/unlock", "yyyyyf", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/locks/{lock}/lock", "yyyyyf", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/commands/{command}", "hhhhhh", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/locks/{lock}/battery", "YYYffY", 'h', 'u', 'u'},
    // codes
    {"GET", "/api/v1/sites/{site}/codes", "YYYYYY", 'h', 'u', 'u'},
    {"POST", "/api/v1/sites/{site}/codes", "YYYYff", 'h', 'u', 'u'},
    {"DELETE", "/api/v1/sites/{site}/codes/{code}", "YYhhhh", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/codes/{code}/progress", "YYhhhh", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/accounts/{account}/removals", "YYfYfY", 'h', 'u', 'u'},
    // audit, live
    {"GET", "/api/v1/sites/{site}/audit", "YYfffY", 'h', 'u', 'u'},
    {"GET", "/api/v1/sites/{site}/live", "YYYYYY", 'h', 'u', 'u'},
    // lockout: anyone may report for themself (signed out: an unknown, unverified caller) and ask
    // for a backup code (the same answer for everyone); a case is its person's and the staff's
    // who may diagnose; an action's body is refused before anything is looked up.
    {"POST", "/api/v1/lockout/cases", "YYYYYY", 'Y', 'Y', 'u'},
    {"GET", "/api/v1/lockout/cases/{case}", "YYhYhY", 'h', 'u', 'u'},
    {"POST", "/api/v1/lockout/cases/{case}/actions", "yyyyyy", 'y', 'y', 'u'},
    {"POST", "/api/v1/lockout/backup-codes", "YYYYYY", 'Y', 'Y', 'Y'},
    {"GET", "/api/v1/lockout/backup-links/{token}", "hhhhhh", 'h', 'h', 'h'},
    {"GET", "/api/v1/sites/{site}/lockout/cases", "YYfffY", 'h', 'u', 'u'},
};

bool matches(char expected, unsigned status) {
  switch (expected) {
    case 'Y':
      return status >= 200 && status < 300;
    case 'y':
      return status != 401 && status != 403 && status != 404 && status != 500;
    case 'f':
      return status == 403;
    case 'h':
      return status == 404;
    case 'u':
      return status == 401;
  }
  return false;
}

Verb verb_of(const std::string& method) {
  if (method == "GET") return Verb::get;
  if (method == "POST") return Verb::post;
  if (method == "PUT") return Verb::put;
  if (method == "PATCH") return Verb::patch;
  return Verb::delete_;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

class RouteMatrixTest : public ::testing::Test {
 protected:
  std::string make_account(const std::string& name) { return w_.make_account(name); }
  std::string fresh(const std::string& prefix) { return prefix + std::to_string(++counter_); }

  // The path's ids and a body that passes validation, made fresh for each call where the call may
  // change what it names.
  Call prepare(const Row& row, const std::string& caller) {
    std::string path = replace_all(row.path, "{site}", "s1");
    path = replace_all(path, "{lock}", "u204");
    path = replace_all(path, "{device}", "dev_00000000000000000000000000000000");
    path = replace_all(path, "{command}", std::string(32, '0'));
    json::object body;
    const std::string key = row.method + " " + row.path;
    const std::string owner = accounts_["owner"];
    if (row.path.find("{unit}") != std::string::npos) {
      std::string unit = "204";
      if (row.method == "DELETE") {
        unit = fresh("x");
        EXPECT_TRUE(server_.on_server([&] {
          return server_.node().access().units().create(owner, "s1", {"s1", unit, unit});
        }));
      }
      path = replace_all(path, "{unit}", unit);
    }
    if (row.path.find("{membership}") != std::string::npos) {
      const std::string who = make_account(fresh("member"));
      auto m = server_.on_server([&] {
        return server_.node().access().memberships().grant(
            owner, "s1", who, {access::Role::guest, "204", {}, {}, {}});
      });
      path = replace_all(path, "{membership}", m ? m->id : "none");
    }
    if (row.path.find("{account}") != std::string::npos) {
      std::string target = accounts_["resident"];
      if (row.path.find("removals") == std::string::npos) {
        target = make_account(fresh("target"));
        EXPECT_TRUE(server_.on_server([&] {
          return server_.node().access().memberships().grant(
              owner, "s1", target, {access::Role::guest, "204", {}, {}, {}});
        }));
      }
      path = replace_all(path, "{account}", target);
    }
    if (row.path.find("{transfer}") != std::string::npos) {
      auto t = server_.on_server([&] {
        return server_.node().access().transfers().start(owner, "s1", "recipient@example.test");
      });
      EXPECT_TRUE(t) << (t ? "" : t.error().message);
      pending_transfer_ = t ? t->id : "";
      path = replace_all(path, "{transfer}", pending_transfer_);
    }
    if (row.path.find("{work_order}") != std::string::npos) {
      const std::string lock = fresh("wo");
      auto order = server_.on_server([&] {
        devices::LockSpec spec;
        spec.site = "s1";
        spec.id = lock;
        spec.name = lock;
        EXPECT_TRUE(server_.node().devices().add_lock(spec, "system:test"));
        return server_.node().maintenance().signals().on_hardware_fault(
            "s1", lock, maintenance::Fault::motor, server_.clock().now());
      });
      path = replace_all(path, "{work_order}", order && *order ? (*order)->id : "none");
    }
    if (row.path.find("{case}") != std::string::npos) {
      Reply opened = server_.post("/api/v1/lockout/cases", wizard(), tokens_["resident"]);
      EXPECT_EQ(opened.status, 201u) << opened.text;
      path = replace_all(path, "{case}", opened.status == 201 ? opened.str("id") : "none");
    }
    path = replace_all(path, "{token}", std::string(43, 'A'));
    if (key == "POST /api/v1/lockout/cases") body = wizard();
    if (key == "POST /api/v1/lockout/backup-codes")
      body = {
          {"site", "s1"}, {"door", "u204"}, {"by", "email"}, {"value", caller + "@example.test"}};
    if (row.path.find("{code}") != std::string::npos)
      path = replace_all(path, "{code}", w_.owner_code());
    if (key == "POST /api/v1/sites")
      body = {{"id", fresh("site")}, {"name", "A"}, {"timezone", "UTC"}};
    if (key == "POST /api/v1/sites/{site}/units") body = {{"id", fresh("u")}, {"name", "Unit"}};
    if (key == "PATCH /api/v1/sites/{site}/units/{unit}") body = {{"name", "Apartment 204"}};
    if (key == "POST /api/v1/sites/{site}/people") {
      const std::string invitee = fresh("invitee");
      make_account(invitee);
      body = {{"email", invitee + "@example.test"}, {"role", "guest"}, {"unit", "204"}};
    }
    if (key == "PATCH /api/v1/sites/{site}/people/{membership}") body = {{"role", "resident"}};
    if (key == "POST /api/v1/sites/{site}/transfers") body = {{"email", "recipient@example.test"}};
    if (key == "POST /api/v1/sites/{site}/work_orders/{work_order}/close")
      body = {{"note", "done"}};
    if (key == "POST /api/v1/sites/{site}/locks")
      body = {{"id", fresh("new")}, {"name", "New door"}, {"pairing_code", "LK-ABCD-EFGH-JKLM"}};
    if (key == "POST /api/v1/sites/{site}/hubs") body = {{"id", fresh("hub")}, {"name", "Hub"}};
    if (key == "POST /api/v1/sites/{site}/codes")
      body = {{"name", caller + "'s code"},
              {"kind", "own"},
              {"locks", json::array{"u204"}},
              {"pin", std::to_string(200000 + ++counter_)}};
    Call call{verb_of(row.method), path, body.empty() ? std::string() : json::serialize(body), {}};
    call.head_only = row.path.ends_with("/live");
    return call;
  }

  static json::object wizard() {
    return {{"site", "s1"}, {"door", "u204"}, {"symptoms", json::array{"code_rejected"}}};
  }

  // Undoes what a call left that would change the next caller's answer.
  void clean_up(const Row& row) {
    if (!pending_transfer_.empty()) {
      // Already cancelled when the call under test was the owner's cancel.
      (void)server_.on_server([&] {
        return server_.node().access().transfers().cancel(accounts_["owner"], pending_transfer_);
      });
      pending_transfer_.clear();
    }
    if (row.method == "POST" && row.path == "/api/v1/sites/{site}/transfers") {
      auto list = server_.get("/api/v1/transfers", tokens_["owner"]);
      for (const json::value& t : list.body.at("transfers").as_array()) {
        if (t.at("status") == "pending") {
          const std::string id(t.at("id").as_string());
          EXPECT_TRUE(server_.on_server(
              [&] { return server_.node().access().transfers().cancel(accounts_["owner"], id); }));
        }
      }
    }
  }

  void check(const Row& row, const std::string& caller, char expected, std::string token) {
    Call call = prepare(row, caller);
    if (row.path == "/api/v1/sessions/current" && !token.empty() && caller != "suspended")
      token = server_.sign_in(caller + "@example.test", kPassword);  // this call ends it
    call.token = token;
    Reply r = server_.call(call);
    EXPECT_TRUE(matches(expected, r.status))
        << row.method << " " << row.path << " as " << caller << ": expected class " << expected
        << ", got " << r.status << " " << r.text;
    clean_up(row);
  }

  testing::SiteWorld w_;
  testsupport::NodeServer& server_ = w_.server;
  std::map<std::string, std::string>& accounts_ = w_.accounts;
  std::map<std::string, std::string>& tokens_ = w_.tokens;
  int& counter_ = w_.counter;
  std::string pending_transfer_;
};

TEST_F(RouteMatrixTest, EveryDocumentedRouteHasARowAndEveryRowADocumentedRoute) {
  ASSERT_TRUE(server_.ok());
  Reply doc = server_.get("/api/v1/openapi.json", {});
  ASSERT_EQ(doc.status, 200u);
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.body.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      std::string m(method);
      if (m == "parameters" || m == "summary") continue;
      for (char& c : m)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m + " " + std::string(path));
    }
  }
  std::set<std::string> rows;
  for (const Row& row : kRows)
    rows.insert(row.method + " " + row.path);
  for (const std::string& route : documented)
    EXPECT_TRUE(rows.contains(route)) << route << " is served but has no row in the role matrix";
  for (const std::string& row : rows)
    EXPECT_TRUE(documented.contains(row)) << row << " has a row but is not a documented route";
}

TEST_F(RouteMatrixTest, EachCallerGetsTheAnswerItsRoleAllows) {
  ASSERT_TRUE(server_.ok());
  for (const Row& row : kRows) {
    for (std::size_t i = 0; i < kRoles.size(); ++i)
      check(row, kRoles[i], row.roles[i], tokens_[kRoles[i]]);
    check(row, "other", row.other, tokens_["other"]);
    check(row, "signed-out", row.signed_out, {});
    check(row, "suspended", row.suspended, tokens_["suspended"]);
  }
}

}  // namespace
}  // namespace server::api
