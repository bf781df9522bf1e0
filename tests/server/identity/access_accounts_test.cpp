// AccessAccounts: what the access domain learns about accounts comes from identity — an account
// that exists, whether it is active, its email — and an unknown address is never invented.

#include "server/identity/access_accounts.hpp"

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

using testing::IdentityTest;

class AccessAccountsTest : public IdentityTest {
 protected:
  AccessAccounts port_{identity_.accounts()};
};

TEST_F(AccessAccountsTest, AnAccountIsFoundByIdWithItsEmailAndStanding) {
  Account ana = make_account("Ana@Example.test");
  auto found = port_.find(ana.id);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, ana.id);
  EXPECT_EQ((*found)->email, "Ana@Example.test");
  EXPECT_TRUE((*found)->active);

  ASSERT_TRUE(identity_.accounts().suspend(ana.id, "system:test", "test"));
  found = port_.find(ana.id);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_FALSE((*found)->active);
}

TEST_F(AccessAccountsTest, AnUnknownOrHostileIdIsNoAccount) {
  make_account();
  for (const char* id : {"acc_nope", "", "' OR 1=1 --", "acc_%"}) {
    auto found = port_.find(id);
    ASSERT_TRUE(found) << id;
    EXPECT_FALSE(found->has_value()) << id;
  }
}

TEST_F(AccessAccountsTest, AnInviteeWithAnAccountIsFoundByEmailInAnyCase) {
  Account ana = make_account("ana@example.test");
  auto found = port_.find_or_invite("ANA@example.TEST", "acc_owner");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->id, ana.id);
  EXPECT_TRUE(found->active);
}

TEST_F(AccessAccountsTest, AnUnknownAddressIsNotInventedAndAMalformedOneIsNamed) {
  make_account();
  auto unknown = port_.find_or_invite("bo@example.test", "acc_owner");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::unavailable);
  auto malformed = port_.find_or_invite("' OR '1'='1", "acc_owner");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, Errc::invalid_field);
  EXPECT_EQ(malformed.error().field, "email");
  EXPECT_EQ(count("SELECT count(*) FROM accounts"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM outbox"), 0);
}

}  // namespace
}  // namespace server::identity
