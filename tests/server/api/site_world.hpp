#pragma once
// A whole Node on loopback with one site set up as the route tests need it: site s1 (units 204 and
// 205, locks u204 in 204 and the common door "lobby", registered but not commissioned) with one
// account per role (owner, manager, maintenance, resident and guest of 204, support), a suspended
// resident of 205, and another site s2 whose manager is "other". Every account is signed in.

#include <map>
#include <string>

#include "tests/support/node_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::api::testing {

inline constexpr const char* kPassword = "correct horse 204";

class SiteWorld {
 public:
  SiteWorld();

  // A new active account named `name` (email name@example.test); its id.
  std::string make_account(const std::string& name);
  // A keypad code the owner holds on u204 with a fresh PIN; its id.
  std::string owner_code();

  testsupport::TempDir dir;
  testsupport::NodeServer server;
  std::map<std::string, std::string> accounts;  // who -> account id
  std::map<std::string, std::string> tokens;    // who -> access token
  int counter = 0;
};

}  // namespace server::api::testing
