#include "server/api/lockout_routes.hpp"

#include <boost/json/parse.hpp>

#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using lockout::Lockout;

constexpr std::size_t kMaxText = 256;

json::value parsed(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(json::object{}) : v;
}

json::value optional_text(const std::optional<std::string>& t) {
  return t ? json::value(*t) : json::value(nullptr);
}

json::object case_json(const lockout::CaseRecord& c) {
  json::array symptoms;
  for (const std::string& s : c.symptoms)
    symptoms.emplace_back(s);
  json::array actions;
  for (const lockout::CaseAction& a : c.actions)
    actions.emplace_back(json::object{{"seq", a.seq},
                                      {"action", lockout::to_string(a.action)},
                                      {"by", a.by},
                                      {"at", http::format_rfc3339(a.at)},
                                      {"outcome", a.outcome},
                                      {"detail", parsed(a.detail)}});
  return {{"id", c.id},
          {"site", c.site},
          {"door", c.lock},
          {"account", optional_text(c.account)},
          {"symptoms", std::move(symptoms)},
          {"context", parsed(c.context)},
          {"verification", lockout::to_string(c.verification)},
          {"diagnosis", parsed(c.diagnosis)},
          {"opened_at", http::format_rfc3339(c.opened_at)},
          {"status", lockout::to_string(c.status)},
          {"resolved_by",
           c.resolved_by ? json::value(lockout::to_string(*c.resolved_by)) : json::value(nullptr)},
          {"resolved_at", optional_time(c.resolved_at)},
          {"duration_ms", c.duration_ms ? json::value(*c.duration_ms) : json::value(nullptr)},
          {"actions", std::move(actions)}};
}

// Signed in when the request carries credentials (which must then be good), else an unknown
// caller known by the request's source.
lockcore::Result<lockout::Caller, Response> caller_of(const Auth& auth, const Request& r) {
  lockout::Caller caller;
  caller.source = source_of(r);
  if (r.header("Authorization").empty()) return caller;
  auto actor = auth.authenticate_now(r);
  if (!actor) return lockcore::fail(error_response(actor.error()));
  caller.actor = *actor;
  return caller;
}

lockcore::Result<lockout::NewCase, Response> read_case(const Request& r) {
  return read_body<lockout::NewCase>(r, [](http::ObjectReader& in) {
    lockout::NewCase c;
    c.site = in.text("site", kMaxText);
    c.lock = in.optional_text("door", kMaxText);
    c.unit = in.optional_text("unit", kMaxText);
    if (const json::array* symptoms = in.array("symptoms")) {
      for (const json::value& s : *symptoms) {
        if (!s.is_string() || s.as_string().size() > kMaxText) {
          c.symptoms.assign(1, "");  // the domain names it
          break;
        }
        c.symptoms.emplace_back(s.as_string());
      }
    }
    c.device = in.optional_text("device", kMaxText);
    c.signed_in = in.optional_boolean("signed_in");
    c.enrolled = in.optional_boolean("enrolled");
    c.bluetooth_allowed = in.optional_boolean("bluetooth_allowed");
    c.app_version = in.optional_text("app_version", kMaxText).value_or("");
    c.mfa_available = in.optional_boolean("mfa_available");
    c.recovery_code_at_hand = in.optional_boolean("recovery_code_at_hand");
    c.wifi_changed = in.optional_boolean("wifi_changed");
    return c;
  });
}

struct ActionBody {
  std::string action;
  std::optional<std::string> method;
  std::optional<std::string> code;
};

}  // namespace

void add_lockout_routes(http::Router& router, Lockout& lockout, const Auth& auth) {
  router.post("/api/v1/lockout/cases",
              [&lockout, &auth](Request& r) -> boost::asio::awaitable<Response> {
                auto caller = caller_of(auth, r);
                if (!caller) co_return caller.error();
                auto wizard = read_case(r);
                if (!wizard) co_return wizard.error();
                co_return answer(lockout.report(*caller, *wizard), case_json, 201);
              });
  router.get("/api/v1/lockout/cases/{case}",
             [&lockout, &auth](Request& r) -> boost::asio::awaitable<Response> {
               auto caller = caller_of(auth, r);
               if (!caller) co_return caller.error();
               co_return answer(lockout.case_of(*caller, param(r, "case")), case_json);
             });
  router.post(
      "/api/v1/lockout/cases/{case}/actions",
      [&lockout, &auth](Request& r) -> boost::asio::awaitable<Response> {
        auto caller = caller_of(auth, r);
        if (!caller) co_return caller.error();
        auto body = read_body<ActionBody>(r, [](http::ObjectReader& in) {
          return ActionBody{in.text("action", kMaxText), in.optional_text("method", kMaxText),
                            in.optional_text("code", kMaxText)};
        });
        if (!body) co_return body.error();
        std::optional<lockout::Proof> proof;
        if (body->method) {
          auto method = lockout::verification_method_from(*body->method);
          if (!method)
            co_return answer(Error::invalid_field(
                "method", "must be one of totp, recovery_code, manager_attestation"));
          proof = lockout::Proof{*method, body->code.value_or("")};
        }
        auto taken =
            co_await lockout.take_action(*caller, param(r, "case"), body->action, std::move(proof));
        co_return answer(taken, case_json);
      });
  router.post("/api/v1/lockout/backup-codes",
              [&lockout](Request& r) -> boost::asio::awaitable<Response> {
                auto request = read_body<lockout::BackupRequest>(r, [](http::ObjectReader& in) {
                  lockout::BackupRequest b;
                  b.site = in.text("site", kMaxText);
                  b.lock = in.text("door", kMaxText);
                  b.by = in.text("by", kMaxText);
                  b.value = in.text("value", kMaxText);
                  b.case_id = in.optional_text("case", kMaxText);
                  return b;
                });
                if (!request) co_return request.error();
                co_return answer(
                    lockout.request_backup_code(*request, source_of(r)),
                    [](const lockout::BackupRequestReceipt& receipt) {
                      return json::object{{"message", receipt.message}};
                    },
                    202);
              });
  router.get(
      "/api/v1/lockout/backup-links/{token}",
      [&lockout](Request& r) -> boost::asio::awaitable<Response> {
        auto opened = lockout.open_backup_link(param(r, "token"));
        if (opened && opened->gone)
          co_return http::json_response(
              410,
              json::object{
                  {"error",
                   json::object{{"code", "gone"},
                                {"field", ""},
                                {"message", opened->reason == "replaced"
                                                ? "this link was replaced by a newer request"
                                                : "this link has expired; ask for a new one"}}}});
        co_return answer(opened, [](const lockout::BackupLinkView& v) {
          return json::object{{"code", v.code},
                              {"lock_name", v.lock_name},
                              {"site_name", v.site_name},
                              {"expires_at", http::format_rfc3339(v.expires_at)}};
        });
      });
  router.get("/api/v1/sites/{site}/lockout/cases",
             [&lockout, &auth](Request& r) -> boost::asio::awaitable<Response> {
               auto caller = caller_of(auth, r);
               if (!caller) co_return caller.error();
               co_return answer(lockout.cases_at(*caller, param(r, "site")),
                                [](const auto& all) { return list_json("cases", all, case_json); });
             });
}

}  // namespace server::api
