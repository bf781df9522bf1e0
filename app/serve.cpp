#include "app/serve.hpp"

#include <csignal>
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "server/api/routes.hpp"
#include "server/config/config.hpp"
#include "server/http/server.hpp"
#include "server/http/static_files.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sqlite_database.hpp"

namespace app {

namespace {

constexpr std::chrono::seconds kStopGrace{10};

// Every domain's migrations, in dependency order. Empty until the domains land.
std::vector<server::store::Migration> all_migrations() {
  return {};
}

}  // namespace

int serve(const std::optional<std::string>& config_file) {
  auto loaded = server::config::load(config_file, server::config::process_environment());
  if (!loaded) {
    std::fprintf(stderr, "latchkey serve: %s\n", loaded.error().c_str());
    return 2;
  }
  const server::config::Config& config = *loaded;
  spdlog::set_level(spdlog::level::from_str(config.log.level));

  server::store::SqliteOptions store_options;
  store_options.busy_timeout = std::chrono::milliseconds(config.store.busy_timeout_ms);
  auto db = server::store::open_sqlite(config.store.path, store_options);
  if (!db) {
    spdlog::critical("store: {}", db.error().message);
    return 1;
  }
  auto migrated = server::store::migrate(**db, all_migrations());
  if (!migrated) {
    spdlog::critical("store: {}", migrated.error().message);
    return 1;
  }
  for (const std::string& m : migrated->applied)
    spdlog::info("store: applied {}", m);

  boost::asio::io_context io;
  server::http::Registry metrics;
  server::http::Router router;
  server::store::Database& store = **db;
  server::api::add_routes(
      router, {metrics, {{"store", [&store]() -> lockcore::Result<void, std::string> {
                            auto r = store.query("SELECT count(*) FROM schema_migrations");
                            if (!r) return lockcore::fail(r.error().message);
                            return {};
                          }}}});
  if (!config.web.static_dir.empty()) {
    router.set_fallback(server::http::static_files(config.web.static_dir));
  }

  server::http::ServerOptions options;
  options.address = config.http.address;
  options.port = static_cast<std::uint16_t>(config.http.port);
  options.body_limit = static_cast<std::size_t>(config.http.body_limit);
  options.header_limit = static_cast<std::size_t>(config.http.header_limit);
  options.idle_timeout = std::chrono::milliseconds(config.http.idle_timeout_ms);
  options.read_timeout = std::chrono::milliseconds(config.http.read_timeout_ms);
  options.write_timeout = std::chrono::milliseconds(config.http.write_timeout_ms);
  auto access_log = spdlog::default_logger()->clone("http");
  if (!config.log.access) access_log->set_level(spdlog::level::warn);
  server::http::Server http(io, router, metrics, options, access_log);
  auto bound = http.start();
  if (!bound) {
    spdlog::critical("{}", bound.error());
    return 1;
  }
  spdlog::info("latchkey: serving http://{}:{} (store {})", bound->address().to_string(),
               bound->port(), config.store.path);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  boost::asio::steady_timer deadline(io);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("latchkey: signal {}, stopping", signal);
    http.stop();
    // Requests in progress get this long to finish; then the process stops regardless.
    deadline.expires_after(kStopGrace);
    deadline.async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      spdlog::warn("latchkey: requests still running after {} s, stopping anyway",
                   kStopGrace.count());
      io.stop();
    });
  });
  // Once the server has nothing left, the grace timer must not keep the process waiting.
  http.on_stopped([&] {
    deadline.cancel();
    signals.cancel();
  });
  io.run();
  spdlog::info("latchkey: stopped");
  return 0;
}

}  // namespace app
