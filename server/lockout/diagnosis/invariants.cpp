#include "server/lockout/diagnosis/invariants.hpp"

#include <algorithm>
#include <array>

namespace server::lockout {

namespace {

using A = ActionId;

// What an action gives the person, seen from security.
enum class Gives : std::uint8_t {
  request,     // a request to people with authority, or the person's own account: no door access
  own,         // makes a credential the person already holds work again
  new_access,  // a code, a key, an unlock, a resync, an enrollment, forced entry, a reset
  admin_role,  // an admin role re-established
};

constexpr std::array<Gives, kActionCount> kGives = {
    Gives::own,         // wait_keypad_cooldown
    Gives::own,         // use_physical_key
    Gives::own,         // use_own_code
    Gives::new_access,  // use_app: the server issues an unlock
    Gives::new_access,  // use_bluetooth: a key the server issued
    Gives::request,     // sign_in_again
    Gives::request,     // reset_password
    Gives::own,         // allow_bluetooth
    Gives::own,         // update_app
    Gives::own,  // enroll_device: done in identity behind a full sign-in; opens nothing by itself
    Gives::new_access,  // resync_code
    Gives::new_access,  // send_backup_code
    Gives::own,         // realign_door_and_retry
    Gives::own,         // restore_hub
    Gives::new_access,  // remote_unlock_by_manager
    Gives::request,     // ask_admin_for_access
    Gives::own,         // jump_battery
    Gives::own,         // replace_battery
    Gives::admin_role,  // verify_identity_restore_admin
    Gives::own,         // maintenance_work_order
    Gives::new_access,  // locksmith_entry
    Gives::new_access,  // factory_reset_and_reenroll
};

// Which roles a door opens for by the role alone (maintenance needs a work order besides).
constexpr std::array<bool, kRoleCount> kRoleOpens = {true, true, false, true, true, false};

struct Access {
  bool any = false;      // a live relation to the door: help of any kind
  bool own = false;      // may use what they hold
  bool receive = false;  // may be given access
};

Access access_of(const Snapshot& s) {
  const Person& p = s.person;
  const Relation& r = s.relation;
  Access a;
  const bool gone = !p.account_exists || p.status == AccountStatus::deleted || !s.lock.exists ||
                    r.moved_out || r.window == Validity::ended ||
                    (!r.role.has_value() && !r.transfer_pending_to_person);
  a.any = !gone;
  if (!a.any || !r.role.has_value()) return a;
  const bool opens = kRoleOpens[static_cast<std::size_t>(*r.role)] ||
                     (*r.role == Role::maintenance && r.work_order_open);
  const bool standing = p.status == AccountStatus::active || p.status == AccountStatus::locked;
  a.own = opens && standing && r.window == Validity::current && r.inside_schedule != false;
  a.receive = a.own && p.status == AccountStatus::active && p.verification != Verification::none;
  return a;
}

bool holds_admin(const Snapshot& s) {
  const auto role = s.relation.role;
  return s.relation.transfer_pending_to_person ||
         (role.has_value() && (*role == Role::owner || *role == Role::manager));
}

bool found(std::span<const Cause> causes, CauseId id) {
  return std::any_of(causes.begin(), causes.end(), [id](const Cause& c) { return c.id == id; });
}

bool planned(std::span<const PlanStep> steps, ActionId id) {
  return std::any_of(steps.begin(), steps.end(),
                     [id](const PlanStep& p) { return p.action == id; });
}

Violation broke(Invariant invariant, ActionId action, std::string_view rule) {
  return {invariant, action, rule};
}

std::optional<Violation> beyond_role(const Snapshot& s, ActionId action) {
  const Access a = access_of(s);
  const auto inv = Invariant::no_access_beyond_verified_role;
  if (!a.any) return broke(inv, action, "no help at all once the relation to the door is gone");
  const Gives g = kGives[static_cast<std::size_t>(action)];
  if (g == Gives::own && !a.own)
    return broke(inv, action, "own credentials only with a role that opens this door now");
  if (g == Gives::new_access && !a.receive)
    return broke(inv, action, "new access only to a verified caller who may open this door now");
  const Role role = s.relation.role.value_or(Role::support);
  if (action == A::locksmith_entry && role != Role::owner && role != Role::manager &&
      role != Role::resident)
    return broke(inv, action, "a locksmith only for owners, managers and residents");
  if (action == A::factory_reset_and_reenroll && role != Role::owner && role != Role::manager)
    return broke(inv, action, "a factory reset only for owners and managers");
  return std::nullopt;
}

std::optional<Violation> admin_restore(const Snapshot& s, ActionId action) {
  const auto inv = Invariant::admin_restore_needs_identity;
  const Person& p = s.person;
  if (action == A::verify_identity_restore_admin &&
      (!holds_admin(s) || p.status == AccountStatus::suspended))
    return broke(inv, action, "identity verification restores only an admin role the person holds");
  const bool impaired = p.status == AccountStatus::locked || (p.mfa_enabled && !p.mfa_available) ||
                        s.relation.transfer_pending_to_person;
  if (action == A::ask_admin_for_access && holds_admin(s) && impaired)
    return broke(inv, action, "an impaired admin is restored by identity verification only");
  return std::nullopt;
}

std::optional<Violation> backup_code(const Snapshot& s, ActionId action) {
  if (action != A::send_backup_code) return std::nullopt;
  const auto inv = Invariant::backup_code_eligible_now;
  const LockFacts& l = s.lock;
  if (!access_of(s).receive) return broke(inv, action, "backup codes only to people eligible now");
  const bool keypad_takes_it = l.keypad != lockcore::KeypadState::absent &&
                               l.keypad != lockcore::KeypadState::fault && l.battery_pct != 0 &&
                               l.bolt != lockcore::BoltState::jammed && !l.motor_fault;
  if (!keypad_takes_it)
    return broke(inv, action, "backup codes only when the keypad can take them");
  if (l.epoch_changed || (!l.backup_pool_available && !l.paired))
    return broke(inv, action, "backup codes only from a pool or a paired lock's offline PINs");
  return std::nullopt;
}

std::optional<Violation> jam(std::span<const Cause> causes, ActionId action) {
  if (action != A::send_backup_code && action != A::resync_code &&
      action != A::factory_reset_and_reenroll)
    return std::nullopt;
  if (!found(causes, CauseId::lock_jammed)) return std::nullopt;
  const bool alone = std::all_of(causes.begin(), causes.end(), [](const Cause& c) {
    return c.id == CauseId::lock_jammed || c.id == CauseId::battery_low;
  });
  if (alone)
    return broke(Invariant::jam_is_hardware, action,
                 "a jam leaves codes unchanged: no backup code, resync or reset for a jam alone");
  return std::nullopt;
}

std::optional<Violation> factory_reset(std::span<const Cause> causes,
                                       std::span<const PlanStep> before, ActionId action) {
  if (action != A::factory_reset_and_reenroll) return std::nullopt;
  const auto inv = Invariant::factory_reset_last_resort;
  const auto mismatch = std::find_if(causes.begin(), causes.end(), [](const Cause& c) {
    return c.id == CauseId::lock_state_mismatch;
  });
  if (mismatch == causes.end() || mismatch->suspected)
    return broke(inv, action, "a factory reset only for a lock state mismatch the facts establish");
  for (const PlanStep& step : before)
    if (is_way_in(step.action))
      return broke(inv, action, "a factory reset only when nothing else works");
  return std::nullopt;
}

// Invariant 5's ending: the last step re-enrolls the lock, verified.
bool ends_with_verified_reenrollment(const PlanStep& step) {
  if (step.steps.empty()) return false;
  const std::string_view last = step.steps.back();
  return last.find("nroll") != std::string_view::npos &&
         last.find("verified") != std::string_view::npos;
}

}  // namespace

std::optional<Violation> violation(const Snapshot& s, std::span<const Cause> causes,
                                   std::span<const PlanStep> before, ActionId action) {
  if (auto v = beyond_role(s, action)) return v;
  if (auto v = admin_restore(s, action)) return v;
  if (auto v = backup_code(s, action)) return v;
  if (auto v = jam(causes, action)) return v;
  if (auto v = factory_reset(causes, before, action)) return v;
  return std::nullopt;
}

Violations check_plan(const Snapshot& s, const Diagnosis& d) {
  Violations out;
  const std::span<const Cause> causes(d.causes.begin(), d.causes.size());
  const std::span<const PlanStep> plan(d.plan.begin(), d.plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (auto v = violation(s, causes, plan.first(i), plan[i].action)) (void)out.push_back(*v);
    if (plan[i].action == A::factory_reset_and_reenroll) {
      if (i + 1 != plan.size())
        (void)out.push_back(broke(Invariant::factory_reset_last_resort, plan[i].action,
                                  "a factory reset comes last"));
      if (!ends_with_verified_reenrollment(plan[i]))
        (void)out.push_back(broke(Invariant::factory_reset_last_resort, plan[i].action,
                                  "a factory reset always ends with verified re-enrollment"));
    }
  }
  if (found(causes, CauseId::lock_jammed) && planned(plan, A::realign_door_and_retry)) {
    for (const PlanStep& step : plan) {
      if (step.action == A::realign_door_and_retry) break;
      if (step.action == A::maintenance_work_order || step.action == A::locksmith_entry ||
          step.action == A::factory_reset_and_reenroll)
        (void)out.push_back(broke(Invariant::jam_is_hardware, step.action,
                                  "for a jam, realigning the door comes first"));
    }
  }
  return out;
}

}  // namespace server::lockout
