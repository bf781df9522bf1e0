#include "tests/support/run_until.hpp"

#include <boost/asio/executor_work_guard.hpp>

namespace testsupport {

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // Keeps run_one_for() waiting for events instead of returning at once when no work is queued.
  auto guard = boost::asio::make_work_guard(io);
  if (io.stopped()) io.restart();
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    io.run_one_for(std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                                 std::chrono::milliseconds(50)));
  }
  return true;
}

}  // namespace testsupport
