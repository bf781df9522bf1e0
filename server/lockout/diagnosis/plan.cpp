#include "server/lockout/diagnosis/plan.hpp"

#include <algorithm>
#include <array>

#include "lockcore/lock.hpp"
#include "server/lockout/diagnosis/invariants.hpp"
#include "server/lockout/diagnosis/steps.hpp"

namespace server::lockout {

namespace {

using A = ActionId;
using C = CauseId;

bool alive(const Diagnosis& d, Path p) {
  return d.path(p).alive;
}

// A way in the person already has: now, or once the keypad's cooldown ends.
bool self_path(const Diagnosis& d) {
  return alive(d, Path::physical_key) || alive(d, Path::own_code) ||
         d.path(Path::own_code).after_cooldown || alive(d, Path::app) || alive(d, Path::bluetooth);
}

// Whether some credential of the person would open the door but for a jam: what realigning the
// door while using it can make work.
bool would_open_but_for_jam(const Facts& f) {
  const LockFacts& l = f.s.lock;
  const bool powered = !f.battery_dead && !l.motor_fault;
  const bool code = f.usable_code != nullptr && f.has_keypad && !f.keypad_fault && powered;
  const bool key = f.s.person.carries_physical_key && l.has_keyway;
  const bool phone =
      f.standing.verified && powered && !f.state_lost && (f.reachable || l.has_bluetooth);
  return code || key || phone;
}

std::optional<WorkOrderKind> work_order_kind(const Facts& f, const Diagnosis& d) {
  const LockFacts& l = f.s.lock;
  // In order of the likeliest cause: the first found cause a work order answers decides its kind.
  for (const Cause& c : d.causes) {
    switch (c.id) {
      case C::lock_jammed:
        if (l.jams_last_7d >= kRepeatedJams) return WorkOrderKind::door_alignment;
        break;
      case C::motor_fault:
      case C::keypad_fault:
        return WorkOrderKind::lock_hardware;
      case C::lock_state_mismatch:
        if (f.state_lost) return WorkOrderKind::lock_hardware;
        break;
      case C::firmware_incompatible:
        if (l.firmware_compat == FirmwareCompat::firmware_too_old)
          return WorkOrderKind::lock_hardware;
        break;
      case C::hub_offline:
        if (f.s.now - l.hub_last_seen >= kHubLongDownMs) return WorkOrderKind::hub;
        break;
      case C::wifi_changed:
        return WorkOrderKind::hub;
      case C::battery_depleted:
        return WorkOrderKind::battery;
      case C::battery_low:
        if (l.battery_pct.value_or(100) <= 10) return WorkOrderKind::battery;
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

// The causes ask_admin_for_access answers: a decision only an admin can make.
bool admin_decides(const Facts& f, const Diagnosis& d) {
  if (d.has(C::role_cannot_unlock) || d.has(C::outside_schedule) || d.has(C::access_expired) ||
      d.has(C::code_expired) || d.has(C::lock_not_in_account) ||
      d.has(C::ownership_transfer_incomplete) || d.has(C::account_suspended) ||
      d.has(C::mfa_unavailable))
    return true;
  // A code an admin removed; a pending one is for resync_code.
  return d.has(C::code_not_on_lock) && f.removed_code != nullptr && f.stuck_code == nullptr;
}

// A lock state no resync can fix: reset to a new epoch (whether or not it still claims a pairing:
// it holds none of the site's codes or keys, and only re-enrollment brings them back), or stuck
// for a day while online.
bool state_beyond_resync(const Facts& f) {
  const LockFacts& l = f.s.lock;
  return l.epoch_changed ||
         (!l.shadow_in_sync && l.online && f.s.now - l.shadow_out_of_sync_since >= kShadowStuckMs);
}

// The lock refused the code for want of power and its battery is still below what a write needs:
// a resync now would only be refused again (a new battery first).
bool refused_again(const Facts& f) {
  const Code& code = *f.stuck_code;
  return code.status == CodeStatus::failed && code.failure == lockcore::SlotError::low_power &&
         f.s.lock.battery_pct.value_or(0) < lockcore::kCodeWriteMinPct;
}

// Whether some found cause is one the action answers: a backup code, a resync, a remote unlock
// or a locksmith is sent for a reason, never for its own sake.
bool answers_a_cause(ActionId action, const Diagnosis& d) {
  const CauseSet answers = addresses(action);
  return std::any_of(d.causes.begin(), d.causes.end(),
                     [&](const Cause& c) { return answers.has(c.id); });
}

// Whether the action's pathway works now: the conditions of docs/lockout.md, "Plan rules".
bool workable(ActionId action, const Facts& f, const Diagnosis& d) {
  const LockFacts& l = f.s.lock;
  if (!l.exists) return false;
  const bool needs_reason = action == A::resync_code || action == A::send_backup_code ||
                            action == A::remote_unlock_by_manager || action == A::locksmith_entry;
  if (needs_reason && !answers_a_cause(action, d)) return false;
  switch (action) {
    case A::wait_keypad_cooldown:
      // Whatever else is wrong (a jam to realign, say), no code counts until the cooldown ends.
      return f.keypad_cooling && !f.keypad_fault && !f.battery_dead;
    case A::use_physical_key:
      return alive(d, Path::physical_key);
    case A::use_own_code:
      return alive(d, Path::own_code) || d.path(Path::own_code).after_cooldown;
    case A::use_app:
      return alive(d, Path::app);
    case A::use_bluetooth:
      return alive(d, Path::bluetooth);
    case A::sign_in_again:
      return d.has(C::signed_out) && f.s.person.status == AccountStatus::active;
    case A::reset_password:
      return d.has(C::password_forgotten) || d.has(C::account_locked);
    case A::allow_bluetooth:
      return d.has(C::phone_bluetooth_blocked) && l.has_bluetooth && f.bolt_can_move;
    case A::update_app:
      return l.firmware_compat == FirmwareCompat::app_too_old && l.has_bluetooth;
    case A::enroll_device:
      return d.has(C::device_not_enrolled);
    case A::resync_code:
      return f.stuck_code != nullptr && f.reachable && !f.state_lost && !refused_again(f);
    case A::send_backup_code: {
      const bool has_one = !l.epoch_changed && (l.backup_pool_available || f.offline_pins);
      const bool needed = !(alive(d, Path::own_code) || d.path(Path::own_code).after_cooldown) ||
                          d.has(C::wrong_code);
      return f.keypad_takes_codes && has_one && needed;
    }
    case A::realign_door_and_retry:
      return d.has(C::lock_jammed) && would_open_but_for_jam(f);
    case A::restore_hub:
      return f.hub_down || d.has(C::wifi_changed);
    case A::remote_unlock_by_manager:
      return f.s.site.manager_can_unlock && f.reachable && f.bolt_can_move && !f.state_lost &&
             !self_path(d);
    case A::ask_admin_for_access:
      return admin_decides(f, d);
    case A::jump_battery:
      return d.has(C::battery_depleted) && l.has_jump_terminal;
    case A::replace_battery:
      return d.has(C::battery_low) || d.has(C::battery_depleted);
    case A::verify_identity_restore_admin:
      // An account held by its administration, not one the sign-in throttle holds for a while.
      return f.s.person.status == AccountStatus::locked || d.has(C::mfa_unavailable) ||
             d.has(C::ownership_transfer_incomplete);
    case A::maintenance_work_order:
      return work_order_kind(f, d).has_value();
    case A::locksmith_entry:
      return !self_path(d);
    case A::factory_reset_and_reenroll:
      return d.has(C::lock_state_mismatch) && state_beyond_resync(f) && !self_path(d);
  }
  return false;
}

struct Candidate {
  ActionId action;
  int rank;
  double directness;  // how directly it addresses the top cause; higher first
  std::optional<CauseId> addresses;
};

Candidate candidate(ActionId action, const Diagnosis& d) {
  Candidate c{action, rank_of(action), 0, std::nullopt};
  const CauseSet answers = addresses(action);
  // d.causes is sorted, likeliest first: the first cause the action answers is its best.
  for (std::size_t i = 0; i < d.causes.size(); ++i) {
    if (!answers.has(d.causes[i].id)) continue;
    c.addresses = d.causes[i].id;
    c.directness = d.causes[i].confidence + (i == 0 ? 1.0 : 0.0);
    break;
  }
  return c;
}

}  // namespace

void make_plan(const Facts& f, Diagnosis& d) {
  lockcore::FixedVector<Candidate, kActionCount> candidates;
  for (std::size_t i = 0; i < kActionCount; ++i) {
    const auto action = static_cast<ActionId>(i);
    if (workable(action, f, d) && allowed(action, f.standing, f.s))
      (void)candidates.push_back(candidate(action, d));
  }
  // A factory reset is the last resort: not while any other way in is on offer.
  const bool other_way_in = std::any_of(candidates.begin(), candidates.end(),
                                        [](const Candidate& c) { return is_way_in(c.action); });
  if (other_way_in && !candidates.empty() &&
      candidates[candidates.size() - 1].action == A::factory_reset_and_reenroll)
    candidates.pop_back();
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.directness != b.directness) return a.directness > b.directness;
    return a.action < b.action;
  });

  const std::span<const Cause> causes(d.causes.begin(), d.causes.size());
  for (const Candidate& c : candidates) {
    const std::span<const PlanStep> before(d.plan.begin(), d.plan.size());
    if (auto v = violation(f.s, causes, before, c.action)) {
      (void)d.dropped.push_back(*v);
      continue;
    }
    PlanStep step;
    step.action = c.action;
    step.rank = c.rank;
    step.addresses = c.addresses;
    step.steps = steps_for(c.action, f.s.lock.link);
    if (c.action == A::wait_keypad_cooldown) step.wait_s = f.cooldown_s;
    if (c.action == A::maintenance_work_order) step.work_order = work_order_kind(f, d);
    (void)d.plan.push_back(step);
  }
}

}  // namespace server::lockout
