#include "lockcore/offline_pin.hpp"

#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace lockcore {
namespace {

using testing::kHour;
using testing::kStart;

class OfflinePin : public ::testing::Test {
 protected:
  SeededRandom random{21};
  KxKeyPair lock = make_kx_keypair(random);
  KxKeyPair server = make_kx_keypair(random);
  OfflineSecret secret = lock_offline_secret(lock, server.public_key).value();
  std::uint32_t hour_of(UnixMs t) { return static_cast<std::uint32_t>(t / kHour); }
};

TEST_F(OfflinePin, BothSidesOfThePairingDeriveTheSameSecret) {
  auto server_side = server_offline_secret(server, lock.public_key);
  ASSERT_TRUE(server_side.ok());
  EXPECT_EQ(*server_side, secret);
  KxKeyPair stranger = make_kx_keypair(random);
  EXPECT_NE(server_offline_secret(stranger, lock.public_key).value(), secret);
}

TEST_F(OfflinePin, IsEightDigitsDeterministicAndSpecific) {
  const OfflinePinSpec spec{hour_of(kStart), OfflineDuration::h4, 0};
  const Pin pin = derive_offline_pin(secret, spec);
  EXPECT_EQ(pin.length, 8);
  Pin parsed;
  EXPECT_TRUE(Pin::parse(pin.view(), parsed));
  EXPECT_EQ(derive_offline_pin(secret, spec), pin);
  OfflinePinSpec other = spec;
  other.counter = 1;
  EXPECT_NE(derive_offline_pin(secret, other), pin);
  other = spec;
  other.duration = OfflineDuration::h12;
  EXPECT_NE(derive_offline_pin(secret, other), pin);
  other = spec;
  other.start_hour += 1;
  EXPECT_NE(derive_offline_pin(secret, other), pin);
}

TEST_F(OfflinePin, TheLockAcceptsItOnlyInsideItsWindow) {
  const OfflinePinSpec spec{hour_of(kStart) + 2, OfflineDuration::h4, 3};
  const Pin pin = derive_offline_pin(secret, spec);
  OfflinePinSpec matched;
  EXPECT_FALSE(match_offline_pin(secret, pin, kStart + 2 * kHour - 1, matched));  // not yet
  EXPECT_TRUE(match_offline_pin(secret, pin, kStart + 2 * kHour, matched));
  EXPECT_EQ(matched, spec);
  EXPECT_TRUE(match_offline_pin(secret, pin, kStart + 6 * kHour - 1, matched));
  EXPECT_FALSE(match_offline_pin(secret, pin, kStart + 6 * kHour, matched));  // over
}

TEST_F(OfflinePin, EveryDurationAndCounterIsAccepted) {
  for (std::uint8_t d = 0; d < kOfflineDurationHours.size(); ++d) {
    for (std::uint8_t c = 0; c < kOfflinePinCounters; ++c) {
      const OfflinePinSpec spec{hour_of(kStart), static_cast<OfflineDuration>(d), c};
      OfflinePinSpec matched;
      const UnixMs last_ms = spec.window().not_after - 1;
      ASSERT_TRUE(match_offline_pin(secret, derive_offline_pin(secret, spec), last_ms, matched));
      EXPECT_EQ(matched, spec);
    }
  }
}

TEST_F(OfflinePin, AnotherLocksSecretDerivesAnotherPin) {
  KxKeyPair other_lock = make_kx_keypair(random);
  const OfflineSecret other = lock_offline_secret(other_lock, server.public_key).value();
  const OfflinePinSpec spec{hour_of(kStart), OfflineDuration::h24, 0};
  OfflinePinSpec matched;
  EXPECT_FALSE(match_offline_pin(secret, derive_offline_pin(other, spec), kStart, matched));
}

TEST_F(OfflinePin, SpecPacksIntoAnEventValue) {
  const OfflinePinSpec spec{hour_of(kStart), OfflineDuration::h12, 2};
  EXPECT_EQ(OfflinePinSpec::unpack(spec.packed()), spec);
  EXPECT_TRUE(spec.valid());
  EXPECT_FALSE((OfflinePinSpec{1, OfflineDuration::h1, 4}).valid());
}

TEST_F(OfflinePin, AnInvalidPeerKeyIsRefused) {
  const PublicKey zero{};
  EXPECT_FALSE(lock_offline_secret(lock, zero).ok());
}

}  // namespace
}  // namespace lockcore
