// The role table's promises that do not depend on a store: docs/roles.md is the table rendered,
// the grant table never makes an owner, and the names are stable wire names.

#include "server/access/roles.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace server::access {
namespace {

TEST(Roles, DocsRolesMdIsTheTableRendered) {
  std::ifstream in(std::string(LATCHKEY_SOURCE_DIR) + "/docs/roles.md");
  ASSERT_TRUE(in) << "docs/roles.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), render_roles_markdown())
      << "docs/roles.md is stale: write render_roles_markdown() to it";
}

TEST(Roles, NobodyGrantsOwnerAndOnlyOwnersGrantManager) {
  for (std::size_t g = 0; g < kRoleCount; ++g) {
    const auto granter = static_cast<Role>(g);
    EXPECT_FALSE(may_grant(granter, Role::owner)) << to_string(granter);
    EXPECT_EQ(may_grant(granter, Role::manager), granter == Role::owner) << to_string(granter);
  }
}

TEST(Roles, WhoeverGrantsAnythingMayManagePeople) {
  for (std::size_t g = 0; g < kRoleCount; ++g) {
    const auto granter = static_cast<Role>(g);
    bool grants_any = false;
    for (std::size_t r = 0; r < kRoleCount; ++r)
      grants_any |= may_grant(granter, static_cast<Role>(r));
    EXPECT_EQ(grants_any, role_allows(granter, Action::manage_people)) << to_string(granter);
  }
}

TEST(Roles, NamesRoundTripAndUnknownNamesAreRefused) {
  for (std::size_t i = 0; i < kRoleCount; ++i)
    EXPECT_EQ(role_from(to_string(static_cast<Role>(i))), static_cast<Role>(i));
  for (std::size_t i = 0; i < kActionCount; ++i)
    EXPECT_EQ(action_from(to_string(static_cast<Action>(i))), static_cast<Action>(i));
  for (const char* bad : {"", "Owner", "admin", "owner ", "root", "superuser"})
    EXPECT_FALSE(role_from(bad)) << bad;
}

TEST(Roles, OnlyOperatingADoorFollowsTheSchedule) {
  for (std::size_t i = 0; i < kActionCount; ++i) {
    const auto a = static_cast<Action>(i);
    EXPECT_EQ(is_door_operation(a), a == Action::operate_lock) << to_string(a);
  }
}

}  // namespace
}  // namespace server::access
