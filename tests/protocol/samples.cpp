#include "tests/protocol/samples.hpp"

#include <string>

namespace protocol::test {

lockcore::DesiredShadow largest_desired() {
  lockcore::DesiredShadow d = sample_desired();
  d.version = UINT64_MAX;
  d.epoch = UINT32_MAX;
  d.credentials.clear();
  for (std::uint16_t slot = 1; slot <= lockcore::kMaxPinSlots; ++slot) {
    lockcore::PinCredential c;
    c.slot = slot;
    c.kind = lockcore::CredentialKind::backup;
    std::string digits = std::to_string(10000000 + slot);
    c.pin = pin(digits);
    c.schedule = {0x7f, 23 * 60 + 58, 24 * 60};
    c.window = {253402300799998, 253402300799999};
    c.max_uses = UINT16_MAX;
    EXPECT_TRUE(d.credentials.push_back(c));
  }
  d.settings = {255, 255, -840, UINT16_MAX};
  d.revoked_keys.clear();
  for (std::size_t i = 0; i < lockcore::kMaxRevokedKeys; ++i) {
    EXPECT_TRUE(d.revoked_keys.push_back(counting<8>(static_cast<std::uint8_t>(0x80 + i))));
  }
  return d;
}

lockcore::ReportedShadow largest_reported() {
  lockcore::ReportedShadow r = sample_reported();
  r.version = UINT64_MAX;
  r.epoch = UINT32_MAX;
  r.slots.clear();
  for (std::uint16_t slot = 1; slot <= lockcore::kMaxPinSlots; ++slot) {
    EXPECT_TRUE(r.slots.push_back({slot, lockcore::SlotError::slot_out_of_range}));
  }
  return r;
}

HubLinks largest_links() {
  HubLinks h;
  for (std::size_t i = 0; i < kMaxHubLinks; ++i) {
    std::string id = std::to_string(i);
    id.resize(lockcore::kMaxIdLength, 'x');
    EXPECT_TRUE(h.links.push_back({DeviceId::from(id), false, -128}));
  }
  return h;
}

}  // namespace protocol::test
