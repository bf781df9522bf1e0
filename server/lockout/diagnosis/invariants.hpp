#pragma once
// The invariants of DESIGN.md section 5 as code. The engine passes every candidate action
// through violation() before it joins a plan (a violating action is dropped and recorded in
// Diagnosis::dropped, never shown); tests and audits run check_plan() on finished diagnoses.
//
// These checks are written from DESIGN.md directly and do not call the engine's eligibility
// rules (eligibility.hpp): they are the second, independent line.
//
//  1 no_access_beyond_verified_role: nothing at all for someone whose relation to the door is
//    gone (moved out, window ended, account deleted, no membership, no such door); using one's own
//    credentials only with a role that opens this door now (window current, inside the schedule,
//    maintenance with a work order, never support) and an account not suspended; anything that
//    gives access (a code, a key, an unlock, a resync, an enrollment, a locksmith, a reset) also
//    only to a verified caller with an active account; locksmiths for owners, managers and
//    residents; factory resets for owners and managers.
//  2 admin_restore_needs_identity: verify_identity_restore_admin only for someone who holds or is
//    receiving an admin role (owner, manager, incoming transfer) and is not suspended; and such a
//    person whose admin access is impaired is never sent to ask another admin (a silent restore).
//  3 backup_code_eligible_now: a backup code only to someone eligible for new access now, and only
//    when the keypad can take it (keypad present and working, power, bolt free, motor fine) and the
//    lock has one (a pool, or offline PINs from a paired lock that was not reset).
//  4 jam_is_hardware: a jam alone (nothing else found but a low battery) gets no backup code, no
//    resync and no factory reset; realigning comes before a work order, a locksmith or a reset.
//  5 factory_reset_last_resort: only for a lock state mismatch the facts establish, only when no
//    other way in is in the plan, always last, and its steps end with verified re-enrollment.

#include <optional>
#include <span>

#include "lockcore/fixed.hpp"
#include "server/lockout/diagnosis/diagnosis.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

// The first invariant that adding `action` after the actions `before` would break, given the
// causes found; nullopt when it breaks none.
std::optional<Violation> violation(const Snapshot& snapshot, std::span<const Cause> causes,
                                   std::span<const PlanStep> before, ActionId action);

using Violations = lockcore::FixedVector<Violation, kActionCount + 2>;

// Every invariant a finished diagnosis breaks: each step against the steps before it, then the
// plan's order (realign first for a jam, factory reset last). Empty for every plan diagnose()
// returns.
Violations check_plan(const Snapshot& snapshot, const Diagnosis& diagnosis);

}  // namespace server::lockout
