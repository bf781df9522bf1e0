#include "server/lockout/diagnosis/action.hpp"

#include <array>

namespace server::lockout {

namespace {

using C = CauseId;

struct ActionRow {
  ActionId id;
  int rank;
  CauseSet addresses;
  bool way_in = false;
};

// THE action table: DESIGN.md section 5's ranks, in enum order.
constexpr std::array<ActionRow, kActionCount> kActions = {{
    {ActionId::wait_keypad_cooldown, 0, {C::keypad_disabled, C::wrong_code}, true},
    {ActionId::use_physical_key, 1, {}, true},
    {ActionId::use_own_code, 1, {}, true},
    {ActionId::use_app, 1, {}, true},
    {ActionId::use_bluetooth, 1, {}, true},
    {ActionId::sign_in_again, 2, {C::signed_out}},
    {ActionId::reset_password, 2, {C::password_forgotten, C::account_locked}},
    {ActionId::allow_bluetooth, 2, {C::phone_bluetooth_blocked}},
    {ActionId::update_app, 2, {C::firmware_incompatible}},
    {ActionId::enroll_device, 2, {C::device_not_enrolled}},
    {ActionId::resync_code, 3, {C::code_not_on_lock, C::lock_state_mismatch}, true},
    {ActionId::send_backup_code,
     3,
     {C::code_not_on_lock, C::wrong_code, C::hub_offline, C::lock_unreachable, C::wifi_changed,
      C::signed_out, C::password_forgotten, C::mfa_unavailable, C::device_not_enrolled,
      C::phone_bluetooth_blocked, C::firmware_incompatible},
     true},
    {ActionId::realign_door_and_retry, 3, {C::lock_jammed}, true},
    {ActionId::restore_hub, 3, {C::hub_offline, C::wifi_changed}},
    {ActionId::remote_unlock_by_manager,
     4,
     {C::signed_out, C::password_forgotten, C::mfa_unavailable, C::device_not_enrolled,
      C::phone_bluetooth_blocked, C::firmware_incompatible, C::lock_state_mismatch,
      C::code_not_on_lock, C::wrong_code, C::keypad_disabled, C::keypad_fault},
     true},
    {ActionId::ask_admin_for_access,
     4,
     {C::role_cannot_unlock, C::outside_schedule, C::access_expired, C::code_expired,
      C::code_not_on_lock, C::lock_not_in_account, C::ownership_transfer_incomplete,
      C::account_suspended, C::mfa_unavailable}},
    {ActionId::jump_battery, 5, {C::battery_depleted}, true},
    {ActionId::replace_battery, 5, {C::battery_low, C::battery_depleted}},
    {ActionId::verify_identity_restore_admin,
     6,
     {C::account_locked, C::mfa_unavailable, C::ownership_transfer_incomplete,
      C::password_forgotten}},
    {ActionId::maintenance_work_order,
     6,
     {C::lock_jammed, C::motor_fault, C::keypad_fault, C::battery_depleted, C::battery_low,
      C::hub_offline, C::wifi_changed, C::lock_unreachable, C::firmware_incompatible,
      C::lock_state_mismatch}},
    {ActionId::locksmith_entry,
     8,
     {C::lock_jammed, C::motor_fault, C::battery_depleted, C::keypad_fault,
      C::lock_state_mismatch}},
    {ActionId::factory_reset_and_reenroll, 9, {C::lock_state_mismatch}},
}};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < kActions.size(); ++i) {
    if (static_cast<std::size_t>(kActions[i].id) != i) return false;
    if (i > 0 && kActions[i].rank < kActions[i - 1].rank) return false;
  }
  return true;
}
static_assert(table_in_order(), "one row per ActionId, in enum order, which is rank order");

const ActionRow& row(ActionId action) {
  return kActions[static_cast<std::size_t>(action)];
}

}  // namespace

int rank_of(ActionId action) {
  return row(action).rank;
}
CauseSet addresses(ActionId action) {
  return row(action).addresses;
}
bool is_way_in(ActionId action) {
  return row(action).way_in;
}

}  // namespace server::lockout
