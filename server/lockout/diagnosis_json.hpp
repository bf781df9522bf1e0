#pragma once
// The diagnosis as JSON, as a case stores it and the API shows it:
//   {"causes": [{"id", "layer", "confidence", "suspected", "needs_on_door_test",
//                "evidence": [{"source", "fact"}]}],
//    "paths": [{"path", "alive", "after_cooldown", "why"}],
//    "plan": [{"action", "rank", "addresses", "steps", "wait_s", "work_order", "request"}]}
// `dropped` is never shown (docs/lockout.md). For a caller who is not signed in, a backup-code
// request is added to the plan when the keypad would take a code and the lock has a pool
// ("request": true): the request itself checks who is asking, by the contacts on the account.

#include <boost/json/object.hpp>

#include "server/lockout/diagnosis/diagnosis.hpp"

namespace server::lockout {

boost::json::object diagnosis_json(const Diagnosis& d, const Snapshot& snapshot,
                                   bool unknown_caller);

}  // namespace server::lockout
