#pragma once
// The recovery actions of DESIGN.md section 5: stable ids, their ranks (least invasive first) and
// the causes each one addresses (which breaks ties between actions of one rank: the one that
// addresses the more likely cause comes first). Work order kinds, for maintenance_work_order.

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/lockout/diagnosis/cause.hpp"
#include "server/lockout/diagnosis/enum_set.hpp"
#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

// In DESIGN.md's order, which is rank order.
enum class ActionId : std::uint8_t {
  wait_keypad_cooldown,           // 0
  use_physical_key,               // 1
  use_own_code,                   // 1
  use_app,                        // 1
  use_bluetooth,                  // 1
  sign_in_again,                  // 2
  reset_password,                 // 2
  allow_bluetooth,                // 2
  update_app,                     // 2
  enroll_device,                  // 2
  resync_code,                    // 3
  send_backup_code,               // 3
  realign_door_and_retry,         // 3
  restore_hub,                    // 3
  remote_unlock_by_manager,       // 4
  ask_admin_for_access,           // 4
  jump_battery,                   // 5
  replace_battery,                // 5
  verify_identity_restore_admin,  // 6
  maintenance_work_order,         // 6
  locksmith_entry,                // 8
  factory_reset_and_reenroll,     // 9
};
inline constexpr std::size_t kActionCount = 22;

using ActionSet = EnumSet<ActionId, kActionCount>;

// DESIGN.md's rank: 0 (wait a minute) … 9 (factory reset).
int rank_of(ActionId action);
// The causes the action can resolve or work around. Empty for the use_* actions: they are other
// ways in, not fixes.
CauseSet addresses(ActionId action);
// Whether the person is through the door once the action works, without force: the use_*
// actions, the wait, a resync, a backup code, realigning, a remote unlock, a jump-start. A
// factory reset is offered only when the plan holds none of these (invariant 5).
bool is_way_in(ActionId action);

template <>
struct Names<ActionId> {
  static constexpr NameTable<ActionId, kActionCount> table{{
      "wait_keypad_cooldown",
      "use_physical_key",
      "use_own_code",
      "use_app",
      "use_bluetooth",
      "sign_in_again",
      "reset_password",
      "allow_bluetooth",
      "update_app",
      "enroll_device",
      "resync_code",
      "send_backup_code",
      "realign_door_and_retry",
      "restore_hub",
      "remote_unlock_by_manager",
      "ask_admin_for_access",
      "jump_battery",
      "replace_battery",
      "verify_identity_restore_admin",
      "maintenance_work_order",
      "locksmith_entry",
      "factory_reset_and_reenroll",
  }};
};

// What a work order asks the on-site team to do (shared/scenarios/README.md).
enum class WorkOrderKind : std::uint8_t { door_alignment, battery, hub, lock_hardware };
inline constexpr std::size_t kWorkOrderKindCount = 4;

template <>
struct Names<WorkOrderKind> {
  static constexpr NameTable<WorkOrderKind, kWorkOrderKindCount> table{
      {"door_alignment", "battery", "hub", "lock_hardware"}};
};

}  // namespace server::lockout
