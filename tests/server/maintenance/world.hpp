#pragma once
// A migrated store, a virtual scheduler, the access domain with stand-in accounts, and the
// maintenance domain over them: what every maintenance test starts from. Site "s1" (owner
// acc_owner) has a manager, a maintenance member, a resident, a guest and a support member; site
// "s2" belongs to acc_other.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/maintenance/maintenance.hpp"
#include "server/maintenance/schema.hpp"
#include "tests/server/access/world.hpp"

namespace server::maintenance::testing {

using access::testing::kDay;
using access::testing::kHour;
using access::testing::kMonday;
inline constexpr UnixMs kMinute = 60 * 1000;

template <class T>
Errc code(const Result<T>& r) {
  return r.ok() ? Errc::internal : r.error().code;
}

inline std::vector<store::Migration> all_migrations() {
  auto all = access::testing::all_migrations();
  auto mine = maintenance::migrations();
  all.insert(all.end(), mine.begin(), mine.end());
  return all;
}

class World {
 public:
  explicit World(Rules rules = {})
      : store_(all_migrations()),
        scheduler_(kMonday),
        audit_(db(), scheduler_),
        outbox_(db(), scheduler_),
        access_(db(), scheduler_, audit_, outbox_, access::Ports{&accounts_, &locks_}),
        maintenance_(Deps{db(), scheduler_, audit_, outbox_, access_, &live_, [this] { ++pokes_; }},
                     rules) {
    site("s1", "acc_owner");
    member("acc_manager", access::Role::manager);
    member("acc_maint", access::Role::maintenance);
    member("acc_resident", access::Role::resident, "101");
    member("acc_guest", access::Role::guest, "101");
    member("acc_support", access::Role::support);
    site("s2", "acc_other");
  }

  store::Database& db() { return store_.db(); }
  runtime::VirtualScheduler& scheduler() { return scheduler_; }
  audit::AuditLog& audit() { return audit_; }
  notify::Outbox& outbox() { return outbox_; }
  live::Bus& live() { return live_; }
  access::testing::FakeAccounts& accounts() { return accounts_; }
  access::Access& access() { return access_; }
  Maintenance& maintenance() { return maintenance_; }
  Signals& signals() { return maintenance_.signals(); }
  WorkOrders& orders() { return maintenance_.work_orders(); }
  UnixMs now() const { return scheduler_.now(); }
  int pokes() const { return pokes_; }
  // A Deps for a second Maintenance over the same store (a restart).
  Deps deps() { return {db(), scheduler_, audit_, outbox_, access_, &live_, {}}; }

  void site(const std::string& id, const std::string& owner) {
    accounts_.add(owner);
    auto created = access_.sites().create(owner, {id, "Site " + id, "America/New_York"});
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto unit = access_.units().create(owner, id, {id, "101", "Unit 101"});
    ASSERT_TRUE(unit.ok()) << unit.error().message;
  }
  void member(const std::string& account, access::Role role,
              std::optional<std::string> unit = std::nullopt, const std::string& site = "s1",
              const std::string& granter = "acc_owner") {
    accounts_.add(account);
    auto m = access_.memberships().grant(granter, site, account,
                                         access::Grant{role, std::move(unit), {}, {}, {}});
    ASSERT_TRUE(m.ok()) << m.error().message;
  }
  void advance_to(UnixMs t) { scheduler_.advance_to(t); }

  // Every order of site `site` (newest first), through the system read.
  std::vector<WorkOrder> orders_at(const std::string& site = "s1", ListFilter filter = {}) {
    auto all = orders().find(site, filter);
    EXPECT_TRUE(all.ok()) << (all.ok() ? "" : all.error().message);
    return all.ok() ? *all : std::vector<WorkOrder>{};
  }
  std::size_t count(std::string_view audit_type) {
    auto entries = audit_.list({});
    EXPECT_TRUE(entries.ok());
    std::size_t n = 0;
    if (entries.ok())
      for (const audit::Entry& e : *entries)
        n += to_string(e.record.type) == audit_type;
    return n;
  }
  // Accounts that got a work_order message, one entry per message.
  std::vector<std::string> work_order_recipients() {
    notify::MessageFilter filter;
    filter.kind = notify::Kind::work_order;
    auto list = outbox_.list(filter);
    EXPECT_TRUE(list.ok());
    std::vector<std::string> out;
    if (list.ok())
      for (const notify::Message& m : *list)
        out.push_back(m.notice.account);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  testsupport::MigratedStore store_;
  runtime::VirtualScheduler scheduler_;
  audit::AuditLog audit_;
  notify::Outbox outbox_;
  live::Bus live_;
  access::testing::FakeAccounts accounts_;
  access::testing::FakeLocks locks_;
  access::Access access_;
  int pokes_ = 0;
  Maintenance maintenance_;
};

}  // namespace server::maintenance::testing
