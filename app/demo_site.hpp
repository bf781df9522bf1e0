#pragma once
// The demo site, seeded through the product's own front doors as an installer would: accounts with
// `latchkey account create`, everything else through the public HTTP API as the owner (the site,
// units, people with their roles, hubs, each lock commissioned with the pairing code from the
// simulator's manifest), then a fleet in varied health through the simulator's control channel
// (a hub down with its locks offline, a battery running down, a jammed door) and what people do
// about it (a code fanned out to every door, a resident locked out of her jammed door), so that
// every page of the manager's console has something to show.

#include <filesystem>
#include <string>

#include "lockcore/result.hpp"

namespace app {

struct DemoSite {
  std::filesystem::path latchkey;  // this binary, for `latchkey account create`
  std::filesystem::path config;    // the server's TOML file
  std::string host = "127.0.0.1";
  std::uint16_t http_port = 0;
  std::string site;
  std::filesystem::path manifest;  // written by `latchkey sim --manifest`
  std::filesystem::path control;   // `latchkey sim --control` socket
};

// Returns what to tell the newcomer: the logins, one per line. Errors: the first refusal, with the
// server's or the simulator's own answer.
lockcore::Result<std::string, std::string> seed_demo_site(const DemoSite& where);

}  // namespace app
