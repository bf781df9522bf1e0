#pragma once
// A fleet on the virtual clock that never touches a broker: its locks are reached the way their
// radio would reach them (SimLock::receive with v1 JSON), so the firmware, the codec and the
// fault and door plumbing can be tested without Mosquitto. Wi-Fi locks and hubs exist (with
// made-up passwords) but are never started.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "protocol/codec.hpp"
#include "sim/fleet.hpp"
#include "tests/support/site_authority.hpp"
#include "transport/broker_config.hpp"

namespace simtest {

using namespace std::chrono_literals;

inline sim::FleetConfig offline_config(std::uint64_t seed = 42) {
  sim::FleetConfig config;
  config.site = "maple-court";
  config.seed = seed;
  config.virtual_clock = true;
  config.hubs = {{"hub-a"}};
  sim::LockSpec keypad_only;
  keypad_only.id = "u204";
  keypad_only.link = "none";
  sim::LockSpec behind_hub;
  behind_hub.id = "u205";
  behind_hub.link = "hub-a";
  sim::LockSpec on_wifi;
  on_wifi.id = "u206";
  sim::LockSpec bare;
  bare.id = "shed";
  bare.link = "none";
  bare.keypad = false;
  bare.bluetooth = false;
  bare.physical_key = false;
  config.locks = {keypad_only, behind_hub, on_wifi, bare};
  (void)config.credentials.add(transport::hub_login(config.site, "hub-a"), "not-a-real-password");
  (void)config.credentials.add(transport::lock_login(config.site, "u206"), "not-a-real-password");
  return config;
}

class OfflineFleet : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(make(offline_config())); }

  void make(sim::FleetConfig config) {
    auto created = sim::Fleet::create(io, std::move(config));
    ASSERT_TRUE(created) << created.error().message;
    fleet = std::move(*created);
  }

  sim::SimLock& lock(std::string_view id) { return *fleet->find_lock(id); }
  sim::LockView view(std::string_view id) {
    auto v = fleet->inspect(id);
    EXPECT_TRUE(v) << v.error().message;
    return v ? *v : sim::LockView{};
  }
  std::uint32_t epoch(std::string_view id) { return view(id).state.epoch; }

  void send_command(std::string_view id, const lockcore::Command& cmd) {
    lock(id).receive(protocol::Channel::cmd, protocol::encode(cmd));
  }
  void pair(std::string_view id) {
    send_command(id, authority.pair(id, *fleet->pairing_code(id), epoch(id), fleet->now()));
    ASSERT_TRUE(view(id).paired) << id;
  }
  void set_codes(std::string_view id, const std::vector<lockcore::PinCredential>& codes,
                 lockcore::Settings settings = {}) {
    auto d = authority.desired(id, ++version_, epoch(id), codes, settings);
    lock(id).receive(protocol::Channel::shadow_desired, protocol::encode(*d));
    ASSERT_EQ(view(id).shadow_version, version_) << id;
  }
  // Paired, with one code: 4831 in slot 1.
  void commission(std::string_view id) {
    ASSERT_NO_FATAL_FAILURE(pair(id));
    ASSERT_NO_FATAL_FAILURE(set_codes(id, {testsupport::SiteAuthority::code(1, "4831")}));
  }
  void run_for(std::chrono::milliseconds d) {
    auto advanced = fleet->advance_by(d, {1ms, 5s});
    ASSERT_TRUE(advanced) << advanced.error().message;
  }
  void apply(sim::FaultKind kind, std::string lock_id) {
    sim::Fault f;
    f.kind = kind;
    f.lock = std::move(lock_id);
    auto applied = fleet->apply(f);
    ASSERT_TRUE(applied) << applied.error().message;
  }
  std::size_t count(std::string_view id, lockcore::EventType type) {
    std::size_t n = 0;
    for (const auto& e : view(id).events)
      n += e.type == type ? 1 : 0;
    return n;
  }

  boost::asio::io_context io;
  std::unique_ptr<sim::Fleet> fleet;
  testsupport::SiteAuthority authority{"maple-court"};

 private:
  std::uint64_t version_ = 0;
};

}  // namespace simtest
