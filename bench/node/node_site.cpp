#include "bench/node/node_site.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <future>
#include <pthread.h>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "sim/broker_logins.hpp"
#include "transport/broker_config.hpp"

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "bench: node site: %s\n", why.c_str());
  std::exit(1);
}

constexpr const char* kOwnerEmail = "owner@bench.example";
constexpr const char* kOwnerPassword = "correct horse 204 bench";

}  // namespace

// ---- BlockingClient --------------------------------------------------------------------------

BlockingClient::BlockingClient(asio::ip::tcp::endpoint endpoint) : endpoint_(endpoint) {}

BlockingClient::Reply BlockingClient::call(bhttp::verb method, const std::string& target,
                                           const std::string& token, const std::string& json_body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    beast::error_code ec;
    if (!stream_) {
      stream_.emplace(io_);
      stream_->socket().connect(endpoint_, ec);
      if (ec) {
        stream_.reset();
        continue;
      }
      stream_->socket().set_option(asio::ip::tcp::no_delay(true));
    }
    bhttp::request<bhttp::string_body> request(method, target, 11);
    request.set(bhttp::field::host, "localhost");
    request.keep_alive(true);
    if (!token.empty()) request.set(bhttp::field::authorization, "Bearer " + token);
    if (!json_body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = json_body;
    request.prepare_payload();
    bhttp::write(*stream_, request, ec);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    if (!ec) bhttp::read(*stream_, buffer, response, ec);
    if (ec) {
      stream_.reset();
      continue;
    }
    if (!response.keep_alive()) stream_.reset();
    return {response.result_int(), std::move(response.body())};
  }
  return {};
}

// ---- NodeSite --------------------------------------------------------------------------------

std::string NodeSite::site_path(const std::string& rest) {
  return std::string("/api/v1/sites/") + kBenchSite + rest;
}

NodeSite::NodeSite(NodeSiteOptions options) {
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  char dir_template[] = "/tmp/latchkey-bench-node-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) die("cannot create a temporary directory");
  dir_ = dir_template;
  const auto began = Clock::now();
  auto since = [&began] { return std::chrono::duration<double>(Clock::now() - began).count(); };

  // The broker, with every lock's login and the server's.
  sim::FleetConfig fleet_config = sim::standard_fleet(kBenchSite, options.locks, 0);
  auto logins = sim::fleet_broker_logins(fleet_config);
  if (!logins) die(logins.error().message);
  logins->push_back(transport::server_login());
  transport::BrokerSettings settings;
  settings.dir = dir_ / "broker";
  auto broker = transport::BrokerProcess::start(settings, *logins);
  if (!broker) die(broker.error().message);
  broker_.emplace(std::move(*broker));

  // The fleet, not yet started: its pairing codes are read while no other thread drives it.
  fleet_config.broker.port = broker_->port();
  fleet_config.credentials = broker_->credentials();
  for (const sim::LockSpec& l : fleet_config.locks)
    locks_.push_back(l.id);
  auto fleet = sim::Fleet::create(fleet_thread_.io, std::move(fleet_config));
  if (!fleet) die(fleet.error().message);
  fleet_ = std::move(*fleet);
  std::vector<std::string> pairing_codes;
  for (const std::string& l : locks_) {
    auto code = fleet_->pairing_code(l);
    if (!code) die(code.error().message);
    pairing_codes.push_back(*code);
  }

  // The Node, as `latchkey serve` opens it (the cheap password hash: sign-in is not measured).
  server::config::Config config;
  config.store.path = (dir_ / "latchkey.db").string();
  config.http.port = 0;
  config.log.access = false;
  config.log.level = options.log_level;
  config.identity.password_opslimit = 1;
  config.identity.password_memlimit_kib = 8;
  config.identity.allow_weak_password_hash = true;
  config.broker.host = "127.0.0.1";
  config.broker.port = broker_->port();
  config.broker.login = "server";
  config.broker.credentials_file = (settings.dir / "credentials").string();
  scheduler_.emplace(node_thread_.io);
  auto node = server::Node::open(node_thread_.io, *scheduler_, config);
  if (!node) die("the node did not open: " + node.error());
  node_ = std::move(*node);
  auto bound = node_->start_http();
  if (!bound) die("the node did not listen: " + bound.error());
  endpoint_ = *bound;
  node_thread_.start();

  std::promise<bool> made;
  auto account = made.get_future();
  asio::co_spawn(
      node_thread_.io,
      [&]() -> asio::awaitable<void> {
        // Named, not a braced temporary in the co_await (g++ 12 frees such a temporary twice).
        server::identity::NewAccount owner{kOwnerEmail, "+15555550100", "Bench Owner",
                                           kOwnerPassword};
        auto created =
            co_await node_->identity().accounts().create(std::move(owner), "system:bench");
        if (!created) std::fprintf(stderr, "owner account: %s\n", created.error().message.c_str());
        made.set_value(static_cast<bool>(created));
      },
      asio::detached);
  if (!account.get()) die("no owner account");

  BlockingClient client(endpoint_);
  auto signed_in = client.call(
      bhttp::verb::post, "/api/v1/sessions", {},
      json::serialize(json::object{{"email", kOwnerEmail}, {"password", kOwnerPassword}}));
  if (signed_in.status != 201) die("sign-in: " + signed_in.body);
  token_ = std::string(json::parse(signed_in.body).at("access_token").as_string());
  auto site = client.call(bhttp::verb::post, "/api/v1/sites", token_,
                          json::serialize(json::object{
                              {"id", kBenchSite}, {"name", "Bench Court"}, {"timezone", "UTC"}}));
  if (site.status != 201) die("site: " + site.body);

  // Registered while offline (the server records the pairing code and answers 503), then
  // commissioned once the lock is online.
  for (std::size_t i = 0; i < locks_.size(); ++i) {
    auto r = client.call(bhttp::verb::post, site_path("/locks"), token_,
                         json::serialize(json::object{{"id", locks_[i]},
                                                      {"name", "Door " + locks_[i]},
                                                      {"backup_pool", 0},
                                                      {"pairing_code", pairing_codes[i]}}));
    if (r.status != 503 && r.status != 201) die("register " + locks_[i] + ": " + r.body);
  }
  std::printf("%zu locks registered after %.1f s\n", locks_.size(), since());
  // Started here, before its thread runs: no other thread drives it yet.
  if (auto started = fleet_->start(); !started) die(started.error().message);
  fleet_thread_.start();
  const auto deadline = Clock::now() + std::chrono::seconds(180);
  for (const std::string& l : locks_) {
    const std::string body =
        json::serialize(json::object{{"id", l}, {"name", "Door " + l}, {"backup_pool", 0}});
    for (;;) {
      auto r = client.call(bhttp::verb::post, site_path("/locks"), token_, body);
      if (r.status == 201) break;
      if (r.status != 503 || Clock::now() > deadline) die("commission " + l + ": " + r.body);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::printf("%zu locks commissioned after %.1f s\n", locks_.size(), since());
}

double thread_cpu_s(std::thread& thread) {
  clockid_t clock{};
  timespec used{};
  if (::pthread_getcpuclockid(thread.native_handle(), &clock) != 0 ||
      ::clock_gettime(clock, &used) != 0)
    return 0;
  return static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
}

double NodeSite::node_cpu_s() {
  return thread_cpu_s(node_thread_.thread);
}

NodeSite::~NodeSite() {
  if (node_) {
    std::promise<void> stopped;
    asio::post(node_thread_.io, [&] { node_->stop([&stopped] { stopped.set_value(); }); });
    stopped.get_future().wait_for(std::chrono::seconds(30));
  }
  node_thread_.stop();
  node_.reset();
  if (fleet_) {
    if (fleet_thread_.thread.joinable()) {
      fleet_thread_.call([this] {
        fleet_->stop();
        return 0;
      });
    }
    fleet_thread_.stop();
    fleet_.reset();
  }
  if (broker_) (void)broker_->stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace bench
