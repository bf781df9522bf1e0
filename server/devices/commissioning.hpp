#pragma once
// Commissioning: pairing a lock to its site, noticing a factory reset, and re-enrolling.
//
// commission() uses what the lock announces in its retained state (its X25519 pairing key and its
// epoch): it sends a `pair` command authenticated by the code on the lock's label (the site's
// public key, a fresh server X25519 key, the epoch), and on the lock's ok ack records the lock as
// paired at that epoch with the offline-PIN secret both sides now derive
// (lockcore::server_offline_secret), audits lock_commissioned, fills the backup-code pool and
// publishes the desired shadow.
//
// A paired lock that reports another epoch (state or shadow/reported) was factory reset: audited
// as lock_epoch_changed, every credential on it is pending again (withdrawn ones removed), nothing
// is sent to it until reenroll() re-pairs it (audited as lock_reenrolled) and the shadow goes out
// again. The lockout domain gates reenroll() behind identity verification.

#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "server/devices/context.hpp"

namespace server::devices {

class Commissioning {
 public:
  explicit Commissioning(Context& ctx) : ctx_(ctx) {}

  // `pairing_code` absent: the one recorded with the lock. Errors: not_found; missing_field /
  // invalid_field "pairing_code" (none recorded, malformed, or the lock says it does not match);
  // conflict (already commissioned; waiting for re-enrollment; paired to other keys, or a pairing
  // already under way); unavailable (no state heard from the lock yet, the lock unreachable, the
  // lock refused for another reason); timed_out (no answer by the deadline); internal.
  boost::asio::awaitable<Result<LockInfo>> commission(std::string site, std::string lock,
                                                      std::optional<std::string> pairing_code,
                                                      std::string actor);
  // Errors: not_found; conflict (the lock is not waiting for re-enrollment); otherwise as
  // commission().
  boost::asio::awaitable<Result<LockInfo>> reenroll(std::string site, std::string lock,
                                                    std::string actor);

  void epoch_changed(LockRecord& lock, std::uint32_t new_epoch);

 private:
  boost::asio::awaitable<Result<LockInfo>> pair(LockRecord& lock, lockcore::SymmetricKey key,
                                                std::string actor, bool reenroll);
  std::vector<LockRecord*> pairing_;  // pairings under way
  Context& ctx_;
};

}  // namespace server::devices
