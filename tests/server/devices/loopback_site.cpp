#include "tests/server/devices/loopback_site.hpp"

#include <boost/asio/post.hpp>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/sqlite_database.hpp"

namespace devicestest {

using server::devices::Devices;

std::vector<server::store::Migration> all_migrations() {
  std::vector<server::store::Migration> all;
  for (auto domain :
       {server::audit::migrations, server::notify::migrations, server::devices::migrations}) {
    auto list = domain();
    all.insert(all.end(), list.begin(), list.end());
  }
  return all;
}

server::devices::PinPlacement pin_code(std::string credential, std::string pin,
                                       std::string holder) {
  server::devices::PinPlacement p;
  p.credential = std::move(credential);
  p.pin = std::move(pin);
  p.holder = std::move(holder);
  return p;
}

// ---- the lock -------------------------------------------------------------------------------

namespace {

lockcore::LockConfig config_for(std::string_view site, std::string_view id, std::string_view code,
                                std::uint16_t slots) {
  lockcore::LockConfig c;
  [[maybe_unused]] bool ok = c.site.assign(site) && c.lock.assign(id);
  ok = c.firmware.assign("2.4.1");
  c.pin_slots = slots;
  c.pairing_code_key = lockcore::pairing_code_key(code);
  return c;
}

}  // namespace

LoopLock::LoopLock(LoopbackSite& site, std::string id, std::string pairing_code, std::uint64_t seed,
                   std::uint16_t slots)
    : site_(site),
      id_(std::move(id)),
      code_(std::move(pairing_code)),
      random_(seed),
      hw_(site.scheduler, random_, this),
      lock_(config_for(kSite, id_, code_, slots), site.scheduler, random_, hw_) {}

LoopLock::~LoopLock() {
  if (timer_ != 0) site_.scheduler.cancel(timer_);
}

void LoopLock::rearm() {
  if (timer_ != 0) site_.scheduler.cancel(timer_);
  timer_ = 0;
  const lockcore::UnixMs due = lock_.next_deadline();
  if (due == lockcore::kNever) return;
  timer_ = site_.scheduler.call_at(due, [this] {
    timer_ = 0;
    lock_.poll();
    rearm();
  });
}

bool LoopLock::send(std::string_view channel, std::string payload, bool retain) {
  if (!up_) return false;
  site_.to_server(std::string(protocol::kTopicRoot) + std::string(kSite) + "/" + id_ + "/" +
                      std::string(channel),
                  std::move(payload), retain);
  return true;
}

bool LoopLock::send_state(const lockcore::StateReport& state) {
  return send("state", protocol::encode(state), true);
}
bool LoopLock::send_event(const lockcore::Event& event) {
  return send("event", protocol::encode(event), false);
}
bool LoopLock::send_ack(const lockcore::CommandAck& ack) {
  acks.push_back(ack);
  return send("ack", protocol::encode(ack), false);
}
bool LoopLock::send_reported(const lockcore::ReportedShadow& reported) {
  return send("shadow/reported", protocol::encode(reported), true);
}

void LoopLock::set_link(bool up) {
  if (up == up_) return;
  hw_.set_link_up(up);
  const std::string status_topic = protocol::make_topic(kSite, id_, protocol::Channel::status);
  if (!up) {
    up_ = false;
    site_.to_server(status_topic, protocol::encode(protocol::DeviceStatus::offline), true);
    return;
  }
  up_ = true;
  site_.to_server(status_topic, protocol::encode(protocol::DeviceStatus::online), true);
  lock_.on_radio_connected();
  rearm();
  // The broker hands a (re)subscribing lock the retained desired shadow.
  auto it =
      site_.retained.find(protocol::make_topic(kSite, id_, protocol::Channel::shadow_desired));
  if (it != site_.retained.end()) {
    std::string payload = it->second;
    boost::asio::post(site_.io, [this, payload] {
      if (up_) receive("shadow/desired", payload);
    });
  }
}

void LoopLock::receive(std::string_view channel, std::string_view payload) {
  lockcore::DeviceId site, lock;
  [[maybe_unused]] bool ok = site.assign(kSite) && lock.assign(id_);
  if (channel == "cmd") {
    auto cmd = protocol::decode_command(payload, site, lock);
    ASSERT_TRUE(cmd) << cmd.error().message;
    ++commands_received;
    [[maybe_unused]] auto r = lock_.on_command(*cmd);
  } else if (channel == "shadow/desired") {
    auto desired = protocol::decode_desired_shadow(payload, site, lock);
    ASSERT_TRUE(desired) << desired.error().message;
    [[maybe_unused]] auto r = lock_.on_desired(*desired);
  }
  rearm();
}

// ---- the site -------------------------------------------------------------------------------

LoopbackSite::LoopbackSite() {
  options.test_publish = [this](std::string_view topic, std::string_view payload, bool retain) {
    return from_server(topic, payload, retain);
  };
  build_server();
}

LoopbackSite::~LoopbackSite() {
  devices.reset();
  locks_.clear();
}

void LoopbackSite::build_server() {
  auto second = server::store::open_sqlite(store.dir().file("latchkey.db"));
  if (!second) {
    ADD_FAILURE() << second.error().message;
    return;
  }
  devices = std::make_unique<Devices>(io, scheduler, store.db(), std::move(*second), audit_log,
                                      live, metrics, options);
  auto started = devices->start();
  ASSERT_TRUE(started) << started.error().message;
}

void LoopbackSite::restart_server() {
  devices.reset();
  settle();
  build_server();
  // The broker hands the new subscription every retained message.
  for (const auto& [topic, payload] : retained) {
    auto parsed = protocol::parse_topic(topic);
    if (parsed && parsed->channel != protocol::Channel::shadow_desired) {
      devices->receive(topic, payload, true);
    }
  }
  settle();
}

bool LoopbackSite::from_server(std::string_view topic, std::string_view payload, bool retain) {
  published.push_back({std::string(topic), std::string(payload), retain});
  if (drop_server_publishes) return true;  // taken, then lost
  if (retain) retained[std::string(topic)] = std::string(payload);
  auto parsed = protocol::parse_topic(topic);
  if (!parsed) return true;
  auto it = locks_.find(std::string(parsed->device.view()));
  if (it == locks_.end()) return true;
  LoopLock* lock = it->second.get();
  const std::string channel(protocol::info(parsed->channel).suffix);
  std::string body(payload);
  boost::asio::post(io, [lock, channel, body] {
    if (lock->link_up()) lock->receive(channel, body);
  });
  return true;
}

void LoopbackSite::to_server(std::string topic, std::string payload, bool retain) {
  if (retain) retained[topic] = payload;
  boost::asio::post(io, [this, topic = std::move(topic), payload = std::move(payload), retain] {
    if (devices) devices->receive(topic, payload, retain);
  });
}

LoopLock& LoopbackSite::add_lock(const std::string& id, server::devices::LockSpec spec) {
  const std::string code = "ABCDE-FGHIJ-" + std::to_string(1000 + next_seed_) + "-" + id;
  spec.site = std::string(kSite);
  spec.id = id;
  if (spec.name.empty()) spec.name = "Door " + id;
  auto added = devices->add_lock(spec, "account:acc_manager");
  EXPECT_TRUE(added) << added.error().message;
  auto lock = std::make_unique<LoopLock>(*this, id, code, next_seed_++, spec.slots);
  LoopLock& out = *lock;
  locks_[id] = std::move(lock);
  out.set_link(true);
  settle();
  return out;
}

void LoopbackSite::settle() {
  for (int i = 0; i < 100; ++i) {
    if (devices) devices->sync();
    io.restart();
    if (io.poll() == 0) {
      if (devices) devices->sync();
      io.restart();
      if (io.poll() == 0) return;
    }
  }
}

void LoopbackSite::advance(std::chrono::milliseconds by) {
  const lockcore::UnixMs target = scheduler.now() + by.count();
  settle();
  while (auto due = scheduler.next_due()) {
    if (*due > target) break;
    scheduler.advance_to(*due);
    settle();
  }
  scheduler.advance_to(target);
  settle();
}

void LoopbackSite::commission(const std::string& id) {
  auto done = run(
      devices->commission(std::string(kSite), id, lock(id).pairing_code(), "account:acc_manager"));
  ASSERT_TRUE(done) << done.error().message;
  settle();
}

std::vector<server::audit::Entry> LoopbackSite::audits(server::audit::AuditType type) {
  server::audit::Filter filter;
  filter.type = type;
  filter.limit = 1000;
  auto entries = audit_log.list(filter);
  EXPECT_TRUE(entries);
  return entries ? *entries : std::vector<server::audit::Entry>{};
}

}  // namespace devicestest
