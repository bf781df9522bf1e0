#pragma once
// The server's keys for one test site, and the signed messages a server sends a lock: the `pair`
// command (authenticated by the lock's pairing code), site-signed commands and desired shadows,
// digital key grants. Deterministic from a seed; command ids never repeat within one authority.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/messages.hpp"
#include "lockcore/offline_pin.hpp"
#include "lockcore/platform.hpp"
#include "lockcore/signing.hpp"

namespace testsupport {

class SiteAuthority {
 public:
  explicit SiteAuthority(std::string site, std::uint64_t seed = 7);

  const std::string& site() const { return site_; }
  const lockcore::SigningKeyPair& site_keys() const { return site_keys_; }

  // A command with a fresh id, issued at `now`, valid for `lifetime_ms`, signed by the site key.
  lockcore::Command command(std::string_view lock, lockcore::CommandOp op, lockcore::UnixMs now,
                            std::uint32_t upto = 0, lockcore::UnixMs lifetime_ms = 30'000);
  // The same, unsigned (all-zero signature).
  lockcore::Command unsigned_command(std::string_view lock, lockcore::CommandOp op,
                                     lockcore::UnixMs now, std::uint32_t upto = 0,
                                     lockcore::UnixMs lifetime_ms = 30'000);
  // `pair` for a lock with this pairing code (the label's text) in its current `epoch`.
  lockcore::Command pair(std::string_view lock, std::string_view pairing_code, std::uint32_t epoch,
                         lockcore::UnixMs now);
  // A desired shadow signed by the site key.
  std::unique_ptr<lockcore::DesiredShadow> desired(
      std::string_view lock, std::uint64_t version, std::uint32_t epoch,
      const std::vector<lockcore::PinCredential>& codes, lockcore::Settings settings = {});

  static lockcore::PinCredential code(
      std::uint16_t slot, std::string_view digits,
      lockcore::CredentialKind kind = lockcore::CredentialKind::pin);

 private:
  lockcore::CommandId next_id();

  std::string site_;
  lockcore::SeededRandom random_;
  lockcore::SigningKeyPair site_keys_;
  lockcore::KxKeyPair server_kx_;
  std::uint32_t issued_ = 0;
};

}  // namespace testsupport
