#include "app/demo_site.hpp"

#include <array>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "app/api_client.hpp"
#include "transport/child_process.hpp"

namespace app {

namespace {

namespace json = boost::json;
using boost::beast::http::verb;
using Status = lockcore::Result<void, std::string>;

constexpr std::string_view kPassword = "demo passphrase 2026";

struct Person {
  std::string_view email, phone, name, role, unit;  // unit empty: the whole site
};
constexpr std::array<Person, 6> kPeople{{
    {"olive@demo.test", "+15555550100", "Olive Owner", "owner", ""},
    {"mo@demo.test", "+15555550101", "Mo Manager", "manager", ""},
    {"max@demo.test", "+15555550102", "Max Maintenance", "maintenance", ""},
    {"ana@demo.test", "+15555550103", "Ana Resident", "resident", "101"},
    {"ben@demo.test", "+15555550104", "Ben Resident", "resident", "102"},
    {"chen@demo.test", "+15555550105", "Chen Resident", "resident", "103"},
}};
constexpr std::array<std::string_view, 4> kUnits{"101", "102", "103", "104"};

// Polls `ready` every 200 ms until it holds or `patience` has passed.
template <class Ready>
bool wait_until(std::chrono::seconds patience, Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

std::string rfc3339_days_from_now(int days) {
  const auto at = std::chrono::system_clock::now() + std::chrono::hours(24 * days);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(at)));
}

Status create_accounts(const DemoSite& where) {
  const std::filesystem::path password_file = where.config.parent_path() / "demo-password";
  {
    std::ofstream out(password_file);
    out << kPassword << '\n';
    if (!out) return lockcore::fail("cannot write " + password_file.string());
  }
  const std::filesystem::path log = where.config.parent_path() / "accounts.log";
  for (const Person& p : kPeople) {
    auto ran =
        transport::run_child({where.latchkey,
                              {"account", "create", "--config", where.config.string(), "--email",
                               std::string(p.email), "--phone", std::string(p.phone), "--name",
                               std::string(p.name), "--password-file", password_file.string()},
                              log,
                              true},
                             std::chrono::seconds(60));
    if (!ran) {
      std::filesystem::remove(password_file);
      return lockcore::fail(fmt::format("latchkey account create --email {}: {} (see {})", p.email,
                                        ran.error(), log.string()));
    }
  }
  std::filesystem::remove(password_file);
  return {};
}

lockcore::Result<std::string, std::string> sign_in(const ApiClient& api, std::string_view email) {
  auto session = api.expect_ok(verb::post, "/api/v1/sessions",
                               json::value{{"email", email}, {"password", kPassword}});
  if (!session) return lockcore::fail(session.error());
  const json::value* token =
      session->is_object() ? session->as_object().if_contains("access_token") : nullptr;
  if (token == nullptr || !token->is_string())
    return lockcore::fail("sign-in of " + std::string(email) + " answered without a token");
  return std::string(token->as_string());
}

// One request on the simulator's control channel (sim/control.hpp: a JSON line in, one out).
Status control(const std::filesystem::path& socket_path, const json::object& request) {
  boost::asio::io_context io;
  boost::asio::local::stream_protocol::socket socket(io);
  boost::system::error_code ec;
  socket.connect(socket_path.string(), ec);
  if (ec)
    return lockcore::fail(
        fmt::format("simulator control {}: {}", socket_path.string(), ec.message()));
  const std::string line = json::serialize(request) + "\n";
  boost::asio::write(socket, boost::asio::buffer(line), ec);
  boost::asio::streambuf answer;
  if (!ec) boost::asio::read_until(socket, answer, '\n', ec);
  if (ec) return lockcore::fail(fmt::format("simulator control: {}", ec.message()));
  std::string text((std::istreambuf_iterator<char>(&answer)), std::istreambuf_iterator<char>());
  boost::system::error_code parse_error;
  json::value parsed = json::parse(text, parse_error);
  const json::value* ok =
      !parse_error && parsed.is_object() ? parsed.as_object().if_contains("ok") : nullptr;
  if (ok == nullptr || !ok->is_bool() || !ok->as_bool())
    return lockcore::fail(fmt::format("simulator refused {}: {}", json::serialize(request), text));
  return {};
}

lockcore::Result<json::object, std::string> read_manifest(const std::filesystem::path& path) {
  if (!wait_until(std::chrono::seconds(30), [&] { return std::filesystem::exists(path); }))
    return lockcore::fail(path.string() + " did not appear (see sim.log)");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value manifest = json::parse(text.str(), ec);
  if (ec || !manifest.is_object()) return lockcore::fail(path.string() + " is not a JSON object");
  return std::move(manifest.as_object());
}

// Every step of seeding in order; the first refusal stops it.
class Seeder {
 public:
  explicit Seeder(const DemoSite& where)
      : where_(where), owner_(where.host, where.http_port), ana_(where.host, where.http_port) {}

  Status run() {
    if (!wait_until(std::chrono::seconds(60), [&] {
          auto health = owner_.call(verb::get, "/healthz", std::nullopt, std::chrono::seconds(2));
          return health && health->status == 200;
        })) {
      return lockcore::fail(
          fmt::format("the server did not come up on port {} (see server.log)", where_.http_port));
    }
    if (Status s = create_accounts(where_); !s) return s;
    if (Status s = people(); !s) return s;
    auto manifest = read_manifest(where_.manifest);
    if (!manifest) return lockcore::fail(manifest.error());
    if (Status s = commission(*manifest); !s) return s;
    return varied_health();
  }

 private:
  Status ok(verb method, const std::string& target, const json::value& body, const ApiClient& as) {
    auto answer = as.expect_ok(method, target, body);
    if (!answer) return lockcore::fail(answer.error());
    return {};
  }
  std::string site_path() const { return "/api/v1/sites/" + where_.site; }

  Status people() {
    auto token = sign_in(owner_, kPeople[0].email);
    if (!token) return lockcore::fail(token.error());
    owner_.sign_in_as(*token);
    if (Status s =
            ok(verb::post, "/api/v1/sites",
               {{"id", where_.site}, {"name", "Maple Court"}, {"timezone", "America/New_York"}},
               owner_);
        !s)
      return s;
    for (std::string_view unit : kUnits) {
      if (Status s = ok(verb::post, site_path() + "/units",
                        {{"id", unit}, {"name", fmt::format("Apartment {}", unit)}}, owner_);
          !s)
        return s;
    }
    for (std::size_t i = 1; i < kPeople.size(); ++i) {
      json::object invitation{{"email", kPeople[i].email}, {"role", kPeople[i].role}};
      if (!kPeople[i].unit.empty()) invitation["unit"] = kPeople[i].unit;
      if (Status s = ok(verb::post, site_path() + "/people", invitation, owner_); !s) return s;
    }
    return {};
  }

  Status commission(const json::object& manifest) {
    const json::array* hubs = manifest.contains("hubs") ? manifest.at("hubs").if_array() : nullptr;
    const json::array* locks =
        manifest.contains("locks") ? manifest.at("locks").if_array() : nullptr;
    if (hubs == nullptr || locks == nullptr)
      return lockcore::fail("the manifest lists no hubs or locks");
    for (const json::value& hub : *hubs) {
      const json::value& id = hub.at("id");
      if (Status s = ok(verb::post, site_path() + "/hubs", {{"id", id}, {"name", id}}, owner_); !s)
        return s;
    }
    for (std::size_t i = 0; i < locks->size(); ++i) {
      const json::object& lock = (*locks)[i].as_object();
      const std::string id(lock.at("id").as_string());
      json::object body{
          {"id", id}, {"link", lock.at("link")}, {"pairing_code", lock.at("pairing_code")}};
      if (i < kUnits.size()) {
        body["name"] = fmt::format("Apartment {}", kUnits[i]);
        body["unit"] = kUnits[i];
      } else {
        body["name"] = "Lobby " + id;
      }
      lock_ids_.push_back(id);
      // 503 until the server has heard the lock announce itself on the broker.
      std::optional<ApiAnswer> last;
      wait_until(std::chrono::seconds(30), [&] {
        auto answer = owner_.call(verb::post, site_path() + "/locks", json::value(body));
        if (!answer) return false;
        last = std::move(*answer);
        return last->status != 503;
      });
      if (!last || last->status != 201)
        return lockcore::fail(fmt::format("commissioning {} answered {}: {}", id,
                                          last ? last->status : 0, last ? last->text : "nothing"));
    }
    if (!hubs->empty()) last_hub_ = std::string(hubs->back().at("id").as_string());
    return {};
  }

  Status varied_health() {
    if (lock_ids_.size() < 3) return lockcore::fail("the demo needs at least three locks");
    if (!last_hub_.empty()) {
      if (Status s = control(where_.control, {{"fault", "hub_down"}, {"hub", last_hub_}}); !s)
        return s;
    }
    for (int pct : {62, 41, 27, 14}) {  // a trend for the battery chart to fit
      if (Status s =
              control(where_.control, {{"fault", "battery"}, {"lock", lock_ids_[2]}, {"pct", pct}});
          !s)
        return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    // The jam shows when the motor stalls on an unlock.
    if (Status s = control(where_.control, {{"fault", "jam"}, {"lock", lock_ids_[0]}}); !s)
      return s;
    if (auto unlocked =
            owner_.expect_ok(verb::post, site_path() + "/locks/" + lock_ids_[0] + "/unlock");
        !unlocked)
      return lockcore::fail(unlocked.error());
    // A code fanned out to every door: set on the reachable ones, pending behind the hub.
    json::array every_lock;
    for (const std::string& id : lock_ids_)
      every_lock.emplace_back(id);
    if (Status s = ok(verb::post, site_path() + "/codes",
                      {{"name", "Cleaning crew"},
                       {"kind", "guest"},
                       {"locks", every_lock},
                       {"valid_from", rfc3339_days_from_now(0)},
                       {"valid_until", rfc3339_days_from_now(90)},
                       {"schedule", "Mo,We,Fr 08:00-18:00"}},
                      owner_);
        !s)
      return s;
    // Ana is locked out of her jammed door: a lockout case with its diagnosis.
    auto token = sign_in(ana_, kPeople[3].email);
    if (!token) return lockcore::fail(token.error());
    ana_.sign_in_as(*token);
    if (Status s =
            ok(verb::post, site_path() + "/codes",
               {{"name", "My code"}, {"kind", "own"}, {"locks", json::array{lock_ids_[0]}}}, ana_);
        !s)
      return s;
    return ok(verb::post, "/api/v1/lockout/cases",
              {{"site", where_.site},
               {"door", lock_ids_[0]},
               {"symptoms", json::array{"motor_runs_bolt_stuck"}}},
              ana_);
  }

  const DemoSite& where_;
  ApiClient owner_;
  ApiClient ana_;
  std::vector<std::string> lock_ids_;
  std::string last_hub_;
};

std::string logins() {
  std::string text = fmt::format("Sign in with any of these (password: {}):\n", kPassword);
  for (const Person& p : kPeople) {
    text += fmt::format("  {:<18} {}{}\n", p.email, p.role,
                        p.unit.empty() ? std::string() : fmt::format(" of apartment {}", p.unit));
  }
  return text;
}

}  // namespace

lockcore::Result<std::string, std::string> seed_demo_site(const DemoSite& where) {
  Seeder seeder(where);
  if (auto seeded = seeder.run(); !seeded) return lockcore::fail(seeded.error());
  return logins();
}

}  // namespace app
