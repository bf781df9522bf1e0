#include "scenario/parse.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "server/access/roles.hpp"
#include "server/access/schedule.hpp"
#include "server/audit/audit_type.hpp"
#include "server/devices/types.hpp"
#include "server/http/rfc3339.hpp"
#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/cause.hpp"
#include "server/lockout/diagnosis/symptom.hpp"
#include "server/maintenance/model.hpp"
#include "server/notify/outbox.hpp"
#include "sim/duration.hpp"
#include "sim/fault.hpp"

namespace scenario {

namespace json = boost::json;

namespace {

// Thrown inside this file only, caught by parse(): the first error ends parsing.
struct ParseError {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, std::string_view expected, std::string_view got) {
  throw ParseError{fmt::format("{}: expected {}{}", path, expected,
                               got.empty() ? std::string() : fmt::format(", got {}", got))};
}

std::string shown(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// One JSON object being read: every key must be read (or is unknown).
class Obj {
 public:
  Obj(const json::value& v, std::string path) : path_(std::move(path)) {
    if (!v.is_object()) fail(path_, "an object", shown(v));
    obj_ = &v.as_object();
  }
  ~Obj() = default;
  // Call when every key the kind allows has been read.
  void done() const {
    for (const auto& kv : *obj_) {
      if (!used_.contains(std::string(kv.key()))) {
        fail(at(kv.key()), "no such key here", fmt::format("\"{}\"", std::string(kv.key())));
      }
    }
  }
  std::string at(std::string_view key) const { return fmt::format("{}.{}", path_, key); }
  const std::string& path() const { return path_; }
  bool has(std::string_view key) const { return obj_->contains(key); }
  const json::value* get(std::string_view key) {
    used_.insert(std::string(key));
    auto it = obj_->find(key);
    return it == obj_->end() ? nullptr : &it->value();
  }
  const json::value& need(std::string_view key) {
    const json::value* v = get(key);
    if (!v) fail(at(key), "this key", "nothing");
    return *v;
  }
  std::string str(std::string_view key, bool required = true, std::string fallback = {}) {
    const json::value* v = required ? &need(key) : get(key);
    if (!v) return fallback;
    if (!v->is_string() || v->as_string().empty()) fail(at(key), "a non-empty string", shown(*v));
    return std::string(v->as_string());
  }
  bool boolean(std::string_view key, bool fallback) {
    const json::value* v = get(key);
    if (!v) return fallback;
    if (!v->is_bool()) fail(at(key), "true or false", shown(*v));
    return v->as_bool();
  }
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi, bool required,
                       std::int64_t fallback = 0) {
    const json::value* v = required ? &need(key) : get(key);
    if (!v) return fallback;
    std::int64_t n = 0;
    if (v->is_int64()) {
      n = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(hi)) {
      n = static_cast<std::int64_t>(v->as_uint64());
    } else {
      fail(at(key), fmt::format("an integer {}..{}", lo, hi), shown(*v));
    }
    if (n < lo || n > hi) fail(at(key), fmt::format("an integer {}..{}", lo, hi), shown(*v));
    return n;
  }
  std::vector<std::string> strings(std::string_view key, bool required) {
    const json::value* v = required ? &need(key) : get(key);
    std::vector<std::string> out;
    if (!v) return out;
    if (!v->is_array()) fail(at(key), "an array of strings", shown(*v));
    std::size_t i = 0;
    for (const json::value& e : v->as_array()) {
      if (!e.is_string() || e.as_string().empty()) {
        fail(fmt::format("{}[{}]", at(key), i), "a non-empty string", shown(e));
      }
      out.emplace_back(e.as_string());
      ++i;
    }
    return out;
  }
  const json::array& array(std::string_view key, bool required) {
    static const json::array empty;
    const json::value* v = required ? &need(key) : get(key);
    if (!v) return empty;
    if (!v->is_array()) fail(at(key), "an array", shown(*v));
    return v->as_array();
  }

 private:
  const json::object* obj_ = nullptr;
  std::string path_;
  std::set<std::string> used_;
};

Offset offset(const std::string& path, const std::string& text) {
  auto d = sim::parse_duration(text);
  if (!d)
    fail(path, "a duration such as \"+0s\", \"+90s\", \"+30m\", \"+2h\", \"+3d\"",
         "\"" + text + "\"");
  return d->count();
}

Offset offset_of(Obj& o, std::string_view key) {
  return offset(o.at(key), o.str(key));
}

template <class Check>
void one_of(const std::string& path, const std::string& value, std::string_view what,
            Check&& known) {
  if (!known(value)) fail(path, what, "\"" + value + "\"");
}

template <class Enum>
bool lockout_name(const std::string& name) {
  return server::lockout::from_string<Enum>(name).has_value();
}

const std::set<std::string, std::less<>> kActions = {"enter_pin",        "turn_key",
                                                     "bluetooth_unlock", "realign_door",
                                                     "app_unlock",       "sign_in",
                                                     "sign_out",         "expire_session",
                                                     "new_phone",        "reinstall_app",
                                                     "deny_bluetooth",   "lose_mfa",
                                                     "report_lockout",   "request_backup_code",
                                                     "open_backup_link", "take_action",
                                                     "create_code",      "delete_code",
                                                     "set_role",         "move_out",
                                                     "move_in",          "transfer_ownership",
                                                     "accept_transfer",  "suspend",
                                                     "remote_unlock",    "verify_identity",
                                                     "advance"};

const std::set<std::string, std::less<>> kAppOnly = {"new_phone", "reinstall_app",
                                                     "deny_bluetooth"};

Outcome outcome_from(const std::string& path, const std::string& text) {
  static const std::pair<std::string_view, Outcome> table[] = {
      {"granted", Outcome::granted},
      {"denied", Outcome::denied},
      {"jammed", Outcome::jammed},
      {"no_power", Outcome::no_power},
      {"keypad_disabled", Outcome::keypad_disabled},
      {"error", Outcome::error}};
  for (const auto& [name, o] : table)
    if (name == text) return o;
  fail(path, "one of granted, denied, jammed, no_power, keypad_disabled, error",
       "\"" + text + "\"");
}

class Parser {
 public:
  explicit Parser(Scenario& s) : s_(s) {}

  void top(const json::value& root) {
    Obj o(root, "$");
    s_.name = o.str("name");
    s_.description = o.str("description", false);
    s_.seed = static_cast<std::uint64_t>(o.integer("seed", 0, INT64_MAX, true));
    const std::string start = o.str("start");
    auto at = server::http::parse_rfc3339(start);
    if (!at) fail(o.at("start"), "an RFC 3339 time", "\"" + start + "\"");
    s_.start = *at;
    {
      Obj site(o.need("site"), o.at("site"));
      s_.site = site.str("id");
      s_.timezone = site.str("timezone");
      site.done();
    }
    const json::array& hubs = o.array("hubs", false);
    for (std::size_t i = 0; i < hubs.size(); ++i) {
      Obj h(hubs[i], fmt::format("{}[{}]", o.at("hubs"), i));
      std::string id = h.str("id");
      unique(h.at("id"), id);
      s_.hubs.push_back(id);
      h.done();
    }
    const json::array& locks = o.array("locks", true);
    for (std::size_t i = 0; i < locks.size(); ++i)
      lock(locks[i], fmt::format("{}[{}]", o.at("locks"), i));
    const json::array& people = o.array("people", true);
    for (std::size_t i = 0; i < people.size(); ++i) {
      Obj p(people[i], fmt::format("{}[{}]", o.at("people"), i));
      PersonDecl d;
      d.id = p.str("id");
      unique(p.at("id"), d.id);
      s_.people.push_back(d);
    }
    // People's details after every id is known (codes name locks; nothing names people yet).
    for (std::size_t i = 0; i < people.size(); ++i)
      person(people[i], fmt::format("{}[{}]", o.at("people"), i), s_.people[i]);
    const json::array& timeline = o.array("timeline", true);
    Offset last = 0;
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      Step st = step(timeline[i], fmt::format("{}[{}]", o.at("timeline"), i));
      if (st.at < last) {
        fail(st.path + ".at", fmt::format("a time at or after the previous step's (+{}ms)", last),
             fmt::format("+{}ms", st.at));
      }
      last = st.at;
      s_.timeline.push_back(std::move(st));
    }
    const json::array& expect = o.array("expect", false);
    for (std::size_t i = 0; i < expect.size(); ++i)
      s_.expect.push_back(expectation(expect[i], fmt::format("{}[{}]", o.at("expect"), i)));
    o.done();
  }

 private:
  void unique(const std::string& path, const std::string& id) {
    if (!ids_.insert(id).second) fail(path, "an id not used before in this file", "\"" + id + "\"");
  }
  void lock(const json::value& v, const std::string& path) {
    Obj l(v, path);
    LockDecl d;
    d.id = l.str("id");
    unique(l.at("id"), d.id);
    if (l.has("unit")) d.unit = l.str("unit");
    d.link = l.str("link", false, "wifi");
    if (d.link != "wifi" && d.link != "none" &&
        std::find(s_.hubs.begin(), s_.hubs.end(), d.link) == s_.hubs.end()) {
      fail(l.at("link"), "a declared hub id, \"wifi\" or \"none\"", "\"" + d.link + "\"");
    }
    d.keypad = l.boolean("keypad", true);
    d.bluetooth = l.boolean("bluetooth", true);
    d.physical_key = l.boolean("physical_key", true);
    d.battery_pct = static_cast<int>(l.integer("battery_pct", 0, 100, false, 100));
    d.firmware = l.str("firmware", false);
    d.slots = static_cast<int>(l.integer("slots", 1, 250, false, 250));
    d.backup_pool = static_cast<int>(l.integer("backup_pool", 0, 20, false, 5));
    l.done();
    s_.locks.push_back(std::move(d));
  }

  std::string unit_ref(Obj& o, std::string_view key) {
    std::string unit = o.str(key);
    for (const LockDecl& l : s_.locks)
      if (l.unit == unit) return unit;
    fail(o.at(key), "a unit some declared lock names", "\"" + unit + "\"");
  }
  std::string lock_ref(Obj& o, std::string_view key) {
    std::string id = o.str(key);
    if (!s_.find_lock(id)) fail(o.at(key), "a declared lock id", "\"" + id + "\"");
    return id;
  }
  std::string hub_ref(Obj& o, std::string_view key) {
    std::string id = o.str(key);
    if (std::find(s_.hubs.begin(), s_.hubs.end(), id) == s_.hubs.end())
      fail(o.at(key), "a declared hub id", "\"" + id + "\"");
    return id;
  }
  std::string person_ref(Obj& o, std::string_view key) {
    std::string id = o.str(key);
    if (!s_.find_person(id)) fail(o.at(key), "a declared person id", "\"" + id + "\"");
    return id;
  }

  void person(const json::value& v, const std::string& path, PersonDecl& d) {
    Obj p(v, path);
    p.str("id");
    d.email = p.str("email");
    d.phone = p.str("phone");
    d.password = p.str("password");
    d.mfa = p.boolean("mfa", false);
    const json::array& ms = p.array("memberships", false);
    for (std::size_t i = 0; i < ms.size(); ++i) {
      Obj m(ms[i], fmt::format("{}[{}]", p.at("memberships"), i));
      MembershipDecl md;
      md.role = m.str("role");
      one_of(m.at("role"), md.role,
             "a role (owner, manager, maintenance, resident, guest, support)",
             [](const std::string& r) { return server::access::role_from(r).has_value(); });
      const bool site = m.boolean("site", false);
      if (m.has("unit")) {
        if (site) fail(m.path(), "either \"unit\" or \"site\": true", "both");
        md.unit = unit_ref(m, "unit");
      } else if (!site) {
        fail(m.path(), "\"unit\" or \"site\": true", "neither");
      }
      if (m.has("from")) md.from = offset_of(m, "from");
      if (m.has("until")) md.until = offset_of(m, "until");
      if (md.from && md.until && *md.until <= *md.from)
        fail(m.at("until"), "a time after \"from\"", m.str("until"));
      if (m.has("schedule")) md.schedule = schedule(m, "schedule");
      m.done();
      d.memberships.push_back(std::move(md));
    }
    d.devices = p.strings("devices", false);
    for (std::size_t i = 0; i < d.devices.size(); ++i)
      unique(fmt::format("{}[{}]", p.at("devices"), i), d.devices[i]);
    const json::array& codes = p.array("codes", false);
    for (std::size_t i = 0; i < codes.size(); ++i) {
      Obj c(codes[i], fmt::format("{}[{}]", p.at("codes"), i));
      CodeDecl cd;
      cd.lock = lock_ref(c, "lock");
      cd.pin = pin(c, "pin", false);
      c.done();
      d.codes.push_back(std::move(cd));
    }
    d.keys = p.strings("keys", false);
    for (std::size_t i = 0; i < d.keys.size(); ++i) {
      if (!s_.find_lock(d.keys[i]))
        fail(fmt::format("{}[{}]", p.at("keys"), i), "a declared lock id", "\"" + d.keys[i] + "\"");
    }
    p.done();
  }

  std::string schedule(Obj& o, std::string_view key) {
    std::string text = o.str(key);
    auto parsed = server::access::parse_schedule(text);
    if (!parsed)
      fail(o.at(key), "a weekly schedule such as \"Mo-Fr 08:00-17:00\"",
           fmt::format("\"{}\" ({})", text, parsed.error()));
    return text;
  }
  std::string pin(Obj& o, std::string_view key, bool backup_allowed) {
    std::string p = o.str(key);
    if (backup_allowed && p == "{backup}") return p;
    const bool digits =
        p.size() >= 4 && p.size() <= 8 &&
        std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits)
      fail(o.at(key), backup_allowed ? "4-8 digits or \"{backup}\"" : "4-8 digits",
           "\"" + p + "\"");
    return p;
  }
  std::string device_of(Obj& o, const std::string& who, bool required) {
    if (!required && !o.has("device")) return {};
    std::string id = o.str("device");
    const PersonDecl* p = s_.find_person(who);
    if (std::find(p->devices.begin(), p->devices.end(), id) == p->devices.end() &&
        !new_devices_.contains(who + "/" + id)) {
      fail(o.at("device"), fmt::format("a device of \"{}\"", who), "\"" + id + "\"");
    }
    return id;
  }

  Step step(const json::value& v, const std::string& path) {
    Obj o(v, path);
    Step st;
    st.path = path;
    st.at = offset_of(o, "at");
    const bool is_fault = o.has("fault");
    if (is_fault == o.has("do")) fail(path, "exactly one of \"fault\" or \"do\"", "");
    if (is_fault) {
      st.fault = true;
      st.kind = o.str("fault");
      if (st.kind != "broker_restart" && st.kind != "server_restart") {
        auto kind = sim::fault_from_name(st.kind);
        if (!kind || *kind == sim::FaultKind::clear_motor_fault ||
            *kind == sim::FaultKind::clear_keypad_fault) {
          one_of(o.at("fault"), st.kind, "a fault of the scenario format",
                 [](const std::string&) { return false; });
        }
        if (sim::targets_hub(*kind)) {
          if (o.has("hub"))
            st.hub = hub_ref(o, "hub");
          else
            st.lock = lock_ref(o, "lock");
        } else {
          st.lock = lock_ref(o, "lock");
        }
        if (*kind == sim::FaultKind::battery)
          st.pct = static_cast<int>(o.integer("pct", 0, 100, true));
        if (*kind == sim::FaultKind::firmware) st.version = o.str("version");
      }
    } else {
      st.kind = o.str("do");
      one_of(o.at("do"), st.kind, "an action of the scenario format",
             [](const std::string& a) { return kActions.contains(a); });
      if (st.kind != "advance") st.who = person_ref(o, "who");
      action_fields(o, st);
    }
    if (const json::value* e = o.get("expect")) {
      if (e->is_string()) {
        st.expect = outcome_from(o.at("expect"), std::string(e->as_string()));
      } else if (e->is_array()) {
        for (std::size_t i = 0; i < e->as_array().size(); ++i) {
          s_.step_expect.emplace_back(
              s_.timeline.size(),
              expectation(e->as_array()[i], fmt::format("{}[{}]", o.at("expect"), i)));
        }
      } else {
        fail(o.at("expect"), "an outcome name or an array of expectations", shown(*e));
      }
    }
    o.done();
    return st;
  }

  void action_fields(Obj& o, Step& st) {
    const std::string& k = st.kind;
    if (k == "enter_pin") {
      st.lock = lock_ref(o, "lock");
      st.pin = pin(o, "pin", true);
    } else if (k == "turn_key" || k == "realign_door" || k == "remote_unlock") {
      st.lock = lock_ref(o, "lock");
    } else if (k == "bluetooth_unlock" || k == "app_unlock") {
      st.lock = lock_ref(o, "lock");
      st.device = device_of(o, st.who, true);
    } else if (k == "sign_in") {
      st.device = device_of(o, st.who, true);
      st.password = o.str("password");
      st.totp = o.str("totp", false);
      if (!st.totp.empty() && st.totp != "valid" && st.totp != "wrong")
        fail(o.at("totp"), "\"valid\" or \"wrong\"", "\"" + st.totp + "\"");
    } else if (k == "sign_out" || k == "expire_session" || kAppOnly.contains(k)) {
      if (k == "new_phone") {
        st.device = o.str("device");
        new_devices_.insert(st.who + "/" + st.device);
      } else {
        st.device = device_of(o, st.who, true);
      }
    } else if (k == "lose_mfa" || k == "accept_transfer") {
    } else if (k == "report_lockout") {
      st.lock = lock_ref(o, "lock");
      st.device = device_of(o, st.who, false);
      st.symptoms = o.strings("symptoms", true);
      for (std::size_t i = 0; i < st.symptoms.size(); ++i) {
        one_of(fmt::format("{}[{}]", o.at("symptoms"), i), st.symptoms[i], "a symptom id",
               lockout_name<server::lockout::Symptom>);
      }
      st.case_number = ++cases_;
    } else if (k == "request_backup_code") {
      st.by = o.str("by");
      if (st.by != "email" && st.by != "phone")
        fail(o.at("by"), "\"email\" or \"phone\"", "\"" + st.by + "\"");
      st.value = o.str("value");
    } else if (k == "open_backup_link") {
      st.channel = o.str("channel");
      if (st.channel != "sms" && st.channel != "email")
        fail(o.at("channel"), "\"sms\" or \"email\"", "\"" + st.channel + "\"");
    } else if (k == "take_action") {
      st.case_number = static_cast<int>(o.integer("case", 1, 1'000'000, true));
      if (st.case_number > cases_)
        fail(o.at("case"), fmt::format("a case opened before this step (1..{})", cases_),
             std::to_string(st.case_number));
      st.action = o.str("action");
      one_of(o.at("action"), st.action, "a recovery action id",
             lockout_name<server::lockout::ActionId>);
    } else if (k == "create_code") {
      st.target = person_ref(o, "for");
      st.lock = lock_ref(o, "lock");
      st.pin = pin(o, "pin", false);
      if (o.has("schedule")) st.schedule = schedule(o, "schedule");
      if (o.has("until")) st.until = offset_of(o, "until");
    } else if (k == "delete_code") {
      st.target = person_ref(o, "for");
      st.lock = lock_ref(o, "lock");
    } else if (k == "set_role") {
      st.target = person_ref(o, "for");
      st.role = o.str("role");
      one_of(o.at("role"), st.role, "a role",
             [](const std::string& r) { return server::access::role_from(r).has_value(); });
      if (o.has("unit")) st.unit = unit_ref(o, "unit");
    } else if (k == "move_out" || k == "move_in") {
      st.target = person_ref(o, "for");
      st.unit = unit_ref(o, "unit");
    } else if (k == "transfer_ownership") {
      st.target = person_ref(o, "to");
    } else if (k == "suspend") {
      st.target = person_ref(o, "for");
    } else if (k == "verify_identity") {
      st.target = person_ref(o, "for");
      st.method = o.str("method");
      if (st.method != "totp" && st.method != "recovery_code" && st.method != "manager_attestation")
        fail(o.at("method"), "\"totp\", \"recovery_code\" or \"manager_attestation\"",
             "\"" + st.method + "\"");
      st.totp = o.str("totp", false);
      if (!st.totp.empty() && st.totp != "valid" && st.totp != "wrong")
        fail(o.at("totp"), "\"valid\" or \"wrong\"", "\"" + st.totp + "\"");
    } else if (k == "advance") {
      st.duration = offset_of(o, "by");
    }
  }

  Expectation expectation(const json::value& v, const std::string& path) {
    Obj o(v, path);
    Expectation e;
    e.path = path;
    if (o.has("bolt")) {
      e.kind = ExpectKind::bolt;
      e.lock = lock_ref(o, "lock");
      e.bolt = o.str("bolt");
      if (e.bolt != "locked" && e.bolt != "unlocked" && e.bolt != "jammed" && e.bolt != "unknown")
        fail(o.at("bolt"), "locked, unlocked, jammed or unknown", "\"" + e.bolt + "\"");
    } else if (o.has("case")) {
      e.case_number = static_cast<int>(o.integer("case", 1, 1'000'000, true));
      if (e.case_number > cases_)
        fail(o.at("case"), fmt::format("a case the timeline opens (1..{})", cases_),
             std::to_string(e.case_number));
      if (o.has("resolved")) {
        e.kind = ExpectKind::case_resolved;
        e.resolved = o.boolean("resolved", false);
        e.resolved_by = o.str("resolved_by", false);
        if (!e.resolved_by.empty())
          one_of(o.at("resolved_by"), e.resolved_by, "a recovery action id",
                 lockout_name<server::lockout::ActionId>);
      } else if (o.has("plan_first") || o.has("plan_includes") || o.has("plan_excludes")) {
        e.kind = ExpectKind::case_plan;
        case_lists(o, e, e.plan_first, {"plan_first", "plan_includes", "plan_excludes"},
                   "a recovery action id", lockout_name<server::lockout::ActionId>);
      } else {
        e.kind = ExpectKind::case_diagnosis;
        case_lists(o, e, e.top_cause, {"top_cause", "causes_include", "causes_exclude"},
                   "a cause id", lockout_name<server::lockout::CauseId>);
      }
    } else if (o.has("messages")) {
      e.kind = ExpectKind::messages;
      Obj m(o.need("messages"), o.at("messages"));
      e.to = person_ref(m, "to");
      e.channel = m.str("channel");
      one_of(m.at("channel"), e.channel, "\"sms\" or \"email\"",
             [](const std::string& c) { return c == "sms" || c == "email"; });
      e.message_kind = m.str("kind", false);
      if (!e.message_kind.empty())
        one_of(m.at("kind"), e.message_kind, "a message kind",
               [](const std::string& k) { return server::notify::kind_from(k).has_value(); });
      e.count = static_cast<int>(m.integer("count", 0, 1'000'000, true));
      m.done();
    } else if (o.has("work_order")) {
      e.kind = ExpectKind::work_order;
      Obj w(o.need("work_order"), o.at("work_order"));
      e.lock = lock_ref(w, "lock");
      e.work_order_kind = w.str("kind");
      one_of(w.at("kind"), e.work_order_kind, "door_alignment, battery, hub or lock_hardware",
             [](const std::string& k) { return server::maintenance::kind_from(k).has_value(); });
      w.done();
      e.exists = o.boolean("exists", true);
    } else if (o.has("credential")) {
      e.kind = ExpectKind::credential;
      Obj c(o.need("credential"), o.at("credential"));
      e.lock = lock_ref(c, "lock");
      e.holder = person_ref(c, "for");
      c.done();
      e.status = o.str("status");
      one_of(o.at("status"), e.status, "pending, set, failed, removing or removed",
             [](const std::string& s) {
               return server::devices::credential_status_from(s).has_value();
             });
    } else if (o.has("audit_includes")) {
      e.kind = ExpectKind::audit_includes;
      e.includes = o.strings("audit_includes", true);
      for (std::size_t i = 0; i < e.includes.size(); ++i) {
        one_of(fmt::format("{}[{}]", o.at("audit_includes"), i), e.includes[i],
               "an audit entry type",
               [](const std::string& t) { return server::audit::audit_type_from(t).has_value(); });
      }
    } else {
      fail(path, "an expectation (bolt, case, messages, work_order, credential, audit_includes)",
           shown(v));
    }
    o.done();
    return e;
  }

  // A case expectation's single id and its include/exclude lists (`keys` in that order).
  template <class Known>
  void case_lists(Obj& o, Expectation& e, std::string& single,
                  const std::array<std::string_view, 3>& keys, std::string_view what,
                  Known&& known) {
    single = o.str(keys[0], false);
    if (!single.empty()) one_of(o.at(keys[0]), single, what, known);
    e.includes = o.strings(keys[1], false);
    e.excludes = o.strings(keys[2], false);
    for (std::size_t i = 0; i < e.includes.size(); ++i)
      one_of(fmt::format("{}[{}]", o.at(keys[1]), i), e.includes[i], what, known);
    for (std::size_t i = 0; i < e.excludes.size(); ++i)
      one_of(fmt::format("{}[{}]", o.at(keys[2]), i), e.excludes[i], what, known);
  }

  Scenario& s_;
  std::set<std::string> ids_;          // hubs, locks, people, devices share one namespace
  std::set<std::string> new_devices_;  // person/device named by a new_phone step
  int cases_ = 0;
};

}  // namespace

const LockDecl* Scenario::find_lock(const std::string& id) const {
  for (const LockDecl& l : locks)
    if (l.id == id) return &l;
  return nullptr;
}

const PersonDecl* Scenario::find_person(const std::string& id) const {
  for (const PersonDecl& p : people)
    if (p.id == id) return &p;
  return nullptr;
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::none:
      return "none";
    case Outcome::granted:
      return "granted";
    case Outcome::denied:
      return "denied";
    case Outcome::jammed:
      return "jammed";
    case Outcome::no_power:
      return "no_power";
    case Outcome::keypad_disabled:
      return "keypad_disabled";
    case Outcome::error:
      return "error";
  }
  return "none";
}

lockcore::Result<Scenario, std::string> parse(std::string_view text, std::string_view file) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 32;
  json::value root = json::parse(text, ec, {}, options);
  if (ec)
    return lockcore::fail(fmt::format("{}: $: expected a JSON document ({})", file, ec.message()));
  Scenario s;
  s.file = std::string(file);
  try {
    Parser(s).top(root);
  } catch (const ParseError& e) {
    return lockcore::fail(fmt::format("{}: {}", file, e.message));
  }
  return s;
}

lockcore::Result<Scenario, std::string> parse_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return lockcore::fail(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > (1U << 20)) return lockcore::fail(path + ": larger than 1 MiB");
  return parse(text.str(), path);
}

}  // namespace scenario
