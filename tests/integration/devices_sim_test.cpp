// The devices domain against the real simulator through a real Mosquitto with the protocol's ACL:
// commissioning, action attempts and their outcomes, keypad codes through the shadow (also behind
// a hub that goes down), forged and replayed commands, a factory reset and re-enrollment, and the
// event log's promise across a broker restart and a server restart (none lost, none twice).

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/integration/devices_site.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/site_authority.hpp"

namespace devicesim {
namespace {

using lockcore::BoltState;
using lockcore::DoorOutcome;
using server::Errc;
using server::audit::AuditType;
using server::devices::CommandStatus;
using server::devices::CredentialStatus;
using server::devices::Reachability;

class DevicesOnSim : public DevicesSite {
 protected:
  sim::Fault fault(sim::FaultKind kind, std::string lock, std::string hub = {}) {
    sim::Fault f;
    f.kind = kind;
    f.lock = std::move(lock);
    f.hub = std::move(hub);
    return f;
  }
  void apply(const sim::Fault& f) {
    auto applied = fleet->apply(f);
    ASSERT_TRUE(applied) << applied.error().message;
    settle();
  }
  bool reachable(std::string_view lock) {
    auto h = devices->health(kSite, lock);
    return h && h->reachability == Reachability::online;
  }
  bool all_set(std::string_view lock) {
    auto on = devices->placements_on(kSite, lock);
    if (!on) return false;
    for (const auto& p : *on) {
      if (p.status != CredentialStatus::set) return false;
    }
    return true;
  }
};

TEST_F(DevicesOnSim, ASimulatedLockIsCommissionedAndUnlockedConfirmedByTheLock) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));
  EXPECT_TRUE(fleet->inspect("u204")->paired);
  EXPECT_EQ(audits(AuditType::lock_commissioned).size(), 1u);
  // Its backup pool went out with its first shadow and is on the lock.
  EXPECT_TRUE(run_until([&] { return all_set("u204"); }));
  EXPECT_EQ(fleet->inspect("u204")->credentials.size(), 2u);

  auto unlocked = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_TRUE(unlocked) << unlocked.error().message;
  EXPECT_EQ(unlocked->status, CommandStatus::succeeded);
  EXPECT_TRUE(unlocked->confirmed_by_device);
  EXPECT_EQ(unlocked->bolt, BoltState::unlocked);
  settle();
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::unlocked);
  // The lock's own unlocked event, stored, audited with the requester's command, acknowledged.
  EXPECT_TRUE(run_until([&] { return fleet->inspect("u204")->events.empty(); }));
  EXPECT_EQ(stored_events("u204"), lock_event_seq("u204"));
  const auto entries = audits(AuditType::unlocked);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(audits(AuditType::unlock_requested).size(), 1u);
}

TEST_F(DevicesOnSim, AJammedLockFailsWithItsOwnErrorAndAnOfflineOneIsRefusedAtOnce) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));

  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::jam, "u204")));
  auto jammed = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_TRUE(jammed) << jammed.error().message;
  EXPECT_EQ(jammed->status, CommandStatus::failed);
  EXPECT_EQ(jammed->error, "jammed");
  EXPECT_TRUE(jammed->confirmed_by_device);
  EXPECT_EQ(audits(AuditType::command_failed).size(), 1u);
  EXPECT_TRUE(run_until([&] { return devices->health(kSite, "u204")->jammed; }));

  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::clear_jam, "u204")));
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_down, "u204")));
  ASSERT_TRUE(run_until([&] { return !reachable("u204"); }));
  const BoltState bolt = fleet->inspect("u204")->state.bolt;  // where the jam left it
  const auto before = devices->commands(kSite, "u204")->size();
  const auto requested = audits(AuditType::unlock_requested).size();
  auto refused = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_NE(refused.error().message.find("offline"), std::string::npos) << refused.error().message;
  // Nothing was written or sent, and nothing waits to be sent when the lock comes back.
  EXPECT_EQ(devices->commands(kSite, "u204")->size(), before);
  EXPECT_EQ(audits(AuditType::unlock_requested).size(), requested);
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_up, "u204")));
  ASSERT_TRUE(run_until([&] { return reachable("u204"); }));
  run_for(5s);
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, bolt);
}

TEST_F(DevicesOnSim, ForgedAndReplayedCommandsAreRefusedByTheLockAndRecorded) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));
  // Someone else with the right to publish commands, who sees the server's and has another key.
  auto intruder = intruder_on("u204");
  publish_forged_unlock(*intruder, "u204");
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::locked);
  auto refused = audits(AuditType::command_refused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].record.detail.find("bad_signature"), std::string::npos)
      << refused[0].record.detail;
  const auto refused_before = devices->stats().refused;

  // The server's own unlock, seen on the wire, sent again byte for byte after the door is locked.
  auto unlocked = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_TRUE(unlocked);
  ASSERT_EQ(unlocked->status, CommandStatus::succeeded);
  ASSERT_TRUE(*fleet->turn_key("u204", true));
  ASSERT_TRUE(replay_command(*intruder, "u204", unlocked->id));
  settle();
  run_for(2s);
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::locked);
  // Refused by the lock as replayed: counted, and (within the audit window of the forgery) its
  // audit entry is folded into the next one rather than flooding the log.
  EXPECT_EQ(devices->stats().refused, refused_before + 1);
  EXPECT_EQ(audits(AuditType::command_refused).size(), 1u);
  // The action attempt's outcome is the lock's first answer, not the replay's.
  EXPECT_EQ(devices->command(kSite, unlocked->id)->status, CommandStatus::succeeded);
}

TEST_F(DevicesOnSim, ACodeIsSetWorksAtTheDoorAndIsRemovedAgain) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));
  auto placed = devices->place(kSite, "u204", pin_code("cred-ana", "482913"));
  ASSERT_TRUE(placed) << placed.error().message;
  EXPECT_EQ(placed->status, CredentialStatus::pending);
  ASSERT_TRUE(run_until([&] { return status_of("u204", "cred-ana") == CredentialStatus::set; }));
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::accepted);
  ASSERT_TRUE(run_until([&] { return !audits(AuditType::unlocked).empty(); }));
  EXPECT_NE(audits(AuditType::unlocked)[0].record.detail.find("cred-ana"), std::string::npos);

  ASSERT_TRUE(devices->withdraw(kSite, "u204", "cred-ana"));
  EXPECT_EQ(status_of("u204", "cred-ana"), CredentialStatus::removing);
  ASSERT_TRUE(
      run_until([&] { return status_of("u204", "cred-ana") == CredentialStatus::removed; }));
  run_for(10s);  // the keypad's relock and any cool-down
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::denied);
  EXPECT_EQ(audits(AuditType::credential_set).size(), 3u);  // two backup codes and Ana's
  EXPECT_EQ(audits(AuditType::credential_removed).size(), 1u);
}

TEST_F(DevicesOnSim, ACodeBehindADownHubStaysPendingAndIsSetOnceTheHubIsBackUnasked) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u301", "hub-a")}, {{"hub-a"}})));
  ASSERT_NO_FATAL_FAILURE(commission("u301"));
  ASSERT_TRUE(run_until([&] { return all_set("u301"); }));

  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::hub_down, "", "hub-a")));
  ASSERT_TRUE(run_until([&] { return !reachable("u301"); }));
  EXPECT_NE(devices->health(kSite, "u301")->offline_reason.find("hub-a"), std::string::npos);
  ASSERT_TRUE(devices->place(kSite, "u301", pin_code("cred-ben", "771204")));
  run_for(60s);
  EXPECT_EQ(status_of("u301", "cred-ben"), CredentialStatus::pending);
  EXPECT_EQ(audits(AuditType::hub_offline).size(), 1u);

  const auto online_before = audits(AuditType::hub_online).size();
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::hub_up, "", "hub-a")));
  ASSERT_TRUE(run_until([&] { return status_of("u301", "cred-ben") == CredentialStatus::set; }));
  EXPECT_EQ(fleet->enter_pin("u301", "771204")->outcome, DoorOutcome::accepted);
  EXPECT_EQ(audits(AuditType::hub_online).size(), online_before + 1);
}

TEST_F(DevicesOnSim, AFactoryResetIsNoticedAndReenrollmentSetsEveryCodeAgain) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));
  ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred-ana", "482913")));
  ASSERT_TRUE(run_until([&] { return all_set("u204"); }));
  const std::uint32_t epoch = devices->lock(kSite, "u204")->epoch;

  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::factory_reset, "u204")));
  ASSERT_TRUE(run_until([&] { return devices->lock(kSite, "u204")->needs_reenroll; }));
  EXPECT_EQ(audits(AuditType::lock_epoch_changed).size(), 1u);
  EXPECT_EQ(status_of("u204", "cred-ana"), CredentialStatus::pending);
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::denied);
  auto refused = run(devices->unlock(std::string(kSite), "u204", "account:acc_ana"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::conflict);

  auto reenrolled = run(devices->reenroll(std::string(kSite), "u204", std::string(kManager)));
  ASSERT_TRUE(reenrolled) << reenrolled.error().message;
  EXPECT_TRUE(reenrolled->paired);
  EXPECT_NE(reenrolled->epoch, epoch);
  ASSERT_TRUE(run_until([&] { return all_set("u204"); }));
  run_for(10s);
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::accepted);
  EXPECT_EQ(audits(AuditType::lock_reenrolled).size(), 1u);
}

TEST_F(DevicesOnSim, BrokerRestartAndServerRestartMidSyncLoseNoEventAndDoubleNone) {
  ASSERT_NO_FATAL_FAILURE(
      start(site_config({lock_spec("u201"), lock_spec("u202"), lock_spec("u203")})));
  const std::vector<std::string> locks{"u201", "u202", "u203"};
  for (const auto& l : locks)
    ASSERT_NO_FATAL_FAILURE(commission(l));
  for (const auto& l : locks)
    ASSERT_TRUE(run_until([&] { return all_set(l); }));

  // Codes placed and events made; the broker restarts before anything settles.
  for (const auto& l : locks) {
    ASSERT_TRUE(devices->place(kSite, l, pin_code("cred-ana", "482913")));
    ASSERT_TRUE(*fleet->turn_key(l, false));
    ASSERT_TRUE(*fleet->turn_key(l, true));
  }
  auto restarted = broker->process().restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  for (const auto& l : locks)
    ASSERT_TRUE(*fleet->turn_key(l, false));  // while the broker was away
  ASSERT_TRUE(wait_for([&] {
    const sim::FleetSummary s = fleet->summary();
    return devices->broker_connected() && s.net.links_up == s.links_expected;
  }));

  // More codes, and the server dies before the locks confirm them; a new one starts on the store.
  for (const auto& l : locks)
    ASSERT_TRUE(devices->place(kSite, l, pin_code("cred-ben", "771204")));
  stop_server();
  for (const auto& l : locks)
    ASSERT_TRUE(*fleet->turn_key(l, true));  // while no server listens
  run_for(3s);
  ASSERT_NO_FATAL_FAILURE(start_server());

  for (const auto& l : locks) {
    ASSERT_TRUE(run_until([&] { return all_set(l); })) << l;
    EXPECT_EQ(status_of(l, "cred-ana"), CredentialStatus::set);
    EXPECT_EQ(status_of(l, "cred-ben"), CredentialStatus::set);
    EXPECT_EQ(fleet->inspect(l)->credentials.size(), 4u) << l;  // two backups, Ana's, Ben's
    if (!run_until([&] { return fleet->inspect(l)->events.empty(); })) {
      std::string held, stored;
      const auto view = fleet->inspect(l);
      const auto got = devices->events(kSite, l, 0, 1000);
      if (view)
        for (const auto& e : view->events)
          held += std::to_string(e.seq) + " ";
      if (got)
        for (const auto& e : *got)
          stored += std::to_string(e.event.seq) + " ";
      FAIL() << l << " lock seq " << lock_event_seq(l) << " held: " << held
             << " stored: " << stored;
    }
    // Every number the lock assigned is stored exactly once (the key is (site, lock, seq)).
    EXPECT_EQ(stored_events(l), lock_event_seq(l)) << l;
    auto events = devices->events(kSite, l, 0, 1000);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->size(), lock_event_seq(l)) << l;  // no gap records either
  }
  // paired, then per lock 2 x (locked, unlocked): each audited once.
  EXPECT_EQ(audits(AuditType::unlocked).size(), 2 * locks.size());
  EXPECT_EQ(audits(AuditType::locked).size(), 2 * locks.size());
}

TEST_F(DevicesOnSim, EventsKeptWhileOfflineAreResentAfterReconnectAndStoredOnce) {
  ASSERT_NO_FATAL_FAILURE(start(site_config({lock_spec("u204")})));
  ASSERT_NO_FATAL_FAILURE(commission("u204"));
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_down, "u204")));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(*fleet->turn_key("u204", false));
    ASSERT_TRUE(*fleet->turn_key("u204", true));
  }
  EXPECT_GE(fleet->inspect("u204")->events.size(), 6u);
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_up, "u204")));
  // The server's own connection drops too: the lock resends to a server that reconnects.
  devices->drop_broker_connection();
  ASSERT_TRUE(wait_for([&] { return devices->broker_connected(); }));
  ASSERT_TRUE(run_until([&] { return fleet->inspect("u204")->events.empty(); }));
  // A second radio cycle makes the lock resend nothing: everything was acknowledged.
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_down, "u204")));
  ASSERT_NO_FATAL_FAILURE(apply(fault(sim::FaultKind::lock_radio_up, "u204")));
  run_for(5s);
  EXPECT_EQ(stored_events("u204"), lock_event_seq("u204"));
  EXPECT_EQ(audits(AuditType::unlocked).size(), 3u);
  EXPECT_EQ(audits(AuditType::locked).size(), 3u);
}

}  // namespace
}  // namespace devicesim
