#include "server/lockout/diagnosis/eligibility.hpp"

namespace server::lockout {

namespace {

bool role_opens_door(Role role, bool work_order_open) {
  switch (role) {
    case Role::owner:
    case Role::manager:
    case Role::resident:
    case Role::guest:
      return true;
    case Role::maintenance:
      return work_order_open;  // a time-boxed way in, for the job only
    case Role::support:
      return false;  // support diagnoses and starts recovery, never opens a door
  }
  return false;
}

bool is_admin(Role role) {
  return role == Role::owner || role == Role::manager;
}

// Residents and admins have a lasting right to the door; guests and staff do not call locksmiths
// or reset locks.
bool lasting_right(Role role) {
  return role == Role::owner || role == Role::manager || role == Role::resident;
}

}  // namespace

Standing standing_of(const Snapshot& s) {
  const Person& p = s.person;
  const Relation& r = s.relation;
  Standing st;
  const bool has_relation = r.role.has_value() || r.transfer_pending_to_person;
  st.relation_live = p.account_exists && p.status != AccountStatus::deleted && s.lock.exists &&
                     has_relation && !r.moved_out && r.window != Validity::ended;
  st.verified =
      p.account_exists && p.status == AccountStatus::active && p.verification != Verification::none;
  st.door_rights_now = st.relation_live && r.role.has_value() &&
                       (p.status == AccountStatus::active || p.status == AccountStatus::locked) &&
                       role_opens_door(*r.role, r.work_order_open) &&
                       r.window == Validity::current && r.inside_schedule.value_or(true);
  st.admin_role = st.relation_live &&
                  ((r.role.has_value() && is_admin(*r.role)) || r.transfer_pending_to_person);
  const bool mfa_lost = p.mfa_enabled && !p.mfa_available;
  st.admin_impaired = st.admin_role && (p.status == AccountStatus::locked || mfa_lost ||
                                        r.transfer_pending_to_person);
  return st;
}

bool allowed(ActionId action, const Standing& st, const Snapshot& s) {
  if (!st.relation_live) return false;  // no relation, no plan
  const bool receive = st.door_rights_now && st.verified;
  const Role role = s.relation.role.value_or(Role::support);
  switch (action) {
    // Using what one already holds.
    case ActionId::wait_keypad_cooldown:
    case ActionId::use_physical_key:
    case ActionId::use_own_code:
    case ActionId::realign_door_and_retry:
    case ActionId::jump_battery:
    case ActionId::replace_battery:
    case ActionId::restore_hub:
    case ActionId::allow_bluetooth:
    case ActionId::update_app:
    // Enrolling one's own phone again: identity enrolls it only behind a full sign-in (with MFA),
    // and the phone then opens only what the membership already does. Advice until then.
    case ActionId::enroll_device:
      return st.door_rights_now;
    // Getting back into one's own account: gives no door access by itself.
    case ActionId::sign_in_again:
    case ActionId::reset_password:
      return s.person.status == AccountStatus::active || s.person.status == AccountStatus::locked;
    // New access, or access through the app: a verified caller with door rights now.
    case ActionId::use_app:
    case ActionId::use_bluetooth:
    case ActionId::resync_code:
    case ActionId::send_backup_code:
    case ActionId::remote_unlock_by_manager:
      return receive;
    case ActionId::locksmith_entry:
      return receive && lasting_right(role);
    case ActionId::factory_reset_and_reenroll:
      return receive && is_admin(role);
    case ActionId::maintenance_work_order:
      return st.door_rights_now && role != Role::guest;
    // Asking a person with authority, who decides: never to re-grant an admin role (that is
    // verify_identity_restore_admin's alone).
    case ActionId::ask_admin_for_access:
      return s.site.admin_reachable && !st.admin_impaired;
    case ActionId::verify_identity_restore_admin:
      // A suspension is an admin's decision, not a lost credential: verification does not undo it.
      return st.admin_impaired && s.person.status != AccountStatus::suspended;
  }
  return false;
}

}  // namespace server::lockout
