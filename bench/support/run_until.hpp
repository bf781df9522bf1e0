#pragma once
// Runs an io_context until a condition holds or a deadline passes, for the load drivers (tests
// have tests/support/run_until.hpp, which benchmarks do not link).

#include <chrono>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace bench {

// False on timeout.
template <class Done>
bool run_until(boost::asio::io_context& io, Done done, std::chrono::seconds timeout) {
  auto guard = boost::asio::make_work_guard(io);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.run_one_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace bench
