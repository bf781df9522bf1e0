#pragma once
// `latchkey scenario run FILE...`: runs each scenario file (shared/scenarios/README.md) and prints
// one line per expectation and a closing `N passed, N failed`; exit 0 only when every
// expectation of every file held. A file that does not parse is an error naming the file, the
// JSON path and what was expected, and fails the run.

#include <CLI/CLI.hpp>

namespace app {

void add_scenario_command(CLI::App& app, int& status);

}  // namespace app
