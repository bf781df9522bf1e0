#pragma once
// Strict parsing of a scenario file (shared/scenarios/README.md). Anything the format does not
// allow is an error, never skipped: a file that is not JSON, an unknown key, a wrong type, a
// missing key, an unknown id (fault, action, symptom, cause, recovery action, role, message kind,
// channel, audit type, work order kind, credential status), a reference to a hub, lock, unit,
// person or device the file does not declare, a bad duration or time, or steps out of time
// order. The error names the file, the JSON path and what was expected:
//   "moved-out.json: $.timeline[2].lock: expected a declared lock id, got \"d9\""

#include <string>
#include <string_view>

#include "lockcore/result.hpp"
#include "scenario/model.hpp"

namespace scenario {

// `text` is the file's content; `file` names it in errors.
lockcore::Result<Scenario, std::string> parse(std::string_view text, std::string_view file);
// Reads and parses `path`. Errors: as parse(), or the file cannot be read.
lockcore::Result<Scenario, std::string> parse_file(const std::string& path);

}  // namespace scenario
