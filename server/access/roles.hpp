#pragma once
// The six roles, every action the product performs, and the one table saying which role may do
// which action (the role x action matrix) and which roles each role may grant. docs/roles.md is
// rendered from this table (render_roles_markdown(); a test keeps the two equal).
//
// The table is necessary, not sufficient: policy.hpp also requires the membership to cover the
// site, unit or door, to be active and inside its window, for operating a door inside its
// schedule, and the account to be in good standing.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace server::access {

enum class Role : std::uint8_t { owner, manager, maintenance, resident, guest, support };
inline constexpr std::size_t kRoleCount = 6;

enum class Action : std::uint8_t {
  view_site,                // the site, its units and the doors one's memberships cover
  view_lock_state,          // bolt, door, battery, online
  operate_lock,             // remote unlock and lock from the app (inside the schedule)
  issue_own_digital_key,    // a Bluetooth key for one's own enrolled phone
  manage_own_codes,         // one's own keypad codes
  manage_unit_guest_codes,  // guest codes for one's own unit (and the common doors)
  manage_any_code,          // anyone's keypad codes at the site
  view_people,              // the site's members and their roles
  manage_people,            // invite, change roles, end memberships, within the grant table
  suspend_account,          // suspend someone of a lower role at the site
  transfer_ownership,       // start a two-step ownership transfer
  manage_site,              // create, rename and remove units
  commission_devices,       // add, re-enroll and remove locks and hubs
  view_audit,               // the site's audit log
  view_fleet_health,        // batteries, offline hubs, jams across the site
  diagnose_and_recover,     // lockout diagnosis and starting recovery flows (never unlocking)
  manage_work_orders,       // open, take and close work orders
};
inline constexpr std::size_t kActionCount = 17;

std::string_view to_string(Role role);
std::string_view to_string(Action action);
std::optional<Role> role_from(std::string_view name);
std::optional<Action> action_from(std::string_view name);

// Whether `role` may perform `action` at all (the matrix).
bool role_allows(Role role, Action action);
// Whether the action operates a door, so that a membership's weekly schedule applies to it.
bool is_door_operation(Action action);
// Whether `granter` may grant (invite, change to or from, end) a membership of role `granted`.
// Nobody grants owner: ownership moves only by transfer.
bool may_grant(Role granter, Role granted);
// Whether a membership granted by `granter` must lie inside the granter's own window and unit
// (a resident's guests leave when the resident does).
bool grants_are_bounded(Role granter);
// Whether the role exists only site-wide (never for one unit).
bool is_site_wide_only(Role role);

// docs/roles.md: the matrix and the grant table as Markdown.
std::string render_roles_markdown();

}  // namespace server::access
