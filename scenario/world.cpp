#include "scenario/world.hpp"

#include <filesystem>
#include <set>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <sodium.h>

#include "server/access/roles.hpp"
#include "server/access/schedule.hpp"
#include "server/http/rfc3339.hpp"
#include "server/identity/device_key.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/sign_in_throttle.hpp"
#include "server/identity/totp.hpp"
#include "sim/broker_logins.hpp"

namespace scenario {

namespace {

using namespace std::chrono_literals;

constexpr lockcore::UnixMs kSetUpMs = 10 * 60'000;  // set-up runs before time zero
constexpr sim::SettleOptions kSettle{5ms, 20'000ms};

template <class T>
Outcome_<T> check(server::Result<T> r, std::string_view what) {
  if (!r) return lockcore::fail(fmt::format("{}: {}", what, describe(r.error())));
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*r);
  }
}

std::string source_for(std::size_t n) {
  return server::identity::source_of(
      boost::asio::ip::make_address(fmt::format("127.0.0.{}", 1 + n % 250)));
}

bool is_site_owner(const MembershipDecl& m) {
  return m.role == "owner" && !m.unit;
}

// The first person the file declares as the site's owner, if any.
const PersonDecl* declared_owner(const Scenario& s) {
  for (const PersonDecl& p : s.people)
    for (const MembershipDecl& m : p.memberships)
      if (is_site_owner(m)) return &p;
  return nullptr;
}

}  // namespace

std::string describe(const server::Error& e) {
  std::string out(server::to_string(e.code));
  if (!e.field.empty()) out += " (" + e.field + ")";
  if (!e.message.empty()) out += ": " + e.message;
  return out;
}

World::World(const Scenario& scenario) : scenario_(scenario) {}

World::~World() {
  node_.reset();
  if (fleet_) fleet_->stop();
  fleet_.reset();
  if (broker_) (void)broker_->stop();
  broker_.reset();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

Outcome_<std::unique_ptr<World>> World::open(const Scenario& scenario) {
  std::unique_ptr<World> w(new World(scenario));
  std::string tmpl = (std::filesystem::temp_directory_path() / "latchkey-scenario-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) return lockcore::fail(std::string("cannot make a temp directory"));
  w->dir_ = tmpl;
  if (auto r = w->start_broker(); !r) return lockcore::fail(r.error());
  if (auto r = w->start_fleet(); !r) return lockcore::fail(r.error());
  if (auto r = w->open_node(); !r) return lockcore::fail(r.error());
  if (auto r = w->set_up(); !r) return lockcore::fail("set-up: " + r.error());
  return w;
}

Outcome_<void> World::start_broker() {
  sim::FleetConfig config;
  config.site = scenario_.site;
  for (const LockDecl& l : scenario_.locks)
    config.locks.push_back({l.id, l.link});
  for (const std::string& h : scenario_.hubs)
    config.hubs.push_back({h});
  auto logins = sim::fleet_broker_logins(config);
  if (!logins) return lockcore::fail("broker logins: " + logins.error().message);
  logins->push_back(transport::server_login());
  transport::BrokerSettings settings;
  settings.dir = std::filesystem::path(dir_) / "broker";
  auto broker = transport::BrokerProcess::start(settings, *logins);
  if (!broker) return lockcore::fail("broker: " + broker.error().message);
  broker_.emplace(std::move(*broker));
  return {};
}

Outcome_<void> World::start_fleet() {
  sim::FleetConfig config;
  config.site = scenario_.site;
  config.seed = scenario_.seed;
  config.virtual_clock = true;
  config.start = scenario_.start - kSetUpMs;
  config.broker.host = "127.0.0.1";
  config.broker.port = broker_->port();
  config.broker.keepalive = 10s;
  config.broker.reconnect_initial = 50ms;
  config.broker.reconnect_max = 500ms;
  config.credentials = broker_->credentials();
  for (const LockDecl& l : scenario_.locks) {
    sim::LockSpec spec;
    spec.id = l.id;
    spec.link = l.link;
    spec.keypad = l.keypad;
    spec.bluetooth = l.bluetooth;
    spec.physical_key = l.physical_key;
    spec.battery_pct = static_cast<std::uint8_t>(l.battery_pct);
    if (!l.firmware.empty()) spec.firmware = l.firmware;
    spec.slots = static_cast<std::uint16_t>(l.slots);
    spec.backup_pool = static_cast<std::uint16_t>(l.backup_pool);
    config.locks.push_back(std::move(spec));
  }
  for (const std::string& h : scenario_.hubs)
    config.hubs.push_back({h});
  auto fleet = sim::Fleet::create(io_, std::move(config));
  if (!fleet) return lockcore::fail("simulator: " + fleet.error().message);
  fleet_ = std::move(*fleet);
  return {};
}

Outcome_<void> World::open_node() {
  server::config::Config config;
  config.store.path = (std::filesystem::path(dir_) / "latchkey.db").string();
  config.broker.host = "127.0.0.1";
  config.broker.port = broker_->port();
  config.broker.credentials_file = broker_->files().credentials.string();
  config.broker.login = "server";
  // The runner checks behaviour, not the cost of argon2id: the weakest hash keeps a run in
  // seconds (a test-only setting no configuration file can reach).
  config.identity.password_opslimit = 1;
  config.identity.password_memlimit_kib = 8;
  config.identity.allow_weak_password_hash = true;
  config.log.access = false;
  auto node = server::Node::open(io_, fleet_->scheduler(), config);
  if (!node) return lockcore::fail("server: " + node.error());
  node_ = std::move(*node);
  return wait_for([&] { return node_->devices().broker_connected(); });
}

Outcome_<void> World::settle() {
  for (int i = 0; i < 3; ++i) {
    if (node_) node_->devices().sync();
    io_.poll();
    auto settled = fleet_->settle(kSettle);
    if (!settled) return lockcore::fail("settling: " + settled.error().message);
  }
  return {};
}

Outcome_<void> World::advance_to(lockcore::UnixMs at) {
  if (auto s = settle(); !s) return s;
  if (at > now()) {
    auto advanced = fleet_->advance_to(at, kSettle);
    if (!advanced) return lockcore::fail("advancing: " + advanced.error().message);
  }
  return settle();
}

Outcome_<void> World::wait_for(const std::function<bool()>& done) {
  if (auto s = settle(); !s) return s;
  for (int i = 0; !done(); ++i) {
    if (i >= 1200) return lockcore::fail(std::string("still waiting after 2 virtual minutes"));
    // Real time first (a hash on the hasher's thread), then virtual time (deadlines).
    io_.run_for(2ms);
    if (done()) break;
    if (auto a = advance_to(now() + 100); !a) return a;
  }
  return {};
}

Phone* World::phone(const std::string& person, const std::string& device) {
  auto it = phones_.find(person + "/" + device);
  return it == phones_.end() ? nullptr : it->second.get();
}

server::Result<server::identity::Actor> World::actor_of(Phone& phone) {
  auto& sessions = node_->identity().sessions();
  auto actor = sessions.authenticate(phone.access_token);
  if (actor) return actor;
  auto refreshed = sessions.refresh(phone.refresh_token, source_for(phones_.size()));
  if (!refreshed) return server::fail(refreshed.error());
  phone.access_token = refreshed->tokens.access_token;
  phone.refresh_token = refreshed->tokens.refresh_token;
  return refreshed->actor;
}

std::string World::totp_now(const std::string& person) const {
  auto it = mfa_secrets_.find(person);
  if (it == mfa_secrets_.end()) return "000000";
  return server::identity::totp::code(it->second, server::identity::totp::step_at(now()));
}

std::string World::take_recovery_code(const std::string& person) {
  auto it = recovery_codes_.find(person);
  if (it == recovery_codes_.end() || it->second.empty()) return {};
  std::string code = it->second.front();
  it->second.erase(it->second.begin());
  return code;
}

Outcome_<server::Result<server::identity::Actor>> World::person_actor(const std::string& person,
                                                                      bool lost_mfa) {
  const PersonDecl* p = scenario_.find_person(person);
  for (const std::string& device : p->devices) {
    Phone* ph = phone(person, device);
    if (!ph) continue;
    if (auto actor = actor_of(*ph)) return server::Result<server::identity::Actor>(*actor);
  }
  auto [it, fresh] = consoles_.try_emplace(person);
  Phone& console = it->second;
  if (!fresh)
    if (auto actor = actor_of(console)) return server::Result<server::identity::Actor>(*actor);
  server::identity::SignIn request;
  request.email = p->email;
  request.password = p->password;
  request.source = source_for(phones_.size() + consoles_.size());
  if (mfa_secrets_.contains(person)) request.code = lost_mfa ? "000000" : totp_now(person);
  auto signed_in = await(node_->identity().sessions().sign_in(std::move(request)));
  if (!signed_in) return lockcore::fail(signed_in.error());
  if (!*signed_in) return server::Result<server::identity::Actor>(server::fail(signed_in->error()));
  console.person = person;
  console.access_token = (*signed_in)->tokens.access_token;
  console.refresh_token = (*signed_in)->tokens.refresh_token;
  return server::Result<server::identity::Actor>((*signed_in)->actor);
}

std::string World::credential_id(const std::string& person, const std::string& lock) {
  return "code-" + person + "-" + lock;
}

void World::make_keys(Phone& phone) const {
  // The app makes its key pair from the run's seed (and how often it was installed), so that
  // every run is the same.
  std::array<std::uint8_t, crypto_sign_SEEDBYTES> seed{};
  const std::string material =
      fmt::format("{}/{}/{}/{}", scenario_.seed, phone.person, phone.name, phone.installs);
  crypto_generichash(seed.data(), seed.size(),
                     reinterpret_cast<const unsigned char*>(material.data()), material.size(),
                     nullptr, 0);
  crypto_sign_seed_keypair(phone.public_key.data(), phone.secret_key.data(), seed.data());
}

void World::reinstall_app(Phone& phone) const {
  phone.access_token.clear();
  phone.refresh_token.clear();
  phone.device_id.clear();
  ++phone.installs;
  make_keys(phone);
}

Outcome_<server::Result<void>> World::sign_in(const std::string& person, const std::string& device,
                                              const std::string& password, bool right_code) {
  const PersonDecl* p = scenario_.find_person(person);
  const std::string key = person + "/" + device;
  Phone* ph = phone(person, device);
  if (!ph) {
    auto fresh = std::make_unique<Phone>();
    fresh->person = person;
    fresh->name = device;
    make_keys(*fresh);
    ph = fresh.get();
    phones_.emplace(key, std::move(fresh));
  }
  server::identity::SignIn request;
  request.email = p->email;
  request.password = password;
  request.source = source_for(phones_.size());
  if (mfa_secrets_.contains(person)) {
    request.code = right_code ? totp_now(person) : std::string("000000");
    if (right_code && *request.code == "000000") request.code = "000001";
  }
  if (!ph->device_id.empty()) {
    server::identity::DeviceProof proof;
    proof.device = ph->device_id;
    proof.at = now();
    proof.signed_at = server::http::format_rfc3339(proof.at);
    const std::string message = server::identity::proof_message(proof, p->email);
    crypto_sign_detached(proof.signature.data(), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         ph->secret_key.data());
    request.device = proof;
  }
  auto signed_in = await(node_->identity().sessions().sign_in(std::move(request)));
  if (!signed_in) return lockcore::fail(signed_in.error());
  if (!*signed_in) return server::Result<void>(server::fail(signed_in->error()));
  ph->access_token = (*signed_in)->tokens.access_token;
  ph->refresh_token = (*signed_in)->tokens.refresh_token;
  if (ph->device_id.empty()) {
    const std::string public_text = server::identity::base64url(ph->public_key);
    auto enrolled = node_->identity().devices().enroll((*signed_in)->actor, device, public_text);
    if (!enrolled) return server::Result<void>(server::fail(enrolled.error()));
    ph->device_id = enrolled->id;
  }
  return server::Result<void>();
}

Outcome_<void> World::set_up() {
  const std::string actor = "system:scenario";
  // The site's creator is its owner (only a transfer makes another): the person the file declares
  // as owner, else an owner of the runner's own.
  const PersonDecl* declared = declared_owner(scenario_);
  auto owner = await(node_->identity().accounts().create(
      declared ? server::identity::NewAccount{declared->email, declared->phone, declared->id,
                                              declared->password}
               : server::identity::NewAccount{fmt::format("owner@{}.invalid", scenario_.site),
                                              "+10000000000", "Site owner",
                                              "the scenario's own owner passphrase"},
      actor));
  if (!owner) return lockcore::fail(owner.error());
  auto owner_account = check(std::move(*owner), "the site's owner");
  if (!owner_account) return lockcore::fail(owner_account.error());
  owner_ = owner_account->id;
  if (declared) accounts_[declared->id] = owner_;
  server::access::Access& access = node_->access();
  if (auto r =
          check(access.sites().create(owner_, {scenario_.site, scenario_.name, scenario_.timezone}),
                "site");
      !r)
    return lockcore::fail(r.error());
  std::set<std::string> units;
  for (const LockDecl& l : scenario_.locks)
    if (l.unit && units.insert(*l.unit).second) {
      if (auto r = check(access.units().create(owner_, scenario_.site,
                                               {scenario_.site, *l.unit, "Unit " + *l.unit}),
                         "unit " + *l.unit);
          !r)
        return lockcore::fail(r.error());
    }
  server::devices::Devices& devices = node_->devices();
  const std::string owner_name = "account:" + owner_;
  for (const std::string& h : scenario_.hubs) {
    if (auto r = check(devices.add_hub({scenario_.site, h, "Hub " + h}, owner_name), "hub " + h);
        !r)
      return lockcore::fail(r.error());
  }
  for (const LockDecl& l : scenario_.locks) {
    server::devices::LockSpec spec;
    spec.site = scenario_.site;
    spec.id = l.id;
    spec.name = "Door " + l.id;
    spec.unit = l.unit;
    spec.link = l.link;
    spec.slots = static_cast<std::uint16_t>(l.slots);
    spec.backup_pool = static_cast<std::uint16_t>(l.backup_pool);
    spec.keypad = l.keypad;
    spec.bluetooth = l.bluetooth;
    if (auto r = check(devices.add_lock(spec, owner_name), "lock " + l.id); !r)
      return lockcore::fail(r.error());
  }
  // The devices connect once the server knows them (what they publish before is refused).
  if (auto started = fleet_->start(); !started)
    return lockcore::fail("simulator: " + started.error().message);
  for (const LockDecl& l : scenario_.locks) {
    if (l.link == "none") continue;  // nothing reaches it: keypad and Bluetooth only
    auto online = wait_for([&] {
      auto h = devices.health(scenario_.site, l.id);
      return h && h->has_state && h->reachability == server::devices::Reachability::online;
    });
    if (!online) return lockcore::fail(fmt::format("lock {} never came online", l.id));
    auto code = fleet_->pairing_code(l.id);
    if (!code) return lockcore::fail(code.error().message);
    auto done = await(devices.commission(scenario_.site, l.id, *code, owner_name));
    if (!done) return lockcore::fail(done.error());
    if (auto r = check(std::move(*done), "commissioning " + l.id); !r)
      return lockcore::fail(r.error());
  }
  for (const PersonDecl& p : scenario_.people)
    if (auto r = set_up_person(p); !r)
      return lockcore::fail(fmt::format("{}: {}", p.id, r.error()));
  // Codes at the start are on the locks before time zero ends.
  auto all_set = wait_for([&] {
    for (const PersonDecl& p : scenario_.people)
      for (const CodeDecl& c : p.codes) {
        auto placed = devices.placement(scenario_.site, c.lock, credential_id(p.id, c.lock));
        if (!placed || placed->status != server::devices::CredentialStatus::set) return false;
      }
    return true;
  });
  if (!all_set) return lockcore::fail("the starting codes never read set: " + all_set.error());
  if (now() > scenario_.start) return lockcore::fail(std::string("set-up overran time zero"));
  return advance_to(scenario_.start);
}

Outcome_<void> World::set_up_person(const PersonDecl& p) {
  const bool is_owner = accounts_.contains(p.id);  // the site's creator: her account exists
  if (!is_owner) {
    auto created = await(node_->identity().accounts().create({p.email, p.phone, p.id, p.password},
                                                             "system:scenario"));
    if (!created) return lockcore::fail(created.error());
    auto made = check(std::move(*created), "account");
    if (!made) return lockcore::fail(made.error());
    accounts_[p.id] = made->id;
  }
  const std::string account_id = accounts_.at(p.id);
  for (const MembershipDecl& m : p.memberships) {
    if (is_owner && is_site_owner(m)) continue;  // she owns the site from its creation
    server::access::Grant grant;
    grant.role = *server::access::role_from(m.role);
    grant.unit = m.unit;
    if (m.from) grant.valid_from = scenario_.start + *m.from;
    if (m.until) grant.valid_until = scenario_.start + *m.until;
    grant.schedule = m.schedule;
    if (auto r =
            check(node_->access().memberships().grant(owner_, scenario_.site, account_id, grant),
                  "membership " + m.role);
        !r)
      return lockcore::fail(r.error());
  }
  if (p.mfa) {
    // MFA is switched on from a first session, as the person would in the app.
    server::identity::SignIn request{p.email, p.password, std::nullopt, std::nullopt,
                                     source_for(0)};
    auto s = await(node_->identity().sessions().sign_in(std::move(request)));
    if (!s) return lockcore::fail(s.error());
    auto session = check(std::move(*s), "first sign-in");
    if (!session) return lockcore::fail(session.error());
    auto begun = await(node_->identity().mfa().begin(session->actor, p.password, source_for(0)));
    if (!begun) return lockcore::fail(begun.error());
    auto enrollment = check(std::move(*begun), "MFA");
    if (!enrollment) return lockcore::fail(enrollment.error());
    auto secret = server::identity::totp::from_base32(enrollment->secret);
    if (!secret) return lockcore::fail(std::string("MFA secret is not base32"));
    mfa_secrets_[p.id] = *secret;
    auto codes = check(node_->identity().mfa().confirm(session->actor, totp_now(p.id)), "MFA");
    if (!codes) return lockcore::fail(codes.error());
    recovery_codes_[p.id] = std::move(*codes);
  }
  for (const std::string& d : p.devices) {
    // A TOTP code is good once: each sign-in waits for the next 30-second step.
    if (p.mfa) {
      if (auto a = advance_to(now() + server::identity::totp::kStepMs); !a) return a;
    }
    auto in = sign_in(p.id, d, p.password, true);
    if (!in) return lockcore::fail(in.error());
    if (!*in) return lockcore::fail("signing in on " + d + ": " + describe(in->error()));
  }
  // The keys the person carries, handed over by the site's owner and recorded as such.
  for (const std::string& lock : p.keys) {
    server::identity::Actor owner;
    owner.account = owner_;
    if (auto r = check(node_->lockout().hand_physical_key({owner, "system:scenario"},
                                                          scenario_.site, lock, account_id),
                       "key to " + lock);
        !r)
      return lockcore::fail(r.error());
  }
  for (const CodeDecl& c : p.codes) {
    server::devices::PinPlacement spec;
    spec.credential = credential_id(p.id, c.lock);
    spec.pin = c.pin;
    spec.holder = "account:" + account_id;
    if (auto r = check(node_->devices().place(scenario_.site, c.lock, spec), "code on " + c.lock);
        !r)
      return lockcore::fail(r.error());
  }
  return {};
}

Outcome_<void> World::restart_broker() {
  if (auto r = broker_->restart(); !r)
    return lockcore::fail("broker restart: " + r.error().message);
  return settle();
}

Outcome_<void> World::restart_server() {
  if (auto s = settle(); !s) return s;
  bool stopped = false;
  node_->stop([&] { stopped = true; });
  for (int i = 0; i < 1000 && !stopped; ++i)
    io_.run_for(2ms);
  node_.reset();
  return open_node();
}

}  // namespace scenario
