#include "app/scenario.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include "scenario/parse.hpp"
#include "scenario/runner.hpp"

namespace app {

void add_scenario_command(CLI::App& app, int& status) {
  CLI::App* scenario = app.add_subcommand("scenario", "Scenario files on a virtual clock");
  scenario->require_subcommand(1);
  CLI::App* run = scenario->add_subcommand(
      "run", "Run scenario files against the real server, broker and simulated locks");
  static std::vector<std::string> files;
  static bool verbose = false;
  run->add_option("files", files, "scenario files (JSON)")->required()->check(CLI::ExistingFile);
  run->add_flag("-v,--verbose", verbose, "the server's and the simulator's log on stderr");
  run->callback([&status] {
    spdlog::set_level(verbose ? spdlog::level::info : spdlog::level::off);
    scenario::Tally total;
    for (const std::string& file : files) {
      auto parsed = scenario::parse_file(file);
      if (!parsed) {
        std::cout << "FAIL " << parsed.error() << "\n";
        ++total.failed;
        continue;
      }
      const scenario::Tally t = scenario::run(*parsed, std::cout);
      total.passed += t.passed;
      total.failed += t.failed;
    }
    std::cout << total.passed << " passed, " << total.failed << " failed" << std::endl;
    status = total.failed == 0 ? 0 : 1;
  });
}

}  // namespace app
