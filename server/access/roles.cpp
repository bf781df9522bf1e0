#include "server/access/roles.hpp"

namespace server::access {

namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "owner", "manager", "maintenance", "resident", "guest", "support"};

// A row's role columns, in Role order.
struct Allowed {
  bool owner, manager, maintenance, resident, guest, support;
};
constexpr bool Y = true, N = false;

struct ActionRow {
  Action action;
  std::string_view name;
  std::string_view what;
  bool door_operation;  // the membership's schedule applies
  Allowed allowed;
};

// THE role x action matrix. Columns: owner, manager, maintenance, resident, guest, support.
// Support diagnoses and starts recovery but never opens a door by itself.
constexpr std::array<ActionRow, kActionCount> kMatrix = {{
    //                                                                              own mgr mnt res
    //                                                                              gst sup
    {Action::view_site,
     "view_site",
     "see the site, its units and the doors one's memberships cover",
     false,
     {Y, Y, Y, Y, Y, Y}},
    {Action::view_lock_state,
     "view_lock_state",
     "see a door's bolt, battery and connection",
     false,
     {Y, Y, Y, Y, Y, Y}},
    {Action::operate_lock,
     "operate_lock",
     "unlock or lock a door remotely from the app",
     true,
     {Y, Y, Y, Y, Y, N}},
    {Action::issue_own_digital_key,
     "issue_own_digital_key",
     "get a Bluetooth key for one's own enrolled phone",
     false,
     {Y, Y, Y, Y, Y, N}},
    {Action::manage_own_codes,
     "manage_own_codes",
     "create and delete one's own keypad codes",
     false,
     {Y, Y, Y, Y, N, N}},
    {Action::manage_unit_guest_codes,
     "manage_unit_guest_codes",
     "create and delete guest codes for one's own unit and the common doors",
     false,
     {Y, Y, N, Y, N, N}},
    {Action::manage_any_code,
     "manage_any_code",
     "create and delete anyone's keypad codes",
     false,
     {Y, Y, N, N, N, N}},
    {Action::view_people,
     "view_people",
     "see the site's members and their roles",
     false,
     {Y, Y, N, N, N, Y}},
    {Action::manage_people,
     "manage_people",
     "invite people, change roles, end memberships (within the grant table)",
     false,
     {Y, Y, N, Y, N, N}},
    {Action::suspend_account,
     "suspend_account",
     "suspend someone of a lower role at the site",
     false,
     {Y, Y, N, N, N, N}},
    {Action::transfer_ownership,
     "transfer_ownership",
     "hand the site to a new owner (two steps)",
     false,
     {Y, N, N, N, N, N}},
    {Action::manage_site,
     "manage_site",
     "create, rename and remove units",
     false,
     {Y, Y, N, N, N, N}},
    {Action::commission_devices,
     "commission_devices",
     "add, re-enroll and remove locks and hubs",
     false,
     {Y, Y, N, N, N, N}},
    {Action::view_audit, "view_audit", "read the site's audit log", false, {Y, Y, N, N, N, Y}},
    {Action::view_fleet_health,
     "view_fleet_health",
     "see batteries, offline hubs and jams across the site",
     false,
     {Y, Y, Y, N, N, Y}},
    {Action::diagnose_and_recover,
     "diagnose_and_recover",
     "diagnose a lockout and start a recovery flow (never an unlock by itself)",
     false,
     {Y, Y, N, N, N, Y}},
    {Action::manage_work_orders,
     "manage_work_orders",
     "open, take and close work orders",
     false,
     {Y, Y, Y, N, N, N}},
}};

struct RoleRow {
  Role role;
  std::array<bool, kRoleCount> grants;  // in Role order: may grant that role
  bool bounded;                         // grants lie inside the granter's own window and unit
  bool site_wide_only;
};

// Who may grant which role. Nobody grants owner (ownership moves only by transfer); managers
// never grant manager; a resident may only invite guests to their own unit, for no longer than
// they stay themselves.
constexpr std::array<RoleRow, kRoleCount> kGrants = {{
    //                   own mgr mnt res gst sup
    {Role::owner, {N, Y, Y, Y, Y, Y}, false, true},
    {Role::manager, {N, N, Y, Y, Y, Y}, false, true},
    {Role::maintenance, {N, N, N, N, N, N}, false, false},
    {Role::resident, {N, N, N, N, Y, N}, true, false},
    {Role::guest, {N, N, N, N, N, N}, false, false},
    {Role::support, {N, N, N, N, N, N}, false, true},
}};

constexpr bool matrix_in_order() {
  for (std::size_t i = 0; i < kMatrix.size(); ++i)
    if (static_cast<std::size_t>(kMatrix[i].action) != i) return false;
  for (std::size_t i = 0; i < kGrants.size(); ++i)
    if (static_cast<std::size_t>(kGrants[i].role) != i) return false;
  return true;
}
static_assert(matrix_in_order(), "one row per Action and per Role, in enum order");
static_assert(static_cast<std::size_t>(Action::manage_work_orders) + 1 == kActionCount);
static_assert(static_cast<std::size_t>(Role::support) + 1 == kRoleCount);

bool column(const Allowed& a, Role role) {
  const bool cells[] = {a.owner, a.manager, a.maintenance, a.resident, a.guest, a.support};
  return cells[static_cast<std::size_t>(role)];
}

const ActionRow& row(Action action) {
  return kMatrix[static_cast<std::size_t>(action)];
}
const RoleRow& row(Role role) {
  return kGrants[static_cast<std::size_t>(role)];
}

}  // namespace

std::string_view to_string(Role role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}
std::string_view to_string(Action action) {
  return row(action).name;
}

std::optional<Role> role_from(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

std::optional<Action> action_from(std::string_view name) {
  for (const ActionRow& r : kMatrix)
    if (r.name == name) return r.action;
  return std::nullopt;
}

bool role_allows(Role role, Action action) {
  return column(row(action).allowed, role);
}
bool is_door_operation(Action action) {
  return row(action).door_operation;
}
bool may_grant(Role granter, Role granted) {
  return row(granter).grants[static_cast<std::size_t>(granted)];
}
bool grants_are_bounded(Role granter) {
  return row(granter).bounded;
}
bool is_site_wide_only(Role role) {
  return row(role).site_wide_only;
}

std::string render_roles_markdown() {
  std::string out =
      "# Roles\n\n"
      "<!-- Rendered from server/access/roles.cpp by render_roles_markdown(); "
      "tests/server/access keeps this file equal to it. -->\n\n"
      "A role allows an action only through a membership that covers the site, unit or door, "
      "is active and inside its validity window (and, to operate a door, inside its weekly "
      "schedule), held by an account in good standing. A unit membership covers its unit's "
      "doors and the site's common doors; a site-wide membership covers every door.\n\n"
      "## What each role may do\n\n| action | what |";
  std::string rule = "|---|---|";
  for (std::string_view role : kRoleNames) {
    out.append(" ").append(role).append(" |");
    rule += ":-:|";
  }
  out += "\n" + rule + "\n";
  for (const ActionRow& r : kMatrix) {
    out.append("| `").append(r.name).append("` | ").append(r.what);
    if (r.door_operation) out += " (inside the schedule)";
    out += " |";
    for (std::size_t i = 0; i < kRoleCount; ++i)
      out += column(r.allowed, static_cast<Role>(i)) ? " yes |" : " — |";
    out += "\n";
  }
  out +=
      "\n## Who may grant which role\n\n"
      "Granting covers inviting someone with the role, changing a membership to or from it, "
      "ending it and suspending its holder. Nobody grants `owner`: ownership moves only by a "
      "two-step transfer. Roles marked site-wide are only ever held site-wide, never for one "
      "unit.\n\n| role | may grant | limits on its grants | site-wide only |\n|---|---|---|:-:|\n";
  for (const RoleRow& r : kGrants) {
    std::string grants;
    for (std::size_t i = 0; i < kRoleCount; ++i)
      if (r.grants[i]) grants += (grants.empty() ? "" : ", ") + std::string(kRoleNames[i]);
    out.append("| ").append(to_string(r.role)).append(" | ");
    out.append(grants.empty() ? "—" : grants).append(" | ");
    out.append(r.bounded ? "only for their own unit, inside their own validity window" : "—");
    out.append(r.site_wide_only ? " | yes |\n" : " | — |\n");
  }
  return out;
}

}  // namespace server::access
