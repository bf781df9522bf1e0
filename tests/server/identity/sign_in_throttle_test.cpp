// The sign-in throttle: growing waits per (account, source), a cap of 100 failures an hour per
// account for sources that have never signed in to it, and the two ways past the cap that keep
// the owner in (a source that signed in before, an enrolled device) — whether or not the account
// exists, since both limits are keyed by the email.

#include "server/identity/sign_in_throttle.hpp"

#include <gtest/gtest.h>

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

class SignInThrottleTest : public ::testing::Test {
 protected:
  Result<Attempt> attempt(const std::string& source, bool device = false,
                          const std::string& email = "ana@example.test") {
    return throttle_.begin(email, source, device);
  }
  // Records a failure from `source`, waiting first if the throttle asks to.
  void fail_from(const std::string& source, const std::string& email = "ana@example.test") {
    auto a = attempt(source, false, email);
    if (!a && a.error().code == Errc::rate_limited) {
      clock_.advance(*a.error().retry_after_s * 1000LL);
      a = attempt(source, false, email);
    }
    ASSERT_TRUE(a) << a.error().message;
  }
  void succeed(const Attempt& a) {
    auto tx = store_.db().begin();
    ASSERT_TRUE(tx);
    ASSERT_TRUE(throttle_.succeeded(a));
    ASSERT_TRUE(tx->commit());
  }

  testsupport::MigratedStore store_{testing::all_migrations()};
  lockcore::ManualClock clock_{1'767'225'600'000};
  SignInThrottle throttle_{store_.db(), clock_};
};

TEST_F(SignInThrottleTest, FiveFailuresAreFreeThenEachWaitDoublesUpToAnHour) {
  EXPECT_EQ(throttle_.delay_after(0), 0);
  EXPECT_EQ(throttle_.delay_after(4), 0);
  EXPECT_EQ(throttle_.delay_after(5), 1'000);
  EXPECT_EQ(throttle_.delay_after(6), 2'000);
  EXPECT_EQ(throttle_.delay_after(10), 32'000);
  EXPECT_EQ(throttle_.delay_after(16), 2'048'000);
  EXPECT_EQ(throttle_.delay_after(17), 3'600'000);
  EXPECT_EQ(throttle_.delay_after(1'000'000), 3'600'000);

  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(attempt("ip:203.0.113.9")) << i;
  auto sixth = attempt("ip:203.0.113.9");
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().code, Errc::rate_limited);
  EXPECT_EQ(sixth.error().retry_after_s, 1);
  clock_.advance(999);
  EXPECT_FALSE(attempt("ip:203.0.113.9"));
  clock_.advance(1);
  ASSERT_TRUE(attempt("ip:203.0.113.9"));
  auto seventh = attempt("ip:203.0.113.9");
  ASSERT_FALSE(seventh);
  EXPECT_EQ(seventh.error().retry_after_s, 2);
}

TEST_F(SignInThrottleTest, AnAttackersStreakDoesNotSlowAnotherSource) {
  for (int i = 0; i < 8; ++i)
    fail_from("ip:203.0.113.9");
  EXPECT_FALSE(attempt("ip:203.0.113.9"));
  EXPECT_TRUE(attempt("ip:198.51.100.7"));
}

TEST_F(SignInThrottleTest, SuccessEndsTheStreakAndAQuietDayForgetsIt) {
  for (int i = 0; i < 5; ++i)
    fail_from("ip:203.0.113.9");
  clock_.advance(1'000);
  auto good = attempt("ip:203.0.113.9");
  ASSERT_TRUE(good);
  succeed(*good);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(attempt("ip:203.0.113.9")) << "the streak started again at " << i;

  for (int i = 0; i < 5; ++i)
    fail_from("ip:192.0.2.1");
  EXPECT_FALSE(attempt("ip:192.0.2.1"));
  clock_.advance(24 * 3'600'000LL);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(attempt("ip:192.0.2.1")) << i;
}

TEST_F(SignInThrottleTest, AHundredFailuresAnHourFromUnknownSourcesCloseTheAccountToThemAlone) {
  // 20 addresses, 5 free failures each: 100 in a minute.
  for (int host = 1; host <= 20; ++host) {
    for (int i = 0; i < 5; ++i)
      fail_from("ip:203.0.113." + std::to_string(host));
  }
  auto fresh = attempt("ip:192.0.2.200");
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().code, Errc::rate_limited);
  EXPECT_EQ(fresh.error().retry_after_s, 3'600);
  // Another account is not touched.
  EXPECT_TRUE(attempt("ip:192.0.2.200", false, "bo@example.test"));
  // An hour after the first failure the window has room again.
  clock_.advance(3'600'000);
  EXPECT_TRUE(attempt("ip:192.0.2.200"));
}

TEST_F(SignInThrottleTest, TheOwnersKnownAddressAndEnrolledDeviceGetPastTheCap) {
  auto owner = attempt("ip:198.51.100.7");
  ASSERT_TRUE(owner);
  succeed(*owner);
  for (int host = 1; host <= 20; ++host) {
    for (int i = 0; i < 5; ++i)
      fail_from("ip:203.0.113." + std::to_string(host));
  }
  ASSERT_FALSE(attempt("ip:192.0.2.200"));

  auto from_home = attempt("ip:198.51.100.7");
  ASSERT_TRUE(from_home);
  EXPECT_TRUE(from_home->trusted);
  EXPECT_TRUE(from_home->reserved.empty());
  auto from_phone = attempt("device:dev_1", true);
  ASSERT_TRUE(from_phone);
  EXPECT_TRUE(from_phone->trusted);
  // Trusted attempts neither count toward the cap nor are refused by it.
  EXPECT_EQ(from_home->login, from_phone->login);
}

// What the lockout diagnosis reads: the failures still remembered and the longest wait, from
// where; the standing changes nothing (reading it twice, or then trying, sees the same).
TEST_F(SignInThrottleTest, TheStandingNamesTheLongestWaitAndWhereItHolds) {
  auto none = throttle_.standing("ana@example.test");
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->failures, 0);
  EXPECT_EQ(none->held_until, 0);

  for (int i = 0; i < 3; ++i)
    fail_from("ip:198.51.100.7");
  for (int i = 0; i < 9; ++i)
    fail_from("ip:203.0.113.9");  // 9 in a row: the next waits 16 s
  auto held = throttle_.standing("ANA@example.test");
  ASSERT_TRUE(held) << held.error().message;
  EXPECT_EQ(held->failures, 12);
  EXPECT_EQ(held->held_source, "ip:203.0.113.9");
  EXPECT_EQ(held->held_failures, 9);
  EXPECT_EQ(held->held_until, clock_.now() + 16'000);
  auto again = throttle_.standing("ana@example.test");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->held_until, held->held_until);

  clock_.advance(16'000);
  auto waited = throttle_.standing("ana@example.test");
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->held_until, 0) << "the wait is over";
  EXPECT_EQ(waited->failures, 12) << "the failures are still remembered";

  // Past the cap every untrusted address is held until the oldest failure leaves the hour: 88
  // more failures make 100 within it.
  for (int i = 0; i < 88; ++i)
    fail_from("ip:192.0.2." + std::to_string(1 + i / 5));
  auto capped = throttle_.standing("ana@example.test");
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->held_source, "untrusted");
  EXPECT_EQ(capped->held_failures, 100);
  EXPECT_GT(capped->held_until, clock_.now() + 30 * 60'000);

  // Another account stands where it stood.
  auto other = throttle_.standing("bo@example.test");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->failures, 0);
}

TEST_F(SignInThrottleTest, AWithdrawnAttemptIsNotAFailure) {
  for (int i = 0; i < 4; ++i)
    fail_from("ip:203.0.113.9");
  auto right_password = attempt("ip:203.0.113.9");
  ASSERT_TRUE(right_password);
  ASSERT_TRUE(throttle_.withdraw(*right_password));
  EXPECT_TRUE(attempt("ip:203.0.113.9")) << "the withdrawn attempt was counted";
}

TEST_F(SignInThrottleTest, AnUnknownAddressIsThrottledExactlyLikeAKnownOne) {
  // The throttle never looks the account up: nothing here differs by whether it exists.
  for (int i = 0; i < 5; ++i)
    fail_from("ip:203.0.113.9", "nobody@example.test");
  auto sixth = attempt("ip:203.0.113.9", false, "nobody@example.test");
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().retry_after_s, 1);
  // Case does not make a new key.
  EXPECT_FALSE(attempt("ip:203.0.113.9", false, "NOBODY@example.test"));
}

}  // namespace
}  // namespace server::identity
