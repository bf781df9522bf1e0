#include "server/api/identity_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "server/api/error_mapping.hpp"
#include "server/http/json.hpp"
#include "server/http/rfc3339.hpp"
#include "server/identity/contact.hpp"
#include "server/identity/password_policy.hpp"

namespace server::api {

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Identity;

constexpr std::size_t kMaxPassword = identity::kMaxPasswordBytes;
constexpr std::size_t kMaxCode = 64;  // longer than any TOTP or recovery code, typed loosely

Response no_store(Response response) {
  response.message.set(boost::beast::http::field::cache_control, "no-store");
  return response;
}

Response failure(const Error& error) {
  return no_store(error_response(error));
}

Response failure(const http::Error& error) {
  return no_store(http::error_response(error));
}

json::value nullable(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::object account_json(const identity::Account& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"phone", a.phone},
          {"display_name", a.display_name},
          {"status", identity::to_string(a.status)},
          {"mfa_enabled", a.mfa_enabled},
          {"created_at", http::format_rfc3339(a.created)}};
}

json::object session_json(const identity::SignedIn& s) {
  return {{"session", json::object{{"id", s.actor.session},
                                   {"account", s.actor.account},
                                   {"device", nullable(s.actor.device)},
                                   {"mfa_satisfied", s.actor.mfa_satisfied}}},
          {"token_type", "Bearer"},
          {"access_token", s.tokens.access_token},
          {"access_expires_at", http::format_rfc3339(s.tokens.access_expires)},
          {"refresh_token", s.tokens.refresh_token},
          {"refresh_expires_at", http::format_rfc3339(s.tokens.refresh_expires)}};
}

json::object device_json(const identity::Device& d) {
  return {{"id", d.id},
          {"name", d.name},
          {"public_key", d.public_key},
          {"created_at", http::format_rfc3339(d.created)},
          {"last_seen_at", http::format_rfc3339(d.last_seen)}};
}

json::object codes_json(const std::vector<std::string>& codes) {
  json::array list;
  for (const std::string& c : codes)
    list.emplace_back(c);
  return {{"recovery_codes", std::move(list)}};
}

// The body as a JSON object whose fields `read` takes with an ObjectReader; the first error (a
// body that is not JSON, a wrong or unknown field) as an answer.
template <class Read>
std::optional<Response> read_body(const Request& request, Read read) {
  auto body = http::parse_object(request);
  if (!body) return failure(body.error());
  http::ObjectReader in(*body);
  read(in);
  if (auto done = in.finish(); !done) return failure(done.error());
  return std::nullopt;
}

// A field of a nested object names its path: "device.signature".
http::Error nested(std::string_view parent, http::Error error) {
  if (!error.field.empty()) {
    const std::string path = std::string(parent) + "." + error.field;
    if (error.message.starts_with("\"" + error.field + "\""))
      error.message = "\"" + path + "\"" + error.message.substr(error.field.size() + 2);
    error.field = path;
  }
  return error;
}

// {"id", "signed_at", "signature"} of a sign-in's device proof.
lockcore::Result<identity::DeviceProof, http::Error> read_proof(const json::object& object) {
  http::ObjectReader in(object);
  identity::DeviceProof proof;
  proof.device = in.text("id", 64);
  proof.signed_at = in.text("signed_at", 64);
  std::string signature = in.text("signature", 128);
  if (auto done = in.finish(); !done) return lockcore::fail(nested("device", done.error()));
  auto at = http::parse_rfc3339(proof.signed_at);
  if (!at)
    return lockcore::fail(http::Error::invalid_field("device.signed_at", "must be RFC 3339"));
  proof.at = *at;
  auto parsed = identity::parse_signature(signature, "device.signature");
  if (!parsed) return lockcore::fail(to_http(parsed.error()));
  proof.signature = *parsed;
  return proof;
}

// A handler for a signed-in person: authenticates, then runs `act(request, actor)`.
template <class Act>
http::Handler signed_in(const Auth& auth, Act act) {
  return [&auth, act](Request& request) -> asio::awaitable<Response> {
    auto actor = co_await auth.authenticate(request);
    if (!actor) co_return failure(actor.error());
    co_return no_store(co_await act(request, *actor));
  };
}

// {"password"} or {"code"}, for acts that need the person to prove it is still them.
std::optional<Response> read_reauthentication(const Request& request,
                                              identity::Reauthentication& proof) {
  return read_body(request, [&](http::ObjectReader& in) {
    proof.password = in.optional_text("password", kMaxPassword);
    proof.code = in.optional_text("code", kMaxCode);
  });
}

}  // namespace

void add_identity_routes(http::Router& router, Identity& identity, const Auth& auth) {
  router.post("/api/v1/sessions", [&identity](Request& request) -> asio::awaitable<Response> {
    identity::SignIn sign_in;
    std::optional<json::object> device;
    if (auto bad = read_body(request,
                             [&](http::ObjectReader& in) {
                               sign_in.email = in.text("email", identity::kMaxEmailLength);
                               sign_in.password = in.text("password", kMaxPassword);
                               sign_in.code = in.optional_text("code", kMaxCode);
                               if (const json::object* d = in.object("device")) device = *d;
                             });
        bad)
      co_return std::move(*bad);
    if (device) {
      auto proof = read_proof(*device);
      if (!proof) co_return failure(proof.error());
      sign_in.device = std::move(*proof);
    }
    sign_in.source = source_of(request);
    auto signed_in = co_await identity.sessions().sign_in(std::move(sign_in));
    if (!signed_in) co_return failure(signed_in.error());
    auto account = identity.accounts().find(signed_in->actor.account);
    if (!account) co_return failure(account.error());
    json::object body = session_json(*signed_in);
    body["account"] = account_json(*account);
    co_return no_store(http::json_response(201, body));
  });

  // "Forgot password": the same 202 whether or not the address is an account's.
  router.post("/api/v1/password-reset", [&identity](Request& request) -> asio::awaitable<Response> {
    std::string email;
    if (auto bad = read_body(
            request,
            [&](http::ObjectReader& in) { email = in.text("email", identity::kMaxEmailLength); });
        bad)
      co_return std::move(*bad);
    auto asked = identity.password_reset().request(email, source_of(request));
    if (!asked) co_return failure(asked.error());
    co_return no_store(http::json_response(
        202, json::object{{"message",
                           "If the address belongs to an account, a link to reset its password "
                           "is on its way to it. The link expires in 30 minutes."}}));
  });

  router.post("/api/v1/password-reset/complete",
              [&identity](Request& request) -> asio::awaitable<Response> {
                std::string token, password;
                if (auto bad = read_body(request,
                                         [&](http::ObjectReader& in) {
                                           token = in.text("token", 128);
                                           password = in.text("new_password", kMaxPassword);
                                         });
                    bad)
                  co_return std::move(*bad);
                auto done = co_await identity.password_reset().complete(
                    std::move(token), std::move(password), source_of(request));
                if (!done) co_return failure(done.error());
                co_return no_store(http::no_content());
              });

  router.post(
      "/api/v1/sessions/refresh", [&identity](Request& request) -> asio::awaitable<Response> {
        std::string token;
        if (auto bad = read_body(
                request, [&](http::ObjectReader& in) { token = in.text("refresh_token", 128); });
            bad)
          co_return std::move(*bad);
        auto refreshed = identity.sessions().refresh(token, source_of(request));
        if (!refreshed) co_return failure(refreshed.error());
        co_return no_store(http::json_response(200, session_json(*refreshed)));
      });

  router.del(
      "/api/v1/sessions/current",
      signed_in(auth, [&identity](Request&, const Actor& actor) -> asio::awaitable<Response> {
        auto ended = identity.sessions().sign_out(actor);
        if (!ended) co_return error_response(ended.error());
        co_return http::no_content();
      }));

  router.get(
      "/api/v1/me",
      signed_in(auth, [&identity](Request&, const Actor& actor) -> asio::awaitable<Response> {
        auto account = identity.accounts().find(actor.account);
        if (!account) co_return error_response(account.error());
        json::object body = account_json(*account);
        body["session"] = json::object{{"id", actor.session},
                                       {"device", nullable(actor.device)},
                                       {"mfa_satisfied", actor.mfa_satisfied}};
        co_return http::json_response(200, body);
      }));

  router.put(
      "/api/v1/me/password",
      signed_in(auth,
                [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
                  std::string current;
                  std::string next;
                  if (auto bad = read_body(request,
                                           [&](http::ObjectReader& in) {
                                             current = in.text("current_password", kMaxPassword);
                                             next = in.text("new_password", kMaxPassword);
                                           });
                      bad)
                    co_return std::move(*bad);
                  auto changed = co_await identity.accounts().change_password(
                      actor, std::move(current), std::move(next), source_of(request));
                  if (!changed) co_return error_response(changed.error());
                  co_return http::no_content();
                }));

  router.post(
      "/api/v1/me/mfa",
      signed_in(
          auth, [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
            std::string password;
            if (auto bad = read_body(
                    request,
                    [&](http::ObjectReader& in) { password = in.text("password", kMaxPassword); });
                bad)
              co_return std::move(*bad);
            auto begun =
                co_await identity.mfa().begin(actor, std::move(password), source_of(request));
            if (!begun) co_return error_response(begun.error());
            co_return http::json_response(
                201, json::object{{"secret", begun->secret}, {"otpauth_uri", begun->otpauth_uri}});
          }));

  router.post(
      "/api/v1/me/mfa/confirm",
      signed_in(
          auth, [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
            std::string code;
            if (auto bad = read_body(
                    request, [&](http::ObjectReader& in) { code = in.text("code", kMaxCode); });
                bad)
              co_return std::move(*bad);
            auto codes = identity.mfa().confirm(actor, code);
            if (!codes) co_return error_response(codes.error());
            co_return http::json_response(200, codes_json(*codes));
          }));

  router.del(
      "/api/v1/me/mfa",
      signed_in(
          auth, [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
            identity::Reauthentication proof;
            if (auto bad = read_reauthentication(request, proof); bad) co_return std::move(*bad);
            auto off = co_await identity.mfa().disable(actor, std::move(proof), source_of(request));
            if (!off) co_return error_response(off.error());
            co_return http::no_content();
          }));

  router.post(
      "/api/v1/me/recovery-codes",
      signed_in(auth,
                [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
                  identity::Reauthentication proof;
                  if (auto bad = read_reauthentication(request, proof); bad)
                    co_return std::move(*bad);
                  auto codes = co_await identity.mfa().regenerate_recovery_codes(
                      actor, std::move(proof), source_of(request));
                  if (!codes) co_return error_response(codes.error());
                  co_return http::json_response(200, codes_json(*codes));
                }));

  router.get(
      "/api/v1/me/devices",
      signed_in(auth, [&identity](Request&, const Actor& actor) -> asio::awaitable<Response> {
        auto devices = identity.devices().list(actor.account);
        if (!devices) co_return error_response(devices.error());
        json::array list;
        for (const identity::Device& d : *devices)
          list.emplace_back(device_json(d));
        co_return http::json_response(200, json::object{{"devices", std::move(list)}});
      }));

  router.post(
      "/api/v1/me/devices",
      signed_in(auth,
                [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
                  std::string name;
                  std::string key;
                  if (auto bad = read_body(request,
                                           [&](http::ObjectReader& in) {
                                             name = in.text("name", 256);
                                             key = in.text("public_key", 256);
                                           });
                      bad)
                    co_return std::move(*bad);
                  auto device = identity.devices().enroll(actor, name, key);
                  if (!device) co_return error_response(device.error());
                  co_return http::json_response(201, device_json(*device));
                }));

  router.del(
      "/api/v1/me/devices/{device}",
      signed_in(auth,
                [&identity](Request& request, const Actor& actor) -> asio::awaitable<Response> {
                  auto removed = identity.devices().remove(actor, request.param("device"));
                  if (!removed) co_return error_response(removed.error());
                  co_return http::no_content();
                }));
}

}  // namespace server::api
