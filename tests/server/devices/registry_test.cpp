// The registry: sites get one key pair on first need (whose secret never shows), hubs and locks are
// registered with checked ids, links and capacities, and everything survives a restart.

#include <gtest/gtest.h>

#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using server::Errc;
using server::devices::HubSpec;
using server::devices::LockSpec;

class Registry : public LoopbackSite {};

LockSpec spec(std::string id, std::string link = "wifi") {
  LockSpec s;
  s.site = std::string(kSite);
  s.id = std::move(id);
  s.name = "Front door";
  s.link = std::move(link);
  return s;
}

TEST_F(Registry, ASiteGetsOneKeyPairWhoseSecretAppearsNowhereButItsRow) {
  auto first = devices->site_key(kSite);
  ASSERT_TRUE(first);
  auto again = devices->site_key(kSite);
  ASSERT_TRUE(again);
  EXPECT_EQ(*first, *again);

  ASSERT_TRUE(devices->add_lock(spec("u204"), "account:acc_manager"));
  auto rows =
      store.db().query("SELECT secret_key FROM device_sites WHERE site = ?", {std::string(kSite)});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  auto secret = (*rows)[0].blob(0);
  ASSERT_TRUE(secret);
  const std::string secret_hex = server::devices::to_hex(*secret).substr(0, 32);
  server::audit::Filter all;
  all.limit = 1000;
  auto entries = audit_log.list(all);
  ASSERT_TRUE(entries);
  for (const auto& e : *entries) {
    EXPECT_EQ(e.record.detail.find(secret_hex), std::string::npos) << e.record.detail;
  }
  EXPECT_EQ(metrics.render().find(secret_hex), std::string::npos);
}

TEST_F(Registry, LocksAndHubsAreRegisteredAuditedAndListed) {
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Lobby hub"}, "account:acc_manager"));
  LockSpec behind = spec("u205", "hub-1");
  behind.unit = "205";
  auto lock = devices->add_lock(behind, "account:acc_manager");
  ASSERT_TRUE(lock) << lock.error().message;
  EXPECT_EQ(lock->link, "hub-1");
  EXPECT_EQ(*lock->unit, "205");
  EXPECT_FALSE(lock->paired);
  ASSERT_TRUE(devices->add_lock(spec("gate", "none"), "account:acc_manager"));

  auto locks = devices->locks(kSite);
  ASSERT_EQ(locks.size(), 2u);
  EXPECT_EQ(locks[0].id, "gate");
  EXPECT_FALSE(locks[0].unit.has_value());
  EXPECT_EQ(devices->hubs(kSite).size(), 1u);
  EXPECT_EQ(audits(server::audit::AuditType::lock_registered).size(), 2u);
  EXPECT_EQ(audits(server::audit::AuditType::hub_registered).size(), 1u);
  EXPECT_TRUE(devices->locks("another-site").empty());
}

TEST_F(Registry, BadIdsLinksAndCapacitiesAreRefusedNamingTheField) {
  struct Case {
    LockSpec spec;
    Errc code;
    std::string field;
  };
  auto with = [](LockSpec s, auto change) {
    change(s);
    return s;
  };
  const Case cases[] = {
      {spec("u 204"), Errc::invalid_field, "id"},
      {spec("u204'; DROP TABLE device_locks; --"), Errc::invalid_field, "id"},
      {spec(std::string(33, 'a')), Errc::invalid_field, "id"},
      {with(spec("u204"), [](LockSpec& s) { s.site = "../other"; }), Errc::invalid_field, "site"},
      {with(spec("u204"), [](LockSpec& s) { s.name = ""; }), Errc::invalid_field, "name"},
      {with(spec("u204"), [](LockSpec& s) { s.name = "a\nb"; }), Errc::invalid_field, "name"},
      {spec("u204", "hub-9"), Errc::not_found, ""},
      {spec("u204", "wifi/"), Errc::invalid_field, "link"},
      {with(spec("u204"), [](LockSpec& s) { s.slots = 0; }), Errc::invalid_field, "slots"},
      {with(spec("u204"), [](LockSpec& s) { s.slots = 251; }), Errc::invalid_field, "slots"},
      {with(spec("u204"), [](LockSpec& s) { s.backup_pool = 21; }), Errc::invalid_field,
       "backup_pool"},
      {with(spec("u204"), [](LockSpec& s) { s.pin_min = 7, s.pin_max = 6; }), Errc::invalid_field,
       "pin_min"},
      {with(spec("u204"), [](LockSpec& s) { s.pairing_code = "short"; }), Errc::invalid_field,
       "pairing_code"},
  };
  for (const Case& c : cases) {
    auto added = devices->add_lock(c.spec, "account:acc_manager");
    ASSERT_FALSE(added) << c.spec.id;
    EXPECT_EQ(added.error().code, c.code) << c.spec.id << " " << added.error().message;
    EXPECT_EQ(added.error().field, c.field) << c.spec.id;
  }
  EXPECT_TRUE(devices->locks(kSite).empty());

  ASSERT_TRUE(devices->add_lock(spec("u204"), "account:acc_manager"));
  auto twice = devices->add_lock(spec("u204"), "account:acc_manager");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::conflict);
  auto hub_with_lock_id =
      devices->add_hub({std::string(kSite), "u204", "Hub"}, "account:acc_manager");
  ASSERT_FALSE(hub_with_lock_id);
  EXPECT_EQ(hub_with_lock_id.error().code, Errc::conflict);
}

TEST_F(Registry, AHubLinksAtMostAsManyLocksAsItsLinksMessageCanReport) {
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(devices->add_lock(spec("l" + std::to_string(i), "hub-1"), "account:acc_manager"));
  }
  auto full = devices->add_lock(spec("l64", "hub-1"), "account:acc_manager");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::conflict);
}

TEST_F(Registry, EverythingIsThereAgainAfterARestart) {
  auto key = devices->site_key(kSite);
  ASSERT_TRUE(key);
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  ASSERT_TRUE(devices->add_lock(spec("u205", "hub-1"), "account:acc_manager"));
  ASSERT_TRUE(devices->set_utc_offset(kSite, -300));
  restart_server();
  EXPECT_EQ(*devices->site_key(kSite), *key);
  auto lock = devices->lock(kSite, "u205");
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->link, "hub-1");
  EXPECT_TRUE(devices->hub(kSite, "hub-1"));
  auto bad = devices->set_utc_offset(kSite, 900);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "utc_offset_min");
}

}  // namespace
}  // namespace devicestest
