#pragma once
// The timeline's steps on a World: faults through the simulator's fault API (broker_restart and
// server_restart by the runner: the Mosquitto process restarted, the Node destroyed and opened
// again on the same database); door actions through the simulator's C++ API, as a person at the
// door; app and administration actions through the server's domain interfaces with the acting
// person as actor, making the same calls (policy first, then the domain) the HTTP routes make;
// bluetooth_unlock through devices' digital keys and the simulated lock's challenge; the lockout
// steps through the lockout domain (lockout_steps.hpp).
//
// A person who gets in through the door locks it behind her (a push on the door and a turn of the
// inside thumb-turn), so the next entry drives the motor again.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/world.hpp"

namespace scenario {

// Someone the door opened for, for the breach check (breach.hpp).
struct Opening {
  std::string who;
  std::string lock;
  lockcore::UnixMs at = 0;
  std::string how;  // "keypad", "app", "remote", "bluetooth"
};

// A lockout case the timeline opened.
struct CaseRef {
  std::string id;  // "lkc_…"; empty when the report was refused
  std::string who;
  std::string lock;
};

// What the run remembers between steps.
struct RunState {
  std::map<std::string, std::string> backup_code;  // person -> the code she last viewed
  std::map<std::string, bool> lost_mfa;            // person -> her authenticator is gone
  std::set<std::string> wifi_changed;  // Wi-Fi locks whose network changed (people there know)
  std::map<std::string, std::string> transfer;  // person -> the transfer offered to her
  std::vector<Opening> openings;                // every door opening so far
  std::vector<CaseRef> cases;                   // case n at [n - 1], in the order opened
};

struct StepOutcome {
  Outcome outcome = Outcome::none;  // what happened, in the vocabulary of a step's `expect`
  std::string detail;               // what the runner saw, for a FAIL line
};

// granted / denied / error from a domain call's status, as a step's `expect` reads them: forbidden
// and not_found are a refusal for lack of right, anything else an error.
StepOutcome from_status(const server::Status& s);

// Errors: the step could not be carried out at all (an unsupported step, the world broken).
Outcome_<StepOutcome> run_step(World& world, RunState& state, const Step& step);

// "+1m enter_pin ana u204", for output lines.
std::string describe(const Step& step);

}  // namespace scenario
