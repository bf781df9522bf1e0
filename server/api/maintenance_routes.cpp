#include "server/api/maintenance_routes.hpp"

#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;
using maintenance::Maintenance;

constexpr std::size_t kMaxNoteRead = maintenance::kMaxNote + 1;  // the domain names the rule

json::value optional_text(const std::optional<std::string>& t) {
  return t ? json::value(*t) : json::value(nullptr);
}

json::object order_json(const maintenance::WorkOrder& o) {
  const bool hub = maintenance::is_about_hub(o.kind);
  return {{"id", o.id},
          {"site", o.site},
          {"kind", to_string(o.kind)},
          {"lock", hub ? json::value(nullptr) : json::value(o.target)},
          {"hub", hub ? json::value(o.target) : json::value(nullptr)},
          {"status", to_string(o.status)},
          {"opened_at", http::format_rfc3339(o.opened_at)},
          {"reason", o.reason},
          {"forecast_empty_at", optional_time(o.forecast_empty_at)},
          {"taken_by", optional_text(o.taken_by)},
          {"taken_at", optional_time(o.taken_at)},
          {"closed_by", optional_text(o.closed_by)},
          {"closed_at", optional_time(o.closed_at)},
          {"closed_note", optional_text(o.closed_note)}};
}

json::object trend_json(const maintenance::BatteryTrend& t) {
  json::array samples;
  for (const maintenance::BatterySample& s : t.samples)
    samples.emplace_back(json::object{{"at", http::format_rfc3339(s.at)}, {"pct", s.pct}});
  json::value forecast = nullptr;
  if (t.forecast)
    forecast = json::object{{"pct_per_day", t.forecast->pct_per_day},
                            {"empty_at", http::format_rfc3339(t.forecast->empty_at)}};
  return {{"samples", std::move(samples)}, {"forecast", std::move(forecast)}};
}

// A query parameter naming one of an enum's values; absent: no filter.
template <class E, class From>
lockcore::Result<std::optional<E>, Response> query_enum(const Request& r, std::string_view name,
                                                        From from, std::string_view values) {
  auto text = r.query(name);
  if (!text) return std::optional<E>();
  auto value = from(*text);
  if (!value)
    return lockcore::fail(
        answer(Error::invalid_field(name, "must be one of " + std::string(values))));
  return std::optional<E>(*value);
}

Response list_orders(Maintenance& m, const std::string& actor, Request& r) {
  auto status = query_enum<maintenance::OrderStatus>(r, "status", maintenance::status_from,
                                                     "open, taken, closed");
  if (!status) return status.error();
  auto kind = query_enum<maintenance::Kind>(r, "kind", maintenance::kind_from,
                                            "door_alignment, battery, hub, lock_hardware");
  if (!kind) return kind.error();
  maintenance::ListFilter filter;
  filter.status = *status;
  filter.kind = *kind;
  return answer(m.work_orders().list(actor, param(r, "site"), filter),
                [](const auto& all) { return list_json("work_orders", all, order_json); });
}

}  // namespace

void add_maintenance_routes(http::Router& router, Maintenance& m, Authenticate auth) {
  router.get("/api/v1/sites/{site}/work_orders",
             authenticated(auth, [&m](const std::string& actor, Request& r) {
               return list_orders(m, actor, r);
             }));
  router.post("/api/v1/sites/{site}/work_orders/{work_order}/take",
              authenticated(auth, [&m](const std::string& actor, Request& r) {
                return answer(m.work_orders().take(actor, param(r, "site"), param(r, "work_order")),
                              order_json);
              }));
  router.post("/api/v1/sites/{site}/work_orders/{work_order}/close",
              authenticated(auth, [&m](const std::string& actor, Request& r) {
                auto note = read_body<std::string>(
                    r, [](http::ObjectReader& in) { return in.text("note", kMaxNoteRead); });
                if (!note) return note.error();
                return answer(
                    m.work_orders().close(actor, param(r, "site"), param(r, "work_order"), *note),
                    order_json);
              }));
  router.get("/api/v1/sites/{site}/battery_forecasts/{lock}",
             authenticated(auth, [&m](const std::string& actor, Request& r) {
               return answer(m.battery_trend(actor, param(r, "site"), param(r, "lock")),
                             trend_json);
             }));
}

}  // namespace server::api
