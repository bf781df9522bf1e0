// After construction the firmware allocates nothing: every global operator new is counted while
// the lock handles keys, Bluetooth, commands, shadows and its timers.
#include <atomic>
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "lock_harness.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};

void* allocate(std::size_t size) {
  if (counting.load()) allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
}  // namespace

void* operator new(std::size_t size) {
  return allocate(size);
}
void* operator new[](std::size_t size) {
  return allocate(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return allocate(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace lockcore {
namespace {

using testing::code;
using testing::kHour;
using testing::kSecond;

TEST(NoAllocation, TheFirmwareAllocatesNothingAfterConstruction) {
  testing::LockHarness h;
  h.radio.accept = false;  // a recording radio would allocate; the lock keeps what is unsent
  ASSERT_TRUE(h.pair());
  Settings s;
  s.auto_relock_s = 5;
  ASSERT_TRUE(h.set_codes({code(1, "4831"), code(2, "9021", CredentialKind::backup)}, s));

  // Everything the lock will be handed is built before counting starts.
  std::vector<PinCredential> many;
  for (std::uint16_t slot = 1; slot <= 250; ++slot)
    many.push_back(code(slot, std::to_string(20'000 + slot)));
  auto shadow = h.shadow(many);
  auto stale = h.shadow({code(1, "1111")}, 1);
  const SigningKeyPair phone = make_signing_keypair(h.random);
  DigitalKeyGrant grant;
  grant.id = KeyId{7};
  grant.site = h.config.site;
  grant.lock = h.config.lock;
  grant.holder = phone.public_key;
  grant.epoch = h.lock->epoch();
  grant.sig = sign_grant(grant, h.site.secret_key);

  // Runs `step` with the counter on; reports how many allocations it made.
  auto allocations_in = [](auto&& step) {
    allocations = 0;
    counting = true;
    step();
    counting = false;
    return allocations.exchange(0);
  };
  bool ok = false;
  EXPECT_EQ(
      allocations_in([&] { ok = h.lock->enter_pin("4831").outcome == DoorOutcome::accepted; }), 0U);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocations_in([&] { h.run_for(10 * kSecond); }), 0U) << "the turn and the auto-relock";
  EXPECT_EQ(allocations_in([&] {
              for (int i = 0; i < 6; ++i)
                h.lock->enter_pin("0000");
              h.run_for(2 * testing::kMinute);
              h.lock->enter_pin("12a4");
            }),
            0U)
      << "wrong codes, the lockout and its end";
  const Command unlock = h.command(CommandOp::unlock);  // commands are built outside the count
  Command forged = h.command(CommandOp::lock);
  forged.sig[0] ^= 1;
  EXPECT_EQ(allocations_in([&] { ok = h.lock->on_command(unlock).ok(); }), 0U);
  EXPECT_TRUE(ok);
  h.run_for(3 * kSecond);
  EXPECT_EQ(allocations_in(
                [&] { ok = !h.lock->on_command(unlock).ok() && !h.lock->on_command(forged).ok(); }),
            0U)
      << "refused commands";
  EXPECT_TRUE(ok);
  Command ack = h.unsigned_command(CommandOp::events_ack);
  ack.upto = h.lock->state().event_seq;
  ack.sig = sign_command(ack, h.site.secret_key);
  EXPECT_EQ(allocations_in([&] { ok = h.lock->on_command(ack).ok(); }), 0U);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocations_in([&] { ok = h.lock->on_desired(*shadow).ok(); }), 0U);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocations_in([&] { ok = !h.lock->on_desired(*stale).ok(); }), 0U);
  EXPECT_TRUE(ok);
  Nonce nonce{};
  EXPECT_EQ(allocations_in([&] { nonce = h.lock->begin_bluetooth().value(); }), 0U);
  const Signature response = sign_bluetooth_response(
      {h.config.site, h.config.lock, h.lock->epoch(), grant.id, nonce}, phone.secret_key);
  EXPECT_EQ(allocations_in([&] {
              ok = h.lock->bluetooth_unlock(grant, response).outcome == DoorOutcome::accepted;
            }),
            0U);
  EXPECT_TRUE(ok);
  EXPECT_EQ(allocations_in([&] { h.run_for(2 * kHour); }), 0U) << "battery samples";
  EXPECT_EQ(allocations_in([&] { h.lock->on_radio_connected(); }), 0U);
}

TEST(NoAllocation, TheCounterCatchesAnAllocation) {
  counting = true;
  auto* p = new int(3);
  counting = false;
  delete p;
  EXPECT_GE(allocations.exchange(0), 1U);
}

}  // namespace
}  // namespace lockcore
