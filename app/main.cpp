// latchkey: one binary, one subcommand per job (sim, serve, demo, scenario run, ...).

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Latchkey: self-hosted smart-lock access that gets people back in, safely."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "latchkey 0.1.0");
  CLI11_PARSE(app, argc, argv);
  return 0;
}
