#pragma once
// A scenario as parsed from its file (shared/scenarios/README.md is the format): the site, its
// hubs, locks and people, the timeline and the expectations. Every reference in it has been
// checked against what the file declares (parse.hpp), so the runner never meets an unknown id.
// Times are offsets in milliseconds from `start`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace scenario {

using Offset = std::int64_t;  // ms after the scenario's start

struct LockDecl {
  std::string id;
  std::optional<std::string> unit;  // nullopt: a common door
  std::string link = "wifi";        // a hub id, "wifi" or "none"
  bool keypad = true;
  bool bluetooth = true;
  bool physical_key = true;
  int battery_pct = 100;
  std::string firmware;  // empty: the simulator's current firmware
  int slots = 250;
  int backup_pool = 5;
};

struct MembershipDecl {
  std::string role;
  std::optional<std::string> unit;  // nullopt: site-wide (`"site": true`)
  std::optional<Offset> from;
  std::optional<Offset> until;
  std::optional<std::string> schedule;
};

struct CodeDecl {
  std::string lock;
  std::string pin;
};

struct PersonDecl {
  std::string id;
  std::string email;
  std::string phone;
  std::string password;
  bool mfa = false;
  std::vector<MembershipDecl> memberships;
  std::vector<std::string> devices;
  std::vector<CodeDecl> codes;
  std::vector<std::string> keys;
};

// What a step says should happen.
enum class Outcome { none, granted, denied, jammed, no_power, keypad_disabled, error };

// One timeline step: a fault or an action, with only the fields its kind takes.
struct Step {
  std::string path;  // "$.timeline[3]", for messages
  Offset at = 0;
  bool fault = false;  // `fault` rather than `do`
  std::string kind;    // the fault's or the action's name
  std::string who;
  std::string lock, hub, device, pin, password, totp, by, value, channel, action, target, role,
      unit, schedule, to, method, version;
  std::optional<Offset> until;
  std::vector<std::string> symptoms;
  int pct = 0;
  int case_number = 0;
  Offset duration = 0;  // advance's `by`
  Outcome expect = Outcome::none;
};

enum class ExpectKind {
  bolt,
  case_diagnosis,
  case_plan,
  case_resolved,
  messages,
  work_order,
  credential,
  audit_includes
};

struct Expectation {
  std::string path;
  ExpectKind kind = ExpectKind::bolt;
  std::string lock;
  std::string bolt;  // bolt: "locked", "unlocked", "jammed", "unknown"
  int case_number = 0;
  std::string top_cause;                        // case_diagnosis
  std::vector<std::string> includes, excludes;  // causes or plan actions, audit types
  std::string plan_first;
  bool resolved = false;
  std::string resolved_by;
  std::string to, channel, message_kind;  // messages (kind empty: every kind)
  int count = 0;
  std::string work_order_kind;
  bool exists = true;
  std::string holder;  // credential: the person
  std::string status;  // credential status
};

struct Scenario {
  std::string file;
  std::string name, description;
  std::uint64_t seed = 0;
  std::int64_t start = 0;  // Unix ms
  std::string site, timezone;
  std::vector<std::string> hubs;
  std::vector<LockDecl> locks;
  std::vector<PersonDecl> people;
  std::vector<Step> timeline;
  std::vector<Expectation> expect;
  // Step-level `expect` arrays are flattened here with the index of the step after which they are
  // checked.
  std::vector<std::pair<std::size_t, Expectation>> step_expect;

  const LockDecl* find_lock(const std::string& id) const;
  const PersonDecl* find_person(const std::string& id) const;
};

std::string_view to_string(Outcome outcome);

}  // namespace scenario
