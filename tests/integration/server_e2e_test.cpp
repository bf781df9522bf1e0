// The product end to end, through HTTP only, as the app and the console would use it: a whole
// server::Node listening on loopback, a real Mosquitto with the protocol's ACL, and the real
// simulator's locks, all on one virtual clock. People sign in (with MFA), enroll phones,
// commission locks, unlock from the app, set keypad codes, move out, hand the site over and get
// suspended; an intruder forges and replays commands; the broker restarts and the server is
// killed while codes are still on their way. What the locks hold and what the server stored are
// checked against each other at the end.

#include <boost/json/serialize.hpp>
#include <sodium.h>

#include "protocol/codec.hpp"
#include "protocol/topics.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/totp.hpp"
#include "server/node/node.hpp"
#include "tests/integration/devices_site.hpp"
#include "tests/support/node_server.hpp"
#include "tests/support/recording_client.hpp"
#include "tests/support/site_authority.hpp"
#include "tests/support/temp_dir.hpp"

namespace devicesim {
namespace {

namespace json = boost::json;
using lockcore::BoltState;
using lockcore::DoorOutcome;
using server::http::Verb;
using testsupport::Call;
using testsupport::Reply;

constexpr const char* kPassword = "correct horse 204";

class ServerEndToEnd : public DevicesSite {
 protected:
  server::devices::Devices* server_devices() override { return node ? &node->devices() : nullptr; }

  void open_node() {
    server::config::Config config = testsupport::test_config(dir.file("latchkey.db"));
    config.broker.host = "127.0.0.1";
    config.broker.port = broker->port();
    config.broker.login = "server";
    config.broker.credentials_file = (broker->dir() / "credentials").string();
    config.store.batch_max_delay_ms = 2;
    auto opened = server::Node::open(io, fleet->scheduler(), config);
    ASSERT_TRUE(opened) << opened.error();
    node = std::move(*opened);
    auto bound = node->start_http();
    ASSERT_TRUE(bound) << bound.error();
    endpoint = *bound;
    ASSERT_TRUE(wait_for([&] { return node->devices().broker_connected(); }, 30s));
  }
  // The server goes away mid-work: its broker connection dropped without goodbye, the rest
  // stopped; what it had not stored is lost, the store stays.
  void kill_node() {
    node->devices().drop_broker_connection();
    bool stopped = false;
    node->stop([&] { stopped = true; });
    ASSERT_TRUE(wait_for([&] { return stopped; }));
    node.reset();
  }
  void TearDown() override {
    if (node) {
      bool stopped = false;
      node->stop([&] { stopped = true; });
      wait_for([&] { return stopped; });
      node.reset();
    }
    DevicesSite::TearDown();
  }

  // One HTTP request, answered while the locks and the clock move on.
  Reply call(Verb method, const std::string& target, const std::string& token,
             const json::object& body = {}) {
    std::optional<Reply> reply;
    boost::asio::co_spawn(
        io,
        testsupport::http_call(endpoint,
                               {method, target, body.empty() ? "" : json::serialize(body), token}),
        [&reply](std::exception_ptr e, Reply r) {
          if (e) std::rethrow_exception(e);
          reply = std::move(r);
        });
    EXPECT_TRUE(run_until([&] { return reply.has_value(); }, 100ms, 60s)) << target;
    return reply ? *reply : Reply{};
  }
  Reply get(const std::string& target, const std::string& token) {
    return call(Verb::get, target, token);
  }
  Reply post(const std::string& target, const std::string& token, const json::object& body = {}) {
    return call(Verb::post, target, token, body);
  }
  static std::string site_path(const std::string& rest = {}) {
    return "/api/v1/sites/" + std::string(kSite) + rest;
  }

  // An account as an operator makes it (`latchkey account create` runs the same call); its id.
  std::string make_account(const std::string& name) {
    auto made = run(node->identity().accounts().create(
        {name + "@example.test", "+1555555" + std::to_string(1100 + ++accounts_made), name,
         kPassword},
        "system:test"));
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? made->id : std::string();
  }
  std::string sign_in(const std::string& name, std::optional<std::string> code = {}) {
    json::object body{{"email", name + "@example.test"}, {"password", kPassword}};
    if (code) body["code"] = *code;
    Reply r = post("/api/v1/sessions", {}, body);
    EXPECT_EQ(r.status, 201u) << r.text;
    return r.status == 201 ? r.str("access_token") : std::string();
  }
  std::string totp_now(const std::vector<std::uint8_t>& secret) {
    return server::identity::totp::code(secret,
                                        server::identity::totp::step_at(fleet->scheduler().now()));
  }
  // Registers the locks with their labels' codes before they are online: each is recorded, and
  // pairing is refused as unavailable until the lock has been heard from.
  void register_locks(const std::string& token, const std::vector<std::string>& locks) {
    for (const std::string& l : locks) {
      Reply r = post(site_path("/locks"), token,
                     {{"id", l},
                      {"name", "Door " + l},
                      {"unit", "204"},
                      {"backup_pool", 2},
                      {"pairing_code", *fleet->pairing_code(l)}});
      EXPECT_EQ(r.status, 503u) << l << ": " << r.text;
    }
  }
  // Once online: pairs with the code recorded at registration.
  void commission_over_http(const std::string& token, const std::string& lock) {
    Reply r = post(site_path("/locks"), token, {{"id", lock}, {"name", "Door " + lock}});
    ASSERT_EQ(r.status, 201u) << r.text;
    EXPECT_TRUE(r.body.at("paired").as_bool());
  }
  // A code of `token`'s own on `locks`; its id.
  std::string own_code(const std::string& token, const std::vector<std::string>& locks,
                       const std::string& pin) {
    json::array on;
    for (const std::string& l : locks)
      on.emplace_back(l);
    Reply r = post(site_path("/codes"), token,
                   {{"name", "My code"}, {"kind", "own"}, {"locks", on}, {"pin", pin}});
    EXPECT_EQ(r.status, 201u) << r.text;
    return r.status == 201 ? r.str("id") : std::string();
  }
  std::int64_t progress(const std::string& token, const std::string& code, const char* status) {
    Reply r = get(site_path("/codes/" + code + "/progress"), token);
    return r.status == 200 ? r.body.at(status).as_int64() : -1;
  }
  std::size_t pending_removals(const std::string& token, const std::string& account) {
    Reply r = get(site_path("/accounts/" + account + "/removals"), token);
    EXPECT_EQ(r.status, 200u) << r.text;
    return r.status == 200 ? r.body.at("pending").as_array().size() : 99;
  }
  // Whether the lock itself holds a keypad code with this PIN (what is on the door, not what the
  // server believes).
  bool lock_holds(const std::string& lock, std::string_view pin) {
    auto view = fleet->inspect(lock);
    if (!view) return false;
    for (const auto& c : view->credentials)
      if (c.pin.view() == pin) return true;
    return false;
  }
  // Starts the usual site: an owner with MFA and an enrolled phone, site, unit 204, the locks
  // commissioned over HTTP. Returns the owner's token.
  std::string open_site(const std::vector<std::string>& locks) {
    std::vector<sim::LockSpec> specs;
    for (const std::string& l : locks)
      specs.push_back(lock_spec(l));
    sim::FleetConfig config = site_config(specs);
    const std::vector<sim::LockSpec> all = config.locks;
    EXPECT_NO_FATAL_FAILURE(start_fleet(std::move(config)));
    if (!fleet) return {};
    EXPECT_NO_FATAL_FAILURE(open_node());
    if (!node) return {};
    owner = make_account("owner");
    std::string token = sign_in("owner");
    // MFA on, then a sign-in with the code from the authenticator.
    Reply begun = post("/api/v1/me/mfa", token, {{"password", kPassword}});
    EXPECT_EQ(begun.status, 201u) << begun.text;
    auto secret = server::identity::totp::from_base32(begun.str("secret"));
    EXPECT_TRUE(secret);
    EXPECT_EQ(post("/api/v1/me/mfa/confirm", token, {{"code", totp_now(*secret)}}).status, 200u);
    run_for(std::chrono::milliseconds(server::identity::totp::kStepMs));
    Reply without =
        post("/api/v1/sessions", {}, {{"email", "owner@example.test"}, {"password", kPassword}});
    EXPECT_EQ(without.status, 401u);
    token = sign_in("owner", totp_now(*secret));
    // The phone: its own Ed25519 key.
    std::array<std::uint8_t, 32> pk{};
    std::array<std::uint8_t, 64> sk{};
    crypto_sign_keypair(pk.data(), sk.data());
    Reply phone =
        post("/api/v1/me/devices", token,
             {{"name", "Owner's phone"}, {"public_key", server::identity::base64url(pk)}});
    EXPECT_EQ(phone.status, 201u) << phone.text;
    EXPECT_EQ(post("/api/v1/sites", token,
                   {{"id", std::string(kSite)}, {"name", "Maple Court"}, {"timezone", "UTC"}})
                  .status,
              201u);
    EXPECT_EQ(post(site_path("/units"), token, {{"id", "204"}, {"name", "Apartment 204"}}).status,
              201u);
    register_locks(token, locks);
    EXPECT_NO_FATAL_FAILURE(connect_fleet(all));
    for (const std::string& l : locks)
      EXPECT_NO_FATAL_FAILURE(commission_over_http(token, l));
    return token;
  }
  // Someone invited to unit 204 with `role`, signed in: (account id, membership id, token).
  std::tuple<std::string, std::string, std::string> member(const std::string& by,
                                                           const std::string& name,
                                                           const std::string& role) {
    const std::string id = make_account(name);
    Reply r = post(site_path("/people"), by,
                   {{"email", name + "@example.test"}, {"role", role}, {"unit", "204"}});
    EXPECT_EQ(r.status, 201u) << r.text;
    return {id, r.status == 201 ? r.str("id") : "", sign_in(name)};
  }

  testsupport::TempDir dir;
  std::unique_ptr<server::Node> node;
  boost::asio::ip::tcp::endpoint endpoint;
  std::string owner;
  int accounts_made = 0;
};

TEST_F(ServerEndToEnd, FromSignInToMoveOutHandOverAndSuspensionEveryCodeFollowsAccess) {
  const std::string owner_token = open_site({"u204"});
  ASSERT_FALSE(owner_token.empty());

  // The app's unlock: answered once the lock confirmed it.
  Reply unlocked = post(site_path("/locks/u204/unlock"), owner_token);
  ASSERT_EQ(unlocked.status, 200u) << unlocked.text;
  EXPECT_EQ(unlocked.str("status"), "succeeded");
  EXPECT_TRUE(unlocked.body.at("confirmed_by_device").as_bool());
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::unlocked);
  Reply seen = get(site_path("/commands/" + unlocked.str("id")), owner_token);
  EXPECT_EQ(seen.status, 200u);
  EXPECT_EQ(post(site_path("/locks/u204/lock"), owner_token).str("status"), "succeeded");

  // Ana moves in and sets her own code; the lock reports it set and it opens the door.
  auto [ana, ana_membership, ana_token] = member(owner_token, "ana", "resident");
  const std::string ana_code = own_code(ana_token, {"u204"}, "482913");
  ASSERT_TRUE(run_until([&] { return progress(ana_token, ana_code, "set") == 1; }));
  Reply listed = get(site_path("/codes"), ana_token);
  ASSERT_EQ(listed.body.at("codes").as_array().size(), 1u);
  EXPECT_EQ(listed.body.at("codes").at(0).at("locks").at(0).at("status"), "set");
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::accepted);
  run_for(10s);

  // Ana moves out: her code comes off the door, and nothing is left pending.
  Reply out = call(Verb::delete_, site_path("/people/" + ana_membership), owner_token);
  ASSERT_EQ(out.status, 204u) << out.text;
  ASSERT_TRUE(run_until([&] { return !lock_holds("u204", "482913"); }));
  ASSERT_TRUE(run_until([&] { return pending_removals(owner_token, ana) == 0; }));
  EXPECT_EQ(fleet->enter_pin("u204", "482913")->outcome, DoorOutcome::denied);
  EXPECT_EQ(get(site_path("/locks"), ana_token).status, 404u) << "she no longer sees the site";
  run_for(10s);

  // The owner hands the site to Bo: the prior owner's own code goes with the ownership.
  const std::string owner_code = own_code(owner_token, {"u204"}, "551177");
  ASSERT_TRUE(run_until([&] { return progress(owner_token, owner_code, "set") == 1; }));
  const std::string bo = make_account("bo");
  Reply offered = post(site_path("/transfers"), owner_token, {{"email", "bo@example.test"}});
  ASSERT_EQ(offered.status, 201u) << offered.text;
  const std::string bo_token = sign_in("bo");
  Reply accepted = post("/api/v1/transfers/" + offered.str("id") + "/accept", bo_token);
  ASSERT_EQ(accepted.status, 200u) << accepted.text;
  ASSERT_TRUE(run_until([&] { return !lock_holds("u204", "551177"); }));
  EXPECT_EQ(fleet->enter_pin("u204", "551177")->outcome, DoorOutcome::denied);
  EXPECT_EQ(post(site_path("/locks/u204/unlock"), owner_token).status, 404u);
  run_for(10s);

  // Cy, a resident, is suspended at the site: his code comes off and he cannot unlock; then his
  // account is suspended: every request is 401.
  auto [cy, cy_membership, cy_token] = member(bo_token, "cy", "resident");
  const std::string cy_code = own_code(cy_token, {"u204"}, "730214");
  ASSERT_TRUE(run_until([&] { return progress(bo_token, cy_code, "set") == 1; }));
  Reply suspended = post(site_path("/accounts/" + cy + "/suspend"), bo_token);
  ASSERT_EQ(suspended.status, 204u) << suspended.text;
  ASSERT_TRUE(run_until([&] { return !lock_holds("u204", "730214"); }));
  EXPECT_EQ(post(site_path("/locks/u204/unlock"), cy_token).status, 403u);
  ASSERT_TRUE(node->identity().accounts().suspend(cy, "system:test", "test"));
  EXPECT_EQ(get(site_path("/locks"), cy_token).status, 401u);
  EXPECT_EQ(fleet->enter_pin("u204", "730214")->outcome, DoorOutcome::denied);

  // The trail: every one of these acts is in the site's audit log, for the new owner to read.
  Reply removed = get(site_path("/audit?type=credential_removed"), bo_token);
  ASSERT_EQ(removed.status, 200u) << removed.text;
  EXPECT_EQ(removed.body.at("entries").as_array().size(), 3u) << removed.text;
  EXPECT_EQ(get(site_path("/audit?type=ownership_transferred"), bo_token)
                .body.at("entries")
                .as_array()
                .size(),
            1u);
}

TEST_F(ServerEndToEnd, AForgedAndAReplayedCommandAreRefusedByTheLock) {
  const std::string token = open_site({"u204"});
  ASSERT_FALSE(token.empty());
  auto intruder = intruder_on("u204");
  publish_forged_unlock(*intruder, "u204");
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::locked);

  Reply unlocked = post(site_path("/locks/u204/unlock"), token);
  ASSERT_EQ(unlocked.str("status"), "succeeded") << unlocked.text;
  ASSERT_TRUE(*fleet->turn_key("u204", true));
  ASSERT_TRUE(replay_command(*intruder, "u204", unlocked.str("id")));
  run_for(2s);
  EXPECT_EQ(fleet->inspect("u204")->state.bolt, BoltState::locked);
  Reply refused = get(site_path("/audit?type=command_refused"), token);
  ASSERT_EQ(refused.status, 200u);
  ASSERT_GE(refused.body.at("entries").as_array().size(), 1u);
  EXPECT_NE(refused.text.find("bad_signature"), std::string::npos) << refused.text;
  EXPECT_EQ(get(site_path("/commands/" + unlocked.str("id")), token).str("status"), "succeeded");
}

TEST_F(ServerEndToEnd, ABrokerRestartAndAServerKilledMidSyncLoseNothingAndDoubleNothing) {
  const std::vector<std::string> locks{"u201", "u202"};
  const std::string token = open_site(locks);
  ASSERT_FALSE(token.empty());
  const std::string first = own_code(token, locks, "482913");
  ASSERT_TRUE(run_until([&] { return progress(token, first, "set") == 2; }));
  for (const auto& l : locks) {
    ASSERT_TRUE(*fleet->turn_key(l, false));
    ASSERT_TRUE(*fleet->turn_key(l, true));
  }
  auto restarted = broker->process().restart();
  ASSERT_TRUE(restarted) << restarted.error().message;
  for (const auto& l : locks)
    ASSERT_TRUE(*fleet->turn_key(l, false));  // while the broker was away
  ASSERT_TRUE(wait_for(
      [&] {
        const sim::FleetSummary s = fleet->summary();
        return node->devices().broker_connected() && s.net.links_up == s.links_expected;
      },
      30s));

  // A second code fans out, and the server is killed before the locks confirm it.
  const std::string second = own_code(token, locks, "771204");
  ASSERT_NO_FATAL_FAILURE(kill_node());
  for (const auto& l : locks)
    ASSERT_TRUE(*fleet->turn_key(l, true));  // while no server listens
  run_for(3s);
  ASSERT_NO_FATAL_FAILURE(open_node());
  // The new server knows the session from the store; both codes end set on both locks, once each.
  ASSERT_TRUE(run_until([&] { return progress(token, second, "set") == 2; }));
  EXPECT_EQ(progress(token, first, "set"), 2);
  for (const auto& l : locks) {
    EXPECT_TRUE(lock_holds(l, "482913") && lock_holds(l, "771204")) << l;
    EXPECT_EQ(fleet->inspect(l)->credentials.size(), 4u) << l;  // two backups and the two codes
    // Acknowledged by the new server: it caught the lock up though the lock never went offline.
    ASSERT_TRUE(run_until([&] { return fleet->inspect(l)->events.empty(); })) << l;
    EXPECT_EQ(stored_events(l), lock_event_seq(l)) << l;
    auto events = node->devices().events(kSite, l, 0, 1000);
    ASSERT_TRUE(events);
    EXPECT_EQ(events->size(), lock_event_seq(l)) << l;
  }
}

}  // namespace
}  // namespace devicesim
