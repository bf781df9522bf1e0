#pragma once
// A migrated store, a hand-moved clock and the access domain over them, with stand-ins for the
// ports to identity (FakeAccounts) and devices (FakeLocks, RecordingRemover): what every access
// test starts from.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "server/access/access.hpp"
#include "server/access/records.hpp"
#include "server/access/schema.hpp"
#include "server/audit/audit_log.hpp"
#include "server/notify/outbox.hpp"
#include "tests/support/migrated_store.hpp"

namespace server::access::testing {

// 2024-01-15T12:00:00Z, a Monday (07:00 in New York, 12:00 in London).
inline constexpr UnixMs kMonday = 1705320000000;
inline constexpr UnixMs kHour = 3600 * 1000;
inline constexpr UnixMs kDay = 24 * kHour;

// The error code of a failed call (internal when it unexpectedly succeeded), to compare in one
// line.
template <class T>
Errc code(const Result<T>& r) {
  return r.ok() ? Errc::internal : r.error().code;
}
inline Errc code(const Status& s) {
  return s.ok() ? Errc::internal : s.error().code;
}

class FakeAccounts final : public Accounts {
 public:
  AccountInfo& add(const std::string& id, bool active = true) {
    return accounts_[id] = AccountInfo{id, id + "@example.test", active};
  }
  void remove(const std::string& id) { accounts_.erase(id); }
  Result<std::optional<AccountInfo>> find(std::string_view id) override {
    auto it = accounts_.find(std::string(id));
    if (it == accounts_.end()) return std::optional<AccountInfo>();
    return std::optional<AccountInfo>(it->second);
  }
  Result<AccountInfo> find_or_invite(std::string_view email, std::string_view) override {
    if (email.find('@') == std::string_view::npos)
      return fail(Error::invalid_field("email", "must be an email address"));
    for (auto& [id, info] : accounts_)
      if (info.email == email) return info;
    const std::string id = "acc_invited" + std::to_string(++invited_);
    accounts_[id] = AccountInfo{id, std::string(email), true};
    return accounts_[id];
  }
  int invited() const { return invited_; }

 private:
  std::map<std::string, AccountInfo> accounts_;
  int invited_ = 0;
};

class FakeLocks final : public LockDirectory {
 public:
  void add(const std::string& site, const std::string& lock, std::optional<std::string> unit) {
    locks_[{site, lock}] = LockPlacement{std::move(unit)};
  }
  Result<std::optional<LockPlacement>> find_lock(std::string_view site,
                                                 std::string_view lock) const override {
    auto it = locks_.find({std::string(site), std::string(lock)});
    if (it == locks_.end()) return std::optional<LockPlacement>();
    return std::optional<LockPlacement>(it->second);
  }
  Result<bool> unit_has_locks(std::string_view site, std::string_view unit) const override {
    for (const auto& [key, placement] : locks_)
      if (key.first == site && placement.unit == unit) return true;
    return false;
  }

 private:
  std::map<std::pair<std::string, std::string>, LockPlacement> locks_;
};

class RecordingRemover final : public CredentialRemover {
 public:
  Status remove_all(std::string_view site, std::string_view account) override {
    calls.push_back("remove_all " + std::string(site) + " " + std::string(account));
    return {};
  }
  Status revalidate(std::string_view site, std::string_view account) override {
    calls.push_back("revalidate " + std::string(site) + " " + std::string(account));
    return {};
  }
  std::vector<std::string> calls;
};

inline std::vector<store::Migration> all_migrations() {
  std::vector<store::Migration> all;
  for (auto domain : {audit::migrations, notify::migrations, access::migrations}) {
    auto list = domain();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

class World {
 public:
  explicit World(bool with_remover = false)
      : store_(all_migrations()),
        clock_(kMonday),
        audit_(store_.db(), clock_),
        outbox_(store_.db(), clock_),
        access_(store_.db(), clock_, audit_, outbox_,
                Ports{&accounts_, &locks_, with_remover ? &remover_ : nullptr}) {}

  store::Database& db() { return store_.db(); }
  lockcore::ManualClock& clock() { return clock_; }
  audit::AuditLog& audit() { return audit_; }
  notify::Outbox& outbox() { return outbox_; }
  FakeAccounts& accounts() { return accounts_; }
  FakeLocks& locks() { return locks_; }
  RecordingRemover& remover() { return remover_; }
  Access& access() { return access_; }
  UnixMs now() const { return clock_.now(); }

  // A site created by `owner` (an account added if new).
  void site(const std::string& id, const std::string& owner,
            const std::string& zone = "America/New_York") {
    accounts_.add(owner);
    auto created = access_.sites().create(owner, {id, "Site " + id, zone});
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  void unit(const std::string& site, const std::string& owner, const std::string& id) {
    auto created = access_.units().create(owner, site, {site, id, "Unit " + id});
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  // What a test that writes access's rows itself holds while it does, as every act does
  // (server/access/generation.hpp): the policy's cached rows are dropped when it closes.
  Generation::Change changing() { return access_.deps().changes.change(); }
  // A membership written as is, without the grant checks (for setting up policy cases).
  Membership put(const std::string& account, const std::string& site, Role role,
                 std::optional<std::string> unit = std::nullopt,
                 std::optional<UnixMs> from = std::nullopt,
                 std::optional<UnixMs> until = std::nullopt,
                 lockcore::WeeklySchedule schedule = {}) {
    accounts_.add(account);
    Membership m;
    m.id = "mem_" + account + "_" + std::to_string(++puts_);
    m.site = site;
    m.unit = std::move(unit);
    m.account = account;
    m.role = role;
    m.valid_from = from;
    m.valid_until = until;
    m.schedule = schedule;
    m.created = now();
    m.granted_by = "system";
    const auto writing = changing();
    auto ok = insert_membership(db(), m);
    EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().message);
    return m;
  }

  std::vector<std::string> audit_types() {
    std::vector<std::string> out;
    auto entries = audit_.list({});
    EXPECT_TRUE(entries.ok());
    if (entries.ok())
      for (auto it = entries->rbegin(); it != entries->rend(); ++it)
        out.emplace_back(to_string(it->record.type));
    return out;
  }
  std::vector<notify::Message> messages_to(const std::string& account) {
    notify::MessageFilter filter;
    filter.account = account;
    auto list = outbox_.list(filter);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<notify::Message>{};
  }

 private:
  testsupport::MigratedStore store_;
  lockcore::ManualClock clock_;
  audit::AuditLog audit_;
  notify::Outbox outbox_;
  FakeAccounts accounts_;
  FakeLocks locks_;
  RecordingRemover remover_;
  Access access_;
  int puts_ = 0;
};

}  // namespace server::access::testing
