// The policy, exhaustively: every role x every action x every kind of membership scope x window
// (open, inside, not started, over) x schedule (none, inside, outside) x every kind of target
// (own unit's door, common door, another unit's door, the site, own unit, another unit, another
// site's door and site, ids that exist nowhere). The expected answer is worked out here from the
// rules as DESIGN.md and docs/roles.md state them, independently of the table in roles.cpp.

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "server/access/schedule.hpp"
#include "tests/server/access/world.hpp"

namespace server::access {
namespace {

using testing::kDay;
using testing::kHour;
using testing::World;

const std::map<Role, std::set<std::string>> kAllowed = {
    {Role::owner,
     {"view_site", "view_lock_state", "operate_lock", "issue_own_digital_key", "manage_own_codes",
      "manage_unit_guest_codes", "manage_any_code", "view_people", "manage_people",
      "suspend_account", "transfer_ownership", "manage_site", "commission_devices", "view_audit",
      "view_fleet_health", "diagnose_and_recover", "manage_work_orders"}},
    {Role::manager,
     {"view_site", "view_lock_state", "operate_lock", "issue_own_digital_key", "manage_own_codes",
      "manage_unit_guest_codes", "manage_any_code", "view_people", "manage_people",
      "suspend_account", "manage_site", "commission_devices", "view_audit", "view_fleet_health",
      "diagnose_and_recover", "manage_work_orders"}},
    {Role::maintenance,
     {"view_site", "view_lock_state", "operate_lock", "issue_own_digital_key", "manage_own_codes",
      "view_fleet_health", "manage_work_orders"}},
    {Role::resident,
     {"view_site", "view_lock_state", "operate_lock", "issue_own_digital_key", "manage_own_codes",
      "manage_unit_guest_codes", "manage_people"}},
    {Role::guest, {"view_site", "view_lock_state", "operate_lock", "issue_own_digital_key"}},
    {Role::support,
     {"view_site", "view_lock_state", "view_people", "view_audit", "view_fleet_health",
      "diagnose_and_recover"}},
};

enum class Window { open, inside, not_started, over };
enum class Sched { none, inside, outside };
enum class Target {
  own_door,
  common_door,
  other_unit_door,
  site,
  own_unit,
  other_unit,
  other_site_door,
  other_site,
  missing_door,
  missing_unit,
  missing_site
};

struct Case {
  Role role;
  bool site_wide;
  Window window;
  Sched schedule;
};

Scope scope_of(Target t) {
  switch (t) {
    case Target::own_door:
      return {"s1", {}, "d101"};
    case Target::common_door:
      return {"s1", {}, "front"};
    case Target::other_unit_door:
      return {"s1", {}, "d102"};
    case Target::site:
      return {"s1", {}, {}};
    case Target::own_unit:
      return {"s1", "101", {}};
    case Target::other_unit:
      return {"s1", "102", {}};
    case Target::other_site_door:
      return {"s2", {}, "x201"};
    case Target::other_site:
      return {"s2", {}, {}};
    case Target::missing_door:
      return {"s1", {}, "d999"};
    case Target::missing_unit:
      return {"s1", "999", {}};
    case Target::missing_site:
      return {"s9", {}, {}};
  }
  return {};
}

Denial expected(const Case& c, Action action, Target t) {
  const bool elsewhere = t == Target::other_site_door || t == Target::other_site ||
                         t == Target::missing_door || t == Target::missing_unit ||
                         t == Target::missing_site;
  if (elsewhere || c.window == Window::over) return Denial::not_visible;
  const bool covered = c.site_wide || (t != Target::other_unit_door && t != Target::other_unit);
  if (!covered) return Denial::not_visible;
  if (!kAllowed.at(c.role).contains(std::string(to_string(action)))) return Denial::role;
  if (c.window == Window::not_started) return Denial::outside_window;
  if (action == Action::operate_lock && c.schedule == Sched::outside)
    return Denial::outside_schedule;
  return Denial::none;
}

class PolicyTest : public ::testing::Test {
 protected:
  PolicyTest() {
    w_.site("s1", "acc_founder");
    w_.unit("s1", "acc_founder", "101");
    w_.unit("s1", "acc_founder", "102");
    w_.site("s2", "acc_other_founder", "Europe/London");
    w_.unit("s2", "acc_other_founder", "201");
    w_.locks().add("s1", "d101", "101");
    w_.locks().add("s1", "d102", "102");
    w_.locks().add("s1", "front", std::nullopt);
    w_.locks().add("s2", "x201", "201");
  }
  Denial decide(const std::string& account, Action action, const Scope& scope) {
    auto d = w_.access().policy().decide(account, action, scope, w_.now());
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().message);
    return d.ok() ? d->denial : Denial::none;
  }
  World w_;
};

TEST_F(PolicyTest, EveryRoleEveryActionEveryScopeWindowScheduleAndTarget) {
  // Monday 07:00 in New York.
  const auto inside = *parse_schedule("Mo 06:00-08:00");
  const auto outside = *parse_schedule("Tu-Su 00:00-24:00");
  const UnixMs now = w_.now();
  std::vector<std::pair<Case, std::string>> cases;
  int n = 0;
  for (std::size_t r = 0; r < kRoleCount; ++r) {
    const auto role = static_cast<Role>(r);
    for (bool site_wide : {false, true}) {
      if (!site_wide && is_site_wide_only(role)) continue;
      for (Window window : {Window::open, Window::inside, Window::not_started, Window::over}) {
        for (Sched sched : {Sched::none, Sched::inside, Sched::outside}) {
          std::optional<UnixMs> from, until;
          if (window == Window::inside) from = now - kDay, until = now + kDay;
          if (window == Window::not_started) from = now + kHour, until = now + kDay;
          if (window == Window::over) from = now - kDay, until = now - kHour;
          const std::string account = "acc_case" + std::to_string(++n);
          w_.put(account, "s1", role, site_wide ? std::nullopt : std::optional<std::string>("101"),
                 from, until,
                 sched == Sched::none     ? lockcore::WeeklySchedule{}
                 : sched == Sched::inside ? inside
                                          : outside);
          cases.push_back({Case{role, site_wide, window, sched}, account});
        }
      }
    }
  }
  int checked = 0;
  for (const auto& [c, account] : cases) {
    for (std::size_t a = 0; a < kActionCount; ++a) {
      const auto action = static_cast<Action>(a);
      for (int t = 0; t <= static_cast<int>(Target::missing_site); ++t) {
        const auto target = static_cast<Target>(t);
        const Denial want = expected(c, action, target);
        const Denial got = decide(account, action, scope_of(target));
        ++checked;
        EXPECT_EQ(to_string(got), to_string(want))
            << to_string(c.role) << (c.site_wide ? " site-wide" : " unit 101") << " window "
            << static_cast<int>(c.window) << " schedule " << static_cast<int>(c.schedule) << ", "
            << to_string(action) << " on target " << t;
      }
    }
  }
  EXPECT_EQ(checked, 9 * 4 * 3 * 17 * 11);  // 9 role x scope pairs
}

TEST_F(PolicyTest, ASuspendedMembershipIsVisibleButCountsForNothing) {
  Membership m = w_.put("acc_ana", "s1", Role::resident, "101");
  m.status = MembershipStatus::suspended;
  {
    const auto writing = w_.changing();  // as an act would (the policy caches rows)
    ASSERT_TRUE(update_membership(w_.db(), m, w_.now()).ok());
  }
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d101"}), Denial::suspended);
  EXPECT_EQ(decide("acc_ana", Action::view_site, {"s1", {}, {}}), Denial::suspended);
  // An action the role never had is refused for the role, whatever the suspension.
  EXPECT_EQ(decide("acc_ana", Action::manage_any_code, {"s1", {}, {}}), Denial::role);
}

TEST_F(PolicyTest, AnEndedMembershipMakesTheSiteInvisible) {
  Membership m = w_.put("acc_ana", "s1", Role::resident, "101");
  ASSERT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d101"}), Denial::none);
  m.status = MembershipStatus::ended;
  {
    const auto writing = w_.changing();  // as an act would (the policy caches rows)
    ASSERT_TRUE(update_membership(w_.db(), m, w_.now()).ok());
  }
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d101"}), Denial::not_visible);
  EXPECT_EQ(decide("acc_ana", Action::view_site, {"s1", {}, {}}), Denial::not_visible);
}

TEST_F(PolicyTest, AnInactiveAccountCountsForNothingAnywhere) {
  w_.put("acc_ana", "s1", Role::manager);
  w_.accounts().add("acc_ana", /*active=*/false);
  EXPECT_EQ(decide("acc_ana", Action::view_site, {"s1", {}, {}}), Denial::account_inactive);
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "front"}), Denial::account_inactive);
  // Unknown to identity altogether (deleted): the same.
  w_.put("acc_ghost", "s1", Role::manager);
  EXPECT_EQ(decide("acc_ghost", Action::view_site, {"s1", {}, {}}), Denial::none);
  w_.accounts().remove("acc_ghost");
  EXPECT_EQ(decide("acc_ghost", Action::view_site, {"s1", {}, {}}), Denial::account_inactive);
}

TEST_F(PolicyTest, AnyOneCoveringMembershipThatAllowsItIsEnough) {
  // A guest of 101 who is also maintenance site-wide, only on weekends.
  w_.put("acc_ana", "s1", Role::guest, "101");
  w_.put("acc_ana", "s1", Role::maintenance, std::nullopt, std::nullopt, std::nullopt,
         *parse_schedule("Sa,Su 08:00-17:00"));
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d101"}), Denial::none);
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d102"}), Denial::outside_schedule);
  EXPECT_EQ(decide("acc_ana", Action::manage_work_orders, {"s1", {}, "d102"}), Denial::none);
}

TEST_F(PolicyTest, ScheduleIsReadInTheSitesOwnTimeZone) {
  // 12:00Z Monday is 07:00 in New York (s1) and 12:00 in London (s2).
  const auto mornings = *parse_schedule("Mo 06:00-08:00");
  w_.put("acc_ana", "s1", Role::guest, "101", std::nullopt, std::nullopt, mornings);
  w_.put("acc_ana", "s2", Role::guest, "201", std::nullopt, std::nullopt, mornings);
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, "d101"}), Denial::none);
  EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s2", {}, "x201"}), Denial::outside_schedule);
}

TEST_F(PolicyTest, WindowEdgesAreHalfOpen) {
  const UnixMs now = w_.now();
  w_.put("acc_from", "s1", Role::guest, "101", now, now + kDay);
  w_.put("acc_until", "s1", Role::guest, "101", now - kDay, now);
  EXPECT_EQ(decide("acc_from", Action::operate_lock, {"s1", {}, "d101"}), Denial::none);
  EXPECT_EQ(decide("acc_until", Action::operate_lock, {"s1", {}, "d101"}), Denial::not_visible);
  w_.clock().set(now - 1);
  EXPECT_EQ(decide("acc_from", Action::operate_lock, {"s1", {}, "d101"}), Denial::outside_window);
  EXPECT_EQ(decide("acc_until", Action::operate_lock, {"s1", {}, "d101"}), Denial::none);
}

TEST_F(PolicyTest, CheckAnswersNotFoundForTheInvisibleAndForbiddenForTheRest) {
  w_.put("acc_ana", "s1", Role::guest, "101");
  const Policy& p = w_.access().policy();
  auto other_site = p.check("acc_ana", Action::view_site, {"s2", {}, {}}, w_.now());
  auto no_site = p.check("acc_ana", Action::view_site, {"s9", {}, {}}, w_.now());
  ASSERT_FALSE(other_site.ok());
  ASSERT_FALSE(no_site.ok());
  EXPECT_EQ(other_site.error().code, Errc::not_found);
  // Another site's id and an id that exists nowhere are answered alike, to the letter.
  EXPECT_EQ(other_site.error().message, no_site.error().message);
  auto other_door = p.check("acc_ana", Action::operate_lock, {"s1", {}, "d102"}, w_.now());
  auto no_door = p.check("acc_ana", Action::operate_lock, {"s1", {}, "nope"}, w_.now());
  ASSERT_FALSE(other_door.ok());
  EXPECT_EQ(other_door.error().code, Errc::not_found);
  EXPECT_EQ(other_door.error().message, no_door.error().message);
  auto codes = p.check("acc_ana", Action::manage_any_code, {"s1", {}, {}}, w_.now());
  ASSERT_FALSE(codes.ok());
  EXPECT_EQ(codes.error().code, Errc::forbidden);
  EXPECT_TRUE(p.check("acc_ana", Action::operate_lock, {"s1", {}, "front"}, w_.now()).ok());
}

TEST_F(PolicyTest, HostileIdsFindNothing) {
  w_.put("acc_ana", "s1", Role::manager);
  const std::vector<std::string> ids = {"s1' OR '1'='1",       "s1;--", "%", "s_", "S1", "s1 ", "",
                                        std::string("s1\0", 3)};
  for (const std::string& id : ids) {
    EXPECT_EQ(decide("acc_ana", Action::view_site, {id, {}, {}}), Denial::not_visible) << id;
    EXPECT_EQ(decide("acc_ana", Action::view_site, {"s1", id, {}}), Denial::not_visible) << id;
    EXPECT_EQ(decide("acc_ana", Action::operate_lock, {"s1", {}, id}), Denial::not_visible) << id;
  }
  // Nor does an account id that is a pattern.
  EXPECT_EQ(decide("%", Action::view_site, {"s1", {}, {}}), Denial::not_visible);
  EXPECT_EQ(decide("acc_' OR '1'='1", Action::view_site, {"s1", {}, {}}), Denial::not_visible);
}

}  // namespace
}  // namespace server::access
