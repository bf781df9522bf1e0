#pragma once
// Pending<T>: one outcome that arrives once (an ack, a deadline) and that any number of coroutines
// may await, before or after it arrived. Each waiter resumes on its own executor, never inside
// deliver(): the MQTT callback that delivers an ack is not the place to run an HTTP handler.

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace server::devices {

template <class T>
class Pending {
 public:
  // Later deliveries are ignored: the first outcome is the outcome.
  void deliver(T value) {
    if (value_) return;
    value_ = std::move(value);
    auto waiters = std::move(waiters_);
    waiters_.clear();
    for (auto& w : waiters)
      w(*value_);
  }
  bool delivered() const { return value_.has_value(); }
  const std::optional<T>& value() const { return value_; }

  // Precondition: *this outlives the wait (hold it in a shared_ptr the deliverer also holds).
  boost::asio::awaitable<T> wait() {
    co_return co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(T)>(
        [this](auto handler) {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          auto complete = [executor, shared](const T& value) {
            boost::asio::post(executor,
                              [shared, value]() mutable { std::move (*shared)(std::move(value)); });
          };
          if (value_) {
            complete(*value_);
          } else {
            waiters_.push_back(std::move(complete));
          }
        },
        boost::asio::use_awaitable);
  }

 private:
  std::optional<T> value_;
  std::vector<std::function<void(const T&)>> waiters_;
};

}  // namespace server::devices
