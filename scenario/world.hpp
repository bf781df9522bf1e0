#pragma once
// One scenario run's world: a real Mosquitto (the protocol's ACL logins), the simulated site
// (sim::Fleet on a virtual clock), and the real server (server::Node) on the fleet's clock and
// the same io_context, built from the file: the site with its time zone, units, hubs and locks
// (registered and commissioned), the people (accounts, MFA, memberships granted by the site's
// owner, phones enrolled and signed in, codes placed and `set`). Set-up runs in the ten virtual
// minutes before the scenario's time zero.
//
// The broker and the server can be restarted; the server comes back on the same database.
// Single-threaded: everything runs on the caller's thread, which runs the io_context.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "lockcore/result.hpp"
#include "scenario/model.hpp"
#include "server/identity/actor.hpp"
#include "server/node/node.hpp"
#include "sim/fleet.hpp"
#include "transport/broker_process.hpp"

namespace scenario {

template <class T>
using Outcome_ = lockcore::Result<T, std::string>;

// An error as one line: "forbidden (field): message".
std::string describe(const server::Error& e);

// One enrolled app on a person's phone: its key pair and its session's tokens.
struct Phone {
  std::string person;
  std::string name;       // as the scenario names it
  std::string device_id;  // identity's "dev_…"
  std::array<std::uint8_t, 32> public_key{};
  std::array<std::uint8_t, 64> secret_key{};
  std::string access_token, refresh_token;
  bool bluetooth_allowed = true;
  int installs = 0;  // reinstalls of the app: each makes a new key pair
  // Every simulated phone runs app 5.8: current for firmware 2.x (the default), older than
  // firmware 3.x needs, and no app speaks 1.x (server/lockout/firmware_support.hpp).
  std::string app_version = "5.8.0";
};

class World {
 public:
  static Outcome_<std::unique_ptr<World>> open(const Scenario& scenario);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const Scenario& scenario() const { return scenario_; }
  server::Node& node() { return *node_; }
  sim::Fleet& fleet() { return *fleet_; }
  boost::asio::io_context& io() { return io_; }
  lockcore::UnixMs now() const { return fleet_->now(); }
  lockcore::UnixMs start() const { return scenario_.start; }

  // The network quiet, the server's writes committed, posted work run.
  Outcome_<void> settle();
  // Advances the virtual clock to `at` (Unix ms), settling at every due timer.
  Outcome_<void> advance_to(lockcore::UnixMs at);

  // Runs `task` to completion: settling, then letting virtual time pass in small steps while it
  // waits (a command's deadline, a hash on the hasher's thread).
  template <class T>
  Outcome_<T> await(boost::asio::awaitable<T> task) {
    auto out = std::make_shared<std::optional<T>>();
    boost::asio::co_spawn(
        io_,
        [out, t = std::move(task)]() mutable -> boost::asio::awaitable<void> {
          out->emplace(co_await std::move(t));
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    if (auto waited = wait_for([&] { return out->has_value(); }); !waited)
      return lockcore::fail(waited.error());
    return std::move(**out);
  }
  // Settles, then advances in 100 ms steps until `done` (at most 2 virtual minutes).
  Outcome_<void> wait_for(const std::function<bool()>& done);

  // People.
  const std::string& account_of(const std::string& person) const { return accounts_.at(person); }
  std::string audit_name(const std::string& person) const {
    return "account:" + account_of(person);
  }
  Phone* phone(const std::string& person, const std::string& device);
  // The actor a phone's app acts as now: its access token, refreshed when it has expired, as the
  // app does. Errors: the identity domain's (the session ended, the account suspended).
  server::Result<server::identity::Actor> actor_of(Phone& phone);
  // Signs `person` in on `device` (a new phone is enrolled after its first sign-in) with the
  // password and, when MFA is on, a TOTP code computed from the secret (`right_code`) or a wrong
  // one. Errors: the identity domain's.
  Outcome_<server::Result<void>> sign_in(const std::string& person, const std::string& device,
                                         const std::string& password, bool right_code);
  // A fresh install of the app on `phone`: signed out, not enrolled, a new key pair.
  void reinstall_app(Phone& phone) const;
  // The code an authenticator app shows now for `person`.
  std::string totp_now(const std::string& person) const;
  // One of `person`'s unused recovery codes (shown when she turned MFA on), used up by taking it;
  // empty when none is left or she has no MFA.
  std::string take_recovery_code(const std::string& person);
  // The actor `person` acts as in the app or the console: the session of her first phone that is
  // still signed in, else a session of her own opened with her password (and a right TOTP code
  // unless `lost_mfa`), kept for later steps. Errors: the identity domain's.
  Outcome_<server::Result<server::identity::Actor>> person_actor(const std::string& person,
                                                                 bool lost_mfa);
  // The credential id the runner gives `person`'s code on `lock`.
  static std::string credential_id(const std::string& person, const std::string& lock);

  // Faults that are the runner's own.
  Outcome_<void> restart_broker();
  Outcome_<void> restart_server();

 private:
  explicit World(const Scenario& scenario);
  Outcome_<void> start_broker();
  Outcome_<void> start_fleet();
  Outcome_<void> open_node();
  Outcome_<void> set_up();
  Outcome_<void> set_up_person(const PersonDecl& person);
  void make_keys(Phone& phone) const;

  const Scenario& scenario_;
  std::string dir_;
  boost::asio::io_context io_;
  std::optional<transport::BrokerProcess> broker_;
  std::unique_ptr<sim::Fleet> fleet_;
  std::unique_ptr<server::Node> node_;
  std::string owner_;                            // the site's owner account, the set-up's actor
  std::map<std::string, std::string> accounts_;  // person -> acc_…
  std::map<std::string, std::vector<std::uint8_t>> mfa_secrets_;
  std::map<std::string, std::vector<std::string>> recovery_codes_;  // person -> unused, in order
  std::map<std::string, Phone> consoles_;  // person -> a session without a phone (no device)
  std::map<std::string, std::unique_ptr<Phone>> phones_;  // "person/device"
};

}  // namespace scenario
