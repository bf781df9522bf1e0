// Keypad codes on locks: checked against the lock before anything is sent, pending until the lock
// reports them set, removing until it reports them gone; re-sent with backoff when lost, and when
// a lock or its hub comes back, without anyone doing anything.

#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::Errc;
using server::audit::AuditType;
using server::devices::CredentialStatus;
using server::devices::PinPlacement;

class Placements : public LoopbackSite {
 protected:
  CredentialStatus status(const std::string& lock, const std::string& credential) {
    auto p = devices->placement(kSite, lock, credential);
    EXPECT_TRUE(p) << credential;
    return p ? p->status : CredentialStatus::failed;
  }
  lockcore::DoorOutcome enter(const std::string& lock_id, std::string pin) {
    auto r =
        lock(lock_id).with_firmware([&](lockcore::Lock& l, auto&) { return l.enter_pin(pin); });
    advance(3s);  // let the bolt turn back if it opened
    lock(lock_id).with_firmware(
        [](lockcore::Lock&, lockcore::model::ModelHardware& hw) { return hw.turn_key(true); });
    settle();
    return r.outcome;
  }
};

TEST_F(Placements, ACodeIsPendingThenSetAndWorksThenRemovingThenRemoved) {
  add_lock("u204");
  commission("u204");
  auto placed = devices->place(kSite, "u204", pin_code("cred_ana", "4831"));
  ASSERT_TRUE(placed) << placed.error().message;
  EXPECT_EQ(placed->status, CredentialStatus::pending);
  EXPECT_EQ(placed->slot, 6);  // 1..5 hold the backup pool
  settle();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::set);
  EXPECT_EQ(enter("u204", "4831"), lockcore::DoorOutcome::accepted);
  auto set = audits(AuditType::credential_set);
  ASSERT_FALSE(set.empty());
  EXPECT_NE(set[0].record.detail.find("cred_ana"), std::string::npos);

  // The same again is no change.
  const std::size_t before = published.size();
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  EXPECT_EQ(published.size(), before);

  ASSERT_TRUE(devices->withdraw(kSite, "u204", "cred_ana"));
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::removing);
  settle();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::removed);
  EXPECT_EQ(audits(AuditType::credential_removed).size(), 1u);
  EXPECT_EQ(enter("u204", "4831"), lockcore::DoorOutcome::denied);
  // Its slot is free again.
  auto next = devices->place(kSite, "u204", pin_code("cred_lee", "9047"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->slot, 6);
}

TEST_F(Placements, EveryConstraintIsCheckedBeforeAnythingIsSent) {
  server::devices::LockSpec small;
  small.slots = 3;
  small.backup_pool = 1;
  small.pin_max = 6;
  add_lock("u204", small);
  commission("u204");
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  const std::size_t before = published.size();

  struct Case {
    PinPlacement spec;
    Errc code;
    std::string field;
  };
  PinPlacement ended = pin_code("cred_x", "1111");
  ended.window = {kStart - 10'000, kStart - 1};
  PinPlacement backwards = pin_code("cred_x", "1111");
  backwards.window = {kStart + 10'000, kStart + 5'000};
  PinPlacement bad_schedule = pin_code("cred_x", "1111");
  bad_schedule.schedule = {0b11111, 17 * 60, 8 * 60};
  PinPlacement backup = pin_code("cred_x", "1111");
  backup.kind = lockcore::CredentialKind::backup;
  const Case cases[] = {
      {pin_code("cred_x", "12a4"), Errc::invalid_field, "pin"},
      {pin_code("cred_x", "123"), Errc::invalid_field, "pin"},
      {pin_code("cred_x", "123456789"), Errc::invalid_field, "pin"},
      {pin_code("cred_x", "1234567"), Errc::invalid_field, "pin"},  // this lock takes at most 6
      {pin_code("cred_x", "4831"), Errc::conflict, "pin"},          // cred_ana's PIN
      {pin_code("x'; DROP TABLE device_placements; --", "1111"), Errc::invalid_field, "credential"},
      {pin_code("cred_ana", "5555"), Errc::conflict, "credential"},
      {ended, Errc::invalid_field, "window"},
      {backwards, Errc::invalid_field, "window"},
      {bad_schedule, Errc::invalid_field, "schedule"},
      {backup, Errc::invalid_field, "kind"},
  };
  for (const Case& c : cases) {
    auto placed = devices->place(kSite, "u204", c.spec);
    ASSERT_FALSE(placed) << c.spec.credential << " " << c.spec.pin;
    EXPECT_EQ(placed.error().code, c.code) << placed.error().message;
    EXPECT_EQ(placed.error().field, c.field) << placed.error().message;
  }
  EXPECT_EQ(published.size(), before);

  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_lee", "9047")));
  auto full = devices->place(kSite, "u204", pin_code("cred_kim", "7312"));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::conflict);
  EXPECT_EQ(full.error().field, "slot");

  auto elsewhere = devices->place("other-site", "u204", pin_code("cred_x", "1111"));
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, Errc::not_found);
  server::devices::LockSpec no_keypad;
  no_keypad.keypad = false;
  no_keypad.backup_pool = 0;
  add_lock("gate", no_keypad);
  auto keypadless = devices->place(kSite, "gate", pin_code("cred_x", "1111"));
  ASSERT_FALSE(keypadless);
  EXPECT_EQ(keypadless.error().code, Errc::conflict);
}

TEST_F(Placements, ACodeForAnOfflineLockStaysPendingAndIsSetWhenItComesBack) {
  add_lock("u204");
  commission("u204");
  lock("u204").set_link(false);
  settle();
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  advance(10min);
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::pending);
  lock("u204").set_link(true);
  settle();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::set);
}

TEST_F(Placements, ACodeBehindADownHubIsSetWhenTheHubIsBackWithoutAnyoneDoingAnything) {
  ASSERT_TRUE(devices->add_hub({std::string(kSite), "hub-1", "Hub"}, "account:acc_manager"));
  auto hub_status = [&](protocol::DeviceStatus s) {
    devices->receive(protocol::make_topic(kSite, "hub-1", protocol::Channel::status),
                     protocol::encode(s), true);
    settle();
  };
  hub_status(protocol::DeviceStatus::online);
  server::devices::LockSpec spec;
  spec.link = "hub-1";
  add_lock("u205", spec);
  commission("u205");
  hub_status(protocol::DeviceStatus::offline);
  lock("u205").set_link(false);  // the hub relays nothing while it is down
  settle();
  ASSERT_TRUE(devices->place(kSite, "u205", pin_code("cred_ana", "4831")));
  advance(1min);
  EXPECT_EQ(status("u205", "cred_ana"), CredentialStatus::pending);
  lock("u205").set_link(true);
  hub_status(protocol::DeviceStatus::online);
  advance(1s);
  EXPECT_EQ(status("u205", "cred_ana"), CredentialStatus::set);
}

TEST_F(Placements, ALostShadowIsPublishedAgainWithBackoffUntilTheLockConfirmsIt) {
  add_lock("u204");
  commission("u204");
  drop_server_publishes = true;
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  const std::uint64_t first = devices->health(kSite, "u204")->desired_version;
  advance(1s);
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::pending);
  advance(30s);
  const std::uint64_t later = devices->health(kSite, "u204")->desired_version;
  EXPECT_GT(later, first + 1);   // several retries, each a new version
  EXPECT_LT(later, first + 10);  // with backoff, not a retry storm
  drop_server_publishes = false;
  advance(2min);
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::set);
  EXPECT_TRUE(devices->health(kSite, "u204")->in_sync);
  const std::size_t settled = published.size();
  advance(30min);
  // In sync: nothing more is sent.
  std::size_t shadows_since = 0;
  for (std::size_t i = settled; i < published.size(); ++i) {
    if (published[i].topic.ends_with("shadow/desired")) ++shadows_since;
  }
  EXPECT_EQ(shadows_since, 0u);
}

TEST_F(Placements, AServerRestartWithCodesPendingEndsWithEveryCodeSet) {
  add_lock("u204");
  commission("u204");
  lock("u204").set_link(false);
  settle();
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_lee", "9047")));
  ASSERT_TRUE(devices->withdraw(kSite, "u204", "cred_lee"));
  restart_server();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::pending);
  EXPECT_EQ(status("u204", "cred_lee"), CredentialStatus::removing);
  lock("u204").set_link(true);
  settle();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::set);
  EXPECT_EQ(status("u204", "cred_lee"), CredentialStatus::removed);
}

TEST_F(Placements, AFanOutReportsItsProgressPerCredential) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back("u" + std::to_string(200 + i));
    add_lock(ids.back());
    commission(ids.back());
  }
  lock("u203").set_link(false);
  settle();
  std::vector<std::string> fanout = ids;
  fanout.push_back("u999");
  auto outcomes = devices->place_many(kSite, fanout, pin_code("cred_staff", "2468"));
  ASSERT_TRUE(outcomes);
  ASSERT_EQ(outcomes->size(), 6u);
  EXPECT_TRUE((*outcomes)[0].placement);
  EXPECT_EQ((*outcomes)[5].error->code, Errc::not_found);
  settle();
  auto progress = devices->progress(kSite, "cred_staff");
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->locks, 5u);
  EXPECT_EQ(progress->set, 4u);
  EXPECT_EQ(progress->pending, 1u);
  lock("u203").set_link(true);
  settle();
  EXPECT_EQ(devices->progress(kSite, "cred_staff")->set, 5u);

  auto removed = devices->withdraw_everywhere(kSite, "cred_staff");
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 5u);
  settle();
  EXPECT_EQ(devices->progress(kSite, "cred_staff")->removed, 5u);
}

// What progress() says, counted from the store's rows instead.
server::devices::FanoutProgress counted(server::devices::Devices& devices,
                                        const std::string& credential) {
  auto rows = devices.placements_of(kSite, credential);
  EXPECT_TRUE(rows);
  if (!rows) return {};
  auto n = [&](CredentialStatus status) {
    return static_cast<std::size_t>(std::count_if(
        rows->begin(), rows->end(), [&](const auto& row) { return row.status == status; }));
  };
  return {rows->size(),
          n(CredentialStatus::pending),
          n(CredentialStatus::set),
          n(CredentialStatus::failed),
          n(CredentialStatus::removing),
          n(CredentialStatus::removed)};
}

void expect_progress(server::devices::Devices& devices, const std::string& credential,
                     const server::devices::FanoutProgress& want) {
  auto p = devices.progress(kSite, credential);
  ASSERT_TRUE(p);
  auto totals = [](const server::devices::FanoutProgress& t) {
    return std::tuple(t.locks, t.pending, t.set, t.failed, t.removing, t.removed);
  };
  EXPECT_EQ(totals(*p), totals(want));
  // And the store agrees: the totals are kept, not guessed.
  EXPECT_EQ(totals(*p), totals(counted(devices, credential)));
}

TEST_F(Placements, FanOutTotalsStayRightThroughEveryChangeARePlacedCodeAndARestart) {
  std::vector<std::string> ids{"u200", "u201", "u202"};
  for (const std::string& id : ids) {
    add_lock(id);
    commission(id);
  }
  lock("u202").set_link(false);
  settle();
  ASSERT_TRUE(devices->place_many(kSite, ids, pin_code("cred_staff", "2468")));
  expect_progress(*devices, "cred_staff", {3, 3, 0, 0, 0, 0});  // asked once: counted
  settle();
  expect_progress(*devices, "cred_staff", {3, 1, 2, 0, 0, 0});  // then kept as locks report

  ASSERT_TRUE(devices->withdraw(kSite, "u200", "cred_staff"));
  expect_progress(*devices, "cred_staff", {3, 1, 1, 0, 1, 0});
  settle();
  expect_progress(*devices, "cred_staff", {3, 1, 1, 0, 0, 1});

  // Placed again where it was removed: the model had forgotten the row, the store had not.
  ASSERT_TRUE(devices->place(kSite, "u200", pin_code("cred_staff", "2468")));
  expect_progress(*devices, "cred_staff", {3, 2, 1, 0, 0, 0});
  lock("u202").set_link(true);
  settle();
  expect_progress(*devices, "cred_staff", {3, 0, 3, 0, 0, 0});

  restart_server();
  expect_progress(*devices, "cred_staff", {3, 0, 3, 0, 0, 0});
  auto removed = devices->withdraw_everywhere(kSite, "cred_staff");
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 3u);
  expect_progress(*devices, "cred_staff", {3, 0, 0, 0, 3, 0});
  settle();
  expect_progress(*devices, "cred_staff", {3, 0, 0, 0, 0, 3});
  expect_progress(*devices, "cred_nobody", {0, 0, 0, 0, 0, 0});
}

// The last desired shadow `lock` was sent, as the server published it.
std::string last_desired(const std::vector<LoopbackSite::Published>& published,
                         const std::string& lock) {
  const std::string topic = protocol::make_topic(kSite, lock, protocol::Channel::shadow_desired);
  for (auto it = published.rbegin(); it != published.rend(); ++it) {
    if (it->topic == topic) return it->payload;
  }
  ADD_FAILURE() << "nothing published for " << lock;
  return {};
}

TEST_F(Placements, AReportOvertakenByARetrySettlesTheCodeButOneOfOlderContentDoesNot) {
  add_lock("u204");
  commission("u204");
  const std::size_t audited = audits(AuditType::credential_set).size();  // the backup pool's
  drop_server_publishes = true;  // every shadow from here on is lost on the way...
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
  const std::string first = last_desired(published, "u204");
  const std::uint64_t version = devices->health(kSite, "u204")->desired_version;
  advance(10s);  // the backoff ran out: the same content again, under a new version
  ASSERT_GT(devices->health(kSite, "u204")->desired_version, version);
  // ...until the first one arrives late: the lock applies and reports it.
  lock("u204").receive("shadow/desired", first);
  settle();
  EXPECT_EQ(status("u204", "cred_ana"), CredentialStatus::set);
  EXPECT_TRUE(devices->health(kSite, "u204")->in_sync);
  EXPECT_EQ(audits(AuditType::credential_set).size(), audited + 1);

  // Content changed since a version: a late report of it settles nothing.
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_lee", "5927")));
  const std::string with_lee = last_desired(published, "u204");
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_kim", "6130")));
  lock("u204").receive("shadow/desired", with_lee);
  settle();
  EXPECT_EQ(status("u204", "cred_lee"), CredentialStatus::pending);
  EXPECT_EQ(status("u204", "cred_kim"), CredentialStatus::pending);
  EXPECT_FALSE(devices->health(kSite, "u204")->in_sync);
  drop_server_publishes = false;
  advance(2min);
  EXPECT_EQ(status("u204", "cred_lee"), CredentialStatus::set);
  EXPECT_EQ(status("u204", "cred_kim"), CredentialStatus::set);
}

TEST_F(Placements, BackupCodesAreHandedOutOnceAuditedWhenUsedAndRotated) {
  struct Recorder : server::devices::Observer {
    void on_lock_event(const server::devices::LockEventInfo& e) override { events.push_back(e); }
    std::vector<server::devices::LockEventInfo> events;
  } recorder;
  devices->add_observer(&recorder);
  add_lock("u204");
  commission("u204");
  auto taken = devices->take_backup_code(kSite, "u204", "account:acc_ana");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->pin.size(), 8u);
  auto second = devices->take_backup_code(kSite, "u204", "account:acc_lee");
  ASSERT_TRUE(second);
  EXPECT_NE(second->pin, taken->pin);
  EXPECT_EQ(audits(AuditType::backup_code_issued).size(), 2u);
  for (const auto& e : audits(AuditType::backup_code_issued)) {
    EXPECT_EQ(e.record.detail.find(taken->pin), std::string::npos);  // never the PIN itself
  }

  // It works with the lock offline.
  lock("u204").set_link(false);
  settle();
  EXPECT_EQ(enter("u204", taken->pin), lockcore::DoorOutcome::accepted);
  auto deferred = devices->rotate_backup_codes(kSite, "u204");
  ASSERT_TRUE(deferred);
  EXPECT_FALSE(*deferred);
  EXPECT_EQ(status("u204", taken->credential), CredentialStatus::set);

  lock("u204").set_link(true);
  settle();
  auto used = audits(AuditType::backup_code_used);
  ASSERT_EQ(used.size(), 1u);
  EXPECT_NE(used[0].record.detail.find(taken->credential), std::string::npos);
  bool heard = false;
  for (const auto& e : recorder.events) {
    heard = heard || (e.event.source == lockcore::AccessSource::backup_code &&
                      e.credential == taken->credential);
  }
  EXPECT_TRUE(heard);
  // The deferred rotation ran when the lock came back: both issued codes are gone, the pool is
  // full again.
  EXPECT_EQ(status("u204", taken->credential), CredentialStatus::removed);
  EXPECT_EQ(status("u204", second->credential), CredentialStatus::removed);
  std::size_t available = 0;
  auto pool = devices->placements_on(kSite, "u204");
  ASSERT_TRUE(pool);
  for (const auto& p : *pool) {
    if (p.kind == lockcore::CredentialKind::backup && p.status == CredentialStatus::set &&
        !p.issued) {
      ++available;
    }
  }
  EXPECT_EQ(available, 5u);
  EXPECT_EQ(enter("u204", taken->pin), lockcore::DoorOutcome::denied);
  devices->remove_observer(&recorder);
}

}  // namespace
}  // namespace devicestest
