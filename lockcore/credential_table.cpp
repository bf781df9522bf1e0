#include "lockcore/credential_table.hpp"

#include <cassert>
#include <limits>

#include "lockcore/signing.hpp"

namespace lockcore {

namespace {

constexpr std::int64_t kMaxHeldMs = static_cast<std::int64_t>(0xFFFFFFFF) * 1000;
constexpr std::uint16_t kMinutesPerDay = 1440;

std::uint32_t to_seconds(UnixMs ms) {
  return static_cast<std::uint32_t>(ms / 1000);
}

}  // namespace

std::uint32_t pack_pin(const Pin& pin) {
  std::uint32_t code = 0;
  for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
    const std::uint32_t nibble =
        i < pin.length ? static_cast<std::uint32_t>(pin.digits[i] - '0') : 0xF;
    code = code << 4 | nibble;
  }
  return code;
}

bool is_valid_pin(const Pin& pin) {
  if (pin.length < kMinPinDigits || pin.length > kMaxPinDigits) return false;
  for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
    const char c = pin.digits[i];
    const bool ok = i < pin.length ? (c >= '0' && c <= '9') : c == '\0';
    if (!ok) return false;
  }
  return true;
}

SlotError validate_credential(const PinCredential& c, std::uint16_t capacity) {
  if (c.slot == 0 || c.slot > capacity) return SlotError::slot_out_of_range;
  if (c.kind != CredentialKind::pin && c.kind != CredentialKind::backup) return SlotError::invalid;
  if (!is_valid_pin(c.pin)) return SlotError::invalid;
  const WeeklySchedule& s = c.schedule;
  if (s.days_mask > 0x7F || s.start_min > kMinutesPerDay || s.end_min > kMinutesPerDay) {
    return SlotError::invalid;
  }
  // A schedule is a span within one day; an overnight shift is two credentials.
  if (s.days_mask != 0 && s.start_min >= s.end_min) return SlotError::invalid;
  const Window& w = c.window;
  if (w.not_before < 0 || w.not_after < 0 || w.not_before > kMaxHeldMs ||
      w.not_after > kMaxHeldMs) {
    return SlotError::invalid;
  }
  if (w.not_before != 0 && w.not_after != 0 &&
      to_seconds(w.not_before) >= to_seconds(w.not_after)) {
    return SlotError::invalid;
  }
  if (w.not_after != 0 && to_seconds(w.not_after) == 0) return SlotError::invalid;
  return SlotError::none;
}

bool schedule_allows(const WeeklySchedule& schedule, UnixMs now, std::int16_t utc_offset_min) {
  if (schedule.days_mask == 0) return true;
  const std::int64_t local_s = now / 1000 + static_cast<std::int64_t>(utc_offset_min) * 60;
  std::int64_t days = local_s / 86400;
  std::int64_t second_of_day = local_s % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  // 1970-01-01 was a Thursday; bit 0 is Monday.
  const auto weekday = static_cast<unsigned>(((days + 3) % 7 + 7) % 7);
  const auto minute = static_cast<std::uint16_t>(second_of_day / 60);
  return (schedule.days_mask >> weekday & 1U) != 0 && minute >= schedule.start_min &&
         minute < schedule.end_min;
}

CredentialTable::CredentialTable(std::uint16_t capacity) : capacity_(capacity) {
  assert(capacity >= 1 && capacity <= kMaxPinSlots);
  codes_.fill(kEmptyCode);
}

std::size_t CredentialTable::size() const {
  std::size_t n = 0;
  for (std::uint32_t code : codes_)
    n += code != kEmptyCode;
  return n;
}

std::uint16_t CredentialTable::find(const Pin& pin) const {
  const std::uint32_t probe = pack_pin(pin);
  std::uint32_t slot = 0;
  for (std::uint32_t i = 0; i < kMaxPinSlots; ++i) {
    const std::uint64_t diff = codes_[i] ^ probe;
    const auto equal = static_cast<std::uint32_t>((diff - 1) >> 63);  // 1 iff diff == 0
    slot |= (0U - equal) & (i + 1);  // PINs are unique: at most one slot matches
  }
  return static_cast<std::uint16_t>(slot);
}

PinCheck CredentialTable::check(const Pin& pin, UnixMs now, std::int16_t utc_offset_min) const {
  PinCheck result;
  result.slot = find(pin);
  if (result.slot == 0) return result;
  const SlotMeta& m = meta_[result.slot - 1];
  result.kind = m.kind;
  const std::int64_t now_s = now / 1000;
  if ((m.not_before_s != 0 && now_s < m.not_before_s) ||
      (m.not_after_s != 0 && now_s >= m.not_after_s)) {
    result.reason = DenyReason::outside_window;
  } else if (m.max_uses != 0 && m.uses >= m.max_uses) {
    result.reason = DenyReason::uses_exhausted;
  } else if (!schedule_allows({m.days_mask, m.start_min, m.end_min}, now, utc_offset_min)) {
    result.reason = DenyReason::outside_schedule;
  } else {
    result.reason = DenyReason::none;
  }
  return result;
}

void CredentialTable::record_use(std::uint16_t slot) {
  SlotMeta& m = meta_[slot - 1];
  if (m.uses < std::numeric_limits<std::uint16_t>::max()) ++m.uses;
}

std::uint16_t CredentialTable::uses(std::uint16_t slot) const {
  return meta_[slot - 1].uses;
}

CredentialTable::SlotMeta CredentialTable::meta_of(const PinCredential& c) {
  SlotMeta m;
  m.not_before_s = to_seconds(c.window.not_before);
  m.not_after_s = to_seconds(c.window.not_after);
  m.start_min = c.schedule.start_min;
  m.end_min = c.schedule.end_min;
  m.max_uses = c.max_uses;
  m.days_mask = c.schedule.days_mask;
  m.kind = c.kind;
  return m;
}

void CredentialTable::apply(std::span<const PinCredential> desired,
                            FixedVector<SlotReport, kMaxPinSlots>& report, Power power) {
  // source[slot] = 1 + index in `desired` of the entry the slot will hold, 0 for none.
  std::array<std::uint8_t, kMaxPinSlots + 1> source{};
  std::array<SlotError, kMaxPinSlots> errors{};
  const std::size_t n = std::min(desired.size(), kMaxPinSlots);
  for (std::size_t i = 0; i < n; ++i) {
    const PinCredential& c = desired[i];
    errors[i] = validate_credential(c, capacity_);
    if (errors[i] != SlotError::none) continue;
    if (source[c.slot] != 0) {
      errors[i] = SlotError::invalid;  // the same slot number twice
      continue;
    }
    source[c.slot] = static_cast<std::uint8_t>(i + 1);
  }
  // The lower slot keeps a PIN given twice; the higher one fails.
  for (std::size_t s = 1; s <= capacity_; ++s) {
    if (source[s] == 0) continue;
    const std::uint32_t code = pack_pin(desired[source[s] - 1].pin);
    for (std::size_t t = 1; t < s; ++t) {
      if (source[t] != 0 && pack_pin(desired[source[t] - 1].pin) == code) {
        errors[source[s] - 1] = SlotError::duplicate_pin;
        source[s] = 0;
        break;
      }
    }
  }
  for (std::size_t s = 1; s <= kMaxPinSlots; ++s) {
    if (source[s] == 0) {
      codes_[s - 1] = kEmptyCode;
      meta_[s - 1] = SlotMeta{};
      continue;
    }
    const PinCredential& c = desired[source[s] - 1];
    SlotMeta m = meta_of(c);
    const std::uint32_t code = pack_pin(c.pin);
    SlotMeta current = meta_[s - 1];
    const std::uint16_t kept_uses = current.uses;
    current.uses = 0;
    const bool unchanged = codes_[s - 1] == code && current == m;
    if (!unchanged && power == Power::too_low) {
      errors[source[s] - 1] = SlotError::low_power;
      codes_[s - 1] = kEmptyCode;
      meta_[s - 1] = SlotMeta{};
      continue;
    }
    if (unchanged) m.uses = kept_uses;
    codes_[s - 1] = code;
    meta_[s - 1] = m;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!report.push_back({desired[i].slot, errors[i]})) break;
  }
}

void CredentialTable::clear() {
  codes_.fill(kEmptyCode);
  meta_.fill(SlotMeta{});
}

bool CredentialTable::occupied(std::uint16_t slot) const {
  return slot >= 1 && slot <= kMaxPinSlots && codes_[slot - 1] != kEmptyCode;
}

PinCredential CredentialTable::at(std::uint16_t slot) const {
  const std::uint32_t code = codes_[slot - 1];
  const SlotMeta& m = meta_[slot - 1];
  PinCredential c;
  c.slot = slot;
  c.kind = m.kind;
  for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
    const std::uint32_t nibble = code >> (28 - 4 * i) & 0xF;
    if (nibble == 0xF) break;
    c.pin.digits[i] = static_cast<char>('0' + nibble);
    c.pin.length = static_cast<std::uint8_t>(i + 1);
  }
  c.schedule = {m.days_mask, m.start_min, m.end_min};
  c.window = {static_cast<UnixMs>(m.not_before_s) * 1000,
              static_cast<UnixMs>(m.not_after_s) * 1000};
  c.max_uses = m.max_uses;
  return c;
}

Digest CredentialTable::digest() const {
  CredentialDigest digest;
  for (std::uint16_t slot = 1; slot <= kMaxPinSlots; ++slot) {
    if (occupied(slot)) digest.add(at(slot));
  }
  return digest.finish();
}

}  // namespace lockcore
