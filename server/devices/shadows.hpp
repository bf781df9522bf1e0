#pragma once
// Shadows: the reconciler. Per lock, the desired shadow is every placement that should be on it
// (placements.hpp), its settings (wrong_code_limit 5, wrong_code_disable_s 60, the site's UTC
// offset, auto_relock_s 0 unless changed) and its revoked digital keys, for the epoch it was
// paired at, under a version that increases with every change (stored in device_locks), signed by
// the site key and published retained on shadow/desired.
//
// The lock's shadow/reported for the latest content settles each placement (the latest version,
// or an earlier one that only a retry superseded: same content): set, or failed with
// the lock's SlotError; a withdrawn one the lock no longer reports is removed (its slot is free
// again). Each change is audited (credential_set, credential_failed, credential_removed) and
// published on the live bus ("credential", and "fanout" with the credential's totals). The lock is
// in sync when its credential digest equals lockcore::credential_digest of what it should hold.
//
// Until then the shadow is published again: at once when the lock comes online or the broker
// connection comes back (same version: a lock that has it ignores it), and after a capped
// exponential backoff on the injected clock (a new version: a lock that applied it but whose report
// was lost applies it again and reports). No polling: one timer per unconfirmed lock. Reports and
// retries are handled in bursts: one transaction for all that arrived (or fell due) together.

#include <cstdint>
#include <string>
#include <vector>

#include "server/devices/burst.hpp"
#include "server/devices/context.hpp"

namespace server::devices {

class Shadows {
 public:
  explicit Shadows(Context& ctx);

  // After load(): whether each lock is in sync with what it last reported.
  void loaded();

  // What should be on `lock` now, at `version`, signed.
  lockcore::DesiredShadow desired(const LockRecord& lock, std::uint64_t version) const;
  // The digest of what `lock` should hold, leaving out the slots `failed` names.
  lockcore::Digest expected_digest(const LockRecord& lock) const;

  // Writes the next version of each lock (inside the caller's transaction). After the commit,
  // call publish_next() with the same locks.
  Status write_next_version(const std::vector<LockRecord*>& locks);
  void publish_next(const std::vector<LockRecord*>& locks);
  // Both, in a transaction of its own: what should be on these locks changed. Errors: internal.
  Status changed(const std::vector<LockRecord*>& locks);

  void on_reported(LockRecord& lock, const lockcore::ReportedShadow& reported);
  void lock_online(LockRecord& lock);
  void broker_connected();
  // The lock was factory reset: nothing it reported before counts.
  void forget_reported(LockRecord& lock);

  // Test and bench hook: handle every queued report and due retry now.
  void flush() {
    reports_.flush();
    due_.flush();
  }

 private:
  struct Report {
    LockRecord* lock;
    lockcore::ReportedShadow reported;
  };
  void handle(std::vector<Report>& reports);
  void publish(LockRecord& lock, bool reset_backoff);
  void arm_retry(LockRecord& lock);
  // The locks whose backoff ran out together: one transaction for all their new versions.
  void retry(std::vector<LockRecord*>& locks);
  bool publishable(const LockRecord& lock) const;

  Context& ctx_;
  Burst<Report> reports_;
  Burst<LockRecord*> due_;
  http::Counter& published_;
  http::Counter& retries_;
};

}  // namespace server::devices
