// Sites and units: created with strict ids, names and time zones; the creator owns the site;
// units are seen only by those whose memberships cover them and managed only with manage_site.

#include <gtest/gtest.h>

#include "tests/server/access/world.hpp"

namespace server::access {
namespace {

using testing::code;
using testing::World;

TEST(Sites, TheCreatorOwnsTheSiteAndNobodyElseSeesIt) {
  World w;
  w.accounts().add("acc_ana");
  w.accounts().add("acc_bob");
  auto site = w.access().sites().create("acc_ana", {"maple-12", "12 Maple St", "America/New_York"});
  ASSERT_TRUE(site.ok()) << site.error().message;
  EXPECT_EQ(site->my_roles, std::vector<Role>{Role::owner});
  auto mine = w.access().sites().list_mine("acc_ana");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().site.timezone, "America/New_York");
  EXPECT_TRUE(w.access().sites().list_mine("acc_bob")->empty());
  EXPECT_EQ(code(w.access().sites().get("acc_bob", "maple-12")), Errc::not_found);
  EXPECT_EQ(w.audit_types(), (std::vector<std::string>{"site_created", "membership_started"}));
}

TEST(Sites, RefusesBadIdsNamesAndZonesNamingTheField) {
  World w;
  w.accounts().add("acc_ana");
  auto& sites = w.access().sites();
  for (const std::string& id :
       {std::string(""), std::string("a/b"), std::string("a b"), std::string("a+b"),
        std::string("#"), std::string(33, 'a'), std::string("x'; DROP TABLE sites; --")}) {
    auto r = sites.create("acc_ana", {id, "Name", "UTC"});
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().field, "id") << id;
  }
  for (const std::string& name : {std::string(""), std::string(101, 'n'), std::string("a\nb"),
                                  std::string("bad \xff utf-8"), std::string("a\0b", 3)}) {
    auto r = sites.create("acc_ana", {"s1", name, "UTC"});
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().field, "name");
  }
  for (const char* zone : {"", "EST5EDT,M3.2.0,M11.1.0", "Mars/Olympus", "../../etc/passwd"}) {
    auto r = sites.create("acc_ana", {"s1", "Name", zone});
    ASSERT_FALSE(r.ok()) << zone;
    EXPECT_EQ(r.error().field, "timezone");
  }
  // Names are text, SQL metacharacters and all.
  auto odd = sites.create("acc_ana", {"s1", "Robert'); DROP TABLE sites;-- Ünïcødé", "UTC"});
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(sites.get("acc_ana", "s1")->site.name, "Robert'); DROP TABLE sites;-- Ünïcødé");
}

TEST(Sites, IdsAreOneNamespaceAndInactiveAccountsCreateNothing) {
  World w;
  w.site("s1", "acc_ana");
  w.accounts().add("acc_bob");
  EXPECT_EQ(code(w.access().sites().create("acc_bob", {"s1", "Mine", "UTC"})), Errc::conflict);
  w.accounts().add("acc_carl", /*active=*/false);
  EXPECT_EQ(code(w.access().sites().create("acc_carl", {"s2", "Mine", "UTC"})), Errc::forbidden);
  EXPECT_EQ(code(w.access().sites().create("acc_unknown", {"s3", "Mine", "UTC"})), Errc::forbidden);
}

class UnitsTest : public ::testing::Test {
 protected:
  UnitsTest() {
    w_.site("s1", "acc_owner");
    w_.unit("s1", "acc_owner", "101");
    w_.unit("s1", "acc_owner", "102");
    w_.site("s2", "acc_other");
    w_.put("acc_res", "s1", Role::resident, "101");
    w_.put("acc_mgr", "s1", Role::manager);
  }
  Units& units() { return w_.access().units(); }
  World w_;
};

TEST_F(UnitsTest, EachPersonSeesTheUnitsTheirMembershipsCover) {
  auto all = units().list("acc_mgr", "s1");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto own = units().list("acc_res", "s1");
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(own->front().id, "101");
  EXPECT_TRUE(units().get("acc_res", "s1", "101").ok());
  EXPECT_EQ(code(units().get("acc_res", "s1", "102")), Errc::not_found);
  EXPECT_EQ(code(units().list("acc_other", "s1")), Errc::not_found);
}

TEST_F(UnitsTest, OnlyManageSiteCreatesRenamesAndRemoves) {
  EXPECT_EQ(code(units().create("acc_res", "s1", {"s1", "103", "Unit 103"})), Errc::forbidden);
  EXPECT_EQ(code(units().create("acc_other", "s1", {"s1", "103", "Unit 103"})), Errc::not_found);
  EXPECT_EQ(code(units().create("acc_mgr", "s1", {"s1", "101", "Again"})), Errc::conflict);
  auto bad = units().create("acc_mgr", "s1", {"s1", "1/03", "Unit"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "id");
  ASSERT_TRUE(units().create("acc_mgr", "s1", {"s1", "103", "Unit 103"}).ok());
  EXPECT_EQ(code(units().rename("acc_res", "s1", "101", "Mine")), Errc::forbidden);
  auto renamed = units().rename("acc_mgr", "s1", "101", "Penthouse");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(units().get("acc_res", "s1", "101")->name, "Penthouse");
  EXPECT_EQ(w_.audit_types().back(), "unit_changed");
}

TEST_F(UnitsTest, AUnitWithMembersOrDoorsStays) {
  EXPECT_EQ(code(units().remove("acc_mgr", "s1", "101")), Errc::conflict);
  w_.locks().add("s1", "d102", "102");
  EXPECT_EQ(code(units().remove("acc_mgr", "s1", "102")), Errc::conflict);
  ASSERT_TRUE(units().create("acc_mgr", "s1", {"s1", "103", "Unit 103"}).ok());
  ASSERT_TRUE(units().remove("acc_mgr", "s1", "103").ok());
  EXPECT_EQ(w_.audit_types().back(), "unit_removed");
  EXPECT_EQ(code(units().get("acc_mgr", "s1", "103")), Errc::not_found);
  EXPECT_EQ(code(units().remove("acc_mgr", "s1", "103")), Errc::not_found);
  // Created again, it comes back with its new name.
  auto again = units().create("acc_mgr", "s1", {"s1", "103", "New 103"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(units().get("acc_mgr", "s1", "103")->name, "New 103");
}

}  // namespace
}  // namespace server::access
