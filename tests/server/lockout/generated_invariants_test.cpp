// The generated invariant test: a seeded generator of lockout snapshots (causes, roles, windows,
// schedules, account states, verification, telemetry and symptoms in every combination) and, for
// each, the properties every diagnosis must have. The person's entitlement is computed here from
// DESIGN.md's words, not by calling the engine's eligibility or invariant code.

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/invariants.hpp"
#include "tests/server/lockout/story.hpp"

namespace lockout_test {
namespace {

using lockcore::BoltState;
using lockcore::KeypadState;

constexpr std::uint64_t kSeed = 20260112;
constexpr int kCases = 200'000;

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T, std::size_t N>
  T pick(const std::array<T, N>& values) {
    return values[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng_)];
  }
  template <class E>
  E any(std::size_t count) {
    return static_cast<E>(std::uniform_int_distribution<std::size_t>(0, count - 1)(rng_));
  }
  std::optional<bool> maybe(double p_known, double p_true) {
    if (!chance(p_known)) return std::nullopt;
    return chance(p_true);
  }
  UnixMs around_now() {
    return kNow + pick(std::array<UnixMs, 7>{-5 * kDay, -3 * kHour, -40 * kMinute, -5 * kMinute,
                                             20 * kMinute, 3 * kHour, 2 * kDay});
  }
  UnixMs before_now() {
    return kNow - pick(std::array<UnixMs, 6>{30'000, 5 * kMinute, 40 * kMinute, 3 * kHour, 2 * kDay,
                                             6 * kDay});
  }

  Snapshot snapshot() {
    Snapshot s;
    s.now = kNow;
    s.site = {.id = "gen-site",
              .admin_reachable = chance(0.7),
              .manager_can_unlock = chance(0.6),
              .utc_offset_min = pick(std::array<std::int16_t, 3>{-360, 0, 60})};
    report(s);
    person(s);
    relation(s);
    codes(s);
    lock(s);
    return s;
  }

 private:
  void report(Snapshot& s) {
    const double each = chance(0.1) ? 0.0 : 0.18;
    for (std::size_t i = 0; i < kSymptomCount; ++i)
      if (chance(each)) s.report.symptoms.add(static_cast<Symptom>(i));
    PhoneContext& phone = s.report.phone;
    phone.present = chance(0.8);
    if (phone.present) {
      phone.device = "gen-phone";
      phone.signed_in = maybe(0.7, 0.7);
      phone.enrolled = maybe(0.6, 0.8);
      phone.bluetooth_allowed = maybe(0.6, 0.7);
      phone.app_version = chance(0.8) ? "5.2.0" : "";
    }
  }

  void person(Snapshot& s) {
    Person& p = s.person;
    p.id = "gen-person";
    p.account_exists = chance(0.96);
    p.status =
        pick(std::array{AccountStatus::active, AccountStatus::active, AccountStatus::active,
                        AccountStatus::locked, AccountStatus::suspended, AccountStatus::deleted});
    p.mfa_enabled = chance(0.4);
    p.mfa_available = chance(0.7);
    p.failed_sign_ins = pick(std::array<std::uint16_t, 4>{0, 1, 3, 8});
    if (chance(0.15)) {  // the sign-in throttle holds the account for a while
      p.sign_in_held_until = kNow + pick(std::array<UnixMs, 3>{5'000, 17 * 60'000, 3'600'000});
      p.sign_in_held_from = pick(std::array<const char*, 2>{"ip:127.0.0.3", "untrusted"});
      p.sign_in_held_after = pick(std::array<std::uint16_t, 3>{6, 15, 100});
    }
    p.session_valid = maybe(0.8, 0.7);
    p.device_enrolled = maybe(0.8, 0.8);
    p.carries_physical_key = chance(0.35);
    p.verification = pick(std::array{Verification::none, Verification::session,
                                     Verification::session, Verification::identity_checked});
  }

  void relation(Snapshot& s) {
    Relation& r = s.relation;
    if (chance(0.9)) r.role = any<Role>(kRoleCount);
    r.work_order_open = chance(0.4);
    r.window = pick(std::array{Validity::current, Validity::current, Validity::current,
                               Validity::not_yet, Validity::ended});
    r.window_edge = around_now();
    r.inside_schedule = maybe(0.4, 0.6);
    r.moved_out = chance(0.1);
    r.moved_out_at = before_now();
    r.transfer_pending_to_person = chance(0.08);
    r.transfer_started_at = before_now();
    r.door_in_account = chance(0.9);
  }

  void codes(Snapshot& s) {
    const int n = pick(std::array{0, 1, 1, 1, 2, 3});
    for (int i = 0; i < n; ++i) {
      Code c = code(any<CodeStatus>(kCodeStatusCount), before_now());
      if (c.status == CodeStatus::failed)
        c.failure =
            pick(std::array{lockcore::SlotError::duplicate_pin,
                            lockcore::SlotError::slot_out_of_range, lockcore::SlotError::invalid});
      c.window = pick(
          std::array{Validity::current, Validity::current, Validity::not_yet, Validity::ended});
      c.window_edge = around_now();
      c.inside_schedule = maybe(0.3, 0.6);
      (void)s.codes.push_back(c);
    }
  }

  void lock(Snapshot& s) {
    LockFacts& l = s.lock;
    l.exists = chance(0.97);
    l.id = "gen-lock";
    l.hub_id = "gen-hub";
    l.link = pick(std::array{Link::hub, Link::hub, Link::wifi, Link::none});
    l.online = chance(0.7);
    l.last_seen = l.online ? kNow - 20'000 : before_now();
    l.hub_online = chance(0.75);
    l.hub_last_seen = l.hub_online ? kNow - 10'000 : before_now();
    l.wifi_network_changed = chance(0.1);
    if (chance(0.95))
      l.battery_pct = pick(std::array<std::uint8_t, 10>{0, 0, 3, 8, 15, 19, 20, 55, 80, 100});
    if (chance(0.7)) l.battery_days_left = pick(std::array<std::uint16_t, 5>{1, 3, 9, 60, 300});
    l.bolt = pick(std::array{BoltState::locked, BoltState::locked, BoltState::unlocked,
                             BoltState::jammed, BoltState::unknown});
    l.last_jam_at = chance(0.5) ? before_now() : 0;
    l.jams_last_7d = pick(std::array<std::uint16_t, 4>{0, 1, 2, 5});
    l.keypad = pick(std::array{KeypadState::ok, KeypadState::ok, KeypadState::ok,
                               KeypadState::disabled, KeypadState::fault, KeypadState::absent});
    if (chance(0.25))
      l.keypad_disabled_until = kNow + pick(std::array<UnixMs, 3>{-5'000, 30'000, 60'000});
    l.motor_fault = chance(0.08);
    l.epoch_changed = chance(0.1);
    l.factory_reset_at = before_now();
    l.paired = chance(0.85);
    l.shadow_in_sync = chance(0.7);
    l.shadow_out_of_sync_since = before_now();
    l.firmware = "2.4.1";
    l.firmware_compat = any<FirmwareCompat>(kFirmwareCompatCount);
    l.has_bluetooth = chance(0.8);
    l.has_keyway = chance(0.8);
    l.has_jump_terminal = chance(0.7);
    l.backup_pool_available = chance(0.6);
    l.wrong_codes_recent = pick(std::array<std::uint16_t, 5>{0, 0, 0, 2, 5});
    l.last_wrong_code_at = before_now();
    l.last_wrong_code_limit_at = chance(0.2) ? before_now() : 0;
  }

  std::mt19937_64 rng_;
};

// ---- the person's entitlement, from DESIGN.md's words --------------------------------------

// "No action gives anyone access their verified role does not already grant. A guest whose
// window ended, a resident who moved out, an unverified caller get no code, key or unlock."
struct Entitlement {
  bool helped = false;  // still related to this door at all: may be helped in any way
  bool holds = false;   // may use the credentials they hold, now
  bool given = false;   // may be given access now (a code, a key, an unlock)
  bool admin = false;   // holds or is receiving an admin role here (owner, manager, transfer)
  Role role = Role::support;
};

Entitlement entitlement(const Snapshot& s) {
  Entitlement e;
  const Person& p = s.person;
  const Relation& r = s.relation;
  if (!p.account_exists || p.status == AccountStatus::deleted || !s.lock.exists) return e;
  if (r.moved_out || r.window == Validity::ended) return e;
  if (!r.role && !r.transfer_pending_to_person) return e;
  e.helped = true;
  e.admin = r.transfer_pending_to_person || r.role == Role::owner || r.role == Role::manager;
  if (!r.role) return e;
  e.role = *r.role;
  // DESIGN.md section 3: support "never unlock[s] by itself"; maintenance has "a time-boxed way
  // in", which is the work order; every other role opens the doors its membership covers.
  const bool role_opens = e.role == Role::maintenance ? r.work_order_open : e.role != Role::support;
  const bool in_good_standing =
      p.status != AccountStatus::suspended;  // active, or locked by sign-in throttling only
  e.holds = role_opens && in_good_standing && r.window == Validity::current &&
            r.inside_schedule.value_or(true);
  const bool caller_is_holder =
      p.verification != Verification::none && p.status == AccountStatus::active;
  e.given = e.holds && caller_is_holder;
  return e;
}

enum class Needs { helped, holds, given, admin };

Needs needs(ActionId a) {
  switch (a) {
    case ActionId::sign_in_again:
    case ActionId::reset_password:
    case ActionId::ask_admin_for_access:
      return Needs::helped;
    case ActionId::wait_keypad_cooldown:
    case ActionId::use_physical_key:
    case ActionId::use_own_code:
    case ActionId::realign_door_and_retry:
    case ActionId::jump_battery:
    case ActionId::replace_battery:
    case ActionId::restore_hub:
    case ActionId::allow_bluetooth:
    case ActionId::update_app:
    case ActionId::maintenance_work_order:
    // Advice to enroll one's own phone: identity does it only behind a full sign-in.
    case ActionId::enroll_device:
      return Needs::holds;
    case ActionId::verify_identity_restore_admin:
      return Needs::admin;
    default:
      return Needs::given;
  }
}

// ---- the checks --------------------------------------------------------------------------

struct Checker {
  const Snapshot& s;
  const Diagnosis& d;
  std::string failure;

  void fail(const std::string& what) {
    if (failure.empty()) failure = what;
  }
  void never(ActionId a, bool when, const char* why) {
    if (when && d.plans(a)) fail(std::string(to_string(a)) + " offered although " + why);
  }

  void entitlement_holds() {
    const Entitlement e = entitlement(s);
    for (const PlanStep& step : d.plan) {
      const ActionId a = step.action;
      const std::string name(to_string(a));
      switch (needs(a)) {
        case Needs::helped:
          if (!e.helped) fail(name + " offered to someone no longer related to the door");
          break;
        case Needs::holds:
          if (!e.holds) fail(name + " offered without a right to the door now");
          break;
        case Needs::given:
          if (!e.given) fail(name + " gives access beyond the verified role");
          break;
        case Needs::admin:
          if (!e.admin || s.person.status == AccountStatus::suspended)
            fail(name + " restores an admin role the person does not hold");
          break;
      }
    }
    never(ActionId::locksmith_entry,
          e.role != Role::owner && e.role != Role::manager && e.role != Role::resident,
          "only owners, managers and residents call a locksmith");
    never(ActionId::factory_reset_and_reenroll, e.role != Role::owner && e.role != Role::manager,
          "only owners and managers reset a lock");
    never(ActionId::maintenance_work_order, e.role == Role::guest, "guests ask their host");
    const bool impaired_admin = e.admin && (s.person.status == AccountStatus::locked ||
                                            (s.person.mfa_enabled && !s.person.mfa_available) ||
                                            s.relation.transfer_pending_to_person);
    never(ActionId::ask_admin_for_access, impaired_admin,
          "an impaired admin is restored by identity verification, not by another admin");
    if (!e.helped && !d.plan.empty()) fail("a plan for someone no longer related to the door");
    for (const PathStatus& p : d.paths) {
      if (!p.alive) continue;
      const bool through_phone = p.path == Path::app || p.path == Path::bluetooth;
      if (!e.holds || (through_phone && !e.given))
        fail(std::string(to_string(p.path)) + " alive for someone without the right to it");
    }
  }

  void workability_holds() {
    const LockFacts& l = s.lock;
    const bool hub_down = l.link == Link::hub && !l.hub_online;
    const bool reachable = l.link != Link::none && l.online && !hub_down;
    const bool dead = l.battery_pct == 0;
    const bool jammed = l.bolt == BoltState::jammed;
    const bool no_keypad = l.keypad == KeypadState::absent || l.keypad == KeypadState::fault;
    for (ActionId a :
         {ActionId::remote_unlock_by_manager, ActionId::use_app, ActionId::resync_code})
      never(a, !reachable, "the lock cannot be reached");
    for (ActionId a :
         {ActionId::use_own_code, ActionId::send_backup_code, ActionId::wait_keypad_cooldown,
          ActionId::use_app, ActionId::use_bluetooth, ActionId::remote_unlock_by_manager})
      never(a, dead, "the battery is empty");
    for (ActionId a :
         {ActionId::use_own_code, ActionId::send_backup_code, ActionId::use_app,
          ActionId::use_bluetooth, ActionId::remote_unlock_by_manager, ActionId::use_physical_key})
      never(a, jammed, "the bolt is jammed");
    for (ActionId a : {ActionId::use_own_code, ActionId::send_backup_code, ActionId::use_app,
                       ActionId::use_bluetooth, ActionId::remote_unlock_by_manager})
      never(a, l.motor_fault, "the motor has a fault");
    for (ActionId a :
         {ActionId::use_own_code, ActionId::send_backup_code, ActionId::wait_keypad_cooldown})
      never(a, no_keypad, "there is no working keypad");
    for (ActionId a : {ActionId::send_backup_code, ActionId::resync_code, ActionId::use_app,
                       ActionId::use_bluetooth})
      never(a, l.epoch_changed, "the lock was reset and holds nothing of ours");
    never(ActionId::use_physical_key, !l.has_keyway || !s.person.carries_physical_key,
          "there is no key to use");
    never(ActionId::use_bluetooth, !l.has_bluetooth, "the lock has no Bluetooth");
    never(ActionId::allow_bluetooth, !l.has_bluetooth, "the lock has no Bluetooth");
    never(ActionId::send_backup_code, !l.backup_pool_available && !l.paired,
          "the lock has no backup codes to give");
    const bool cooling = l.keypad_disabled_until > s.now;
    if (cooling) {
      for (ActionId a : {ActionId::use_own_code, ActionId::send_backup_code}) {
        const auto order = plan_of(d);
        const auto at = std::find(order.begin(), order.end(), a);
        const auto wait = std::find(order.begin(), order.end(), ActionId::wait_keypad_cooldown);
        if (at != order.end() && wait > at) fail("a keypad action before the cooldown");
      }
    }
    const bool jam_alone = d.has(CauseId::lock_jammed) &&
                           std::all_of(d.causes.begin(), d.causes.end(), [](const Cause& c) {
                             return c.id == CauseId::lock_jammed || c.id == CauseId::battery_low;
                           });
    for (ActionId a :
         {ActionId::send_backup_code, ActionId::resync_code, ActionId::factory_reset_and_reenroll})
      never(a, jam_alone, "a jam alone leaves the codes unchanged");
  }

  void plan_is_ordered() {
    ActionSet seen;
    for (std::size_t i = 0; i < d.plan.size(); ++i) {
      const PlanStep& step = d.plan[i];
      if (seen.has(step.action)) fail("an action twice in the plan");
      seen.add(step.action);
      if (step.rank != rank_of(step.action)) fail("a step with the wrong rank");
      if (i > 0 && d.plan[i - 1].rank > step.rank) fail("the plan is not least invasive first");
      if (step.steps.empty()) fail("a step with nothing to show");
    }
    if (const PlanStep* reset = d.step(ActionId::factory_reset_and_reenroll)) {
      if (reset != &d.plan[d.plan.size() - 1]) fail("a factory reset that is not last");
      for (ActionId way : {ActionId::wait_keypad_cooldown, ActionId::use_physical_key,
                           ActionId::use_own_code, ActionId::use_app, ActionId::use_bluetooth,
                           ActionId::send_backup_code, ActionId::remote_unlock_by_manager,
                           ActionId::realign_door_and_retry, ActionId::resync_code})
        never(way, true, "a factory reset is planned: nothing else should work");
    }
  }

  void causes_are_sound() {
    if (!s.report.symptoms.empty() && d.causes.empty()) fail("a real report with no cause");
    CauseSet seen;
    for (std::size_t i = 0; i < d.causes.size(); ++i) {
      const Cause& c = d.causes[i];
      if (seen.has(c.id)) fail("a cause listed twice");
      seen.add(c.id);
      if (!(c.confidence > 0 && c.confidence <= 1)) fail("a confidence out of (0, 1]");
      if (i > 0 && d.causes[i - 1].confidence < c.confidence) fail("causes not by confidence");
      if (c.evidence.empty()) fail(std::string(to_string(c.id)) + " without evidence");
      if (c.layer != layer_of(c.id)) fail("a cause in the wrong layer");
      if (c.suspected && (c.confidence > kSuspectedConfidence || !c.needs_on_door_test))
        fail(std::string(to_string(c.id)) + " suspected but not kept low and tested");
      if (c.suspected && c.layer != Layer::hardware) fail("only hardware is ever suspected");
    }
  }

  void invariants_agree() {
    if (!d.dropped.empty())
      fail("the invariants had to drop " + std::string(to_string(d.dropped[0].action)) +
           ": eligibility and invariants disagree");
    if (!check_plan(s, d).empty()) fail("check_plan finds a violation in a returned plan");
  }
};

std::string describe_snapshot(const Snapshot& s) {
  std::string out = "symptoms:";
  s.report.symptoms.for_each([&](Symptom x) { out += " " + std::string(to_string(x)); });
  const auto tri = [](std::optional<bool> b) { return b ? (*b ? "yes" : "no") : "?"; };
  out += "\nphone present=" + std::to_string(s.report.phone.present) +
         " signed_in=" + tri(s.report.phone.signed_in) +
         " enrolled=" + tri(s.report.phone.enrolled) +
         " bt=" + tri(s.report.phone.bluetooth_allowed);
  out += "\nperson exists=" + std::to_string(s.person.account_exists) +
         " status=" + std::string(to_string(s.person.status)) +
         " verification=" + std::string(to_string(s.person.verification)) +
         " session=" + tri(s.person.session_valid) +
         " key=" + std::to_string(s.person.carries_physical_key) +
         " mfa=" + std::to_string(s.person.mfa_enabled) + "/" +
         std::to_string(s.person.mfa_available);
  out += "\nrelation role=" + std::string(s.relation.role ? to_string(*s.relation.role) : "none") +
         " window=" + std::string(to_string(s.relation.window)) +
         " schedule=" + tri(s.relation.inside_schedule) +
         " moved_out=" + std::to_string(s.relation.moved_out) +
         " transfer=" + std::to_string(s.relation.transfer_pending_to_person) +
         " work_order=" + std::to_string(s.relation.work_order_open);
  for (const Code& c : s.codes)
    out += "\ncode " + std::string(to_string(c.status)) + " " + std::string(to_string(c.window)) +
           " schedule=" + tri(c.inside_schedule);
  const LockFacts& l = s.lock;
  out += "\nlock exists=" + std::to_string(l.exists) + " link=" + std::string(to_string(l.link)) +
         " online=" + std::to_string(l.online) + " hub=" + std::to_string(l.hub_online) +
         " battery=" + (l.battery_pct ? std::to_string(*l.battery_pct) : "?") +
         " bolt=" + std::to_string(static_cast<int>(l.bolt)) +
         " keypad=" + std::to_string(static_cast<int>(l.keypad)) +
         " motor=" + std::to_string(l.motor_fault) +
         " epoch_changed=" + std::to_string(l.epoch_changed) +
         " paired=" + std::to_string(l.paired) + " pool=" + std::to_string(l.backup_pool_available);
  return out;
}

TEST(GeneratedInvariants, NoPlanEverOffersMoreThanThePersonsVerifiedAccess) {
  Generator g(kSeed);
  CauseSet causes_seen;
  ActionSet actions_seen;
  int with_plan = 0;
  int without_access = 0;
  for (int i = 0; i < kCases; ++i) {
    const Snapshot s = g.snapshot();
    const Diagnosis d = diagnose(s);
    Checker check{s, d, {}};
    check.entitlement_holds();
    check.workability_holds();
    check.plan_is_ordered();
    check.causes_are_sound();
    check.invariants_agree();
    ASSERT_TRUE(check.failure.empty())
        << "case " << i << " (seed " << kSeed << "): " << check.failure << "\n"
        << describe_snapshot(s) << "\n"
        << describe(d);
    for (const Cause& c : d.causes)
      causes_seen.add(c.id);
    for (const PlanStep& p : d.plan)
      actions_seen.add(p.action);
    with_plan += d.plan.empty() ? 0 : 1;
    without_access += entitlement(s).holds ? 0 : 1;
  }
  // The generator reaches every cause and every action, and both sides of the entitlement.
  for (std::size_t i = 0; i < kCauseCount; ++i)
    EXPECT_TRUE(causes_seen.has(static_cast<CauseId>(i))) << to_string(static_cast<CauseId>(i));
  for (std::size_t i = 0; i < kActionCount; ++i)
    EXPECT_TRUE(actions_seen.has(static_cast<ActionId>(i))) << to_string(static_cast<ActionId>(i));
  EXPECT_GT(with_plan, kCases / 4);
  EXPECT_GT(without_access, kCases / 4);
}

}  // namespace
}  // namespace lockout_test
