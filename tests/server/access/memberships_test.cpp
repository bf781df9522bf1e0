// Memberships: who may grant which role (escalations refused), changing and ending them,
// suspending someone at one site, and the audit entries and credential tasks each act leaves.

#include <gtest/gtest.h>

#include "server/access/credential_tasks.hpp"
#include "tests/server/access/world.hpp"

namespace server::access {
namespace {

using testing::code;
using testing::kDay;
using testing::World;

class MembershipsTest : public ::testing::Test {
 protected:
  MembershipsTest() : MembershipsTest(false) {}
  explicit MembershipsTest(bool with_remover) : w_(with_remover) {
    w_.site("s1", "acc_owner");
    w_.unit("s1", "acc_owner", "101");
    w_.unit("s1", "acc_owner", "102");
    w_.site("s2", "acc_other");
    manager_ = grant("acc_owner", "acc_mgr", Role::manager);
    resident_ =
        grant("acc_mgr", "acc_res", Role::resident, "101", std::nullopt, w_.now() + 30 * kDay);
  }

  Result<Membership> try_grant(const std::string& actor, const std::string& account, Role role,
                               std::optional<std::string> unit = std::nullopt,
                               std::optional<UnixMs> from = std::nullopt,
                               std::optional<UnixMs> until = std::nullopt,
                               std::optional<std::string> schedule = std::nullopt) {
    w_.accounts().add(account);
    return w_.access().memberships().grant(actor, "s1", account,
                                           Grant{role, unit, from, until, schedule});
  }
  Membership grant(const std::string& actor, const std::string& account, Role role,
                   std::optional<std::string> unit = std::nullopt,
                   std::optional<UnixMs> from = std::nullopt,
                   std::optional<UnixMs> until = std::nullopt) {
    auto m = try_grant(actor, account, role, unit, from, until);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? *m : Membership{};
  }
  Denial decide(const std::string& account, Action action, Scope scope) {
    auto d = w_.access().policy().decide(account, action, scope, w_.now());
    return d.ok() ? d->denial : Denial::none;
  }
  // The id of `account`'s membership at s1 that has not ended.
  std::string id_of(const std::string& account) {
    auto all = w_.access().memberships().list("acc_owner", "s1");
    EXPECT_TRUE(all.ok());
    if (all.ok())
      for (const Membership& m : *all)
        if (m.account == account) return m.id;
    ADD_FAILURE() << "no membership of " << account;
    return {};
  }
  std::size_t pending_tasks() {
    auto p = pending_credential_tasks(w_.db());
    EXPECT_TRUE(p.ok());
    return p.ok() ? p->size() : 0;
  }

  World w_;
  Membership manager_, resident_;
};

TEST_F(MembershipsTest, AnOwnerGrantsEveryRoleButOwner) {
  int n = 0;
  for (Role role : {Role::manager, Role::maintenance, Role::resident, Role::guest, Role::support}) {
    auto unit = is_site_wide_only(role) ? std::nullopt : std::optional<std::string>("102");
    EXPECT_TRUE(try_grant("acc_owner", "acc_new" + std::to_string(++n), role, unit).ok())
        << to_string(role);
  }
  EXPECT_EQ(code(try_grant("acc_owner", "acc_x", Role::owner)), Errc::forbidden);
}

TEST_F(MembershipsTest, AManagerNeverGrantsOwnerOrManager) {
  EXPECT_EQ(code(try_grant("acc_mgr", "acc_x", Role::owner)), Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_mgr", "acc_x", Role::manager)), Errc::forbidden);
  EXPECT_TRUE(try_grant("acc_mgr", "acc_a", Role::maintenance).ok());
  EXPECT_TRUE(try_grant("acc_mgr", "acc_b", Role::support).ok());
  EXPECT_TRUE(try_grant("acc_mgr", "acc_c", Role::guest, "102").ok());
}

TEST_F(MembershipsTest, AResidentInvitesGuestsOnlyToTheirUnitAndOnlyWhileTheyStay) {
  const UnixMs leaves = w_.now() + 30 * kDay;
  EXPECT_TRUE(try_grant("acc_res", "acc_g1", Role::guest, "101", std::nullopt, leaves).ok());
  // Outliving the resident, open-ended, another unit, site-wide, or a role above guest: no.
  EXPECT_EQ(code(try_grant("acc_res", "acc_g2", Role::guest, "101", std::nullopt, leaves + 1)),
            Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_res", "acc_g3", Role::guest, "101")), Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_res", "acc_g4", Role::guest, "102", std::nullopt, leaves)),
            Errc::not_found);  // the resident cannot see unit 102
  EXPECT_EQ(code(try_grant("acc_res", "acc_g5", Role::guest, std::nullopt, std::nullopt, leaves)),
            Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_res", "acc_g6", Role::resident, "101", std::nullopt, leaves)),
            Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_res", "acc_g7", Role::maintenance, "101", std::nullopt, leaves)),
            Errc::forbidden);
}

TEST_F(MembershipsTest, MaintenanceGuestsAndSupportGrantNothing) {
  grant("acc_owner", "acc_maint", Role::maintenance);
  grant("acc_owner", "acc_guest", Role::guest, "101");
  grant("acc_owner", "acc_sup", Role::support);
  for (const char* actor : {"acc_maint", "acc_guest", "acc_sup"})
    EXPECT_EQ(code(try_grant(actor, std::string("acc_by_") + actor, Role::guest, "101",
                             std::nullopt, w_.now() + kDay)),
              Errc::forbidden)
        << actor;
}

TEST_F(MembershipsTest, NobodyGrantsThemselvesAndNobodyHasTwoForTheSameUnit) {
  EXPECT_EQ(code(try_grant("acc_owner", "acc_owner", Role::resident, "101")), Errc::forbidden);
  EXPECT_EQ(code(try_grant("acc_owner", "acc_res", Role::guest, "101")), Errc::conflict);
  EXPECT_TRUE(try_grant("acc_owner", "acc_res", Role::guest, "102").ok());
}

TEST_F(MembershipsTest, RefusesMalformedGrantsNamingTheField) {
  auto site_wide_role = try_grant("acc_owner", "acc_x", Role::manager, "101");
  ASSERT_FALSE(site_wide_role.ok());
  EXPECT_EQ(site_wide_role.error().field, "role");
  auto backwards = try_grant("acc_owner", "acc_x", Role::guest, "101", w_.now() + kDay, w_.now());
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.error().field, "valid_until");
  auto past = try_grant("acc_owner", "acc_x", Role::guest, "101", std::nullopt, w_.now() - 1);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().field, "valid_until");
  auto schedule = try_grant("acc_owner", "acc_x", Role::guest, "101", std::nullopt, std::nullopt,
                            "Mo-Fr 17:00-08:00");
  ASSERT_FALSE(schedule.ok());
  EXPECT_EQ(schedule.error().field, "schedule");
  EXPECT_EQ(code(try_grant("acc_owner", "acc_x", Role::guest, "999")), Errc::not_found);
  EXPECT_EQ(code(w_.access().memberships().grant("acc_owner", "s1", "acc_nobody",
                                                 Grant{Role::guest, "101", {}, {}, {}})),
            Errc::not_found);
}

TEST_F(MembershipsTest, InvitingByEmailCreatesTheAccountOnlyForSomeoneAllowedToInvite) {
  auto denied = w_.access().memberships().invite("acc_res", "s1", "new@example.test",
                                                 Grant{Role::resident, "101", {}, {}, {}});
  EXPECT_EQ(code(denied), Errc::forbidden);
  EXPECT_EQ(w_.accounts().invited(), 0);
  auto m =
      w_.access().memberships().invite("acc_mgr", "s1", "new@example.test",
                                       Grant{Role::resident, "102", {}, {}, "Mo-Fr 08:00-17:00"});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(w_.accounts().invited(), 1);
  EXPECT_EQ(m->account, "acc_invited1");
  EXPECT_EQ(m->schedule.days_mask, 0b0011111);
  auto bad = w_.access().memberships().invite("acc_mgr", "s1", "not-an-email",
                                              Grant{Role::guest, "102", {}, {}, {}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "email");
}

TEST_F(MembershipsTest, ChangingARoleNeedsTheRightToGrantBothRoles) {
  auto& ms = w_.access().memberships();
  grant("acc_owner", "acc_mgr2", Role::manager);
  const std::string mgr2 = id_of("acc_mgr2");
  // A manager cannot demote another manager, nor promote a resident to manager.
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", mgr2, Role::resident)), Errc::forbidden);
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", resident_.id, Role::manager)),
            Errc::invalid_field);
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", resident_.id, Role::owner)), Errc::invalid_field);
  const std::string support = grant("acc_owner", "acc_sup", Role::support).id;
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", support, Role::owner)), Errc::forbidden);
  EXPECT_EQ(code(ms.change_role("acc_owner", "s1", support, Role::owner)), Errc::forbidden);
  // Nobody changes their own role, nor the owner's.
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", manager_.id, Role::support)), Errc::forbidden);
  EXPECT_EQ(code(ms.change_role("acc_mgr", "s1", id_of("acc_owner"), Role::manager)),
            Errc::forbidden);
  // Another site's membership id is not there at all.
  auto elsewhere = ms.list("acc_other", "s2");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(code(ms.change_role("acc_owner", "s1", elsewhere->front().id, Role::guest)),
            Errc::not_found);

  auto changed = ms.change_role("acc_mgr", "s1", resident_.id, Role::guest);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->role, Role::guest);
  EXPECT_EQ(decide("acc_res", Action::manage_own_codes, {"s1", {}, {}}), Denial::role);
  EXPECT_EQ(w_.audit_types().back(), "membership_changed");
  EXPECT_EQ(pending_tasks(), 1u);  // the resident's codes are revalidated
  EXPECT_TRUE(ms.change_role("acc_owner", "s1", mgr2, Role::support).ok());
}

TEST_F(MembershipsTest, EndingAMembershipTakesAccessAwayAndRecordsWhy) {
  auto& ms = w_.access().memberships();
  ASSERT_EQ(decide("acc_res", Action::view_site, {"s1", {}, {}}), Denial::none);
  EXPECT_EQ(code(ms.end("acc_res", "s1", manager_.id)), Errc::forbidden);
  EXPECT_TRUE(ms.end("acc_mgr", "s1", resident_.id).ok());
  EXPECT_EQ(decide("acc_res", Action::view_site, {"s1", {}, {}}), Denial::not_visible);
  EXPECT_EQ(code(ms.end("acc_mgr", "s1", resident_.id)), Errc::conflict);
  EXPECT_EQ(w_.audit_types().back(), "membership_ended");
  auto tasks = pending_credential_tasks(w_.db());
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ(tasks->front().account, "acc_res");
  EXPECT_EQ(tasks->front().kind, CredentialTaskKind::revalidate);
  EXPECT_TRUE(mark_credential_task_done(w_.db(), tasks->front().id, w_.now()).ok());
  EXPECT_EQ(pending_tasks(), 0u);
}

TEST_F(MembershipsTest, AnyoneMayLeaveButAnOwnerTransfersFirst) {
  auto& ms = w_.access().memberships();
  EXPECT_TRUE(ms.end("acc_mgr", "s1", manager_.id).ok());
  EXPECT_EQ(code(ms.end("acc_owner", "s1", id_of("acc_owner"))), Errc::conflict);
}

TEST_F(MembershipsTest, SuspensionIsOnlyForLowerRolesAndTellsThePerson) {
  auto& ms = w_.access().memberships();
  grant("acc_owner", "acc_mgr2", Role::manager);
  EXPECT_EQ(code(ms.suspend("acc_mgr", "s1", "acc_mgr2")), Errc::forbidden);
  EXPECT_EQ(code(ms.suspend("acc_mgr", "s1", "acc_owner")), Errc::forbidden);
  EXPECT_EQ(code(ms.suspend("acc_mgr", "s1", "acc_mgr")), Errc::forbidden);
  EXPECT_EQ(code(ms.suspend("acc_res", "s1", "acc_mgr")), Errc::forbidden);
  EXPECT_EQ(code(ms.suspend("acc_mgr", "s1", "acc_stranger")), Errc::not_found);
  EXPECT_EQ(code(ms.suspend("acc_other", "s1", "acc_res")), Errc::not_found);

  ASSERT_TRUE(ms.suspend("acc_mgr", "s1", "acc_res").ok());
  EXPECT_EQ(decide("acc_res", Action::operate_lock, {"s1", "101", {}}), Denial::suspended);
  EXPECT_EQ(code(ms.suspend("acc_mgr", "s1", "acc_res")), Errc::conflict);
  EXPECT_EQ(w_.audit_types().back(), "account_suspended");
  auto told = w_.messages_to("acc_res");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told.front().notice.kind, notify::Kind::security_notice);

  ASSERT_TRUE(ms.reinstate("acc_mgr", "s1", "acc_res").ok());
  EXPECT_EQ(decide("acc_res", Action::operate_lock, {"s1", "101", {}}), Denial::none);
  EXPECT_EQ(code(ms.reinstate("acc_mgr", "s1", "acc_res")), Errc::conflict);
  EXPECT_TRUE(ms.suspend("acc_owner", "s1", "acc_mgr2").ok());
}

TEST_F(MembershipsTest, ListingPeopleNeedsViewPeople) {
  auto& ms = w_.access().memberships();
  auto all = ms.list("acc_mgr", "s1");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  EXPECT_EQ(code(ms.list("acc_res", "s1")), Errc::forbidden);
  EXPECT_EQ(code(ms.list("acc_mgr", "s2")), Errc::not_found);
}

class MembershipsWithRemoverTest : public MembershipsTest {
 protected:
  MembershipsWithRemoverTest() : MembershipsTest(true) {}
};

TEST_F(MembershipsWithRemoverTest, AWiredRemoverIsCalledInTheSameActAndNothingStaysPending) {
  ASSERT_TRUE(w_.access().memberships().end("acc_mgr", "s1", resident_.id).ok());
  ASSERT_EQ(w_.remover().calls.size(), 1u);
  EXPECT_EQ(w_.remover().calls.front(), "revalidate s1 acc_res");
  EXPECT_EQ(pending_tasks(), 0u);
}

}  // namespace
}  // namespace server::access
