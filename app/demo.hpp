#pragma once
// `latchkey demo`: the whole product on this machine, for a newcomer to look at. In --dir (emptied
// first) it starts a loopback Mosquitto with the protocol's logins (`latchkey broker init|run`),
// `latchkey serve` on SQLite serving the web app, and a simulated site of six locks behind two hubs
// (`latchkey sim`), each a process of its own with its log beside it; seeds the demo site
// (demo_site.hpp); prints the URL and the logins, and runs until Ctrl-C or SIGTERM, which stop
// every process it started (killed if one has not stopped 10 s later).

#include <cstdint>
#include <string>

namespace app {

struct DemoOptions {
  std::string dir = "build/demo";
  std::uint16_t http_port = 8080;
  std::string web_dir = "build/web";  // the built web app; empty: the API only
};

// Returns the process exit code: 0 after a clean stop, 1 when something did not start or the
// seeding was refused (the reason on stderr), 2 when the web port is taken.
int run_demo(const DemoOptions& options);

}  // namespace app
