// Ownership transfer in two steps: offered, accepted by the recipient only, within 7 days; on
// acceptance the prior owner's memberships and credentials go, the recipient owns the site, and
// every other admin hears of it.

#include <algorithm>

#include <gtest/gtest.h>

#include "server/access/credential_tasks.hpp"
#include "tests/server/access/world.hpp"

namespace server::access {
namespace {

using testing::code;
using testing::kDay;
using testing::World;

class TransfersTest : public ::testing::Test {
 protected:
  TransfersTest() : TransfersTest(false) {}
  explicit TransfersTest(bool with_remover) : w_(with_remover) {
    w_.site("s1", "acc_owner");
    w_.unit("s1", "acc_owner", "101");
    w_.site("s2", "acc_other");
    for (auto [who, role, unit] :
         {std::tuple{"acc_mgr", Role::manager, ""}, std::tuple{"acc_res", Role::resident, "101"},
          std::tuple{"acc_sup", Role::support, ""}}) {
      w_.accounts().add(who);
      auto m = w_.access().memberships().grant(
          "acc_owner", "s1", who,
          Grant{role, *unit ? std::optional<std::string>(unit) : std::nullopt, {}, {}, {}});
      EXPECT_TRUE(m.ok()) << m.error().message;
    }
    w_.accounts().add("acc_bob");
  }
  OwnershipTransfers& transfers() { return w_.access().transfers(); }
  Transfer start(const std::string& to_email = "acc_bob@example.test") {
    auto t = transfers().start("acc_owner", "s1", to_email);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? *t : Transfer{};
  }
  std::vector<Role> roles_of(const std::string& account) {
    auto site = w_.access().sites().get(account, "s1");
    return site.ok() ? site->my_roles : std::vector<Role>{};
  }
  static bool has(const std::vector<std::string>& all, const std::string& one) {
    return std::find(all.begin(), all.end(), one) != all.end();
  }

  World w_;
};

TEST_F(TransfersTest, TheRecipientAcceptsAndTheSiteChangesHandsCompletely) {
  Transfer t = start();
  EXPECT_EQ(t.status, TransferStatus::pending);
  EXPECT_EQ(t.to_account, "acc_bob");
  EXPECT_EQ(t.expires, w_.now() + 7 * kDay);
  EXPECT_EQ(w_.messages_to("acc_bob").size(), 1u);  // the offer
  // Until accepted nothing changes.
  EXPECT_EQ(roles_of("acc_owner"), std::vector<Role>{Role::owner});
  EXPECT_TRUE(roles_of("acc_bob").empty());

  w_.clock().advance(3 * kDay);
  auto accepted = transfers().accept("acc_bob", t.id);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->status, TransferStatus::accepted);
  EXPECT_EQ(roles_of("acc_bob"), std::vector<Role>{Role::owner});
  auto prior = w_.access().policy().check("acc_owner", Action::view_site, {"s1", {}, {}}, w_.now());
  ASSERT_FALSE(prior.ok());
  EXPECT_EQ(prior.error().code, Errc::not_found);

  // The prior owner's credentials: a remove_all task, recorded (no remover is wired here).
  auto tasks = pending_credential_tasks(w_.db());
  ASSERT_TRUE(tasks.ok());
  EXPECT_TRUE(std::any_of(tasks->begin(), tasks->end(), [](const CredentialTask& c) {
    return c.account == "acc_owner" && c.kind == CredentialTaskKind::remove_all &&
           c.reason == "ownership_transferred";
  }));
  // Every other admin and the prior owner are told; the resident and support are not.
  EXPECT_EQ(w_.messages_to("acc_mgr").size(), 1u);
  EXPECT_EQ(w_.messages_to("acc_owner").size(), 1u);
  EXPECT_EQ(w_.messages_to("acc_res").size(), 0u);
  EXPECT_EQ(w_.messages_to("acc_sup").size(), 0u);
  for (const auto& m : w_.messages_to("acc_mgr"))
    EXPECT_EQ(m.notice.kind, notify::Kind::security_notice);
  const auto types = w_.audit_types();
  for (const char* type : {"ownership_transfer_started", "membership_ended", "membership_started",
                           "ownership_transferred"})
    EXPECT_TRUE(has(types, type)) << type;
  // The new owner can hand it on again.
  w_.accounts().add("acc_carol");
  EXPECT_TRUE(transfers().start("acc_bob", "s1", "acc_carol@example.test").ok());
}

TEST_F(TransfersTest, ARecipientWhoWasAResidentEndsUpOnlyOwner) {
  Transfer t = start("acc_res@example.test");
  ASSERT_TRUE(transfers().accept("acc_res", t.id).ok());
  EXPECT_EQ(roles_of("acc_res"), std::vector<Role>{Role::owner});
}

TEST_F(TransfersTest, AnOfferExpiresAfterSevenDays) {
  Transfer t = start();
  w_.clock().advance(7 * kDay);
  auto late = transfers().accept("acc_bob", t.id);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, Errc::conflict);
  EXPECT_EQ(late.error().message, "this transfer has expired");
  EXPECT_EQ(roles_of("acc_owner"), std::vector<Role>{Role::owner});
  auto mine = transfers().list_mine("acc_bob");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, TransferStatus::expired);
  // An expired offer does not block a new one.
  Transfer again = start();
  EXPECT_NE(again.id, t.id);
  EXPECT_TRUE(transfers().accept("acc_bob", again.id).ok());
}

TEST_F(TransfersTest, OnlyTheRecipientAcceptsAndStrangersCannotSeeIt) {
  Transfer t = start();
  EXPECT_EQ(code(transfers().accept("acc_mgr", t.id)), Errc::not_found);
  EXPECT_EQ(code(transfers().accept("acc_other", t.id)), Errc::not_found);
  EXPECT_EQ(code(transfers().accept("acc_owner", t.id)), Errc::forbidden);
  EXPECT_EQ(code(transfers().cancel("acc_mgr", t.id)), Errc::not_found);
  EXPECT_EQ(code(transfers().accept("acc_bob", "otr_' OR '1'='1")), Errc::not_found);
  EXPECT_EQ(roles_of("acc_owner"), std::vector<Role>{Role::owner});
}

TEST_F(TransfersTest, OnlyAnOwnerStartsOneAndOnlyOneAtATime) {
  EXPECT_EQ(code(transfers().start("acc_mgr", "s1", "acc_bob@example.test")), Errc::forbidden);
  EXPECT_EQ(code(transfers().start("acc_res", "s1", "acc_bob@example.test")), Errc::forbidden);
  EXPECT_EQ(code(transfers().start("acc_other", "s1", "acc_bob@example.test")), Errc::not_found);
  EXPECT_EQ(code(transfers().start("acc_owner", "s1", "acc_owner@example.test")), Errc::conflict);
  start();
  EXPECT_EQ(code(transfers().start("acc_owner", "s1", "acc_mgr@example.test")), Errc::conflict);
}

TEST_F(TransfersTest, EitherPartyCancels) {
  Transfer t = start();
  auto cancelled = transfers().cancel("acc_bob", t.id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->status, TransferStatus::cancelled);
  EXPECT_EQ(code(transfers().accept("acc_bob", t.id)), Errc::conflict);
  EXPECT_EQ(code(transfers().cancel("acc_owner", t.id)), Errc::conflict);
  EXPECT_EQ(w_.audit_types().back(), "ownership_transfer_cancelled");
  EXPECT_EQ(w_.messages_to("acc_owner").size(), 1u);  // told of the cancellation
  Transfer second = start();
  EXPECT_TRUE(transfers().cancel("acc_owner", second.id).ok());
}

TEST_F(TransfersTest, AnOfferFromSomeoneNoLongerOwnerCannotBeAccepted) {
  Transfer t = start();
  auto own = memberships_of(w_.db(), "acc_owner", "s1");
  ASSERT_TRUE(own.ok());
  Membership m = own->front();
  m.status = MembershipStatus::suspended;
  {
    const auto writing = w_.changing();  // as an act would (the policy caches rows)
    ASSERT_TRUE(update_membership(w_.db(), m, w_.now()).ok());
  }
  EXPECT_EQ(code(transfers().accept("acc_bob", t.id)), Errc::conflict);
  EXPECT_TRUE(roles_of("acc_bob").empty());
}

TEST_F(TransfersTest, AnInactiveRecipientCannotAccept) {
  Transfer t = start();
  w_.accounts().add("acc_bob", /*active=*/false);
  EXPECT_EQ(code(transfers().accept("acc_bob", t.id)), Errc::forbidden);
}

class TransfersWithRemoverTest : public TransfersTest {
 protected:
  TransfersWithRemoverTest() : TransfersTest(true) {}
};

TEST_F(TransfersWithRemoverTest, ThePriorOwnersCredentialsAreRemovedInTheSameAct) {
  Transfer t = start();
  w_.remover().calls.clear();
  ASSERT_TRUE(transfers().accept("acc_bob", t.id).ok());
  EXPECT_TRUE(has(w_.remover().calls, "remove_all s1 acc_owner"));
  auto tasks = pending_credential_tasks(w_.db());
  ASSERT_TRUE(tasks.ok());
  EXPECT_TRUE(tasks->empty());
}

}  // namespace
}  // namespace server::access
