#include "server/api/devices_routes.hpp"

#include "server/devices/commands.hpp"
#include "server/devices/health.hpp"
#include "server/http/rfc3339.hpp"

namespace server::api {

namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

json::object lock_json(const doors::LockView& v) {
  const devices::LockInfo& l = v.info;
  json::object o{
      {"site", l.site},           {"id", l.id},
      {"name", l.name},           {"unit", l.unit ? json::value(*l.unit) : json::value(nullptr)},
      {"link", l.link},           {"keypad", l.keypad},
      {"bluetooth", l.bluetooth}, {"slots", l.slots},
      {"pin_min", l.pin_min},     {"pin_max", l.pin_max},
      {"paired", l.paired},       {"needs_reenroll", l.needs_reenroll}};
  // Moved in: an element of an initializer list would be copied, key by key.
  o["health"] = devices::to_json(v.health);
  return o;
}

json::object hub_json(const doors::HubView& v) {
  json::object o = devices::to_json(v.health);
  o["name"] = v.info.name;
  return o;
}

json::object battery_json(const doors::BatteryView& b) {
  json::array samples;
  for (const devices::BatterySample& s : b.samples)
    samples.emplace_back(
        json::object{{"at", http::format_rfc3339(s.at)}, {"pct", s.pct}, {"mv", s.mv}});
  json::value forecast = nullptr;
  if (b.forecast)
    forecast = json::object{{"pct_per_day", b.forecast->pct_per_day},
                            {"empty_at", http::format_rfc3339(b.forecast->empty_at)}};
  return {{"samples", std::move(samples)}, {"forecast", std::move(forecast)}};
}

lockcore::Result<devices::LockSpec, Response> read_lock(const Request& r) {
  return read_body<devices::LockSpec>(r, [](http::ObjectReader& in) {
    devices::LockSpec s;
    s.id = in.text("id", 64);
    s.name = in.text("name", 200);
    s.unit = in.optional_text("unit", 64);
    s.link = in.optional_text("link", 64).value_or(std::string(devices::kWifi));
    s.pairing_code = in.optional_text("pairing_code", 128);
    s.slots = static_cast<std::uint16_t>(in.optional_integer("slots", 1, 250).value_or(250));
    s.backup_pool =
        static_cast<std::uint16_t>(in.optional_integer("backup_pool", 0, 20).value_or(5));
    s.pin_min = static_cast<std::uint8_t>(in.optional_integer("pin_min", 4, 8).value_or(4));
    s.pin_max = static_cast<std::uint8_t>(in.optional_integer("pin_max", 4, 8).value_or(8));
    s.keypad = in.optional_boolean("keypad").value_or(true);
    s.bluetooth = in.optional_boolean("bluetooth").value_or(true);
    return s;
  });
}

AsyncAct operate(doors::Doors& d, devices::CommandOp op) {
  return [&d, op](std::string actor, Request& r) -> boost::asio::awaitable<Response> {
    auto result = co_await d.operate(std::move(actor), param(r, "site"), param(r, "lock"), op);
    co_return answer(result, [](const devices::CommandResult& c) { return devices::to_json(c); });
  };
}

}  // namespace

void add_devices_routes(http::Router& router, doors::Doors& d, Authenticate auth) {
  router.get("/api/v1/sites/{site}/locks",
             authenticated(auth, [&d](const std::string& actor, Request& r) {
               return answer(d.locks(actor, param(r, "site")),
                             [](const auto& all) { return list_json("locks", all, lock_json); });
             }));
  router.post("/api/v1/sites/{site}/locks",
              authenticated_async(
                  auth, [&d](std::string actor, Request& r) -> boost::asio::awaitable<Response> {
                    auto spec = read_lock(r);
                    if (!spec) co_return spec.error();
                    auto done =
                        co_await d.commission(std::move(actor), param(r, "site"), std::move(*spec));
                    co_return answer(done, lock_json, 201);
                  }));
  router.get("/api/v1/sites/{site}/locks/{lock}",
             authenticated(auth, [&d](const std::string& actor, Request& r) {
               return answer(d.lock(actor, param(r, "site"), param(r, "lock")), lock_json);
             }));
  router.get("/api/v1/sites/{site}/hubs",
             authenticated(auth, [&d](const std::string& actor, Request& r) {
               return answer(d.hubs(actor, param(r, "site")),
                             [](const auto& all) { return list_json("hubs", all, hub_json); });
             }));
  router.post("/api/v1/sites/{site}/hubs",
              authenticated(auth, [&d](const std::string& actor, Request& r) {
                auto spec = read_body<devices::HubSpec>(r, [](http::ObjectReader& in) {
                  devices::HubSpec s;
                  s.id = in.text("id", 64);
                  s.name = in.text("name", 200);
                  return s;
                });
                if (!spec) return spec.error();
                return answer(d.add_hub(actor, param(r, "site"), std::move(*spec)), hub_json, 201);
              }));
  router.post("/api/v1/sites/{site}/locks/{lock}/unlock",
              authenticated_async(auth, operate(d, devices::CommandOp::unlock)));
  router.post("/api/v1/sites/{site}/locks/{lock}/lock",
              authenticated_async(auth, operate(d, devices::CommandOp::lock)));
  router.get("/api/v1/sites/{site}/commands/{command}",
             authenticated(auth, [&d](const std::string& actor, Request& r) {
               return answer(d.command(actor, param(r, "site"), param(r, "command")),
                             [](const devices::CommandResult& c) { return devices::to_json(c); });
             }));
  router.get("/api/v1/sites/{site}/locks/{lock}/battery",
             authenticated(auth, [&d](const std::string& actor, Request& r) {
               std::optional<lockcore::UnixMs> from;
               if (auto text = r.query("from")) {
                 from = http::parse_rfc3339(*text);
                 if (!from) return answer(Error::invalid_field("from", "must be RFC 3339"));
               }
               return answer(d.battery(actor, param(r, "site"), param(r, "lock"), from),
                             battery_json);
             }));
}

}  // namespace server::api
