#include "tests/server/api/site_world.hpp"

#include <gtest/gtest.h>

#include "server/access/memberships.hpp"

namespace server::api::testing {

SiteWorld::SiteWorld() : server(testsupport::test_config(dir.file("latchkey.db"))) {
  if (!server.ok()) return;
  for (const char* who : {"owner", "manager", "maintenance", "resident", "guest", "support",
                          "suspended", "other", "other_owner", "recipient"})
    accounts[who] = make_account(who);
  server.on_server([this] {
    access::Access& a = server.node().access();
    const std::string owner = accounts["owner"];
    EXPECT_TRUE(a.sites().create(owner, {"s1", "Maple Court", "America/New_York"}));
    EXPECT_TRUE(a.units().create(owner, "s1", {"s1", "204", "Apartment 204"}));
    EXPECT_TRUE(a.units().create(owner, "s1", {"s1", "205", "Apartment 205"}));
    auto grant = [&](const std::string& who, access::Role role, std::optional<std::string> unit) {
      auto g = a.memberships().grant(owner, "s1", accounts[who], {role, unit, {}, {}, {}});
      EXPECT_TRUE(g) << who << ": " << (g ? "" : g.error().message);
    };
    grant("manager", access::Role::manager, std::nullopt);
    grant("maintenance", access::Role::maintenance, std::nullopt);
    grant("resident", access::Role::resident, "204");
    grant("guest", access::Role::guest, "204");
    grant("support", access::Role::support, std::nullopt);
    grant("suspended", access::Role::resident, "205");
    EXPECT_TRUE(a.sites().create(accounts["other_owner"], {"s2", "Elm Yard", "Europe/London"}));
    EXPECT_TRUE(a.memberships().grant(accounts["other_owner"], "s2", accounts["other"],
                                      {access::Role::manager, {}, {}, {}, {}}));
    devices::Devices& d = server.node().devices();
    devices::LockSpec spec;
    spec.site = "s1";
    spec.id = "u204";
    spec.name = "Door of 204";
    spec.unit = "204";
    EXPECT_TRUE(d.add_lock(spec, "system:test"));
    spec.id = "lobby";
    spec.name = "Lobby";
    spec.unit.reset();
    EXPECT_TRUE(d.add_lock(spec, "system:test"));
    spec.site = "s2";
    spec.id = "e1";
    spec.name = "Elm door";
    EXPECT_TRUE(d.add_lock(spec, "system:test"));
  });
  for (const auto& [who, id] : accounts)
    tokens[who] = server.sign_in(who + "@example.test", kPassword);
  server.on_server([this] {
    EXPECT_TRUE(
        server.node().identity().accounts().suspend(accounts["suspended"], "system:test", "test"));
  });
}

std::string SiteWorld::make_account(const std::string& name) {
  auto made = server.on_server(server.node().identity().accounts().create(
      {name + "@example.test", "+1555555" + std::to_string(1000 + ++counter), name, kPassword},
      "system:test"));
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return made ? made->id : std::string();
}

std::string SiteWorld::owner_code() {
  auto made = server.on_server([&] {
    codes::NewCode spec;
    spec.name = "Owner's code";
    spec.locks = {"u204"};
    spec.pin = std::to_string(100000 + ++counter);
    return server.node().codes().create(accounts["owner"], "s1", spec);
  });
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return made ? made->code.id : std::string();
}

}  // namespace server::api::testing
