#pragma once
// A site for devices tests without a broker: a real Devices on a migrated SQLite store and a
// virtual clock, and real lock firmware (lockcore::Lock over lockcore::model::ModelHardware)
// wired to it in-process. What the server publishes reaches the lock, and what the lock sends
// reaches Devices::receive(), each asynchronously (posted on the io_context) as a broker would
// deliver it, with retained messages kept per topic. Links can be cut and restored.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "lockcore/lock.hpp"
#include "lockcore/model/model_hardware.hpp"
#include "runtime/virtual_scheduler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/devices/devices.hpp"
#include "server/devices/migrations.hpp"
#include "server/http/metrics.hpp"
#include "server/live/bus.hpp"
#include "server/notify/outbox.hpp"
#include "tests/support/migrated_store.hpp"

namespace devicestest {

inline constexpr lockcore::UnixMs kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
inline constexpr std::string_view kSite = "maple-court";

std::vector<server::store::Migration> all_migrations();

// A keypad code for Ana (or whoever `holder` names).
server::devices::PinPlacement pin_code(std::string credential, std::string pin,
                                       std::string holder = "account:acc_ana");

class LoopbackSite;

// One lock's firmware and hardware, its link to the site.
class LoopLock final : public lockcore::model::RadioLink {
 public:
  LoopLock(LoopbackSite& site, std::string id, std::string pairing_code, std::uint64_t seed,
           std::uint16_t slots);
  ~LoopLock() override;

  const std::string& id() const { return id_; }
  const std::string& pairing_code() const { return code_; }
  lockcore::Lock& firmware() { return lock_; }
  lockcore::model::ModelHardware& hardware() { return hw_; }

  // The lock's radio: down publishes status offline (as the broker's will would), up publishes
  // status online and then everything on_radio_connected() sends, then delivers the retained
  // desired shadow.
  void set_link(bool up);
  bool link_up() const { return up_; }
  // A call into the firmware (a door action, a fault), then its timer re-armed.
  template <class F>
  auto with_firmware(F&& f) {
    auto result = f(lock_, hw_);
    rearm();
    return result;
  }
  void receive(std::string_view channel_suffix, std::string_view payload);

  // RadioLink
  bool send_state(const lockcore::StateReport& state) override;
  bool send_event(const lockcore::Event& event) override;
  bool send_ack(const lockcore::CommandAck& ack) override;
  bool send_reported(const lockcore::ReportedShadow& reported) override;

  std::vector<lockcore::CommandAck> acks;  // every ack the lock sent
  std::size_t commands_received = 0;

 private:
  void rearm();
  bool send(std::string_view channel, std::string payload, bool retain);

  LoopbackSite& site_;
  std::string id_;
  std::string code_;
  lockcore::SeededRandom random_;
  lockcore::model::ModelHardware hw_;
  lockcore::Lock lock_;
  runtime::TimerId timer_ = 0;
  bool up_ = false;
};

class LoopbackSite : public ::testing::Test {
 public:
  LoopbackSite();
  ~LoopbackSite() override;

  // A lock registered with the server (not commissioned) and its firmware, link up.
  LoopLock& add_lock(const std::string& id, server::devices::LockSpec spec = {});
  LoopLock& lock(const std::string& id) { return *locks_.at(id); }

  // Builds the server anew on the same store (a server restart); the locks stay.
  void restart_server();

  // Runs posted work until nothing is left (and the batch writer has committed).
  void settle();
  // Advances the virtual clock, settling after each due timer.
  void advance(std::chrono::milliseconds by);

  // Runs `task` to completion, advancing the clock in steps of `step` while it waits (and letting
  // real time pass for work done off the io thread).
  template <class T>
  T run(boost::asio::awaitable<T> task,
        std::chrono::milliseconds step = std::chrono::milliseconds(100), int max_steps = 1000) {
    std::optional<T> out;
    boost::asio::co_spawn(
        io,
        [&out, t = std::move(task)]() mutable -> boost::asio::awaitable<void> {
          out.emplace(co_await std::move(t));
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    settle();
    for (int i = 0; i < max_steps && !out; ++i) {
      advance(step);
      // Some work finishes on a thread of its own (identity hashes passwords on a pool) and posts
      // back in real time, which a busy machine stretches: give it a moment before the next step.
      if (!out) {
        io.restart();
        io.run_one_for(std::chrono::milliseconds(1));
      }
    }
    if (!out) {
      ADD_FAILURE() << "the task did not finish";
      std::abort();
    }
    return std::move(*out);
  }

  // Commissions `id` with its label's code; asserts it worked.
  void commission(const std::string& id);
  // Audit entries of `type`, newest first.
  std::vector<server::audit::Entry> audits(server::audit::AuditType type);

  // A published message as the "broker" saw it.
  struct Published {
    std::string topic;
    std::string payload;
    bool retain;
  };
  std::vector<Published> published;
  std::map<std::string, std::string> retained;  // topic -> payload (both directions)
  bool drop_server_publishes = false;           // the broker loses what the server sends

  boost::asio::io_context io;
  runtime::VirtualScheduler scheduler{kStart};
  testsupport::MigratedStore store{all_migrations()};
  server::http::Registry metrics;
  server::live::Bus live;
  server::audit::AuditLog audit_log{store.db(), scheduler};
  std::unique_ptr<server::devices::Devices> devices;
  server::devices::DevicesOptions options;

 private:
  friend class LoopLock;
  void build_server();
  bool from_server(std::string_view topic, std::string_view payload, bool retain);
  void to_server(std::string topic, std::string payload, bool retain);

  std::map<std::string, std::unique_ptr<LoopLock>> locks_;
  std::uint64_t next_seed_ = 1;
};

}  // namespace devicestest
