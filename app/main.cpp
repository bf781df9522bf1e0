// latchkey: one binary, one subcommand per job (sim, broker, serve, demo, scenario run, ...).

#include <CLI/CLI.hpp>

#include "app/serve.hpp"
#include "server/config/config.hpp"
#include "sim/command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Latchkey: self-hosted smart-lock access that gets people back in, safely."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "latchkey 0.1.0");

  std::optional<std::string> config_file;
  CLI::App* serve =
      app.add_subcommand("serve", "Run the server: HTTP API, store and (later) the domains");
  serve->add_option("-c,--config", config_file, "TOML configuration file")
      ->envname("LATCHKEY_CONFIG")
      ->check(CLI::ExistingFile);
  serve->footer("\n" + server::config::options_help());
  int status = 0;
  serve->callback([&] { status = app::serve(config_file); });
  sim::add_sim_command(app, status);
  sim::add_broker_command(app, status);

  CLI11_PARSE(app, argc, argv);
  return status;
}
