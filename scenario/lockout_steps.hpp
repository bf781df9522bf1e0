#pragma once
// The lockout steps of the scenario format, through the lockout domain's own calls
// (server/lockout/lockout.hpp), as the "I'm locked out" wizard, the backup-code page and the
// console make them:
//
//   report_lockout       opens case 1, 2, … in file order. Reported from `device` when that phone
//                        is still signed in (the case is then the person's, verified by her
//                        session); otherwise by an unknown caller (not signed in; the phone's own
//                        view, when a device is named, goes with the report: signed out, enrolled,
//                        Bluetooth allowed, the authenticator lost).
//   request_backup_code  the form on the backup page (by, value) for the door of the person's
//                        latest case (else her unit's door); the deferred lookup and sending run
//                        on the virtual clock until no request is pending.
//   open_backup_link     the link from the newest backup_code message actually queued for the
//                        person on that channel (the outbox), opened; the code it shows is what a
//                        later `"pin": "{backup}"` enters.
//   take_action          one recovery action in a case, as `who` (her phone's session, else a
//                        console session of hers).
//   verify_identity      verify_identity_restore_admin in the latest case of `for`, as `who`, with
//                        the proof `method` names: a TOTP code (`"totp": "valid"` the right one),
//                        one of her recovery codes, or `who`'s attestation.
//
// The outcome: granted when the domain did it, denied when it refused for lack of right (forbidden,
// not_found), error otherwise (a link gone, a rate limit, the lock unreachable).

#include <string_view>

#include "scenario/model.hpp"
#include "scenario/steps.hpp"
#include "scenario/world.hpp"

namespace scenario {

bool is_lockout_step(std::string_view kind);

// Errors: the world broke while the step ran (the network never settled).
Outcome_<StepOutcome> run_lockout_step(World& world, RunState& state, const Step& step);

}  // namespace scenario
