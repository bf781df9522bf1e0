#pragma once
// A whole Latchkey server for the end-to-end benchmarks, built as `latchkey serve` builds it and
// driven over real HTTP: a real Mosquitto with the protocol's ACL (transport::BrokerProcess), the
// real simulator's fleet of Wi-Fi locks on the real clock (its io_context on a thread of its own),
// and a server::Node on SQLite (WAL) in a temporary directory, on a runtime::RealScheduler and a
// thread of its own. Setup goes through the served API as the app would: an owner account (made
// as `latchkey account create` makes it), sign-in, the site, every lock registered with its
// pairing code and commissioned once online.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include "bench/support/io_thread.hpp"
#include "runtime/real_scheduler.hpp"
#include "server/node/node.hpp"
#include "sim/fleet.hpp"
#include "transport/broker_process.hpp"

namespace bench {

inline constexpr const char* kBenchSite = "bench";

// CPU time `thread` has used so far, in seconds (0 when it cannot be read).
double thread_cpu_s(std::thread& thread);

// One HTTP/1.1 keep-alive connection, blocking: for setup and single reads, not for load.
class BlockingClient {
 public:
  explicit BlockingClient(boost::asio::ip::tcp::endpoint endpoint);
  struct Reply {
    unsigned status = 0;  // 0: the connection failed
    std::string body;
  };
  // Reconnects once when the server closed the connection.
  Reply call(boost::beast::http::verb method, const std::string& target, const std::string& token,
             const std::string& json_body = {});

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::optional<boost::beast::tcp_stream> stream_;
};

struct NodeSiteOptions {
  std::size_t locks = 1000;
  std::string log_level = "warn";
};

class NodeSite {
 public:
  // Builds everything and commissions every lock; prints progress. Exits the process (status 1,
  // naming what failed) when anything cannot be set up: a benchmark has nothing to measure then.
  explicit NodeSite(NodeSiteOptions options);
  // Stops the Node, then the fleet, then the broker, and removes the directory.
  ~NodeSite();
  NodeSite(const NodeSite&) = delete;
  NodeSite& operator=(const NodeSite&) = delete;

  const boost::asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }
  const std::string& token() const { return token_; }  // the owner's access token
  const std::vector<std::string>& locks() const { return locks_; }
  // CPU time the Node's thread has used so far (the whole server: HTTP, domains, store, MQTT).
  double node_cpu_s();
  // "/api/v1/sites/<site>" + rest
  static std::string site_path(const std::string& rest);

 private:
  std::filesystem::path dir_;
  std::optional<transport::BrokerProcess> broker_;
  IoThread fleet_thread_;
  std::unique_ptr<sim::Fleet> fleet_;
  IoThread node_thread_;
  std::optional<runtime::RealScheduler> scheduler_;
  std::unique_ptr<server::Node> node_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::string token_;
  std::vector<std::string> locks_;
};

}  // namespace bench
