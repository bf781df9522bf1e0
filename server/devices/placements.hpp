#pragma once
// Placements: keypad codes on locks, the interface the access domain places its PIN credentials
// through, and each lock's pool of pre-provisioned backup codes.
//
// place() checks everything against the lock before anything is sent: the PIN (4–8 digits and
// within the lock's own limits), the schedule and window, no other active code with the same PIN
// on that lock, a free slot within the lock's capacity. It assigns the lowest free slot and the
// placement is `pending` until the lock reports it `set` (or `failed`, with the lock's SlotError);
// withdraw() makes it `removing` until the lock reports it gone, then `removed` (the slot is free
// again). A lock never commissioned, or wiped by a factory reset, holds nothing: withdrawing from
// it is `removed` at once. Status changes are audited (credential_set, credential_failed,
// credential_removed) and published on the live bus.
//
// Backup codes are placements of kind backup with random PINs, kept at the lock's pool size
// (LockSpec::backup_pool). take_backup_code() hands one out (audited as backup_code_issued; it
// stays on the lock so that it works offline); rotate_backup_codes() withdraws the issued ones and
// adds fresh ones, at once when the lock is reachable, else as soon as it comes online.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/devices/context.hpp"

namespace server::devices {

struct PlacementChange {
  LockRecord* lock = nullptr;
  std::string credential;
  CredentialStatus status = CredentialStatus::pending;
  std::string error;
};

struct PlaceOutcome {
  std::string lock;
  std::optional<Placement> placement;  // set when placed (or already placed identically)
  std::optional<Error> error;
};

class Placements {
 public:
  explicit Placements(Context& ctx) : ctx_(ctx) {}

  // Places `spec` on the lock; placing the same credential again with the same content is a
  // no-op. Errors: not_found (no such lock), invalid_field ("credential", "pin", "schedule",
  // "window", "kind" (backup codes are the pool's)), conflict (the lock has no keypad; the PIN is
  // already another active code's on this lock ["pin"]; no free slot ["slot"]; the credential is
  // already on the lock with other content ["credential"]), internal.
  Result<Placement> place(std::string_view site, std::string_view lock, const PinPlacement& spec);
  // The same on many locks in one transaction (a fan-out): each lock's outcome, in order.
  // Errors (for all): invalid_field (the spec itself), internal.
  Result<std::vector<PlaceOutcome>> place_many(std::string_view site,
                                               std::span<const std::string> locks,
                                               const PinPlacement& spec);
  // Sends a wanted credential that is not `set` (pending, or failed) to the lock again, same
  // content and slot: `pending` under a new shadow version, published now. A `set` one is left
  // as it is. Errors: not_found (no such lock, or the credential is not wanted on it), internal.
  Status resend(std::string_view site, std::string_view lock, std::string_view credential);
  // Errors: not_found (no such lock, or the credential is not on it), internal.
  Status withdraw(std::string_view site, std::string_view lock, std::string_view credential);
  // From every lock it is on, in one transaction; returns how many. Errors: internal.
  Result<std::size_t> withdraw_everywhere(std::string_view site, std::string_view credential);

  // Errors: not_found, internal.
  Result<Placement> placement(std::string_view site, std::string_view lock,
                              std::string_view credential);
  Result<std::vector<Placement>> on_lock(std::string_view site, std::string_view lock);
  Result<std::vector<Placement>> of_credential(std::string_view site, std::string_view credential);
  // The credential's totals by status over every lock it was ever placed on. Counted once from
  // the store, then kept up to date with each change: asking is O(1), however often.
  Result<FanoutProgress> progress(std::string_view site, std::string_view credential);

  // Tops the lock's pool up to its size; returns how many were added. Errors: not_found,
  // conflict (no keypad, no free slot), internal.
  Result<std::size_t> fill_backup_pool(std::string_view site, std::string_view lock);
  // One backup code that is on the lock (`set`) and not yet handed out. Errors: not_found,
  // conflict (none is available now), internal.
  Result<BackupCode> take_backup_code(std::string_view site, std::string_view lock,
                                      std::string_view actor);
  // Returns true when done now, false when deferred until the lock is reachable. Errors:
  // not_found, internal.
  Result<bool> rotate_backup_codes(std::string_view site, std::string_view lock);

  // ---- for the other parts of the domain
  // Inside the caller's transaction: each placement's new status, audited. After the commit,
  // changes_written() updates the model and announces them.
  Status write_changes(const std::vector<PlacementChange>& changes);
  void changes_written(std::vector<PlacementChange>& changes);
  // Inside the caller's transaction: every placement of the factory-reset lock becomes pending
  // (withdrawn ones removed). After the commit, mark_wiped() updates the model.
  Status write_wiped(const LockRecord& lock);
  void mark_wiped(LockRecord& lock);
  void lock_online(LockRecord& lock);
  // The placement holding `slot` on the lock, if any.
  const PlacementRecord* at_slot(const LockRecord& lock, std::uint16_t slot) const;

 private:
  struct Plan {
    LockRecord* lock = nullptr;
    std::vector<PlacementRecord> upserts;  // new or changed placements (pending)
    std::vector<std::string> withdrawals;  // -> removing
    std::vector<std::string> removals;     // -> removed now (the lock cannot hold them)
    std::optional<bool> rotate_pending;    // new value of the deferred-rotation flag
  };
  Result<std::optional<PlacementRecord>> prepare(const LockRecord& lock, const PinPlacement& spec,
                                                 const std::vector<PlacementRecord>& also);
  Result<std::vector<PlacementRecord>> backups(const LockRecord& lock, std::size_t count);
  // Withdrawing `credential` (which the lock wants) from `lock`.
  Plan withdrawal(LockRecord& lock, std::string_view credential) const;
  Status write(std::vector<Plan>& plans);
  Status write_upsert(const LockRecord& lock, const PlacementRecord& p);
  Status write_status(const LockRecord& lock, const PlacementRecord& p, CredentialStatus status,
                      const std::string& error);
  void announce(const LockRecord& lock, const PlacementRecord& p);
  void announce_progress(std::string_view site, const std::vector<std::string>& credentials);
  Result<bool> rotate(LockRecord& lock);
  // The tally of progress(): a committed change of one placement's status (`from` unknown when
  // the store may hold a row the model does not, e.g. a removed code placed again: then the
  // credential is counted afresh on the next progress()).
  void tally(std::string_view site, std::string_view credential,
             std::optional<CredentialStatus> from, CredentialStatus to);

  Context& ctx_;
  std::unordered_map<std::string, FanoutProgress> tallies_;  // by site + '\0' + credential
};

// The checks place() makes of the spec against one lock that need neither the store nor the
// lock's other codes. Errors as place().
Status check_placement(const LockRecord& lock, const PinPlacement& spec, UnixMs now);
Placement to_placement(const LockRecord& lock, const PlacementRecord& p);
boost::json::object to_json(const Placement& placement);

}  // namespace server::devices
