#include "sim/control.hpp"

#include <array>
#include <optional>
#include <span>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <sodium.h>

#include "protocol/codec.hpp"
#include "protocol/detail/strict_parse.hpp"
#include "protocol/names.hpp"
#include "sim/duration.hpp"

namespace sim {
namespace {

namespace json = boost::json;
using lockcore::fail;

constexpr auto kDoorActions =
    std::to_array<std::string_view>({"enter_pin", "turn_key", "realign_door", "begin_bluetooth",
                                     "bluetooth_unlock", "provision_wifi"});
constexpr auto kQueries = std::to_array<std::string_view>({"lock", "hub", "fleet"});
constexpr auto kOutcomes = std::to_array<std::string_view>(
    {"accepted", "denied", "keypad_disabled", "dark", "fault", "busy", "invalid"});
constexpr auto kPatterns =
    std::to_array<std::string_view>({"off", "ok", "error", "jam_x", "disabled"});
constexpr auto kTones =
    std::to_array<std::string_view>({"accept", "reject", "jam", "low_battery", "lockout_alarm"});
constexpr auto kDrives = std::to_array<std::string_view>({"stop", "extend", "retract"});

template <std::size_t N>
std::optional<std::size_t> index_of(const std::array<std::string_view, N>& names,
                                    std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

template <std::size_t N, class E>
std::string_view name_of(const std::array<std::string_view, N>& names, E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view("unknown");
}

// Reads the keys of one request object; the first refusal wins. finish() refuses any key that
// was not asked for.
class Fields {
 public:
  explicit Fields(const json::object& object) : object_(object), used_(object.size(), false) {}

  const json::value* take(std::string_view key, bool required) {
    std::size_t i = 0;
    for (const auto& entry : object_) {
      if (entry.key() == key) {
        used_[i] = true;
        return &entry.value();
      }
      ++i;
    }
    if (required) refuse("missing_key", fmt::format("\"{}\" is required here", key));
    return nullptr;
  }

  std::optional<std::string> string(std::string_view key, bool required = true) {
    const json::value* v = take(key, required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      refuse("wrong_type", fmt::format("\"{}\" must be a string", key));
      return std::nullopt;
    }
    return std::string(v->get_string());
  }

  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const json::value* v = take(key, true);
    if (v == nullptr) return std::nullopt;
    if (!v->is_int64() && !v->is_uint64()) {
      refuse("wrong_type", fmt::format("\"{}\" must be an integer", key));
      return std::nullopt;
    }
    const bool fits = v->is_int64() ? v->get_int64() >= min && v->get_int64() <= max
                                    : v->get_uint64() <= static_cast<std::uint64_t>(max);
    if (!fits) {
      refuse("bad_value", fmt::format("\"{}\" must be {}..{}", key, min, max));
      return std::nullopt;
    }
    return v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(v->get_uint64());
  }

  std::optional<double> number(std::string_view key) {
    const json::value* v = take(key, false);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) {
      refuse("wrong_type", fmt::format("\"{}\" must be a number", key));
      return std::nullopt;
    }
    return v->to_number<double>();
  }

  void finish() {
    std::size_t i = 0;
    for (const auto& entry : object_) {
      if (!used_[i++]) {
        refuse("unknown_key",
               fmt::format("\"{}\" is not a key of this request", std::string_view(entry.key())));
        return;
      }
    }
  }

  void refuse(std::string code, std::string message) {
    if (!error_) error_ = ControlError{std::move(code), std::move(message)};
  }
  bool failed() const { return error_.has_value(); }
  const ControlError& error() const { return *error_; }

 private:
  const json::object& object_;
  std::vector<bool> used_;
  std::optional<ControlError> error_;
};

// The enumerator `name` stands for in `names`, or a refusal saying it is not `what`.
template <class E, std::size_t N>
std::optional<E> kind_named(Fields& f, const std::array<std::string_view, N>& names,
                            const std::string& name, std::string_view what) {
  if (auto i = index_of(names, name)) return static_cast<E>(*i);
  f.refuse("unknown_command", fmt::format("\"{}\" is not {}", name, what));
  return std::nullopt;
}

// Exactly 2 * out.size() lowercase hex digits, as v1 writes bytes.
bool read_hex(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() != out.size() * 2) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, nullptr,
                        nullptr) == 0;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  return hex;
}

Fault parse_fault(Fields& f, const std::string& name) {
  Fault fault;
  const auto kind = fault_from_name(name);
  if (!kind) {
    f.refuse("unknown_command", fmt::format("\"{}\" is not a fault", name));
    return fault;
  }
  fault.kind = *kind;
  if (targets_hub(fault.kind)) {
    auto hub = f.string("hub", false);
    auto lock = f.string("lock", false);
    if (hub.has_value() == lock.has_value()) {
      f.refuse(hub ? "unknown_key" : "missing_key",
               fmt::format("\"{}\" takes either \"hub\" or \"lock\"", name));
    }
    fault.hub = hub.value_or("");
    fault.lock = lock.value_or("");
  } else {
    fault.lock = f.string("lock").value_or("");
  }
  if (fault.kind == FaultKind::battery) {
    fault.pct = static_cast<std::uint8_t>(f.integer("pct", 0, 100).value_or(0));
  } else if (fault.kind == FaultKind::firmware) {
    fault.version = f.string("version").value_or("");
  } else if (fault.kind == FaultKind::door_swell) {
    if (auto p = f.number("probability")) {
      if (!(*p >= 0.0 && *p <= 1.0)) f.refuse("bad_value", "\"probability\" must be 0..1");
      fault.probability = static_cast<float>(*p);
    }
  }
  return fault;
}

DoorAction parse_door_action(Fields& f, const std::string& name) {
  DoorAction action;
  const auto kind = kind_named<DoorActionKind>(f, kDoorActions, name, "a door action");
  if (!kind) return action;
  action.kind = *kind;
  action.lock = f.string("lock").value_or("");
  switch (action.kind) {
    case DoorActionKind::enter_pin:
      action.pin = f.string("pin").value_or("");
      break;
    case DoorActionKind::turn_key:
      if (auto to = f.string("to", false)) {
        if (*to != "locked" && *to != "unlocked") {
          f.refuse("bad_value", "\"to\" must be \"locked\" or \"unlocked\"");
        }
        action.to_locked = *to == "locked";
      }
      break;
    case DoorActionKind::bluetooth_unlock: {
      const json::value* grant = f.take("grant", true);
      if (grant != nullptr && !grant->is_object())
        f.refuse("wrong_type", "\"grant\" must be an object");
      if (grant != nullptr && grant->is_object()) {
        auto decoded = protocol::decode_key_grant(json::serialize(*grant));
        if (!decoded)
          f.refuse("bad_value", fmt::format("\"grant\": {}", decoded.error().message));
        else
          action.grant = *decoded;
      }
      auto response = f.string("response");
      if (response && !read_hex(*response, action.response)) {
        f.refuse("bad_value", "\"response\" must be 128 lowercase hex digits");
      }
      break;
    }
    case DoorActionKind::realign_door:
    case DoorActionKind::begin_bluetooth:
    case DoorActionKind::provision_wifi:
      break;
  }
  return action;
}

Query parse_query(Fields& f, const std::string& name) {
  Query query;
  const auto kind = kind_named<QueryKind>(f, kQueries, name, "a query (lock, hub, fleet)");
  if (!kind) return query;
  query.kind = *kind;
  if (query.kind == QueryKind::lock) query.id = f.string("lock").value_or("");
  if (query.kind == QueryKind::hub) query.id = f.string("hub").value_or("");
  return query;
}

// ---- answers --------------------------------------------------------------------------------

std::string answer(json::object fields) {
  json::object out{{"ok", true}};
  for (auto& entry : fields)
    out.emplace(entry.key(), std::move(entry.value()));
  return json::serialize(out);
}

std::string fleet_error(const SimError& error) {
  return control_error_answer({std::string(to_string(error.code)), error.message});
}

// A v1 message as the wire has it, without "v", to embed in an answer.
json::object wire(const std::string& encoded) {
  const json::value parsed = json::parse(encoded);
  json::object out;
  for (const auto& entry : parsed.as_object()) {
    if (entry.key() != "v") out.emplace(entry.key(), entry.value());
  }
  return out;
}

json::object access_answer(const lockcore::AccessResult& r) {
  return {{"outcome", name_of(kOutcomes, r.outcome)},
          {"reason", protocol::wire_name(r.reason)},
          {"source", protocol::wire_name(r.source)},
          {"slot", r.slot}};
}

json::object lock_answer(const LockView& v) {
  json::array events;
  for (const lockcore::Event& e : v.events)
    events.push_back(wire(protocol::encode(e)));
  json::array credentials;
  for (const lockcore::PinCredential& c : v.credentials) {
    credentials.push_back(json::object{{"slot", c.slot},
                                       {"kind", protocol::wire_name(c.kind)},
                                       {"pin", std::string(c.pin.view())}});
  }
  return {{"id", v.id},
          {"link", v.link},
          {"radio_on", v.radio_on},
          {"wifi_provisioned", v.wifi_provisioned},
          {"link_up", v.link_up},
          {"powered", v.powered},
          {"paired", v.paired},
          {"bolt", protocol::wire_name(v.state.bolt)},
          {"state", wire(protocol::encode(v.state))},
          {"wrong_codes", v.wrong_codes},
          {"display", name_of(kPatterns, v.display)},
          {"last_beep", v.beeps == 0 ? std::string_view("none") : name_of(kTones, v.last_tone)},
          {"beeps", v.beeps},
          {"motor", name_of(kDrives, v.motor)},
          {"bolt_position", v.bolt_position},
          {"bolt_stuck", v.bolt_stuck},
          {"events", std::move(events)},
          {"credentials", std::move(credentials)},
          {"shadow_version", v.shadow_version},
          {"counters", json::object{{"received", v.counters.received},
                                    {"refused", v.counters.refused},
                                    {"firmware_refused", v.counters.firmware_refused}}}};
}

json::object fleet_answer(const FleetConfig& config, const FleetSummary& s) {
  return {{"site", config.site},
          {"locks", s.locks},
          {"hubs", s.hubs},
          {"locks_linked", s.locks_linked},
          {"hubs_connected", s.hubs_connected},
          {"links_up", s.net.links_up},
          {"links_expected", s.links_expected},
          {"now", s.now},
          {"virtual_clock", s.virtual_clock},
          {"net", json::object{{"published", s.net.published},
                               {"received", s.net.received},
                               {"refused", s.net.refused},
                               {"in_flight", s.net.in_flight},
                               {"connects", s.net.connects},
                               {"disconnects", s.net.disconnects},
                               {"publish_refused", s.net.publish_refused}}}};
}

std::string run_door_action(Fleet& fleet, const DoorAction& a) {
  switch (a.kind) {
    case DoorActionKind::enter_pin: {
      auto r = fleet.enter_pin(a.lock, a.pin);
      return r ? answer(access_answer(*r)) : fleet_error(r.error());
    }
    case DoorActionKind::turn_key: {
      auto r = fleet.turn_key(a.lock, a.to_locked);
      return r ? answer({{"turned", *r}}) : fleet_error(r.error());
    }
    case DoorActionKind::realign_door: {
      auto r = fleet.realign_door(a.lock);
      return r ? answer({}) : fleet_error(r.error());
    }
    case DoorActionKind::begin_bluetooth: {
      auto r = fleet.begin_bluetooth(a.lock);
      return r ? answer({{"nonce", to_hex(*r)}}) : fleet_error(r.error());
    }
    case DoorActionKind::bluetooth_unlock: {
      auto r = fleet.bluetooth_unlock(a.lock, a.grant, a.response);
      return r ? answer(access_answer(*r)) : fleet_error(r.error());
    }
    case DoorActionKind::provision_wifi: {
      auto r = fleet.provision_wifi(a.lock);
      return r ? answer({}) : fleet_error(r.error());
    }
  }
  return fleet_error({SimErrorCode::invalid_argument, "unknown door action"});
}

std::string run_query(Fleet& fleet, const Query& q) {
  switch (q.kind) {
    case QueryKind::lock: {
      auto v = fleet.inspect(q.id);
      return v ? answer({{"lock", lock_answer(*v)}}) : fleet_error(v.error());
    }
    case QueryKind::hub: {
      auto v = fleet.inspect_hub(q.id);
      if (!v) return fleet_error(v.error());
      return answer({{"hub", json::object{{"id", v->id},
                                          {"powered", v->powered},
                                          {"connected", v->connected},
                                          {"links", wire(protocol::encode(v->links)).at("links")},
                                          {"dropped", v->dropped}}}});
    }
    case QueryKind::fleet:
      return answer({{"fleet", fleet_answer(fleet.config(), fleet.summary())}});
  }
  return fleet_error({SimErrorCode::invalid_argument, "unknown query"});
}

}  // namespace

std::string too_long_message() {
  return fmt::format("a request is at most {} bytes", kMaxControlLine);
}

lockcore::Result<ControlRequest, ControlError> parse_control_line(std::string_view line) {
  if (line.size() > kMaxControlLine) {
    return fail(ControlError{"too_long", too_long_message()});
  }
  auto parsed = protocol::detail::strict_parse(line);
  if (!parsed) return fail(ControlError{"malformed", parsed.error().message});
  if (!parsed->is_object()) {
    return fail(ControlError{"malformed", "a request is one JSON object"});
  }
  Fields f(parsed->as_object());
  constexpr std::array<std::string_view, 4> kVerbs{"fault", "do", "query", "advance"};
  std::string_view verb;
  int verbs = 0;
  for (std::string_view v : kVerbs) {
    if (parsed->as_object().contains(v)) {
      verb = v;
      ++verbs;
    }
  }
  if (verbs != 1) {
    return fail(ControlError{"unknown_command",
                             "a request has exactly one of \"fault\", \"do\", \"query\", "
                             "\"advance\""});
  }
  ControlRequest request;
  const std::optional<std::string> name = f.string(verb);
  if (name && verb == "fault") request = parse_fault(f, *name);
  if (name && verb == "do") request = parse_door_action(f, *name);
  if (name && verb == "query") request = parse_query(f, *name);
  if (name && verb == "advance") {
    auto by = parse_duration(*name);
    if (!by) {
      f.refuse("bad_value",
               "\"advance\" must be a duration such as \"90s\", \"+30m\", \"2h\" or \"3d\"");
    }
    request = Advance{by.value_or(std::chrono::milliseconds(0))};
  }
  f.finish();
  if (f.failed()) return fail(f.error());
  return request;
}

std::string control_error_answer(const ControlError& error) {
  return json::serialize(json::object{
      {"ok", false}, {"error", json::object{{"code", error.code}, {"message", error.message}}}});
}

void execute_control(Fleet& fleet, const ControlRequest& request,
                     const std::function<void(std::string)>& done) {
  if (const auto* fault = std::get_if<Fault>(&request)) {
    auto applied = fleet.apply(*fault);
    return done(applied ? answer({}) : fleet_error(applied.error()));
  }
  if (const auto* action = std::get_if<DoorAction>(&request)) {
    return done(run_door_action(fleet, *action));
  }
  if (const auto* query = std::get_if<Query>(&request)) return done(run_query(fleet, *query));
  const auto& advance = std::get<Advance>(request);
  fleet.advance_to_async(fleet.now() + advance.by.count(), SettleOptions{},
                         [done](SimResult<AdvanceReport> report) {
                           if (!report) return done(fleet_error(report.error()));
                           done(answer({{"now", report->now}, {"timers_run", report->timers_run}}));
                         });
}

}  // namespace sim
