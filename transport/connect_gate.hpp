#pragma once
// Limits how many MQTT clients of a fleet are connecting at once (from the TCP connect until
// CONNACK or failure). Mosquitto listens with a backlog of 100: when thousands of clients connect
// together (start-up, or all reconnecting after a broker restart) the overflowing SYNs are dropped
// and retried by the kernel after 1 s, then 3 s... bench_transport measured 5,000 clients in
// 5.5-15 s unpaced and in 1 s through a gate of 64. Share one gate (ClientOptions::connect_gate)
// among all clients of one io_context; single-threaded like them.

#include <cstddef>
#include <deque>
#include <functional>

namespace transport {

class ConnectGate {
 public:
  explicit ConnectGate(std::size_t max_connecting = 64)
      : limit_(max_connecting > 0 ? max_connecting : 1) {}
  ConnectGate(const ConnectGate&) = delete;
  ConnectGate& operator=(const ConnectGate&) = delete;

  // Runs `start` now if fewer than the limit are connecting, else once a slot frees up (in
  // order of asking). `start` returns false when its client no longer wants the slot, which then
  // goes to the next in line. A started attempt must end with release().
  void acquire(std::function<bool()> start);
  void release();

  std::size_t connecting() const { return connecting_; }
  std::size_t waiting() const { return waiting_.size(); }
  std::size_t limit() const { return limit_; }

 private:
  std::size_t limit_;
  std::size_t connecting_ = 0;
  bool dispatching_ = false;
  std::deque<std::function<bool()>> waiting_;
};

}  // namespace transport
