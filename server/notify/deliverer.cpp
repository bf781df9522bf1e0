#include "server/notify/deliverer.hpp"

#include <array>
#include <atomic>
#include <map>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

namespace server::notify {

namespace {

constexpr std::array<Channel, 3> kChannels = {Channel::email, Channel::sms, Channel::webhook};
// After a store error in a pass, the next pass waits this long (the store is busy or failing).
constexpr std::chrono::milliseconds kStoreBackoff{1'000};

std::size_t index(Channel c) {
  return static_cast<std::size_t>(c);
}

struct ChannelMetrics {
  http::Counter* sent;
  http::Counter* retrying;
  http::Counter* failed;
};

}  // namespace

struct Deliverer::Impl : std::enable_shared_from_this<Impl> {
  struct InFlight {
    Channel channel;
    std::int64_t attempts;  // before this one
  };

  Impl(boost::asio::any_io_executor io, runtime::Scheduler& scheduler, Outbox& outbox,
       Webhooks& webhooks, http::Registry& metrics, Senders given, DelivererOptions options)
      : io(std::move(io)),
        scheduler(scheduler),
        outbox(outbox),
        webhooks(webhooks),
        options(std::move(options)),
        senders{std::move(given.email), std::move(given.sms), std::move(given.webhook)},
        problems{std::move(given.email_problem), std::move(given.sms_problem),
                 std::move(given.webhook_problem)},
        in_flight_gauge(metrics.gauge("notify_in_flight", "Notification attempts under way")),
        pool(std::max<std::size_t>(1, this->options.workers)) {
    this->options.workers = std::max<std::size_t>(1, this->options.workers);
    for (Channel c : kChannels) {
      const http::Labels labels = {{"channel", std::string(to_string(c))}};
      channel_metrics[index(c)] = {
          &metrics.counter("notify_sent_total", "Notifications delivered", labels),
          &metrics.counter("notify_retrying_total",
                           "Notification attempts that failed and will be tried again", labels),
          &metrics.counter("notify_failed_total", "Notifications failed for good", labels)};
      if (senders[index(c)]) served.push_back(c);
    }
  }

  ~Impl() {
    abort = true;
    pool.stop();
    pool.join();
  }

  void start() {
    if (started) return;
    started = true;
    for (Channel c : kChannels) {
      if (senders[index(c)]) {
        spdlog::info("notify: delivering {}", to_string(c));
      } else {
        spdlog::info("notify: not delivering {}: {}; its messages stay in the outbox", to_string(c),
                     problems[index(c)]);
      }
    }
    post_pass();
  }

  void post_pass() {
    if (!started || stopping || pass_posted) return;
    pass_posted = true;
    boost::asio::post(io, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->pass();
    });
  }

  void pass() {
    pass_posted = false;
    if (stopping) return;
    warn_about_waiting_messages();
    bool store_failed = false;
    const std::size_t room = options.workers - std::min(options.workers, flying.size());
    if (room > 0) {
      auto due = outbox.due(room, served);
      if (!due) {
        spdlog::error("notify: reading due messages: {}", due.error().message);
        store_failed = true;
      } else {
        for (Message& m : *due)
          take(std::move(m));
      }
    }
    arm_timer(store_failed);
  }

  void take(Message message) {
    if (flying.contains(message.id)) return;
    const lockcore::UnixMs now = scheduler.now();
    auto claimed = outbox.claim(message.id, now + options.lease.count());
    if (!claimed) {
      spdlog::error("notify: claiming {}: {}", message.id, claimed.error().message);
      return;
    }
    if (!*claimed) return;  // another deliverer has it, or it changed since due()
    Attempt attempt{std::move(message), now, {}, &abort};
    const Notice& notice = attempt.message.notice;
    if (notice.channel == Channel::webhook) {
      auto secret = webhooks.secret_for(notice.site, notice.address);
      if (!secret) {
        // Leave the lease to run out: the message is tried again then, untouched.
        spdlog::error("notify: looking up the webhook secret for {}: {}", attempt.message.id,
                      secret.error().message);
        return;
      }
      attempt.secret = secret->value_or("");
    }
    const std::string id = attempt.message.id;
    flying.emplace(id, InFlight{notice.channel, attempt.message.attempts});
    in_flight_gauge.set(static_cast<double>(flying.size()));
    const Sender* sender = senders[index(notice.channel)].get();
    boost::asio::post(
        pool, [sender, attempt = std::move(attempt), io = io, weak = weak_from_this()]() mutable {
          SendResult result = sender->send(attempt);
          boost::asio::post(
              io, [weak, id = std::move(attempt.message.id), result = std::move(result)]() mutable {
                if (auto self = weak.lock()) self->finish(id, std::move(result));
              });
        });
  }

  void finish(const std::string& id, SendResult result) {
    auto found = flying.find(id);
    if (found == flying.end()) return;
    const InFlight attempt = found->second;
    flying.erase(found);
    in_flight_gauge.set(static_cast<double>(flying.size()));
    record(id, attempt, result);
    if (stopping) {
      if (flying.empty() && on_stopped) std::exchange(on_stopped, nullptr)();
      return;
    }
    post_pass();
  }

  void record(const std::string& id, const InFlight& attempt, const SendResult& result) {
    const ChannelMetrics& m = channel_metrics[index(attempt.channel)];
    const std::string_view channel = to_string(attempt.channel);
    store::Status marked;
    if (result) {
      marked = outbox.mark_sent(id);
      m.sent->inc();
      spdlog::info("notify: {} {} sent", channel, id);
    } else if (result.error().code == SendErrc::aborted) {
      marked = outbox.release(id);
      spdlog::info("notify: {} {} abandoned on stop; it goes at the next start", channel, id);
    } else {
      const SendError& error = result.error();
      std::optional<lockcore::UnixMs> next;
      if (!error.permanent())
        next = options.ladder.next_attempt(attempt.attempts + 1, scheduler.now());
      marked = outbox.mark_failed(id, error.message, next);
      if (next) {
        m.retrying->inc();
        spdlog::warn("notify: {} {} attempt {} failed ({}): {}; next in {} s", channel, id,
                     attempt.attempts + 1, to_string(error.code), error.message,
                     (*next - scheduler.now()) / 1000);
      } else {
        m.failed->inc();
        spdlog::error("notify: {} {} failed for good after {} attempt(s) ({}): {}", channel, id,
                      attempt.attempts + 1, to_string(error.code), error.message);
      }
    }
    if (!marked) {
      // The lease runs out and the message is tried again: at most one more send.
      spdlog::error("notify: recording the outcome of {}: {}", id, marked.error().message);
    }
  }

  void arm_timer(bool store_failed) {
    std::optional<lockcore::UnixMs> at;
    const lockcore::UnixMs now = scheduler.now();
    if (store_failed) {
      at = now + kStoreBackoff.count();
    } else {
      auto next = outbox.next_due(served);
      if (!next) {
        spdlog::error("notify: reading the next due time: {}", next.error().message);
        at = now + kStoreBackoff.count();
      } else if (*next && **next > now) {
        at = **next;
      } else if (*next && flying.size() < options.workers) {
        // Due now yet not taken (it changed under us): look again shortly, without spinning.
        at = now + kStoreBackoff.count();
      }
      // Otherwise: nothing pending, or every slot busy (a finished attempt makes the next pass).
    }
    if (timer && timer_at == at) return;
    if (timer) scheduler.cancel(*timer);
    timer.reset();
    if (!at) return;
    timer_at = at;
    timer = scheduler.call_at(*at, [weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        self->timer.reset();
        self->pass();
      }
    });
  }

  void warn_about_waiting_messages() {
    for (Channel c : kChannels) {
      if (senders[index(c)] || warned[index(c)]) continue;
      auto waiting = outbox.pending(c);
      if (!waiting || *waiting == 0) continue;
      warned[index(c)] = true;
      spdlog::warn("notify: {} {} message(s) wait in the outbox: {} is not delivered ({})",
                   *waiting, to_string(c), to_string(c), problems[index(c)]);
    }
  }

  void stop(std::function<void()> done) {
    stopping = true;
    abort = true;
    if (timer) scheduler.cancel(*timer);
    timer.reset();
    if (flying.empty()) {
      if (done) boost::asio::post(io, std::move(done));
      return;
    }
    on_stopped = std::move(done);
  }

  boost::asio::any_io_executor io;
  runtime::Scheduler& scheduler;
  Outbox& outbox;
  Webhooks& webhooks;
  DelivererOptions options;
  std::array<std::unique_ptr<Sender>, 3> senders;
  std::array<std::string, 3> problems;
  std::array<ChannelMetrics, 3> channel_metrics{};
  http::Gauge& in_flight_gauge;
  std::vector<Channel> served;
  std::array<bool, 3> warned{};

  bool started = false;
  bool stopping = false;
  bool pass_posted = false;
  std::map<std::string, InFlight> flying;
  std::optional<runtime::TimerId> timer;
  std::optional<lockcore::UnixMs> timer_at;
  std::function<void()> on_stopped;

  // Read by the worker threads (through Attempt::abort); declared before the pool so that it
  // outlives it.
  std::atomic<bool> abort{false};
  boost::asio::thread_pool pool;
};

Deliverer::Deliverer(boost::asio::any_io_executor io, runtime::Scheduler& scheduler, Outbox& outbox,
                     Webhooks& webhooks, http::Registry& metrics, Senders senders,
                     DelivererOptions options)
    : impl_(std::make_shared<Impl>(std::move(io), scheduler, outbox, webhooks, metrics,
                                   std::move(senders), std::move(options))) {}

Deliverer::~Deliverer() {
  if (impl_->timer) impl_->scheduler.cancel(*impl_->timer);
}

void Deliverer::start() {
  impl_->start();
}

void Deliverer::poke() {
  impl_->post_pass();
}

void Deliverer::stop(std::function<void()> done) {
  impl_->stop(std::move(done));
}

std::size_t Deliverer::in_flight() const {
  return impl_->flying.size();
}

bool Deliverer::idle() const {
  return impl_->flying.empty() && !impl_->pass_posted;
}

}  // namespace server::notify
