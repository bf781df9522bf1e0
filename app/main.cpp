// latchkey: one binary, one subcommand per job (sim, broker, serve, demo, scenario run, ...).

#include <CLI/CLI.hpp>

#include "sim/command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Latchkey: self-hosted smart-lock access that gets people back in, safely."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "latchkey 0.1.0");
  int exit_code = 0;
  sim::add_sim_command(app, exit_code);
  sim::add_broker_command(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
