#include "scenario/steps.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <sodium.h>

#include "lockcore/signing.hpp"
#include "protocol/names.hpp"
#include "scenario/lockout_steps.hpp"
#include "server/access/roles.hpp"
#include "server/access/schedule.hpp"
#include "sim/fault.hpp"

namespace scenario {

namespace {

using lockcore::DoorOutcome;

constexpr lockcore::UnixMs kMotorMs = 5'000;  // long enough for any turn of the bolt to end

StepOutcome seen(Outcome o, std::string detail) {
  return {o, std::move(detail)};
}

template <class T>
server::Status status_of(const server::Result<T>& r) {
  if (!r) return server::fail(r.error());
  return {};
}

std::string bolt_name(lockcore::BoltState b) {
  return std::string(protocol::wire_name(b));
}

// After the bolt had its time to turn: in, jammed, or still shut.
Outcome_<StepOutcome> after_turn(World& world, const std::string& lock, std::string how,
                                 RunState& state, const std::string& who) {
  if (auto a = world.advance_to(world.now() + kMotorMs); !a) return lockcore::fail(a.error());
  auto view = world.fleet().inspect(lock);
  if (!view) return lockcore::fail(view.error().message);
  const lockcore::BoltState bolt = view->state.bolt;
  if (bolt == lockcore::BoltState::jammed) return seen(Outcome::jammed, "the bolt jammed");
  if (bolt != lockcore::BoltState::unlocked)
    return seen(Outcome::error, "the bolt is " + bolt_name(bolt));
  state.openings.push_back({who, lock, world.now(), std::move(how)});
  // In, she locks the door behind her: a push on the door while turning the thumb-turn.
  sim::SimLock* sim_lock = world.fleet().find_lock(lock);
  sim_lock->realign_door();
  sim_lock->turn_key(true);
  if (auto a = world.advance_to(world.now() + kMotorMs); !a) return lockcore::fail(a.error());
  return seen(Outcome::granted, "the door opened");
}

Outcome_<StepOutcome> door_result(World& world, RunState& state, const Step& step,
                                  const lockcore::AccessResult& r, std::string how) {
  switch (r.outcome) {
    case DoorOutcome::accepted:
      return after_turn(world, step.lock, std::move(how), state, step.who);
    case DoorOutcome::denied:
      if (r.reason == lockcore::DenyReason::jammed) return seen(Outcome::jammed, "denied: jammed");
      if (r.reason == lockcore::DenyReason::no_power) return seen(Outcome::no_power, "no power");
      if (r.reason == lockcore::DenyReason::keypad_disabled)
        return seen(Outcome::keypad_disabled, "keypad disabled");
      return seen(Outcome::denied, "denied: " + std::string(protocol::wire_name(r.reason)));
    case DoorOutcome::keypad_disabled:
      return seen(Outcome::keypad_disabled, "the keypad is disabled");
    case DoorOutcome::dark:
      return seen(Outcome::no_power, "the keypad stays dark");
    case DoorOutcome::fault:
      return seen(Outcome::error, "the keypad does not register keys");
    case DoorOutcome::busy:
      return seen(Outcome::error, "the bolt is already turning");
    case DoorOutcome::invalid:
      return seen(Outcome::error, "ignored by the lock");
  }
  return seen(Outcome::error, "unknown outcome");
}

// The app's or the console's unlock: the policy first, then the action attempt (the route's
// calls).
Outcome_<StepOutcome> unlock(World& world, RunState& state, const Step& step,
                             const std::string& account, std::string how) {
  server::Node& node = world.node();
  const std::string& site = world.scenario().site;
  auto allowed = node.access().policy().check(account, server::access::Action::operate_lock,
                                              {site, std::nullopt, step.lock}, world.now());
  if (!allowed) return from_status(allowed);
  auto done = world.await(node.devices().unlock(site, step.lock, "account:" + account));
  if (!done) return lockcore::fail(done.error());
  if (!*done) return from_status(server::Status(server::fail(done->error())));
  const server::devices::CommandResult& c = **done;
  if (c.status == server::devices::CommandStatus::succeeded) {
    state.openings.push_back({step.who, step.lock, world.now(), std::move(how)});
    sim::SimLock* sim_lock = world.fleet().find_lock(step.lock);
    if (auto a = world.advance_to(world.now() + kMotorMs); !a) return lockcore::fail(a.error());
    sim_lock->realign_door();
    sim_lock->turn_key(true);
    if (auto a = world.advance_to(world.now() + kMotorMs); !a) return lockcore::fail(a.error());
    return seen(Outcome::granted, "succeeded");
  }
  if (c.error == "jammed") return seen(Outcome::jammed, "failed: jammed");
  return seen(Outcome::error, fmt::format("{}: {}", server::devices::to_string(c.status), c.error));
}

// The app's Bluetooth path at the door: a digital key for the phone's own key pair (issued when
// the person's access operates the door now, as the app fetches it), the lock's challenge, the
// phone's signed answer. Works without the lock's network; refused by the firmware for a key of
// another epoch, a phone without Bluetooth permission never gets that far.
Outcome_<StepOutcome> bluetooth_unlock(World& world, RunState& state, const Step& step) {
  constexpr lockcore::UnixMs kKeyMs = 3'600'000;  // the key the app holds: good for an hour
  Phone* phone = world.phone(step.who, step.device);
  if (!phone) return seen(Outcome::error, "no such phone");
  if (!phone->bluetooth_allowed) return seen(Outcome::error, "Bluetooth permission is off");
  auto actor = world.actor_of(*phone);
  if (!actor) return seen(Outcome::error, "not signed in: " + describe(actor.error()));
  server::Node& node = world.node();
  const std::string& site = world.scenario().site;
  auto allowed = node.access().policy().check(actor->account, server::access::Action::operate_lock,
                                              {site, std::nullopt, step.lock}, world.now());
  if (!allowed) return from_status(allowed);
  auto key = node.devices().issue_key(site, step.lock, phone->public_key,
                                      {world.now(), world.now() + kKeyMs}, actor->audit_name());
  if (!key) return from_status(server::fail(key.error()));
  auto nonce = world.fleet().begin_bluetooth(step.lock);
  if (!nonce) return seen(Outcome::error, nonce.error().message);
  const lockcore::DigitalKeyGrant& grant = key->grant;
  const lockcore::BluetoothChallenge challenge{grant.site, grant.lock, grant.epoch, grant.id,
                                               *nonce};
  const lockcore::Signature response =
      lockcore::sign_bluetooth_response(challenge, phone->secret_key);
  auto r = world.fleet().bluetooth_unlock(step.lock, grant, response);
  if (!r) return seen(Outcome::error, r.error().message);
  return door_result(world, state, step, *r, "bluetooth");
}

Outcome_<StepOutcome> app_step(
    World& world, const Step& step,
    const std::function<server::Status(const server::identity::Actor&)>& act) {
  Phone* phone = world.phone(step.who, step.device);
  if (!phone) return seen(Outcome::error, "no such phone");
  auto actor = world.actor_of(*phone);
  if (!actor) return seen(Outcome::error, "not signed in: " + describe(actor.error()));
  return from_status(act(*actor));
}

// The membership of `person` for `unit` (nullopt: site-wide) that `actor` sees.
server::Result<std::string> membership_of(World& world, const std::string& actor,
                                          const std::string& person,
                                          const std::optional<std::string>& unit) {
  auto list = world.node().access().memberships().list(actor, world.scenario().site);
  if (!list) return server::fail(list.error());
  for (const auto& m : *list)
    if (m.account == world.account_of(person) && (!unit || m.unit == unit)) return m.id;
  return server::fail(server::Error::not_found("no such membership"));
}

Outcome_<StepOutcome> fault(World& world, RunState& state, const Step& step) {
  if (step.kind == "broker_restart") {
    if (auto r = world.restart_broker(); !r) return lockcore::fail(r.error());
    return seen(Outcome::granted, "restarted");
  }
  if (step.kind == "server_restart") {
    if (auto r = world.restart_server(); !r) return lockcore::fail(r.error());
    return seen(Outcome::granted, "restarted");
  }
  sim::Fault f;
  f.kind = *sim::fault_from_name(step.kind);
  f.lock = step.lock;
  f.hub = step.hub;
  f.pct = static_cast<std::uint8_t>(step.pct);
  f.version = step.version;
  auto applied = world.fleet().apply(f);
  if (!applied) return seen(Outcome::error, applied.error().message);
  if (f.kind == sim::FaultKind::wifi_change) state.wifi_changed.insert(step.lock);
  return seen(Outcome::granted, "applied");
}

}  // namespace

StepOutcome from_status(const server::Status& s) {
  if (s) return seen(Outcome::granted, "succeeded");
  const server::Errc c = s.error().code;
  const Outcome o = c == server::Errc::forbidden || c == server::Errc::not_found ? Outcome::denied
                                                                                 : Outcome::error;
  return seen(o, describe(s.error()));
}

std::string describe(const Step& step) {
  std::string out = fmt::format("+{}s {}", step.at / 1000, step.kind);
  for (const std::string* s : {&step.who, &step.target, &step.lock, &step.hub, &step.device})
    if (!s->empty()) out += " " + *s;
  return out;
}

Outcome_<StepOutcome> run_step(World& world, RunState& state, const Step& step) {
  if (step.fault) return fault(world, state, step);
  server::Node& node = world.node();
  const std::string& site = world.scenario().site;
  const std::string& k = step.kind;
  if (is_lockout_step(k)) return run_lockout_step(world, state, step);
  if (k == "advance") {
    if (auto a = world.advance_to(world.now() + step.duration); !a)
      return lockcore::fail(a.error());
    return seen(Outcome::granted, "time passed");
  }
  const std::string account = world.account_of(step.who);
  if (k == "enter_pin") {
    std::string pin = step.pin;
    if (pin == "{backup}") {
      auto it = state.backup_code.find(step.who);
      if (it == state.backup_code.end())
        return seen(Outcome::error, step.who + " has viewed no backup code");
      pin = it->second;
    }
    auto r = world.fleet().enter_pin(step.lock, pin);
    if (!r) return seen(Outcome::error, r.error().message);
    return door_result(world, state, step, *r, "keypad");
  }
  if (k == "turn_key") {
    const PersonDecl* p = world.scenario().find_person(step.who);
    if (std::find(p->keys.begin(), p->keys.end(), step.lock) == p->keys.end())
      return seen(Outcome::denied, step.who + " carries no key to " + step.lock);
    auto turned = world.fleet().turn_key(step.lock, false);
    if (!turned) return seen(Outcome::error, turned.error().message);
    if (!*turned) return seen(Outcome::jammed, "the key would not turn");
    // A mechanical key: no membership stands behind it, so it is no opening for the breach check.
    sim::SimLock* sim_lock = world.fleet().find_lock(step.lock);
    if (auto a = world.advance_to(world.now() + kMotorMs); !a) return lockcore::fail(a.error());
    sim_lock->turn_key(true);
    return seen(Outcome::granted, "the key turned");
  }
  if (k == "realign_door") {
    auto r = world.fleet().realign_door(step.lock);
    if (!r) return seen(Outcome::error, r.error().message);
    return seen(Outcome::granted, "realigned");
  }
  if (k == "app_unlock") {
    Phone* phone = world.phone(step.who, step.device);
    if (!phone) return seen(Outcome::error, "no such phone");
    auto actor = world.actor_of(*phone);
    if (!actor) return seen(Outcome::error, "not signed in: " + describe(actor.error()));
    return unlock(world, state, step, actor->account, "app");
  }
  if (k == "remote_unlock") return unlock(world, state, step, account, "remote");
  if (k == "bluetooth_unlock") return bluetooth_unlock(world, state, step);
  if (k == "sign_in") {
    const bool right = step.totp != "wrong" && !state.lost_mfa[step.who];
    auto in = world.sign_in(step.who, step.device, step.password, right);
    if (!in) return lockcore::fail(in.error());
    if (!*in) {
      const bool refused = in->error().code == server::Errc::unauthenticated;
      return seen(refused ? Outcome::denied : Outcome::error, describe(in->error()));
    }
    return seen(Outcome::granted, "signed in");
  }
  if (k == "sign_out") {
    return app_step(world, step, [&](const server::identity::Actor& a) {
      return node.identity().sessions().sign_out(a);
    });
  }
  if (k == "expire_session" || k == "reinstall_app" || k == "new_phone" || k == "deny_bluetooth") {
    Phone* phone = world.phone(step.who, step.device);
    if (k == "new_phone") {
      auto fresh = world.sign_in(step.who, step.device, "\x01 not the password", false);
      if (!fresh) return lockcore::fail(fresh.error());
      return seen(Outcome::granted, "a new phone, not signed in");
    }
    if (!phone) return seen(Outcome::error, "no such phone");
    if (k == "deny_bluetooth") {
      phone->bluetooth_allowed = false;
    } else if (k == "reinstall_app") {
      world.reinstall_app(*phone);
    } else {
      phone->access_token.clear();
      phone->refresh_token.clear();
    }
    return seen(Outcome::granted, "done on the phone");
  }
  if (k == "lose_mfa") {
    state.lost_mfa[step.who] = true;
    return seen(Outcome::granted, "the authenticator is gone");
  }
  if (k == "create_code" || k == "delete_code") {
    const bool own = step.target == step.who;
    const auto right =
        own ? server::access::Action::manage_own_codes : server::access::Action::manage_any_code;
    auto allowed =
        node.access().policy().check(account, right, {site, std::nullopt, step.lock}, world.now());
    if (!allowed) return from_status(allowed);
    const std::string credential = World::credential_id(step.target, step.lock);
    if (k == "delete_code")
      return from_status(node.devices().withdraw(site, step.lock, credential));
    server::devices::PinPlacement spec;
    spec.credential = credential;
    spec.pin = step.pin;
    spec.holder = world.audit_name(step.target);
    if (!step.schedule.empty()) spec.schedule = *server::access::parse_schedule(step.schedule);
    if (step.until) spec.window.not_after = world.start() + *step.until;
    return from_status(status_of(node.devices().place(site, step.lock, spec)));
  }
  if (k == "set_role" || k == "move_out") {
    const std::optional<std::string> unit =
        step.unit.empty() ? std::nullopt : std::optional<std::string>(step.unit);
    auto id = membership_of(world, account, step.target, unit);
    if (!id) return from_status(status_of(id));
    if (k == "move_out") return from_status(node.access().memberships().end(account, site, *id));
    return from_status(status_of(node.access().memberships().change_role(
        account, site, *id, *server::access::role_from(step.role))));
  }
  if (k == "move_in") {
    server::access::Grant grant;
    grant.role = server::access::Role::resident;
    grant.unit = step.unit;
    return from_status(status_of(
        node.access().memberships().grant(account, site, world.account_of(step.target), grant)));
  }
  if (k == "suspend") {
    return from_status(
        node.access().memberships().suspend(account, site, world.account_of(step.target)));
  }
  if (k == "transfer_ownership") {
    const PersonDecl* to = world.scenario().find_person(step.target);
    auto started = node.access().transfers().start(account, site, to->email);
    if (started) state.transfer[step.target] = started->id;
    return from_status(status_of(started));
  }
  if (k == "accept_transfer") {
    auto it = state.transfer.find(step.who);
    if (it == state.transfer.end()) return seen(Outcome::error, "no transfer was offered");
    return from_status(status_of(node.access().transfers().accept(account, it->second)));
  }
  return lockcore::fail(fmt::format("{} is not supported by this runner yet", k));
}

}  // namespace scenario
