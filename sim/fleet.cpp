#include "sim/fleet.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "protocol/names.hpp"
#include "runtime/real_scheduler.hpp"
#include "sim/derive.hpp"
#include "transport/broker_config.hpp"

namespace sim {
namespace {

using SteadyClock = std::chrono::steady_clock;
namespace asio = boost::asio;

constexpr std::chrono::milliseconds kBusyPoll{1};

}  // namespace

// ---- construction -----------------------------------------------------------------------------

SimResult<std::unique_ptr<Fleet>> Fleet::create(asio::io_context& io, FleetConfig config) {
  if (auto valid = validate(config); !valid) return lockcore::fail(valid.error());
  auto missing = [&](const std::string& login) -> SimResult<std::unique_ptr<Fleet>> {
    return sim_fail(SimErrorCode::missing_credentials,
                    fmt::format("no broker password for login \"{}\" in the credentials", login));
  };
  for (const HubSpec& hub : config.hubs) {
    const std::string login = transport::hub_login(config.site, hub.id);
    if (!config.credentials.password_for(login)) return missing(login);
  }
  for (const LockSpec& lock : config.locks) {
    if (lock.link != kWifiLink) continue;
    const std::string login = transport::lock_login(config.site, lock.id);
    if (!config.credentials.password_for(login)) return missing(login);
  }
  return std::unique_ptr<Fleet>(new Fleet(io, std::move(config)));
}

Fleet::Fleet(asio::io_context& io, FleetConfig config) : io_(io), config_(std::move(config)) {
  if (config_.virtual_clock) {
    auto scheduler = std::make_unique<runtime::VirtualScheduler>(config_.start);
    virtual_ = scheduler.get();
    scheduler_ = std::move(scheduler);
  } else {
    scheduler_ = std::make_unique<runtime::RealScheduler>(io);
  }
  network_ = std::make_unique<Network>(io, config_.broker, std::move(config_.credentials));
  config_.credentials = {};
  context_ = std::make_unique<FleetContext>(
      FleetContext{lockcore::DeviceId::from(config_.site), config_.seed, *scheduler_, *network_});
  for (const HubSpec& hub : config_.hubs)
    hubs_.push_back(std::make_unique<SimHub>(*context_, hub.id));
  locks_.reserve(config_.locks.size());
  by_id_.reserve(config_.locks.size());
  for (const LockSpec& spec : config_.locks) {
    SimHub* hub = find_hub(spec.link);
    locks_.push_back(std::make_unique<SimLock>(*context_, spec, hub));
    if (hub != nullptr) hub->attach(*locks_.back());
    by_id_.emplace_back(locks_.back()->id(), locks_.back().get());
  }
  std::sort(by_id_.begin(), by_id_.end());
}

Fleet::~Fleet() {
  stop();
}

SimResult<void> Fleet::start() {
  for (auto& hub : hubs_) {
    if (auto started = hub->start(); !started) return started;
  }
  for (auto& lock : locks_) {
    if (auto started = lock->start(); !started) return started;
  }
  return {};
}

void Fleet::stop() {
  for (auto& lock : locks_)
    lock->stop();
  for (auto& hub : hubs_)
    hub->stop();
}

// ---- lookups ----------------------------------------------------------------------------------

SimLock* Fleet::find_lock(std::string_view id) const {
  auto it =
      std::lower_bound(by_id_.begin(), by_id_.end(), id,
                       [](const auto& entry, std::string_view key) { return entry.first < key; });
  return it != by_id_.end() && it->first == id ? it->second : nullptr;
}

SimHub* Fleet::find_hub(std::string_view id) const {
  for (const auto& hub : hubs_) {
    if (hub->id() == id) return hub.get();
  }
  return nullptr;
}

SimResult<SimLock*> Fleet::lock_for(std::string_view id) const {
  if (SimLock* lock = find_lock(id)) return lock;
  return sim_fail(SimErrorCode::unknown_lock,
                  fmt::format("no lock \"{}\" in site \"{}\"", id, config_.site));
}

SimResult<SimHub*> Fleet::hub_for(const Fault& fault) const {
  if (!fault.hub.empty()) {
    if (SimHub* hub = find_hub(fault.hub)) return hub;
    return sim_fail(SimErrorCode::unknown_hub,
                    fmt::format("no hub \"{}\" in site \"{}\"", fault.hub, config_.site));
  }
  auto lock = lock_for(fault.lock);
  if (!lock) return lockcore::fail(lock.error());
  if (SimHub* hub = (*lock)->hub()) return hub;
  return sim_fail(SimErrorCode::not_applicable,
                  fmt::format("{} needs a hub, and lock \"{}\" is not behind one (link \"{}\")",
                              fault_name(fault.kind), fault.lock, (*lock)->spec().link));
}

SimResult<std::string> Fleet::pairing_code(std::string_view lock) const {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  return sim::pairing_code(config_.seed, lock);
}

// ---- faults -----------------------------------------------------------------------------------

SimResult<void> Fleet::apply(const Fault& fault) {
  if (targets_hub(fault.kind)) {
    auto hub = hub_for(fault);
    if (!hub) return lockcore::fail(hub.error());
    return (*hub)->set_power(fault.kind == FaultKind::hub_up);
  }
  if (fault.lock.empty()) {
    return sim_fail(SimErrorCode::not_applicable,
                    fmt::format("{} happens to a lock, not to a hub", fault_name(fault.kind)));
  }
  auto lock = lock_for(fault.lock);
  if (!lock) return lockcore::fail(lock.error());
  return apply_to_lock(**lock, fault);
}

SimResult<void> Fleet::apply_to_lock(SimLock& lock, const Fault& fault) {
  using lockcore::model::ModelHardware;
  switch (fault.kind) {
    case FaultKind::jam:
    case FaultKind::clear_jam: {
      const bool on = fault.kind == FaultKind::jam;
      lock.change_world([on](ModelHardware& hw) { on ? hw.bolt().jam() : hw.bolt().clear_jam(); });
      return {};
    }
    case FaultKind::door_swell: {
      if (!(fault.probability >= 0.0F && fault.probability <= 1.0F)) {
        return sim_fail(SimErrorCode::invalid_argument, "door_swell probability must be 0..1");
      }
      const float p = fault.probability;
      lock.change_world([p](ModelHardware& hw) { hw.bolt().door_swell(p); });
      return {};
    }
    case FaultKind::clear_door_swell:
      lock.change_world([](ModelHardware& hw) { hw.bolt().clear_door_swell(); });
      return {};
    case FaultKind::battery: {
      if (fault.pct > 100) return sim_fail(SimErrorCode::invalid_argument, "pct must be 0..100");
      const std::uint8_t pct = fault.pct;
      lock.change_world([pct](ModelHardware& hw) { hw.battery().set_percent(pct); });
      return {};
    }
    case FaultKind::motor_fault:
    case FaultKind::clear_motor_fault: {
      const bool on = fault.kind == FaultKind::motor_fault;
      lock.change_world([on](ModelHardware& hw) { hw.bolt().set_motor_fault(on); });
      return {};
    }
    case FaultKind::keypad_fault:
    case FaultKind::clear_keypad_fault: {
      if (!lock.spec().keypad) {
        return sim_fail(SimErrorCode::not_applicable,
                        fmt::format("lock \"{}\" has no keypad", lock.id()));
      }
      const bool on = fault.kind == FaultKind::keypad_fault;
      lock.change_world([on](ModelHardware& hw) { hw.set_keypad_fault(on); });
      return {};
    }
    case FaultKind::lock_radio_down:
    case FaultKind::lock_radio_up:
      return lock.set_radio(fault.kind == FaultKind::lock_radio_up);
    case FaultKind::wifi_change:
      return lock.set_wifi_provisioned(false);
    case FaultKind::factory_reset: {
      auto reset = lock.factory_reset();
      if (!reset) {
        return sim_fail(SimErrorCode::refused,
                        fmt::format("lock \"{}\" refused the factory reset: {}", lock.id(),
                                    protocol::wire_name(reset.error())));
      }
      return {};
    }
    case FaultKind::firmware:
      if (!is_valid_firmware(fault.version)) {
        return sim_fail(SimErrorCode::invalid_argument,
                        "firmware version must be 1–16 characters of [A-Za-z0-9._+-]");
      }
      lock.set_firmware(lockcore::FirmwareVersion::from(fault.version));
      return {};
    case FaultKind::hub_down:
    case FaultKind::hub_up:
      break;  // handled by apply()
  }
  return sim_fail(SimErrorCode::not_applicable, "not a lock fault");
}

// ---- at the door ------------------------------------------------------------------------------

SimResult<lockcore::AccessResult> Fleet::enter_pin(std::string_view lock, std::string_view pin) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  return (*found)->enter_pin(pin);
}

SimResult<bool> Fleet::turn_key(std::string_view lock, bool to_locked) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  if (!(*found)->spec().physical_key) {
    return sim_fail(SimErrorCode::not_applicable,
                    fmt::format("lock \"{}\" has no key cylinder", lock));
  }
  return (*found)->turn_key(to_locked);
}

SimResult<void> Fleet::realign_door(std::string_view lock) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  (*found)->realign_door();
  return {};
}

SimResult<lockcore::Nonce> Fleet::begin_bluetooth(std::string_view lock) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  auto nonce = (*found)->begin_bluetooth();
  if (!nonce) {
    return sim_fail(SimErrorCode::refused, fmt::format("lock \"{}\" refused Bluetooth: {}", lock,
                                                       protocol::wire_name(nonce.error())));
  }
  return *nonce;
}

SimResult<lockcore::AccessResult> Fleet::bluetooth_unlock(std::string_view lock,
                                                          const lockcore::DigitalKeyGrant& grant,
                                                          const lockcore::Signature& response) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  return (*found)->bluetooth_unlock(grant, response);
}

SimResult<void> Fleet::provision_wifi(std::string_view lock) {
  auto found = lock_for(lock);
  if (!found) return lockcore::fail(found.error());
  return (*found)->set_wifi_provisioned(true);
}

// ---- inspection -------------------------------------------------------------------------------

SimResult<LockView> Fleet::inspect(std::string_view id) const {
  auto found = lock_for(id);
  if (!found) return lockcore::fail(found.error());
  SimLock& lock = **found;
  const lockcore::Lock& firmware = lock.firmware();
  lockcore::model::ModelHardware& hw = lock.hardware();
  LockView view;
  view.id = std::string(lock.id());
  view.link = lock.spec().link;
  view.radio_on = lock.radio_on();
  view.wifi_provisioned = lock.wifi_provisioned();
  view.link_up = lock.link_up();
  view.state = firmware.state();
  view.powered = firmware.powered();
  view.paired = firmware.paired();
  view.wrong_codes = firmware.wrong_code_count();
  view.display = hw.pattern();
  view.last_tone = hw.last_tone();
  view.beeps = hw.beeps();
  view.motor = hw.motor();
  view.bolt_position = hw.bolt().position();
  view.bolt_stuck = hw.bolt().jammed();
  view.events.assign(firmware.events().begin(), firmware.events().end());
  const lockcore::CredentialTable& table = firmware.credentials();
  for (std::uint16_t slot = 1; slot <= table.capacity(); ++slot) {
    if (table.occupied(slot)) view.credentials.push_back(table.at(slot));
  }
  view.shadow_version = firmware.reported().version;
  view.counters = lock.counters();
  return view;
}

SimResult<HubView> Fleet::inspect_hub(std::string_view id) const {
  Fault target;
  target.kind = FaultKind::hub_up;
  target.hub = std::string(id);
  auto found = hub_for(target);
  if (!found) return lockcore::fail(found.error());
  const SimHub& hub = **found;
  return HubView{std::string(hub.id()), hub.powered(), hub.connected(), hub.links(), hub.dropped()};
}

FleetSummary Fleet::summary() const {
  FleetSummary s;
  s.locks = locks_.size();
  s.hubs = hubs_.size();
  for (const auto& lock : locks_) {
    if (lock->link_up()) ++s.locks_linked;
    if (lock->link_kind() == LinkKind::wifi && lock->radio_on() && lock->wifi_provisioned()) {
      ++s.links_expected;
    }
  }
  for (const auto& hub : hubs_) {
    if (hub->connected()) ++s.hubs_connected;
    if (hub->powered()) ++s.links_expected;
  }
  s.now = now();
  s.virtual_clock = virtual_clock();
  s.net = network_->stats();
  return s;
}

// ---- time -------------------------------------------------------------------------------------

bool Fleet::network_busy() const {
  const NetStats& stats = network_->stats();
  const transport::ConnectGate& gate = network_->gate();
  return stats.in_flight != 0 || stats.pending_subacks != 0 || gate.connecting() != 0 ||
         gate.waiting() != 0;
}

void Fleet::wait_quiet(SteadyClock::time_point since, SettleOptions options,
                       SteadyClock::time_point deadline, SettleHandler done) {
  const auto now = SteadyClock::now();
  const auto anchor = std::max(since, network_->stats().last_activity);
  const bool busy = network_busy();
  if (!busy && now - anchor >= options.idle) {
    asio::post(io_, [done = std::move(done)] { done({}); });
    return;
  }
  if (now >= deadline) {
    const NetStats& s = network_->stats();
    std::string why = fmt::format(
        "the network was not quiet by the deadline ({} publishes unacknowledged, {} "
        "subscriptions unanswered, {} connecting)",
        s.in_flight, s.pending_subacks, network_->gate().connecting());
    asio::post(io_, [done = std::move(done), why = std::move(why)] {
      done(sim_fail(SimErrorCode::timeout, why));
    });
    return;
  }
  const auto wake = std::min(busy ? now + kBusyPoll : anchor + options.idle, deadline);
  auto timer = std::make_shared<asio::steady_timer>(io_, wake);
  timer->async_wait([this, alive = std::weak_ptr<bool>(alive_), timer, since, options, deadline,
                     done = std::move(done)](boost::system::error_code) mutable {
    if (alive.expired()) return;
    wait_quiet(since, options, deadline, std::move(done));
  });
}

void Fleet::settle_async(SettleOptions options, SettleHandler done) {
  const auto now = SteadyClock::now();
  wait_quiet(now, options, now + options.deadline, std::move(done));
}

void Fleet::advance_to_async(lockcore::UnixMs target, SettleOptions options, AdvanceHandler done) {
  auto refuse = [&](SimErrorCode code, std::string message) {
    asio::post(io_, [done = std::move(done), code, message = std::move(message)] {
      done(sim_fail(code, message));
    });
  };
  if (virtual_ == nullptr)
    return refuse(SimErrorCode::not_virtual, "the fleet runs on the real clock");
  if (advancing_) return refuse(SimErrorCode::busy, "the clock is already being advanced");
  advancing_ = true;
  advance_step(target, options, AdvanceReport{virtual_->now(), 0}, SteadyClock::now(),
               std::move(done));
}

void Fleet::advance_step(lockcore::UnixMs target, SettleOptions options, AdvanceReport report,
                         SteadyClock::time_point since, AdvanceHandler done) {
  const auto deadline = SteadyClock::now() + options.deadline;
  wait_quiet(since, options, deadline,
             [this, alive = std::weak_ptr<bool>(alive_), target, options, report,
              done = std::move(done)](SimResult<void> quiet) mutable {
               if (alive.expired()) return;
               if (!quiet) {
                 advancing_ = false;
                 return done(sim_fail(
                     SimErrorCode::timeout,
                     fmt::format("{} at virtual time {}", quiet.error().message, virtual_->now())));
               }
               const auto next = virtual_->next_due();
               if (next && *next <= target) {
                 report.timers_run += virtual_->advance_to(*next);
                 // Only what those timers did can still be on its way: no wait from now.
                 return advance_step(target, options, report, SteadyClock::time_point::min(),
                                     std::move(done));
               }
               virtual_->advance_to(target);
               report.now = virtual_->now();
               advancing_ = false;
               done(report);
             });
}

template <class T>
SimResult<T> Fleet::run_io(const std::function<void(std::function<void(SimResult<T>)>)>& start) {
  std::optional<SimResult<T>> result;
  start([&result](SimResult<T> r) { result.emplace(std::move(r)); });
  auto guard = asio::make_work_guard(io_);
  while (!result) {
    if (io_.stopped()) io_.restart();
    io_.run_one();
  }
  return std::move(*result);
}

SimResult<void> Fleet::settle(SettleOptions options) {
  return run_io<void>([&](SettleHandler done) { settle_async(options, std::move(done)); });
}

SimResult<AdvanceReport> Fleet::advance_to(lockcore::UnixMs target, SettleOptions options) {
  return run_io<AdvanceReport>(
      [&](AdvanceHandler done) { advance_to_async(target, options, std::move(done)); });
}

SimResult<AdvanceReport> Fleet::advance_by(std::chrono::milliseconds delta, SettleOptions options) {
  return advance_to(now() + delta.count(), options);
}

}  // namespace sim
