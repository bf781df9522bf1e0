// The virtual clock: days pass in milliseconds, and the same seed with the same inputs at the same
// virtual times gives the same locks, event by event; another seed gives other locks.

#include <gtest/gtest.h>

#include "protocol/equal.hpp"
#include "tests/sim/offline_fleet.hpp"

namespace simtest {
namespace {

using lockcore::EventType;

// One run of a small scripted week: commissioning, codes, people at the door, faults.
class ScriptedWeek : public OfflineFleet {
 public:
  void TestBody() override {}
  void script(std::uint64_t seed) {
    make(offline_config(seed));
    for (const char* id : {"u204", "u205"}) {
      pair(id);
      set_codes(id,
                {testsupport::SiteAuthority::code(1, "4831"),
                 testsupport::SiteAuthority::code(2, "90210")},
                {5, 60, 0, 30});
    }
    sim::Fault swell;
    swell.kind = sim::FaultKind::door_swell;
    swell.lock = "u204";
    swell.probability = 0.5F;  // drawn from the lock's own random stream
    ASSERT_TRUE(fleet->apply(swell));
    for (int day = 0; day < 7; ++day) {
      for (int visit = 0; visit < 6; ++visit) {
        (void)fleet->enter_pin("u204", visit % 3 == 0 ? "1111" : "4831");
        (void)fleet->enter_pin("u205", "90210");
        run_for(std::chrono::minutes(20 + 7 * visit));
      }
      run_for(std::chrono::hours(20));
    }
  }
  std::vector<lockcore::Event> events(std::string_view id) { return view(id).events; }
  sim::LockView lock_view(std::string_view id) { return view(id); }
  lockcore::UnixMs now() const { return fleet->now(); }
  std::string code(std::string_view id) const { return *fleet->pairing_code(id); }
};

std::vector<lockcore::Event> all_events(ScriptedWeek& run) {
  auto a = run.events("u204");
  auto b = run.events("u205");
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Determinism, SameSeedSameInputsSameLocksEventByEvent) {
  ScriptedWeek first;
  ASSERT_NO_FATAL_FAILURE(first.script(7));
  ScriptedWeek second;
  ASSERT_NO_FATAL_FAILURE(second.script(7));

  const auto a = all_events(first);
  const auto b = all_events(second);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(protocol::equal(a[i], b[i]))
        << "event " << i << ": " << protocol::encode(a[i]) << " vs " << protocol::encode(b[i]);
  }
  for (const char* id : {"u204", "u205", "u206"}) {
    EXPECT_EQ(protocol::encode(first.lock_view(id).state),
              protocol::encode(second.lock_view(id).state));
  }
  EXPECT_EQ(first.now(), second.now());
  // The week really happened: jams from the swollen door, wrong codes, auto-relocks.
  std::size_t jams = 0, relocks = 0;
  for (const auto& e : a) {
    jams += e.type == EventType::jammed ? 1 : 0;
    relocks += e.source == lockcore::AccessSource::auto_relock ? 1 : 0;
  }
  EXPECT_GT(jams, 0u);
  EXPECT_GT(relocks, 0u);
}

TEST(Determinism, AnotherSeedGivesOtherLocks) {
  ScriptedWeek first;
  ASSERT_NO_FATAL_FAILURE(first.script(7));
  ScriptedWeek other;
  ASSERT_NO_FATAL_FAILURE(other.script(8));
  EXPECT_NE(first.lock_view("u204").state.epoch, other.lock_view("u204").state.epoch);
  EXPECT_NE(first.code("u204"), other.code("u204"));
  EXPECT_NE(protocol::encode(first.lock_view("u204").state),
            protocol::encode(other.lock_view("u204").state));
}

TEST_F(OfflineFleet, ThirtyDaysPassInAFewHundredMilliseconds) {
  const auto start = std::chrono::steady_clock::now();
  const lockcore::UnixMs t0 = fleet->now();
  auto advanced = fleet->advance_by(std::chrono::hours(24 * 30), {1ms, 5s});
  ASSERT_TRUE(advanced) << advanced.error().message;
  EXPECT_EQ(advanced->now, t0 + 30LL * 24 * 3600 * 1000);
  EXPECT_GE(advanced->timers_run, 4u * 24 * 30);  // every lock's hourly battery sample
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST_F(OfflineFleet, ATurnAcrossTheHourlyBatterySampleDoesNotStallTheClock) {
  commission("u204");
  // The firmware samples the battery hourly from its construction; start a turn just before.
  run_for(std::chrono::milliseconds(3'600'000 - 500));
  const lockcore::UnixMs before = fleet->now();
  (void)fleet->enter_pin("u204", "4831");
  run_for(5s);
  EXPECT_EQ(fleet->now(), before + 5000);
  EXPECT_EQ(view("u204").state.bolt, lockcore::BoltState::unlocked);
}

TEST_F(OfflineFleet, AdvancingIsOnlyForTheVirtualClock) {
  sim::FleetConfig config = offline_config();
  config.virtual_clock = false;
  make(config);
  auto refused = fleet->advance_by(1s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, sim::SimErrorCode::not_virtual);
}

}  // namespace
}  // namespace simtest
