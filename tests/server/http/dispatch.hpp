#pragma once
// Runs Router::dispatch to completion on a private io_context, for tests without sockets.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "server/http/router.hpp"

namespace server::http::testing {

inline Response dispatch(const Router& router, Verb method, std::string target,
                         std::string body = {}) {
  boost::asio::io_context io;
  Request request(RawRequest(method, target, 11, std::move(body)), {});
  auto done = boost::asio::co_spawn(io, router.dispatch(request), boost::asio::use_future);
  io.run();
  return done.get();
}

}  // namespace server::http::testing
