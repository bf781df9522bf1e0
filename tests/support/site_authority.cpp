#include "tests/support/site_authority.hpp"

#include <gtest/gtest.h>

namespace testsupport {

using lockcore::Command;
using lockcore::CommandOp;
using lockcore::DeviceId;
using lockcore::UnixMs;

SiteAuthority::SiteAuthority(std::string site, std::uint64_t seed)
    : site_(std::move(site)),
      random_(seed),
      site_keys_(lockcore::make_signing_keypair(random_)),
      server_kx_(lockcore::make_kx_keypair(random_)) {}

lockcore::CommandId SiteAuthority::next_id() {
  lockcore::CommandId id = random_.bytes<16>();
  const std::uint32_t n = ++issued_;
  for (std::size_t i = 0; i < 4; ++i)
    id[i] = static_cast<std::uint8_t>(n >> (8 * i));
  return id;
}

Command SiteAuthority::unsigned_command(std::string_view lock, CommandOp op, UnixMs now,
                                        std::uint32_t upto, UnixMs lifetime_ms) {
  Command cmd;
  cmd.site = DeviceId::from(site_);
  cmd.lock = DeviceId::from(lock);
  cmd.id = next_id();
  cmd.op = op;
  cmd.upto = upto;
  cmd.issued = now;
  cmd.expires = now + lifetime_ms;
  return cmd;
}

Command SiteAuthority::command(std::string_view lock, CommandOp op, UnixMs now, std::uint32_t upto,
                               UnixMs lifetime_ms) {
  Command cmd = unsigned_command(lock, op, now, upto, lifetime_ms);
  cmd.sig = lockcore::sign_command(cmd, site_keys_.secret_key);
  return cmd;
}

Command SiteAuthority::pair(std::string_view lock, std::string_view pairing_code,
                            std::uint32_t epoch, UnixMs now) {
  Command cmd = unsigned_command(lock, CommandOp::pair, now);
  cmd.pair.site_key = site_keys_.public_key;
  cmd.pair.server_kx = server_kx_.public_key;
  cmd.pair.epoch = epoch;
  cmd.sig = lockcore::sign_pair_command(cmd, lockcore::pairing_code_key(pairing_code));
  return cmd;
}

std::unique_ptr<lockcore::DesiredShadow> SiteAuthority::desired(
    std::string_view lock, std::uint64_t version, std::uint32_t epoch,
    const std::vector<lockcore::PinCredential>& codes, lockcore::Settings settings) {
  auto d = std::make_unique<lockcore::DesiredShadow>();
  d->site = DeviceId::from(site_);
  d->lock = DeviceId::from(lock);
  d->version = version;
  d->epoch = epoch;
  for (const auto& c : codes) {
    if (!d->credentials.push_back(c)) ADD_FAILURE() << "too many credentials";
  }
  d->settings = settings;
  d->sig = lockcore::sign_shadow(*d, site_keys_.secret_key);
  return d;
}

lockcore::PinCredential SiteAuthority::code(std::uint16_t slot, std::string_view digits,
                                            lockcore::CredentialKind kind) {
  lockcore::PinCredential c;
  c.slot = slot;
  c.kind = kind;
  if (!lockcore::Pin::parse(digits, c.pin)) ADD_FAILURE() << "not a PIN: " << digits;
  return c;
}

}  // namespace testsupport
