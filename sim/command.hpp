#pragma once
// The simulator's subcommands of the one `latchkey` binary:
//
//   latchkey sim --broker HOST:PORT --site ID --locks N [--hubs M] --credentials FILE
//                [--control PATH] [--seed S] [--virtual-clock] [--manifest FILE]
//                [--log-level LEVEL]
//     runs the fleet standard_fleet(ID, N, M, S) until SIGINT/SIGTERM.
//   latchkey broker init --site ID --locks N [--hubs M] --dir DIR [--port P]
//     writes a Mosquitto config directory (config, password file, ACL, credentials) with a login
//     for exactly the devices `latchkey sim` runs for the same ID, N and M, plus "server".
//   latchkey broker run --dir DIR
//     runs Mosquitto on that directory in the foreground (it replaces this process).
//
// Each add_* registers its subcommand; when the subcommand runs, `exit_code` receives its status
// (0 ok, 1 failed, 2 bad arguments or files), for main() to return.

namespace CLI {
class App;
}

namespace sim {

void add_sim_command(CLI::App& app, int& exit_code);
void add_broker_command(CLI::App& app, int& exit_code);

}  // namespace sim
