#include "tests/server/lockout/world.hpp"

#include <chrono>

#include "server/access/schema.hpp"
#include "server/lockout/schema.hpp"
#include "server/maintenance/schema.hpp"
#include "server/store/migrations.hpp"

namespace server::lockout::testing {

namespace {

identity::Options weak_hash() {
  identity::Options o;
  o.password_cost = identity::HashCost::test_only();
  return o;
}

std::vector<store::Migration> every_migration() {
  std::vector<store::Migration> all;
  for (auto domain :
       {audit::migrations, notify::migrations, access::migrations, identity::migrations,
        devices::migrations, maintenance::migrations, lockout::migrations}) {
    auto list = domain();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

// Migrates the rest of the domains onto the devices test's store before anything uses them.
store::Database& migrated(store::Database& db) {
  auto done = store::migrate(db, every_migration());
  if (!done) ADD_FAILURE() << done.error().message;
  return db;
}

}  // namespace

LockoutWorld::LockoutWorld()
    : outbox(migrated(store.db()), scheduler),
      identity(store.db(), scheduler, audit_log, outbox, weak_hash()),
      access_accounts(identity.accounts()),
      doors(devices),
      access(store.db(), scheduler, audit_log, outbox, access::Ports{&access_accounts, &doors}),
      maintenance({store.db(), scheduler, audit_log, outbox, access, &live, {}}) {
  lockout = std::make_unique<Lockout>(
      Deps{store.db(), scheduler, audit_log, outbox, identity, access, *devices, maintenance, {}});
  olga = person("olga", "+15555550101");
  mia = person("mia", "+15555550102");
  rita = person("rita", "+15555550103");
  auto site = access.sites().create(
      olga, {std::string(devicestest::kSite), "Maple Court", "America/New_York"});
  EXPECT_TRUE(site) << site.error().message;
  auto unit = access.units().create(olga, std::string(devicestest::kSite),
                                    {std::string(devicestest::kSite), "204", "Unit 204"});
  EXPECT_TRUE(unit) << unit.error().message;
  grant(mia, access::Role::manager, std::nullopt);
  grant(rita, access::Role::resident, "204");
  devices::LockSpec spec;
  spec.name = "Unit 204 front door";
  spec.unit = "204";
  add_lock("u204", spec);
  commission("u204");
  auto placed = devices->place(devicestest::kSite, "u204",
                               devicestest::pin_code("cred_rita", "4831", "account:" + rita));
  EXPECT_TRUE(placed) << placed.error().message;
  settle();
}

LockoutWorld::~LockoutWorld() {
  lockout.reset();
}

std::string LockoutWorld::person(const std::string& name, const std::string& phone) {
  auto made = run(identity.accounts().create(
      {name + "@example.test", phone, name, "a long passphrase for " + name}, "system:test"));
  EXPECT_TRUE(made) << made.error().message;
  return made ? made->id : std::string();
}

void LockoutWorld::grant(const std::string& account, access::Role role,
                         std::optional<std::string> unit, std::optional<UnixMs> until) {
  auto m = access.memberships().grant(olga, devicestest::kSite, account,
                                      access::Grant{role, std::move(unit), {}, until, {}});
  EXPECT_TRUE(m) << m.error().message;
}

Caller LockoutWorld::signed_in(const std::string& account) const {
  identity::Actor actor;
  actor.account = account;
  actor.session = "ses_test";
  return Caller{actor, "ip:198.51.100.7"};
}

void LockoutWorld::work() {
  advance(std::chrono::milliseconds(Options{}.backup_batch_ms));
  settle();
}

lockcore::DoorOutcome LockoutWorld::enter(const std::string& pin) {
  auto r = lock("u204").with_firmware([&](lockcore::Lock& l, auto&) { return l.enter_pin(pin); });
  settle();
  advance(std::chrono::seconds(3));
  return r.outcome;
}

std::vector<notify::Message> LockoutWorld::messages(const std::string& account, notify::Kind kind) {
  notify::MessageFilter filter;
  filter.account = account;
  filter.kind = kind;
  auto list = outbox.list(filter);
  EXPECT_TRUE(list);
  return list ? *list : std::vector<notify::Message>{};
}

std::string LockoutWorld::link_token(const std::string& account) {
  auto sent = messages(account, notify::Kind::backup_code);
  if (sent.empty()) return {};
  const std::string& body = sent.front().notice.body;
  const auto at = body.find("/backup/");
  if (at == std::string::npos) return {};
  return body.substr(at + 8, 43);
}

}  // namespace server::lockout::testing
