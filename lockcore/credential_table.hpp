#pragma once
// The keypad's credential table: up to kMaxPinSlots PIN slots, stored compactly (a PIN is 8 BCD
// nibbles in a uint32, validity windows are uint32 seconds) because the simulator runs 10,000
// locks in 16 KiB each.
//
// The PIN check is constant time in the PIN's value: find() compares the entered PIN with every
// one of the kMaxPinSlots entries (empty ones included, whatever the lock's capacity), with no
// early exit and no branch on the digits, and selects the matching slot arithmetically. Only then
// are the matched slot's window, use limit and schedule looked at.

#include <array>
#include <cstdint>
#include <span>

#include "lockcore/credentials.hpp"
#include "lockcore/messages.hpp"

namespace lockcore {

// "1234" packs to 0x1234FFFF: digits as nibbles, unused trailing nibbles 0xF. No valid PIN (4
// digits at least) packs to kEmptyCode, which marks a free slot.
inline constexpr std::uint32_t kEmptyCode = 0xFFFFFFFF;
std::uint32_t pack_pin(const Pin& pin);  // precondition: 4-8 digits

// 4-8 ASCII digits and a zero tail: what Pin::parse produces. A decoder may produce anything.
bool is_valid_pin(const Pin& pin);

// Why a desired credential cannot be held by a lock with `capacity` slots (none: it can).
SlotError validate_credential(const PinCredential& c, std::uint16_t capacity);

// Whether `schedule` admits `now` in the local time `utc_offset_min` minutes from UTC.
bool schedule_allows(const WeeklySchedule& schedule, UnixMs now, std::int16_t utc_offset_min);

struct PinCheck {
  DenyReason reason = DenyReason::wrong_code;  // none: accepted
  std::uint16_t slot = 0;                      // the matching slot, 0 when no slot matched
  CredentialKind kind = CredentialKind::pin;
};

class CredentialTable {
 public:
  explicit CredentialTable(std::uint16_t capacity);  // 1..kMaxPinSlots

  std::uint16_t capacity() const { return capacity_; }
  std::size_t size() const;  // occupied slots

  // The slot (1-based) holding `pin` (precondition: is_valid_pin), or 0. Constant time.
  std::uint16_t find(const Pin& pin) const;

  // find(), then the matched slot's window, use limit and schedule, in that order.
  PinCheck check(const Pin& pin, UnixMs now, std::int16_t utc_offset_min) const;
  void record_use(std::uint16_t slot);
  std::uint16_t uses(std::uint16_t slot) const;

  // Makes the table hold exactly the valid entries of `desired`, appending one SlotReport per
  // entry in `desired` order. An entry fails as slot_out_of_range, invalid (a malformed field or
  // a slot number given twice), or duplicate_pin (the same PIN as a valid entry in a lower slot).
  // A slot whose credential is unchanged keeps its use count. With `power` too_low no new or
  // changed code is stored: its entry fails as low_power and its slot is left empty (emptying is
  // always done, so that nothing outlives its removal); unchanged codes and removals apply.
  enum class Power { enough, too_low };
  void apply(std::span<const PinCredential> desired, FixedVector<SlotReport, kMaxPinSlots>& report,
             Power power = Power::enough);
  void clear();

  bool occupied(std::uint16_t slot) const;
  PinCredential at(std::uint16_t slot) const;  // precondition: occupied(slot)
  Digest digest() const;                       // credential_digest() of what is held

 private:
  struct SlotMeta {
    std::uint32_t not_before_s = 0;
    std::uint32_t not_after_s = 0;
    std::uint16_t start_min = 0;
    std::uint16_t end_min = 0;
    std::uint16_t max_uses = 0;
    std::uint16_t uses = 0;
    std::uint8_t days_mask = 0;
    CredentialKind kind = CredentialKind::pin;
    friend bool operator==(const SlotMeta&, const SlotMeta&) = default;
  };
  static SlotMeta meta_of(const PinCredential& c);

  std::array<std::uint32_t, kMaxPinSlots> codes_;
  std::array<SlotMeta, kMaxPinSlots> meta_{};
  std::uint16_t capacity_;
};

}  // namespace lockcore
