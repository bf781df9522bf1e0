// The identity routes through a real listening server: a whole Node on a loopback port (its
// io_context on a thread of its own, time on a virtual clock the test moves), spoken to by a Beast
// client, as an app would — and as an attacker would, with broken bodies, wrong types, huge
// fields, SQL in the email, and forged, expired or stolen tokens.

#include <algorithm>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <sodium.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/http/rfc3339.hpp"
#include "server/identity/device_key.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/totp.hpp"
#include "server/node/node.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using http::Verb;
using tcp = asio::ip::tcp;

constexpr lockcore::UnixMs kStart = 1'767'225'600'000;
constexpr const char* kPassword = "correct horse 204";

struct Reply {
  unsigned status = 0;
  json::value body;
  http::RawResponse raw;

  std::string code() const {
    if (!body.is_object() || !body.as_object().contains("error")) return {};
    return std::string(body.at("error").at("code").as_string());
  }
  std::string field() const {
    if (!body.is_object() || !body.as_object().contains("error")) return {};
    const auto& e = body.at("error").as_object();
    return e.contains("field") ? std::string(e.at("field").as_string()) : std::string();
  }
  std::string text(std::string_view name) const { return std::string(body.at(name).as_string()); }
};

class IdentityRoutesTest : public ::testing::Test {
 protected:
  IdentityRoutesTest() {
    config::Config config;
    config.store.path = dir_.file("latchkey.db");
    config.http.port = 0;
    config.http.body_limit = 64 * 1024;
    config.log.access = false;
    config.identity.password_opslimit = 1;
    config.identity.password_memlimit_kib = 8;
    config.identity.allow_weak_password_hash = true;
    auto node = Node::open(io_, scheduler_, config);
    EXPECT_TRUE(node.ok()) << (node.ok() ? "" : node.error());
    if (!node.ok()) return;
    node_ = std::move(*node);
    auto bound = node_->start_http();
    EXPECT_TRUE(bound.ok());
    if (bound.ok()) endpoint_ = *bound;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~IdentityRoutesTest() override {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] { node_->stop([this] { io_.stop(); }); });
    thread_.join();
  }

  // Runs `f` on the server's thread and waits for it.
  template <class F>
  auto on_server(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto done = task.get_future();
    asio::post(io_, [&task] { task(); });
    return done.get();
  }
  // Runs a coroutine of the domain on the server's thread to its end.
  template <class T>
  T on_server(asio::awaitable<T> work) {
    std::promise<T> promise;
    auto done = promise.get_future();
    asio::post(io_, [&] {
      asio::co_spawn(
          io_, [&]() -> asio::awaitable<void> { promise.set_value(co_await std::move(work)); },
          asio::detached);
    });
    return done.get();
  }
  void advance(std::chrono::milliseconds by) {
    on_server([&] { return scheduler_.advance_by(by); });
  }

  identity::Account make_account(const std::string& email = "ana@example.test",
                                 const std::string& phone = "+15555550100") {
    auto made = on_server(
        node_->identity().accounts().create({email, phone, "Ana", kPassword}, "system:test"));
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? *made : identity::Account{};
  }

  Reply call(Verb method, const std::string& target, const std::string& body = {},
             const std::string& token = {},
             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    asio::io_context client;
    tcp::socket socket(client);
    socket.connect(endpoint_);
    http::RawRequest request(method, target, 11);
    request.set(bhttp::field::host, "localhost");
    request.set(bhttp::field::connection, "close");
    const bool typed = std::any_of(headers.begin(), headers.end(),
                                   [](const auto& h) { return h.first == "Content-Type"; });
    if (!body.empty() && !typed) request.set(bhttp::field::content_type, "application/json");
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : headers)
      request.insert(name, value);
    request.body() = body;
    request.prepare_payload();
    bhttp::write(socket, request);
    beast::flat_buffer buffer;
    Reply reply;
    bhttp::read(socket, buffer, reply.raw);
    reply.status = reply.raw.result_int();
    boost::system::error_code ec;
    if (!reply.raw.body().empty()) reply.body = json::parse(reply.raw.body(), ec);
    return reply;
  }
  Reply post(const std::string& target, const json::object& body, const std::string& token = {}) {
    return call(Verb::post, target, json::serialize(body), token);
  }
  Reply sign_in(const std::string& email = "ana@example.test",
                const std::string& password = kPassword) {
    return post("/api/v1/sessions", {{"email", email}, {"password", password}});
  }
  std::string access_token(const std::string& email = "ana@example.test") {
    Reply r = sign_in(email);
    EXPECT_EQ(r.status, 201u) << r.raw.body();
    return r.status == 201 ? r.text("access_token") : std::string();
  }

  testsupport::TempDir dir_;
  asio::io_context io_;
  runtime::VirtualScheduler scheduler_{kStart};
  std::unique_ptr<Node> node_;
  tcp::endpoint endpoint_;
  std::thread thread_;
};

TEST_F(IdentityRoutesTest, SignInMeRefreshAndSignOut) {
  identity::Account ana = make_account();
  Reply in = sign_in("ANA@example.test");
  ASSERT_EQ(in.status, 201u) << in.raw.body();
  EXPECT_EQ(in.raw[bhttp::field::cache_control], "no-store");
  EXPECT_EQ(in.text("token_type"), "Bearer");
  EXPECT_EQ(in.text("access_expires_at"), http::format_rfc3339(kStart + 15 * 60'000));
  EXPECT_EQ(in.body.at("account").at("id").as_string(), ana.id);
  EXPECT_EQ(in.body.at("account").as_object().count("password_hash"), 0u);
  const std::string access = in.text("access_token");
  const std::string refresh = in.text("refresh_token");

  Reply me = call(Verb::get, "/api/v1/me", {}, access);
  ASSERT_EQ(me.status, 200u) << me.raw.body();
  EXPECT_EQ(me.text("email"), "ana@example.test");
  EXPECT_EQ(me.text("phone"), "+15555550100");
  EXPECT_EQ(me.body.at("mfa_enabled").as_bool(), false);
  EXPECT_EQ(me.body.at("session").at("id"), in.body.at("session").at("id"));

  Reply refreshed = post("/api/v1/sessions/refresh", {{"refresh_token", refresh}});
  ASSERT_EQ(refreshed.status, 200u) << refreshed.raw.body();
  const std::string access2 = refreshed.text("access_token");
  EXPECT_NE(access2, access);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, access).status, 401u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, access2).status, 200u);

  EXPECT_EQ(call(Verb::delete_, "/api/v1/sessions/current", {}, access2).status, 204u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, access2).status, 401u);
  EXPECT_EQ(
      post("/api/v1/sessions/refresh", {{"refresh_token", refreshed.text("refresh_token")}}).status,
      401u);
}

TEST_F(IdentityRoutesTest, AnUnknownAccountAndAWrongPasswordGetByteForByteTheSameAnswer) {
  make_account();
  Reply unknown = sign_in("nobody@example.test", "wrong password here");
  Reply wrong = sign_in("ana@example.test", "wrong password here");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(unknown.status, wrong.status);
  EXPECT_EQ(unknown.raw.body(), wrong.raw.body());
  EXPECT_EQ(unknown.code(), "unauthenticated");
}

TEST_F(IdentityRoutesTest, RepeatedFailuresAreAnswered429WithRetryAfter) {
  make_account();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(sign_in("ana@example.test", "guess " + std::to_string(i)).status, 401u);
  Reply limited = sign_in();
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(limited.code(), "rate_limited");
  EXPECT_EQ(limited.raw[bhttp::field::retry_after], "1");
  advance(std::chrono::milliseconds(1'000));
  EXPECT_EQ(sign_in().status, 201u);
}

TEST_F(IdentityRoutesTest, HostileSignInBodiesAreRefusedWithTheFieldNamed) {
  make_account();
  struct Case {
    std::string body;
    unsigned status;
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {"{\"email\": \"ana@example.test\", \"password\": ", 400, "invalid_json", ""},
      {"[\"ana@example.test\", \"pw\"]", 400, "invalid_json", ""},
      {"\"just a string\"", 400, "invalid_json", ""},
      {"{\"email\": 5, \"password\": \"x\"}", 400, "invalid_field", "email"},
      {"{\"email\": \"ana@example.test\", \"password\": [\"x\"]}", 400, "invalid_field",
       "password"},
      {"{\"email\": \"ana@example.test\"}", 400, "missing_field", "password"},
      {"{\"email\": null, \"password\": \"x\"}", 400, "missing_field", "email"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"role\": \"owner\"}", 400,
       "invalid_field", "role"},
      {"{\"email\": \"" + std::string(10'000, 'a') + "@example.test\", \"password\": \"x\"}", 400,
       "invalid_field", "email"},
      {"{\"email\": \"ana@example.test\", \"password\": \"" + std::string(5'000, 'x') + "\"}", 400,
       "invalid_field", "password"},
      {"{\"email\": \"' OR '1'='1' --\", \"password\": \"x\"}", 400, "invalid_field", "email"},
      {"{\"email\": \"ana@example.test'; DROP TABLE accounts; --\", \"password\": \"x\"}", 400,
       "invalid_field", "email"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"code\": 123456}", 400,
       "invalid_field", "code"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"device\": \"dev_1\"}", 400,
       "invalid_field", "device"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"device\": {\"id\": \"dev_1\"}}",
       400, "missing_field", "device.signed_at"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"device\": {\"id\": \"d\", "
       "\"signed_at\": \"yesterday\", \"signature\": \"AA\"}}",
       400, "invalid_field", "device.signed_at"},
      {"{\"email\": \"ana@example.test\", \"password\": \"x\", \"device\": {\"id\": \"d\", "
       "\"signed_at\": \"2026-01-01T00:00:00Z\", \"signature\": \"AA\"}}",
       400, "invalid_field", "device.signature"},
  };
  for (const Case& c : cases) {
    Reply r = call(Verb::post, "/api/v1/sessions", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 120) << " -> " << r.raw.body();
    EXPECT_EQ(r.code(), c.code) << c.body.substr(0, 120);
    EXPECT_EQ(r.field(), c.field) << c.body.substr(0, 120);
  }
  // Not JSON at all, by its media type.
  Reply text =
      call(Verb::post, "/api/v1/sessions", "email=ana", {}, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415u);
  // Over the body limit.
  Reply huge =
      call(Verb::post, "/api/v1/sessions", "{\"email\": \"" + std::string(100'000, 'a') + "\"}");
  EXPECT_EQ(huge.status, 413u);
  // None of it touched the account.
  EXPECT_EQ(sign_in().status, 201u);
}

TEST_F(IdentityRoutesTest, SqlMetacharactersInAValidEmailAreJustCharacters) {
  make_account("o'brien+x@example.test", "+15555550150");
  EXPECT_EQ(sign_in("o'brien+x@example.test").status, 201u);
  EXPECT_EQ(sign_in("o'brien+x@example.test' OR '1'='1").status, 400u);
  Reply other = sign_in("o'brien'--@example.test", kPassword);
  EXPECT_EQ(other.status, 401u);
  EXPECT_EQ(other.code(), "unauthenticated");
}

TEST_F(IdentityRoutesTest, MissingMalformedForgedAndExpiredTokensAre401WithAChallenge) {
  make_account();
  const std::string good = access_token();
  const std::vector<std::pair<std::string, std::string>> header_sets[] = {
      {},
      {{"Authorization", "Basic YW5hOnB3"}},
      {{"Authorization", "Bearer"}},
      {{"Authorization", "Bearer " + identity::new_token()}},
      {{"Authorization", "Bearer ' OR 1=1 --"}},
      {{"Authorization", "Bearer " + good + "x"}},
      {{"Authorization", "Bearer " + good}, {"Authorization", "Bearer " + good}},
  };
  for (const auto& headers : header_sets) {
    Reply r = call(Verb::get, "/api/v1/me", {}, {}, headers);
    EXPECT_EQ(r.status, 401u) << (headers.empty() ? "no header" : headers[0].second);
    EXPECT_EQ(r.code(), "unauthenticated");
    EXPECT_EQ(r.raw[bhttp::field::www_authenticate], "Bearer realm=\"latchkey\"");
  }
  // Lower-case scheme is the same scheme (RFC 7235).
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, {}, {{"Authorization", "bearer " + good}}).status,
            200u);
  advance(std::chrono::milliseconds(15 * 60'000));
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, good).status, 401u);
  // Every route for a signed-in person asks for the token first.
  for (auto [method, target] :
       std::vector<std::pair<Verb, std::string>>{{Verb::delete_, "/api/v1/sessions/current"},
                                                 {Verb::put, "/api/v1/me/password"},
                                                 {Verb::post, "/api/v1/me/mfa"},
                                                 {Verb::post, "/api/v1/me/mfa/confirm"},
                                                 {Verb::delete_, "/api/v1/me/mfa"},
                                                 {Verb::post, "/api/v1/me/recovery-codes"},
                                                 {Verb::get, "/api/v1/me/devices"},
                                                 {Verb::post, "/api/v1/me/devices"},
                                                 {Verb::delete_, "/api/v1/me/devices/dev_x"}}) {
    EXPECT_EQ(call(method, target, "{}", good).status, 401u) << target;
  }
}

TEST_F(IdentityRoutesTest, AReusedRefreshTokenEndsTheSession) {
  make_account();
  Reply in = sign_in();
  const std::string first_refresh = in.text("refresh_token");
  Reply legit = post("/api/v1/sessions/refresh", {{"refresh_token", first_refresh}});
  ASSERT_EQ(legit.status, 200u);
  Reply thief = post("/api/v1/sessions/refresh", {{"refresh_token", first_refresh}});
  EXPECT_EQ(thief.status, 401u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, legit.text("access_token")).status, 401u);
  EXPECT_EQ(
      post("/api/v1/sessions/refresh", {{"refresh_token", legit.text("refresh_token")}}).status,
      401u);
  EXPECT_EQ(post("/api/v1/sessions/refresh", {{"refresh_token", 42}}).status, 400u);
}

TEST_F(IdentityRoutesTest, ChangingThePassword) {
  make_account();
  const std::string here = access_token();
  const std::string elsewhere = access_token();
  Reply wrong =
      call(Verb::put, "/api/v1/me/password",
           R"({"current_password": "nope nope nope", "new_password": "a new passphrase"})", here);
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.field(), "current_password");
  Reply weak =
      call(Verb::put, "/api/v1/me/password",
           R"({"current_password": "correct horse 204", "new_password": "password"})", here);
  EXPECT_EQ(weak.status, 400u);
  EXPECT_EQ(weak.field(), "new_password");
  Reply changed = call(
      Verb::put, "/api/v1/me/password",
      R"({"current_password": "correct horse 204", "new_password": "a new passphrase"})", here);
  EXPECT_EQ(changed.status, 204u) << changed.raw.body();
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, here).status, 200u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, elsewhere).status, 401u);
  EXPECT_EQ(sign_in("ana@example.test", "a new passphrase").status, 201u);
}

// "Forgot password" over HTTP: the same 202 byte for byte for an account and for nobody, the link
// from the mail sets the new password once, and the hostile bodies name their field.
TEST_F(IdentityRoutesTest, ForgotPasswordFromTheRequestToTheNewPassword) {
  const identity::Account ana = make_account();
  const std::string before = access_token();
  Reply known = post("/api/v1/password-reset", {{"email", "ana@example.test"}});
  Reply nobody = post("/api/v1/password-reset", {{"email", "nobody@example.test"}});
  EXPECT_EQ(known.status, 202u) << known.raw.body();
  EXPECT_EQ(known.raw.body(), nobody.raw.body());
  EXPECT_EQ(known.raw[bhttp::field::cache_control], "no-store");

  notify::MessageFilter filter;
  filter.account = ana.id;
  filter.kind = notify::Kind::password_reset;
  auto mails = on_server([&] { return node_->outbox().list(filter); });
  ASSERT_TRUE(mails);
  ASSERT_EQ(mails->size(), 1u);
  const std::string& body = mails->front().notice.body;
  const auto at = body.find("/reset-password/");
  ASSERT_NE(at, std::string::npos) << body;
  const std::string token = body.substr(at + 16, 43);

  Reply weak =
      post("/api/v1/password-reset/complete", {{"token", token}, {"new_password", "password"}});
  EXPECT_EQ(weak.status, 400u);
  EXPECT_EQ(weak.field(), "new_password");
  Reply done = post("/api/v1/password-reset/complete",
                    {{"token", token}, {"new_password", "a new passphrase"}});
  EXPECT_EQ(done.status, 204u) << done.raw.body();
  Reply again = post("/api/v1/password-reset/complete",
                     {{"token", token}, {"new_password", "another passphrase"}});
  EXPECT_EQ(again.status, 401u);
  EXPECT_EQ(again.field(), "token");
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, before).status, 401u);
  EXPECT_EQ(sign_in("ana@example.test", kPassword).status, 401u);
  EXPECT_EQ(sign_in("ana@example.test", "a new passphrase").status, 201u);

  EXPECT_EQ(post("/api/v1/password-reset", {{"email", 7}}).status, 400u);
  EXPECT_EQ(post("/api/v1/password-reset", {{"email", "not an address"}}).field(), "email");
  EXPECT_EQ(post("/api/v1/password-reset", {{"email", "ana@example.test"}, {"extra", 1}}).status,
            400u);
  EXPECT_EQ(post("/api/v1/password-reset/complete", {{"token", token}}).code(), "missing_field");
}

TEST_F(IdentityRoutesTest, MfaFromEnrollmentToSignInToTurningItOff) {
  make_account();
  const std::string token = access_token();
  EXPECT_EQ(post("/api/v1/me/mfa", {{"password", "wrong password!"}}, token).status, 401u);
  Reply begun = post("/api/v1/me/mfa", {{"password", kPassword}}, token);
  ASSERT_EQ(begun.status, 201u) << begun.raw.body();
  EXPECT_EQ(begun.raw[bhttp::field::cache_control], "no-store");
  EXPECT_TRUE(begun.text("otpauth_uri").starts_with("otpauth://totp/Latchkey:"));
  auto secret = identity::totp::from_base32(begun.text("secret"));
  ASSERT_TRUE(secret);
  auto code_now = [&] {
    return identity::totp::code(*secret, identity::totp::step_at(scheduler_.now()));
  };

  EXPECT_EQ(post("/api/v1/me/mfa/confirm", {{"code", "12345"}}, token).field(), "code");
  Reply confirmed = post("/api/v1/me/mfa/confirm", {{"code", code_now()}}, token);
  ASSERT_EQ(confirmed.status, 200u) << confirmed.raw.body();
  ASSERT_EQ(confirmed.body.at("recovery_codes").as_array().size(), 10u);
  const std::string recovery(confirmed.body.at("recovery_codes").as_array()[0].as_string());

  Reply no_code = sign_in();
  EXPECT_EQ(no_code.status, 401u);
  EXPECT_EQ(no_code.field(), "code");
  advance(std::chrono::milliseconds(identity::totp::kStepMs));
  Reply with_code =
      post("/api/v1/sessions",
           {{"email", "ana@example.test"}, {"password", kPassword}, {"code", code_now()}});
  ASSERT_EQ(with_code.status, 201u) << with_code.raw.body();
  EXPECT_TRUE(with_code.body.at("session").at("mfa_satisfied").as_bool());
  Reply with_recovery =
      post("/api/v1/sessions",
           {{"email", "ana@example.test"}, {"password", kPassword}, {"code", recovery}});
  EXPECT_EQ(with_recovery.status, 201u) << with_recovery.raw.body();

  Reply fresh = post("/api/v1/me/recovery-codes", {{"password", kPassword}}, token);
  ASSERT_EQ(fresh.status, 200u) << fresh.raw.body();
  EXPECT_EQ(fresh.body.at("recovery_codes").as_array().size(), 10u);
  EXPECT_EQ(post("/api/v1/me/recovery-codes", {}, token).code(), "missing_field");

  advance(std::chrono::milliseconds(identity::totp::kStepMs));
  Reply off = call(Verb::delete_, "/api/v1/me/mfa",
                   json::serialize(json::object{{"code", code_now()}}), token);
  EXPECT_EQ(off.status, 204u) << off.raw.body();
  EXPECT_EQ(sign_in().status, 201u);
  EXPECT_EQ(
      call(Verb::delete_, "/api/v1/me/mfa", R"({"password": "correct horse 204"})", token).status,
      409u);
}

TEST_F(IdentityRoutesTest, DevicesAreEnrolledListedUsedToSignInAndRemoved) {
  identity::Account ana = make_account();
  const std::string token = access_token();
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sk{};
  crypto_sign_keypair(pk.data(), sk.data());

  Reply bad_key = post("/api/v1/me/devices", {{"name", "phone"}, {"public_key", "AAAA"}}, token);
  EXPECT_EQ(bad_key.status, 400u);
  EXPECT_EQ(bad_key.field(), "public_key");
  Reply enrolled = post("/api/v1/me/devices",
                        {{"name", "Ana's phone"}, {"public_key", identity::base64url(pk)}}, token);
  ASSERT_EQ(enrolled.status, 201u) << enrolled.raw.body();
  const std::string device = enrolled.text("id");
  Reply listed = call(Verb::get, "/api/v1/me/devices", {}, token);
  ASSERT_EQ(listed.status, 200u);
  ASSERT_EQ(listed.body.at("devices").as_array().size(), 1u);
  EXPECT_EQ(listed.body.at("devices").as_array()[0].at("public_key").as_string(),
            identity::base64url(pk));

  // The app signs in again, proving it is the enrolled device.
  advance(std::chrono::milliseconds(1'000));
  identity::DeviceProof proof{device, http::format_rfc3339(scheduler_.now()), scheduler_.now(), {}};
  const std::string message = identity::proof_message(proof, "ana@example.test");
  crypto_sign_detached(proof.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       sk.data());
  Reply in = post("/api/v1/sessions",
                  {{"email", "ana@example.test"},
                   {"password", kPassword},
                   {"device", json::object{{"id", device},
                                           {"signed_at", proof.signed_at},
                                           {"signature", identity::base64url(proof.signature)}}}});
  ASSERT_EQ(in.status, 201u) << in.raw.body();
  EXPECT_EQ(in.body.at("session").at("device").as_string(), device);
  const std::string phone_token = in.text("access_token");

  EXPECT_EQ(
      call(Verb::delete_, "/api/v1/me/devices/dev_00000000000000000000000000000000", {}, token)
          .status,
      404u);
  EXPECT_EQ(call(Verb::delete_, "/api/v1/me/devices/%27%20OR%201%3D1%20--", {}, token).status,
            404u);
  EXPECT_EQ(call(Verb::delete_, "/api/v1/me/devices/" + device, {}, token).status, 204u);
  // Both sessions were bound to the device (the enrolling one and the phone's): both are over.
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, phone_token).status, 401u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, token).status, 401u);
  auto notices = on_server([&] {
    notify::MessageFilter filter;
    filter.account = ana.id;
    return *node_->outbox().list(filter);
  });
  int device_notices = 0;
  for (const auto& m : notices)
    device_notices += m.notice.subject.find("device was") != std::string::npos ? 1 : 0;
  EXPECT_EQ(device_notices, 2);
}

TEST_F(IdentityRoutesTest, AnotherAccountsDeviceCannotBeRemoved) {
  make_account("ana@example.test", "+15555550100");
  make_account("bo@example.test", "+15555550101");
  const std::string ana = access_token("ana@example.test");
  const std::string bo = access_token("bo@example.test");
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  Reply enrolled = post("/api/v1/me/devices",
                        {{"name", "Ana's phone"}, {"public_key", identity::base64url(pk)}}, ana);
  ASSERT_EQ(enrolled.status, 201u);
  EXPECT_EQ(call(Verb::delete_, "/api/v1/me/devices/" + enrolled.text("id"), {}, bo).status, 404u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me/devices", {}, bo).body.at("devices").as_array().size(), 0u);
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, ana).status, 200u);
}

TEST_F(IdentityRoutesTest, ASuspendedAccountsTokensStopAndItsSignInLooksLikeAWrongPassword) {
  identity::Account ana = make_account();
  const std::string token = access_token();
  Reply wrong = sign_in("ana@example.test", "wrong password here");
  ASSERT_TRUE(
      on_server([&] { return node_->identity().accounts().suspend(ana.id, "system", ""); }));
  EXPECT_EQ(call(Verb::get, "/api/v1/me", {}, token).status, 401u);
  Reply suspended = sign_in();
  EXPECT_EQ(suspended.status, 401u);
  EXPECT_EQ(suspended.raw.body(), wrong.raw.body());
}

// Another domain's routes learn who is calling from the same bearer token, and about the account
// from identity: a signed-in person may create a site (access checks the account is active),
// nobody without a token may, and a suspended account's token stops working there too.
TEST_F(IdentityRoutesTest, AccessRoutesKnowTheCallerByTheBearerTokenAndTheAccountByIdentity) {
  identity::Account ana = make_account();
  const std::string token = access_token();
  const std::string site = R"({"id":"maple-12","name":"12 Maple St","timezone":"Europe/London"})";
  EXPECT_EQ(call(Verb::post, "/api/v1/sites", site).status, 401u);
  Reply created = call(Verb::post, "/api/v1/sites", site, token);
  EXPECT_EQ(created.status, 201u) << created.raw.body();
  Reply mine = call(Verb::get, "/api/v1/sites", {}, token);
  ASSERT_EQ(mine.status, 200u) << mine.raw.body();
  EXPECT_EQ(mine.body.at("sites").as_array().size(), 1u);

  ASSERT_TRUE(
      on_server([&] { return node_->identity().accounts().suspend(ana.id, "system", ""); }));
  EXPECT_EQ(call(Verb::get, "/api/v1/sites", {}, token).status, 401u);
}

}  // namespace
}  // namespace server::api
