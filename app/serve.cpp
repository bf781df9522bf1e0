#include "app/serve.hpp"

#include <csignal>
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "runtime/real_scheduler.hpp"
#include "server/config/config.hpp"
#include "server/node/node.hpp"

namespace app {

namespace {

constexpr std::chrono::seconds kStopGrace{10};

}  // namespace

int serve(const std::optional<std::string>& config_file) {
  auto loaded = server::config::load(config_file, server::config::process_environment());
  if (!loaded) {
    std::fprintf(stderr, "latchkey serve: %s\n", loaded.error().c_str());
    return 2;
  }
  const server::config::Config& config = *loaded;
  spdlog::set_level(spdlog::level::from_str(config.log.level));

  boost::asio::io_context io;
  runtime::RealScheduler scheduler(io);
  auto node = server::Node::open(io, scheduler, config);
  if (!node) {
    spdlog::critical("{}", node.error());
    return 1;
  }
  auto bound = (*node)->start_http();
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
    // Requests in progress get this long to finish; then the process stops regardless.
    deadline.expires_after(kStopGrace);
    deadline.async_wait([&](const boost::system::error_code& e) {
      if (e) return;
      spdlog::warn("latchkey: requests still running after {} s, stopping anyway",
                   kStopGrace.count());
      io.stop();
    });
    // Once requests are answered, messages handed over and events committed, nothing else needs
    // the loop: the domains' periodic timers (health, retries, credential tasks) would keep it
    // running forever.
    (*node)->stop([&] { io.stop(); });
  });
  io.run();
  spdlog::info("latchkey: stopped");
  return 0;
}

}  // namespace app
