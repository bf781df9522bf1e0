// Lock events: stored once each whatever the broker or the lock repeats, acknowledged to the lock
// only once durable, audited with who it was, and none lost across a server restart.

#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace devicestest {
namespace {

using namespace std::chrono_literals;
using server::audit::AuditType;

class Events : public LoopbackSite {
 protected:
  void SetUp() override {
    add_lock("u204");
    commission("u204");
    ASSERT_TRUE(devices->place(kSite, "u204", pin_code("cred_ana", "4831")));
    settle();
  }
  void enter(std::string pin) {
    lock("u204").with_firmware([&](lockcore::Lock& l, auto&) { return l.enter_pin(pin); });
    advance(3s);
  }
  // Every number the lock has assigned is stored exactly once.
  void expect_all_stored_once() {
    const std::uint32_t last = lock("u204").firmware().state().event_seq;
    auto stored = devices->events(kSite, "u204", 0, 10'000);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->size(), last);
    for (std::uint32_t i = 0; i < last; ++i)
      EXPECT_EQ((*stored)[i].event.seq, i + 1);
    EXPECT_EQ(*devices->event_numbers_stored(kSite, "u204"), last);
  }
};

TEST_F(Events, AKeypadUnlockIsStoredAuditedWithItsHolderAndAcknowledgedToTheLock) {
  enter("4831");
  settle();
  auto unlocked = audits(AuditType::unlocked);
  ASSERT_EQ(unlocked.size(), 1u);
  EXPECT_NE(unlocked[0].record.detail.find("\"credential\":\"cred_ana\""), std::string::npos);
  EXPECT_NE(unlocked[0].record.detail.find("\"holder\":\"account:acc_ana\""), std::string::npos);
  expect_all_stored_once();
  // The lock has forgotten them: they are safe on the server.
  EXPECT_TRUE(lock("u204").firmware().events().empty());
}

TEST_F(Events, DuplicatesFromTheBrokerAreDroppedAndCounted) {
  enter("0000");  // a wrong code: unlock_denied
  settle();
  auto stored = devices->events(kSite, "u204", 0, 100);
  ASSERT_TRUE(stored);
  const lockcore::Event last = stored->back().event;
  const std::string payload = protocol::encode(last);
  for (int i = 0; i < 3; ++i)
    devices->receive(protocol::make_topic(kSite, "u204", protocol::Channel::event), payload);
  settle();
  EXPECT_EQ(devices->stats().events_duplicate, 3u);
  EXPECT_EQ(audits(AuditType::unlock_denied).size(), 1u);
  expect_all_stored_once();
}

TEST_F(Events, EventsKeptWhileOfflineAreResentAfterReconnectAndStoredOnce) {
  lock("u204").set_link(false);
  settle();
  for (int i = 0; i < 4; ++i)
    enter("0000");  // four wrong codes while offline
  enter("4831");
  EXPECT_FALSE(lock("u204").firmware().events().empty());
  lock("u204").set_link(true);
  settle();
  // And once more, as a lock whose acknowledgement was lost would.
  lock("u204").set_link(false);
  lock("u204").set_link(true);
  settle();
  expect_all_stored_once();
  EXPECT_EQ(audits(AuditType::unlock_denied).size(), 4u);
  EXPECT_TRUE(lock("u204").firmware().events().empty());
}

TEST_F(Events, AServerRestartLosesNothingAndAuditsNothingTwice) {
  enter("0000");
  settle();
  restart_server();
  enter("4831");
  settle();
  lock("u204").set_link(false);
  lock("u204").set_link(true);
  settle();
  expect_all_stored_once();
  EXPECT_EQ(audits(AuditType::unlock_denied).size(), 1u);
  EXPECT_EQ(audits(AuditType::unlocked).size(), 1u);
}

TEST_F(Events, HardwareEventsAreAuditedAndReachObservers) {
  struct Recorder : server::devices::Observer {
    void on_lock_event(const server::devices::LockEventInfo& e) override {
      types.push_back(e.event.type);
    }
    std::vector<lockcore::EventType> types;
  } recorder;
  devices->add_observer(&recorder);
  lock("u204").hardware().bolt().jam();
  enter("4831");
  lock("u204").hardware().bolt().clear_jam();
  enter("4831");
  settle();
  EXPECT_EQ(audits(AuditType::jammed).size(), 1u);
  EXPECT_EQ(audits(AuditType::jam_cleared).size(), 1u);
  EXPECT_NE(std::find(recorder.types.begin(), recorder.types.end(), lockcore::EventType::jammed),
            recorder.types.end());
  devices->remove_observer(&recorder);
}

}  // namespace
}  // namespace devicestest
