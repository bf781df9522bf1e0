#pragma once
// The control channel's transport: a Unix stream socket (mode 0600, so only this user can drive
// the simulator) on the fleet's io_context. Each connection sends request lines and gets one
// answer line per request, in order (control.hpp has the language). A line over kMaxControlLine
// is answered with too_long and skipped up to its newline; the connection stays usable.
//
// Opening refuses a path where another process is listening; a stale socket file (nobody
// listening) is replaced. Closing removes the socket file.

#include <filesystem>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "sim/fleet.hpp"
#include "sim/sim_error.hpp"

namespace sim {

class ControlServer {
 public:
  // Errors: io_error (the path is in use, too long for a socket address, or cannot be bound).
  static SimResult<std::unique_ptr<ControlServer>> open(boost::asio::io_context& io, Fleet& fleet,
                                                        const std::filesystem::path& path);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void close();

 private:
  struct State;
  ControlServer(std::shared_ptr<State> state, std::filesystem::path path);
  std::shared_ptr<State> state_;  // shared with the sessions and pending accepts
  std::filesystem::path path_;
};

}  // namespace sim
