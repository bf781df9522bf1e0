#pragma once
// Who may be offered what, now: the person's standing at this door computed from their verified
// access (account, verification, membership role, window, schedule), and the per-action rule the
// plan applies. The invariants (invariants.hpp) check the plan again, independently of this file.
//
// Standing, from weakest to strongest:
//   relation_live    the account exists and is not deleted, the door exists, and a membership
//   covers
//                    it (or ownership is on its way to them) that has not ended and was not ended
//                    by a move-out. Without it the plan is empty: a moved-out resident gets
//                    nothing.
//   door_rights_now  also: the account is active, or only locked (a sign-in throttle does not
//                    revoke what the person holds); the role opens doors (owner, manager, resident,
//                    guest; maintenance only with an open work order for this door; support never);
//                    the window is current and the schedule, if any, is inside now.
//   verified         the caller is proven to be the account holder (a session with MFA as needed,
//   or
//                    identity checked) and the account is active.
// Anything that gives new access (a code, a key, an unlock, a resync, an enrollment, a locksmith,
// a reset) needs door_rights_now and verified; using what one already holds needs door_rights_now.

#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

struct Standing {
  bool relation_live = false;
  bool door_rights_now = false;
  bool verified = false;
  bool admin_role = false;  // owner or manager here, or ownership on its way to them
  bool admin_impaired =
      false;  // ... who cannot act as admin now: locked, MFA lost, transfer pending
};

Standing standing_of(const Snapshot& snapshot);

// Whether the person may be offered `action` now (whether it would work is the plan's question).
bool allowed(ActionId action, const Standing& standing, const Snapshot& snapshot);

}  // namespace server::lockout
