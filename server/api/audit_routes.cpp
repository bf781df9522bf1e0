#include "server/api/audit_routes.hpp"

#include <charconv>

#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object entry_json(const audit::Entry& e) {
  json::object o{{"id", std::to_string(e.seq)},      {"seq", e.seq},
                 {"at", http::format_rfc3339(e.at)}, {"type", audit::to_string(e.record.type)},
                 {"actor", e.record.actor},          {"target", e.record.subject},
                 {"detail", e.record.detail}};
  return o;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

lockcore::Result<doors::AuditQuery, Error> read_query(const Request& r) {
  doors::AuditQuery q;
  if (auto t = r.query("type")) {
    q.type = audit::audit_type_from(*t);
    if (!q.type) return lockcore::fail(Error::invalid_field("type", "is not an audit entry type"));
  }
  for (auto [name, out] : {std::pair{"actor", &q.actor}, std::pair{"target", &q.subject}}) {
    if (auto t = r.query(name)) {
      if (t->empty() || t->size() > 200)
        return lockcore::fail(Error::invalid_field(name, "must be 1 to 200 characters"));
      *out = *t;
    }
  }
  for (auto [name, out] : {std::pair{"from", &q.from}, std::pair{"until", &q.until}}) {
    if (auto t = r.query(name)) {
      *out = http::parse_rfc3339(*t);
      if (!*out) return lockcore::fail(Error::invalid_field(name, "must be RFC 3339"));
    }
  }
  if (auto t = r.query("before")) {
    q.before = whole_number(*t);
    if (!q.before) return lockcore::fail(Error::invalid_field("before", "must be an entry id"));
  }
  if (auto t = r.query("limit")) {
    auto n = whole_number(*t);
    if (!n || *n < 1 || *n > static_cast<std::int64_t>(doors::kMaxAuditPage))
      return lockcore::fail(Error::invalid_field("limit", "must be 1 to 500"));
    q.limit = static_cast<std::size_t>(*n);
  }
  return q;
}

}  // namespace

void add_audit_routes(http::Router& router, doors::SiteAudit& a, Authenticate auth) {
  router.get(
      "/api/v1/sites/{site}/audit", authenticated(auth, [&a](const std::string& actor, Request& r) {
        auto query = read_query(r);
        if (!query) return answer(query.error());
        return answer(a.list(actor, param(r, "site"), *query), [](const doors::AuditPage& p) {
          json::object o = list_json("entries", p.entries, entry_json);
          o["next"] = p.next ? json::value(std::to_string(*p.next)) : json::value(nullptr);
          return o;
        });
      }));
}

}  // namespace server::api
