#pragma once
// A lock on the bench: the firmware over the model hardware, a manual clock, a seeded random
// source, a radio that records what the lock sends, and the server's keys to pair it and to sign
// commands, shadows and digital keys.

#include <algorithm>
#include <memory>
#include <vector>

#include "lockcore/lock.hpp"
#include "lockcore/model/model_hardware.hpp"
#include "lockcore/signing.hpp"

namespace lockcore::testing {

// 2026-01-01T00:00:00Z, a Thursday.
inline constexpr UnixMs kStart = 1'767'225'600'000;
inline constexpr UnixMs kSecond = 1000;
inline constexpr UnixMs kMinute = 60 * kSecond;
inline constexpr UnixMs kHour = 60 * kMinute;

class RecordingRadio final : public model::RadioLink {
 public:
  bool send_state(const StateReport& s) override { return keep(states, s); }
  bool send_event(const Event& e) override { return keep(events, e); }
  bool send_ack(const CommandAck& a) override { return keep(acks, a); }
  bool send_reported(const ReportedShadow& r) override { return keep(reported, r); }

  void clear() {
    states.clear();
    events.clear();
    acks.clear();
    reported.clear();
  }

  std::vector<StateReport> states;
  std::vector<Event> events;
  std::vector<CommandAck> acks;
  std::vector<ReportedShadow> reported;
  bool accept = true;

 private:
  template <class T>
  bool keep(std::vector<T>& list, const T& item) {
    if (accept) list.push_back(item);
    return accept;
  }
};

inline PinCredential code(std::uint16_t slot, std::string_view digits,
                          CredentialKind kind = CredentialKind::pin) {
  PinCredential c;
  c.slot = slot;
  c.kind = kind;
  [[maybe_unused]] bool ok = Pin::parse(digits, c.pin);
  return c;
}

inline CommandId command_id(std::uint32_t n) {
  CommandId id{};
  for (std::size_t i = 0; i < 4; ++i)
    id[i] = static_cast<std::uint8_t>(n >> (8 * i));
  id[15] = 0xC0;
  return id;
}

class LockHarness {
 public:
  explicit LockHarness(model::ModelParams params = {}, LockConfig overrides = default_config())
      : hw(clock, random, &radio, params),
        site(make_signing_keypair(random)),
        server(make_kx_keypair(random)),
        config(overrides) {
    lock = std::make_unique<Lock>(config, clock, random, hw);
  }

  static LockConfig default_config() {
    LockConfig c;
    c.site = DeviceId::from("maple-court");
    c.lock = DeviceId::from("u204");
    c.firmware = FirmwareVersion::from("2.4.1");
    c.pairing_code_key = pairing_code_key("K7QD-2M9F-XW4P-HT6A-J3RB-N8ZC");
    return c;
  }

  // ---- the server's side

  Command unsigned_command(CommandOp op, UnixMs lifetime = kMinute) {
    Command cmd;
    cmd.site = config.site;
    cmd.lock = config.lock;
    cmd.id = command_id(++next_command_);
    cmd.op = op;
    cmd.issued = clock.now();
    cmd.expires = clock.now() + lifetime;
    return cmd;
  }
  Command command(CommandOp op, UnixMs lifetime = kMinute) {
    Command cmd = unsigned_command(op, lifetime);
    cmd.sig = sign_command(cmd, site.secret_key);
    return cmd;
  }
  Command pair_command() {
    Command cmd = unsigned_command(CommandOp::pair);
    cmd.pair.site_key = site.public_key;
    cmd.pair.server_kx = server.public_key;
    cmd.pair.epoch = lock->epoch();
    cmd.sig = sign_pair_command(cmd, config.pairing_code_key);
    return cmd;
  }
  bool pair() { return lock->on_command(pair_command()).ok(); }

  std::unique_ptr<DesiredShadow> shadow(std::vector<PinCredential> credentials,
                                        std::uint64_t version = 0, Settings settings = {}) {
    auto d = std::make_unique<DesiredShadow>();
    d->site = config.site;
    d->lock = config.lock;
    d->version = version != 0 ? version : ++shadow_version_;
    shadow_version_ = std::max(shadow_version_, d->version);
    d->epoch = lock->epoch();
    for (const PinCredential& c : credentials) {
      [[maybe_unused]] bool ok = d->credentials.push_back(c);
    }
    d->settings = settings;
    d->sig = sign_shadow(*d, site.secret_key);
    return d;
  }
  void resign(DesiredShadow& d) { d.sig = sign_shadow(d, site.secret_key); }
  bool set_codes(std::vector<PinCredential> credentials, Settings settings = {}) {
    return lock->on_desired(*shadow(std::move(credentials), 0, settings)).ok();
  }

  // ---- time

  // Moves the clock forward by `ms`, polling at every deadline the lock names on the way.
  void run_for(UnixMs ms) {
    const UnixMs target = clock.now() + ms;
    for (;;) {
      const UnixMs due = lock->next_deadline();
      if (due > target) break;
      clock.set(std::max(due, clock.now()));
      lock->poll();
    }
    clock.set(target);
  }
  // Lets a turn finish (or fail) and the motor stop.
  void settle() { run_for(5 * kSecond); }

  // ---- what the lock said

  std::size_t count(EventType type) const {
    return static_cast<std::size_t>(std::count_if(lock->events().begin(), lock->events().end(),
                                                  [&](const Event& e) { return e.type == type; }));
  }
  const Event* last(EventType type) const {
    const Event* found = nullptr;
    for (const Event& e : lock->events()) {
      if (e.type == type) found = &e;
    }
    return found;
  }
  std::vector<Event> log() const { return {lock->events().begin(), lock->events().end()}; }

  ManualClock clock{kStart};
  SeededRandom random{42};
  RecordingRadio radio;
  model::ModelHardware hw;
  SigningKeyPair site;
  KxKeyPair server;
  LockConfig config;
  std::unique_ptr<Lock> lock;

 private:
  std::uint32_t next_command_ = 0;
  std::uint64_t shadow_version_ = 0;
};

}  // namespace lockcore::testing
