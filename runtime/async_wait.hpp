#pragma once
// Waiting on a Scheduler from Asio code, so coroutines (HTTP handlers waiting for a lock, retry
// loops) wait on the injected clock, real or virtual:
//
//   co_await runtime::async_wait_until(scheduler, deadline, asio::use_awaitable);
//
// The completion is posted to the waiter's own executor when the time comes: with a
// VirtualScheduler that is during advance_to(), and the waiter resumes when its io_context next
// runs (a scenario runner advances time, then polls the io_context). Not cancellable: a waiter
// that must give up early races the wait against what it waits for.

#include <memory>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include "runtime/scheduler.hpp"

namespace runtime {

template <class Token>
auto async_wait_until(Scheduler& scheduler, UnixMs at, Token&& token) {
  return boost::asio::async_initiate<Token, void()>(
      [&scheduler, at](auto handler) {
        auto executor = boost::asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        scheduler.call_at(at, [shared, executor] {
          boost::asio::post(executor, [shared] { std::move (*shared)(); });
        });
      },
      token);
}

template <class Token>
auto async_wait_for(Scheduler& scheduler, Duration delay, Token&& token) {
  return async_wait_until(scheduler, scheduler.now() + delay.count(), std::forward<Token>(token));
}

}  // namespace runtime
