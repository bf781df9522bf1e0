#include "server/api/codes_routes.hpp"

#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object code_json(const codes::Code& c) {
  json::array locks;
  for (const devices::Placement& p : c.locks) {
    json::object o{{"lock", p.lock},
                   {"status", devices::to_string(p.status)},
                   {"updated", http::format_rfc3339(p.updated)}};
    if (!p.error.empty()) o["error"] = p.error;
    locks.emplace_back(std::move(o));
  }
  return {{"id", c.id},
          {"site", c.site},
          {"name", c.name},
          {"kind", codes::to_string(c.kind)},
          {"holder", c.holder ? json::value(*c.holder) : json::value(c.name)},
          {"created_by", c.created_by},
          {"locks", std::move(locks)},
          {"valid_from", optional_time(c.valid_from)},
          {"valid_until", optional_time(c.valid_until)},
          {"schedule", c.schedule.empty() ? json::value(nullptr) : json::value(c.schedule)},
          {"max_uses", c.max_uses},
          {"created", http::format_rfc3339(c.created)}};
}

json::object progress_json(const std::string& code, const devices::FanoutProgress& p) {
  return {{"credential", code}, {"locks", p.locks},       {"pending", p.pending}, {"set", p.set},
          {"failed", p.failed}, {"removing", p.removing}, {"removed", p.removed}};
}

struct CodeBody {
  codes::NewCode spec;
  std::optional<Error> error;  // a field the reader cannot name by itself
};

lockcore::Result<codes::NewCode, Response> read_code(const Request& r) {
  auto body = read_body<CodeBody>(r, [](http::ObjectReader& in) {
    CodeBody b;
    codes::NewCode& s = b.spec;
    s.name = in.text("name", codes::kMaxNameLength + 1);
    const std::string kind = in.text("kind", 16);
    if (auto k = codes::code_kind_from(kind)) {
      s.kind = *k;
    } else if (in.ok()) {
      b.error = Error::invalid_field("kind", "must be one of own, guest, staff");
    }
    s.pin = in.optional_text("pin", 16);
    s.holder = in.optional_text("holder", 64);
    if (const json::array* locks = in.array("locks")) {
      for (const json::value& v : *locks) {
        if (!v.is_string() || v.get_string().size() > 64) {
          b.error = Error::invalid_field("locks", "must be an array of lock ids");
          break;
        }
        s.locks.emplace_back(v.get_string());
      }
    }
    s.valid_from = in.optional_time("valid_from");
    s.valid_until = in.optional_time("valid_until");
    s.schedule = in.optional_text("schedule", 64).value_or("");
    s.max_uses = static_cast<std::uint16_t>(in.optional_integer("max_uses", 0, 65535).value_or(0));
    return b;
  });
  if (!body) return lockcore::fail(body.error());
  if (body->error) return lockcore::fail(answer(*body->error));
  return std::move(body->spec);
}

}  // namespace

void add_codes_routes(http::Router& router, codes::Codes& c, Authenticate auth) {
  router.get("/api/v1/sites/{site}/codes",
             authenticated(auth, [&c](const std::string& actor, Request& r) {
               return answer(c.list(actor, param(r, "site")),
                             [](const auto& all) { return list_json("codes", all, code_json); });
             }));
  router.post("/api/v1/sites/{site}/codes",
              authenticated(auth, [&c](const std::string& actor, Request& r) {
                auto spec = read_code(r);
                if (!spec) return spec.error();
                return answer(
                    c.create(actor, param(r, "site"), *spec),
                    [](const codes::CreatedCode& made) {
                      json::object o = code_json(made.code);
                      o["pin"] = made.pin;
                      return o;
                    },
                    201);
              }));
  router.del("/api/v1/sites/{site}/codes/{code}",
             authenticated(auth, [&c](const std::string& actor, Request& r) {
               return answer(c.remove(actor, param(r, "site"), param(r, "code")));
             }));
  router.get("/api/v1/sites/{site}/codes/{code}/progress",
             authenticated(auth, [&c](const std::string& actor, Request& r) {
               const std::string code = param(r, "code");
               return answer(
                   c.progress(actor, param(r, "site"), code),
                   [&code](const devices::FanoutProgress& p) { return progress_json(code, p); });
             }));
  router.get("/api/v1/sites/{site}/accounts/{account}/removals",
             authenticated(auth, [&c](const std::string& actor, Request& r) {
               return answer(c.removals(actor, param(r, "site"), param(r, "account")),
                             [](const auto& all) {
                               return list_json("pending", all, [](const codes::PendingRemoval& p) {
                                 return json::object{{"code", p.code},
                                                     {"lock", p.lock},
                                                     {"status", devices::to_string(p.status)}};
                               });
                             });
             }));
}

}  // namespace server::api
