#pragma once
// Waiting on a condition with a deadline instead of sleeping: runs the io_context's handlers until
// `done()` holds or `timeout` passes. Tests assert on the returned bool.

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

namespace testsupport {

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace testsupport
