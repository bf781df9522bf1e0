#pragma once
// server::codes::Codes: keypad codes people hold, on one or many locks of a site. The record (who
// it is for, who made it, its window, schedule and use limit) is this domain's `codes` row; the
// code on each lock is the devices domain's placement of the code's id, whose status (pending,
// set, failed, removing, removed) the lock's own reports drive.
//
// Who may do what is access's policy, asked with the caller's authenticated account:
//   own    manage_own_codes on every lock named (the holder is the caller)
//   guest  manage_unit_guest_codes on every lock named (or manage_any_code); a guest code needs
//          an end (valid_until), and someone who may not manage any code may only make one inside
//          what they may grant a guest (access::Policy::check_grant for each lock's unit)
//   staff  manage_any_code on every lock named, for a holder who may operate every lock named
// A code is visible to its holder, its creator and whoever may manage_any_code at the site;
// anything else, another site's codes included, is not_found.
//
// Nothing here widens access: a code's locks are only ever doors its holder (or, for a guest
// code, its creator) may open or manage now, and when access shrinks (removals.cpp) the codes
// that no longer fit are withdrawn.
//
// Single-threaded, on the thread that runs Devices. Each act writes its audit entry (code_created,
// code_deleted) in the transaction that writes the row.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/clock.hpp"
#include "server/access/access.hpp"
#include "server/audit/audit_log.hpp"
#include "server/codes/model.hpp"
#include "server/common/error.hpp"
#include "server/devices/devices.hpp"
#include "server/store/database.hpp"

namespace server::codes {

struct Deps {
  store::Database& db;
  const runtime::Clock& clock;
  audit::AuditLog& audit;
  access::Access& access;
  devices::Devices& devices;
};

// Whether a policy decision still lets someone keep a code: only the denials that take a right
// away count (a window that has not started, or outside the weekly schedule, is no loss of it).
bool keeps_right(const access::Decision& decision);

class Codes {
 public:
  explicit Codes(Deps deps) : deps_(deps) {}

  // Makes the code and places it on every lock named, all or none: a lock that refuses it (its
  // own PIN limits, no keypad, the PIN already another code's there, no free slot) refuses the
  // whole code, and what was placed on the others is withdrawn. Errors: missing_field /
  // invalid_field ("name", "kind", "pin", "holder", "locks", "valid_from", "valid_until",
  // "schedule", "max_uses"; the message names the lock when it is that lock's limit),
  // not_found (the site or a lock is not visible to the caller), forbidden, conflict (a lock has
  // no keypad; "pin": the PIN is another code's on a lock; "slot": a lock is full), internal.
  Result<CreatedCode> create(std::string_view actor, std::string_view site, const NewCode& spec);
  // The live codes the caller may see, newest first. Errors: not_found (site), internal.
  Result<std::vector<Code>> list(std::string_view actor, std::string_view site);
  // Errors: not_found (no such code, or not visible), internal.
  Result<Code> get(std::string_view actor, std::string_view site, std::string_view code);
  // Withdraws the code from every lock (each `removing` until the lock confirms). Errors:
  // not_found, internal.
  Status remove(std::string_view actor, std::string_view site, std::string_view code);
  // The fan-out's counts. Errors: not_found, internal.
  Result<devices::FanoutProgress> progress(std::string_view actor, std::string_view site,
                                           std::string_view code);

  // ---- when access shrinks (removals.cpp)
  // Where `account`'s codes at the site are still being removed. The account itself, or someone
  // who may view_people at the site. Errors: not_found (site), forbidden, internal.
  Result<std::vector<PendingRemoval>> removals(std::string_view actor, std::string_view site,
                                               std::string_view account);
  // Withdraws every code `account` holds at the site, every guest code it made there, and any
  // other keypad credential placed for it. Errors: internal.
  Status remove_all(std::string_view site, std::string_view account);
  // Withdraws, lock by lock, those of them its memberships no longer justify (the holder may no
  // longer open that door; the creator of a guest code may no longer manage its guests' codes
  // there). Errors: internal.
  Status revalidate(std::string_view site, std::string_view account);

 private:
  Result<std::vector<Code>> load(std::string_view sql, const store::Params& params);
  Result<Code> visible(std::string_view actor, std::string_view site, std::string_view code);
  Status authorize(std::string_view actor, std::string_view site, const NewCode& spec,
                   const std::vector<devices::LockInfo>& locks);
  Status insert(const Code& code);
  Status mark_deleted(const Code& code, std::string_view actor);
  // Withdraws `code` from `lock` unless already on its way off. Errors: internal.
  Status withdraw(std::string_view site, std::string_view lock, std::string_view credential);
  bool may(std::string_view actor, access::Action action, const access::Scope& scope) const;

  Deps deps_;
};

}  // namespace server::codes
