// latchkey: one binary, one subcommand per job (sim, broker, serve, demo, scenario run, ...).

#include <CLI/CLI.hpp>

#include "app/account.hpp"
#include "app/audit.hpp"
#include "app/demo.hpp"
#include "app/scenario.hpp"
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
  app::add_scenario_command(app, status);

  CLI::App* account = app.add_subcommand("account", "Manage accounts from the command line");
  account->require_subcommand(1);
  app::AccountCreate create_request;
  CLI::App* create = account->add_subcommand(
      "create", "Create an account (the first owner of a fresh install); prints its id");
  create->add_option("-c,--config", config_file, "TOML configuration file")
      ->envname("LATCHKEY_CONFIG")
      ->check(CLI::ExistingFile);
  create->add_option("--email", create_request.email, "the person's email address")->required();
  create->add_option("--phone", create_request.phone, "the person's phone number, E.164")
      ->required();
  create->add_option("--name", create_request.display_name, "the name shown for the person");
  create
      ->add_option("--password-file", create_request.password_file,
                   "a file whose first line is the password (default: ask, or read stdin)")
      ->check(CLI::ExistingFile);
  create->callback([&] { status = app::account_create(config_file, create_request); });

  app::DemoOptions demo_options;
  CLI::App* demo = app.add_subcommand(
      "demo", "Start the whole product on this machine with a demo site, and print what to open");
  demo->add_option("--dir", demo_options.dir, "Where its data and logs go (emptied first)")
      ->capture_default_str();
  demo->add_option("--port", demo_options.http_port, "The web app's port on 127.0.0.1")
      ->capture_default_str();
  demo->add_option("--web", demo_options.web_dir, "The built web app to serve (empty: API only)")
      ->capture_default_str();
  demo->callback([&] { status = app::run_demo(demo_options); });

  CLI::App* audit = app.add_subcommand("audit", "Check the audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Walk the hash chain: the first broken link (exit 1), or that it is intact");
  verify->add_option("-c,--config", config_file, "TOML configuration file")
      ->envname("LATCHKEY_CONFIG")
      ->check(CLI::ExistingFile);
  verify->callback([&] { status = app::audit_verify(config_file); });

  CLI11_PARSE(app, argc, argv);
  return status;
}
